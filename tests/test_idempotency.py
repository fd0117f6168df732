"""Replays and repeats: idempotency keys and the stores that remember them."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nhn_webhooks as nw
from tests.conftest import sample_dict, to_body

DOCS = Path(__file__).parent.parent / "docs"


def sms_result(hooks_id: str = "P1", *hook_ids: str, **envelope: Any) -> nw.SmsMessageResultUpdate:
    data = sample_dict("sms-message-result-update")
    data.update(hooksId=hooks_id, **envelope)
    data["hooks"] = [dict(data["hooks"][0], hookId=hook_id) for hook_id in hook_ids or ("H1",)]
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    return webhook


# --- keys ------------------------------------------------------------------------


def test_replayed_post_has_the_same_post_key() -> None:
    assert nw.idempotency_key(sms_result("P1")) == nw.idempotency_key(sms_result("P1"))


def test_different_posts_have_different_post_keys() -> None:
    assert nw.idempotency_key(sms_result("P1")) != nw.idempotency_key(sms_result("P2"))


def test_repeated_hook_has_the_same_key_in_another_post() -> None:
    first, second = sms_result("P1", "H1"), sms_result("P2", "H1")
    assert nw.idempotency_key(first, first.hooks[0]) == nw.idempotency_key(second, second.hooks[0])


def test_hooks_of_one_post_have_different_keys() -> None:
    webhook = sms_result("P1", "H1", "H2")
    keys = {nw.idempotency_key(webhook, hook) for hook in webhook.hooks}
    assert len(keys) == 2


def test_post_key_and_hook_key_differ_for_the_same_id() -> None:
    webhook = sms_result("X", "X")
    assert nw.idempotency_key(webhook) != nw.idempotency_key(webhook, webhook.hooks[0])


def test_product_spelling_does_not_change_the_key() -> None:
    upper, mixed = sms_result(productName="SMS"), sms_result(productName="Sms")
    assert nw.idempotency_key(upper, upper.hooks[0]) == nw.idempotency_key(mixed, mixed.hooks[0])


def test_keys_are_scoped_to_app_key_and_product() -> None:
    sms = sms_result("P1", "H1")
    other_app = sms_result("P1", "H1", appKey="another-app")
    data = sample_dict("email-unsubscribe")
    data.update(hooksId="P1", appKey=sms.app_key)
    data["hooks"][0]["hookId"] = "H1"
    email = nw.decode(to_body(data))
    keys = {nw.idempotency_key(w, w.hooks[0]) for w in (sms, other_app, email)}
    assert len(keys) == 3


def test_separators_in_ids_cannot_make_two_scopes_collide() -> None:
    left = sms_result("P", "b:c", appKey="a")
    right = sms_result("P", "c", appKey="a:b")
    assert nw.idempotency_key(left, left.hooks[0]) != nw.idempotency_key(right, right.hooks[0])


def test_key_has_a_fixed_short_shape_whatever_the_id() -> None:
    webhook = sms_result("P" * 1_000_000, "H" * 1_000_000)
    for key in (nw.idempotency_key(webhook), nw.idempotency_key(webhook, webhook.hooks[0])):
        assert re.fullmatch(r"nhn-webhooks:(post|hook):[0-9a-f]{32}", key)


def test_key_is_stable_across_versions() -> None:
    # Shared stores outlive deployments: a new release must compute the same key.
    webhook = sms_result("P-1", "H-1", productName="SMS", appKey="app-1")
    assert nw.idempotency_key(webhook) == "nhn-webhooks:post:aa6910a90718e0afabe2442482950d1d"
    assert (
        nw.idempotency_key(webhook, webhook.hooks[0])
        == "nhn-webhooks:hook:2ee6e81b1bf87719c04004ec019996af"
    )


PUSH = {"hooksId": "P1", "webhookConfigId": "C1", "productName": "Push", "appKey": "A"}
PUSH["event"] = "SENT"


def test_unknown_webhook_hooks_are_keyed_by_their_hook_id() -> None:
    body = {**PUSH, "hooks": [{"hookId": "H1"}, {"hookId": "H2"}]}
    webhook = nw.decode(to_body(body))
    assert isinstance(webhook, nw.UnknownWebhook)
    first, second = (nw.idempotency_key(webhook, hook) for hook in webhook.hooks)
    assert first != second
    assert nw.idempotency_key(webhook).startswith("nhn-webhooks:post:")


@pytest.mark.parametrize(
    ("body", "hook_index", "wire"),
    [
        ({**PUSH, "hooks": [{}]}, 0, "hookId"),
        ({**PUSH, "hooks": [{"hookId": 7}]}, 0, "hookId"),
    ],
)
def test_missing_id_is_a_value_error(
    body: dict[str, Any], hook_index: int | None, wire: str
) -> None:
    webhook = nw.decode(to_body(body))
    hook = None if hook_index is None else webhook.hooks[hook_index]
    with pytest.raises(ValueError, match=wire):
        nw.idempotency_key(webhook, hook)


def test_every_decoded_post_has_a_post_key() -> None:
    # A POST without hooksId is not a webhook: decode rejects it, so a handler
    # never reaches idempotency_key() with one.
    with pytest.raises(nw.DecodeError, match="hooksId"):
        nw.decode(to_body({"productName": "Push", "hooks": []}))
    unknown = nw.decode(to_body({**PUSH, "hooks": []}))
    assert nw.idempotency_key(unknown).startswith("nhn-webhooks:post:")


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
    elif how == "wait_for":  # a task of its own on 3.11
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
    assert in_another_thread(
        lambda: store.claim_many(["theirs", "mine", "late", "other"]) == [H, C, H, C]
    )


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
