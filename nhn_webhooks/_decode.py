"""decode(): one POST body in, one typed webhook out; and decode_partial().

Two paths keep decoding cheap and exact:

- The fast path guesses the class from productName and event in the raw bytes
  (``_dispatch``), decodes the whole body in one msgspec pass with that class's
  decoder, and checks that the decoded envelope names the same class.
- The careful path (``_careful``) runs when the fast one cannot be sure or the
  payload needs repair, and reports any failure with its JSON path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias

import msgspec

from ._careful import convert, decode_carefully, parse_object, repair, targets
from ._common import UnknownWebhook
from ._dispatch import Webhook, confirms, guess
from ._errors import DecodeError
from ._model import hook_type, wire_plan
from ._signature import Headers, SignatureVerifier

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


def decode(
    body: Body,
    *,
    strict: bool = False,
    signature: Signature | None = None,
    headers: Headers = None,
    max_body_bytes: int | None = None,
    max_hooks: int | None = None,
) -> Webhook:
    """Decode the body of one NHN webhook POST into its typed class.

    ``body`` is the raw request body (bytes, bytearray, memoryview or str). Returns
    the class for the body's product and event (see :data:`Webhook`); a product or
    event this version does not model comes back as :class:`UnknownWebhook`, or
    raises :class:`UnknownEventError` when ``strict`` is true.

    Raises :class:`DecodeError` for anything that is not a well-formed webhook; its
    message names the JSON path (``$.hooks[3].recipientSeq: expected int, got "x"``).
    No other exception escapes for any bytes or str.

    With ``signature`` (the value set in the NHN console, several during a rotation,
    or a prebuilt :class:`SignatureVerifier`), ``headers`` are checked first and a
    missing or wrong ``X-Toast-Webhook-Signature`` raises :class:`SignatureError`
    before the body is read. Passing ``headers`` without ``signature`` is a TypeError,
    so a forgotten secret cannot silently skip the check.

    Limits, off by default: ``max_body_bytes`` rejects a larger body before parsing it
    (for a str body it counts characters); ``max_hooks`` rejects a POST carrying more
    hooks. Both raise DecodeError.

    Safe to call from any number of threads at once, from the very first call: every
    decoder is built when the package is imported.

    >>> webhook = decode(request_body, signature=SECRET, headers=request.headers)
    >>> match webhook:
    ...     case SmsMessageResultUpdate(hooks=hooks):
    ...         for hook in hooks:
    ...             save(hook.request_id, hook.recipient_seq, hook.message_status)
    """
    if signature is not None or headers is not None or max_body_bytes is not None:
        _check_request(body, signature, headers, max_body_bytes)
    webhook = _decode_body(body, strict)
    if max_hooks is not None:
        _check_hook_count(len(webhook.hooks), max_hooks)
    return webhook


class HookFailure(msgspec.Struct, frozen=True, kw_only=True):
    """One hook :func:`decode_partial` could not decode."""

    index: int
    """Its position in the POST's ``hooks`` list."""
    error: DecodeError
    """Why, with the JSON path (``$.hooks[3].recipientSeq``)."""
    raw: bytes
    """The hook's JSON exactly as received, to store or retry later."""


class PartialWebhook(msgspec.Struct, frozen=True, kw_only=True):
    """What :func:`decode_partial` returns: the good hooks, and the bad ones set aside."""

    webhook: Webhook
    """The webhook holding every hook that decoded, in their original order."""
    failures: tuple[HookFailure, ...]
    """One entry per hook that did not decode; empty when all did."""

    @property
    def ok(self) -> bool:
        """True when every hook decoded."""
        return not self.failures


