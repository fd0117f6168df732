"""decode_partial(): one bad hook does not sink the batch; and the optional limits."""

from __future__ import annotations

import copy
import json
from typing import Any

import hypothesis
import pytest
from hypothesis import strategies as st

import nhn_webhooks as nw
from tests.conftest import sample_dict, to_body


def batch(sample: str, count: int, bad: dict[int, dict[str, Any]]) -> dict[str, Any]:
    data = sample_dict(sample)
    hook = data["hooks"][0]
    data["hooks"] = [dict(copy.deepcopy(hook), hookId=f"hook-{index}") for index in range(count)]
    for index, changes in bad.items():
        data["hooks"][index].update(changes)
    return data


def test_all_good_hooks_give_the_same_webhook_as_decode(sample_name: str) -> None:
    body = to_body(sample_dict(sample_name))
    result = nw.decode_partial(body)
    assert result.ok
    assert result.failures == ()
    assert result.webhook == nw.decode(body)


def test_bad_hooks_are_set_aside_with_index_error_and_raw_json() -> None:
    data = batch(
        "sms-message-result-update",
        6,
        {1: {"recipientSeq": "abc"}, 4: {"requestDate": "yesterday"}},
    )
    result = nw.decode_partial(to_body(data))
    assert not result.ok
    assert [hook.hook_id for hook in result.webhook.hooks] == [
        "hook-0",
        "hook-2",
        "hook-3",
        "hook-5",
    ]
    assert [failure.index for failure in result.failures] == [1, 4]
    first, second = result.failures
    assert str(first.error) == '$.hooks[1].recipientSeq: expected int, got "abc"'
    assert second.error.path == "$.hooks[4].requestDate"
    assert json.loads(first.raw) == data["hooks"][1]
    assert json.loads(second.raw) == data["hooks"][4]


def test_good_hooks_decode_exactly_as_decode_would() -> None:
    data = batch("sms-message-result-update", 3, {1: {"hookId": 5}})
    result = nw.decode_partial(to_body(data))
    clean = nw.decode(to_body(batch("sms-message-result-update", 3, {})))
    assert result.webhook.hooks == [clean.hooks[0], clean.hooks[2]]
    assert result.webhook.hooks_id == clean.hooks_id


def test_hook_that_is_not_an_object_is_a_failure() -> None:
    data = batch("email-unsubscribe", 3, {})
    data["hooks"][2] = "not a hook"
    result = nw.decode_partial(to_body(data))
    assert len(result.webhook.hooks) == 2
    assert result.failures[0].index == 2
    assert result.failures[0].raw == b'"not a hook"'


def test_every_hook_bad_gives_an_empty_webhook_and_all_failures() -> None:
    data = batch("sms-unsubscribe", 3, {i: {"recipientNo": None} for i in range(3)})
    result = nw.decode_partial(to_body(data))
    assert isinstance(result.webhook, nw.SmsUnsubscribe)
    assert result.webhook.hooks == []
    assert [f.index for f in result.failures] == [0, 1, 2]


def test_kakao_template_batch_with_a_bad_comment_is_salvaged() -> None:
    data = batch("kakao-template-status-update", 2, {})
    data["hooks"][0]["comments"][0]["createdAt"] = "bad"
    result = nw.decode_partial(to_body(data))
    assert isinstance(result.webhook, nw.KakaoTemplateStatusUpdate)
    assert result.failures[0].error.path == "$.hooks[0].comments[0].createdAt"
    assert len(result.webhook.hooks) == 1


@pytest.mark.parametrize(
    "envelope_change",
    [{"hooksId": None}, {"hooks": "x"}, {"appKey": 5}],
    ids=["hooks-id", "hooks-not-list", "app-key"],
)
def test_a_bad_envelope_still_raises(envelope_change: dict[str, Any]) -> None:
    data = batch("sms-unsubscribe", 2, {0: {"recipientNo": None}})
    data.update(envelope_change)
    with pytest.raises(nw.DecodeError):
        nw.decode_partial(to_body(data))


def test_malformed_json_still_raises() -> None:
    with pytest.raises(nw.DecodeError):
        nw.decode_partial(b'{"hooks": [')


