# NHN Cloud webhooks in FastAPI, each hook handled once.
# Needs: pip install "nhn-webhooks[redis,fastapi]", and a redis-server.
# Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... uvicorn fastapi_app:app
from __future__ import annotations

import logging
import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.routing import Route

import nhn_webhooks as nw
from nhn_webhooks.adapters.asgi import ReceiverApp
from nhn_webhooks.redis import AsyncRedisIdempotencyStore

log = logging.getLogger(__name__)
receiver = nw.Receiver(signature=os.environ["NHN_WEBHOOK_SIGNATURE"])
RESULT_HOOKS = (nw.SmsMessageResultHook, nw.SmsDeliveryReceiptHook, nw.KakaoMessageResultHook,
                nw.EmailMessageResultHook)  # their hook.outcome: did the message arrive?


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncGenerator[None, None]:  # on the server's event loop
    url = os.environ["REDIS_URL"]  # a store call Redis does not answer in 2 s: 503
    async with AsyncRedisIdempotencyStore.from_url(url, lease_seconds=30) as store:
        receiver.store = store
        yield


app = FastAPI(lifespan=lifespan)
app.router.routes.append(Route("/nhn/webhook", ReceiverApp(receiver), methods=["POST"]))


@receiver.on_any  # the webhook, holding only hooks no earlier delivery processed
def received(webhook: nw.Webhook) -> None:
    hand_off(webhook)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the hooks; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
