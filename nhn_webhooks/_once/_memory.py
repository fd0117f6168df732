"""The store for one process: :class:`MemoryIdempotencyStore`."""

from __future__ import annotations

import os
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence

from .._errors import StoreError
from ._protocols import ClaimStatus, check_lifetimes
from ._tokens import Holder, new_token

__all__ = ["MemoryIdempotencyStore"]

# Every memory store, so that a forked child can give each a new lock: a thread of
# the parent may have held one at the fork, and no thread of the child would free it.
_stores: weakref.WeakSet[MemoryIdempotencyStore] = weakref.WeakSet()


def _new_locks_after_fork() -> None:
    for store in list(_stores):
        store._reset_lock()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_new_locks_after_fork)


class MemoryIdempotencyStore:
    """A bounded, thread-safe :class:`IdempotencyStore` in this process's memory.

    A claim lasts ``lease_seconds`` unless completed or released; a completed key is
    a duplicate for ``ttl_seconds`` after its completion. At most ``max_entries`` keys
    (claimed and completed together) are kept. Expired keys are dropped first; a live
    claim or a completed key within its TTL is never dropped, since forgetting either
    would let a second caller process the hook: when the store is full of them, a
    claim or completion that needs a new entry raises :class:`~nhn_webhooks.StoreError`
    (answer NHN with an error: it delivers again later). Every operation is O(1)
    amortised per key. A forked child gets the parent's keys and a lock of its own.
    For several processes or hosts, use a shared store such as
    :class:`nhn_webhooks.redis.RedisIdempotencyStore`.

    >>> seen = nw.MemoryIdempotencyStore(ttl_seconds=86_400, lease_seconds=300)
    >>> seen.claim("nhn-webhooks:hook:..."), seen.claim("nhn-webhooks:hook:...")
    (True, False)
    >>> seen.complete("nhn-webhooks:hook:...")

    Also a :class:`BatchIdempotencyStore`. ``clock`` (seconds, never going back;
    default ``time.monotonic``) is for tests.
    """

    def __init__(
        self,
        max_entries: int = 100_000,
        ttl_seconds: float = 86_400.0,
        lease_seconds: float = 300.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be a positive int, got {max_entries!r}")
        self._ttl, self._lease = check_lifetimes(ttl_seconds, lease_seconds)
        self._max_entries = max_entries
        self._clock = clock
        self._holder = Holder()
        self._reset_lock()
        # key -> expiry time (and, for a claim, its token), oldest first. One
        # lifetime per mapping, so each is also ordered by expiry and dropping the
        # expired ones looks only at the front.
        self._claims: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._completed: OrderedDict[str, float] = OrderedDict()
        _stores.add(self)

    def _reset_lock(self) -> None:
        import threading  # deferred: import time is budgeted, and this runs per store

        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """True if ``key`` is neither completed nor claimed (or those have expired)."""
        return self.claim_many((key,))[0] is ClaimStatus.CLAIMED

    def complete(self, key: str) -> None:
        """Mark ``key`` processed for ``ttl_seconds`` from now, claimed or not."""
        self.complete_many((key,))

    def release(self, key: str) -> None:
        """Drop the caller's claim on ``key``, so that the next ``claim(key)`` is True.

        Only the caller's own claim is dropped (see :class:`IdempotencyStore`): once a
        claim has outlived its lease and another caller has claimed the key, a late
        release by the first leaves the second's claim alone.
        """
        self.release_many((key,))

    def claim_many(self, keys: Sequence[str]) -> list[ClaimStatus]:
        """Claim each free key, all at once; one :class:`ClaimStatus` per key, in order.

        Raises :class:`~nhn_webhooks.StoreError`, claiming nothing, when the free keys
        do not fit in the store.
        """
        token = new_token()
        statuses: list[ClaimStatus] = []
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            self._make_room(keys)
            for key in keys:
                if key in self._completed:
                    statuses.append(ClaimStatus.COMPLETED)
                elif key in self._claims:
                    statuses.append(ClaimStatus.HELD)
                else:
                    self._claims[key] = (now + self._lease, token)
                    statuses.append(ClaimStatus.CLAIMED)
        self._holder.hold(keys, statuses, token)
        return statuses

    def complete_many(self, keys: Sequence[str]) -> None:
        """Mark every key processed for ``ttl_seconds`` from now, claimed or not.

        Raises :class:`~nhn_webhooks.StoreError`, completing nothing, when the keys
        that were not claimed do not fit in the store.
        """
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            self._make_room(keys)
            for key in keys:
                self._claims.pop(key, None)
                self._completed.pop(key, None)
                self._completed[key] = now + self._ttl
        self._holder.forget(keys)

    def release_many(self, keys: Sequence[str]) -> None:
        """Drop the caller's claims on the keys, as :meth:`release` does each."""
        tokens = self._holder.tokens(keys)
        with self._lock:
            for key, token in tokens.items():
                claim = self._claims.get(key)
                if claim is not None and claim[1] == token:
                    del self._claims[key]
        self._holder.forget(keys)

    def completed(self, key: str) -> bool:
        """True if ``key`` was completed within the TTL: a refused claim was a duplicate.

        False after a refused claim means another caller holds the key, alive or dead:
        look again after the lease. Not part of the store protocol.
        """
        with self._lock:
            self._drop_expired(self._clock())
            return key in self._completed

    def __len__(self) -> int:
        """Number of keys claimed or completed and not yet expired."""
        with self._lock:
            self._drop_expired(self._clock())
            return len(self._claims) + len(self._completed)

    def _make_room(self, keys: Sequence[str]) -> None:
        claims, completed = self._claims, self._completed
        new = {key for key in keys if key not in claims and key not in completed}
        if len(claims) + len(completed) + len(new) > self._max_entries:
            raise StoreError(
                f"the memory store is full: {len(claims)} claims and {len(completed)} "
                f"completed keys are live, at most {self._max_entries} in all, and none "
                f"may be dropped before it expires; {len(new)} more did not fit "
                "(raise max_entries)"
            )

    def _drop_expired(self, now: float) -> None:
        claims, completed = self._claims, self._completed
        while claims and next(iter(claims.values()))[0] <= now:
            claims.popitem(last=False)
        while completed and next(iter(completed.values())) <= now:
            completed.popitem(last=False)

    def __repr__(self) -> str:
        return (
            f"MemoryIdempotencyStore(max_entries={self._max_entries}, "
            f"ttl_seconds={self._ttl:g}, lease_seconds={self._lease:g})"
        )
