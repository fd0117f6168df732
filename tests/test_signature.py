"""The X-Toast-Webhook-Signature check."""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nhn_webhooks as nw
from tests.conftest import sample_dict, to_body

SECRET = "s3cr3t-from-console"


class WerkzeugStyleHeaders:
    """Case-insensitive get() and items(), not a Mapping: like werkzeug's Headers."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def get(self, key: str, default: Any = None) -> Any:
        for name, value in self._pairs:
            if name.lower() == key.lower():
                return value
        return default

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Toast-Webhook-Signature": SECRET},
        {"x-toast-webhook-signature": SECRET},
        {"X-TOAST-WEBHOOK-SIGNATURE": SECRET},
        {"HTTP_X_TOAST_WEBHOOK_SIGNATURE": SECRET},  # Django request.META, WSGI environ
        WerkzeugStyleHeaders(
            [("Content-Type", "application/json"), ("X-Toast-Webhook-Signature", SECRET)]
        ),
        [("content-type", "application/json"), ("x-toast-webhook-signature", SECRET)],
        [(b"x-toast-webhook-signature", SECRET.encode())],  # ASGI raw headers
        SECRET,
        SECRET.encode(),
        f"  {SECRET}\t",
    ],
    ids=[
        "dict",
        "lower",
        "upper",
        "wsgi-environ",
        "werkzeug",
        "pairs",
        "asgi-raw",
        "value",
        "bytes-value",
        "whitespace",
    ],
)
def test_matching_signature_passes_from_every_container(headers: Any) -> None:
    nw.verify_signature(headers, SECRET)


def test_starlette_style_mapping_passes() -> None:
    from collections.abc import Mapping

    class CaseInsensitive(Mapping[str, str]):
        def __init__(self, data: dict[str, str]) -> None:
            self._data = {k.lower(): v for k, v in data.items()}

        def __getitem__(self, key: str) -> str:
            return self._data[key.lower()]

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(self._data)

        def __len__(self) -> int:
            return len(self._data)

    nw.verify_signature(CaseInsensitive({"X-Toast-Webhook-Signature": SECRET}), SECRET)


@pytest.mark.parametrize(
    "headers",
    [None, {}, {"Content-Type": "application/json"}, [], [("other", "x")], "", "   "],
    ids=["none", "empty-dict", "other-header", "no-pairs", "other-pair", "empty", "blank"],
)
def test_missing_signature_is_a_signature_error(headers: Any) -> None:
    with pytest.raises(nw.SignatureError):
        nw.verify_signature(headers, SECRET)


@pytest.mark.parametrize(
    "received",
    ["wrong", SECRET + "x", SECRET.upper(), "서명", "\udcff", "application/json;charset=UTF-8"],
)
def test_different_value_is_a_signature_error_that_never_echoes_the_secret(received: str) -> None:
    with pytest.raises(nw.SignatureError) as caught:
        nw.verify_signature({"X-Toast-Webhook-Signature": received}, SECRET)
    assert SECRET not in str(caught.value)
    assert received.strip() not in str(caught.value) or received in ("x",)
    assert not isinstance(caught.value, nw.DecodeError)


@pytest.mark.parametrize("odd", [123, 4.5, object(), ["a"], {"a": 1}])
def test_odd_header_values_are_signature_errors_not_type_errors(odd: Any) -> None:
    with pytest.raises(nw.SignatureError):
        nw.verify_signature({"X-Toast-Webhook-Signature": odd}, SECRET)


def test_unsupported_header_container_is_a_signature_error() -> None:
    with pytest.raises(nw.SignatureError):
        nw.verify_signature(42, SECRET)  # type: ignore[arg-type]


def test_several_expected_signatures_allow_rotation() -> None:
    verify = nw.SignatureVerifier(["new-secret", "old-secret"])
    verify({"X-Toast-Webhook-Signature": "old-secret"})
    verify({"X-Toast-Webhook-Signature": "new-secret"})
    with pytest.raises(nw.SignatureError):
        verify({"X-Toast-Webhook-Signature": "older-secret"})


def test_bytes_and_str_signatures_are_interchangeable() -> None:
    nw.verify_signature({"X-Toast-Webhook-Signature": b"abc"}, "abc")
    nw.verify_signature({"X-Toast-Webhook-Signature": "abc"}, b"abc")


def test_non_ascii_signature_matches_whether_decoded_as_latin1_or_utf8() -> None:
    expected = "서명-비밀"
    as_wsgi = expected.encode("utf-8").decode("latin-1")  # what WSGI hands over
    nw.verify_signature({"X-Toast-Webhook-Signature": as_wsgi}, expected)
    nw.verify_signature({"X-Toast-Webhook-Signature": expected}, expected)


@pytest.mark.parametrize("bad", ["", "   ", [], b""])
def test_empty_configuration_is_rejected_at_construction(bad: Any) -> None:
    with pytest.raises(ValueError, match="signature"):
        nw.SignatureVerifier(bad)


@pytest.mark.parametrize("bad", [123, 1.5, object()])
def test_a_secret_that_is_not_text_names_its_type_at_construction(bad: Any) -> None:
    with pytest.raises(TypeError, match=f"must be str or bytes .*not {type(bad).__name__}$"):
        nw.SignatureVerifier(bad)
    with pytest.raises(TypeError, match="must be str or bytes"):
        nw.verify_signature({"X-Toast-Webhook-Signature": "x"}, bad)


def test_the_public_docs_name_the_renamed_header() -> None:
    for documented in (nw.SignatureVerifier, nw.verify_signature):
        assert "X-Nhn-Webhook-Signature" in (documented.__doc__ or "")


def test_verifier_repr_does_not_show_secrets() -> None:
    assert SECRET not in repr(nw.SignatureVerifier(SECRET))


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr("hmac.compare_digest", spy)
    nw.SignatureVerifier(["one", "two", "three"])(b"one")
    assert len(calls) == 3  # every candidate compared, even after a match


@given(st.one_of(st.text(), st.binary(), st.none(), st.integers()))
def test_any_header_value_is_a_pass_or_signature_error(value: Any) -> None:
    with contextlib.suppress(nw.SignatureError):
        nw.verify_signature({"X-Toast-Webhook-Signature": value}, SECRET)


def test_decode_verifies_then_decodes() -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    webhook = nw.decode(body, signature=SECRET, headers={"X-Toast-Webhook-Signature": SECRET})
    assert isinstance(webhook, nw.SmsUnsubscribe)


def test_decode_checks_the_signature_before_reading_the_body() -> None:
    with pytest.raises(nw.SignatureError):
        nw.decode(b"not even json", signature=SECRET, headers={})


def test_decode_accepts_a_prebuilt_verifier() -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    verify = nw.SignatureVerifier(SECRET)
    assert nw.decode(body, signature=verify, headers=SECRET.encode())


def test_decode_refuses_headers_without_a_signature() -> None:
    with pytest.raises(TypeError, match="signature"):
        nw.decode(b"{}", headers={"X-Toast-Webhook-Signature": SECRET})


# --- configuration mistakes are clear at construction, and never echo the secret ----


def test_an_unset_setting_is_a_clear_error_at_construction() -> None:
    with pytest.raises(TypeError, match=r"expected signature is None: is the setting"):
        nw.SignatureVerifier(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected signature is None"):
        nw.verify_signature({"X-Toast-Webhook-Signature": "x"}, None)  # type: ignore[arg-type]


def test_a_bytearray_secret_says_to_convert_it() -> None:
    with pytest.raises(TypeError, match=r"not bytearray: convert it with bytes\(\)") as caught:
        nw.SignatureVerifier(bytearray(SECRET.encode()))  # type: ignore[arg-type]
    assert SECRET not in str(caught.value)


def test_a_secret_with_a_lone_surrogate_is_a_clear_error_without_the_secret() -> None:
    secret = "s3cr3t\udcff"  # os.environ's surrogateescape form of a non-UTF-8 byte
    with pytest.raises(ValueError, match="lone surrogate") as caught:
        nw.SignatureVerifier(secret)
    assert "s3cr3t" not in str(caught.value)
    assert not isinstance(caught.value, UnicodeError)


# --- one rule for a header value, as str or as raw bytes ----------------------------

AWKWARD_VALUES = ["sig\xa0", "sig\x85", "\x85sig", "café", " sig\t"]
"""Whitespace str.strip() would strip and bytes.strip() keeps, and text beyond ASCII.
A control character such as "\x1c" (also str whitespace) is refused at configuration."""


def outcome(headers: Any, expected: str) -> bool:
    try:
        nw.verify_signature(headers, expected)
    except nw.SignatureError:
        return False
    return True


@pytest.mark.parametrize("value", AWKWARD_VALUES)
def test_str_and_raw_bytes_of_the_same_header_agree(value: str) -> None:
    raw = value.encode("latin-1")  # what the wire carries
    as_str = {"X-Toast-Webhook-Signature": raw.decode("latin-1")}  # WSGI/ASGI's decoding
    as_bytes = [(b"x-toast-webhook-signature", raw)]  # ASGI raw headers
    for expected in (value, value.strip(), value.strip(" \t")):
        assert outcome(as_str, expected) == outcome(as_bytes, expected), repr(expected)
    assert outcome(as_bytes, value)  # the exact configured value always passes


def test_unicode_whitespace_is_part_of_the_value() -> None:
    assert not outcome({"X-Toast-Webhook-Signature": "sig\xa0"}, "sig")
    assert not outcome([(b"x-toast-webhook-signature", b"sig\xa0")], "sig")


# --- the renamed header ----------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Nhn-Webhook-Signature": SECRET},
        {"x-nhn-webhook-signature": SECRET},
        {"HTTP_X_NHN_WEBHOOK_SIGNATURE": SECRET},
        WerkzeugStyleHeaders([("X-NHN-Webhook-Signature", SECRET)]),
        [(b"x-nhn-webhook-signature", SECRET.encode())],
    ],
    ids=["dict", "lower", "wsgi-environ", "werkzeug", "asgi-raw"],
)
def test_x_nhn_webhook_signature_is_read_when_nhns_documented_header_is_absent(
    headers: Any,
) -> None:
    nw.verify_signature(headers, SECRET)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Toast-Webhook-Signature": "wrong", "X-Nhn-Webhook-Signature": SECRET},
        {"X-Nhn-Webhook-Signature": SECRET, "X-Toast-Webhook-Signature": "wrong"},
        [(b"x-nhn-webhook-signature", SECRET.encode()), (b"x-toast-webhook-signature", b"wrong")],
        WerkzeugStyleHeaders(
            [("X-Nhn-Webhook-Signature", SECRET), ("X-Toast-Webhook-Signature", "wrong")]
        ),
    ],
    ids=["dict", "dict-reversed", "asgi-raw", "werkzeug"],
)
def test_both_headers_never_give_two_values_to_try(headers: Any) -> None:
    with pytest.raises(nw.SignatureError):
        nw.verify_signature(headers, SECRET)


@pytest.mark.parametrize("value", ["a\nb", "a\r\nb", "a\x00b", "a\x1bb", "a\x7fb", b"a\rb"])
def test_a_signature_no_header_can_carry_is_refused_at_configuration(value: str | bytes) -> None:
    with pytest.raises(ValueError, match="must be one line without control characters"):
        nw.SignatureVerifier(value)


@given(st.text(alphabet=st.characters(codec="latin-1"), min_size=1, max_size=12))
def test_the_verifier_and_send_apply_one_header_value_rule(value: str) -> None:
    # send --signature sends the value as given; the verifier first strips the ASCII
    # whitespace around it, as it strips the received header.
    from nhn_webhooks._cli._http import check_header_value

    stripped = value.strip(" \t\n\r\x0b\x0c")
    try:
        nw.SignatureVerifier(value)
    except ValueError as exc:
        refused: str | None = str(exc).removeprefix("an expected signature ")
    else:
        refused = None
    if not stripped:
        assert refused == "must not be empty"
        return
    sent = check_header_value(stripped)
    assert refused == (sent and sent.removeprefix("--signature "))


# --- secrets stay out of tracebacks ----------------------------------------------
# Error trackers (Sentry), debug pages (Django) and `pytest -l` show the local
# variables of every frame a failure passes through, as their repr.

PACKAGE = str(Path(nw.__file__).parent)
# No control characters: a configured value holding one is refused before any check.
secrets = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12).map(
    lambda text: f"NHN-SECRET-{text}"
)
configured_secrets = st.one_of(
    secrets,
    secrets.map(str.encode),
    st.lists(secrets | secrets.map(str.encode), min_size=1, max_size=3),  # a rotation
)
WRONG_HEADERS: list[Any] = [
    {"X-Toast-Webhook-Signature": "wrong"},
    {"X-Nhn-Webhook-Signature": "wrong"},
    [(b"x-nhn-webhook-signature", b"wrong")],
    {"Content-Type": "application/json"},  # no signature header at all
    None,
]
ENTRY_POINTS: dict[str, Callable[[Any, Any], object]] = {
    "verify_signature": lambda headers, secret: nw.verify_signature(headers, secret),
    "SignatureVerifier": lambda headers, secret: nw.SignatureVerifier(secret)(headers),
    "decode": lambda headers, secret: nw.decode(A_BODY, signature=secret, headers=headers),
    "decode_partial": lambda headers, secret: nw.decode_partial(
        A_BODY, signature=secret, headers=headers
    ),
    "decode with a verifier": lambda headers, secret: nw.decode(
        A_BODY, signature=nw.SignatureVerifier(secret), headers=headers
    ),
}
A_BODY = to_body(sample_dict("sms-unsubscribe"))


def forms(secret: str | bytes) -> tuple[str, bytes]:
    if isinstance(secret, bytes):
        return secret.decode(), secret
    return secret, secret.encode()


def shows(value: Any, text: str, raw: bytes) -> bool:
    """Whether ``value`` is or holds the secret, or shows it in its repr."""
    if isinstance(value, str):
        return text in value
    if isinstance(value, (bytes, bytearray)):
        return raw in value
    if isinstance(value, dict):
        return any(shows(item, text, raw) for pair in value.items() for item in pair)
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(shows(item, text, raw) for item in value)
    return text in repr(value)


def leaks(error: BaseException, secret: str | bytes, source: str = PACKAGE) -> list[str]:
    """Every place in ``error``, its chained errors and their frames in ``source`` (the
    library) where the secret shows."""
    text, raw = forms(secret)
    found = []
    chained: BaseException | None = error
    while chained is not None:
        if shows(chained.args, text, raw) or text in str(chained):
            found.append(f"{type(chained).__name__} message")
        traceback = chained.__traceback__
        while traceback is not None:
            frame = traceback.tb_frame
            if frame.f_code.co_filename.startswith(source):
                found.extend(
                    f"{frame.f_code.co_name}: {name}"
                    for name, value in frame.f_locals.items()
                    if shows(value, text, raw)
                )
            traceback = traceback.tb_next
        chained = chained.__cause__ or chained.__context__
    return found


@pytest.mark.parametrize("entry", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
@pytest.mark.parametrize("headers", WRONG_HEADERS)
@given(configured=configured_secrets)
def test_no_frame_a_signature_error_passes_through_holds_the_secret(
    entry: Callable[[Any, Any], object], headers: Any, configured: Any
) -> None:
    with pytest.raises(nw.SignatureError) as caught:
        entry(headers, configured)
    for secret in configured if isinstance(configured, list) else [configured]:
        assert leaks(caught.value, secret) == []


# A rotation where one value is mistyped: every call is a configuration error, never a
# SignatureError, and its frames must not hold the good value either.
MISTYPED: list[Any] = [
    "old\x1bsecret",  # a control character: no header can carry it
    "two\nlines",
    "old-surrogate\udcff",  # its UnicodeEncodeError's .object is the whole value
    "",
    b"  ",
    5,  # not text: TypeError
]


@pytest.mark.parametrize("entry", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
@pytest.mark.parametrize("mistyped", MISTYPED)
@given(good=secrets | secrets.map(str.encode), first=st.booleans())
def test_no_frame_a_configuration_error_passes_through_holds_a_secret(
    entry: Callable[[Any, Any], object], mistyped: Any, good: str | bytes, first: bool
) -> None:
    configured = [good, mistyped] if first else [mistyped, good]
    with pytest.raises((TypeError, ValueError)) as caught:
        entry({"X-Toast-Webhook-Signature": "wrong"}, configured)
    assert not isinstance(caught.value, nw.SignatureError)
    assert caught.value.__context__ is None
    assert leaks(caught.value, good) == []
    if isinstance(mistyped, str) and mistyped.strip() and mistyped.isascii():
        assert leaks(caught.value, mistyped) == []


def test_a_verifier_whose_configuration_failed_has_a_repr() -> None:
    half_built = nw.SignatureVerifier.__new__(nw.SignatureVerifier)
    assert repr(half_built) == "SignatureVerifier(<0 signature(s)>)"


def fails_holding(secret: str) -> None:
    expected = secret.encode()
    raise nw.SignatureError(f"{len(expected)} bytes")


def test_the_leak_check_finds_a_secret_in_a_local() -> None:
    with pytest.raises(nw.SignatureError) as caught:
        fails_holding("NHN-SECRET-x")
    found = leaks(caught.value, "NHN-SECRET-x", source=__file__)
    assert {"fails_holding: secret", "fails_holding: expected"} <= set(found)
