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

import enum
import os
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from typing import Protocol, runtime_checkable

import msgspec

from ._dispatch import fold_name
from ._email import EmailMessageResultHook, EmailUnsubscribeHook
from ._errors import StoreError
from ._kakao import KakaoMessageResultHook, KakaoTemplateStatusHook
from ._sms import (
    SmsConversionBlockHook,
    SmsDeliveryReceiptHook,
    SmsMessageResultHook,
    SmsUnsubscribeHook,
)
from ._webhooks import Webhook

__all__ = [
    "AsyncBatchIdempotencyStore",
    "AsyncIdempotencyStore",
    "BatchIdempotencyStore",
    "ClaimStatus",
    "IdempotencyStore",
    "MemoryIdempotencyStore",
    "idempotency_key",
]

KEY_PREFIX = "nhn-webhooks:"


def idempotency_key(webhook: Webhook, hook: object | None = None) -> str:
    """A key that is the same each time NHN sends the same POST, or the same hook.

    ``idempotency_key(webhook)`` keys the POST on its ``hooksId`` (a replayed request).
    ``idempotency_key(webhook, hook)`` keys one hook (a repeated delivery, whatever
    POST carries it) on its ``hookId`` and on what the hook is about, so that two hooks
    naming different messages never share a key even if NHN gave them one ``hookId``
    (its own examples give a POST's hooks the POST's id):

    - a message result or delivery receipt (SMS, KakaoTalk): ``requestId`` and
      ``recipientSeq``; an Email result: ``requestId`` and ``mailSeq``;
    - an unsubscribe: ``recipientNo`` and ``unsubscribeNo`` (SMS),
      ``receiveMailAddr`` (Email);
    - a blocked country: ``countryCode``; a template update: ``senderKey`` and
      ``templateCode``;
    - a hook of an :class:`UnknownWebhook` (a dict): its ``hookId`` alone.

    Either key is scoped to the product and app key, so ids from different services
    never collide, and hashed, so the key is short, safe in any store, and stable
    across processes and versions::

        nhn-webhooks:hook:3f0c9a...  (32 hex digits)

    ``hook`` is one of ``webhook.hooks`` (a model, or a dict for
    :class:`UnknownWebhook`). Raises ``ValueError`` when the id is missing or not a
    string, which only an :class:`UnknownWebhook` can lack.
    """
    ident: object
    if hook is None:
        kind, ident, about = "post", webhook.hooks_id, []
    else:
        kind, ident, about = "hook", _hook_id(hook), _about(hook)
    if not isinstance(ident, str):
        wire = "hooksId" if hook is None else "hookId"
        raise ValueError(f"cannot key this {kind}: {wire} is missing or not a string")
    import hashlib  # deferred: it costs milliseconds at import, long before a webhook

    # ``Sms`` is ``SMS``, as in decode(); a test pins a key, so a change to the folding
    # rule that would change stored keys cannot go unnoticed.
    product = fold_name(webhook.product_name or "")
    scope = msgspec.json.encode([product, webhook.app_key or "", ident, *about])
    digest = hashlib.blake2b(scope, digest_size=16, person=kind.encode()).hexdigest()
    return f"{KEY_PREFIX}{kind}:{digest}"


def _hook_id(hook: object) -> object:
    if isinstance(hook, Mapping):
        return hook.get("hookId")
    return getattr(hook, "hook_id", None)


# What each hook class is about, for its key: a tag naming the kind of hook (so two
# kinds with equal fields differ), then the fields that name the message, recipient,
# country or template. Tags and field order are part of every stored key: never
# change them, only add classes.
_ABOUT: dict[type, tuple[str, tuple[str, ...]]] = {
    SmsMessageResultHook: ("message-result", ("request_id", "recipient_seq")),
    SmsDeliveryReceiptHook: ("delivery-receipt", ("request_id", "recipient_seq")),
    KakaoMessageResultHook: ("message-result", ("request_id", "recipient_seq")),
    EmailMessageResultHook: ("message-result", ("request_id", "mail_seq")),
    SmsUnsubscribeHook: ("unsubscribe", ("recipient_no", "unsubscribe_no")),
    EmailUnsubscribeHook: ("unsubscribe", ("receive_mail_addr",)),
    SmsConversionBlockHook: ("conversion-block", ("country_code",)),
    KakaoTemplateStatusHook: ("template-status", ("sender_key", "template_code")),
}


def _about(hook: object) -> list[object]:
    about = _ABOUT.get(type(hook))
    if about is None:  # a dict of an UnknownWebhook: nothing known but its hookId
        return []
    tag, fields = about
    return [tag, *(getattr(hook, name) for name in fields)]


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
      request or worker, cannot free the new claim;
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


# The tokens of the claims this context holds: (pid, {(store id, key): token}). The
# mapping is never changed in place, only replaced, so a task started after a claim
# sees it (its context is a copy) and a task started before never does. The pid
# leaves a forked child holding nothing of its parent's.
_held: ContextVar[tuple[int, Mapping[tuple[str, str], str]]] = ContextVar("nhn_webhooks_claims")

MAX_HELD = 65_536
"""Claims one context remembers; past that the oldest are forgotten (they then last
their lease). Completing or releasing a key forgets it, so only claims left open
without either accumulate."""


def new_token() -> str:
    """A random id for one claim (or one batch of claims), never reused."""
    return os.urandom(8).hex()


class Holder:
    """The claims the current context holds in one store: key -> token."""

    def __init__(self) -> None:
        self.store_id = new_token()

    def _mine(self) -> Mapping[tuple[str, str], str]:
        held = _held.get(None)
        return held[1] if held is not None and held[0] == os.getpid() else {}

    def hold(self, keys: Sequence[str], statuses: Sequence[ClaimStatus], token: str) -> None:
        """Remember ``token`` as this context's claim on each key it ``CLAIMED``."""
        updated = dict(self._mine())
        for key, status in zip(keys, statuses, strict=True):
            if status is not ClaimStatus.CLAIMED:
                continue
            updated.pop((self.store_id, key), None)  # a new claim is the newest
            updated[(self.store_id, key)] = token
        for stale in list(updated)[: max(0, len(updated) - MAX_HELD)]:
            del updated[stale]
        _held.set((os.getpid(), updated))

    def tokens(self, keys: Iterable[str]) -> dict[str, str]:
        """``{key: token}`` for each of ``keys`` this context holds a claim on."""
        mine = self._mine()
        found = {}
        for key in keys:
            token = mine.get((self.store_id, key))
            if token is not None:
                found[key] = token
        return found

    def forget(self, keys: Iterable[str]) -> None:
        """Drop this context's tokens for ``keys`` (completed or released)."""
        mine = self._mine()
        gone = {(self.store_id, key) for key in keys} & mine.keys()
        if gone:
            _held.set((os.getpid(), {k: v for k, v in mine.items() if k not in gone}))


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
        import threading  # deferred, like hashlib above: import time is budgeted

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
