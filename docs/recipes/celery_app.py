# Receivers enqueue raw bodies on a Celery queue in Redis; workers process each hook once.
# Needs: pip install "nhn-webhooks[celery,uvicorn]", a redis-server and Celery workers:
#   NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... uvicorn celery_app:app
#   REDIS_URL=redis://... celery -A celery_app:celery worker
# A worker that dies mid-task loses nothing: its message is delivered again, and the hook
# it held is claimable again after its lease. A task that fails for good dead-letters its
# whole body: fed back later, it handles only the hooks not done.
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from celery import Celery, Task  # type: ignore[import-untyped]

import nhn_webhooks as nw
from nhn_webhooks.adapters.asgi import ReceiverApp
from nhn_webhooks.redis import RedisIdempotencyStore

log = logging.getLogger(__name__)
RESULT_HOOKS = (nw.SmsMessageResultHook, nw.SmsDeliveryReceiptHook, nw.KakaoMessageResultHook,
                nw.EmailMessageResultHook)  # their hook.outcome: did the message arrive?
REDIS_URL = os.environ["REDIS_URL"]
LEASE_SECONDS = 300  # outlives the slowest hook's work; a held hook is retried after it
celery = Celery("nhn_webhooks_recipe", broker=REDIS_URL)
celery.conf.update(  # pyright: ignore[reportUnknownMemberType]
    task_acks_late=True,  # acknowledge a message when its task has run, not when it starts
    task_reject_on_worker_lost=True,  # a worker process killed mid-task: deliver it again
    worker_prefetch_multiplier=1,  # a dying worker holds one message, not a batch
    broker_transport_options={"visibility_timeout": 3600},  # unacknowledged: sent again
    task_ignore_result=True,
)
# A store call Redis does not answer in 2 s raises StoreError: the task retries later.
store = RedisIdempotencyStore.from_url(REDIS_URL, lease_seconds=LEASE_SECONDS)
worker = nw.Receiver(store=store)  # no signature: the receiver checked it
Unprocessable = nw.Unprocessable  # raise it in handle() for a hook that can never succeed


class BodyTask(Task):  # type: ignore[misc]
    """A task whose body is dead-lettered whole when it fails for good, whatever raised."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        dead_letter(args[0], f"task failed: {type(exc).__name__}: {exc}")


@celery.task(  # type: ignore[untyped-decorator]
    base=BodyTask,
    bind=True,
    name="nhn_webhooks_recipe.process_body",
    autoretry_for=(nw.StoreError, OSError),  # Redis or your database unreachable: later
    retry_backoff=True,
    max_retries=12,
)
def process_body(self: Task, body: bytes) -> None:
    """Handle each hook of one POST's body once, on whichever worker."""
    answer = worker.process(body)
    if answer.error is not None and answer.status >= 500:
        raise answer.error  # a handler or the store failed: retried, or dead-lettered
    if answer.status == 503:  # held by a worker that may have died: after its lease
        raise self.retry(  # pyright: ignore[reportUnknownMemberType]
            countdown=LEASE_SECONDS, max_retries=None
        )
    if not answer.ok:
        dead_letter(body, str(answer.error))  # not a webhook: keep the whole body


delay = process_body.delay  # pyright: ignore[reportFunctionMemberAccess] (untyped Celery)
# The receiver (any ASGI server). Workers import this module too, and need no secret:
# the app refuses to start without one.
front = nw.Receiver(
    signature=os.environ.get("NHN_WEBHOOK_SIGNATURE"),
    enqueue=lambda body: asyncio.to_thread(delay, body),  # publishing blocks: in a thread
)
app = ReceiverApp(front)


@worker.on_any_hook
def each_hook(hook: Any, webhook: nw.Webhook) -> None:
    handle(webhook, hook)


@worker.on_dead_letter  # a hook that does not decode, or that handle() refused
def keep(letter: nw.DeadLetter) -> None:
    dead_letter(letter.raw, letter.reason)


def handle(webhook: nw.Webhook, hook: Any) -> None:
    """Your processing of one hook: make its write idempotent on the hook's key too."""
    log.info("NHN %s hook %s", type(webhook).__name__, getattr(hook, "hook_id", None))
    if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
        log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)


def dead_letter(raw: bytes, reason: str) -> None:
    """Keep JSON that could not be processed, with the reason, for a person to look at."""
    log.error("NHN webhook dead-lettered (%s): %r", reason, raw[:200])
