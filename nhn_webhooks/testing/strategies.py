"""Hypothesis strategies for NHN webhook bodies: property-test your own handler.

Every body these strategies generate is one ``nhn_webhooks.decode()`` accepts, in all
the ways NHN writes them: each timestamp shape, integers as digit strings, the
misspellings NHN's own examples use (``recipientGropuingKey``, ``_link``,
``senderGroupKey``, ``createdDateTime``), optional fields absent or ``null``, any
text in free-text fields, code values NHN has not documented yet::

    from hypothesis import given
    from nhn_webhooks.testing import strategies as nws

    @given(nws.bodies())
    def test_handler_accepts_every_webhook(body: bytes) -> None:
        assert handle(body) == 200

Needs hypothesis: ``pip install "nhn-webhooks[testing]"``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any, NamedTuple

import msgspec

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:  # the extra is optional; say which one to install
    raise ModuleNotFoundError(
        "nhn_webhooks.testing.strategies needs hypothesis, which the package's "
        '"testing" extra installs: python -m pip install "nhn-webhooks[testing]"',
        name=exc.name,
    ) from exc

from .._codes import (
    Code,
    EmailMessageType,
    EmailStatusCode,
    KakaoCommentStatus,
    KakaoMessageType,
    KakaoTemplateStatus,
    SmsDlrStatus,
    SmsMessageStatus,
    SmsSenderType,
)
from .._common import Envelope, Links
from .._model import Model, WirePlan, hook_type, union_members, wire_plan
from .._outcome import result_codes
from .._quirks import aliases_for
from .._timestamps import KST
from .._webhooks import WEBHOOK_CLASSES

__all__ = ["bodies", "mutated_bodies", "payloads", "received", "timestamps"]

_Entry = st.SearchStrategy[dict[str, Any]]


def bodies(
    webhook: type[Envelope] | None = None, *, max_hooks: int = 3
) -> st.SearchStrategy[bytes]:
    """Valid webhook POST bodies (UTF-8 JSON bytes) of ``webhook``, or of any class.

    ``webhook`` is one of ``nhn_webhooks.WEBHOOK_CLASSES``; each body carries 1 to
    ``max_hooks`` hooks. The JSON varies too: compact or indented, non-ASCII raw or
    ``\\u``-escaped, envelope keys in any order.
    """
    return st.tuples(
        payloads(webhook, max_hooks=max_hooks), st.booleans(), st.sampled_from([None, 2])
    ).map(_encode)


def payloads(
    webhook: type[Envelope] | None = None, *, max_hooks: int = 3
) -> st.SearchStrategy[dict[str, Any]]:
    """The JSON trees of :func:`bodies` (dicts and lists), to edit before encoding."""
    if webhook is None:
        return st.one_of([_payloads(cls, max_hooks) for cls in WEBHOOK_CLASSES])
    if webhook not in WEBHOOK_CLASSES:
        raise TypeError(f"expected one of nhn_webhooks.WEBHOOK_CLASSES, got {webhook!r}")
    return _payloads(webhook, max_hooks)


def mutated_bodies(
    webhook: type[Envelope] | None = None, *, max_hooks: int = 3
) -> st.SearchStrategy[bytes]:
    """Bodies NHN did not quite send: one from :func:`bodies` after one to four edits.

    An edit, at any depth: a value replaced by another JSON value (numbers out of
    range, line and direction controls in text included), a key dropped or added, a
    key sent twice with different values (the JSON decoder keeps the last), or a
    field's alias spelling (``_link``, ``recipientGropuingKey``...) set beside its
    documented key, each of the two holding a copy, junk, ``null`` or nothing. Some
    still decode, most do not: check that your handler answers each with a webhook
    or a 400, never a 500.
    """
    return _mutated(payloads(webhook, max_hooks=max_hooks))


def received(bodies: st.SearchStrategy[bytes]) -> st.SearchStrategy[Any]:
    """Each body as a web framework may hand it over: ``bytes``, ``bytearray``,
    ``memoryview``, ``str``, or a ``str`` subclass (markupsafe's ``Markup``, Django's
    ``SafeString``). Invalid UTF-8 reaches text bodies as lone surrogates."""
    return st.tuples(bodies, st.sampled_from(_RECEIVED)).map(lambda case: case[1](case[0]))


def timestamps() -> st.SearchStrategy[tuple[str, datetime]]:
    """``(text, instant)``: a timestamp in one of NHN's shapes and the aware datetime
    ``decode()`` reads from it.

    Shapes: ``2020-09-09T11:25:10.000+09:00`` (any offset), ``...Z``,
    ``2024-04-29T20:58:02`` and ``2022-05-01 00:00:00`` (Korea time, with or without
    a fraction), ``2023-06-01`` (midnight, Korea time).
    """
    return _TIMESTAMPS


# --- timestamps ----------------------------------------------------------------------

_MOMENTS = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 12, 30))
_OFFSETS = st.sampled_from([timedelta(hours=9), timedelta(0), timedelta(hours=-5)]) | (
    st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timedelta(minutes=m))
)


@st.composite
def _timestamp(draw: st.DrawFn) -> tuple[str, datetime]:
    moment = draw(_MOMENTS).replace(microsecond=draw(st.sampled_from([0, 123000])))
    shape = draw(st.sampled_from(["offset", "zulu", "naive", "space", "date"]))
    if shape == "offset":
        aware = moment.replace(tzinfo=timezone(draw(_OFFSETS)))
        return aware.isoformat(timespec="milliseconds"), aware
    if shape == "zulu":
        return moment.isoformat(timespec="milliseconds") + "Z", moment.replace(tzinfo=timezone.utc)
    if shape == "date":
        return moment.date().isoformat(), datetime.combine(moment.date(), datetime.min.time(), KST)
    text = moment.isoformat(sep="T" if shape == "naive" else " ")
    return text, moment.replace(tzinfo=KST)


_TIMESTAMPS = _timestamp()


# --- values --------------------------------------------------------------------------

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TEXT = st.text(max_size=20)
_IDS = st.text(_ALNUM + "_-", min_size=1, max_size=30)
_DIGITS = st.text("0123456789", min_size=1, max_size=6)
_PHONES = st.text("0123456789", min_size=8, max_size=15)
_CODE_TEXT = st.text(_ALNUM[:36] + "_", min_size=1, max_size=20)
_ADDRESSES = st.builds(
    "{}@{}".format,
    st.text(_ALNUM + "._+-", min_size=1, max_size=20),
    st.sampled_from(["example.com", "nhn.com", "mail.example.co.kr"]),
)
_INTS = st.integers(min_value=0, max_value=2**63 - 1)
_HREFS = st.builds(
    "https://{}/v2/appKeys/{}/{}".format,
    st.sampled_from(["sms.api.nhncloudservice.com", "api-alimtalk.cloud.toast.com"]),
    _IDS,
    _IDS,
)
_TEMPLATE_EVENTS = st.sampled_from(["TEMPLATE_STATUS_UPDATE", "MESSAGE_RESULT_UPDATE"]) | _TEXT

_STRINGS: dict[str, st.SearchStrategy[str]] = {
    "hook_id": _IDS,
    "request_id": _IDS,
    "sender_key": _IDS,
    "template_code": _IDS,
    "kakao_template_code": _IDS,
    "recipient_no": _PHONES,
    "send_no": _PHONES,
    "unsubscribe_no": _PHONES,
    "result_code": _DIGITS,
    "error_code": _DIGITS,
    "country_code": _DIGITS,
    "receive_mail_addr": _ADDRESSES,
    "sender_address": _ADDRESSES,
}

_CODES: dict[tuple[str, str], type[Code]] = {
    ("SmsMessageResultHook", "sender_type"): SmsSenderType,
    ("SmsMessageResultHook", "message_status"): SmsMessageStatus,
    ("SmsDeliveryReceiptHook", "dlr_status"): SmsDlrStatus,
    ("KakaoTemplateStatusHook", "status"): KakaoTemplateStatus,
    ("KakaoTemplateComment", "status"): KakaoCommentStatus,
    ("KakaoMessageResultHook", "kakao_message_type"): KakaoMessageType,
    ("EmailMessageResultHook", "message_type"): EmailMessageType,
    ("EmailMessageResultHook", "mail_status_code"): EmailStatusCode,
}

# Result code fields: the codes NHN's tables list (see nhn_webhooks.result_code).
_RESULT_CODES: dict[tuple[str, str], str] = {
    ("SmsMessageResultHook", "result_code"): "SMS",
    ("SmsDeliveryReceiptHook", "error_code"): "SMS_DLR_ERROR",
    ("KakaoMessageResultHook", "result_code"): "KAKAO",
}

_PRODUCT_SPELLINGS: dict[str, list[str]] = {
    "SMS": ["SMS", "Sms"],  # NHN's curl sample says Sms
    "KakaoTalk Bizmessage": ["KakaoTalk Bizmessage"],
    "Email": ["Email"],
}


# --- bodies --------------------------------------------------------------------------


def _encode(case: tuple[dict[str, Any], bool, int | None]) -> bytes:
    payload, ascii_only, indent = case
    return json.dumps(payload, ensure_ascii=ascii_only, indent=indent).encode()


@cache
def _payloads(webhook: type[Envelope], max_hooks: int) -> _Entry:
    hooks = st.lists(_object(hook_type(webhook)), min_size=1, max_size=max_hooks)
    fields = {
        "hooksId": _IDS,
        "webhookConfigId": _IDS,
        "productName": st.sampled_from(_PRODUCT_SPELLINGS[webhook.PRODUCT_NAME]),
        "appKey": _IDS,
        "event": _TEMPLATE_EVENTS if webhook.EVENT is None else st.just(webhook.EVENT),
        "hooks": hooks,
    }
    return st.fixed_dictionaries(fields).flatmap(_any_key_order)


def _any_key_order(payload: dict[str, Any]) -> _Entry:
    return st.permutations(list(payload.items())).map(dict)


def _object(model: type[Model]) -> _Entry:
    """Wire objects of ``model``: every public field, in one of its accepted spellings."""
    aliases = aliases_for(model.__name__)
    parts = [
        _entry(model, info, aliases.get(info.name, ()))
        for info in msgspec.structs.fields(model)
        if info.name in model._public_fields
    ]
    return st.tuples(*parts).map(_merge)


def _merge(parts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


def _entry(model: type[Model], info: msgspec.structs.FieldInfo, aliases: tuple[str, ...]) -> _Entry:
    """``{key: value}`` for one field under its documented key, an alias, or both;
    nothing at all, sometimes, for a field with a default."""
    members = union_members(info.type)
    values = _values(model, info.name, members)
    if type(None) in members:
        values = values | st.none()
    key = info.encode_name
    if aliases:
        spellings = [(key,), *((alias,) for alias in aliases), *((key, a) for a in aliases)]
        keyed = st.tuples(st.sampled_from(spellings), values).map(
            lambda case: dict.fromkeys(case[0], case[1])
        )
    else:
        keyed = values.map(lambda value: {key: value})
    return keyed if info.required else keyed | st.just({})


def _values(model: type[Model], name: str, members: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    kinds = [member for member in members if member is not type(None)]
    if datetime in kinds:
        texts = _TIMESTAMPS.map(lambda case: case[0])
        return texts | st.just("") if type(None) in members else texts
    if bool in kinds:
        return st.booleans()
    if int in kinds and str in kinds:  # comment id: Integer since 2025-11, String before
        return _INTS | _TEXT
    if int in kinds:  # int, or its digit string (rule DIGITS)
        return _INTS | _INTS.map(str)
    if Links in kinds:
        return _HREFS.map(lambda href: {"self": {"href": href}})
    if kinds == [str]:
        return _strings(model, name)
    (member,) = kinds
    info = msgspec.inspect.type_info(member)
    if isinstance(info, msgspec.inspect.ListType) and isinstance(
        info.item_type, msgspec.inspect.StructType
    ):
        item = info.item_type.cls
        if issubclass(item, Model):
            return st.lists(_object(item), max_size=2)
    raise TypeError(f"no strategy for {model.__name__}.{name}: {member!r}")


def _strings(model: type[Model], name: str) -> st.SearchStrategy[str]:
    code = _CODES.get((model.__name__, name))
    if code is not None:  # documented values, and ones NHN may add
        return st.sampled_from([member.value for member in code]) | _CODE_TEXT
    table = _RESULT_CODES.get((model.__name__, name))
    if table is not None:  # listed codes, and ones NHN may add
        listed = [entry.code for entry in result_codes(table) if entry.code]
        return st.sampled_from(listed) | _CODE_TEXT
    return _STRINGS.get(name, _TEXT)


# --- mutations -----------------------------------------------------------------------


class _Text(str):
    """A str subclass, as web frameworks' safe-string types are."""


