"""Which claims belong to the caller: a random token per claim, kept in a context variable.

Every store of the library keeps a token with each claim, and the caller keeps the same
token, per store object, in a :class:`~contextvars.ContextVar`; a release frees a claim
only when the two match (see :class:`~nhn_webhooks.IdempotencyStore`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar

from ._protocols import ClaimStatus

__all__ = ["MAX_HELD", "Holder", "new_token"]

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
