"""Receive NHN Cloud Notification webhooks with Starlette.

Run: NHN_WEBHOOK_SIGNATURE=... uvicorn starlette_app:app
"""

from __future__ import annotations

import logging
import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

import nhn_webhooks as nw

log = logging.getLogger(__name__)
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
    hand_off(webhook)
    return Response(status_code=200)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the webhook; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))


app = Starlette(routes=[Route("/nhn/webhook", receive_nhn_webhook, methods=["POST"])])
