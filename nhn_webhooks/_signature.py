"""The X-Toast-Webhook-Signature check.

NHN sends, in this header, the signature string typed into the console when the
webhook was registered: a shared secret echoed verbatim, not an HMAC of the body. The
check therefore proves the sender knows the secret. It proves neither that the body is
intact nor that it is fresh (a captured request can be replayed): HTTPS protects the
body in transit, and an idempotency key (``hooksId``/``hookId``) stops replays and
repeats from being processed twice.

NHN's documentation names only ``X-Toast-Webhook-Signature`` (NHN Cloud was called
TOAST), and the one real request captured in public carries only that. No NHN
document, in any language or version, names ``X-Nhn-Webhook-Signature``; two public
receivers written against NHN Cloud accept it as well, and that is all that is known.
It is read too, but only when ``X-Toast-Webhook-Signature`` is absent: a request
never gets two values to try.

One rule for a header value, whatever form the framework hands over: ``bytes`` are
read as Latin-1 (as WSGI and ASGI servers decode them), and only ASCII whitespace
around the value is ignored (a value ending in a no-break space keeps it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, TypeAlias

from ._errors import SignatureError

__all__ = [
    "SIGNATURE_HEADER",
    "Headers",
    "SignatureVerifier",
    "header_value_problem",
    "verifier_for",
    "verifier_or_error",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Toast-Webhook-Signature"
"""The header NHN puts the console's signature string in."""

Headers: TypeAlias = (
    Mapping[str, Any] | Iterable[tuple[str | bytes, str | bytes]] | str | bytes | None
)
"""Where the signature is read from: a headers mapping (dict, Starlette, Werkzeug,
Django ``request.headers`` or ``request.META``), a list of ``(name, value)`` pairs (ASGI
raw headers included), or the header value itself. ``None`` means no header."""

_RENAMED_HEADER = "X-Nhn-Webhook-Signature"
"""Read only when SIGNATURE_HEADER is absent (see the module docstring)."""

_WHITESPACE = " \t\n\r\x0b\x0c"
"""What ``bytes.strip()`` strips: ASCII whitespace. ``str.strip()`` would also strip
Unicode whitespace (``\xa0``, ``\x1c``, ``\x85``) and the two forms would disagree."""


_CONTROL = frozenset(map(chr, [*range(0x20), 0x7F])) - {"\t"}
"""The characters no header value can hold: line breaks, NUL and the other controls."""


class _Names(NamedTuple):
    """The spellings of one header name in the containers frameworks hand over."""

    title: str
    lower: str
    lower_bytes: bytes
    wsgi: str

    @classmethod
    def of(cls, name: str) -> _Names:
        return cls(
            name, name.lower(), name.lower().encode(), "HTTP_" + name.upper().replace("-", "_")
        )


_HEADER_NAMES = (_Names.of(SIGNATURE_HEADER), _Names.of(_RENAMED_HEADER))


class SignatureVerifier:
    """Checks the header against one or more configured signatures.

    Configure it once, at start-up, with the signature set in the NHN console; give it
    several to rotate the console value without downtime (accept old and new, change
    the console, then drop the old)::

        verify = SignatureVerifier(["new-secret", "old-secret"])
        verify(request.headers)   # raises SignatureError unless one matches

    The value is read from ``X-Toast-Webhook-Signature``, the header NHN's docs name;
    when a request does not carry it, from ``X-Nhn-Webhook-Signature``, a name no NHN
    document gives but two public receivers accept (never both, so a request cannot
    offer two values to try). NHN's KakaoTalk and Email cURL samples also send an
    ``X-Secret-Key`` header, most likely copied by mistake, like the sample's
    signature value; nothing says a webhook carries it, and it is not read.

    A configured value no HTTP header can carry (a line break or another control
    character, once the whitespace around it is stripped) is a ``ValueError`` here, at
    start-up, rather than a signature no request could ever match.

    Comparison is constant-time per candidate and every candidate is compared, so the
    time taken does not reveal which one matched. Error messages never contain the
    configured signatures or the received value, and no local variable of a frame a
    :class:`SignatureError` passes through holds a configured signature (what error
    trackers and debug pages show); the verifier keeps them in a private slot, and its
    repr shows only how many there are.
    """

    __slots__ = ("_expected",)

    def __init__(self, expected: str | bytes | Iterable[str | bytes]) -> None:
        # Checked in a frame that has ended before anything is raised, and the secret
        # leaves this frame's locals first, as in __call__: a configuration error's
        # traceback holds no configured signature either.
        configured = _configured_all(expected)
        del expected
        if isinstance(configured, Exception):
            raise configured
        self._expected = configured

    def __repr__(self) -> str:
        # getattr: a verifier whose configuration failed has no _expected, and a
        # debug page showing the frame that raised still calls this.
        return f"SignatureVerifier(<{len(getattr(self, '_expected', ()))} signature(s)>)"

    def __call__(self, headers: Headers) -> None:
        """Raise :class:`SignatureError` unless the header matches a configured value."""
        # The comparison runs in a frame that has ended when the error is raised, so no
        # frame of its traceback holds a configured signature in a local variable.
        if not _matches(_received(headers), self._expected):
            raise SignatureError(f"{SIGNATURE_HEADER} does not match the configured signature")


