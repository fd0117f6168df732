"""Realistic webhook bodies built from the bundled samples.

The engine behind :mod:`nhn_webhooks.testing` and ``nhn-webhooks sample``. A body
starts as the bundled sample of its class; hook ``i`` (from 0) is the sample's hook
with per-hook values made distinct the way NHN's are (hookId, recipientSeq or mailSeq,
the lookup link, recipient numbers and addresses, result timestamps ``i`` seconds
later); hook 0 is the sample's hook unchanged. Overrides are then applied by
attribute name: envelope attributes to the envelope, hook attributes to every hook.
"""

from __future__ import annotations

import re
import secrets
import urllib.parse
from collections.abc import Collection
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Final, NamedTuple, TypeVar

import msgspec

from .._decode import decode
from .._models._base import BOOL, INT, INT_OR_STR, STR, TIMESTAMP, Field, hook_type
from .._models._envelope import Envelope, Links
from .._models._quirks import DIGITS
from .._models._registry import WEBHOOK_CLASSES
from .._models._samples import SAMPLE_NAMES, sample_body
from .._models._timestamps import KST, parse, write_like
from .._signature import SIGNATURE_HEADER
from ._hook_variants import _ALNUM, _hook_id, varied_timestamps, vary

__all__ = [
    "CONTENT_TYPE",
    "DEFAULT_SIGNATURE",
    "WebhookRequest",
    "WebhookRequestBuilder",
    "field_names",
    "load_sample",
    "parse_override",
    "refresh_ids",
    "sample",
    "sample_data",
    "sample_webhook",
    "webhook_headers",
]

CONTENT_TYPE: Final = "application/json;charset=UTF-8"
"""The Content-Type NHN sends with every webhook POST."""

DEFAULT_SIGNATURE: Final = "test-signature"
"""The signature :class:`WebhookRequestBuilder` sends unless told otherwise."""

W = TypeVar("W", bound=Envelope)


# --- public builders ---------------------------------------------------------------


def load_sample(webhook: type[Envelope] | str) -> bytes:
    """The bundled sample body of a webhook class, byte for byte as shipped.

    ``webhook`` is a class (``nw.SmsMessageResultUpdate``) or a sample name
    (``"sms-message-result-update"``). The files are package data:
    ``importlib.resources.files("nhn_webhooks") / "samples" / f"{name}.json"``.
    """
    return sample_body(webhook if isinstance(webhook, str) else _sample_name(webhook))


def sample_data(webhook: type[Envelope], *, hooks: int = 1, **overrides: Any) -> dict[str, Any]:
    """A realistic body of ``webhook`` as a JSON tree (dicts and lists) to edit further.

    ``hooks`` is how many hooks the POST carries, each with distinct hookId,
    recipientSeq (or mailSeq), link and result timestamps; the first is the bundled
    sample's hook unchanged. ``overrides`` set attributes by their Python name:
    envelope attributes (``hooks_id``, ``product_name``, ``event``, ...) on the
    envelope, hook attributes (``message_status``, ``request_date``, ...) on every
    hook. A value is given as the attribute reads it (``datetime``, ``int``,
    ``None``, an enum member, a model); a ``datetime`` is written in the shape NHN
    uses for that field; a ``str`` for a timestamp is sent verbatim
    (``receive_date="2023-06-01"``); ``links`` also takes a URL. An unknown name is a
    ``TypeError``.
    """
    fields = _fields(webhook)
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise TypeError(
            f"{webhook.__name__} has no attribute {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(fields)}"
        )
    if isinstance(hooks, bool) or not isinstance(hooks, int) or hooks < 1:
        raise ValueError(f"hooks must be a positive int, got {hooks!r}")
    data: dict[str, Any] = msgspec.json.decode(_bundled(webhook))
    first = data["hooks"][0]
    varied = varied_timestamps(hook_type(webhook))
    data["hooks"] = [vary(first, index, varied) for index in range(hooks)]
    for name, value in overrides.items():
        field = fields[name]
        for target in data["hooks"] if field.in_hook else [data]:
            _apply(target, field, value)
    return data


def sample(webhook: type[Envelope], *, hooks: int = 1, **overrides: Any) -> bytes:
    """A realistic body of ``webhook`` as the bytes NHN would POST.

    Same arguments as :func:`sample_data`::

        body = sample(nw.SmsMessageResultUpdate, hooks=3, message_status="FAILED")
        assert len(nw.decode(body).hooks) == 3
    """
    return msgspec.json.encode(sample_data(webhook, hooks=hooks, **overrides))


