"""Idempotency stores shared by every process and host that can reach one Redis.

Needs redis-py: ``pip install "nhn-webhooks[redis]"``. ``import nhn_webhooks`` does
not import this module (nor redis); import it by name::

    from nhn_webhooks.redis import RedisIdempotencyStore

    store = RedisIdempotencyStore.from_url(REDIS_URL, timeout=2.0, lease_seconds=300)

One Redis string per key, under ``prefix + key``. Each operation is one atomic step
on the server, with no read-then-write in the client:

- ``claim``: ``SET key claimed:<token> NX PX lease``, which takes the key only if it
  is absent (neither claimed nor completed) and lets the claim expire after the
  lease;
- ``complete``: ``SET key completed PX ttl``: the work is done, whoever holds the
  claim now;
- ``release``: a short Lua script that deletes the key only while it still holds the
  claim this caller made, so a late release never frees a key another caller has
  claimed since, nor one that is completed.

``<token>`` is random per claim, and the caller keeps it in a context variable: see
:class:`~nhn_webhooks.IdempotencyStore` for who may release a claim. The batch calls
(``claim_many``, ``complete_many``, ``release_many``) do the same for many keys in one
Lua script: one round trip whatever the number of keys. Any error of redis-py (server
unreachable, timeout, a refused command) becomes :class:`~nhn_webhooks.StoreError`
chaining it: a claim is never reported as won when it was not.

How long a call can take is the client's to bound: redis-py retries a failed command
(three more times, with back-off, by default), each try waiting up to
``socket_timeout``. ``from_url()`` makes the client with ``socket_timeout`` and
``socket_connect_timeout`` set to ``timeout`` and no retries, so a call to a server that
does not answer raises after about ``timeout`` (twice that when it must connect first).
A client made by hand is bounded the same way with
``retry=Retry(NoBackoff(), 0)`` and both timeouts.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

try:
    import redis.asyncio
    import redis.asyncio.cluster
    import redis.asyncio.retry
    import redis.exceptions
    import redis.retry
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.cluster import RedisCluster
except ImportError as exc:  # pragma: no cover - exercised in a child interpreter
    raise ImportError(
        'nhn_webhooks.redis needs redis-py: pip install "nhn-webhooks[redis]"'
    ) from exc

from ._once._protocols import ClaimStatus
from ._once._redis_wire import (
    CLAIM_MANY,
    CLAIMED,
    COMPLETE_MANY,
    COMPLETED,
    REDIS_ERRORS,
    RELEASE_MANY,
    Settings,
    check_timeout,
    is_completed,
    store_error,
)
from ._once._tokens import new_token

__all__ = ["AsyncRedisIdempotencyStore", "RedisIdempotencyStore"]


class RedisIdempotencyStore:
    """An :class:`~nhn_webhooks.IdempotencyStore` in Redis, shared by processes and hosts.

    ``client`` is a ``redis.Redis`` (``redis.Redis.from_url(url)``, with
    ``decode_responses`` either way); bound its calls with ``socket_timeout``,
    ``socket_connect_timeout`` and ``retry=Retry(NoBackoff(), 0)`` (see the module's
    notes), so that a stalled server raises instead of hanging. A
    ``redis.cluster.RedisCluster`` is accepted too: the single-key calls touch one key
    each, so they are cluster-safe in principle, and the batch calls need every key in
    one hash slot: give a prefix with a hash tag, such as ``"{nhn-webhooks}:"``. It is
    tested against one Redis server only, never a cluster. A claim
    lasts ``lease_seconds`` (longer than processing one hook can take, since a claim
    that outlives its lease can be claimed by another worker), a completed key is a
    duplicate for ``ttl_seconds``; each from 0.001 to 1e15 seconds. ``prefix`` is put
    before every key (``"staging:"`` to share one Redis between environments). Also a
    :class:`~nhn_webhooks.BatchIdempotencyStore`. Raises
    :class:`~nhn_webhooks.StoreError` when Redis fails.
    """

    def __init__(
        self,
        client: Redis | RedisCluster,
        *,
        ttl_seconds: float = 86_400.0,
        lease_seconds: float = 300.0,
        prefix: str = "",
    ) -> None:
        self._client = client
        self._settings = Settings(prefix, ttl_seconds, lease_seconds)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout: float = 2.0,
        ttl_seconds: float = 86_400.0,
        lease_seconds: float = 300.0,
        prefix: str = "",
    ) -> RedisIdempotencyStore:
        """A store on a new ``redis.Redis`` client for ``url`` whose every call is bounded.

        The client waits at most ``timeout`` seconds (default 2, up to 3600) to connect
        and for each reply, and never retries: a call to a server that stopped answering
        raises :class:`~nhn_webhooks.StoreError` after about ``timeout`` (twice that when
        it must connect first), where redis-py's default retries would wait several
        times as long. ``url`` is any URL ``redis.Redis.from_url`` takes
        (``redis://``, ``rediss://``, ``unix://``); the other options are the
        constructor's. :meth:`close` closes the client.
        """
        seconds = check_timeout(timeout)
        client = Redis.from_url(  # connects on its first call
            url,
            socket_timeout=seconds,
            socket_connect_timeout=seconds,
            retry=redis.retry.Retry(NoBackoff(), 0),
        )
        return cls(client, ttl_seconds=ttl_seconds, lease_seconds=lease_seconds, prefix=prefix)

    def close(self) -> None:
        """Close the client's connections (a later call opens new ones)."""
        self._client.close()

    def __enter__(self) -> RedisIdempotencyStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def claim(self, key: str) -> bool:
        """Take ``key``; True if it was neither claimed nor completed."""
        settings, token = self._settings, new_token()
        try:
            won = self._client.set(
                settings.prefix + key, CLAIMED + token, nx=True, px=settings.lease_ms
            )
        except REDIS_ERRORS as exc:
            raise store_error("claim", (key,), exc) from exc
        return settings.won(key, token, won)

    def complete(self, key: str) -> None:
        """Mark ``key`` processed for ``ttl_seconds`` from now."""
        settings = self._settings
        try:
            self._client.set(settings.prefix + key, COMPLETED, px=settings.ttl_ms)
        except REDIS_ERRORS as exc:
            raise store_error("complete", (key,), exc) from exc
        settings.holder.forget((key,))

    def release(self, key: str) -> None:
        """Drop the caller's claim on ``key``; anyone else's claim or a completion stays."""
        self.release_many((key,))

    def claim_many(self, keys: Sequence[str]) -> list[ClaimStatus]:
        """Claim each free key in one round trip; one :class:`~nhn_webhooks.ClaimStatus` per key."""
        if not keys:
            return []
        settings, token = self._settings, new_token()
        try:
            reply = self._client.eval(CLAIM_MANY, len(keys), *settings.claim_args(keys, token))
        except REDIS_ERRORS as exc:
            raise store_error("claim", keys, exc) from exc
        return settings.claimed(keys, token, reply)

    def complete_many(self, keys: Sequence[str]) -> None:
        """Mark every key processed for ``ttl_seconds`` from now, in one round trip."""
        if not keys:
            return
        try:
            self._client.eval(COMPLETE_MANY, len(keys), *self._settings.complete_args(keys))
        except REDIS_ERRORS as exc:
            raise store_error("complete", keys, exc) from exc
        self._settings.holder.forget(keys)

    def release_many(self, keys: Sequence[str]) -> None:
        """Drop the caller's claims on the keys in one round trip (none if it holds none)."""
        count, args = self._settings.release_args(keys)
        if count:
            try:
                self._client.eval(RELEASE_MANY, count, *args)
            except REDIS_ERRORS as exc:
                raise store_error("release", keys, exc) from exc
        self._settings.holder.forget(keys)

    def completed(self, key: str) -> bool:
        """True if ``key`` was completed within the TTL; False if claimed or absent.

        After a refused claim, False means another worker holds the key, alive or
        dead: process it again once the lease is over. Not part of the store protocol.
        """
        try:
            value = self._client.get(self._settings.prefix + key)
        except REDIS_ERRORS as exc:
            raise store_error("read", (key,), exc) from exc
        return is_completed(value)

    def __repr__(self) -> str:
        return self._settings.describe(type(self))


class AsyncRedisIdempotencyStore:
    """:class:`RedisIdempotencyStore` for asyncio: its methods are coroutines.

    ``client`` is a ``redis.asyncio.Redis`` (a ``redis.asyncio.cluster.RedisCluster``
    is accepted, untested, as for :class:`RedisIdempotencyStore`), created on the event
    loop that uses it (in the web framework's start-up hook), with the timeouts and
    ``retry=Retry(NoBackoff(), 0)`` (``redis.asyncio.retry.Retry``) that bound a call;
    the options are those of :class:`RedisIdempotencyStore`. An
    :class:`~nhn_webhooks.AsyncIdempotencyStore` and an
    :class:`~nhn_webhooks.AsyncBatchIdempotencyStore`.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis | redis.asyncio.cluster.RedisCluster,
        *,
        ttl_seconds: float = 86_400.0,
        lease_seconds: float = 300.0,
        prefix: str = "",
    ) -> None:
        self._client = client
        self._settings = Settings(prefix, ttl_seconds, lease_seconds)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout: float = 2.0,
        ttl_seconds: float = 86_400.0,
        lease_seconds: float = 300.0,
        prefix: str = "",
    ) -> AsyncRedisIdempotencyStore:
        """A store on a new ``redis.asyncio.Redis`` client for ``url``, every call bounded.

        As :meth:`RedisIdempotencyStore.from_url`: ``timeout`` bounds each connection
        and reply, with no retries. Make it on the event loop that uses it (in the web
        framework's start-up hook) and close it there, with ``async with`` or
        :meth:`aclose`::

            async with AsyncRedisIdempotencyStore.from_url(REDIS_URL) as store:
                receiver.store = store
                yield
        """
        seconds = check_timeout(timeout)
        client = redis.asyncio.Redis.from_url(  # connects on its first call
            url,
            socket_timeout=seconds,
            socket_connect_timeout=seconds,
            retry=redis.asyncio.retry.Retry(NoBackoff(), 0),
        )
        return cls(client, ttl_seconds=ttl_seconds, lease_seconds=lease_seconds, prefix=prefix)

    async def aclose(self) -> None:
        """Close the client's connections (a later call opens new ones)."""
        await self._client.aclose()

    async def __aenter__(self) -> AsyncRedisIdempotencyStore:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def claim(self, key: str) -> bool:
        """Take ``key``; True if it was neither claimed nor completed."""
        settings, token = self._settings, new_token()
        try:
            won = await self._client.set(
                settings.prefix + key, CLAIMED + token, nx=True, px=settings.lease_ms
            )
        except REDIS_ERRORS as exc:
            raise store_error("claim", (key,), exc) from exc
        return settings.won(key, token, won)

    async def complete(self, key: str) -> None:
        """Mark ``key`` processed for ``ttl_seconds`` from now."""
        settings = self._settings
        try:
            await self._client.set(settings.prefix + key, COMPLETED, px=settings.ttl_ms)
        except REDIS_ERRORS as exc:
            raise store_error("complete", (key,), exc) from exc
        settings.holder.forget((key,))

    async def release(self, key: str) -> None:
        """Drop the caller's claim on ``key``; anyone else's claim or a completion stays."""
        await self.release_many((key,))

    async def claim_many(self, keys: Sequence[str]) -> list[ClaimStatus]:
        """Claim each free key in one round trip; one :class:`~nhn_webhooks.ClaimStatus` per key."""
        if not keys:
            return []
        settings, token = self._settings, new_token()
        try:
            reply = await self._client.eval(
                CLAIM_MANY, len(keys), *settings.claim_args(keys, token)
            )
        except REDIS_ERRORS as exc:
            raise store_error("claim", keys, exc) from exc
        return settings.claimed(keys, token, reply)

    async def complete_many(self, keys: Sequence[str]) -> None:
        """Mark every key processed for ``ttl_seconds`` from now, in one round trip."""
        if not keys:
            return
        try:
            await self._client.eval(COMPLETE_MANY, len(keys), *self._settings.complete_args(keys))
        except REDIS_ERRORS as exc:
            raise store_error("complete", keys, exc) from exc
        self._settings.holder.forget(keys)

    async def release_many(self, keys: Sequence[str]) -> None:
        """Drop the caller's claims on the keys in one round trip (none if it holds none)."""
        count, args = self._settings.release_args(keys)
        if count:
            try:
                await self._client.eval(RELEASE_MANY, count, *args)
            except REDIS_ERRORS as exc:
                raise store_error("release", keys, exc) from exc
        self._settings.holder.forget(keys)

    async def completed(self, key: str) -> bool:
        """True if ``key`` was completed within the TTL; False if claimed or absent."""
        try:
            value = await self._client.get(self._settings.prefix + key)
        except REDIS_ERRORS as exc:
            raise store_error("read", (key,), exc) from exc
        return is_completed(value)

    def __repr__(self) -> str:
        return self._settings.describe(type(self))