def _text(body: bytes) -> str:
    return body.decode("utf-8", "surrogateescape")


_RECEIVED = (
    bytes,
    bytearray,
    memoryview,
    _text,
    lambda body: _Text(_text(body)),
)


class _Pairs(NamedTuple):
    """A JSON object written key by key, so a key can appear twice."""

    items: list[tuple[str, Any]]


class _Number(str):
    """Number text written as is (``1e400``): valid JSON Python cannot hold."""


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "0", "2023-06-01", "yesterday", "a\u2028b\u0085c\u202ed"])
    | st.sampled_from([_Number("1e400"), _Number("-1e999"), _Number("9" * 4400)])
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def _mutated(draw: st.DrawFn, trees: _Entry) -> bytes:
    tree: Any = draw(trees)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if isinstance(tree, dict) and tree.get("hooks") and draw(st.integers(0, 3)):
            tree["hooks"] = _mutate(draw, tree["hooks"])  # most edits inside the hooks
        else:
            tree = _mutate(draw, tree)
    return _render(tree, draw(st.booleans())).encode("utf-8", "surrogatepass")


def _mutate(data: Any, node: Any) -> Any:
    """``node`` with one edit somewhere at or below it (``data`` draws)."""
    if isinstance(node, _Pairs):
        index = data(st.integers(min_value=0, max_value=len(node.items) - 1))
        key, value = node.items[index]
        node.items[index] = (key, _mutate(data, value))
        return node
    if isinstance(node, dict) and node:
        key = data(st.sampled_from(sorted(node)))
        action = data(
            st.sampled_from(["descend", "descend", "replace", "drop", "add", "twice", "alias"])
        )
        if action == "descend":
            node[key] = _mutate(data, node[key])
        elif action == "replace":
            node[key] = data(_JSON)
        elif action == "drop":
            del node[key]
        elif action == "add":
            node[data(st.text(max_size=10))] = data(_JSON)
        elif action == "twice":
            return _twice(data, node, key)
        else:
            _alias_edit(data, node)
        return node
    if isinstance(node, list) and node and data(st.integers(0, 3)):
        index = data(st.integers(min_value=0, max_value=len(node) - 1))
        node[index] = _mutate(data, node[index])
        return node
    return data(_JSON)


