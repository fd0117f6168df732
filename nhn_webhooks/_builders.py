"""Realistic webhook bodies built from the bundled samples.

The engine behind :mod:`nhn_webhooks.testing` and ``nhn-webhooks sample``. A body
starts as the bundled sample of its class; hook ``i`` (from 0) is the sample's hook
with per-hook values made distinct the way NHN's are (hookId, recipientSeq or mailSeq,
the lookup link, recipient numbers and addresses, result timestamps ``i`` seconds
later); hook 0 is the sample's hook unchanged. Overrides are then applied by
attribute name: envelope attributes to the envelope, hook attributes to every hook.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import urllib.parse
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta, timezone
from enum import Enum
from functools import cache
from typing import Any, Final, NamedTuple, TypeVar

import msgspec

from ._common import Envelope, Links
from ._decode import decode
from ._model import hook_type, union_members, wire_plan
from ._quirks import DIGITS, aliases_for
from ._samples import SAMPLE_NAMES, sample_body
from ._signature import SIGNATURE_HEADER
from ._timestamps import KST, parse
from ._webhooks import WEBHOOK_CLASSES

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
    varied = frozenset(wire_plan(hook_type(webhook)).timestamps) - _SAME_PER_REQUEST
    data["hooks"] = [_vary(first, index, varied) for index in range(hooks)]
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
    """An attribute that can be overridden, and where it sits on the wire."""

    wire: str
    aliases: tuple[str, ...]
    kind: str  # datetime, int, bool, str, links or json
    optional: bool
    in_hook: bool


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
    table: dict[str, _Field] = {}
    for model, in_hook in ((webhook, False), (hook_type(webhook), True)):
        aliases = aliases_for(model.__name__)
        for info in msgspec.structs.fields(model):
            if info.name not in model._public_fields or (info.name == "hooks" and not in_hook):
                continue
            members = union_members(info.type)
            table[info.name] = _Field(
                wire=info.encode_name,
                aliases=aliases.get(info.name, ()),
                kind=_kind(members),
                optional=type(None) in members,
                in_hook=in_hook,
            )
    return table


def _kind(members: tuple[Any, ...]) -> str:
    for kind, python_type in (("datetime", datetime), ("bool", bool), ("int", int)):
        if python_type in members:
            return kind
    if Links in members:
        return "links"
    return "str" if members in ((str,), (str, type(None))) else "json"


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
        return _format_like(value, current)
    if isinstance(value, str) and field.kind == "links":
        return {"self": {"href": value}}
    return msgspec.to_builtins(value)


# --- timestamps in NHN's shapes ------------------------------------------------------

_SHAPE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:(?P<sep>[T ])[0-9]{2}:[0-9]{2}:[0-9]{2}(?P<fraction>\.[0-9]+)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?\Z"
)


def _format_like(value: datetime, like: object) -> str:
    """``value`` written in the shape of the timestamp ``like`` (NHN's shape there).

    A naive ``value`` means Korea time. Shapes without an offset get Korea time; a
    date alone keeps only the date unless that would drop a time of day.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=KST)
    shape = _SHAPE.match(like) if isinstance(like, str) else None
    if shape is None:
        return aware.isoformat(timespec="milliseconds")
    timespec = "milliseconds" if shape["fraction"] else "seconds"
    if shape["zone"] == "Z":
        utc = aware.astimezone(timezone.utc).replace(tzinfo=None)
        return utc.isoformat(timespec=timespec) + "Z"
    if shape["zone"]:
        return aware.isoformat(timespec=timespec)
    korea = aware.astimezone(KST).replace(tzinfo=None)
    if shape["sep"]:
        return korea.isoformat(sep=shape["sep"], timespec=timespec)
    if korea.time() == datetime.min.time():
        return korea.date().isoformat()
    return korea.isoformat(timespec="seconds")


def _shift(text: Any, index: int) -> Any:
    """The timestamp ``index`` seconds later, in the same shape; a date alone stays."""
    if not isinstance(text, str) or index == 0:
        return text
    shape = _SHAPE.match(text)
    if shape is None or shape["sep"] is None:
        return text
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return _format_like(moment + timedelta(seconds=index), text)


