# Answer NHN at once and handle later, in a worker thread: for senders that POST in bursts.
# Needs: pip install "nhn-webhooks[flask]"; no other service (celery_app.py: one with a broker).
# Run: NHN_WEBHOOK_SIGNATURE=... flask --app queue_worker run
from __future__ import annotations

import logging
import os
import queue
import threading

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import nhn_webhooks as nw
from nhn_webhooks.adapters.wsgi import ReceiverApp

log = logging.getLogger(__name__)
bodies: queue.Queue[bytes | None] = queue.Queue(maxsize=10_000)  # None stops the worker
front = nw.Receiver(  # checks the signature and size, queues the body; queue.Full: 503
    signature=os.environ["NHN_WEBHOOK_SIGNATURE"], enqueue=lambda body: bodies.put_nowait(body)
)
RESULT_HOOKS = (nw.SmsMessageResultHook, nw.SmsDeliveryReceiptHook, nw.KakaoMessageResultHook,
                nw.EmailMessageResultHook)  # their hook.outcome: did the message arrive?
back = nw.Receiver()  # no signature: it only process()es bodies the front checked
app = Flask(__name__)
app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
    app.wsgi_app, {"/nhn/webhook": ReceiverApp(front)}
)


def work() -> None:
    """Handle queued bodies until ``None`` is queued."""
    while (body := bodies.get()) is not None:
        answer = back.process(body)
        if not answer.ok:  # NHN got its 200 already: keep the body to inspect
            dead_letter(body, answer.error)
        bodies.task_done()
    bodies.task_done()


@back.on_any
def received(webhook: nw.Webhook) -> None:
    handle(webhook)


def handle(webhook: nw.Webhook) -> None:
    """Your processing: runs in the worker, so it may take its time."""
    log.info("NHN %s with %d hook(s)", type(webhook).__name__, len(webhook.hooks))
    for hook in webhook.hooks:
        if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
            log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)


def dead_letter(body: bytes, error: Exception | None) -> None:
    """Keep a body that was not handled, with the reason, for a person to look at."""
    log.error("NHN webhook not handled (%s): %r", error, body[:200])


worker = threading.Thread(target=work, name="nhn-webhooks-worker", daemon=True)
worker.start()
