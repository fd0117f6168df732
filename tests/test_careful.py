"""The careful path: one entry point for decode() and decode_partial(), exact at every edge."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import nhn_webhooks as nw
from tests.conftest import sample_dict, to_body


def template_batch_under_message_result_update() -> dict[str, Any]:
    data = sample_dict("kakao-template-status-update")
    data["event"] = "MESSAGE_RESULT_UPDATE"
    good = data["hooks"][0]
    bad = dict(copy.deepcopy(good), hookId="bad", updateDate="not a date")
    data["hooks"] = [good, bad]
    return data


def test_decode_blames_the_hook_that_is_wrong_in_the_class_that_fits_best() -> None:
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(template_batch_under_message_result_update()))
    assert caught.value.path == "$.hooks[1].updateDate"


def test_partial_keeps_the_good_template_hook_under_message_result_update() -> None:
    data = template_batch_under_message_result_update()
    result = nw.decode_partial(to_body(data))
    assert isinstance(result.webhook, nw.KakaoTemplateStatusUpdate)
    assert [hook.hook_id for hook in result.webhook.hooks] == [data["hooks"][0]["hookId"]]
    assert [failure.index for failure in result.failures] == [1]
    assert result.failures[0].error.path == "$.hooks[1].updateDate"


def test_partial_reads_the_last_of_duplicate_hooks_keys_as_decode_does() -> None:
    data = sample_dict("sms-unsubscribe")
    hooks = json.dumps([data["hooks"][0], {"hookId": 5}])
    del data["hooks"]
    body = to_body(data)[:-1] + b', "hooks": 0, "hooks": ' + hooks.encode() + b"}"
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body)
    assert caught.value.path == "$.hooks[1].hookId"
    result = nw.decode_partial(body)
    assert len(result.webhook.hooks) == 1
    assert [(f.index, json.loads(f.raw)) for f in result.failures] == [(1, {"hookId": 5})]


ENVELOPE = {
    "hooksId": "P1",
    "webhookConfigId": "C1",
    "productName": "Push",
    "appKey": "A1",
    "event": "SENT",
    "hooks": [],
}


@pytest.mark.parametrize("body", [b"{}", b'{"productName": "Push"}'])
def test_a_json_object_that_is_not_a_webhook_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(nw.DecodeError, match=r"^\$\.hooksId: missing required field$"):
        nw.decode(body)


@pytest.mark.parametrize("key", list(ENVELOPE))
@pytest.mark.parametrize("product", ["Push", "SMS"])
@pytest.mark.parametrize("wrong", ["missing", None, 7], ids=["missing", "null", "int"])
def test_every_envelope_field_is_required_for_every_result(
    key: str, product: str, wrong: object
) -> None:
    data = dict(ENVELOPE, productName=product, event="UNSUBSCRIBE" if product == "SMS" else "X")
    if key == "productName" and wrong != "missing":
        product = "no product"
    if wrong == "missing":
        del data[key]
    else:
        data[key] = wrong
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert caught.value.path == f"$.{key}"


def test_unknown_webhook_envelope_attributes_are_plain_str() -> None:
    webhook = nw.decode(to_body(ENVELOPE))
    assert isinstance(webhook, nw.UnknownWebhook)
    assert (webhook.hooks_id, webhook.app_key, webhook.event) == ("P1", "A1", "SENT")
    assert nw.idempotency_key(webhook).startswith("nhn-webhooks:post:")


def test_a_required_timestamp_sent_empty_says_so() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["requestDate"] = ""
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert str(caught.value) == '$.hooks[0].requestDate: expected datetime, got ""'


@pytest.mark.parametrize("bad", ["yesterday", 5, []], ids=["text", "int", "array"])
def test_a_bad_alias_value_is_reported_at_the_key_that_was_sent(bad: object) -> None:
    data = sample_dict("sms-conversion-block")
    del data["hooks"][0]["blockedDateTime"]
    data["hooks"][0]["createdDateTime"] = bad
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert caught.value.path == "$.hooks[0].createdDateTime"


@pytest.mark.parametrize(
    ("number", "reason"),
    [("1e400", "number out of range"), ("9" * 4400, "integer out of range")],
    ids=["float", "digits"],
)
def test_a_number_out_of_range_names_its_field(number: str, reason: str) -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"].append(copy.deepcopy(data["hooks"][0]))
    body = to_body(data).replace(b'"recipientSeq": 1', b'"recipientSeq": ' + number.encode(), 1)
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body)
    assert str(caught.value) == f"$.hooks[0].recipientSeq: {reason}"
    result = nw.decode_partial(body)
    assert [failure.index for failure in result.failures] == [0]
    assert len(result.webhook.hooks) == 1


def test_a_number_out_of_range_in_the_envelope_names_it() -> None:
    body = to_body(dict(ENVELOPE, appKey=[1, {"x": 0}])).replace(b'"x": 0', b'"x": 1e400')
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode_partial(body)
    assert str(caught.value) == "$.appKey[1].x: number out of range"
