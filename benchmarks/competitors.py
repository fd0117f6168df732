"""The four ways to read a webhook body that the benchmark sets side by side.

- ``floor``: msgspec decoding straight into Structs that mirror the wire (camelCase
  names, ``datetime`` fields, msgspec's default options), written the way a user would
  from NHN's field tables. No quirk handling, no normalization: a timestamp without an
  offset stays naive, a misspelled key is ignored. Nothing can be cheaper in Python.
- ``nhn_webhooks``: ``nhn_webhooks.decode(body)``. Unlike the others it is not told the
  class: it finds it from productName and event.
- ``pydantic``: pydantic v2 models doing the normalization nhn_webhooks does (aware
  datetimes with Korea time for a naive value, the quirk aliases, digit-string
  integers), via ``model_validate_json``.
- ``json.loads``: the standard library to dicts, no validation.

"Touch" reads what a handler reads: every timestamp and the key a handler groups by
(``recipientGroupingKey``, ``senderGroupingKey``; a Kakao template hook has no grouping
key, so its ``templateCode``). json.loads' touch resolves the misspelled keys as a
handler must, but leaves timestamps as the strings it got: parsing them would cost it
more, so its touch figure is a lower bound.

:func:`plain` turns any competitor's result into the same comparable tree, outside
the timed code, for the check that all four decode the same values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, NamedTuple

import msgspec
from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from workloads import Kind

import nhn_webhooks

KST = timezone(timedelta(hours=9))

# --- floor: msgspec Structs mirroring the wire ---------------------------------------


class FloorLink(msgspec.Struct):
    href: str


class FloorLinks(msgspec.Struct):
    self: FloorLink


class FloorSmsHook(msgspec.Struct, kw_only=True):
    hookId: str
    senderType: str
    requestId: str
    recipientSeq: int
    requestDate: datetime
    receiveDate: datetime | None = None
    sendNo: str
    recipientNo: str
    messageStatus: str
    recipientGroupingKey: str | None = None
    senderGroupingKey: str | None = None
    resultCode: str
    messageCount: int | None = None
    _links: FloorLinks | None = None


class FloorSmsResultUpdate(msgspec.Struct):
    hooksId: str
    webhookConfigId: str
    productName: str
    appKey: str
    event: str
    hooks: list[FloorSmsHook]


class FloorKakaoAttachment(msgspec.Struct):
    originalFileName: str
    filePath: str


class FloorKakaoComment(msgspec.Struct, kw_only=True):
    id: int | str
    content: str
    userName: str
    createdAt: datetime
    attachment: list[FloorKakaoAttachment] = []
    status: str


class FloorKakaoTemplateHook(msgspec.Struct, kw_only=True):
    hookId: str
    senderKey: str
    templateCode: str
    kakaoTemplateCode: str | None = None
    status: str
    comments: list[FloorKakaoComment] = []
    updateDate: datetime


class FloorKakaoTemplateStatusUpdate(msgspec.Struct):
    hooksId: str
    webhookConfigId: str
    productName: str
    appKey: str
    event: str
    hooks: list[FloorKakaoTemplateHook]


class FloorEmailHook(msgspec.Struct, kw_only=True):
    hookId: str
    messageType: str
    requestId: str
    mailSeq: int
    senderAddress: str
    receiveMailAddr: str
    mailStatusCode: str
    requestDate: datetime
    createDate: datetime
    resultDate: datetime | None = None
    dsnCode: str | None = None
    dsnMessage: str | None = None
    senderGroupingKey: str | None = None
    _links: FloorLinks | None = None


class FloorEmailResultUpdate(msgspec.Struct):
    hooksId: str
    webhookConfigId: str
    productName: str
    appKey: str
    event: str
    hooks: list[FloorEmailHook]


_FLOOR_DECODERS: dict[Kind, msgspec.json.Decoder[Any]] = {
    "sms": msgspec.json.Decoder(FloorSmsResultUpdate),
    "kakao": msgspec.json.Decoder(FloorKakaoTemplateStatusUpdate),
    "email": msgspec.json.Decoder(FloorEmailResultUpdate),
}


def _touch_floor_sms(webhook: Any) -> None:
    for hook in webhook.hooks:
        _ = hook.requestDate
        _ = hook.receiveDate
        _ = hook.recipientGroupingKey


def _touch_floor_kakao(webhook: Any) -> None:
    for hook in webhook.hooks:
        _ = hook.updateDate
        _ = hook.templateCode
        for comment in hook.comments:
            _ = comment.createdAt


def _touch_floor_email(webhook: Any) -> None:
    for hook in webhook.hooks:
        _ = hook.requestDate
        _ = hook.createDate
        _ = hook.resultDate
        _ = hook.senderGroupingKey


# --- nhn_webhooks ---------------------------------------------------------------------


def _touch_sms(webhook: Any) -> None:
    for hook in webhook.hooks:
        _ = hook.request_date
        _ = hook.receive_date
        _ = hook.recipient_grouping_key


def _touch_kakao(webhook: Any) -> None:
    for hook in webhook.hooks:
        _ = hook.update_date
        _ = hook.template_code
        for comment in hook.comments:
            _ = comment.created_at


def _touch_email(webhook: Any) -> None:
    for hook in webhook.hooks:
        _ = hook.request_date
        _ = hook.create_date
        _ = hook.result_date
        _ = hook.sender_grouping_key


# --- pydantic v2: the same normalization as nhn_webhooks -------------------------------


def _korea_time(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=KST)


KoreaTime = Annotated[datetime, AfterValidator(_korea_time)]


class _PydanticModel(BaseModel):
    # Lax mode (the default) already reads "0" as 0 for int fields.
    model_config = ConfigDict(alias_generator=to_camel, frozen=True)


class PydanticLink(_PydanticModel):
    href: str


class PydanticLinks(_PydanticModel):
    self: PydanticLink


class PydanticSmsHook(_PydanticModel):
    hook_id: str
    sender_type: str
    request_id: str
    recipient_seq: int
    request_date: KoreaTime
    receive_date: KoreaTime | None = None
    send_no: str
    recipient_no: str
    message_status: str
    recipient_grouping_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("recipientGroupingKey", "recipientGropuingKey"),
    )
    sender_grouping_key: str | None = None
    result_code: str
    message_count: int | None = None
    links: PydanticLinks | None = Field(
        default=None, validation_alias=AliasChoices("_links", "_link")
    )


class PydanticSmsResultUpdate(_PydanticModel):
    hooks_id: str
    webhook_config_id: str
    product_name: str
    app_key: str
    event: str
    hooks: list[PydanticSmsHook]


class PydanticKakaoAttachment(_PydanticModel):
    original_file_name: str
    file_path: str


class PydanticKakaoComment(_PydanticModel):
    id: int | str
    content: str
    user_name: str
    created_at: KoreaTime
    attachment: list[PydanticKakaoAttachment] = []
    status: str


class PydanticKakaoTemplateHook(_PydanticModel):
    hook_id: str
    sender_key: str
    template_code: str
    kakao_template_code: str | None = None
    status: str
    comments: list[PydanticKakaoComment] = []
    update_date: KoreaTime


class PydanticKakaoTemplateStatusUpdate(_PydanticModel):
    hooks_id: str
    webhook_config_id: str
    product_name: str
    app_key: str
    event: str
    hooks: list[PydanticKakaoTemplateHook]


class PydanticEmailHook(_PydanticModel):
    hook_id: str
    message_type: str
    request_id: str
    mail_seq: int
    sender_address: str
    receive_mail_addr: str
    mail_status_code: str
    request_date: KoreaTime
    create_date: KoreaTime
    result_date: KoreaTime | None = None
    dsn_code: str | None = None
    dsn_message: str | None = None
    sender_grouping_key: str | None = Field(
        default=None, validation_alias=AliasChoices("senderGroupingKey", "senderGroupKey")
    )
    links: PydanticLinks | None = Field(default=None, validation_alias="_links")


class PydanticEmailResultUpdate(_PydanticModel):
    hooks_id: str
    webhook_config_id: str
    product_name: str
    app_key: str
    event: str
    hooks: list[PydanticEmailHook]


_PYDANTIC_MODELS: dict[Kind, type[BaseModel]] = {
    "sms": PydanticSmsResultUpdate,
    "kakao": PydanticKakaoTemplateStatusUpdate,
    "email": PydanticEmailResultUpdate,
}


# --- json.loads: dicts, and the key lookups a handler must write ------------------------


def _touch_dict_sms(webhook: Any) -> None:
    for hook in webhook["hooks"]:
        _ = hook["requestDate"]
        _ = hook.get("receiveDate")
        key = hook.get("recipientGroupingKey")
        if key is None:
            key = hook.get("recipientGropuingKey")


def _touch_dict_kakao(webhook: Any) -> None:
    for hook in webhook["hooks"]:
        _ = hook["updateDate"]
        _ = hook["templateCode"]
        for comment in hook.get("comments", ()):
            _ = comment["createdAt"]


def _touch_dict_email(webhook: Any) -> None:
    for hook in webhook["hooks"]:
        _ = hook["requestDate"]
        _ = hook["createDate"]
        _ = hook.get("resultDate")
        key = hook.get("senderGroupingKey")
        if key is None:
            key = hook.get("senderGroupKey")


# --- comparable trees (never timed) -----------------------------------------------------
#
# A tree of dicts with snake_case keys, lists, and plain values; datetimes as ISO text
# (so the offset is compared too); None-valued entries dropped, so "absent" and
# "None" compare equal (none of the workloads sends null).

_ALIASES = {
    "recipientGropuingKey": "recipientGroupingKey",
    "_link": "_links",
    "senderGroupKey": "senderGroupingKey",
}
_TIMESTAMP_KEYS = frozenset(
    {"requestDate", "receiveDate", "createDate", "resultDate", "createdAt", "updateDate"}
)
_CAMEL_STEP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _snake(wire_name: str) -> str:
    return _CAMEL_STEP.sub("_", wire_name.lstrip("_")).lower()


def _plain_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    return value


def _plain_nhn(value: Any) -> Any:
    if isinstance(value, nhn_webhooks.Model):
        return _plain_value(
            {name: _plain_nhn(getattr(value, name)) for name in value._public_fields}
        )
    if isinstance(value, list):
        return [_plain_nhn(v) for v in value]
    return _plain_value(value)


def _plain_floor(value: Any) -> Any:
    """The floor's tree with naive timestamps read as Korea time, after the fact."""
    if isinstance(value, msgspec.Struct):
        return {
            _snake(name): _plain_floor(getattr(value, name))
            for name in value.__struct_fields__
            if getattr(value, name) is not None
        }
    if isinstance(value, list):
        return [_plain_floor(v) for v in value]
    if isinstance(value, datetime):
        return _korea_time(value).isoformat()
    return value