def verify_signature(headers: Headers, expected: str | bytes | Iterable[str | bytes]) -> None:
    """Check the ``X-Toast-Webhook-Signature`` header; raise :class:`SignatureError` if wrong.

    ``headers`` is a headers mapping, a list of ``(name, value)`` pairs, or the header
    value itself (see :data:`Headers`); ``expected`` is the signature set in the NHN
    console, or several to accept during a rotation. ``X-Nhn-Webhook-Signature`` is
    read instead when ``X-Toast-Webhook-Signature`` is absent. For a hot endpoint build a
    :class:`SignatureVerifier` once instead.

    >>> verify_signature(request.headers, settings.NHN_WEBHOOK_SIGNATURE)
    """
    verify = verifier_or_error(expected)
    del expected  # out of this frame's locals before the check or a bad configuration raises
    if isinstance(verify, Exception):
        raise verify
    verify(headers)


def verifier_for(
    signature: str | bytes | Iterable[str | bytes] | SignatureVerifier,
) -> SignatureVerifier:
    """``signature`` itself when it is a verifier already, else a verifier built on it.

    Callers rebind their own variable to the result before verifying, so the secret is
    not a local of their frame when :class:`SignatureError` passes through it; a caller
    that must also keep it out of a configuration error's frames uses
    :func:`verifier_or_error`.
    """
    verifier = verifier_or_error(signature)
    del signature
    if isinstance(verifier, Exception):
        raise verifier
    return verifier


def verifier_or_error(
    signature: str | bytes | Iterable[str | bytes] | SignatureVerifier,
) -> SignatureVerifier | Exception:
    """Like :func:`verifier_for`, with a configuration error returned instead of raised.

    The error comes back with no traceback: the frames that held the secret while it
    was checked have ended, so the caller can rebind its own variable to the result
    and then raise the error, and no frame of that error's traceback holds the secret.
    """
    if isinstance(signature, SignatureVerifier):
        return signature
    try:
        return SignatureVerifier(signature)
    except (TypeError, ValueError) as error:
        return error.with_traceback(None)


def _configured_all(expected: object) -> tuple[bytes, ...] | Exception:
    """Every configured signature as bytes, or the configuration error, built afresh:
    no traceback, no chained error (a UnicodeEncodeError's ``object`` is the whole
    secret), and its message never holds a configured value."""
    try:
        return _configured_many(expected)
    except (TypeError, ValueError) as error:
        return type(error)(*error.args)


def _configured_many(expected: object) -> tuple[bytes, ...]:
    if expected is None:
        raise TypeError(
            "expected signature is None: is the setting (environment variable) "
            "holding the console's signature set?"
        )
    if isinstance(expected, (bytearray, memoryview)):
        raise TypeError(
            f"expected signature must be str or bytes, not {type(expected).__name__}: "
            "convert it with bytes()"
        )
    if not isinstance(expected, (str, bytes, Iterable)):
        raise TypeError(
            f"expected signature must be str or bytes (or several of them), "
            f"not {type(expected).__name__}"
        )
    candidates = [expected] if isinstance(expected, (str, bytes)) else list(expected)
    if not candidates:
        raise ValueError("at least one expected signature is required")
    return tuple(_configured(candidate) for candidate in candidates)


