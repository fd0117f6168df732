"""The in-memory store: claims, completions, releases, batches, forks and lifetimes."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
import nhn_webhooks._once._tokens
from tests.conftest import examples
from tests.once.test_keys import sms_result

ROOT = Path(__file__).parent.parent.parent
DOCS = ROOT / "docs"


# --- the in-memory store ---------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_claim_is_true_once_then_false() -> None:
    store = nw.MemoryIdempotencyStore()
    assert [store.claim("k"), store.claim("k"), store.claim("j")] == [True, False, True]


def test_completed_key_is_a_duplicate_until_ttl_after_completion() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(ttl_seconds=60, lease_seconds=5, clock=clock)
    store.claim("k")
    clock.now += 4
    store.complete("k")
    clock.now += 59.9
    assert store.claim("k") is False
    clock.now += 0.1
    assert store.claim("k") is True


def test_claim_of_a_dead_worker_expires_after_the_lease() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(ttl_seconds=60, lease_seconds=5, clock=clock)
    store.claim("k")  # the worker dies here: neither complete nor release
    clock.now += 4.9
    assert store.claim("k") is False
    clock.now += 0.1
    assert store.claim("k") is True


def test_release_lets_the_next_delivery_claim_the_key() -> None:
    store = nw.MemoryIdempotencyStore()
    store.claim("k")
    store.release("k")
    store.release("never-claimed")
    assert store.claim("k") is True


def in_another_thread(call: Callable[[], bool]) -> bool:
    """What ``call()`` returns when run by a thread of its own (another request)."""
    results: list[bool] = []
    thread = threading.Thread(target=lambda: results.append(call()))
    thread.start()
    thread.join()
    return results[0]


def test_late_release_leaves_the_claim_another_thread_made_since() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(lease_seconds=5, clock=clock)
    assert store.claim("k")  # this request's work then outlives the lease
    clock.now += 5
    assert in_another_thread(lambda: store.claim("k"))  # another request takes it
    store.release("k")  # the first one fails, late
    assert store.claim("k") is False  # the second's claim stands
    assert in_another_thread(lambda: store.claim("k")) is False
    assert in_another_thread(lambda: store.release("k") or store.claim("k")) is False


def test_late_release_leaves_the_claim_another_task_made_since() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(lease_seconds=5, clock=clock)

    async def scenario() -> list[bool]:
        overran, retaken = asyncio.Event(), asyncio.Event()

        async def slow_request() -> bool:
            won = store.claim("k")
            overran.set()
            await retaken.wait()
            store.release("k")  # late: its lease ended meanwhile
            return won

        async def next_request() -> bool:
            await overran.wait()
            clock.now += 5
            won = store.claim("k")
            retaken.set()
            return won

        first, second = await asyncio.gather(slow_request(), next_request())
        return [first, second, store.claim("k")]

    assert asyncio.run(scenario()) == [True, True, False]


def test_release_does_not_undo_a_completion() -> None:
    store = nw.MemoryIdempotencyStore()
    store.claim("k")
    store.complete("k")
    store.release("k")  # a late release, after another worker completed the key
    assert store.claim("k") is False


def test_complete_marks_a_key_that_was_not_claimed() -> None:
    store = nw.MemoryIdempotencyStore()
    store.complete("k")
    assert store.claim("k") is False


def test_completed_tells_a_duplicate_from_a_claim_in_progress() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(ttl_seconds=60, lease_seconds=5, clock=clock)
    store.claim("claimed")
    store.claim("done")
    store.complete("done")
    assert [store.completed(k) for k in ("claimed", "done", "absent")] == [False, True, False]
    clock.now += 60
    assert store.completed("done") is False


def test_claiming_again_does_not_extend_a_lease_or_a_ttl() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(ttl_seconds=60, lease_seconds=5, clock=clock)
    store.claim("claimed")
    store.complete("done")
    clock.now += 4
    assert [store.claim("claimed"), store.claim("done")] == [False, False]
    clock.now += 1
    assert store.claim("claimed") is True
    clock.now += 55
    assert store.claim("done") is True


def test_expired_keys_are_dropped_from_memory() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(ttl_seconds=10, lease_seconds=2, clock=clock)
    for index in range(100):
        store.claim(f"claimed{index}")
        store.complete(f"done{index}")
    clock.now += 5
    store.claim("late")
    assert len(store) == 101
    clock.now += 5
    assert len(store) == 0


def test_full_store_keeps_every_live_claim_and_completion_and_says_so() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(max_entries=3, ttl_seconds=60, lease_seconds=5, clock=clock)
    assert store.claim("A")  # the first worker holds A
    store.complete("done")
    assert store.claim("B")
    with pytest.raises(nw.StoreError, match="memory store is full"):
        store.claim("C")  # would have to forget A, B or done
    with pytest.raises(nw.StoreError, match="memory store is full"):
        store.complete("D")  # would have to forget one too
    assert in_another_thread(lambda: store.claim("A")) is False  # a second worker
    assert [store.claim("B"), store.completed("done"), len(store)] == [False, True, 3]
    store.complete("B")  # a claimed key turns completed in its own entry: room enough
    assert store.completed("B")


def test_full_store_drops_expired_keys_before_refusing() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(max_entries=3, ttl_seconds=60, lease_seconds=5, clock=clock)
    store.claim("A")
    store.complete("done")
    store.claim("B")
    clock.now += 5  # the claims' leases end; the completion is live for 55 s more
    assert [store.claim("C"), store.claim("D"), store.claim("done")] == [True, True, False]
    clock.now += 55
    assert store.claim("E") is True


def test_store_never_holds_more_than_max_entries() -> None:
    store = nw.MemoryIdempotencyStore(max_entries=50)
    refused = 0
    for index in range(10_000):
        try:
            store.claim(str(index))
        except nw.StoreError:
            refused += 1
        if index % 3:
            with contextlib.suppress(nw.StoreError):
                store.complete(str(index))
        assert len(store) <= 50
    assert len(store) == 50
    assert refused == 10_000 - 50


def test_concurrent_claims_are_won_exactly_once_per_key() -> None:
    store = nw.MemoryIdempotencyStore()
    keys = [f"k{index}" for index in range(2000)]
    start = threading.Barrier(8)
    wins: list[list[str]] = [[] for _ in range(8)]

    def worker(won: list[str]) -> None:
        start.wait()
        for key in keys:
            if store.claim(key):
                won.append(key)
                store.complete(key)

    threads = [threading.Thread(target=worker, args=(won,)) for won in wins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(key for won in wins for key in won) == sorted(keys)


@pytest.mark.parametrize(
    "options",
    [
        {"max_entries": 0},
        {"max_entries": 1.5},
        {"max_entries": True},
        {"ttl_seconds": 0},
        {"ttl_seconds": -1},
        {"ttl_seconds": "60"},
        {"lease_seconds": 0},
        {"lease_seconds": float("nan")},
    ],
)
def test_bad_configuration_is_rejected_at_construction(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        nw.MemoryIdempotencyStore(**options)


def test_memory_store_satisfies_the_store_protocol() -> None:
    assert isinstance(nw.MemoryIdempotencyStore(), nw.IdempotencyStore)
    assert "lease_seconds=300" in repr(nw.MemoryIdempotencyStore())


# --- the documented recipes ------------------------------------------------------


def documented_code(marker: str) -> str:
    page = (DOCS / "security.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    return next(block for block in blocks if marker in block)


def test_documented_handler_processes_each_hook_once_and_retries_failures() -> None:
    namespace: dict[str, Any] = {"nw": nw}
    exec(documented_code("def process_once"), namespace)
    process_once = namespace["process_once"]
    store = nw.MemoryIdempotencyStore()
    done: list[str] = []
    failing = {"H3"}

    def process(hook: Any) -> None:
        if hook.hook_id in failing:
            raise RuntimeError("database down")
        done.append(hook.hook_id)

    first = sms_result("P1", "H1", "H2")
    process_once(first, store, process)
    process_once(first, store, process)  # the same POST replayed
    with pytest.raises(RuntimeError):
        process_once(sms_result("P2", "H2", "H3"), store, process)  # H2 repeated
    failing.clear()
    process_once(sms_result("P3", "H3"), store, process)  # NHN tries H3 again
    assert done == ["H1", "H2", "H3"]


# --- who may release a claim ---------------------------------------------------------


async def _release_through(how: str, release: Callable[[], Any]) -> None:
    """Run ``release`` the way cleanup code protects it from cancellation."""
    if how == "shield":
        await asyncio.shield(release())
    elif how == "gather":
        await asyncio.gather(release())
    elif how == "wait_for":  # a task of its own before 3.12
        await asyncio.wait_for(release(), timeout=30)
    else:
        await asyncio.create_task(release())


@pytest.mark.parametrize("how", ["shield", "gather", "wait_for", "create_task"])
def test_release_from_a_task_started_after_the_claim_frees_it(how: str) -> None:
    store = nw.MemoryIdempotencyStore()

    async def release() -> None:
        store.release("k")

    async def scenario() -> list[bool]:
        won = store.claim("k")
        await _release_through(how, release)
        return [won, store.claim("k")]

    assert asyncio.run(scenario()) == [True, True]


def test_release_in_a_worker_thread_started_after_the_claim_frees_it() -> None:
    store = nw.MemoryIdempotencyStore()

    async def scenario() -> list[bool]:
        won = store.claim("k")
        await asyncio.to_thread(store.release, "k")  # copies the context, as a task does
        return [won, store.claim("k")]

    assert asyncio.run(scenario()) == [True, True]


def test_a_sibling_task_that_did_not_claim_frees_nothing() -> None:
    store = nw.MemoryIdempotencyStore()

    async def scenario() -> list[bool]:
        claimed = asyncio.Event()

        async def claimant() -> bool:
            won = store.claim("k")
            claimed.set()
            return won

        async def sibling() -> bool:
            await claimed.wait()
            store.release("k")  # started before the claim: not its claim
            return store.claim("k")

        won, stolen = await asyncio.gather(claimant(), sibling())
        return [won, stolen, store.claim("k")]

    assert asyncio.run(scenario()) == [True, False, False]


@pytest.mark.parametrize("how", ["shield", "gather", "wait_for"])
def test_late_release_through_a_task_leaves_the_claim_made_since(how: str) -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(lease_seconds=5, clock=clock)

    async def release() -> None:
        store.release("k")

    async def scenario() -> list[bool]:
        won = store.claim("k")
        clock.now += 5  # the lease ends; another request claims the key
        retaken = in_another_thread(lambda: store.claim("k"))
        await _release_through(how, release)  # the first request's late cleanup
        return [won, retaken, store.claim("k")]

    assert asyncio.run(scenario()) == [True, True, False]


def test_another_store_object_frees_nothing() -> None:
    store, other = nw.MemoryIdempotencyStore(), nw.MemoryIdempotencyStore()
    assert [store.claim("k"), other.claim("k")] == [True, True]  # two separate stores
    other.release("k")
    assert [store.claim("k"), other.claim("k")] == [False, True]


# --- the batch calls -----------------------------------------------------------------

C, D, H = nw.ClaimStatus.CLAIMED, nw.ClaimStatus.COMPLETED, nw.ClaimStatus.HELD


def test_claim_many_gives_one_status_per_key_in_order() -> None:
    store = nw.MemoryIdempotencyStore()
    store.complete("done")
    assert in_another_thread(lambda: store.claim("held"))
    assert store.claim_many(["a", "done", "held", "b", "a"]) == [C, D, H, C, H]
    assert store.claim_many([]) == []


def test_complete_many_and_release_many_settle_a_batch() -> None:
    store = nw.MemoryIdempotencyStore()
    assert store.claim_many(["ok1", "ok2", "failed"]) == [C, C, C]
    store.complete_many(["ok1", "ok2"])
    store.release_many(["failed", "never-claimed"])
    assert store.claim_many(["ok1", "ok2", "failed"]) == [D, D, C]


def test_release_many_frees_only_the_callers_claims() -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(lease_seconds=5, clock=clock)
    assert store.claim_many(["mine", "late"]) == [C, C]
    clock.now += 3
    assert in_another_thread(lambda: store.claim_many(["theirs"]) == [C])
    assert store.claim_many(["other"]) == [C]
    clock.now += 2  # "mine" and "late" lapse; another caller retakes "late"
    assert in_another_thread(lambda: store.claim_many(["late"]) == [C])
    assert store.claim_many(["mine"]) == [C]
    store.release_many(["theirs", "mine", "late", "other"])
    # "mine" was won twice here and is closed once: the release cannot tell whether
    # the first claim's caller (long lapsed) or the second's made it, so it frees
    # nothing until both are closed.
    assert in_another_thread(
        lambda: store.claim_many(["theirs", "mine", "late", "other"]) == [H, H, H, C]
    )
    store.release_many(["mine"])
    assert in_another_thread(lambda: store.claim_many(["mine"]) == [C])


def test_full_store_claims_nothing_of_a_batch_that_does_not_fit() -> None:
    store = nw.MemoryIdempotencyStore(max_entries=3)
    store.complete("done")
    with pytest.raises(nw.StoreError, match="full"):
        store.claim_many(["a", "b", "done", "c"])
    assert len(store) == 1
    assert store.claim_many(["a", "done", "b", "a"]) == [C, D, C, H]  # fits: two new keys
    with pytest.raises(nw.StoreError, match="full"):
        store.complete_many(["a", "x"])
    assert store.claim_many(["a"]) == [H]  # the refused batch completed nothing


def test_memory_store_satisfies_the_batch_protocol() -> None:
    assert isinstance(nw.MemoryIdempotencyStore(), nw.BatchIdempotencyStore)
    assert not isinstance(object(), nw.BatchIdempotencyStore)
    assert [status.value for status in nw.ClaimStatus] == ["claimed", "completed", "held"]


# --- a full store never lies (property) ----------------------------------------------

KEYS = st.sampled_from("abcde")
CALLERS = st.integers(min_value=0, max_value=2)
OPERATIONS = st.lists(
    st.tuples(st.just("claim"), KEYS, CALLERS)
    | st.tuples(st.just("complete"), KEYS, CALLERS)
    | st.tuples(st.just("release"), KEYS, CALLERS)
    | st.tuples(st.just("tick"), st.integers(min_value=1, max_value=6), CALLERS),
    max_size=60,
)


@settings(max_examples=examples(800))
@given(OPERATIONS)
def test_a_full_store_never_lets_a_second_caller_claim_a_live_key(
    operations: list[tuple[str, Any, int]],
) -> None:
    # A model with no bound: key -> (expiry, the caller holding a claim, or None once
    # completed). The store must agree with it exactly, or refuse with StoreError
    # only when it is full of live keys.
    clock = Clock()
    store = nw.MemoryIdempotencyStore(max_entries=3, ttl_seconds=10, lease_seconds=4, clock=clock)
    callers = [contextvars.Context() for _ in range(3)]  # three requests' contexts
    live: dict[str, tuple[float, int | None]] = {}
    for name, arg, caller in operations:
        if name == "tick":
            clock.now += arg
            continue
        live = {key: entry for key, entry in live.items() if entry[0] > clock.now}
        full = len(live) >= 3
        call = getattr(store, name)
        if name == "claim" and arg in live:
            assert callers[caller].run(call, arg) is False
        elif name == "release":
            callers[caller].run(call, arg)
            if arg in live and live[arg][1] == caller:
                del live[arg]
        elif full and (arg not in live):
            with pytest.raises(nw.StoreError, match="full"):
                callers[caller].run(call, arg)
        elif name == "claim":
            assert callers[caller].run(call, arg) is True
            live[arg] = (clock.now + 4, caller)
        else:
            callers[caller].run(call, arg)
            live[arg] = (clock.now + 10, None)
        assert len(store) == len(live) <= 3


# --- fork -----------------------------------------------------------------------------

FORK_WHILE_BUSY = """
import os, sys, threading, time
import nhn_webhooks as nw
import nhn_webhooks._once._tokens