def plain_dicts(value: Any, *, resolve_aliases: bool) -> Any:
    """json.loads' tree normalized by hand: what every competitor should agree on.

    With ``resolve_aliases`` false, misspelled keys are dropped instead of resolved:
    what the floor, which knows only the documented spelling, can be expected to read.
    """
    if isinstance(value, list):
        return [plain_dicts(v, resolve_aliases=resolve_aliases) for v in value]
    if not isinstance(value, dict):
        return value
    tree: dict[str, Any] = {}
    for key, item in value.items():
        if key in _ALIASES:
            if not resolve_aliases or _ALIASES[key] in value:
                continue
            key = _ALIASES[key]
        if item is None:
            continue
        if key in _TIMESTAMP_KEYS:
            item = _korea_time(datetime.fromisoformat(item)).isoformat()
        tree[_snake(key)] = plain_dicts(item, resolve_aliases=resolve_aliases)
    return tree


def _plain_pydantic(result: BaseModel) -> Any:
    return _plain_value(result.model_dump())


def _plain_loaded(result: Any) -> Any:
    return plain_dicts(result, resolve_aliases=True)


# --- the line-up ---------------------------------------------------------------------


class Competitor(NamedTuple):
    """How one competitor decodes a body of each kind, and reads it afterwards."""

    name: str
    decoder: Callable[[Kind], Callable[[bytes], Any]]
    touch: dict[Kind, Callable[[Any], None]]
    plain: Callable[[Any], Any]


FLOOR = Competitor(
    "floor",
    lambda kind: _FLOOR_DECODERS[kind].decode,
    {"sms": _touch_floor_sms, "kakao": _touch_floor_kakao, "email": _touch_floor_email},
    _plain_floor,
)
NHN_WEBHOOKS = Competitor(
    "nhn_webhooks",
    lambda kind: nhn_webhooks.decode,
    {"sms": _touch_sms, "kakao": _touch_kakao, "email": _touch_email},
    _plain_nhn,
)
PYDANTIC = Competitor(
    "pydantic",
    lambda kind: _PYDANTIC_MODELS[kind].model_validate_json,
    {"sms": _touch_sms, "kakao": _touch_kakao, "email": _touch_email},
    _plain_pydantic,
)
JSON_LOADS = Competitor(
    "json.loads",
    lambda kind: json.loads,
    {"sms": _touch_dict_sms, "kakao": _touch_dict_kakao, "email": _touch_dict_email},
    _plain_loaded,
)
COMPETITORS = (FLOOR, NHN_WEBHOOKS, PYDANTIC, JSON_LOADS)