def _matches(received: tuple[bytes, ...], configured: tuple[bytes, ...]) -> bool:
    """Whether any received form equals any configured signature, comparing every pair
    (so the time taken does not tell which one matched)."""
    import hmac  # deferred: hashlib costs milliseconds at import, and most
    # processes import this package long before the first webhook arrives

    matched = False
    for form in received:
        for expected in configured:
            matched |= hmac.compare_digest(form, expected)
    return matched


def _configured(value: object) -> bytes:
    """A configured signature as bytes; a bad configuration is a ValueError."""
    if isinstance(value, str):
        try:
            value = value.strip(_WHITESPACE).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(
                "an expected signature is not valid text: it holds a lone surrogate "
                "(was it decoded with errors='surrogateescape'?)"
            ) from None
    elif isinstance(value, bytes):
        value = value.strip(_WHITESPACE.encode())
    else:
        raise TypeError(f"expected signature must be str or bytes, not {type(value).__name__}")
    if not value:
        raise ValueError("an expected signature must not be empty")
    problem = header_value_problem(value.decode("latin-1"))
    if problem:  # no request could ever match it
        raise ValueError(f"an expected signature {problem}")
    return value


def header_value_problem(value: str) -> str | None:
    """Why ``value`` can never travel in an HTTP header, or None if it can.

    A header value is one line without control characters (RFC 9110 field-value: tab
    is the only one allowed). One rule for the signature ``nhn-webhooks send
    --signature`` sends and for those a :class:`SignatureVerifier` expects (checked
    once their surrounding whitespace is stripped, as it is from the received value).
    """
    if any(character in _CONTROL for character in value):
        return "must be one line without control characters (an HTTP header value)"
    return None


def _received(headers: Headers) -> tuple[bytes, ...]:
    """The header's value as stripped bytes, or SignatureError if absent or not text.

    A str value may be what the framework decoded from the raw bytes as Latin-1 (WSGI
    and ASGI both do) or real text, so both byte forms are candidates. Raw bytes are
    read as Latin-1 first, so they give the same candidates as the str a framework
    would have made of them.
    """
    value = _find(headers)
    if value is None:
        raise SignatureError(f"{SIGNATURE_HEADER} header is missing")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, str):
        value = value.strip(_WHITESPACE)
        forms: tuple[bytes, ...] = tuple(
            dict.fromkeys(  # one form for ASCII, where both agree
                value.encode(codec, "strict")
                for codec in ("latin-1", "utf-8")
                if _encodes(value, codec)
            )
        )
    else:
        raise SignatureError(f"{SIGNATURE_HEADER} is not text")
    if not forms or not forms[0]:
        raise SignatureError(f"{SIGNATURE_HEADER} header is empty or not valid text")
    return forms


def _encodes(value: str, codec: str) -> bool:
    try:
        value.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _find(headers: Headers) -> object:
    """The raw header value from any supported container, or None."""
    if headers is None or isinstance(headers, (str, bytes)):
        return headers
    if isinstance(headers, Mapping) or hasattr(headers, "get"):
        return _from_mapping(headers)
    try:
        pairs = iter(headers)
    except TypeError:
        raise SignatureError("headers must be a mapping, (name, value) pairs or a value") from None
    return _from_pairs(pairs)


def _from_mapping(headers: Any) -> object:
    for names in _HEADER_NAMES:  # the renamed header only when NHN's own is absent
        value = _one_from_mapping(headers, names)
        if value is not None:
            return value
    return None


def _one_from_mapping(headers: Any, names: _Names) -> object:
    for key in (names.title, names.lower, names.wsgi):
        value = headers.get(key)
        if value is not None:
            return value
    items = getattr(headers, "items", None)
    if items is None:
        return None
    for key, value in items():  # a plain dict with another capitalisation
        if _is_name(key, names):
            return value
    return None


def _from_pairs(pairs: Iterable[object]) -> object:
    found: list[object] = [None] * len(_HEADER_NAMES)
    for pair in pairs:
        if isinstance(pair, (tuple, list)) and len(pair) == 2:
            for index, names in enumerate(_HEADER_NAMES):
                if found[index] is None and _is_name(pair[0], names):
                    found[index] = pair[1]
    return next((value for value in found if value is not None), None)


def _is_name(name: object, names: _Names) -> bool:
    if isinstance(name, str):
        return name.lower() == names.lower
    if isinstance(name, bytes):
        return name.lower() == names.lower_bytes
    return False
