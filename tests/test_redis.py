"""nhn_webhooks.redis against a real redis-server (tests/support/redis_server.py), never a fake."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import redis
import redis.asyncio
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

import nhn_webhooks as nw
import nhn_webhooks._once._tokens
import nhn_webhooks.redis
from nhn_webhooks.redis import AsyncRedisIdempotencyStore, RedisIdempotencyStore
from tests.support.early import Early
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
WAIT_SECONDS = 10.0


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(redis_server.url, socket_timeout=5) as connection:
        yield connection


@pytest.fixture
def store(client: redis.Redis, redis_prefix: str) -> RedisIdempotencyStore:
    return RedisIdempotencyStore(client, ttl_seconds=60, lease_seconds=30, prefix=redis_prefix)


def wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.02)


# --- one process ---------------------------------------------------------------------


def test_claim_is_true_once_then_false(store: RedisIdempotencyStore) -> None:
    assert [store.claim("k"), store.claim("k"), store.claim("j")] == [True, False, True]


def test_completed_key_is_a_duplicate(store: RedisIdempotencyStore) -> None:
    store.claim("k")
    store.complete("k")
    assert store.claim("k") is False


def test_release_lets_the_next_delivery_claim_the_key(store: RedisIdempotencyStore) -> None:
    store.claim("k")
    store.release("k")
    store.release("never-claimed")
    assert store.claim("k") is True


def test_release_does_not_undo_a_completion(store: RedisIdempotencyStore) -> None:
    store.claim("k")
    store.complete("k")
    store.release("k")
    assert store.claim("k") is False


def test_completed_tells_a_duplicate_from_a_claim_in_progress(
    client: redis.Redis, store: RedisIdempotencyStore, redis_prefix: str
) -> None:
    RedisIdempotencyStore(client, prefix=redis_prefix).claim("claimed")  # another worker
    store.claim("done")
    store.complete("done")
    assert [store.completed(k) for k in ("claimed", "done", "absent")] == [False, True, False]


def test_release_does_not_free_another_workers_claim(
    client: redis.Redis, store: RedisIdempotencyStore, redis_prefix: str
) -> None:
    other = RedisIdempotencyStore(client, prefix=redis_prefix)  # another worker
    assert other.claim("k") is True
    store.release("k")  # e.g. a worker whose own claim on k expired long ago
    assert store.claim("k") is False


def test_a_forked_worker_does_not_share_its_parents_claims(
    store: RedisIdempotencyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.claim("k") is True
    # A Celery prefork child inherits the store object: only its pid differs.
    forked = SimpleNamespace(getpid=lambda: -1, urandom=os.urandom)
    monkeypatch.setattr(nhn_webhooks._once._tokens, "os", forked)
    store.release("k")  # the parent's claim is not the child's to release
    assert store.claim("k") is False


def test_keys_live_under_the_prefix_with_lease_then_ttl(
    client: redis.Redis, redis_prefix: str
) -> None:
    store = RedisIdempotencyStore(client, ttl_seconds=3600, lease_seconds=30, prefix=redis_prefix)
    store.claim("nhn-webhooks:hook:abc")
    assert client.exists("nhn-webhooks:hook:abc") == 0
    assert 29_000 < client.pttl(redis_prefix + "nhn-webhooks:hook:abc") <= 30_000
    store.complete("nhn-webhooks:hook:abc")
    assert client.get(redis_prefix + "nhn-webhooks:hook:abc") == b"completed"
    assert 3_599_000 < client.pttl(redis_prefix + "nhn-webhooks:hook:abc") <= 3_600_000


def test_stores_with_different_prefixes_do_not_share_keys(
    client: redis.Redis, redis_prefix: str
) -> None:
    staging = RedisIdempotencyStore(client, prefix=redis_prefix + "staging:")
    production = RedisIdempotencyStore(client, prefix=redis_prefix + "production:")
    assert [staging.claim("k"), production.claim("k")] == [True, True]


def test_completion_expires_after_the_ttl(client: redis.Redis, redis_prefix: str) -> None:
    store = RedisIdempotencyStore(client, ttl_seconds=0.3, lease_seconds=30, prefix=redis_prefix)
    store.claim("k")
    store.complete("k")
    assert store.claim("k") is False
    wait_until(lambda: store.claim("k"), "the completion to expire")
    assert client.get(redis_prefix + "k") not in (None, b"completed")  # claimed again


@pytest.mark.parametrize(
    "options",
    [{"ttl_seconds": 0}, {"lease_seconds": -1}, {"lease_seconds": float("inf")}],
)
def test_bad_configuration_is_rejected_at_construction(
    client: redis.Redis, options: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        RedisIdempotencyStore(client, **options)


def test_prefix_must_be_text(client: redis.Redis) -> None:
    with pytest.raises(TypeError, match="prefix"):
        RedisIdempotencyStore(client, prefix=b"bytes:")  # type: ignore[arg-type]


def test_stores_satisfy_the_store_protocols(store: RedisIdempotencyStore) -> None:
    assert isinstance(store, nw.IdempotencyStore)
    assert repr(store).endswith("ttl_seconds=60, lease_seconds=30)")
    async_store = AsyncRedisIdempotencyStore(redis.asyncio.Redis())  # connects on first use
    assert isinstance(async_store, nw.AsyncIdempotencyStore)


def test_late_release_leaves_the_claim_another_thread_made_since(
    store: RedisIdempotencyStore, client: redis.Redis, redis_prefix: str
) -> None:
    assert store.claim("k")  # this request's work then outlives the lease
    client.delete(redis_prefix + "k")  # as the lease ends
    with ThreadPoolExecutor(max_workers=1) as other_request:
        assert other_request.submit(store.claim, "k").result()  # the same store object
        store.release("k")  # the first request fails, late
        assert store.claim("k") is False  # the second's claim stands
        assert other_request.submit(store.release, "k").result() is None
    assert store.claim("k") is True  # its own release did free it


# --- both client modes ---------------------------------------------------------------

C, D, H = nw.ClaimStatus.CLAIMED, nw.ClaimStatus.COMPLETED, nw.ClaimStatus.HELD


@pytest.fixture(params=[False, True], ids=["bytes-replies", "text-replies"])
def decode_responses(request: pytest.FixtureRequest) -> bool:
    """Both ways a redis-py client returns replies: bytes (the default), or str."""
    return bool(request.param)


def test_both_client_modes_tell_completed_from_claimed(
    redis_server: RedisServer, redis_prefix: str, decode_responses: bool
) -> None:
    with redis.Redis.from_url(redis_server.url, decode_responses=decode_responses) as client:
        store = RedisIdempotencyStore(client, prefix=redis_prefix)
        other = RedisIdempotencyStore(client, prefix=redis_prefix)  # another worker
        assert other.claim("claimed")
        store.claim("done")
        store.complete("done")
        assert [store.completed(k) for k in ("claimed", "done", "absent")] == [False, True, False]
        assert store.claim_many(["done", "claimed", "new"]) == [D, H, C]
        store.release("new")
        assert [store.claim("new"), store.claim("done")] == [True, False]


def test_both_async_client_modes_tell_completed_from_claimed(
    redis_server: RedisServer, redis_prefix: str, decode_responses: bool
) -> None:
    async def scenario() -> list[Any]:
        async with redis.asyncio.Redis.from_url(
            redis_server.url, decode_responses=decode_responses
        ) as client:
            store = AsyncRedisIdempotencyStore(client, prefix=redis_prefix)
            await asyncio.create_task(store.claim("claimed"))  # another task's claim
            await store.claim("done")
            await store.complete("done")
            seen: list[Any] = [await store.completed(k) for k in ("claimed", "done", "absent")]
            seen.append(await store.claim_many(["done", "claimed", "new"]))
            await store.release("new")
            seen += [await store.claim("new"), await store.claim("done")]
            return seen

    assert asyncio.run(scenario()) == [False, True, False, [D, H, C], True, False]


# --- who may release a claim (asyncio) -----------------------------------------------


async def release_through(how: str, release: Any) -> None:
    """Run ``release()`` the way cleanup code protects it from cancellation."""
    if how == "shield":
        await asyncio.shield(release())
    elif how == "gather":
        await asyncio.gather(release())
    else:  # wait_for: a task of its own before 3.12
        await asyncio.wait_for(release(), timeout=30)


@pytest.mark.parametrize("how", ["shield", "gather", "wait_for"])
def test_async_release_through_a_new_task_frees_the_callers_claim(
    redis_server: RedisServer, redis_prefix: str, how: str
) -> None:
    async def scenario() -> list[bool]:
        async with redis.asyncio.Redis.from_url(redis_server.url) as connection:
            store = AsyncRedisIdempotencyStore(connection, prefix=redis_prefix)
            won = await store.claim("k")
            await release_through(how, lambda: store.release("k"))
            won_many = await store.claim_many(["a", "b"])
            await release_through(how, lambda: store.release_many(["a", "b"]))
            return [won, await store.claim("k"), won_many == [C, C], await store.claim("a")]

    assert asyncio.run(scenario()) == [True, True, True, True]


@pytest.mark.parametrize("how", ["shield", "gather", "wait_for"])
def test_async_late_release_through_a_new_task_leaves_the_claim_made_since(
    redis_server: RedisServer, redis_prefix: str, how: str
) -> None:
    async def scenario() -> list[bool]:
        async with redis.asyncio.Redis.from_url(redis_server.url) as connection:
            store = AsyncRedisIdempotencyStore(connection, prefix=redis_prefix)
            other = AsyncRedisIdempotencyStore(connection, prefix=redis_prefix)
            won = await store.claim("k")  # this request's work outlives the lease
            await connection.delete(redis_prefix + "k")  # as the lease ends
            retaken = await other.claim("k")  # another worker takes the key
            await release_through(how, lambda: store.release("k"))  # late cleanup
            return [won, retaken, await store.claim("k")]

    assert asyncio.run(scenario()) == [True, True, False]


def test_async_sibling_task_that_did_not_claim_frees_nothing(
    redis_server: RedisServer, redis_prefix: str
) -> None:
    async def scenario() -> list[bool]:
        async with redis.asyncio.Redis.from_url(redis_server.url) as connection:
            store = AsyncRedisIdempotencyStore(connection, prefix=redis_prefix)
            claimed = asyncio.Event()

            async def claimant() -> bool:
                won = await store.claim("k")
                claimed.set()
                return won

            async def sibling() -> bool:
                await claimed.wait()
                await store.release("k")  # started before the claim: not its claim
                await store.release_many(["k"])
                return await store.claim("k")

            won, stolen = await asyncio.gather(claimant(), sibling())
            return [won, stolen, await store.claim("k")]

    assert asyncio.run(scenario()) == [True, False, False]


# --- the batch calls -----------------------------------------------------------------


def test_claim_many_gives_one_status_per_key_in_order(
    client: redis.Redis, store: RedisIdempotencyStore, redis_prefix: str
) -> None:
    store.complete("done")
    assert RedisIdempotencyStore(client, prefix=redis_prefix).claim("held")  # another worker
    assert store.claim_many(["a", "done", "held", "b", "a"]) == [C, D, H, C, H]
    assert store.claim_many([]) == []
    assert 29_000 < client.pttl(redis_prefix + "a") <= 30_000  # the store's lease


def test_complete_many_and_release_many_settle_a_batch(
    client: redis.Redis, store: RedisIdempotencyStore, redis_prefix: str
) -> None:
    assert store.claim_many(["ok1", "ok2", "failed"]) == [C, C, C]
    store.complete_many(["ok1", "ok2"])
    store.release_many(["failed", "never-claimed"])
    store.complete_many([])
    store.release_many([])
    assert store.claim_many(["ok1", "ok2", "failed"]) == [D, D, C]
    assert 59_000 < client.pttl(redis_prefix + "ok1") <= 60_000  # the store's TTL


def test_release_many_frees_only_the_callers_claims(
    client: redis.Redis, store: RedisIdempotencyStore, redis_prefix: str
) -> None:
    other = RedisIdempotencyStore(client, prefix=redis_prefix)  # another worker
    assert other.claim_many(["theirs"]) == [C]
    assert store.claim_many(["mine", "late", "done"]) == [C, C, C]
    client.delete(redis_prefix + "late")  # its lease ends...
    assert other.claim_many(["late"]) == [C]  # ...and another worker takes it
    other.complete("done")
    store.release_many(["theirs", "mine", "late", "done"])
    assert other.claim_many(["theirs", "mine", "late", "done"]) == [H, C, H, D]


class CountingConnection(redis.Connection):
    """A connection that counts the requests it writes: one per round trip."""

    sent = 0

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.sent += 1
        super().send_packed_command(command, check_health)  # type: ignore[no-untyped-call]


class AsyncCountingConnection(redis.asyncio.Connection):
    """:class:`CountingConnection` for the asyncio client."""

    sent = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        AsyncCountingConnection.sent += 1
        await super().send_packed_command(command, check_health)


def evals(client: redis.Redis) -> int:
    """How many EVAL commands the server has run (its own count, from INFO)."""
    stats: dict[str, Any] = client.info("commandstats")
    return int(stats.get("cmdstat_eval", {}).get("calls", 0))


BATCH = [f"nhn-webhooks:hook:{index:032x}" for index in range(1000)]


def test_each_batch_call_is_one_round_trip_whatever_the_number_of_keys(
    redis_server: RedisServer, client: redis.Redis, redis_prefix: str
) -> None:
    pool = redis.ConnectionPool.from_url(redis_server.url, connection_class=CountingConnection)
    with redis.Redis(connection_pool=pool) as counted:
        store = RedisIdempotencyStore(counted, prefix=redis_prefix)
        counted.ping()  # connects (and says hello) before counting
        trips = []
        for call in (store.claim_many, store.complete_many, store.claim_many):
            sent, before = CountingConnection.sent, evals(client)
            result = call(BATCH)
            trips.append((CountingConnection.sent - sent, evals(client) - before))
        assert result == [D] * 1000
        store.complete("x")
        assert store.claim_many([*BATCH[:500], "y"]) == [*[D] * 500, C]
        sent, before = CountingConnection.sent, evals(client)
        store.release_many([*BATCH, "y"])
        trips.append((CountingConnection.sent - sent, evals(client) - before))
        assert store.claim("y") is True  # the release in that one trip freed it
    pool.disconnect()  # given to the client, so the client leaves it open
    assert trips == [(1, 1)] * 4


def test_each_async_batch_call_is_one_round_trip(
    redis_server: RedisServer, client: redis.Redis, redis_prefix: str
) -> None:
    async def scenario() -> list[tuple[int, int]]:
        pool = redis.asyncio.ConnectionPool.from_url(
            redis_server.url, connection_class=AsyncCountingConnection
        )
        async with redis.asyncio.Redis(connection_pool=pool) as counted:
            store = AsyncRedisIdempotencyStore(counted, prefix=redis_prefix)
            await counted.ping()
            trips = []
            for call in (store.claim_many, store.release_many, store.claim_many):
                sent, before = AsyncCountingConnection.sent, evals(client)
                await call(BATCH)
                trips.append((AsyncCountingConnection.sent - sent, evals(client) - before))
            sent, before = AsyncCountingConnection.sent, evals(client)
            await store.complete_many(BATCH)
            trips.append((AsyncCountingConnection.sent - sent, evals(client) - before))
            assert await store.claim_many(BATCH[:3]) == [D, D, D]
        await pool.aclose()  # given to the client, so the client leaves it open
        return trips

    assert asyncio.run(scenario()) == [(1, 1)] * 4


def test_stores_satisfy_the_batch_protocols(store: RedisIdempotencyStore) -> None:
    assert isinstance(store, nw.BatchIdempotencyStore)
    async_store = AsyncRedisIdempotencyStore(redis.asyncio.Redis())  # connects on first use
    assert isinstance(async_store, nw.AsyncBatchIdempotencyStore)


# --- several processes ---------------------------------------------------------------

CLAIMER = """
import json, sys, random, redis
from nhn_webhooks.redis import RedisIdempotencyStore
url, prefix, name, count, lease = sys.argv[1:6]
client = redis.Redis.from_url(url)
store = RedisIdempotencyStore(client, lease_seconds=float(lease), prefix=prefix)
keys = [f"k{index}" for index in range(int(count))]
random.shuffle(keys)
client.rpush(prefix + "ready", name)
client.blpop([prefix + "go"], timeout=30)
seconds, microseconds = client.time()  # the server's clock, before any claim
won = [key for key in keys if store.claim(key)]
print(json.dumps({"won": won, "since": seconds + microseconds / 1e6}), flush=True)
if name == "stall":
    sys.stdin.read()  # holds its claims until killed
