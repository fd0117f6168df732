"""docs/recipes/celery_app.py as the end-to-end test runs it (tests/support/e2e_scaling.py).

The recipe unchanged, with a short visibility timeout so a killed worker's messages
come back in seconds, and a lease longer than it, so that a message coming back meets
the dead worker's claims still live: the task must look again after the lease. The
store records in ``e2e:held`` each key it reports claimed and not completed. The work
of ``handle()`` is an idempotent write keyed by the hook's key
(``HSETNX e2e:written``) plus a counter of attempts (``HINCRBY e2e:attempts``), both
in the test's Redis. Each thread of the worker named ``victim`` stops in the middle
of a hook once ``e2e:armed`` is set, after counting the attempt and before writing,
and says which hook in ``e2e:stalled``: the test then kills it.

    uvicorn tests.support.e2e_celery:app
    celery -A tests.support.e2e_celery:celery worker --pool=solo
    celery -A tests.support.e2e_celery:celery worker --pool=threads --concurrency=2  # the victim
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis

import nhn_webhooks as nw
from nhn_webhooks.redis import RedisIdempotencyStore

VISIBILITY_TIMEOUT_SECONDS = 4
# Longer than the visibility timeout and the time to restore a message: a killed
# worker's message comes back while its claim is live.
LEASE_SECONDS = 12.0
STALL_SECONDS = 120.0  # longer than the test waits: only SIGKILL ends it

_path = Path(__file__).parents[2] / "docs" / "recipes" / "celery_app.py"
_spec = importlib.util.spec_from_file_location("celery_app", _path)
assert _spec is not None
assert _spec.loader is not None
recipe = importlib.util.module_from_spec(_spec)
sys.modules["celery_app"] = recipe
_spec.loader.exec_module(recipe)

recipe.celery.conf.broker_transport_options = {
    "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
    # Look for abandoned messages every second, not every 100 s.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    # A worker killed while restoring holds the restore lock: not for 300 s.
    "unacked_mutex_expire": 3,
}
results = redis.Redis.from_url(recipe.REDIS_URL, socket_timeout=5)
WORKER = os.environ.get("E2E_WORKER", "")


class RecordingStore(RedisIdempotencyStore):
    """The recipe's store, noting each key a claim found held by another worker."""

    def claim_many(self, keys: Sequence[str]) -> list[nw.ClaimStatus]:
        statuses = super().claim_many(keys)
        pairs = zip(keys, statuses, strict=True)
        held = [key for key, found in pairs if found is nw.ClaimStatus.HELD]
        if held:
            results.rpush("e2e:held", *(f"{WORKER}:{key}" for key in held))
        return statuses


recipe.LEASE_SECONDS = LEASE_SECONDS
recipe.worker.store = RecordingStore(
    redis.Redis.from_url(recipe.REDIS_URL, socket_timeout=5), lease_seconds=LEASE_SECONDS
)


def handle(webhook: nw.Webhook, hook: Any) -> None:
    key = nw.idempotency_key(webhook, hook)
    results.hincrby("e2e:attempts", key, 1)
    if WORKER == "victim" and results.exists("e2e:armed"):
        results.rpush("e2e:stalled", key)
        time.sleep(STALL_SECONDS)
    results.hsetnx("e2e:written", key, WORKER)


recipe.handle = handle
app = recipe.app
celery = recipe.celery