def decode_partial(
    body: Body,
    *,
    strict: bool = False,
    signature: Signature | None = None,
    headers: Headers = None,
    max_body_bytes: int | None = None,
    max_hooks: int | None = None,
) -> PartialWebhook:
    """Like :func:`decode`, but one bad hook does not sink the batch.

    Returns every hook that decodes in ``webhook.hooks`` and, for each one that does
    not, a :class:`HookFailure` with its index, the DecodeError naming its path, and
    its raw JSON. A body whose envelope is wrong (not JSON, no ``hooksId``, ``hooks``
    not a list, ...) still raises DecodeError: there is nothing to salvage. A body
    whose hooks all decode costs exactly what :func:`decode` costs; the per-hook
    work happens only after a failure.

    >>> result = decode_partial(body)
    >>> process(result.webhook)
    >>> for failure in result.failures:
    ...     dead_letters.put(failure.raw, str(failure.error))
    """
    if signature is not None or headers is not None or max_body_bytes is not None:
        _check_request(body, signature, headers, max_body_bytes)
    try:
        result = PartialWebhook(webhook=_decode_body(body, strict), failures=())
    except DecodeError as exc:
        if not exc.path.startswith("$.hooks["):
            raise
        result = _salvage(body, strict)
    if max_hooks is not None:
        _check_hook_count(len(result.webhook.hooks) + len(result.failures), max_hooks)
    return result


def _check_request(
    body: Body, signature: Signature | None, headers: Headers, max_body_bytes: int | None
) -> None:
    if signature is not None:
        verify = (
            signature if isinstance(signature, SignatureVerifier) else SignatureVerifier(signature)
        )
        verify(headers)
    elif headers is not None:
        raise TypeError("headers= given without signature=: nothing to check them against")
    if max_body_bytes is not None:
        size = body.nbytes if isinstance(body, memoryview) else len(body)
        if size > max_body_bytes:
            raise DecodeError("$", f"body of {size} bytes exceeds the limit of {max_body_bytes}")


def _check_hook_count(count: int, max_hooks: int) -> None:
    if count > max_hooks:
        raise DecodeError("$.hooks", f"{count} hooks exceed the limit of {max_hooks}")


def _decode_body(body: Body, strict: bool) -> Webhook:
    """decode() without the request checks: the fast path, else the careful one."""
    if not isinstance(body, (bytes, str)):
        if not isinstance(body, (bytearray, memoryview)):
            raise TypeError(f"body must be bytes or str, not {type(body).__name__}")
        body = bytes(body)  # the raw-text guess needs hashable slices of real bytes
    try:
        guessed = guess(body)
        if guessed is not None:
            try:
                webhook: Webhook = guessed.decoder.decode(body)
            except msgspec.ValidationError:
                pass  # valid JSON the fast path cannot take as is: go careful
            else:
                if confirms(guessed, webhook):
                    return webhook
        return decode_carefully(body, strict)
    except msgspec.DecodeError as exc:
        detail = str(exc).removeprefix("JSON is malformed: ")
        raise DecodeError("$", f"malformed JSON: {detail}") from exc
    except RecursionError as exc:
        raise DecodeError("$", "JSON nested too deeply") from exc
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise DecodeError("$", f"body is not valid UTF-8 ({exc.reason})") from exc


class _RawHooks(msgspec.Struct):
    hooks: list[msgspec.Raw]


_RAW_HOOKS = msgspec.json.Decoder(_RawHooks)


def _salvage(body: Body, strict: bool) -> PartialWebhook:
    """Decode hook by hook after a failure, setting the bad ones aside.

    Hooks are decoded as the most likely class for the envelope's names and shape.
    """
    if isinstance(body, memoryview):
        body = body.tobytes()
    tree = parse_object(body)
    target = targets(tree, strict)[0]
    hooks = tree["hooks"]  # the failure was inside hooks[...], so it is a list
    tree["hooks"] = []
    plan = None
    if target is not UnknownWebhook:
        repair(tree, wire_plan(target), "$")
        plan = wire_plan(target).children["hooks"]
    envelope = convert(tree, target)
    raw_hooks = _RAW_HOOKS.decode(body).hooks
    good: list[Any] = []
    failures: list[HookFailure] = []
    for index, (hook, raw) in enumerate(zip(hooks, raw_hooks, strict=True)):
        path = f"$.hooks[{index}]"
        try:
            if plan is not None and isinstance(hook, dict):
                repair(hook, plan, path)
            good.append(convert(hook, hook_type(target), path))
        except DecodeError as exc:
            failures.append(HookFailure(index=index, error=exc, raw=bytes(raw)))
    webhook = msgspec.structs.replace(envelope, hooks=good)
    return PartialWebhook(webhook=webhook, failures=tuple(failures))