def sample_webhook(webhook: type[W], *, hooks: int = 1, **overrides: Any) -> W:
    """:func:`sample`, decoded: the object a handler receives from ``decode()``.

    Raises :class:`DecodeError` if the overrides make the body invalid, and
    ``ValueError`` if they make it another class (``event="UNSUBSCRIBE"``).
    """
    decoded = decode(sample(webhook, hooks=hooks, **overrides))
    if not isinstance(decoded, webhook):
        raise ValueError(f"the overrides made the body a {type(decoded).__name__}")
    return decoded


def webhook_headers(signature: str | None = None) -> dict[str, str]:
    """The headers NHN sends: Content-Type, and the signature if one is configured."""
    headers = {"Content-Type": CONTENT_TYPE}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return headers


class WebhookRequest(NamedTuple):
    """A webhook POST as a handler receives it: unpack it as ``body, headers``."""

    body: bytes
    """The raw request body."""
    headers: dict[str, str]
    """``Content-Type`` and ``X-Toast-Webhook-Signature``, as NHN sends them."""


class _Unset(Enum):
    UNSET = "UNSET"


class WebhookRequestBuilder:
    """Builds signed webhook requests for a handler test in one line.

    ``signature`` is the value your application expects (the one set in the NHN
    console); the pytest fixture ``nhn_webhook`` is one of these::

        build = WebhookRequestBuilder("s3cret")
        body, headers = build(nw.SmsMessageResultUpdate, hooks=3, message_status="FAILED")
        response = client.post("/webhooks/nhn", content=body, headers=headers)
    """

    __slots__ = ("signature",)

    def __init__(self, signature: str | None = DEFAULT_SIGNATURE) -> None:
        self.signature = signature
        """Sent as ``X-Toast-Webhook-Signature``; None sends no signature header."""

    def __repr__(self) -> str:
        return "WebhookRequestBuilder(<signature>)"

    def __call__(
        self,
        webhook: type[Envelope],
        *,
        hooks: int = 1,
        signature: str | _Unset | None = _Unset.UNSET,
        **overrides: Any,
    ) -> WebhookRequest:
        """A body as :func:`sample` builds it, with NHN's headers.

        ``signature`` replaces the configured one for this request (a wrong value, or
        None for no header, tests the rejection path).
        """
        sent = self.signature if isinstance(signature, _Unset) else signature
        return WebhookRequest(sample(webhook, hooks=hooks, **overrides), webhook_headers(sent))


# --- overrides -----------------------------------------------------------------------


class _Field(NamedTuple):
    """An attribute that can be overridden, and where it sits on the wire (read from
    the model's field description)."""

    wire: str
    aliases: tuple[str, ...]
    kind: str  # datetime, int, bool, str, links or json
    optional: bool
    in_hook: bool


_KINDS = {TIMESTAMP: "datetime", INT: "int", INT_OR_STR: "int", BOOL: "bool", STR: "str"}
"""How an override of each field kind is read (``links`` and ``json`` otherwise)."""


def field_names(webhook: type[Envelope]) -> tuple[str, ...]:
    """The attribute names :func:`sample_data` accepts for ``webhook``."""
    return tuple(_fields(webhook))


def parse_override(webhook: type[Envelope], name: str, text: str) -> Any:
    """The value for ``name`` written as text (``nhn-webhooks sample --set name=text``).

    ``null`` is None for an optional attribute; integers and ``true``/``false`` are
    read as such; a timestamp is checked and kept as written; ``links`` is a URL;
    nested values are JSON; anything else is the text itself. Raises ``ValueError``
    with a one-line reason.
    """
    field = _fields(webhook).get(name)
    if field is None:
        raise ValueError(f"{webhook.__name__} has no attribute {name!r}")
    if not _is_text(text):
        raise ValueError(
            f"{name}: not valid text, got {text!r} (bytes the locale's encoding cannot read)"
        )
    if text == "null" and field.optional:
        return None
    if field.kind == "int":
        if re.match(DIGITS, text) is None:
            raise ValueError(f"{name}: expected an integer, got {text!r}")
        return int(text)
    if field.kind == "bool":
        if text not in ("true", "false"):
            raise ValueError(f"{name}: expected true or false, got {text!r}")
        return text == "true"
    if field.kind == "datetime":
        try:
            parse(text)
        except ValueError as exc:  # names the shapes expected
            raise ValueError(f"{name}: {exc}") from None
        return text
    if field.kind == "links":
        try:
            parts = urllib.parse.urlsplit(text)
        except ValueError:  # an unclosed [IPv6 address
            parts = urllib.parse.urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{name}: expected an http:// or https:// URL, got {text!r}")
        return text
    if field.kind == "json":
        try:
            value = msgspec.json.decode(text)
            too_deep = _depth(value) > _DEEPEST
        except msgspec.DecodeError as exc:
            raise ValueError(f"{name}: expected JSON ({exc})") from exc
        except RecursionError:  # deeper than the stack allows
            too_deep = True
        if too_deep:
            raise ValueError(f"{name}: JSON nested deeper than {_DEEPEST} levels")
        return value
    return text


