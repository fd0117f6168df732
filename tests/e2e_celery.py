"""docs/recipes/celery_app.py as the end-to-end test runs it (tests/e2e_scaling.py).

The recipe unchanged, with a short lease and visibility timeout so a killed worker's
hooks come back in seconds, and a ``handle()`` whose work is an idempotent write keyed
by the hook's key (``HSETNX e2e:written``) plus a counter of attempts
(``HINCRBY e2e:attempts``), both in the test's Redis. The worker named ``victim``
stops in the middle of a hook once ``e2e:armed`` is set, after counting the attempt
and before writing, and says which hook in ``e2e:stalled``: the test then kills it.

    uvicorn tests.e2e_celery:app
    celery -A tests.e2e_celery:celery worker --pool=solo
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path
from typing import Any

import redis

import nhn_webhooks as nw
from nhn_webhooks.redis import RedisIdempotencyStore

LEASE_SECONDS = 2.0
VISIBILITY_TIMEOUT_SECONDS = 4
STALL_SECONDS = 120.0  # longer than the test waits: only SIGKILL ends it

_path = Path(__file__).parent.parent / "docs" / "recipes" / "celery_app.py"
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
}
recipe.LEASE_SECONDS = LEASE_SECONDS
recipe.store = RedisIdempotencyStore(
    redis.Redis.from_url(recipe.REDIS_URL, socket_timeout=5), lease_seconds=LEASE_SECONDS
)
results = redis.Redis.from_url(recipe.REDIS_URL, socket_timeout=5)
WORKER = os.environ.get("E2E_WORKER", "")


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
