"""The fuzz harness in fuzz/fuzz_decode.py checks what it claims, and runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import nhn_webhooks as nw
from nhn_webhooks import testing
from tests.conftest import IN_CI, fuzz_harness

HARNESS = Path(__file__).parents[2] / "fuzz" / "fuzz_decode.py"
harness = fuzz_harness()


@pytest.mark.parametrize(
    "body",
    [
        *harness.seeds(),
        b"",
        b"\xff",
        b"{}",
        b'{"productName":"Push","hooks":[{"a":1}]}',
        b'{"productName":"SMS","event":"UNSUBSCRIBE","hooks":[{"x":"\xff"}]}',
        # A key no model reads, not valid UTF-8: both paths skip it unread.
        testing.load_sample(nw.KakaoTemplateStatusUpdate).replace(
            b'"kakaoTemplateCode"', b'"kakaoT\x99mplateCode"'
        ),
    ],
)
def test_harness_accepts_what_decode_and_encode_handle(body: bytes) -> None:
    harness.check(body)


def test_harness_reports_a_webhook_that_does_not_survive_encode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_encode = nw.encode

    def lossy_encode(webhook: Any) -> bytes:
        return real_encode(webhook).replace(b'"SMS"', b'"Sms"')

    monkeypatch.setattr(nw, "encode", lossy_encode)
    with pytest.raises(AssertionError, match="decode\\(encode"):
        harness.check(harness.seeds()[0])


def test_harness_reports_an_exception_other_than_decode_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_decode(body: Any, **options: Any) -> Any:
        raise TypeError("escaped")

    monkeypatch.setattr(nw, "decode", broken_decode)
    with pytest.raises(TypeError):
        harness.check(b"{}")


def test_dictionary_tokens_are_written_in_libfuzzer_syntax() -> None:
    tokens = harness.dictionary()
    assert b'"recipientGropuingKey":' in tokens
    assert b'"KakaoTalk Bizmessage"' in tokens
    assert harness._escape(b'"a\\\xef') == "\\x22a\\x5c\\xef"


# atheris runs on CPython 3.10 to 3.14. On 3.15 there is no wheel, and 3.0's source
# builds (with Clang's libFuzzer) but raises "unsupported python version" at import;
# pyproject.toml's fuzz extra leaves it out there.
ATHERIS_EXISTS = sys.version_info < (3, 15)


def test_harness_runs_under_atheris(tmp_path: Path) -> None:
    if not ATHERIS_EXISTS:
        pytest.skip(f"atheris does not run on Python {sys.version_info[0]}.{sys.version_info[1]}")
    if importlib.util.find_spec("atheris") is None:
        if IN_CI:
            pytest.fail("CI installs the fuzz extra, but atheris is not installed")
        pytest.skip("the 'fuzz' extra is not installed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for index, seed in enumerate(harness.seeds()):
        (corpus / str(index)).write_bytes(seed)
    result = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
            "-runs=2000",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Done 2000 runs" in result.stderr
