"""Idempotency stores shared by every process and host that can reach one Redis.

Needs redis-py: ``pip install "nhn-webhooks[redis]"``. ``import nhn_webhooks`` does
not import this module (nor redis); import it by name::

    import redis
    from nhn_webhooks.redis import RedisIdempotencyStore

    store = RedisIdempotencyStore(
        redis.Redis.from_url(REDIS_URL), ttl_seconds=86_400, lease_seconds=300
    )

One Redis string per key, under ``prefix + key``. Each operation is one atomic
command on the server, with no read-then-write in the client:

- ``claim``: ``SET key claimed:<store>:<caller> NX PX lease``, which takes the key only
  if it is absent (neither claimed nor completed) and lets the claim expire after the
  lease;
- ``complete``: ``SET key completed PX ttl``: the work is done, whoever holds the
  claim now;
- ``release``: a short Lua script that deletes the key only while it still holds the
  claim this caller made, so a late release never frees a key another worker, thread
  or request has claimed since, nor one that is completed.

``<store>`` is random per store object; ``<caller>`` is random per process, thread and
asyncio task (a forked Celery worker, each request's task, each worker thread), so a
release from another thread or task than the claim's frees nothing: the claim then
lasts until its lease ends. Any error of redis-py (server
unreachable, timeout, a refused command) becomes :class:`~nhn_webhooks.StoreError`
chaining it: a claim is never reported as won when it was not.
"""

from __future__ import annotations

import secrets

try:
    import redis.asyncio
    import redis.asyncio.cluster
    import redis.exceptions
    from redis import Redis
    from redis.cluster import RedisCluster
except ImportError as exc:  # pragma: no cover - exercised in a child interpreter
    raise ImportError(
        'nhn_webhooks.redis needs redis-py: pip install "nhn-webhooks[redis]"'
    ) from exc

from ._errors import StoreError
from ._idempotency import check_lifetimes, claimant

__all__ = ["AsyncRedisIdempotencyStore", "RedisIdempotencyStore"]

COMPLETED = b"completed"

# KEYS[1]: the key; ARGV[1]: this caller's claim value. Deletes only its own claim.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


class _Settings:
    """What both stores validate once at construction and read on every call."""

    def __init__(self, prefix: str, ttl_seconds: float, lease_seconds: float) -> None:
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        ttl, lease = check_lifetimes(ttl_seconds, lease_seconds)
        self.prefix = prefix
        self.ttl_ms = max(1, round(ttl * 1000))
        self.lease_ms = max(1, round(lease * 1000))
        self._token = secrets.token_hex(8)

    @property
    def claimed(self) -> bytes:
        """The value of a claim by this store for this process, thread and asyncio task."""
        return f"claimed:{self._token}:{claimant()}".encode()

    def describe(self, cls: type) -> str:
        return (
            f"{cls.__name__}(prefix={self.prefix!r}, ttl_seconds={self.ttl_ms / 1000:g}, "
            f"lease_seconds={self.lease_ms / 1000:g})"
        )


def _store_error(operation: str, key: str, exc: redis.exceptions.RedisError) -> StoreError:
    return StoreError(f"Redis failed to {operation} {key!r}: {type(exc).__name__}: {exc}")


class RedisIdempotencyStore:
    """An :class:`~nhn_webhooks.IdempotencyStore` in Redis, shared by processes and hosts.

    ``client`` is a ``redis.Redis`` (``redis.Redis.from_url(url)``); give it a
    ``socket_timeout`` so that a stalled server raises instead of hanging. A
    ``redis.cluster.RedisCluster`` is accepted too: every command, the Lua script
    included, touches one key, so the store is cluster-safe in principle, but it is
    tested against one Redis server only, never a cluster. A claim
    lasts ``lease_seconds`` (longer than processing one hook can take, since a claim
    that outlives its lease can be claimed by another worker), a completed key is a
    duplicate for ``ttl_seconds``. ``prefix`` is put before every key (``"staging:"``
    to share one Redis between environments). Raises
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
        self._settings = _Settings(prefix, ttl_seconds, lease_seconds)
        self._release = client.register_script(RELEASE)

    def claim(self, key: str) -> bool:
        """Take ``key``; True if it was neither claimed nor completed."""
        settings = self._settings
        try:
            won = self._client.set(
                settings.prefix + key, settings.claimed, nx=True, px=settings.lease_ms
            )
        except redis.exceptions.RedisError as exc:
            raise _store_error("claim", key, exc) from exc
        return bool(won)

    def complete(self, key: str) -> None:
        """Mark ``key`` processed for ``ttl_seconds`` from now."""
        settings = self._settings
        try:
            self._client.set(settings.prefix + key, COMPLETED, px=settings.ttl_ms)
        except redis.exceptions.RedisError as exc:
            raise _store_error("complete", key, exc) from exc

    def release(self, key: str) -> None:
        """Drop this store's claim on ``key``; anyone else's claim or a completion stays."""
        settings = self._settings
        try:
            self._release(keys=[settings.prefix + key], args=[settings.claimed])
        except redis.exceptions.RedisError as exc:
            raise _store_error("release", key, exc) from exc

    def completed(self, key: str) -> bool:
        """True if ``key`` was completed within the TTL; False if claimed or absent.

        After a refused claim, False means another worker holds the key, alive or
        dead: process it again once the lease is over. Not part of the store protocol.
        """
        try:
            value = self._client.get(self._settings.prefix + key)
        except redis.exceptions.RedisError as exc:
            raise _store_error("read", key, exc) from exc
        return value == COMPLETED

    def __repr__(self) -> str:
        return self._settings.describe(type(self))


class AsyncRedisIdempotencyStore:
    """:class:`RedisIdempotencyStore` for asyncio: its methods are coroutines.

    ``client`` is a ``redis.asyncio.Redis`` (a ``redis.asyncio.cluster.RedisCluster``
    is accepted, untested, as for :class:`RedisIdempotencyStore`), created on the event
    loop that uses it
    (in the web framework's start-up hook); the options are those of
    :class:`RedisIdempotencyStore`. An :class:`~nhn_webhooks.AsyncIdempotencyStore`.
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
        self._settings = _Settings(prefix, ttl_seconds, lease_seconds)
        self._release = client.register_script(RELEASE)

    async def claim(self, key: str) -> bool:
        """Take ``key``; True if it was neither claimed nor completed."""
        settings = self._settings
        try:
            won = await self._client.set(
                settings.prefix + key, settings.claimed, nx=True, px=settings.lease_ms
            )
        except redis.exceptions.RedisError as exc:
            raise _store_error("claim", key, exc) from exc
        return bool(won)

    async def complete(self, key: str) -> None:
        """Mark ``key`` processed for ``ttl_seconds`` from now."""
        settings = self._settings
        try:
            await self._client.set(settings.prefix + key, COMPLETED, px=settings.ttl_ms)
        except redis.exceptions.RedisError as exc:
            raise _store_error("complete", key, exc) from exc

    async def release(self, key: str) -> None:
        """Drop this store's claim on ``key``; anyone else's claim or a completion stays."""
        settings = self._settings
        try:
            await self._release(keys=[settings.prefix + key], args=[settings.claimed])
        except redis.exceptions.RedisError as exc:
            raise _store_error("release", key, exc) from exc

    async def completed(self, key: str) -> bool:
        """True if ``key`` was completed within the TTL; False if claimed or absent."""
        try:
            value = await self._client.get(self._settings.prefix + key)
        except redis.exceptions.RedisError as exc:
            raise _store_error("read", key, exc) from exc
        return value == COMPLETED

    def __repr__(self) -> str:
        return self._settings.describe(type(self))
