"""decode() and decode_partial(): one POST body in, one typed webhook out.

Two paths keep decoding cheap and exact:

- The fast path, here: guess the class from productName and event found in the raw
  text (or, in a run of bodies of one kind, take the class that held for the run),
  decode the whole body in one msgspec pass with that class's prebuilt decoder, and
  confirm that the decoded envelope names the same class (``_dispatch`` is the
  rule). No Python code runs per hook.
- The careful path (``_careful``), for everything else: bodies the guess misses,
  payloads needing repair, and every failure, which it reports with its JSON path.
  ``decode_partial`` is the same careful path, keeping the good hooks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeAlias

import msgspec

from ._dispatch import candidates
from ._errors import BodyTooLargeError
from ._models._base import Model
from ._models._envelope import Envelope, UnknownWebhook
from ._models._kakao import KakaoTemplateStatusUpdate
from ._models._registry import WEBHOOK_CLASSES, Webhook
from ._partial import HookFailure, PartialWebhook
from ._signature import Headers, SignatureVerifier, verifier_or_error

__all__ = [
    "Body",
    "HookFailure",
    "PartialWebhook",
    "Signature",
    "decode",
    "decode_partial",
]

Body: TypeAlias = bytes | bytearray | memoryview | str
"""A raw request body as web frameworks hand it over."""

Signature: TypeAlias = str | bytes | Iterable[str | bytes] | SignatureVerifier
"""The console signature(s) to check against, or a prebuilt :class:`SignatureVerifier`."""


class NoHeaders:
    """The type of ``headers=``'s default: no headers were passed at all.

    Not ``None``, which is a header value a caller may pass (``request.headers.get(...)``
    for a request without the header), and must then fail the signature check.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "<no headers>"


NO_HEADERS = NoHeaders()


def decode(
    body: Body,
    *,
    strict: bool = False,
    signature: Signature | None = None,
    headers: Headers | NoHeaders = NO_HEADERS,
    max_body_bytes: int | None = None,
    max_hooks: int | None = None,
) -> Webhook:
    """Decode the body of one NHN webhook POST into its typed class.

    ``body`` is the raw request body (bytes, bytearray, memoryview or str). Returns
    the class for the body's product and event (see :data:`Webhook`); a product or
    event this version does not model comes back as :class:`UnknownWebhook`, or
    raises :class:`UnknownEventError` when ``strict`` is true.

    Raises :class:`DecodeError` for anything that is not a well-formed webhook; its
    message names the JSON path (``$.hooks[3].recipientSeq: expected int, got "x"``)
    and is at most 402 characters long. No other exception escapes for any bytes or
    str.

    Keys the class does not read are checked for JSON syntax only and dropped, as
    msgspec skips them: invalid UTF-8 or a number Python cannot take (``1e400``)
    under such a key, or in its name, does not fail the body; in a value the class
    reads it does. The result depends on the body alone: not on earlier calls, the
    thread, or whether the body is bytes, bytearray, memoryview or str.

    With ``signature`` (the value set in the NHN console, several during a rotation,
    or a prebuilt :class:`SignatureVerifier`), ``headers`` are checked first and a
    missing or wrong ``X-Toast-Webhook-Signature`` raises :class:`SignatureError`
    before the body is read. Passing ``headers`` without ``signature`` is a TypeError,
    so a forgotten secret cannot silently skip the check; so is ``signature`` without
    ``headers``, which would otherwise fail every request as "header is missing".

    Limits, off by default: ``max_body_bytes`` rejects a larger body before parsing it
    (for a str body it counts characters); ``max_hooks`` rejects a POST carrying more
    hooks. Both raise DecodeError. A limit is a whole number of at least 1; anything
    else is a mistake in the caller's code, not in the body, and raises ``ValueError``
    (under 1) or ``TypeError`` (not an int) at once, whatever the body.

    Safe to call from any number of threads at once, from the very first call: every
    decoder is built while a single thread runs, when the package is imported (or,
    for bodies only the careful path reads, when that path is first imported).

    >>> webhook = decode(request_body, signature=SECRET, headers=request.headers)
    >>> match webhook:
    ...     case SmsMessageResultUpdate(hooks=hooks):
    ...         for hook in hooks:
    ...             save(hook.request_id, hook.recipient_seq, hook.message_status)
    """
    if max_body_bytes is not None or max_hooks is not None:
        _check_limits(max_body_bytes, max_hooks)
    if signature is not None or headers is not NO_HEADERS or max_body_bytes is not None:
        if signature is not None:  # the secret leaves this frame's locals before anything
            checked = verifier_or_error(signature)  # can raise: the check or a bad configuration
            signature = checked if isinstance(checked, SignatureVerifier) else None
            if isinstance(checked, Exception):
                raise checked
        check_request(body, signature, headers, max_body_bytes)
    if type(body) is not bytes and type(body) is not str:
        body = _exact(body)
    webhook: Webhook | None = _fast(body)
    if webhook is None:
        from ._careful import decode_carefully  # deferred: bodies the fast path takes never need it

        webhook = decode_carefully(body, strict, keep_good_hooks=False).webhook
    if max_hooks is not None:
        _check_hook_count(len(webhook.hooks), max_hooks)
    return webhook


