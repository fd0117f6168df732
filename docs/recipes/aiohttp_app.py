# NHN Cloud webhooks in aiohttp, each hook handled once.
# Needs: pip install "nhn-webhooks[redis,aiohttp]", and a redis-server. Run:
# NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... python -m aiohttp.web aiohttp_app:create_app
from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator

from aiohttp import web

import nhn_webhooks as nw
from nhn_webhooks.adapters.aiohttp import receiver_handler
from nhn_webhooks.redis import AsyncRedisIdempotencyStore

log = logging.getLogger(__name__)
receiver = nw.Receiver(signature=os.environ["NHN_WEBHOOK_SIGNATURE"])
RESULT_HOOKS = (nw.SmsMessageResultHook, nw.SmsDeliveryReceiptHook, nw.KakaoMessageResultHook,
                nw.EmailMessageResultHook)  # their hook.outcome: did the message arrive?


async def idempotency_store(app: web.Application) -> AsyncIterator[None]:  # on the app's loop
    url = os.environ["REDIS_URL"]  # a store call Redis does not answer in 2 s: 503
    async with AsyncRedisIdempotencyStore.from_url(url, lease_seconds=30) as store:
        receiver.store = store
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
    for hook in webhook.hooks:
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
