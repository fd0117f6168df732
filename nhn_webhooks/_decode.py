"""decode(): one POST body in, one typed webhook out.

Which class a body decodes to depends on the envelope's productName and event, which
sit beside the hooks rather than inside them, so msgspec's tagged unions cannot pick
it. Two paths keep that cheap and exact:

- The fast path reads productName and event straight from the bytes with a regex
  (NHN puts them before the hooks), decodes the whole body in one msgspec pass with
  the decoder prebuilt for that class, then checks that the decoded envelope names the
  same class. A wrong guess only costs time; it can never change the result.
- The careful path runs when the fast one cannot be sure or the payload needs repair:
  it parses the JSON to Python objects, classifies it, fixes what msgspec cannot read
  (timestamps such as ``2023-06-01`` or ``""``, misspelled required keys), converts it
  to the class, and turns any failure into a DecodeError naming the JSON path.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeAlias

import msgspec

from ._common import Envelope, UnknownWebhook
from ._email import EmailMessageResultUpdate, EmailUnsubscribe
from ._errors import DecodeError, UnknownEventError
from ._kakao import KakaoMessageResultUpdate, KakaoTemplateStatusUpdate
from ._model import Model, WirePlan, wire_plan
from ._quirks import DIGITS
from ._signature import Headers, SignatureVerifier
from ._sms import (
    SmsConversionBlock,
    SmsInternationalDeliveryReceipt,
    SmsMessageResultUpdate,
    SmsUnsubscribe,
)
from ._timestamps import parse

__all__ = [
    "WEBHOOK_CLASSES",
    "Body",
    "HookFailure",
    "PartialWebhook",
    "Signature",
    "Webhook",
    "classify",
    "decode",
    "decode_partial",
]

Webhook: TypeAlias = (
    SmsUnsubscribe
    | SmsMessageResultUpdate
    | SmsConversionBlock
    | SmsInternationalDeliveryReceipt
    | KakaoTemplateStatusUpdate
    | KakaoMessageResultUpdate
    | EmailUnsubscribe
    | EmailMessageResultUpdate
    | UnknownWebhook
)
"""Everything :func:`decode` returns: one class per (product, event), or UnknownWebhook.

``match`` on it (or ``isinstance``) and mypy narrows to the class and its hooks.
"""

Body: TypeAlias = bytes | bytearray | memoryview | str
"""A raw request body as web frameworks hand it over."""

Signature: TypeAlias = str | bytes | Iterable[str | bytes] | SignatureVerifier
"""The console signature(s) to check against, or a prebuilt :class:`SignatureVerifier`."""

WEBHOOK_CLASSES: tuple[type[Envelope], ...] = (
    SmsUnsubscribe,
    SmsMessageResultUpdate,
    SmsConversionBlock,
    SmsInternationalDeliveryReceipt,
    KakaoTemplateStatusUpdate,
    KakaoMessageResultUpdate,
    EmailUnsubscribe,
    EmailMessageResultUpdate,
)
"""Every modelled (product, event) class, in NHN's documentation order."""


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
        guess = _guess(body)
        if guess is not None:
            try:
                webhook: Webhook = guess.decoder.decode(body)
            except msgspec.ValidationError:
                pass  # valid JSON the fast path cannot take as is: go careful
            else:
                if _confirms(guess, webhook):
                    return webhook
        return _decode_carefully(body, strict)
    except msgspec.DecodeError as exc:
        detail = str(exc).removeprefix("JSON is malformed: ")
        raise DecodeError("$", f"malformed JSON: {detail}") from exc
    except RecursionError as exc:
        raise DecodeError("$", "JSON nested too deeply") from exc
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise DecodeError("$", f"body is not valid UTF-8 ({exc.reason})") from exc


def classify(
    product_name: object, event: object, carries_template_code: bool
) -> type[Envelope] | None:
    """The class for an envelope's productName and event, or None if not modelled.

    Names match ignoring case, spaces, hyphens and underscores (``Sms``, ``E-mail``).
    NHN never documented the name of the KakaoTalk Bizmessage template event, so
    under that product any other event whose hooks carry ``templateCode`` is a
    template status update. ``MESSAGE_RESULT_UPDATE`` is always a message result
    first (AlimTalk results may one day carry a template code too); should its hooks
    not fit, a body whose hooks carry ``templateCode`` is tried as a template update.
    """
    candidates = _candidates(product_name, event, carries_template_code)
    return candidates[0] if candidates else None


def _candidates(
    product_name: object, event: object, carries_template_code: bool
) -> tuple[type[Envelope], ...]:
    """The classes to try, in order, for an envelope's names and hook shape."""
    if not isinstance(product_name, str):
        return ()
    product = _fold(product_name)
    folded_event = _fold(event) if isinstance(event, str) else None
    if product == _KAKAO:
        found: tuple[type[Envelope], ...] = ()
        if folded_event == _KAKAO_RESULT_EVENT:
            found = (KakaoMessageResultUpdate,)
        if carries_template_code:
            found += (KakaoTemplateStatusUpdate,)
        return found
    cls = _DOCUMENTED.get((product, folded_event or ""))
    return () if cls is None else (cls,)


