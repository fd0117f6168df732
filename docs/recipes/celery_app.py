"""Receivers enqueue raw bodies on a Celery queue in Redis; workers process each hook once.

Any number of receivers and workers, on any hosts that reach the one Redis:

    NHN_WEBHOOK_SIGNATURE=... REDIS_URL=redis://... uvicorn celery_app:app
    REDIS_URL=redis://... celery -A celery_app:celery worker

The receiver only checks the signature and enqueues the body bytes; a worker decodes
them, claims each hook in the shared store, does the work, then completes the hook.
A worker that dies mid-task loses nothing: its message was not acknowledged (it is
delivered again), and the hook it held is claimable again once its lease is over. A
task that fails for good dead-letters its whole body: fed back later, it processes only
the hooks not completed yet.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import msgspec
import redis
from celery import Celery, Task
from kombu.exceptions import OperationalError
from redis.backoff import NoBackoff
from redis.retry import Retry
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import nhn_webhooks as nw
from nhn_webhooks.redis import RedisIdempotencyStore

log = logging.getLogger(__name__)
RESULT_HOOKS = (  # the hooks that say whether a message arrived: hook.outcome
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
)
REDIS_URL = os.environ["REDIS_URL"]
# A claim outlives the slowest hook's work; a task that finds a hook claimed by
# another worker (which may have died) looks again after this long.
LEASE_SECONDS = 300
VISIBILITY_TIMEOUT_SECONDS = 3600  # an unacknowledged message is delivered again

celery = Celery("nhn_webhooks_recipe", broker=REDIS_URL)
celery.conf.update(
    task_acks_late=True,  # acknowledge a message when its task has run, not when it starts
    task_reject_on_worker_lost=True,  # a worker process killed mid-task: deliver it again
    worker_prefetch_multiplier=1,  # a dying worker holds one message, not a batch
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
    task_ignore_result=True,
)
store = RedisIdempotencyStore(
    # Each store call raises StoreError within about 2 s: redis-py's retries would add
    # more tries and back-off, so there are none (the task's own retries wait instead).
    redis.Redis.from_url(
        REDIS_URL, socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
    ),
    ttl_seconds=86_400,  # longer than NHN may take to deliver a hook again
    lease_seconds=LEASE_SECONDS,
)


# --- the receiver (any ASGI server; several processes and hosts) ---------------------


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    # Read here, not at import: the workers import this module too, and need no secret.
    app.state.verify = nw.SignatureVerifier(os.environ["NHN_WEBHOOK_SIGNATURE"])
    yield


async def receive_nhn_webhook(request: Request) -> Response:
    try:
        request.app.state.verify(request.headers)  # forged bodies never reach the queue
    except nw.SignatureError:
        return Response(status_code=401)
    body = await request.body()
    try:
        # The raw bytes, not a decoded object; in a thread, since publishing blocks.
        await run_in_threadpool(process_body.delay, body)
    except OperationalError:
        log.exception("cannot enqueue an NHN webhook")
        return Response(status_code=503)
    return Response(status_code=200)


app = Starlette(
    routes=[Route("/nhn/webhook", receive_nhn_webhook, methods=["POST"])], lifespan=lifespan
)


# --- the worker ---------------------------------------------------------------------


class Unprocessable(Exception):
    """Raised by ``handle()`` for a hook that can never succeed: it is dead-lettered."""


class BodyTask(Task):
    """A task whose body is dead-lettered whole when it fails for good, whatever raised."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # Not retried (an error autoretry_for does not list), or out of retries. The
        # failing hook's claim was released, completed hooks stay completed: feeding
        # the body back (process_body.delay(body)) processes only what is left.
        dead_letter(args[0], f"task failed: {type(exc).__name__}: {exc}")


@celery.task(
    base=BodyTask,
    bind=True,
    name="nhn_webhooks_recipe.process_body",
    autoretry_for=(nw.StoreError, OSError),  # Redis or your database unreachable: later
    retry_backoff=True,
    max_retries=12,
)
def process_body(self: Task, body: bytes) -> None:
    """Decode one POST's body and process each of its hooks once, on whichever worker."""
    try:
        result = nw.decode_partial(body)
    except nw.DecodeError as error:
        dead_letter(body, str(error))  # no envelope to salvage: keep the whole body
        return
    for failure in result.failures:
        dead_letter(failure.raw, str(failure.error))  # one bad hook, as NHN sent it
    held = [hook for hook in result.webhook.hooks if not process_hook(result.webhook, hook)]
    if held:
        # Claimed by a worker that may have died: look again when its lease is over.
        raise self.retry(countdown=LEASE_SECONDS, max_retries=None)


def process_hook(webhook: nw.Webhook, hook: Any) -> bool:
    """Process ``hook`` unless done already; False if another worker holds its claim."""
    try:
        key = nw.idempotency_key(webhook, hook)
    except ValueError as error:  # a hook of an unmodelled product without a hookId
        dead_letter(msgspec.json.encode(hook), str(error))
        return True
    if not store.claim(key):
        return store.completed(key)  # a replay or a repeat; or in progress elsewhere
    try:
        handle(webhook, hook)
    except Unprocessable as error:
        dead_letter(msgspec.json.encode(hook), str(error))
    except BaseException:
        store.release(key)  # not done: a retry, or the dead-lettered body fed back, claims it
        raise
    store.complete(key)
    return True


def handle(webhook: nw.Webhook, hook: Any) -> None:
    """Your processing of one hook: make its write idempotent on the hook's key too."""
    log.info("NHN %s hook %s", type(webhook).__name__, getattr(hook, "hook_id", None))
    if isinstance(hook, RESULT_HOOKS) and hook.outcome is nw.Outcome.FAILED:
        log.warning("NHN message %s failed (hook %s)", hook.request_id, hook.hook_id)


def dead_letter(raw: bytes, reason: str) -> None:
    """Keep JSON that could not be processed, with the reason, for a person to look at."""
    log.error("NHN webhook dead-lettered (%s): %r", reason, raw[:200])
