"""Receive NHN Cloud Notification webhooks with Flask, each hook handled once.

Needs: pip install "nhn-webhooks[redis]" flask, and a Redis server.
Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... flask --app flask_app run
"""

from __future__ import annotations

import logging
import os

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import nhn_webhooks as nw
from nhn_webhooks.adapters.wsgi import ReceiverApp
from nhn_webhooks.redis import RedisIdempotencyStore

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
# A store call raises StoreError (503) within 2 s: no redis-py retries or back-off.
client = redis.Redis.from_url(  # pyright: ignore[reportUnknownMemberType]
    os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
)
receiver = nw.Receiver(
    signature=os.environ["NHN_WEBHOOK_SIGNATURE"],
    store=RedisIdempotencyStore(client, lease_seconds=30),
)
app = Flask(__name__)  # your app
app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
    app.wsgi_app,
    {"/nhn/webhook": ReceiverApp(receiver)},  # beside your app
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
