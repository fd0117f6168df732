"""Receive NHN Cloud Notification webhooks with FastAPI.

Run: NHN_WEBHOOK_SIGNATURE=... uvicorn fastapi_app:app
"""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI, Request, Response

import nhn_webhooks as nw

log = logging.getLogger(__name__)
app = FastAPI()
verify = nw.SignatureVerifier(os.environ["NHN_WEBHOOK_SIGNATURE"])  # once, at start-up


@app.post("/nhn/webhook")
async def receive_nhn_webhook(request: Request) -> Response:
    body = await request.body()  # the raw bytes, not a parsed model
    try:
        webhook = nw.decode(body, signature=verify, headers=request.headers)
    except nw.SignatureError:
        return Response(status_code=401)
    except nw.DecodeError as error:
        log.warning("undecodable NHN webhook: %s", error)
        return Response(str(error), status_code=400, media_type="text/plain")
    hand_off(webhook)
    return Response(status_code=200)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the webhook; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
