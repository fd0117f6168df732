"""A user's handler, type-checked by tests/test_typing.py under mypy --strict and pyright's
strict mode: each webhook class narrows in the match, and the match is exhaustive."""

# pyright: strict

from __future__ import annotations

from datetime import datetime
from typing import Any

import redis
import redis.asyncio
from typing_extensions import assert_never, assert_type

import nhn_webhooks as nw
from nhn_webhooks.redis import AsyncRedisIdempotencyStore, RedisIdempotencyStore


def handle(body: bytes) -> str:
    webhook = nw.decode(body)
    assert_type(webhook, nw.Webhook)
    assert_type(webhook.hooks_id, str)
    match webhook:
        case nw.SmsUnsubscribe(hooks=hooks):
            assert_type(hooks, list[nw.SmsUnsubscribeHook])
            assert_type(hooks[0].created_date_time, datetime)
            return hooks[0].unsubscribe_no
        case nw.SmsMessageResultUpdate(hooks=hooks):
            assert_type(hooks, list[nw.SmsMessageResultHook])
            hook = hooks[0]
            assert_type(hook.recipient_seq, int)
            assert_type(hook.request_date, datetime)
            assert_type(hook.receive_date, datetime | None)
            assert_type(hook.recipient_grouping_key, str | None)
            assert_type(hook.message_count, int | None)
            if hook.links is not None:
                assert_type(hook.links.self.href, str)
            return hook.message_status
        case nw.SmsConversionBlock(hooks=hooks):
            assert_type(hooks, list[nw.SmsConversionBlockHook])
            assert_type(hooks[0].blocked_date_time, datetime)
            return hooks[0].country_code
        case nw.SmsInternationalDeliveryReceipt(hooks=hooks):
            assert_type(hooks, list[nw.SmsDeliveryReceiptHook])
            assert_type(hooks[0].recipient_seq, int)
            assert_type(hooks[0].network_code, str | None)
            return hooks[0].dlr_status
        case nw.KakaoTemplateStatusUpdate(hooks=hooks):
            assert_type(hooks, list[nw.KakaoTemplateStatusHook])
            comment = hooks[0].comments[0]
            assert_type(comment, nw.KakaoTemplateComment)
            assert_type(comment.id, int | str)
            assert_type(comment.attachment[0], nw.KakaoTemplateAttachment)
            assert_type(comment.attachment[0].original_file_name, str)
            return hooks[0].status
        case nw.KakaoMessageResultUpdate():
            assert_type(webhook.hooks, list[nw.KakaoMessageResultHook])
            assert_type(webhook.hooks[0].is_added_channel, bool | None)
            return webhook.hooks_id
        case nw.EmailUnsubscribe(hooks=hooks):
            assert_type(hooks, list[nw.EmailUnsubscribeHook])
            return hooks[0].receive_mail_addr
        case nw.EmailMessageResultUpdate(hooks=[first, *_]):
            assert_type(first, nw.EmailMessageResultHook)
            assert_type(first.mail_seq, int)
            assert_type(first.result_date, datetime | None)
            return first.receive_mail_addr
        case nw.EmailMessageResultUpdate():
            return "no hooks"
        case nw.UnknownWebhook(product_name=product):
            assert_type(product, str)
            assert_type(webhook.hooks, list[dict[str, Any]])
            return "unknown"
        case _:
            assert_never(webhook)  # every class of nw.Webhook is matched above


def handle_strictly(body: str) -> None:
    try:
        webhook = nw.decode(body, strict=True)
    except nw.UnknownEventError as error:
        assert_type(error.product_name, str | None)
        assert_type(error.path, str)
        return
    if isinstance(webhook, nw.SmsUnsubscribe):
        assert_type(webhook.hooks[0].created_date_time, datetime)
    if nw.SmsMessageStatus.is_documented("COMPLETED"):
        assert_type(nw.SmsMessageStatus.lookup("COMPLETED"), nw.SmsMessageStatus | None)


class SharedStore:
    """A user's store for several processes: structurally an IdempotencyStore."""

    def claim(self, key: str) -> bool:
        return bool(key)

    def complete(self, key: str) -> None:
        pass

    def release(self, key: str) -> None:
        pass


def archive_once(body: bytes, shared: bool) -> list[bytes]:
    webhook = nw.decode(body)
    store: nw.IdempotencyStore = SharedStore() if shared else nw.MemoryIdempotencyStore()
    assert_type(nw.idempotency_key(webhook), str)
    archived: list[bytes] = []
    for hook in webhook.hooks:
        key = nw.idempotency_key(webhook, hook)
        if store.claim(key):
            archived.append(nw.encode(webhook))
            store.complete(key)
    assert_type(nw.encode(webhook), bytes)
    return archived


def process_shared(client: redis.Redis, webhook: nw.Webhook) -> int:
    store: nw.IdempotencyStore = RedisIdempotencyStore(client, lease_seconds=60, prefix="app:")
    processed = 0
    for hook in webhook.hooks:
        key = nw.idempotency_key(webhook, hook)
        won = store.claim(key)  # raises nw.StoreError when Redis is unreachable
        assert_type(won, bool)
        if won:
            processed += 1
            store.complete(key)
    return processed


async def claim_async(client: redis.asyncio.Redis, key: str) -> bool:
    store: nw.AsyncIdempotencyStore = AsyncRedisIdempotencyStore(client)
    won = await store.claim(key)
    assert_type(won, bool)
    await store.release(key)
    return won