# --- names -----------------------------------------------------------------------


def _fold(name: str) -> str:
    return "".join(name.split()).replace("-", "").replace("_", "").casefold()


_DOCUMENTED: dict[tuple[str, str], type[Envelope]] = {
    (_fold(cls.PRODUCT_NAME), _fold(cls.EVENT)): cls
    for cls in WEBHOOK_CLASSES
    if cls.EVENT is not None
}
_KAKAO = _fold(KakaoTemplateStatusUpdate.PRODUCT_NAME)
_KAKAO_RESULT_EVENT = _fold(KakaoMessageResultUpdate.EVENT or "")


# --- fast path -------------------------------------------------------------------

_DECODERS: dict[type[Envelope], msgspec.json.Decoder[Any]] = {}
"""One decoder per class, built on first use (not at import: import time is budgeted)."""


def _decoder(cls: type[Envelope]) -> msgspec.json.Decoder[Any]:
    decoder = _DECODERS.get(cls)
    if decoder is None:
        decoder = _DECODERS[cls] = msgspec.json.Decoder(cls)
    return decoder


class _Guess(NamedTuple):
    """A likely class for a body, and the envelope names that led to it."""

    route: type[Envelope]
    decoder: msgspec.json.Decoder[Any]
    product_name: str
    event: str


_GUESSES: dict[tuple[Any, Any], _Guess | None] = {}
_GUESSES_MAX = 1024  # distinct (productName, event) spellings remembered

_PRODUCT_BYTES = re.compile(rb'"productName"\s*:\s*"([^"\\]*)"')
_EVENT_BYTES = re.compile(rb'"event"\s*:\s*"([^"\\]*)"')
_PRODUCT_TEXT = re.compile(r'"productName"\s*:\s*"([^"\\]*)"')
_EVENT_TEXT = re.compile(r'"event"\s*:\s*"([^"\\]*)"')


def _guess(body: Any) -> _Guess | None:
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
        guess = _names_guess(*key)
    if len(_GUESSES) < _GUESSES_MAX:
        _GUESSES[key] = guess
    return guess


def _names_guess(product: str | bytes, event: str | bytes) -> _Guess | None:
    """The likely class for raw names: under KakaoTalk a template update unless the
    event is the documented message result (the hooks' shape is checked later)."""
    product_name = product if isinstance(product, str) else product.decode(errors="replace")
    event_name = event if isinstance(event, str) else event.decode(errors="replace")
    candidates = _candidates(product_name, event_name, carries_template_code=True)
    if not candidates:
        return None
    return _Guess(candidates[0], _decoder(candidates[0]), product_name, event_name)


def _confirms(guess: _Guess, webhook: Webhook) -> bool:
    """Whether the careful path would pick the class the fast path decoded to."""
    if guess.route is KakaoTemplateStatusUpdate and not webhook.hooks:
        return False  # the shape rule needs a hook that carried templateCode
    if webhook.product_name == guess.product_name and webhook.event == guess.event:
        return True  # the names the guess was made from: the usual case
    candidates = _candidates(webhook.product_name, webhook.event, carries_template_code=True)
    return bool(candidates) and candidates[0] is guess.route


# --- careful path ----------------------------------------------------------------


def _decode_carefully(body: Body, strict: bool) -> Webhook:
    tree = _parse(body)
    candidates = _targets(tree, strict)
    if len(candidates) > 1:
        return _first_that_fits(tree, candidates)
    return _repaired(tree, candidates[0])  # type: ignore[no-any-return]


def _first_that_fits(tree: dict[str, Any], candidates: tuple[type[Model], ...]) -> Webhook:
    """Try each class on its own copy of the tree; report the first one's error."""
    errors: list[DecodeError] = []
    for cls in candidates:
        try:
            return _repaired(copy.deepcopy(tree), cls)  # type: ignore[no-any-return]
        except DecodeError as exc:
            errors.append(exc)
    raise errors[0]


def _repaired(tree: dict[str, Any], cls: type[Model]) -> Any:
    if cls is not UnknownWebhook:
        _repair(tree, wire_plan(cls), "$")
    return _convert(tree, cls)


def _parse(body: Body) -> dict[str, Any]:
    tree = msgspec.json.decode(body)
    if not isinstance(tree, dict):
        raise DecodeError("$", f"expected a JSON object, got {_describe(tree)}")
    return tree


def _targets(tree: dict[str, Any], strict: bool) -> tuple[type[Model], ...]:
    """The classes a parsed body may decode to, most likely first; never empty."""
    product, event, hooks = tree.get("productName"), tree.get("event"), tree.get("hooks")
    candidates = _candidates(product, event, _carries_template_code(hooks))
    if candidates:
        return candidates
    if strict:
        raise UnknownEventError(
            product if isinstance(product, str) else None,
            event if isinstance(event, str) else None,
        )
    return (UnknownWebhook,)


