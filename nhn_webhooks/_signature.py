"""The X-Toast-Webhook-Signature check.

NHN sends, in this header, the signature string typed into the console when the
webhook was registered: a shared secret echoed verbatim, not an HMAC of the body. The
check therefore proves the sender knows the secret. It proves neither that the body is
intact nor that it is fresh (a captured request can be replayed): HTTPS protects the
body in transit, and an idempotency key (``hooksId``/``hookId``) stops replays and
repeats from being processed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from ._errors import SignatureError

__all__ = ["SIGNATURE_HEADER", "Headers", "SignatureVerifier", "verify_signature"]

SIGNATURE_HEADER = "X-Toast-Webhook-Signature"
"""The header NHN puts the console's signature string in."""

Headers: TypeAlias = (
    Mapping[str, Any] | Iterable[tuple[str | bytes, str | bytes]] | str | bytes | None
)
"""Where the signature is read from: a headers mapping (dict, Starlette, Werkzeug,
Django ``request.headers`` or ``request.META``), a list of ``(name, value)`` pairs (ASGI
raw headers included), or the header value itself. ``None`` means no header."""

_LOWER = SIGNATURE_HEADER.lower()
_LOWER_BYTES = _LOWER.encode()
_WSGI_KEY = "HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_")


class SignatureVerifier:
    """Checks the header against one or more configured signatures.

    Configure it once, at start-up, with the signature set in the NHN console; give it
    several to rotate the console value without downtime (accept old and new, change
    the console, then drop the old)::

        verify = SignatureVerifier(["new-secret", "old-secret"])
        verify(request.headers)   # raises SignatureError unless one matches

    Comparison is constant-time per candidate and every candidate is compared, so the
    time taken does not reveal which one matched. Error messages never contain the
    configured signatures or the received value.
    """

    __slots__ = ("_expected",)

    def __init__(self, expected: str | bytes | Iterable[str | bytes]) -> None:
        candidates = [expected] if isinstance(expected, (str, bytes)) else list(expected)
        if not candidates:
            raise ValueError("at least one expected signature is required")
        self._expected = tuple(_configured(candidate) for candidate in candidates)

    def __repr__(self) -> str:
        return f"SignatureVerifier(<{len(self._expected)} signature(s)>)"

    def __call__(self, headers: Headers) -> None:
        """Raise :class:`SignatureError` unless the header matches a configured value."""
        import hmac  # deferred: hashlib costs milliseconds at import, and most
        # processes import this package long before the first webhook arrives

        matched = False
        for received in _received(headers):
            for expected in self._expected:
                matched |= hmac.compare_digest(received, expected)
        if not matched:
            raise SignatureError(f"{SIGNATURE_HEADER} does not match the configured signature")


def verify_signature(headers: Headers, expected: str | bytes | Iterable[str | bytes]) -> None:
    """Check the ``X-Toast-Webhook-Signature`` header; raise :class:`SignatureError` if wrong.

    ``headers`` is a headers mapping, a list of ``(name, value)`` pairs, or the header
    value itself (see :data:`Headers`); ``expected`` is the signature set in the NHN
    console, or several to accept during a rotation. For a hot endpoint build a
    :class:`SignatureVerifier` once instead.

    >>> verify_signature(request.headers, settings.NHN_WEBHOOK_SIGNATURE)
    """
    SignatureVerifier(expected)(headers)


def _configured(value: object) -> bytes:
    """A configured signature as bytes; a bad configuration is a ValueError."""
    if isinstance(value, str):
        value = value.strip().encode("utf-8")
    elif isinstance(value, bytes):
        value = value.strip()
    else:
        raise TypeError(f"expected signature must be str or bytes, not {type(value).__name__}")
    if not value:
        raise ValueError("an expected signature must not be empty")
    return value


def _received(headers: Headers) -> tuple[bytes, ...]:
    """The header's value as stripped bytes, or SignatureError if absent or not text.

    A str value may be what the framework decoded from the raw bytes as Latin-1 (WSGI
    and ASGI both do) or real text, so both byte forms are candidates.
    """
    value = _find(headers)
    if value is None:
        raise SignatureError(f"{SIGNATURE_HEADER} header is missing")
    if isinstance(value, bytes):
        forms: tuple[bytes, ...] = (value.strip(),)
    elif isinstance(value, str):
        forms = tuple(
            value.strip().encode(codec, "strict")
            for codec in ("latin-1", "utf-8")
            if _encodes(value, codec)
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
    for key in (SIGNATURE_HEADER, _LOWER, _WSGI_KEY):
        value = headers.get(key)
        if value is not None:
            return value
    items = getattr(headers, "items", None)
    if items is None:
        return None
    for key, value in items():  # a plain dict with another capitalisation
        if _is_signature_name(key):
            return value
    return None


def _from_pairs(pairs: Iterable[object]) -> object:
    for pair in pairs:
        if isinstance(pair, (tuple, list)) and len(pair) == 2 and _is_signature_name(pair[0]):
            return pair[1]
    return None


def _is_signature_name(name: object) -> bool:
    if isinstance(name, str):
        return name.lower() == _LOWER
    if isinstance(name, bytes):
        return name.lower() == _LOWER_BYTES
    return False
