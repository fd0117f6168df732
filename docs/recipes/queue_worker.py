"""Answer NHN at once and decode later, in a worker: for senders that POST in bursts.

The request path only checks the signature and enqueues the raw body; a worker
thread decodes and handles it. With a broker the queue and the worker move to other
processes, and the split stays the same.

Run: NHN_WEBHOOK_SIGNATURE=... flask --app queue_worker run
"""

from __future__ import annotations

import logging
import os
import queue
import threading

from flask import Flask, request

import nhn_webhooks as nw

log = logging.getLogger(__name__)
app = Flask(__name__)
verify = nw.SignatureVerifier(os.environ["NHN_WEBHOOK_SIGNATURE"])  # once, at start-up
bodies: queue.Queue[bytes | None] = queue.Queue(maxsize=10_000)  # None stops the worker


@app.post("/nhn/webhook")
def receive_nhn_webhook() -> tuple[str, int]:
    try:
        verify(request.headers)  # cheap, and keeps forged bodies out of the queue
    except nw.SignatureError:
        return "", 401
    try:
        bodies.put_nowait(request.get_data())
    except queue.Full:
        log.error("NHN webhook queue is full")
        return "", 503
    return "", 200


def work() -> None:
    """Decode and handle queued bodies until ``None`` is queued."""
    while (body := bodies.get()) is not None:
        try:
            handle(nw.decode(body))
        except nw.DecodeError as error:
            dead_letter(body, error)  # NHN got its 200 already: keep the body to inspect
        finally:
            bodies.task_done()
    bodies.task_done()


RESULTS = (
    nw.SmsMessageResultUpdate,
    nw.SmsInternationalDeliveryReceipt,
    nw.KakaoMessageResultUpdate,
    nw.EmailMessageResultUpdate,
)


def handle(webhook: nw.Webhook) -> None:
    """Your processing: runs in the worker, so it may take its time."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    if isinstance(webhook, RESULTS):
        for hook in webhook.hooks:  # did each message reach its recipient?
            if hook.outcome is nw.Outcome.FAILED:
                log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)


def dead_letter(body: bytes, error: nw.DecodeError) -> None:
    """Keep a body that did not decode, with the reason, for a person to look at."""
    log.error("undecodable NHN webhook (%s): %r", error, body[:200])


worker = threading.Thread(target=work, name="nhn-webhooks-worker", daemon=True)
worker.start()