_DEEPEST = 100
"""Levels of nesting a JSON ``--set`` value may have: far more than any value NHN
sends, and few enough for every encoder to write the body, whatever the stack."""


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (counted without recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in node)
    return deepest


def _is_text(text: str) -> bool:
    """Whether ``text`` can go into a JSON body: a command-line argument holding bytes
    that are not valid in the locale's encoding arrives with lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _fields(webhook: type[Envelope]) -> dict[str, _Field]:
    """Every overridable attribute of ``webhook``: envelope first, then hook."""
    if webhook not in WEBHOOK_CLASSES:
        raise TypeError(f"expected one of nhn_webhooks.WEBHOOK_CLASSES, got {webhook!r}")
    envelope = [field for field in webhook._model_fields if field.attribute != "hooks"]
    return {
        field.attribute: _Field(field.wire, field.aliases, _kind(field), field.optional, in_hook)
        for fields, in_hook in ((envelope, False), (hook_type(webhook)._model_fields, True))
        for field in fields
    }


def _kind(field: Field) -> str:
    if field.model is Links:
        return "links"
    return _KINDS.get(field.kind, "json")


def _apply(target: dict[str, Any], field: _Field, value: Any) -> None:
    """Set one attribute on a wire object in place of every spelling of its key."""
    spellings = (field.wire, *field.aliases)
    current = next((target[key] for key in spellings if key in target), None)
    wire_value = _to_wire(field, value, current)
    rebuilt: dict[str, Any] = {}
    for key, old in target.items():  # keep NHN's key order: the new key takes the old place
        if key in spellings:
            rebuilt.setdefault(field.wire, wire_value)
        else:
            rebuilt[key] = old
    rebuilt.setdefault(field.wire, wire_value)
    target.clear()
    target.update(rebuilt)


def _to_wire(field: _Field, value: Any, current: Any) -> Any:
    if isinstance(value, datetime) and field.kind == "datetime":
        return write_like(value, current)
    if isinstance(value, str) and field.kind == "links":
        return {"self": {"href": value}}
    return msgspec.to_builtins(value)


def refresh_ids(webhook: type[Envelope], data: dict[str, Any], keep: Collection[str] = ()) -> None:
    """Give a body built by :func:`sample_data` ids no earlier body had, in place.

    ``hooksId`` and each hook's ``hookId`` are NHN's idempotency keys: a receiver that
    keeps them skips a second POST carrying the same ones as a repeat. The new ids are
    shaped like NHN's (send time, then letters and digits) and distinct per hook.
    Attributes named in ``keep`` (``hooks_id``, ``hook_id``) are left as they are.
    """
    fields = _fields(webhook)
    if "hooks_id" not in keep:
        data[fields["hooks_id"].wire] = _new_id()
    hook_id = fields.get("hook_id")
    if hook_id is None or "hook_id" in keep:
        return
    base = _new_id()
    for index, hook in enumerate(data["hooks"]):
        if hook_id.wire in hook:
            hook[hook_id.wire] = _hook_id(base, index)


def _new_id() -> str:
    """An id shaped like NHN's (``20240429205809GcSUXthVA00``): Korea time now, ten
    random letters and digits, and a digit."""
    now = datetime.now(KST).strftime("%Y%m%d%H%M%S")
    return now + "".join(secrets.choice(_ALNUM) for _ in range(10)) + secrets.choice("0123456789")


# --- bundled samples -----------------------------------------------------------------


def _sample_name(webhook: type[Envelope]) -> str:
    try:
        return SAMPLE_NAMES[webhook]
    except KeyError:
        raise TypeError(f"expected one of nhn_webhooks.WEBHOOK_CLASSES, got {webhook!r}") from None


@cache
def _bundled(webhook: type[Envelope]) -> bytes:
    return sample_body(_sample_name(webhook))
