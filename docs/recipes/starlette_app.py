"""Receive NHN Cloud Notification webhooks with Starlette.

Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... uvicorn starlette_app:app
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec
import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

import nhn_webhooks as nw
from nhn_webhooks.redis import AsyncRedisIdempotencyStore

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
verify = nw.SignatureVerifier(os.environ["NHN_WEBHOOK_SIGNATURE"])  # once, at start-up


async def receive_nhn_webhook(request: Request) -> Response:
    body = await request.body()
    try:
        webhook = nw.decode(body, signature=verify, headers=request.headers)
    except nw.SignatureError:
        return Response(status_code=401)
    except nw.DecodeError as error:
        log.warning("undecodable NHN webhook: %s", error)
        return PlainTextResponse(str(error), status_code=400)
    try:
        done = await hand_off_once(webhook, request.app.state.seen)
    except nw.StoreError:
        log.exception("idempotency store unavailable")
        return Response(status_code=503)  # nothing handed off: NHN may send it again
    return Response(status_code=200 if done else 503)


async def hand_off_once(webhook: nw.Webhook, seen: AsyncRedisIdempotencyStore) -> bool:
    """Hand off the hooks no earlier POST carried: a replay or a repeat is skipped.

    False if a hook is claimed by another request that has not finished it (it may
    have died): the answer then asks NHN to send the POST again.
    """
    if isinstance(webhook, nw.UnknownWebhook):
        hand_off(webhook)  # a product this version does not model: keep all of it
        return True
    keyed = [(nw.idempotency_key(webhook, hook), hook) for hook in webhook.hooks]
    fresh = [(key, hook) for key, hook in keyed if await seen.claim(key)]
    if fresh:
        if len(fresh) < len(keyed):
            webhook = msgspec.structs.replace(webhook, hooks=[hook for _, hook in fresh])
        try:
            hand_off(webhook)
        except BaseException:
            for key, _ in fresh:
                await seen.release(key)  # not handed off: NHN's next delivery may claim it
            raise
        for key, _ in fresh:
            await seen.complete(key)
    claimed = {key for key, _ in fresh}
    return all([await seen.completed(key) for key, _ in keyed if key not in claimed])


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the webhook; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:  # did each message reach its recipient?
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    # One Redis client per server process, made on its event loop, closed at shutdown.
    # Each store call raises StoreError within about 2 s: redis-py's retries would add
    # more tries and back-off, so there are none.
    async with redis.asyncio.Redis.from_url(
        os.environ["REDIS_URL"],
        socket_timeout=2,
        socket_connect_timeout=2,
        retry=Retry(NoBackoff(), 0),
    ) as client:
        app.state.seen = AsyncRedisIdempotencyStore(client, ttl_seconds=86_400, lease_seconds=30)
        yield


app = Starlette(
    routes=[Route("/nhn/webhook", receive_nhn_webhook, methods=["POST"])], lifespan=lifespan
)
