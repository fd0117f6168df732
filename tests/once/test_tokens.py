"""Claim tokens kept per context: callers sharing a context, and the cost of many claims."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
import nhn_webhooks._once._tokens
from tests.conftest import examples
from tests.once.test_memory import Clock, in_another_thread


def test_a_late_release_through_an_executor_leaves_a_newer_claim_alone() -> None:
    # A pool thread's context lasts as long as the thread and is shared by every
    # request it serves: A's claim lapses, B claims on the same thread, A releases late.
    clock = Clock()
    store = nw.MemoryIdempotencyStore(lease_seconds=10, clock=clock)
    pool = ThreadPoolExecutor(max_workers=1)  # one thread, so the interleaving is fixed

    async def main() -> list[bool]:
        loop = asyncio.get_running_loop()

        async def call(method: Any, key: str) -> Any:
            return await loop.run_in_executor(pool, method, key)

        wins = [await call(store.claim, "K")]  # request A
        clock.now += 11  # A is slower than the lease
        wins.append(await call(store.claim, "K"))  # request B
        await call(store.release, "K")  # A gives up, late
        wins.append(await call(store.claim, "K"))  # request C, while B works
        await call(store.release, "K")  # B gives up too: now both are done
        wins.append(await call(store.claim, "K"))
        return wins

    try:
        wins = asyncio.run(main())
    finally:
        pool.shutdown()
    assert wins == [True, True, False, True]


CALLERS = 3
STEPS = st.lists(
    st.tuples(st.sampled_from(["claim", "release", "wait"]), st.integers(0, CALLERS - 1)),
    max_size=16,
)


@settings(max_examples=examples(800))
@given(STEPS)
@example([("claim", 0), ("wait", 0), ("wait", 0), ("claim", 1), ("release", 0)])
def test_callers_sharing_a_context_never_free_a_live_claim_of_another(
    steps: list[tuple[str, int]],
) -> None:
    clock = Clock()
    store = nw.MemoryIdempotencyStore(lease_seconds=10, clock=clock)
    working: set[int] = set()  # callers that won a claim and have not released it
    owner, expiry = -1, 0.0  # the caller whose claim the store holds, and its end
    for step, caller in steps:
        if step == "wait":
            clock.now += 6
        elif step == "claim" and caller not in working:
            if store.claim("K"):
                working.add(caller)
                owner, expiry = caller, clock.now + 10
        elif step == "release" and caller in working:
            store.release("K")  # all in this one context
            working.discard(caller)
            if owner in working and clock.now < expiry:
                assert not in_another_thread(lambda: store.claim("K"))


def copies_made_by(call: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    """Entries copied from one mapping of tokens to another while ``call()`` runs."""
    copied = 0

    class CountingDict(dict):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            nonlocal copied
            if args and hasattr(args[0], "__len__"):
                copied += len(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(nhn_webhooks._once._tokens, "dict", CountingDict, raising=False)
    call()
    monkeypatch.undo()
    return copied


def test_one_claim_costs_the_same_however_many_claims_the_context_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dispatcher = nw.MemoryIdempotencyStore(max_entries=100_000)
    dispatcher.claim_many([f"open-{index}" for index in range(20_000)])  # completed elsewhere
    other = nw.MemoryIdempotencyStore()
    assert copies_made_by(lambda: other.claim("one-key"), monkeypatch) == 0
    for call in (
        lambda: dispatcher.claim("one-key"),
        lambda: dispatcher.complete("one-key"),
        lambda: dispatcher.release("open-1"),
    ):
        assert copies_made_by(call, monkeypatch) < 1_000  # one bucket of ~80, not 20,000