def decode_partial(
    body: Body,
    *,
    strict: bool = False,
    signature: Signature | None = None,
    headers: Headers | NoHeaders = NO_HEADERS,
    max_body_bytes: int | None = None,
    max_hooks: int | None = None,
) -> PartialWebhook:
    """Like :func:`decode`, but one bad hook does not sink the batch.

    Returns every hook that decodes in ``webhook.hooks`` and, for each one that does
    not, a :class:`HookFailure` with its index, the DecodeError naming its path, and
    its raw JSON. Each good hook is exactly what :func:`decode` would give for it; of
    the classes a body's names allow (a KakaoTalk Bizmessage ``MESSAGE_RESULT_UPDATE``
    whose hooks carry ``templateCode`` may be a template update), the one that fits
    the most hooks is kept. A body whose envelope is wrong (not JSON, no ``hooksId``,
    ``hooks`` not a list, ...) still raises DecodeError: there is nothing to salvage.
    A body whose hooks all decode costs exactly what :func:`decode` costs; the
    per-hook work happens only after a failure, and stays linear in the body however
    many hooks fail. Keys no model reads are skipped as :func:`decode` skips them,
    and the result depends on the body alone, as there.

    >>> result = decode_partial(body)
    >>> process(result.webhook)
    >>> for failure in result.failures:
    ...     dead_letters.put(failure.raw, str(failure.error))
    """
    if max_body_bytes is not None or max_hooks is not None:
        _check_limits(max_body_bytes, max_hooks)
    if signature is not None or headers is not NO_HEADERS or max_body_bytes is not None:
        if signature is not None:  # the secret leaves this frame's locals before anything
            checked = verifier_or_error(signature)  # can raise: the check or a bad configuration
            signature = checked if isinstance(checked, SignatureVerifier) else None
            if isinstance(checked, Exception):
                raise checked
        check_request(body, signature, headers, max_body_bytes)
    if type(body) is not bytes and type(body) is not str:
        body = _exact(body)
    webhook = _fast(body)
    if webhook is None:
        from ._careful import decode_carefully  # deferred, as in decode()

        result = decode_carefully(body, strict, keep_good_hooks=True)
    else:
        result = PartialWebhook(webhook=webhook, failures=())
    if max_hooks is not None:
        _check_hook_count(len(result.webhook.hooks) + len(result.failures), max_hooks)
    return result


def check_request(
    body: Body,
    verify: SignatureVerifier | None,
    headers: Headers | NoHeaders,
    max_body_bytes: int | None,
) -> None:
    """The request checks before a body is read: signature, then size."""
    if verify is not None:
        if isinstance(headers, NoHeaders):
            # Without this, every request would fail as "header is missing", which
            # reads as the sender's fault rather than the call's.
            raise TypeError("signature= given without headers=: nothing to check it in")
        verify(headers)
    elif not isinstance(headers, NoHeaders):
        raise TypeError("headers= given without signature=: nothing to check them against")
    if max_body_bytes is not None:
        size = body.nbytes if isinstance(body, memoryview) else len(body)
        if size > max_body_bytes:
            raise BodyTooLargeError(
                "$", f"body of {size} bytes exceeds the limit of {max_body_bytes}"
            )


def _check_limits(max_body_bytes: object, max_hooks: object) -> None:
    """A limit that can never be met is a usage error, raised before the body is read:
    ``max_hooks=0`` would reject every POST, each as if NHN had sent too much."""
    for name, limit in (("max_body_bytes", max_body_bytes), ("max_hooks", max_hooks)):
        if limit is None:
            continue
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"{name} must be an int or None, not {type(limit).__name__}")
        if limit < 1:
            raise ValueError(f"{name} must be at least 1, got {limit}")


def _check_hook_count(count: int, max_hooks: int) -> None:
    if count > max_hooks:
        raise BodyTooLargeError("$.hooks", f"{count} hooks exceed the limit of {max_hooks}")


def _exact(body: Body) -> bytes | str:
    """``body`` as exactly ``bytes`` or ``str``: what the raw-text guess and msgspec read.

    A subclass (markupsafe's ``Markup``, Django's ``SafeString``) becomes its plain
    value; a bytearray or memoryview is copied to bytes.
    """
    if isinstance(body, str):
        return str.__str__(body)
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"body must be bytes or str, not {type(body).__name__}")


# --- fast path -------------------------------------------------------------------

