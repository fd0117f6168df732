# NHN Cloud webhooks in Django, each hook handled once: in your app's views.py, and the
# pattern in urls.py; settings.py holds NHN_WEBHOOK_SIGNATURE, REDIS_URL is in the environment.
# Needs: pip install "nhn-webhooks[redis,django]", and a redis-server.
from __future__ import annotations

import logging
import os

from django.conf import settings  # type: ignore[import-untyped]
from django.urls import path  # type: ignore[import-untyped]

import nhn_webhooks as nw
from nhn_webhooks.adapters.django import receiver_view
from nhn_webhooks.redis import RedisIdempotencyStore

log = logging.getLogger(__name__)
receiver = nw.Receiver(  # a store call Redis does not answer in 2 s: 503
    signature=settings.NHN_WEBHOOK_SIGNATURE,
    store=RedisIdempotencyStore.from_url(os.environ["REDIS_URL"], lease_seconds=30),
)
RESULT_HOOKS = (nw.SmsMessageResultHook, nw.SmsDeliveryReceiptHook, nw.KakaoMessageResultHook,
                nw.EmailMessageResultHook)  # their hook.outcome: did the message arrive?
urlpatterns = [path("nhn/webhook", receiver_view(receiver))]  # CSRF-exempt: NHN has no token


@receiver.on_any  # the webhook, holding only hooks no earlier delivery processed
def received(webhook: nw.Webhook) -> None:
    hand_off(webhook)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the hooks; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
