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

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:  # the extra is optional; say which one to install
    raise ModuleNotFoundError(
        "nhn_webhooks.testing.strategies needs hypothesis, which the package's "
        '"testing" extra installs: python -m pip install "nhn-webhooks[testing]"',
        name=exc.name,
    ) from exc

from .._models._base import BOOL, INT, INT_OR_STR, MODELS, STR, TIMESTAMP, Field, Model, hook_type
from .._models._email import EmailMessageResultHook
from .._models._envelope import Envelope, Links
from .._models._kakao import KakaoMessageResultHook, KakaoTemplateComment, KakaoTemplateStatusHook
from .._models._registry import WEBHOOK_CLASSES
from .._models._sms import SmsMessageResultHook
from .._models._timestamps import KST
from .._models._values import (
    Code,
    EmailMessageType,
    KakaoCommentStatus,
    KakaoMessageType,
    KakaoTemplateStatus,
    SmsSenderType,
)
from .._result_codes._outcome import TABLES, result_codes
from ._mutations import mutated

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
    return mutated(payloads(webhook, max_hooks=max_hooks))


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

_CODES: dict[tuple[type[Model], str], type[Code]] = {
    (SmsMessageResultHook, "sender_type"): SmsSenderType,
    (KakaoTemplateStatusHook, "status"): KakaoTemplateStatus,
    (KakaoTemplateComment, "status"): KakaoCommentStatus,
    (KakaoMessageResultHook, "kakao_message_type"): KakaoMessageType,
    (EmailMessageResultHook, "message_type"): EmailMessageType,
}
"""Code fields without a result-code table: the values their enum documents."""

# Result-code fields: the codes NHN's tables list (see nhn_webhooks.result_code).
_TABLES = {(table.product, table.field): table.name for table in TABLES}

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
    hooks = st.lists(
        _object(hook_type(webhook), webhook.PRODUCT_NAME), min_size=1, max_size=max_hooks
    )
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


def _object(model: type[Model], product: str) -> _Entry:
    """Wire objects of ``model``: every public field, in one of its accepted spellings."""
    parts = [_entry(model, field, product) for field in model._model_fields]
    return st.tuples(*parts).map(_merge)


def _merge(parts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


def _entry(model: type[Model], field: Field, product: str) -> _Entry:
    """``{key: value}`` for one field under its documented key, an alias, or both;
    nothing at all, sometimes, for a field with a default."""
    values = _values(model, field, product)
    if field.optional:
        values = values | st.none()
    key = field.wire
    if field.aliases:
        spellings = [(key,), *((a,) for a in field.aliases), *((key, a) for a in field.aliases)]
        keyed = st.tuples(st.sampled_from(spellings), values).map(
            lambda case: dict.fromkeys(case[0], case[1])
        )
    else:
        keyed = values.map(lambda value: {key: value})
    return keyed if field.required else keyed | st.just({})


def _values(model: type[Model], field: Field, product: str) -> st.SearchStrategy[Any]:
    if field.kind == TIMESTAMP:
        texts = _TIMESTAMPS.map(lambda case: case[0])
        return texts | st.just("") if field.optional else texts
    if field.kind == BOOL:
        return st.booleans()
    if field.kind == INT_OR_STR:  # comment id: Integer since 2025-11, String before
        return _INTS | _TEXT
    if field.kind == INT:  # int, or its digit string (rule DIGITS)
        return _INTS | _INTS.map(str)
    if field.model is Links:
        return _HREFS.map(lambda href: {"self": {"href": href}})
    if field.kind == STR:
        return _strings(model, field, product)
    if field.kind == MODELS and field.model is not None:
        return st.lists(_object(field.model, product), max_size=2)
    raise TypeError(f"no strategy for {model.__name__}.{field.attribute}: {field.declared!r}")


def _strings(model: type[Model], field: Field, product: str) -> st.SearchStrategy[str]:
    table = _TABLES.get((product, field.wire))
    if table is not None:  # listed codes, and ones NHN may add
        listed = [entry.code for entry in result_codes(table) if entry.code]
        return st.sampled_from(listed) | _CODE_TEXT
    code = _CODES.get((model, field.attribute))
    if code is not None:  # documented values, and ones NHN may add
        return st.sampled_from([member.value for member in code]) | _CODE_TEXT
    return _STRINGS.get(field.attribute, _TEXT)


# --- received ------------------------------------------------------------------------


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
