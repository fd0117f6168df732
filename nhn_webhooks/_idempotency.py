"""Processing each hook once: keys for replays and repeats, and stores that remember them.

NHN's signature is the same string on every POST, with no timestamp, so a captured
request can be sent again and still pass the check; and NHN may deliver the same hook
twice. Two ids tell them apart:

- ``hooksId`` names one POST: a replay of the whole request carries the same one;
- ``hookId`` names one event: a repeat delivery carries it again, even inside a
  different POST.

:func:`idempotency_key` turns either into a short, fixed-length key, and a store
answers whether a key is new. :class:`MemoryIdempotencyStore` serves one process; any
object with ``first_time`` and ``forget`` (a Redis ``SET NX EX`` wrapper, see the
docs) serves several.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

import msgspec

from ._dispatch import Webhook, fold_name

__all__ = ["IdempotencyStore", "MemoryIdempotencyStore", "idempotency_key"]

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
    """What a handler needs from a store of keys it has processed.

    ``first_time(key)`` atomically records ``key`` and returns True if it was not
    already recorded (within the store's expiry), False if it was. ``forget(key)``
    removes it again, so that a hook whose processing failed is processed when NHN
    sends it again.
    """

    def first_time(self, key: str) -> bool:
        """Record ``key``; True if it was new, False if already recorded."""
        ...

    def forget(self, key: str) -> None:
        """Remove ``key``, if recorded."""
        ...


class MemoryIdempotencyStore:
    """A bounded, thread-safe :class:`IdempotencyStore` in this process's memory.

    Keeps each key for ``ttl_seconds`` after it was first recorded, and at most
    ``max_entries`` keys: when full, the oldest key is dropped first (it is also the
    first to expire). Every operation is O(1) amortised. For several processes or
    hosts, use a shared store (see the docs' Redis recipe).

    >>> seen = nw.MemoryIdempotencyStore(
    ...     max_entries=100_000, ttl_seconds=86_400
    ... )
    >>> key = "nhn-webhooks:hook:..."
    >>> seen.first_time(key), seen.first_time(key)
    (True, False)

    ``clock`` (seconds, never going back; default ``time.monotonic``) is for tests.
    """

    def __init__(
        self,
        max_entries: int = 100_000,
        ttl_seconds: float = 86_400.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be a positive int, got {max_entries!r}")
        if not ttl_seconds > 0:
            raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds!r}")
        self._max_entries = max_entries
        self._ttl = float(ttl_seconds)
        self._clock = clock
        import threading  # deferred, like hashlib above: import time is budgeted

        self._lock = threading.Lock()
        # key -> expiry time, oldest first: with one ttl, also soonest to expire first.
        self._expiries: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        """Record ``key``; True if it was new (or had expired), False otherwise."""
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            if key in self._expiries:
                return False
            if len(self._expiries) >= self._max_entries:
                self._expiries.popitem(last=False)
            self._expiries[key] = now + self._ttl
            return True

    def forget(self, key: str) -> None:
        """Remove ``key``, so the next ``first_time(key)`` is True again."""
        with self._lock:
            self._expiries.pop(key, None)

    def __len__(self) -> int:
        """Number of keys recorded and not yet expired."""
        with self._lock:
            self._drop_expired(self._clock())
            return len(self._expiries)

    def _drop_expired(self, now: float) -> None:
        expiries = self._expiries
        while expiries:
            oldest = next(iter(expiries.values()))
            if oldest > now:
                return
            expiries.popitem(last=False)

    def __repr__(self) -> str:
        return f"MemoryIdempotencyStore(max_entries={self._max_entries}, ttl_seconds={self._ttl:g})"