def _convert(tree: Any, target: Any, root: str = "$") -> Any:
    try:
        return msgspec.convert(tree, target)
    except msgspec.ValidationError as exc:
        raise _invalid(exc, tree, root) from exc


class _RawHooks(msgspec.Struct):
    hooks: list[msgspec.Raw]


_RAW_HOOKS = msgspec.json.Decoder(_RawHooks)


def _salvage(body: Body, strict: bool) -> PartialWebhook:
    """Decode hook by hook after a failure, setting the bad ones aside.

    Hooks are decoded as the most likely class for the envelope's names and shape.
    """
    if isinstance(body, memoryview):
        body = body.tobytes()
    tree = _parse(body)
    target = _targets(tree, strict)[0]
    hooks = tree["hooks"]  # the failure was inside hooks[...], so it is a list
    tree["hooks"] = []
    plan = None
    if target is not UnknownWebhook:
        _repair(tree, wire_plan(target), "$")
        plan = wire_plan(target).children["hooks"]
    envelope = _convert(tree, target)
    raw_hooks = _RAW_HOOKS.decode(body).hooks
    hook_type = _hook_type(target)
    good: list[Any] = []
    failures: list[HookFailure] = []
    for index, (hook, raw) in enumerate(zip(hooks, raw_hooks, strict=True)):
        path = f"$.hooks[{index}]"
        try:
            if plan is not None and isinstance(hook, dict):
                _repair(hook, plan, path)
            good.append(_convert(hook, hook_type, path))
        except DecodeError as exc:
            failures.append(HookFailure(index=index, error=exc, raw=bytes(raw)))
    webhook = msgspec.structs.replace(envelope, hooks=good)
    return PartialWebhook(webhook=webhook, failures=tuple(failures))


def _hook_type(target: type[Model]) -> Any:
    (hooks,) = [f.type for f in msgspec.structs.fields(target) if f.name == "hooks"]
    return hooks.__args__[0]


def _carries_template_code(hooks: object) -> bool:
    return isinstance(hooks, list) and any(
        isinstance(hook, dict) and "templateCode" in hook for hook in hooks
    )


def _repair(wire: dict[str, Any], plan: WirePlan, path: str) -> None:
    """Fix in place what msgspec cannot read: renamed keys and odd timestamps."""
    for alias, documented in plan.renames.items():
        if alias in wire and documented not in wire:
            wire[documented] = wire.pop(alias)
    for key in plan.timestamps:
        value = wire.get(key)
        if isinstance(value, str):
            try:
                wire[key] = parse(value)
            except ValueError as exc:
                raise DecodeError(f"{path}.{key}", str(exc)) from exc
    for key, child in plan.children.items():
        value = wire.get(key)
        if isinstance(value, dict):
            _repair(value, child, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _repair(item, child, f"{path}.{key}[{index}]")


# --- error messages --------------------------------------------------------------

_AT = " - at `"
_MISSING = "Object missing required field `"
_EXPECTED = "Expected `"
_GOT = "`, got `"
_DIGIT_PATTERN = f"Expected `str` matching regex {DIGITS!r}"


def _invalid(exc: msgspec.ValidationError, tree: Any, root: str = "$") -> DecodeError:
    """Our DecodeError for one of msgspec's validation messages, with the value seen.

    ``tree`` is the object msgspec validated, found at JSON path ``root`` of the body.
    msgspec's messages read ``<reason> - at `$.path```; the reasons rewritten here are
    the ones it documents (missing field, wrong type, constraint).
    """
    reason, at, local = str(exc).rpartition(_AT)
    if not at or not local.endswith("`"):
        reason, local = str(exc), "$`"
    local = local[:-1]
    path = root + local[1:]
    if reason.startswith(_MISSING):
        return DecodeError(f"{path}.{reason[len(_MISSING) : -1]}", "missing required field")
    if reason == _DIGIT_PATTERN:
        wanted, got = "int", "str"
    elif reason.startswith(_EXPECTED) and _GOT in reason:
        wanted, _, got = reason[len(_EXPECTED) : -1].partition(_GOT)
        wanted = wanted.replace("int | str", "int")
    else:
        return DecodeError(path, reason[:1].lower() + reason[1:].replace("`", ""))
    found, value = _value_at(tree, local)
    return DecodeError(path, f"expected {wanted}, got {_describe(value) if found else got}")


def _value_at(tree: Any, path: str) -> tuple[bool, Any]:
    """The value at a msgspec JSON path (``$.hooks[0].x``), if it can be found."""
    value = tree
    for step in path[1:].replace("[", ".[").split("."):
        if not step:
            continue
        try:
            value = value[int(step[1:-1])] if step[0] == "[" else value[step]
        except (KeyError, IndexError, TypeError, ValueError):
            return False, None
    return True, value


def _describe(value: Any) -> str:
    """A short, log-safe rendering of a JSON value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    text = msgspec.json.encode(value).decode()
    return text if len(text) <= 40 else text[:37] + "..."
