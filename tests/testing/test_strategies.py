"""The hypothesis strategies users property-test with: valid bodies, in all NHN's ways."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
import pytest
from hypothesis import Phase, given, settings
from hypothesis import find as hypothesis_find
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks._models._base import hook_type
from nhn_webhooks._models._quirks import QUIRKS
from nhn_webhooks.testing import strategies as nws
from tests.conftest import examples

CLASSES = nw.WEBHOOK_CLASSES

T = TypeVar("T")


SEEN: dict[st.SearchStrategy[Any], list[Any]] = {}


def find(strategy: st.SearchStrategy[T], condition: Callable[[T], object]) -> T:
    """An example satisfying ``condition``: proof the strategy generates such values.

    Every value the strategy generated for an earlier call is looked at first, so
    tests searching one strategy for different things share the cost of drawing;
    then new values are drawn until one satisfies it. The first one found is
    enough, so shrinking it (hypothesis' default) is skipped.
    """
    seen: list[T] = SEEN.setdefault(strategy, [])
    for value in seen:
        if condition(value):
            return value

    def remembered(value: T) -> bool:
        seen.append(value)
        return bool(condition(value))

    return hypothesis_find(
        strategy,
        remembered,
        settings=settings(max_examples=2000, phases=[Phase.generate], database=None),
    )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=examples(30))
@given(data=st.data())
def test_every_generated_body_decodes_to_its_class_with_every_hook(
    cls: type[nw.Envelope], data: st.DataObject
) -> None:
    body = data.draw(nws.bodies(cls))
    sent = json.loads(body)
    webhook = nw.decode(body)
    assert type(webhook) is cls
    assert webhook.hooks_id == sent["hooksId"]
    assert [hook.hook_id for hook in webhook.hooks] == [hook["hookId"] for hook in sent["hooks"]]


@settings(max_examples=examples(60))
@given(nws.bodies(max_hooks=1))
def test_any_class_strategy_generates_every_class(body: bytes) -> None:
    assert type(nw.decode(body)) in CLASSES


ANY_BODIES = nws.bodies()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_any_class_strategy_reaches_each_class(cls: type[nw.Envelope]) -> None:
    find(ANY_BODIES, lambda body: type(nw.decode(body)) is cls)


ALIASES = [quirk.alias for quirk in QUIRKS if quirk.alias is not None]


@pytest.mark.parametrize(("model", "attribute", "wire"), ALIASES, ids=[a[2] for a in ALIASES])
def test_every_registered_misspelling_is_generated_alone(
    model: str, attribute: str, wire: str
) -> None:
    (cls,) = [cls for cls in CLASSES if hook_type(cls).__name__ == model]
    (documented,) = [
        info.encode_name
        for info in msgspec.structs.fields(hook_type(cls))
        if info.name == attribute
    ]

    def alone(hook: dict[str, Any]) -> bool:
        return documented not in hook and hook.get(wire) not in (None, "")

    payload = find(nws.payloads(cls), lambda p: any(alone(hook) for hook in p["hooks"]))
    index = next(i for i, hook in enumerate(payload["hooks"]) if alone(hook))
    assert getattr(nw.decode(json.dumps(payload)).hooks[index], attribute) is not None


SHAPES = {
    "offset": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d",
    "zulu": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
    "no offset": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?",
    "space": r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?",
    "date only": r"\d{4}-\d\d-\d\d",
}


@pytest.mark.parametrize("pattern", SHAPES.values(), ids=SHAPES.keys())
def test_every_timestamp_shape_is_generated(pattern: str) -> None:
    find(nws.timestamps(), lambda case: re.fullmatch(pattern, case[0]) is not None)


@given(nws.timestamps())
def test_generated_timestamps_are_aware_and_match_their_text(case: tuple[str, Any]) -> None:
    text, instant = case
    assert instant.tzinfo is not None
    assert text[:10] == instant.strftime("%Y-%m-%d")


@pytest.mark.parametrize(
    ("cls", "condition"),
    [
        # integers as digit strings (rule DIGITS)
        (nw.SmsMessageResultUpdate, lambda hook: isinstance(hook.get("recipientSeq"), str)),
        (nw.EmailMessageResultUpdate, lambda hook: isinstance(hook.get("mailSeq"), int)),
        # optional fields absent, null, and "" for a timestamp
        (nw.SmsMessageResultUpdate, lambda hook: "receiveDate" not in hook),
        (nw.SmsMessageResultUpdate, lambda hook: hook.get("receiveDate", 0) is None),
        (nw.SmsMessageResultUpdate, lambda hook: hook.get("receiveDate") == ""),
        (nw.KakaoMessageResultUpdate, lambda hook: hook.get("isAddedChannel") is False),
        # code values NHN has not documented (yet)
        (
            nw.SmsMessageResultUpdate,
            lambda hook: not nw.SmsMessageStatus.is_documented(hook["messageStatus"]),
        ),
        # Kakao comment ids as String (before 2025-11) and Integer
        (
            nw.KakaoTemplateStatusUpdate,
            lambda hook: any(isinstance(c["id"], str) for c in hook.get("comments", [])),
        ),
    ],
)
def test_quirky_values_are_generated(cls: type[nw.Envelope], condition: Any) -> None:
    find(nws.payloads(cls), lambda payload: any(condition(hook) for hook in payload["hooks"]))


def test_nhns_curl_spelling_of_the_sms_product_is_generated() -> None:
    find(nws.payloads(nw.SmsUnsubscribe), lambda payload: payload["productName"] == "Sms")


def test_the_unnamed_kakao_template_event_takes_any_name() -> None:
    find(
        nws.payloads(nw.KakaoTemplateStatusUpdate),
        lambda payload: payload["event"] not in ("TEMPLATE_STATUS_UPDATE", "MESSAGE_RESULT_UPDATE"),
    )


def test_bodies_are_sometimes_ascii_escaped_and_indented() -> None:
    find(ANY_BODIES, lambda body: b"\\u" in body and b"\n  " in body)


def test_strategies_refuse_classes_without_a_wire_format() -> None:
    with pytest.raises(TypeError, match="WEBHOOK_CLASSES"):
        nws.bodies(nw.UnknownWebhook)  # type: ignore[arg-type]
