"""How the Redis stores talk to Redis: the Lua scripts, the key values, reading replies.

Shared by :class:`~nhn_webhooks.redis.RedisIdempotencyStore` and its asyncio twin, so
each rule of the wire format is written once. Imported only with ``nhn_webhooks.redis``,
which needs redis-py.
"""

from __future__ import annotations

from collections.abc import Sequence

import redis.exceptions

from .._errors import StoreError
from ._protocols import ClaimStatus, check_lifetimes
from ._tokens import Holder

COMPLETED = "completed"
CLAIMED = "claimed:"

# KEYS: the keys; ARGV[1]: the lease in ms; ARGV[2]: this claim's value. Returns a
# status per key: 0 claimed, 1 completed, 2 held (a key named twice is held).
CLAIM_MANY = """
local statuses = {}
for index, key in ipairs(KEYS) do
    if redis.call('SET', key, ARGV[2], 'NX', 'PX', ARGV[1]) then
        statuses[index] = 0
    elseif redis.call('GET', key) == 'completed' then
        statuses[index] = 1
    else
        statuses[index] = 2
    end
end
return statuses
"""
STATUSES = (ClaimStatus.CLAIMED, ClaimStatus.COMPLETED, ClaimStatus.HELD)

# KEYS: the keys; ARGV[1]: the TTL in ms.
COMPLETE_MANY = """
for _, key in ipairs(KEYS) do
    redis.call('SET', key, 'completed', 'PX', ARGV[1])
end
return #KEYS
"""

# KEYS: the keys; ARGV[i]: this caller's claim value on KEYS[i]. Deletes only those.
RELEASE_MANY = """
local freed = 0
for index, key in ipairs(KEYS) do
    if redis.call('GET', key) == ARGV[index] then
        freed = freed + redis.call('DEL', key)
    end
end
return freed
"""

# redis-py's errors, and a cluster's refusal of keys in several slots, which is not one.
REDIS_ERRORS = (redis.exceptions.RedisError, redis.exceptions.RedisClusterException)


class Settings:
    """What both stores validate once at construction, and the scripts' arguments."""

    def __init__(self, prefix: str, ttl_seconds: float, lease_seconds: float) -> None:
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        ttl, lease = check_lifetimes(ttl_seconds, lease_seconds)
        self.prefix = prefix
        self.ttl_ms = round(ttl * 1000)
        self.lease_ms = round(lease * 1000)
        self.holder = Holder()

    def claim_args(self, keys: Sequence[str], token: str) -> list[str | int]:
        return [*self._keys(keys), self.lease_ms, CLAIMED + token]

    def claimed(self, keys: Sequence[str], token: str, reply: list[int]) -> list[ClaimStatus]:
        """The statuses of a claim's reply, remembering the caller's new claims."""
        statuses = [STATUSES[code] for code in reply]
        self.holder.hold(keys, statuses, token)
        return statuses

    def won(self, key: str, token: str, reply: object) -> bool:
        """Whether a single claim (``SET NX``) won, remembering it if it did."""
        won = bool(reply)
        self.holder.hold((key,), (ClaimStatus.CLAIMED if won else ClaimStatus.HELD,), token)
        return won

    def complete_args(self, keys: Sequence[str]) -> list[str | int]:
        return [*self._keys(keys), self.ttl_ms]

    def release_args(self, keys: Sequence[str]) -> tuple[int, list[str]]:
        """``(number of keys, keys then values)`` for the caller's claims among keys."""
        tokens = self.holder.tokens(keys)
        values = [CLAIMED + token for token in tokens.values()]
        return len(tokens), [*self._keys(tokens), *values]

    def _keys(self, keys: Sequence[str] | dict[str, str]) -> list[str]:
        return [self.prefix + key for key in keys]

    def describe(self, cls: type) -> str:
        return (
            f"{cls.__name__}(prefix={self.prefix!r}, ttl_seconds={self.ttl_ms / 1000:g}, "
            f"lease_seconds={self.lease_ms / 1000:g})"
        )


def store_error(operation: str, keys: Sequence[str], exc: Exception) -> StoreError:
    what = repr(keys[0][:100]) if len(keys) == 1 else f"{len(keys)} keys"
    return StoreError(f"Redis failed to {operation} {what}: {type(exc).__name__}: {exc}")


def check_timeout(timeout: float) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
    if not 0 < timeout <= 3600:  # also refuses NaN
        raise ValueError(f"timeout must be from 0 to 3600 seconds, got {timeout!r}")
    return float(timeout)


def is_completed(value: bytes | str | None) -> bool:
    # bytes from a client made with decode_responses=False (the default), str with True
    return value in (b"completed", COMPLETED)
