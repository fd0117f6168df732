"""Replays and repeats: idempotency keys and the stores that remember them."""

from __future__ import annotations

import asyncio
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


def test_store_is_bounded_and_drops_the_oldest_completed_key_first() -> None:
    store = nw.MemoryIdempotencyStore(max_entries=3)
    store.complete("done0")
    store.claim("claimed")
    store.complete("done1")
    store.claim("new")  # full: done0 goes, the claim in progress stays
    assert len(store) == 3
    assert [store.claim(k) for k in ("claimed", "done1", "new")] == [False, False, False]
    assert store.claim("done0") is True


def test_full_store_of_claims_drops_the_oldest_claim() -> None:
    store = nw.MemoryIdempotencyStore(max_entries=2)
    for key in ("k0", "k1", "k2"):
        store.claim(key)
    assert [store.claim(k) for k in ("k2", "k1", "k0")] == [False, False, True]


def test_store_never_holds_more_than_max_entries() -> None:
    store = nw.MemoryIdempotencyStore(max_entries=50)
    for index in range(10_000):
        store.claim(str(index))
        if index % 3:
            store.complete(str(index))
    assert len(store) == 50


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