"""


def claimer(
    server: RedisServer, prefix: str, name: str, count: int, lease: float = 30.0
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CLAIMER, server.url, prefix, name, str(count), str(lease)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def start_together(client: redis.Redis, prefix: str, processes: int) -> None:
    deadline = time.monotonic() + 60  # a loaded machine can take seconds to start Python
    for _ in range(processes):
        # Short waits: the client's socket timeout (5 s) would cut a longer one short.
        while client.blpop([prefix + "ready"], timeout=1) is None:
            assert time.monotonic() < deadline, "a claimer never started"
    client.rpush(prefix + "go", *["go"] * processes)


def test_many_processes_claiming_the_same_keys_have_one_winner_each(
    redis_server: RedisServer, client: redis.Redis, redis_prefix: str
) -> None:
    claimers = [claimer(redis_server, redis_prefix, f"p{index}", 2000) for index in range(4)]
    try:
        start_together(client, redis_prefix, len(claimers))
        wins = [json.loads(process.communicate(timeout=60)[0])["won"] for process in claimers]
    finally:
        for process in claimers:
            process.kill()
            process.wait()
    won = [key for keys in wins for key in keys]
    assert sorted(won) == sorted(f"k{index}" for index in range(2000))  # each once, none lost
    assert sum(1 for keys in wins if keys) > 1  # they did compete


def test_claims_of_a_killed_worker_expire_after_the_lease(
    redis_server: RedisServer, client: redis.Redis, redis_prefix: str
) -> None:
    lease = 3.0
    with claimer(redis_server, redis_prefix, "stall", 50, lease=lease) as process:
        try:
            start_together(client, redis_prefix, 1)
            assert process.stdout is not None
            report = json.loads(process.stdout.readline())
            assert len(report["won"]) == 50
        finally:
            process.send_signal(signal.SIGKILL)
    # Every claim was made after `since` (the server's clock), so none may be taken
    # before `since + lease`, and each must be taken once its own lease is over.
    # Checked on the server's clock after each claim won: no load can fail it. (The
    # first attempts come right after the kill, well inside the lease, unless the
    # machine stalls for seconds: then the check is weaker, never wrong.)
    held_until = report["since"] + lease - 0.001  # Redis expires keys to the millisecond
    store = RedisIdempotencyStore(client, prefix=redis_prefix)
    for key in report["won"]:  # in the order claimed: the earliest expire first
        wait_until(partial(store.claim, key), f"the dead worker's lease on {key}")
        seconds, microseconds = client.time()
        assert seconds + microseconds / 1e6 >= held_until, f"{key} was free before its lease"


# --- Redis going away ----------------------------------------------------------------


def documented_process_once() -> Any:
    page = (DOCS / "security.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", page, re.S) if "process_once" in b)
    namespace: dict[str, Any] = {}
    exec(block, namespace)
    return namespace["process_once"]


def test_server_stopped_mid_run_raises_store_error_processes_nothing_and_recovers() -> None:
    server = RedisServer().start()
    try:
        connection = redis.Redis.from_url(server.url, socket_timeout=2)
        store = RedisIdempotencyStore(connection, prefix="t:")
        webhook = nw.testing.sample_webhook(nw.SmsMessageResultUpdate, hooks=2)
        processed: list[Any] = []
        process_once = documented_process_once()
        process_once(webhook, store, processed.append)
        assert len(processed) == 2
        assert store.claim("nhn-webhooks:hook:new")  # a release needs a claim to give back
        server.stop()
        for call in (store.claim, store.complete, store.release, store.completed):
            with pytest.raises(nw.StoreError, match="Redis failed to") as raised:
                call("nhn-webhooks:hook:new")
            assert isinstance(raised.value.__cause__, redis.exceptions.ConnectionError)
        later = nw.testing.sample_webhook(nw.SmsMessageResultUpdate, hooks=3, hooks_id="P2")
        with pytest.raises(nw.StoreError):
            process_once(later, store, processed.append)
        assert len(processed) == 2  # a failed claim is never taken as a win
        server.start()  # back on the same port: the same store object works again
        process_once(later, store, processed.append)
        assert len(processed) == 5
        connection.close()
    finally:
        server.stop()


# --- a server that stopped answering ------------------------------------------------

SOCKET_TIMEOUT = 0.5
BOUND = 3 * SOCKET_TIMEOUT + 1  # a correctness bound (no retry loop), not a speed claim


BOUNDED = {
    "socket_timeout": SOCKET_TIMEOUT,
    "socket_connect_timeout": SOCKET_TIMEOUT,
    "retry": Retry(NoBackoff(), 0),  # without it, redis.Redis(...) took 9.4 s here
}
"""A client's options as the docs give them: every call bounded by its timeouts."""


