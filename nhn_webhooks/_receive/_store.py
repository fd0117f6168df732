"""One POST's claims on an idempotency store: each step in one call when the store can.

A store with ``claim_many``/``complete_many``/``release_many`` (the library's memory
and Redis stores) takes each step for every hook of a POST in one round trip. A store
with only the protocol's per-key ``claim``/``complete``/``release`` is called once per
key; after a refused claim, its ``completed(key)``, when it has one, tells a replay
(completed) from a hook held by another worker. Without ``completed``, a refused claim
counts as held: answering 503 can make NHN send a finished hook again, which is then
refused again; answering 200 for a hook held by a worker that died would lose it.

Sync and async stores are driven by the same steps: :func:`perform` calls the store's
method and the caller awaits the result when it is awaitable.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from .._once._protocols import ClaimStatus

__all__ = ["CLAIMED", "COMPLETED", "HELD", "StoreCalls"]

CLAIMED = ClaimStatus.CLAIMED
COMPLETED = ClaimStatus.COMPLETED
HELD = ClaimStatus.HELD


class StoreCalls:
    """The three batch steps for one store, chosen once when the store is set."""

    __slots__ = ("is_async", "store")

    def __init__(self, store: object) -> None:
        for name in ("claim", "complete", "release"):
            if not callable(getattr(store, name, None)):
                raise TypeError(
                    f"store must have claim(), complete() and release() (an "
                    f"IdempotencyStore or AsyncIdempotencyStore), not {type(store).__name__}"
                )
        self.store = store
        self.is_async = inspect.iscoroutinefunction(getattr(store, "claim_many", None)) or (
            inspect.iscoroutinefunction(store.claim)  # type: ignore[attr-defined]
        )

    def claim(self, keys: Sequence[str]) -> Any:
        """The statuses of ``keys`` (or an awaitable of them)."""
        many = getattr(self.store, "claim_many", None)
        if many is not None:
            return many(keys)
        if self.is_async:
            return _claim_each_async(self.store, keys)
        return _claim_each(self.store, keys)

    def complete(self, keys: Sequence[str]) -> Any:
        """Mark ``keys`` completed (or an awaitable doing so)."""
        return self._each("complete", keys)

    def release(self, keys: Sequence[str]) -> Any:
        """Give back the claims on ``keys`` (or an awaitable doing so)."""
        return self._each("release", keys)

    def _each(self, name: str, keys: Sequence[str]) -> Any:
        many = getattr(self.store, f"{name}_many", None)
        if many is not None:
            return many(keys)
        one: Callable[[str], Any] = getattr(self.store, name)
        if self.is_async:
            return _each_async(one, keys)
        for key in keys:
            one(key)
        return None


def _claim_each(store: Any, keys: Sequence[str]) -> list[ClaimStatus]:
    statuses: list[ClaimStatus] = []
    try:
        for key in keys:
            statuses.append(_refused(store, key) if not store.claim(key) else CLAIMED)
    except BaseException:
        # Claim all or nothing, as a batch store does: give back what was taken.
        for key, status in zip(keys, statuses, strict=False):
            if status == CLAIMED:
                store.release(key)
        raise
    return statuses


def _refused(store: Any, key: str) -> ClaimStatus:
    completed = getattr(store, "completed", None)
    return COMPLETED if completed is not None and completed(key) else HELD


async def _claim_each_async(store: Any, keys: Sequence[str]) -> list[ClaimStatus]:
    statuses: list[ClaimStatus] = []
    try:
        for key in keys:
            if await _result(store.claim(key)):
                statuses.append(CLAIMED)
                continue
            completed = getattr(store, "completed", None)
            done = completed is not None and await _result(completed(key))
            statuses.append(COMPLETED if done else HELD)
    except BaseException:
        for key, status in zip(keys, statuses, strict=False):
            if status == CLAIMED:
                await _result(store.release(key))
        raise
    return statuses


async def _each_async(one: Callable[[str], Any], keys: Sequence[str]) -> None:
    for key in keys:
        await _result(one(key))


async def _result(value: Any) -> Any:
    return await value if isinstance(value, Awaitable) else value