# --- distinct per-hook values --------------------------------------------------------

_SAME_PER_REQUEST = frozenset({"requestDate", "createDate"})
"""Timestamps every recipient of one send request shares."""

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

_COUNTRY_CODES = (
    *("1", "44", "63", "81", "84", "86", "852", "886", "65", "66"),
    *("60", "62", "91", "61", "33", "49", "7", "55", "52", "234"),
)


def _hook_id(base: Any, index: int) -> Any:
    """An id shaped like NHN's: send time (yyyyMMddHHmmss), then letters and digits."""
    if not isinstance(base, str):
        return base
    digest = hashlib.sha256(f"{base}/{index}".encode()).digest()
    tail = "".join(_ALNUM[byte % len(_ALNUM)] for byte in digest)[: max(len(base) - 14, 6)]
    try:
        sent = datetime.strptime(base[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return f"{base}-{index}"
    return (sent + timedelta(seconds=index)).strftime("%Y%m%d%H%M%S") + tail


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


def _add(value: Any, index: int) -> Any:
    """A sequence number ``index`` higher, as int or digit string like the original."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value + index
    if isinstance(value, str) and value.isdigit():
        return str(int(value) + index)
    return value


def _bump(value: Any, index: int) -> Any:
    """``01012341234`` -> ``01012341235``; ``ORDER_01`` -> ``ORDER_02``."""
    if not isinstance(value, str):
        return value
    digits = re.search(r"[0-9]+\Z", value)
    if digits is None:
        return f"{value}{index}"
    number = str(int(digits[0]) + index).zfill(len(digits[0]))
    return value[: digits.start()] + number


def _bump_address(value: Any, index: int) -> Any:
    if not isinstance(value, str) or "@" not in value:
        return _bump(value, index)
    local, _, domain = value.rpartition("@")
    return f"{_bump(local, index)}@{domain}"


def _next_country(value: Any, index: int) -> Any:
    start = _COUNTRY_CODES.index(value) if value in _COUNTRY_CODES else 0
    return _COUNTRY_CODES[(start + index) % len(_COUNTRY_CODES)]


_VARY: Mapping[str, Callable[[Any, int], Any]] = {
    "hookId": _hook_id,
    "recipientSeq": _add,
    "mailSeq": _add,
    "recipientNo": _bump,
    "receiveMailAddr": _bump_address,
    "templateCode": _bump,
    "kakaoTemplateCode": _bump,
    "countryCode": _next_country,
}


def _vary(first: dict[str, Any], index: int, timestamps: frozenset[str]) -> dict[str, Any]:
    """Hook ``index`` of a POST whose first hook is ``first``."""
    hook = msgspec.json.decode(msgspec.json.encode(first))  # a deep copy
    if index == 0:
        return hook  # type: ignore[no-any-return]
    for key, value in hook.items():
        if key in _VARY:
            hook[key] = _VARY[key](value, index)
        elif key in timestamps:
            hook[key] = _shift(value, index)
    _relink(hook)
    return hook  # type: ignore[no-any-return]


def _relink(hook: dict[str, Any]) -> None:
    """Point the lookup link at this hook's message: its URL ends in the sequence."""
    seq = hook.get("recipientSeq", hook.get("mailSeq"))
    for key in ("_links", "_link"):
        link = hook.get(key)
        if seq is None or not isinstance(link, dict) or not isinstance(link.get("self"), dict):
            continue
        href = link["self"].get("href")
        if isinstance(href, str):
            link["self"]["href"] = re.sub(r"[0-9]+\Z", str(seq), href)


# --- bundled samples -----------------------------------------------------------------


def _sample_name(webhook: type[Envelope]) -> str:
    try:
        return SAMPLE_NAMES[webhook]
    except KeyError:
        raise TypeError(f"expected one of nhn_webhooks.WEBHOOK_CLASSES, got {webhook!r}") from None


@cache
def _bundled(webhook: type[Envelope]) -> bytes:
    return sample_body(_sample_name(webhook))
