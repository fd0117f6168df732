"""encode(): a decoded webhook back to NHN's wire format, decoding to an equal webhook."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body
from tests.conftest import examples, sample_dict, to_body
from tests.strategies import webhook_bodies

CLASSES = [*nw.WEBHOOK_CLASSES, nw.UnknownWebhook]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=examples(60))
@given(data=st.data())
def test_decode_of_encode_is_the_same_webhook(cls: type[Any], data: st.DataObject) -> None:
    webhook = nw.decode(data.draw(webhook_bodies(cls), label="body"))
    assert type(webhook) is cls
    encoded = nw.encode(webhook)
    again = nw.decode(encoded)
    assert again == webhook
    assert nw.encode(again) == encoded


@pytest.mark.parametrize("cls", nw.WEBHOOK_CLASSES, ids=lambda cls: cls.__name__)
def test_bundled_sample_encodes_to_its_own_json(cls: type[nw.Envelope]) -> None:
    name = SAMPLE_NAMES[cls]
    expected = sample_dict(name)
    for hook in expected["hooks"]:
        if hook.get("isAddedChannel", False) is None:
            del hook["isAddedChannel"]  # null optional fields are left out
        if hook.get("receiveDate") == "2023-06-01":
            hook["receiveDate"] = "2023-06-01 00:00:00"  # a date alone is midnight
    assert json.loads(nw.encode(nw.decode(sample_body(name)))) == expected


def encoded_hook(name: str, **changes: Any) -> dict[str, Any]:
    data = sample_dict(name)
    data["hooks"][0].update(changes)
    return json.loads(nw.encode(nw.decode(to_body(data))))["hooks"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("sent", "written"),
    [
        ("2020-09-09T11:25:10.000+09:00", "2020-09-09T11:25:10.000+09:00"),
        ("2020-09-09T11:25:10+09:00", "2020-09-09T11:25:10.000+09:00"),
        ("2020-09-09T02:25:10Z", "2020-09-09T02:25:10.000Z"),
        ("2020-09-09T02:25:10+00:00", "2020-09-09T02:25:10.000Z"),
        ("2020-09-09T07:55:10.5+05:30", "2020-09-09T07:55:10.500+05:30"),
        ("2020-09-08T21:25:10.123456-05:00", "2020-09-08T21:25:10.123456-05:00"),
        ("2020-09-09T11:25:10", "2020-09-09T11:25:10"),
        ("2020-09-09T11:25:10.250", "2020-09-09T11:25:10.250"),
        ("2020-09-09 11:25:10", "2020-09-09T11:25:10"),
        ("2020-09-09", "2020-09-09T00:00:00"),
        ("2020-09-09T11:25+0930", "2020-09-09T11:25:00.000+09:30"),
    ],
)
def test_timestamps_are_written_in_nhn_formats_keeping_offset_or_its_absence(
    sent: str, written: str
) -> None:
    assert encoded_hook("email-message-result-update", requestDate=sent)["requestDate"] == written


def test_kakao_timestamps_without_offset_keep_the_space_separator() -> None:
    hook = encoded_hook(
        "kakao-message-result-update", requestDate="2023-06-01T09:30:00", receiveDate="2023-06-02"
    )
    assert (hook["requestDate"], hook["receiveDate"]) == (
        "2023-06-01 09:30:00",
        "2023-06-02 00:00:00",
    )


def test_undocumented_spellings_stay_as_sent() -> None:
    hook = encoded_hook("sms-message-result-update")
    assert hook["recipientGropuingKey"] == "RecipientGroupingKey"
    assert "_link" in hook
    assert "recipientGroupingKey" not in hook
    assert "_links" not in hook


def test_required_alias_is_written_under_the_documented_name() -> None:
    hook = encoded_hook("sms-conversion-block", createdDateTime="2024-05-28T09:00:00+09:00")
    assert hook["blockedDateTime"] == "2024-05-28T09:00:00.000+09:00"
    assert "createdDateTime" not in hook


@pytest.mark.parametrize("sent", ["0", "007", "-3", 7, 2**70])
def test_integers_are_written_as_sent(sent: object) -> None:
    assert encoded_hook("email-message-result-update", mailSeq=sent)["mailSeq"] == sent


def test_null_and_absent_optional_fields_are_left_out() -> None:
    hook = encoded_hook("sms-message-result-update", receiveDate=None, messageCount=None)
    assert "receiveDate" not in hook
    assert "messageCount" not in hook


def test_unknown_webhook_keeps_hooks_and_every_other_top_level_key() -> None:
    body = {
        "hooksId": "P1",
        "webhookConfigId": "C1",
        "productName": "Push",
        "appKey": "A",
        "event": "SENT",
        "hooks": [{"a": [1, 2.5, None, {"b": True}], "c": "é"}],
        "eventTime": "2026-01-01T00:00:00Z",
        "data": {"nested": [1]},
        "extra": "a key named like the attribute",
    }
    webhook = nw.decode(to_body(body))
    assert isinstance(webhook, nw.UnknownWebhook)
    assert webhook.extra == {
        "eventTime": "2026-01-01T00:00:00Z",
        "data": {"nested": [1]},
        "extra": "a key named like the attribute",
    }
    assert json.loads(nw.encode(webhook)) == body
    assert nw.decode(nw.encode(webhook)) == webhook


@pytest.mark.parametrize(
    "value",
    [
        nw.decode(sample_body("sms-unsubscribe")).hooks[0],
        {"productName": "SMS"},
        b"{}",
    ],
    ids=["hook", "dict", "bytes"],
)
def test_anything_but_a_webhook_is_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="webhook returned by decode"):
        nw.encode(value)