def _twice(data: Any, node: dict[str, Any], key: str) -> _Pairs:
    """``key`` sent twice: the other value before the real one, or after it."""
    pairs = list(node.items())
    index = [name for name, _ in pairs].index(key)
    pairs.insert(index + data(st.sampled_from([0, 1])), (key, data(_JSON)))
    return _Pairs(pairs)


def _alias_edit(data: Any, node: dict[str, Any]) -> None:
    """Set a documented key and its alias to any combination of value, junk, null, absent."""
    pairs = [(d, a) for d, a in _ALIAS_PAIRS if d in node or a in node]
    if not pairs:
        return
    documented, alias = data(st.sampled_from(pairs))
    value = node.get(documented, node.get(alias))
    for key in (documented, alias):
        choice = data(st.sampled_from(["value", "junk", "null", "absent"]))
        if choice == "absent":
            node.pop(key, None)
        else:
            node[key] = {"value": value, "junk": data(_JSON), "null": None}[choice]


def _alias_pairs() -> tuple[tuple[str, str], ...]:
    """(documented wire key, alias wire key) for every alias the models read."""
    found: set[tuple[str, str]] = set()

    def walk(plan: WirePlan) -> None:
        found.update((documented, alias) for alias, documented in plan.renames.items())
        found.update((documented, alias) for alias, (documented, _) in plan.aliases.items())
        for child in plan.children.values():
            walk(child)

    for cls in WEBHOOK_CLASSES:
        walk(wire_plan(cls))
    return tuple(sorted(found))


_ALIAS_PAIRS = _alias_pairs()


def _render(node: Any, ascii_only: bool) -> str:
    if isinstance(node, _Number):
        return str.__str__(node)
    if isinstance(node, (dict, _Pairs)):
        items = node.items() if isinstance(node, dict) else node.items
        inner = ", ".join(
            f"{json.dumps(key, ensure_ascii=ascii_only)}: {_render(value, ascii_only)}"
            for key, value in items
        )
        return "{" + inner + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_render(item, ascii_only) for item in node) + "]"
    return json.dumps(node, ensure_ascii=ascii_only)
