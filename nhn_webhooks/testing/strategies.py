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
from typing import Any

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
from .._dispatch import WEBHOOK_CLASSES
from .._model import Model, hook_type, union_members
from .._outcome import result_codes
from .._quirks import aliases_for
from .._timestamps import KST

__all__ = ["bodies", "payloads", "timestamps"]

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
        if info.name in model.__public_fields__
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