def bounded_store(made: str, server: RedisServer) -> RedisIdempotencyStore:
    """A store whose client is bounded: by the library's from_url(), or by hand."""
    if made == "store.from_url":
        return RedisIdempotencyStore.from_url(server.url, timeout=SOCKET_TIMEOUT, prefix="t:")
    if made == "from_url":
        client = redis.Redis.from_url(server.url, **BOUNDED)  # type: ignore[arg-type]
    else:
        client = redis.Redis("127.0.0.1", server.port, **BOUNDED)  # type: ignore[arg-type]
    return RedisIdempotencyStore(client, prefix="t:")


@pytest.mark.parametrize("made", ["store.from_url", "from_url", "constructor"])
def test_a_stopped_server_fails_each_call_within_the_clients_timeouts(made: str) -> None:
    server = RedisServer().start()
    try:
        with bounded_store(made, server) as store:
            assert store.claim("held")  # connected, with a claim to release
            server.pause()  # SIGSTOP: the socket stays open, nothing answers
            calls = [store.claim, store.complete, store.release, store.completed]
            many = [store.claim_many, store.complete_many, store.release_many]
            seconds = []
            try:
                for call, arg in [*((c, "held") for c in calls), *((m, ["held"]) for m in many)]:
                    started = time.monotonic()
                    with pytest.raises(nw.StoreError, match="Redis failed to") as raised:
                        call(arg)  # type: ignore[operator]
                    seconds.append(time.monotonic() - started)
                    assert isinstance(raised.value.__cause__, redis.exceptions.TimeoutError)
            finally:
                server.resume()
            assert max(seconds) < BOUND, seconds
            assert store.claim("after")  # the same store works once the server does
    finally:
        server.stop()


