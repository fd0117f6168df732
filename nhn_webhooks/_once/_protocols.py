"""What a store of hook keys does: claim, then complete or release.

:func:`~nhn_webhooks.idempotency_key` turns a POST or a hook into a key, and a store
lets one worker at a time process it: ``claim`` before the work, ``complete`` after it,
``release`` if it failed. "In progress" and "done" are kept apart so that a worker
dying between claim and completion loses nothing: its claim expires after a lease and
the next delivery is processed. :class:`~nhn_webhooks.MemoryIdempotencyStore` serves
one process; :mod:`nhn_webhooks.redis` holds stores shared by several. Both check
their lifetimes with :func:`check_lifetimes`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

__all__ = [
    "MAX_LIFETIME_SECONDS",
    "AsyncBatchIdempotencyStore",
    "AsyncIdempotencyStore",
    "BatchIdempotencyStore",
    "ClaimStatus",
    "IdempotencyStore",
    "check_lifetimes",
]


class ClaimStatus(str, enum.Enum):
    """What a batch claim found for one key.

    - ``CLAIMED``: the caller took the key and may process it now; it then completes
      or releases it.
    - ``COMPLETED``: the key was completed within the store's TTL, a replay or a
      repeat: acknowledge it and do nothing.
    - ``HELD``: another caller holds an unexpired claim on it (a caller that may have
      died: the key is free again after the lease). A key named twice in one batch
      is ``HELD`` the second time.
    """

    CLAIMED = "claimed"
    COMPLETED = "completed"
    HELD = "held"


@runtime_checkable
class IdempotencyStore(Protocol):
    """What a handler needs from a store of hook keys: claim, then complete or release.

    ``claim(key)`` atomically takes ``key`` for the caller and returns True when the
    caller may process it now; False when it was completed within the store's TTL (a
    replay or a repeat) or another caller holds an unexpired claim on it. After a
    True, call exactly one of ``complete(key)``, once the work is done (the key is then
    a duplicate for the TTL), or ``release(key)``, when it failed (the next delivery
    may claim it). A claim whose worker died without either expires after the store's
    lease, so the hook is processed again rather than lost. The library's stores also
    have ``completed(key)``, to tell after a refused claim whether the hook is done or
    held by another caller (which may have died: look again after the lease).

    In the library's stores a claim belongs to the caller that made it: the store
    keeps a random token with the claim, and the caller keeps the same token in a
    context variable (:mod:`contextvars`), per store object. ``release(key)`` frees
    the claim only when the two match. So:

    - the code that claimed frees it, and so does an asyncio task started from it
      after the claim: ``asyncio.shield(store.release(key))``,
      ``asyncio.gather(...)`` and ``asyncio.wait_for(...)`` run the release in a new
      task, which starts with a copy of its creator's context;
    - a caller whose claim outlived its lease, and was claimed since by another
      request or worker, cannot free the new claim, even when both share one
      context (a pool thread of ``loop.run_in_executor`` serving many requests):
      while a context holds more than one open claim on a key, a release from it
      frees nothing, and the release that closes the last one frees the claim;
    - a caller that did not claim (a sibling task started before the claim, another
      thread or request, another process, a forked child) frees nothing: the claim
      then lasts until its lease ends.

    A claim made in a task of its own (``asyncio.gather(store.claim(key))``, or
    ``asyncio.wait_for(store.claim(key), ...)`` before Python 3.12) belongs to that task:
    claim in the code that releases. ``complete(key)`` marks the key done whoever
    holds the claim.
    """

    def claim(self, key: str) -> bool:
        """Take ``key`` for processing; True if the caller may process it now."""
        ...

    def complete(self, key: str) -> None:
        """Mark ``key`` processed: every claim within the TTL is then False."""
        ...

    def release(self, key: str) -> None:
        """Give back the caller's claim on ``key``; a completed key stays completed."""
        ...


@runtime_checkable
class AsyncIdempotencyStore(Protocol):
    """:class:`IdempotencyStore` for asyncio code: the same three calls, as coroutines."""

    async def claim(self, key: str) -> bool:
        """Take ``key`` for processing; True if the caller may process it now."""
        ...

    async def complete(self, key: str) -> None:
        """Mark ``key`` processed: every claim within the TTL is then False."""
        ...

    async def release(self, key: str) -> None:
        """Give back the caller's claim on ``key``; a completed key stays completed."""
        ...


@runtime_checkable
class BatchIdempotencyStore(Protocol):
    """A store that claims, completes or releases the hooks of one POST at once.

    Each call is one atomic step on the store (one round trip to Redis, whatever the
    number of keys), with the rules of :class:`IdempotencyStore` for every key:
    ``claim_many(keys)`` returns one :class:`ClaimStatus` per key, in order, and the
    caller then completes or releases each ``CLAIMED`` key, one by one or in a batch.
    A key named twice in one ``claim_many`` is ``CLAIMED`` once, then ``HELD``.
    The library's stores all have these calls beside the single-key ones.
    """

    def claim_many(self, keys: Sequence[str]) -> list[ClaimStatus]:
        """Take every free key; one status per key, in the order given."""
        ...

    def complete_many(self, keys: Sequence[str]) -> None:
        """Mark every key processed, as ``complete`` does each."""
        ...

    def release_many(self, keys: Sequence[str]) -> None:
        """Give back the caller's claims on the keys, as ``release`` does each."""
        ...


@runtime_checkable
class AsyncBatchIdempotencyStore(Protocol):
    """:class:`BatchIdempotencyStore` for asyncio code: the same three calls, as coroutines."""

    async def claim_many(self, keys: Sequence[str]) -> list[ClaimStatus]:
        """Take every free key; one status per key, in the order given."""
        ...

    async def complete_many(self, keys: Sequence[str]) -> None:
        """Mark every key processed, as ``complete`` does each."""
        ...

    async def release_many(self, keys: Sequence[str]) -> None:
        """Give back the caller's claims on the keys, as ``release`` does each."""
        ...


MAX_LIFETIME_SECONDS = 10**15
"""The longest ``ttl_seconds`` or ``lease_seconds``: Redis adds a lifetime in
milliseconds to its clock as a signed 64-bit number (at most about 9.2e18 ms), so
1e18 ms leaves it room for any clock."""


def check_lifetimes(ttl_seconds: float, lease_seconds: float) -> tuple[float, float]:
    """``(ttl_seconds, lease_seconds)`` as floats, or ValueError naming the bad one.

    Each must be a number of seconds from 0.001 (one millisecond once rounded, the
    smallest lifetime Redis keeps) to :data:`MAX_LIFETIME_SECONDS`.
    """
    for name, value in (("ttl_seconds", ttl_seconds), ("lease_seconds", lease_seconds)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{name} must be a number of seconds, got {type(value).__name__}")
        if not 0 < value <= MAX_LIFETIME_SECONDS:  # False for NaN too
            try:
                shown = f"{value:.6g}"
            except (OverflowError, ValueError):  # an int too large for a float
                shown = "a larger int"
            raise ValueError(
                f"{name} must be a number of seconds from 0.001 to {MAX_LIFETIME_SECONDS:.0e}, "
                f"got {shown}"
            )
        if round(value * 1000) < 1:
            raise ValueError(f"{name} must be at least one millisecond, got {value!r}")
    return float(ttl_seconds), float(lease_seconds)
