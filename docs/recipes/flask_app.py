"""Receive NHN Cloud Notification webhooks with Flask.

Run: NHN_WEBHOOK_SIGNATURE=... flask --app flask_app run
"""

from __future__ import annotations

import logging
import os

from flask import Flask, request

import nhn_webhooks as nw

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
app = Flask(__name__)
verify = nw.SignatureVerifier(os.environ["NHN_WEBHOOK_SIGNATURE"])  # once, at start-up


@app.post("/nhn/webhook")
def receive_nhn_webhook() -> tuple[str, int]:
    body = request.get_data()  # the raw bytes; request.json would re-parse them
    try:
        webhook = nw.decode(body, signature=verify, headers=request.headers)
    except nw.SignatureError:
        return "", 401
    except nw.DecodeError as error:
        log.warning("undecodable NHN webhook: %s", error)
        return str(error), 400
    hand_off(webhook)
    return "", 200


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the webhook; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:  # did each message reach its recipient?
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)