def async_bounded_store(made: str, server: RedisServer) -> AsyncRedisIdempotencyStore:
    """An asyncio store whose client is bounded: by from_url(), or by hand."""
    if made == "store.from_url":
        return AsyncRedisIdempotencyStore.from_url(server.url, timeout=SOCKET_TIMEOUT, prefix="t:")
    client = redis.asyncio.Redis(
        host="127.0.0.1",
        port=server.port,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        retry=AsyncRetry(NoBackoff(), 0),
    )
    return AsyncRedisIdempotencyStore(client, prefix="t:")


@pytest.mark.parametrize("made", ["store.from_url", "constructor"])
def test_a_stopped_server_fails_each_async_call_within_the_clients_timeouts(made: str) -> None:
    server = RedisServer().start()

    async def scenario() -> list[float]:
        async with async_bounded_store(made, server) as store:
            assert await store.claim("held")
            server.pause()
            seconds = []
            try:
                for call in (store.claim, store.complete, store.release, store.completed):
                    started = time.monotonic()
                    with pytest.raises(nw.StoreError, match="Redis failed to"):
                        await call("held")
                    seconds.append(time.monotonic() - started)
                started = time.monotonic()
                with pytest.raises(nw.StoreError):
                    await store.claim_many(["held", "other"])
                seconds.append(time.monotonic() - started)
            finally:
                server.resume()
            assert await store.claim("after")
            return seconds

    try:
        seconds = asyncio.run(scenario())
    finally:
        server.stop()
    assert max(seconds) < BOUND, seconds