def slow_clock():  # gives up the GIL while the store's lock is held, as a busy host might
    time.sleep(0.0005)
    return time.monotonic()

store = nw.MemoryIdempotencyStore(clock=slow_clock)
stop = threading.Event()

def hammer(name):
    index = 0
    while not stop.is_set():
        key = f"{name}-{index}"
        store.claim(key)
        store.complete(key) if index % 2 else store.release(key)
        index += 1

threads = [threading.Thread(target=hammer, args=(f"t{n}",)) for n in range(4)]
for thread in threads:
    thread.start()
children = []
for index in range(40):
    pid = os.fork()
    if pid == 0:  # the child: its first claim must answer
        os._exit(0 if store.claim(f"child-{index}") else 1)
    children.append(pid)
    time.sleep(0.002)
stop.set()
for thread in threads:
    thread.join()
deadline = time.monotonic() + 30  # far beyond any claim: only a deadlock reaches it
hung = refused = 0
for pid in children:
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    if done[0] == 0:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        hung += 1
    elif os.waitstatus_to_exitcode(done[1]) != 0:
        refused += 1
print(hung, refused)
"""


def test_forked_children_claim_while_threads_used_the_store_at_the_fork() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", FORK_WHILE_BUSY],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.stdout.split() == ["0", "0"]  # no child hung, none was refused


# --- lifetimes -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ttl_seconds", "lease_seconds"])
@pytest.mark.parametrize("value", [1e16, 10**16, 10**400, 0.0004, 1e-9])
def test_lifetimes_redis_cannot_keep_are_refused(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name) as raised:
        nw.MemoryIdempotencyStore(**{name: value})
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize("value", [1e15, 10**15, 0.001, 0.0005001])
def test_lifetimes_from_a_millisecond_to_1e15_seconds_are_accepted(value: float) -> None:
    store = nw.MemoryIdempotencyStore(ttl_seconds=value, lease_seconds=value)
    assert store.claim("k")
    store.complete("k")
    assert store.completed("k")


def test_a_context_forgets_its_oldest_open_claims_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nhn_webhooks._once._tokens, "MAX_HELD", 2)
    store = nw.MemoryIdempotencyStore()
    assert store.claim_many(["a", "b", "c"]) == [C, C, C]  # "a" is forgotten: 3 > 2
    store.complete("b")  # completing forgets "b": room again
    assert store.claim("d")
    store.release_many(["a", "c", "d"])
    assert store.claim_many(["a", "c", "d"]) == [H, C, C]  # "a" lasts its lease
