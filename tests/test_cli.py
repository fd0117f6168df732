"""The command line, run as a user runs it: a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, sample_dict, to_body


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nhn_webhooks", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_decode_bundled_sample_shows_the_typed_result(name: str) -> None:
    result = run("decode", "--sample", name)
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.endswith(("Unsubscribe", "Update", "Block", "Receipt"))
    assert any(line.strip().startswith("hooks[0]: ") for line in rest)


def test_decode_shows_aware_timestamps() -> None:
    result = run("decode", "--sample", "sms-message-result-update")
    assert "request_date: 2024-04-29T20:58:02+09:00" in result.stdout


def test_decode_file_and_stdin(tmp_path: Path) -> None:
    body = to_body(sample_dict("email-unsubscribe"))
    path = tmp_path / "body.json"
    path.write_bytes(body)
    from_file = run("decode", str(path))
    from_stdin = run("decode", "-", stdin=body)
    assert from_file.returncode == from_stdin.returncode == 0
    assert from_file.stdout == from_stdin.stdout
    assert from_file.stdout.startswith("EmailUnsubscribe\n")


def test_bad_body_exits_1_with_one_line_naming_the_path() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["recipientSeq"] = "abc"
    result = run("decode", "-", stdin=to_body(data))
    assert result.returncode == 1
    assert result.stderr == 'error: $.hooks[0].recipientSeq: expected int, got "abc"\n'
    assert result.stdout == ""