@pytest.mark.parametrize("cls", [RedisIdempotencyStore, AsyncRedisIdempotencyStore])
def test_from_url_bounds_the_client_and_keeps_the_stores_options(cls: Any) -> None:
    store = cls.from_url("redis://127.0.0.1:1/3", ttl_seconds=60, lease_seconds=5, prefix="p:")
    assert repr(store) == f"{cls.__name__}(prefix='p:', ttl_seconds=60, lease_seconds=5)"
    pool = store._client.connection_pool
    assert pool.connection_kwargs["socket_timeout"] == 2.0  # the default timeout
    assert pool.connection_kwargs["socket_connect_timeout"] == 2.0
    assert pool.connection_kwargs["db"] == 3
    assert pool.connection_kwargs["retry"].get_retries() == 0


@pytest.mark.parametrize("cls", [RedisIdempotencyStore, AsyncRedisIdempotencyStore])
@pytest.mark.parametrize(
    ("timeout", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (float("nan"), ValueError),
        (3601, ValueError),
        (True, TypeError),
        ("2", TypeError),
        (None, TypeError),
    ],
)
def test_from_url_refuses_a_timeout_that_bounds_nothing(
    cls: Any, timeout: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="timeout"):
        cls.from_url("redis://127.0.0.1:1/0", timeout=timeout)


