# NHN Cloud webhooks in Flask, each hook handled once.
# Needs: pip install "nhn-webhooks[redis,flask]", and a redis-server.
# Run: NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... flask --app flask_app run
from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import nhn_webhooks as nw
from nhn_webhooks.adapters.wsgi import ReceiverApp
from nhn_webhooks.redis import RedisIdempotencyStore

log = logging.getLogger(__name__)
receiver = nw.Receiver(  # a store call Redis does not answer in 2 s: 503
    signature=os.environ["NHN_WEBHOOK_SIGNATURE"],
    store=RedisIdempotencyStore.from_url(os.environ["REDIS_URL"], lease_seconds=30),
)
RESULT_HOOKS = (nw.SmsMessageResultHook, nw.SmsDeliveryReceiptHook, nw.KakaoMessageResultHook,
                nw.EmailMessageResultHook)  # their hook.outcome: did the message arrive?
app = Flask(__name__)  # your app; the receiver is served beside it
app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
    app.wsgi_app, {"/nhn/webhook": ReceiverApp(receiver)}
)


@receiver.on_any  # the webhook, holding only hooks no earlier delivery processed
def received(webhook: nw.Webhook) -> None:
    hand_off(webhook)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the hooks; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
