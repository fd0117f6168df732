"""Processing each hook once: keys for replays and repeats, and stores that remember them.

NHN's signature is the same string on every POST, with no timestamp, so a captured
request can be sent again and still pass the check; and NHN may deliver the same hook
twice. Two ids tell them apart:

- ``hooksId`` names one POST: a replay of the whole request carries the same one;
- ``hookId`` names one event: a repeat delivery carries it again, even inside a
  different POST.

:func:`idempotency_key` turns either into a short, fixed-length key, and a store
lets one worker at a time process it: ``claim`` before the work, ``complete`` after it,
``release`` if it failed. "In progress" and "done" are kept apart so that a worker
dying between claim and completion loses nothing: its claim expires after a lease and
the next delivery is processed. :class:`MemoryIdempotencyStore` serves one process;
:mod:`nhn_webhooks.redis` holds stores shared by several.
"""

from __future__ import annotations

import os
import sys
import time
from _thread import get_ident  # built in, unlike threading: costs nothing at import
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from math import inf
from typing import Protocol, runtime_checkable

import msgspec

from ._dispatch import fold_name
from ._webhooks import Webhook

__all__ = [
    "AsyncIdempotencyStore",
    "IdempotencyStore",
    "MemoryIdempotencyStore",
    "idempotency_key",
]

KEY_PREFIX = "nhn-webhooks:"


def idempotency_key(webhook: Webhook, hook: object | None = None) -> str:
    """A key that is the same each time NHN sends the same POST, or the same hook.

    ``idempotency_key(webhook)`` keys the POST on its ``hooksId`` (a replayed request);
    ``idempotency_key(webhook, hook)`` keys one hook on its ``hookId`` (a repeated
    delivery, whatever POST carries it). Either is scoped to the product and app key,
    so ids from different services never collide, and hashed, so the key is short,
    safe in any store, and stable across processes and versions::

        nhn-webhooks:hook:3f0c9a...  (32 hex digits)

    ``hook`` is one of ``webhook.hooks`` (a model, or a dict for
    :class:`UnknownWebhook`). Raises ``ValueError`` when the id is missing or not a
    string, which only an :class:`UnknownWebhook` can lack.
    """
    ident: object
    if hook is None:
        kind, ident = "post", webhook.hooks_id
    else:
        kind, ident = "hook", _hook_id(hook)
    if not isinstance(ident, str):
        wire = "hooksId" if hook is None else "hookId"
        raise ValueError(f"cannot key this {kind}: {wire} is missing or not a string")
    import hashlib  # deferred: it costs milliseconds at import, long before a webhook

    # ``Sms`` is ``SMS``, as in decode(); a test pins a key, so a change to the folding
    # rule that would change stored keys cannot go unnoticed.
    product = fold_name(webhook.product_name or "")
    scope = msgspec.json.encode([product, webhook.app_key or "", ident])
    digest = hashlib.blake2b(scope, digest_size=16, person=kind.encode()).hexdigest()
    return f"{KEY_PREFIX}{kind}:{digest}"


def _hook_id(hook: object) -> object:
    if isinstance(hook, Mapping):
        return hook.get("hookId")
    return getattr(hook, "hook_id", None)


@runtime_checkable
class IdempotencyStore(Protocol):
    """What a handler needs from a store of hook keys: claim, then complete or release.

    ``claim(key)`` atomically takes ``key`` for the caller and returns True when the
    caller may process it now; False when it was completed within the store's TTL (a
    replay or a repeat) or another worker holds an unexpired claim on it. After a
    True, call exactly one of ``complete(key)``, once the work is done (the key is then
    a duplicate for the TTL), or ``release(key)``, when it failed (the next delivery
    may claim it). A claim whose worker died without either expires after the store's
    lease, so the hook is processed again rather than lost. The library's stores also
    have ``completed(key)``, to tell after a refused claim whether the hook is done or
    held by another worker (which may have died: look again after the lease).

    The library's stores free on ``release(key)`` only a claim the same caller made:
    the same process, thread and asyncio task. A caller whose claim outlived its
    lease, and was claimed since by another request or worker, cannot free the new
    claim; a release from another thread or task frees nothing (the claim then
    lasts until its lease ends).
    """

    def claim(self, key: str) -> bool:
        """Take ``key`` for processing; True if the caller may process it now."""
        ...

    def complete(self, key: str) -> None:
        """Mark ``key`` processed: every claim within the TTL is then False."""
        ...

    def release(self, key: str) -> None:
        """Give back a claim whose processing failed; a completed key stays completed."""
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
        """Give back a claim whose processing failed; a completed key stays completed."""
        ...