def test_from_url_bounds_a_connection_to_a_stopped_server() -> None:
    server = RedisServer().start()
    server.pause()  # the listening socket accepts, nothing answers the handshake
    try:
        with RedisIdempotencyStore.from_url(server.url, timeout=SOCKET_TIMEOUT) as store:
            started = time.monotonic()
            with pytest.raises(nw.StoreError, match="Redis failed to claim"):
                store.claim("k")
            assert time.monotonic() - started < BOUND
    finally:
        server.resume()
        server.stop()


def documented_code() -> dict[str, str]:
    """Each recipe's code, and the Python code blocks of each docs page."""
    code = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("recipes/*.py")}
    for page in DOCS.glob("*.md"):
        blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
        code[page.name] = "\n".join(blocks)
    return code


def test_every_documented_redis_client_bounds_its_calls() -> None:
    # The bound tested above holds for a store made by from_url(), and for a client
    # made by hand with the timeouts and no retries: every recipe and docs example
    # that makes a store or a client makes it one of those ways.
    makes_client = re.compile(r"\bRedis(?:\.from_url)?\(")
    makes_store = re.compile(r"RedisIdempotencyStore\.from_url\(")
    clients, stores = {}, {}
    for name, code in documented_code().items():
        clients[name] = len(makes_client.findall(code))
        stores[name] = len(makes_store.findall(code))
        assert code.count("retry=Retry(NoBackoff(), 0)") == clients[name], name
        assert code.count("socket_timeout=") == clients[name], name
    recipes_with_redis = {
        "aiohttp_app.py",
        "celery_app.py",
        "django_app.py",
        "fastapi_app.py",
        "flask_app.py",
        "starlette_app.py",
    }
    assert {name for name, count in clients.items() if count} == {"scaling.md"}
    assert {name for name, count in stores.items() if count} == {
        *recipes_with_redis,
        "scaling.md",
        "security.md",
    }


