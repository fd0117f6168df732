"""Receive NHN Cloud Notification webhooks with Django.

The view goes in your app's ``views.py`` and the pattern in ``urls.py``;
``settings.py`` holds ``NHN_WEBHOOK_SIGNATURE`` (read it from the environment there).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

import nhn_webhooks as nw

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
verify = nw.SignatureVerifier(settings.NHN_WEBHOOK_SIGNATURE)  # once, at start-up


@csrf_exempt  # NHN cannot send a CSRF token: the signature authenticates the POST
@require_POST
def receive_nhn_webhook(request: HttpRequest) -> HttpResponse:
    try:
        webhook = nw.decode(request.body, signature=verify, headers=request.headers)
    except nw.SignatureError:
        return HttpResponse(status=401)
    except nw.DecodeError as error:
        log.warning("undecodable NHN webhook: %s", error)
        return HttpResponse(str(error), status=400, content_type="text/plain")
    hand_off(webhook)
    return HttpResponse(status=200)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the webhook; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:  # did each message reach its recipient?
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)


urlpatterns = [path("nhn/webhook", receive_nhn_webhook)]