def test_partial_works_for_str_and_memoryview_bodies() -> None:
    body = to_body(batch("sms-unsubscribe", 2, {1: {"recipientNo": 7}}))
    for given in (body.decode(), memoryview(body), bytearray(body)):
        result = nw.decode_partial(given)
        assert [f.index for f in result.failures] == [1]
        assert json.loads(result.failures[0].raw)["recipientNo"] == 7


def test_partial_on_an_unknown_event_keeps_object_hooks() -> None:
    envelope = {"hooksId": "P", "webhookConfigId": "C", "productName": "SMS", "appKey": "A"}
    data = {**envelope, "event": "NEW", "hooks": [{"a": 1}, 2, {"b": 3}]}
    result = nw.decode_partial(json.dumps(data))
    assert result.webhook == nw.UnknownWebhook(
        hooks_id="P",
        webhook_config_id="C",
        product_name="SMS",
        app_key="A",
        event="NEW",
        hooks=[{"a": 1}, {"b": 3}],
    )
    assert [f.index for f in result.failures] == [1]


def test_partial_checks_the_signature() -> None:
    with pytest.raises(nw.SignatureError):
        nw.decode_partial(b"{}", signature="s", headers={})


# --- limits ----------------------------------------------------------------------


def test_limits_are_off_by_default() -> None:
    data = batch("sms-message-result-update", 2000, {})
    assert len(nw.decode(to_body(data)).hooks) == 2000


def test_body_over_the_size_limit_is_rejected_before_parsing() -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    assert nw.decode(body, max_body_bytes=len(body))
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body + b" ", max_body_bytes=len(body))
    assert caught.value.path == "$"
    assert f"body of {len(body) + 1} bytes exceeds the limit of {len(body)}" in str(caught.value)
    with pytest.raises(nw.DecodeError, match="exceeds the limit"):
        nw.decode(b"x" * 100, max_body_bytes=10)  # not even JSON: never parsed


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview, str])
def test_size_limit_applies_to_every_body_type(kind: type[Any]) -> None:
    body = b"[" * 50
    given = body.decode() if kind is str else kind(body)
    with pytest.raises(nw.DecodeError, match="exceeds the limit of 49"):
        nw.decode(given, max_body_bytes=49)


def test_more_hooks_than_the_limit_is_rejected() -> None:
    body = to_body(batch("sms-message-result-update", 11, {}))
    assert len(nw.decode(body, max_hooks=11).hooks) == 11
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body, max_hooks=10)
    assert str(caught.value) == "$.hooks: 11 hooks exceed the limit of 10"


def test_partial_counts_failed_hooks_against_the_limit() -> None:
    body = to_body(batch("sms-message-result-update", 3, {0: {"recipientSeq": "x"}}))
    assert len(nw.decode_partial(body, max_hooks=3).failures) == 1
    with pytest.raises(nw.DecodeError, match="3 hooks exceed the limit of 2"):
        nw.decode_partial(body, max_hooks=2)
    with pytest.raises(nw.DecodeError, match="exceeds the limit"):
        nw.decode_partial(body, max_body_bytes=10)


DECODERS = [nw.decode, nw.decode_partial]


@pytest.mark.parametrize("decoder", DECODERS)
@pytest.mark.parametrize("option", ["max_hooks", "max_body_bytes"])
@hypothesis.given(limit=st.integers(max_value=0), body=st.binary(max_size=20))
def test_a_limit_under_1_is_a_usage_error_whatever_the_body(
    decoder: Any, option: str, limit: int, body: bytes
) -> None:
    # Not a DecodeError: the mistake is the caller's, and a handler answering 400 for
    # DecodeError would blame NHN for it on every POST.
    with pytest.raises(ValueError, match=f"^{option} must be at least 1, got {limit}$") as caught:
        decoder(body, **{option: limit})
    assert type(caught.value) is ValueError


@pytest.mark.parametrize("decoder", DECODERS)
@pytest.mark.parametrize("option", ["max_hooks", "max_body_bytes"])
@pytest.mark.parametrize("limit", [True, 1.5, "10", 10.0])
def test_a_limit_that_is_not_an_int_is_a_type_error(decoder: Any, option: str, limit: Any) -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    with pytest.raises(TypeError, match=f"^{option} must be an int or None, not "):
        decoder(body, **{option: limit})


@pytest.mark.parametrize("decoder", DECODERS)
def test_a_limit_of_1_accepts_one_hook(decoder: Any) -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    assert decoder(body, max_hooks=1, max_body_bytes=len(body))