# --- lifetimes -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ttl_seconds", "lease_seconds"])
@pytest.mark.parametrize("value", [1e16, 10**400, 0.0004], ids=["1e16", "10**400", "0.0004"])
def test_lifetimes_redis_would_refuse_are_refused_at_construction(
    client: redis.Redis, name: str, value: float
) -> None:
    for cls in (RedisIdempotencyStore, AsyncRedisIdempotencyStore):
        with pytest.raises(ValueError, match=name):
            cls(client, **{name: value})  # type: ignore[arg-type]


def test_the_longest_and_shortest_lifetimes_are_kept_by_redis(
    client: redis.Redis, redis_prefix: str
) -> None:
    longest = RedisIdempotencyStore(
        client, ttl_seconds=1e15, lease_seconds=1e15, prefix=redis_prefix
    )
    assert longest.claim_many(["k", "j"]) == [C, C]
    longest.complete("k")
    assert [longest.completed("k"), longest.claim("j")] == [True, False]
    assert client.pttl(redis_prefix + "k") > 10**17
    shortest = RedisIdempotencyStore(
        client, ttl_seconds=0.001, lease_seconds=0.001, prefix=redis_prefix
    )
    assert shortest.claim("s")
    wait_until(lambda: shortest.claim("s"), "a one-millisecond lease to end")


