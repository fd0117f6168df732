"""Receive NHN Cloud Notification webhooks with Flask, each hook handled once.

Needs: pip install "nhn-webhooks[redis]" flask, and a Redis server.
Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... flask --app flask_app run
"""

from __future__ import annotations

import logging
import os

import redis
from flask import Flask
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
client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5)  # pyright: ignore[reportUnknownMemberType]
receiver = nw.Receiver(
    signature=os.environ["NHN_WEBHOOK_SIGNATURE"],
    store=RedisIdempotencyStore(client, lease_seconds=30),
)
app = Flask(__name__)  # your app; the webhook is served beside it, at /nhn/webhook
app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/nhn/webhook": ReceiverApp(receiver)})  # type: ignore[method-assign]


@receiver.on_any  # the webhook, holding only hooks no earlier delivery processed
def received(webhook: nw.Webhook) -> None:
    hand_off(webhook)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the hooks; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:  # did each message reach its recipient?
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
