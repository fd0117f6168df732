"""Deliberate mistakes mypy must report (tests/test_typing.py checks each line)."""

from __future__ import annotations

import nhn_webhooks as nw


def handle(body: bytes) -> None:
    webhook = nw.decode(body)
    if isinstance(webhook, nw.SmsUnsubscribe):
        print(webhook.hooks[0].recipient_seq)  # E: no attribute recipient_seq
    if isinstance(webhook, nw.EmailMessageResultUpdate):
        print(webhook.hooks[0].request_date.year + "1")  # E: int + str
    print(webhook.hooks[0].hook_id)  # E: UnknownWebhook hooks are dicts
