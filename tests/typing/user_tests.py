"""A user's tests built with nhn_webhooks.testing, type-checked under mypy --strict."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typing_extensions import assert_type

import nhn_webhooks as nw
from nhn_webhooks import testing
from nhn_webhooks.testing import strategies as nws


def test_builders(nhn_webhook: testing.WebhookRequestBuilder) -> None:
    assert_type(testing.sample(nw.SmsUnsubscribe, hooks=2), bytes)
    assert_type(nw.testing.sample(nw.SmsUnsubscribe), bytes)
    assert_type(testing.sample_data(nw.SmsUnsubscribe), dict[str, Any])
    webhook = testing.sample_webhook(nw.SmsMessageResultUpdate, message_status="FAILED")
    assert_type(webhook, nw.SmsMessageResultUpdate)
    assert_type(webhook.hooks[0].recipient_seq, int)
    assert_type(testing.load_sample("sms-unsubscribe"), bytes)
    body, headers = nhn_webhook(nw.EmailUnsubscribe, signature=None)
    assert_type(body, bytes)
    assert_type(headers, dict[str, str])


def test_strategies() -> None:
    assert_type(nws.bodies(), st.SearchStrategy[bytes])
    assert_type(nws.payloads(nw.SmsUnsubscribe), st.SearchStrategy[dict[str, Any]])
    assert_type(nws.timestamps(), st.SearchStrategy[tuple[str, datetime]])


@given(nws.bodies(nw.KakaoMessageResultUpdate))
def test_property(body: bytes) -> None:
    nw.decode(body)
