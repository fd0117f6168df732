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

import re
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeAlias

import msgspec

from ._common import Envelope, UnknownWebhook
from ._email import EmailMessageResultUpdate, EmailUnsubscribe
from ._errors import DecodeError, UnknownEventError
from ._kakao import KakaoMessageResultUpdate, KakaoTemplateStatusUpdate
from ._model import WirePlan, wire_plan
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
    Under KakaoTalk Bizmessage, hooks carrying ``templateCode`` make it a template
    status update whatever ``event`` says: NHN never documented that event's name.
    """
    if not isinstance(product_name, str):
        return None
    product = _fold(product_name)
    if product == _KAKAO and carries_template_code:
        return KakaoTemplateStatusUpdate
    if not isinstance(event, str):
        return None
    return _DOCUMENTED.get((product, _fold(event)))


# --- names -----------------------------------------------------------------------


def _fold(name: str) -> str:
    return "".join(name.split()).replace("-", "").replace("_", "").casefold()


_DOCUMENTED: dict[tuple[str, str], type[Envelope]] = {
    (_fold(cls.PRODUCT_NAME), _fold(cls.EVENT)): cls
    for cls in WEBHOOK_CLASSES
    if cls.EVENT is not None
}
_KAKAO = _fold(KakaoTemplateStatusUpdate.PRODUCT_NAME)


# --- fast path -------------------------------------------------------------------

_DECODERS: dict[type[Envelope], msgspec.json.Decoder[Any]] = {}
"""One decoder per class, built on first use (not at import: import time is budgeted)."""


def _decoder(cls: type[Envelope]) -> msgspec.json.Decoder[Any]:
    decoder = _DECODERS.get(cls)
    if decoder is None:
        decoder = _DECODERS[cls] = msgspec.json.Decoder(cls)
    return decoder


_KAKAO_SHAPE: Any = object()
"""Guess for a KakaoTalk product: the hooks' shape picks the class."""


class _Guess(NamedTuple):
    """A likely class for a body, and the envelope names that led to it."""

    route: type[Envelope]
    decoder: msgspec.json.Decoder[Any]
    product_name: str
    event: str


_GUESSES: dict[tuple[Any, Any], Any] = {}
_GUESSES_MAX = 1024  # distinct (productName, event) spellings remembered

_BYTES_MARKS: tuple[Any, ...] = (
    re.compile(rb'"productName"\s*:\s*"([^"\\]*)"'),
    re.compile(rb'"event"\s*:\s*"([^"\\]*)"'),
    b"templateCode",
    b"\\u",
)
_TEXT_MARKS: tuple[Any, ...] = (
    re.compile(r'"productName"\s*:\s*"([^"\\]*)"'),
    re.compile(r'"event"\s*:\s*"([^"\\]*)"'),
    "templateCode",
    "\\u",
)


def _guess(body: Any) -> _Guess | None:
    """The class the body probably is, from productName/event found in the raw text.

    The search is naive (an escaped quote or a key inside a hook can fool it); the
    decoded envelope must confirm the guess, so being wrong only costs time.
    """
    product_name, event_name, template_mark, escape_mark = (
        _TEXT_MARKS if isinstance(body, str) else _BYTES_MARKS
    )
    product = product_name.search(body)
    event = event_name.search(body)
    if product is None or event is None:
        return None
    guess = _names_guess(product[1], event[1])
    if guess is _KAKAO_SHAPE:
        if template_mark in body:
            return _route(KakaoTemplateStatusUpdate, product[1], event[1])
        if escape_mark in body:  # an escaped "templateCode" key cannot be ruled out
            return None
        if _is_message_result(event[1]):
            return _route(KakaoMessageResultUpdate, product[1], event[1])
        return None
    return guess  # type: ignore[no-any-return]


def _names_guess(product: str | bytes, event: str | bytes) -> Any:
    """_Guess (or _KAKAO_SHAPE, or None) for raw names; memoised per spelling."""
    key = (product, event)
    try:
        return _GUESSES[key]
    except KeyError:
        pass
    product_text = product if isinstance(product, str) else product.decode(errors="replace")
    event_text = event if isinstance(event, str) else event.decode(errors="replace")
    if _fold(product_text) == _KAKAO:
        guess: Any = _KAKAO_SHAPE
    else:
        cls = classify(product_text, event_text, carries_template_code=False)
        guess = None if cls is None else _route(cls, product, event)
    if len(_GUESSES) < _GUESSES_MAX:
        _GUESSES[key] = guess
    return guess


def _route(cls: type[Envelope], product: str | bytes, event: str | bytes) -> _Guess:
    def text(raw: str | bytes) -> str:
        return raw if isinstance(raw, str) else raw.decode(errors="replace")

    return _Guess(cls, _decoder(cls), text(product), text(event))


def _is_message_result(event: str | bytes) -> bool:
    text = event if isinstance(event, str) else event.decode(errors="replace")
    return _fold(text) == _fold(KakaoMessageResultUpdate.EVENT or "")


def _confirms(guess: _Guess, webhook: Webhook) -> bool:
    """Whether the decoded envelope names the class the raw text suggested."""
    if guess.route is KakaoTemplateStatusUpdate and not webhook.hooks:
        return False  # the shape rule needs a hook that carried templateCode
    if webhook.product_name == guess.product_name and webhook.event == guess.event:
        return True  # the names the guess was made from: the usual case
    product, event = webhook.product_name, webhook.event
    if not isinstance(product, str) or not isinstance(event, str):
        return False
    if _fold(product) == _KAKAO and guess.route is KakaoTemplateStatusUpdate:
        return True
    return classify(product, event, carries_template_code=False) is guess.route


# --- careful path ----------------------------------------------------------------


def _decode_carefully(body: Body, strict: bool) -> Webhook:
    tree = _parse(body)
    target = _target(tree, strict)
    if target is not UnknownWebhook:
        _repair(tree, wire_plan(target), "$")
    webhook: Webhook = _convert(tree, target)
    return webhook


def _parse(body: Body) -> dict[str, Any]:
    tree = msgspec.json.decode(body)
    if not isinstance(tree, dict):
        raise DecodeError("$", f"expected a JSON object, got {_describe(tree)}")
    return tree


def _target(tree: dict[str, Any], strict: bool) -> type[Webhook]:
    """The class a parsed body decodes to."""
    product, event, hooks = tree.get("productName"), tree.get("event"), tree.get("hooks")
    cls = classify(product, event, _carries_template_code(hooks))
    if cls is None:
        if strict:
            raise UnknownEventError(
                product if isinstance(product, str) else None,
                event if isinstance(event, str) else None,
            )
        return UnknownWebhook
    return cls  # type: ignore[return-value]


def _convert(tree: Any, target: Any, root: str = "$") -> Any:
    try:
        return msgspec.convert(tree, target)
    except msgspec.ValidationError as exc:
        raise _invalid(exc, tree, root) from exc


class _RawHooks(msgspec.Struct):
    hooks: list[msgspec.Raw]


_RAW_HOOKS = msgspec.json.Decoder(_RawHooks)


def _salvage(body: Body, strict: bool) -> PartialWebhook:
    """Decode hook by hook after a failure, setting the bad ones aside."""
    if isinstance(body, memoryview):
        body = body.tobytes()
    tree = _parse(body)
    target = _target(tree, strict)
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


def _hook_type(target: type[Webhook]) -> Any:
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
