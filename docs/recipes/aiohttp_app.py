"""Receive NHN Cloud Notification webhooks with aiohttp, each hook handled once.

Needs: pip install "nhn-webhooks[redis]" aiohttp, and a Redis server.
Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... python -m aiohttp.web aiohttp_app:create_app
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncGenerator

import redis.asyncio
from aiohttp import web
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

import nhn_webhooks as nw
from nhn_webhooks.adapters.aiohttp import receiver_handler
from nhn_webhooks.redis import AsyncRedisIdempotencyStore

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
receiver = nw.Receiver(signature=os.environ["NHN_WEBHOOK_SIGNATURE"])


async def idempotency_store(app: web.Application) -> AsyncGenerator[None, None]:
    # Made on the server's event loop. A store call raises StoreError (503) within 2 s:
    # redis-py's retries would add more tries and back-off, so there are none.
    client = redis.asyncio.Redis.from_url(  # pyright: ignore[reportUnknownMemberType]
        os.environ["REDIS_URL"],
        socket_timeout=2,
        socket_connect_timeout=2,
        retry=Retry(NoBackoff(), 0),
    )
    async with client:
        receiver.store = AsyncRedisIdempotencyStore(client, lease_seconds=30)
        yield


def create_app(argv: list[str] | None = None) -> web.Application:
    app = web.Application()
    app.cleanup_ctx.append(idempotency_store)
    app.router.add_post("/nhn/webhook", receiver_handler(receiver))
    return app


@receiver.on_any  # the webhook, holding only hooks no earlier delivery processed
def received(webhook: nw.Webhook) -> None:
    hand_off(webhook)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the hooks; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:  # did each message reach its recipient?
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