# --- the asyncio store ---------------------------------------------------------------


def test_async_late_release_leaves_the_claim_another_task_made_since(
    redis_server: RedisServer, redis_prefix: str
) -> None:
    async def scenario() -> list[bool]:
        async with redis.asyncio.Redis.from_url(redis_server.url) as connection:
            store = AsyncRedisIdempotencyStore(connection, prefix=redis_prefix)
            seen = [await store.claim("k")]  # this task's work outlives the lease
            await connection.delete(redis_prefix + "k")  # as the lease ends
            # A task started from this one (its context copied) claims the key anew.
            seen.append(await asyncio.create_task(store.claim("k")))
            await store.release("k")  # this task fails, late
            seen.append(await store.claim("k"))  # the other task's claim stands
            return seen

    assert asyncio.run(scenario()) == [True, True, False]


def test_async_store_claims_completes_and_releases(
    redis_server: RedisServer, redis_prefix: str
) -> None:
    async def scenario() -> list[bool]:
        async with redis.asyncio.Redis.from_url(redis_server.url) as connection:
            store = AsyncRedisIdempotencyStore(connection, lease_seconds=5, prefix=redis_prefix)
            other = AsyncRedisIdempotencyStore(connection, prefix=redis_prefix)
            seen = [await store.claim("k"), await store.claim("k")]
            await other.release("k")  # not its claim: stays
            seen.append(await other.claim("k"))
            await store.release("k")
            seen.append(await other.claim("k"))
            await other.complete("k")
            await other.release("k")
            seen.append(await store.claim("k"))
            seen.append(await store.completed("k"))
            seen.append(await store.completed("c"))
            concurrent = await asyncio.gather(*(store.claim("c") for _ in range(50)))
            return [*seen, sum(concurrent) == 1]

    assert asyncio.run(scenario()) == [True, False, False, True, False, True, False, True]


def test_async_store_raises_store_error_when_redis_is_down() -> None:
    server = RedisServer().start()

    async def scenario() -> BaseException | None:
        async with redis.asyncio.Redis.from_url(server.url) as connection:
            store = AsyncRedisIdempotencyStore(connection)
            assert await store.claim("k")  # a release needs a claim to give back
            server.stop()
            for call in (store.claim, store.complete, store.release, store.completed):
                with pytest.raises(nw.StoreError) as raised:
                    await call("k")
            return raised.value.__cause__

    try:
        assert isinstance(asyncio.run(scenario()), redis.exceptions.ConnectionError)
    finally:
        server.stop()


# --- the optional dependency ---------------------------------------------------------


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    return result.stdout


IMPORT_THE_PACKAGE = partial(
    run_python, "import sys, nhn_webhooks\nprint('redis' in sys.modules)\n"
)
IMPORT_WITHOUT_REDIS = partial(
    run_python,
    "import sys\n"
    "sys.modules['redis'] = None  # as if not installed\n"
    "import nhn_webhooks\n"
    "try:\n"
    "    import nhn_webhooks.redis\n"
    "except ImportError as error:\n"
    "    print(error)\n",
)


@pytest.mark.early(job=IMPORT_THE_PACKAGE)
def test_importing_the_package_does_not_import_redis(early: Early) -> None:
    assert early.result(IMPORT_THE_PACKAGE) == "False\n"


@pytest.mark.early(job=IMPORT_WITHOUT_REDIS)
def test_redis_module_without_redis_py_names_the_extra(early: Early) -> None:
    assert early.result(IMPORT_WITHOUT_REDIS) == (
        'nhn_webhooks.redis needs redis-py: pip install "nhn-webhooks[redis]"\n'
    )
