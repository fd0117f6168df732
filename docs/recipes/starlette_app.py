"""Receive NHN Cloud Notification webhooks with Starlette, each hook handled once.

Needs: pip install "nhn-webhooks[redis]" starlette uvicorn, and a Redis server.
Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... uvicorn starlette_app:app
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from starlette.applications import Starlette
from starlette.routing import Route

import nhn_webhooks as nw
from nhn_webhooks.adapters.asgi import ReceiverApp
from nhn_webhooks.redis import AsyncRedisIdempotencyStore

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
receiver = nw.Receiver(signature=os.environ["NHN_WEBHOOK_SIGNATURE"])


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncGenerator[None, None]:
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


app = Starlette(
    routes=[Route("/nhn/webhook", ReceiverApp(receiver), methods=["POST"])], lifespan=lifespan
)


@receiver.on_any  # the webhook, holding only hooks no earlier delivery processed
def received(webhook: nw.Webhook) -> None:
    hand_off(webhook)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the hooks; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:  # did each message reach its recipient?
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
