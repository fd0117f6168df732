"""Receive NHN Cloud Notification webhooks with aiohttp.

Run: NHN_WEBHOOK_SIGNATURE=... python -m aiohttp.web aiohttp_app:create_app
"""

from __future__ import annotations

import logging
import os

from aiohttp import web

import nhn_webhooks as nw

log = logging.getLogger(__name__)
verify = nw.SignatureVerifier(os.environ["NHN_WEBHOOK_SIGNATURE"])  # once, at start-up


async def receive_nhn_webhook(request: web.Request) -> web.Response:
    body = await request.read()
    try:
        webhook = nw.decode(body, signature=verify, headers=request.headers)
    except nw.SignatureError:
        return web.Response(status=401)
    except nw.DecodeError as error:
        log.warning("undecodable NHN webhook: %s", error)
        return web.Response(status=400, text=str(error))
    hand_off(webhook)
    return web.Response(status=200)


def hand_off(webhook: nw.Webhook) -> None:
    """Store or enqueue the webhook; keep it quick, NHN is waiting for the answer."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))


def create_app(argv: list[str] | None = None) -> web.Application:
    app = web.Application()
    app.router.add_post("/nhn/webhook", receive_nhn_webhook)
    return app