_CLASSES: tuple[type[Model], ...] = (*WEBHOOK_CLASSES, UnknownWebhook)
_DECODERS: dict[type[Model], msgspec.json.Decoder[Any]] = {
    cls: msgspec.json.Decoder(cls) for cls in _CLASSES
}
"""One decoder per class, built at import (about 0.5 ms for all), which Python's import
lock keeps to one thread: msgspec builds a Struct's type information on first use and
can crash when several threads do so at once. Building every decoder here also builds
the type information the careful path (``msgspec.convert``) and ``encode`` use later."""


def _fast(body: bytes | str) -> Any:
    """The webhook, when the guess holds and the body decodes as sent; else None.

    Webhooks come in runs of one kind, so once two bodies in a row were guessed as
    the same class, that class is tried first, before searching the body for its
    names. The decoded envelope confirms it exactly as it confirms a guess, and the
    careful path reads any body this pass accepts to the same webhook (it skips the
    keys a class does not read just as this pass does), so trying it changes no
    result. A body of another kind costs a decode that stops where the
    other class's fields do not fit (no modelled class reads another's hooks), and
    ends the run: bodies that alternate kinds are guessed, as they were before.
    """
    global _last, _previous
    last = _last
    if last is not None:
        try:
            webhook = last.decoder.decode(body)
        except (msgspec.DecodeError, RecursionError, UnicodeError):
            pass
        else:
            if confirms(last, webhook):
                return webhook
        _last = None
    guessed = guess(body)
    if guessed is None or guessed is last:
        return None  # nothing to guess from, or the try above was this very guess
    try:
        webhook = guessed.decoder.decode(body)
    except (msgspec.DecodeError, RecursionError, UnicodeError):
        return None  # the careful path says what is wrong, or repairs it
    if not confirms(guessed, webhook):
        return None
    if guessed is _previous:
        _last = guessed
    _previous = guessed
    return webhook


class Guess(NamedTuple):
    """A likely class for a body, and the envelope names that led to it."""

    route: type[Envelope]
    decoder: msgspec.json.Decoder[Any]
    product_name: str
    event: str


_last: Guess | None = None
"""The class tried first: the guess that held for the last two guessed bodies.
Threads read and replace it (and ``_previous``) whole; a stale one costs only time."""
_previous: Guess | None = None
"""The guess that held for the last guessed body."""


_GUESSES: dict[tuple[Any, Any], Guess | None] = {}
_GUESSES_MAX = 1024  # distinct (productName, event) spellings remembered

_PRODUCT_BYTES = re.compile(rb'"productName"\s*:\s*"([^"\\]*)"')
_EVENT_BYTES = re.compile(rb'"event"\s*:\s*"([^"\\]*)"')
_PRODUCT_TEXT = re.compile(r'"productName"\s*:\s*"([^"\\]*)"')
_EVENT_TEXT = re.compile(r'"event"\s*:\s*"([^"\\]*)"')


def guess(body: bytes | str) -> Guess | None:
    """The class the body probably is, from productName/event found in the raw text.

    The search is naive (an escaped quote or a key inside a hook can fool it); the
    decoded envelope must confirm the guess, so being wrong only costs time. It reads
    only the two names: scanning a large body for anything else costs more than
    decoding it.
    """
    product: Any
    event: Any
    if isinstance(body, str):
        product, event = _PRODUCT_TEXT.search(body), _EVENT_TEXT.search(body)
    else:
        product, event = _PRODUCT_BYTES.search(body), _EVENT_BYTES.search(body)
    if product is None or event is None:
        return None
    key = (product[1], event[1])
    try:
        return _GUESSES[key]
    except KeyError:
        found = _names_guess(*key)
    if len(_GUESSES) < _GUESSES_MAX:
        _GUESSES[key] = found
    return found


def _names_guess(product: str | bytes, event: str | bytes) -> Guess | None:
    """The likely class for raw names: under KakaoTalk a template update unless the
    event is the documented message result (the hooks' shape is checked later)."""
    product_name = product if isinstance(product, str) else product.decode(errors="replace")
    event_name = event if isinstance(event, str) else event.decode(errors="replace")
    found = candidates(product_name, event_name, carries_template_code=True)
    if not found:
        return None
    return Guess(found[0], _DECODERS[found[0]], product_name, event_name)


def confirms(guess: Guess, webhook: Webhook) -> bool:
    """Whether the careful path would pick the class the fast path decoded to."""
    if guess.route is KakaoTemplateStatusUpdate and not webhook.hooks:
        return False  # the shape rule needs a hook that carried templateCode
    if webhook.product_name == guess.product_name and webhook.event == guess.event:
        return True  # the names the guess was made from: the usual case
    found = candidates(webhook.product_name, webhook.event, carries_template_code=True)
    return bool(found) and found[0] is guess.route