# A caller's id, per context: each asyncio task runs in a context of its own, each
# thread too. A context copied from another (a task from its parent, a thread on a
# build that copies the starting thread's context) starts with the same value, so the
# value also says where it was made, and a caller anywhere else makes a new one.
_claimant: ContextVar[tuple[tuple[int, int, int], str]] = ContextVar("nhn_webhooks_claimant")


def claimant() -> str:
    """An id of the calling process, thread and asyncio task, random and never reused."""
    where = (os.getpid(), get_ident(), _task_id())
    mine = _claimant.get(None)
    if mine is None or mine[0] != where:
        mine = (where, os.urandom(8).hex())
        _claimant.set(mine)
    return mine[1]


def _task_id() -> int:
    asyncio = sys.modules.get("asyncio")  # no asyncio imported: no task is running
    if asyncio is None:
        return 0
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop runs in this thread
        return 0
    # While a task runs, no other live task has its id; a finished one cannot release.
    return id(task) if task is not None else 0


def check_lifetimes(ttl_seconds: float, lease_seconds: float) -> tuple[float, float]:
    """``(ttl_seconds, lease_seconds)`` as floats, or ValueError naming the bad one."""
    for name, value in (("ttl_seconds", ttl_seconds), ("lease_seconds", lease_seconds)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < inf:
            raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(ttl_seconds), float(lease_seconds)


class MemoryIdempotencyStore:
    """A bounded, thread-safe :class:`IdempotencyStore` in this process's memory.

    A claim lasts ``lease_seconds`` unless completed or released; a completed key is
    a duplicate for ``ttl_seconds`` after its completion. At most ``max_entries`` keys
    (claimed and completed together) are kept: when full, the oldest completed key is
    dropped first, then the oldest claim. Every operation is O(1) amortised. For
    several processes or hosts, use a shared store such as
    :class:`nhn_webhooks.redis.RedisIdempotencyStore`.

    >>> seen = nw.MemoryIdempotencyStore(ttl_seconds=86_400, lease_seconds=300)
    >>> seen.claim("nhn-webhooks:hook:..."), seen.claim("nhn-webhooks:hook:...")
    (True, False)
    >>> seen.complete("nhn-webhooks:hook:...")

    ``clock`` (seconds, never going back; default ``time.monotonic``) is for tests.
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
        import threading  # deferred, like hashlib above: import time is budgeted

        self._lock = threading.Lock()
        # key -> expiry time (and, for a claim, who made it), oldest first. One
        # lifetime per mapping, so each is also ordered by expiry and dropping the
        # expired ones looks only at the front.
        self._claims: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._completed: OrderedDict[str, float] = OrderedDict()

    def claim(self, key: str) -> bool:
        """True if ``key`` is neither completed nor claimed (or those have expired)."""
        owner = claimant()
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            if key in self._completed or key in self._claims:
                return False
            self._make_room()
            self._claims[key] = (now + self._lease, owner)
            return True

    def complete(self, key: str) -> None:
        """Mark ``key`` processed for ``ttl_seconds`` from now, claimed or not."""
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            self._claims.pop(key, None)
            self._completed.pop(key, None)
            self._make_room()
            self._completed[key] = now + self._ttl

    def release(self, key: str) -> None:
        """Drop the caller's claim on ``key``, so that the next ``claim(key)`` is True.

        Only a claim made by the same thread and asyncio task is dropped: once a claim
        has outlived its lease and another caller has claimed the key, a late release
        by the first leaves the second's claim alone.
        """
        owner = claimant()
        with self._lock:
            claim = self._claims.get(key)
            if claim is not None and claim[1] == owner:
                del self._claims[key]

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

    def _make_room(self) -> None:
        if len(self._claims) + len(self._completed) >= self._max_entries:
            (self._completed or self._claims).popitem(last=False)

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
