"""Which claims belong to the caller: a random token per claim, kept in a context variable.

Every store of the library keeps a token with each claim, and the caller keeps the same
token, per store object, in a :class:`~contextvars.ContextVar`; a release frees a claim
only when the two match (see :class:`~nhn_webhooks.IdempotencyStore`).

A context may be shared by several callers (a pool thread serving many requests
through ``loop.run_in_executor``), and a release cannot say which of them calls it.
So the context counts, per key, the claims it won and has not yet completed or
released: while more than one is open, a release frees nothing (the newer claim then
lasts its lease); only the release that closes the last one frees the newest claim,
since every caller that claimed the key here is then done with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from contextvars import ContextVar

from ._protocols import ClaimStatus

__all__ = ["MAX_HELD", "Holder", "new_token"]

MAX_HELD = 65_536
"""Claims one context remembers per store; past that older ones are forgotten (they
then last their lease). Completing or releasing a key forgets it, so only claims left
open without either accumulate."""

_BUCKETS = 256
# Per key: (token of the newest claim won here, claims won here and still open, when
# that claim was won: a number that only grows within the context).
_Entry = tuple[str, int, int]
# What one context holds for one store: (pid, number of keys, next number, buckets of
# key -> entry, each bucket oldest claim first). Neither the tuple nor a bucket is ever
# changed in place, only replaced, so a task started after a claim sees it (its context
# is a copy) and a task started before never does; a change copies only the buckets of
# its keys, so it costs O(1) per key however many claims are open. The pid leaves a
# forked child holding nothing of its parent's.
_Held = tuple[int, int, int, tuple[dict[str, _Entry], ...]]
_EMPTY: dict[str, _Entry] = {}


def new_token() -> str:
    """A random id for one claim (or one batch of claims), never reused."""
    return os.urandom(8).hex()


class Holder:
    """The claims the current context holds in one store: key -> token."""

    def __init__(self) -> None:
        self.store_id = new_token()
        self._held: ContextVar[_Held] = ContextVar(f"nhn_webhooks_claims_{self.store_id}")

    def _mine(self) -> _Held:
        held = self._held.get(None)
        if held is not None and held[0] == os.getpid():
            return held
        return (os.getpid(), 0, 0, (_EMPTY,) * _BUCKETS)

    def hold(self, keys: Sequence[str], statuses: Sequence[ClaimStatus], token: str) -> None:
        """Remember ``token`` as this context's newest claim on each key it ``CLAIMED``."""
        won = [
            key for key, status in zip(keys, statuses, strict=True) if status is ClaimStatus.CLAIMED
        ]
        if won:
            self._change(won, token)

    def tokens(self, keys: Iterable[str]) -> dict[str, str]:
        """``{key: token}`` for each of ``keys`` whose release would close the last
        claim this context holds on it (see the module's docstring)."""
        buckets = self._mine()[3]
        found = {}
        for key in keys:
            entry = buckets[hash(key) % _BUCKETS].get(key)
            if entry is not None and entry[1] == 1:
                found[key] = entry[0]
        return found

    def forget(self, keys: Iterable[str]) -> None:
        """Close one of this context's open claims on each of ``keys`` (completed or released)."""
        self._change(keys, None)

    def _change(self, keys: Iterable[str], token: str | None) -> None:
        """Open a claim with ``token`` on each key, or close one (``token`` None)."""
        pid, size, number, buckets = self._mine()
        changed: dict[int, dict[str, _Entry]] = {}
        for key in dict.fromkeys(keys):  # a key named twice changes once
            index = hash(key) % _BUCKETS
            old = changed.get(index, buckets[index]).get(key)
            if old is None and token is None:
                continue  # nothing to close: copy nothing
            bucket = changed.setdefault(index, buckets[index])
            if bucket is buckets[index]:
                bucket = changed[index] = dict(bucket)  # copy one bucket, once per change
            if token is not None:  # a new claim is the newest: last in its bucket
                bucket.pop(key, None)
                bucket[key] = (token, 1 if old is None else old[1] + 1, number)
                number += 1
                size += old is None
            elif old is not None and old[1] > 1:
                bucket[key] = (old[0], old[1] - 1, old[2])  # keeps its place
            else:
                del bucket[key]
                size -= 1
        while size > MAX_HELD:
            self._drop_oldest(buckets, changed)
            size -= 1
        if changed:
            updated = list(buckets)
            for index, bucket in changed.items():
                updated[index] = bucket
            self._held.set((pid, size, number, tuple(updated)))

    @staticmethod
    def _drop_oldest(
        buckets: tuple[dict[str, _Entry], ...], changed: dict[int, dict[str, _Entry]]
    ) -> None:
        """Forget the claim won first, looking only at the head of each bucket."""
        heads = (
            (next(iter(bucket.items()))[1][2], index)
            for index, bucket in ((i, changed.get(i, b)) for i, b in enumerate(buckets))
            if bucket
        )
        index = min(heads)[1]
        if index not in changed:
            changed[index] = dict(buckets[index])
        del changed[index][next(iter(changed[index]))]
