"""Coverage-guided fuzzing of decode() and encode() with atheris (libFuzzer).

    python -m pip install -e ".[fuzz]" && python fuzz/fuzz_decode.py -max_total_time=600

Every input must decode or raise DecodeError; the fast and careful decoding paths,
and a body given as bytes and as text, must agree; every webhook decoded must encode
to bytes that decode to an equal webhook and encode again to the same bytes.
Anything else is a crash: libFuzzer stops and writes the input to
``fuzz/artifacts/``; replay it with ``python fuzz/fuzz_decode.py fuzz/artifacts/crash-...``.

Unless given other libFuzzer arguments, the run keeps its corpus in ``fuzz/corpus/``
(seeded with the bundled samples), uses a dictionary of NHN's wire names and code
values, and tries bodies up to 8 KiB.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def check(data: bytes) -> None:
    """Run the fuzzing properties on one input; an AssertionError is a finding."""
    from nhn_webhooks import decode, encode  # imported in main() first, instrumented

    webhook = _decoded(data)
    assert _decoded_carefully(data) == webhook, "the fast and careful paths disagree"
    try:
        text = data.decode()
    except UnicodeDecodeError:
        pass
    else:
        assert _decoded(text) == webhook, "bytes and text bodies decode differently"
    if webhook is not None:
        encoded = encode(webhook)
        again = decode(encoded)
        assert again == webhook, f"decode(encode(w)) != w for {encoded!r}"
        assert encode(again) == encoded, "encode is not stable"


def _decoded(body: bytes | str) -> Any:
    """The webhook, or None for a DecodeError; any other exception propagates."""
    from nhn_webhooks import DecodeError, decode

    try:
        return decode(body)
    except DecodeError:
        return None


def _decoded_carefully(body: bytes) -> Any:
    """What decode()'s careful path alone makes of the body (None for any rejection)."""
    from nhn_webhooks import DecodeError, _careful

    try:
        return _careful.decode_carefully(body, strict=False).webhook
    except DecodeError:
        return None  # the careful path's boundary lets nothing else out


def seeds() -> list[bytes]:
    """The bundled samples: one valid body per webhook class."""
    from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body

    return [sample_body(name) for name in SAMPLE_NAMES.values()]


def dictionary() -> list[bytes]:
    """libFuzzer dictionary tokens: wire names, product/event names, JSON shapes."""
    import msgspec

    import nhn_webhooks as nw
    from nhn_webhooks._models._quirks import QUIRKS

    names: set[str] = {"productName", "event", "hooks", "templateCode", "hooksId"}
    models = [*nw.WEBHOOK_CLASSES, nw.Link, nw.Links, nw.KakaoTemplateComment]
    models.append(nw.KakaoTemplateAttachment)
    for model in models:
        names.update(model.__struct_encode_fields__)
    names.update(quirk.alias[2] for quirk in QUIRKS if quirk.alias)
    values = {cls.PRODUCT_NAME for cls in nw.WEBHOOK_CLASSES}
    values.update(cls.EVENT for cls in nw.WEBHOOK_CLASSES if cls.EVENT)
    tokens = [msgspec.json.encode(name) + b":" for name in sorted(names)]
    tokens += [msgspec.json.encode(value) for value in sorted(values)]
    tokens += [
        b'"2020-09-09T11:25:10.000+09:00"',
        b'"2024-04-29T20:58:02"',
        b'"2022-05-01 00:00:00"',
        b'"2023-06-01"',
        b'""',
        b'"0"',
        b"null",
        b"true",
        b"[{",
        b"}]",
        b"\\u0000",
        b"\xef\xbb\xbf",
    ]
    return tokens


def main() -> None:
    """Set up the default corpus, dictionary and artifact folder, then fuzz."""
    import atheris

    with atheris.instrument_imports(include=["nhn_webhooks", "dateutil"]):
        import dateutil.parser  # noqa: F401 - imported lazily by decode(), instrument it now

        import nhn_webhooks  # noqa: F401

    argv = list(sys.argv)
    options = [arg for arg in argv[1:] if arg.startswith("-")]
    if len(options) == len(argv) - 1:  # no corpus directory or input file given
        corpus = HERE / "corpus"
        corpus.mkdir(exist_ok=True)
        for index, seed in enumerate(seeds()):
            (corpus / f"sample-{index}.json").write_bytes(seed)
        argv.append(str(corpus))
    if not any(arg.startswith("-artifact_prefix=") for arg in options):
        (HERE / "artifacts").mkdir(exist_ok=True)
        argv.append(f"-artifact_prefix={HERE / 'artifacts'}/")
    if not any(arg.startswith("-dict=") for arg in options):
        path = HERE / "artifacts" / "nhn.dict"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            "".join(f'"{_escape(token)}"\n' for token in dictionary()), encoding="ascii"
        )
        argv.append(f"-dict={path}")
    if not any(arg.startswith("-max_len=") for arg in options):
        argv.append("-max_len=8192")
    atheris.Setup(argv, check)
    atheris.Fuzz()


def _escape(token: bytes) -> str:
    """A token in libFuzzer's dictionary syntax (``\\xNN`` for anything unusual)."""
    return "".join(
        chr(byte) if 0x20 <= byte < 0x7F and byte not in b'"\\' else f"\\x{byte:02x}"
        for byte in token
    )


if __name__ == "__main__":
    main()
