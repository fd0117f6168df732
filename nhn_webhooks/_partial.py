"""What :func:`~nhn_webhooks.decode_partial` returns: the good hooks, and the bad ones.

Apart from the careful path (``_careful``) that fills them in, since a body whose hooks
all decode gets its :class:`PartialWebhook` from the fast path, which does not import
the careful path at all.
"""

from __future__ import annotations

import msgspec

from ._errors import DecodeError
from ._models._registry import Webhook

__all__ = ["HookFailure", "PartialWebhook"]


class HookFailure(msgspec.Struct, frozen=True, kw_only=True):
    """One hook :func:`decode_partial` could not decode."""

    index: int
    """Its position in the POST's ``hooks`` list."""
    error: DecodeError
    """Why, with the JSON path (``$.hooks[3].recipientSeq``)."""
    raw: bytes
    """The hook's JSON exactly as received, to store or retry later."""


class PartialWebhook(msgspec.Struct, frozen=True, kw_only=True):
    """What :func:`decode_partial` returns: the good hooks, and the bad ones set aside."""

    webhook: Webhook
    """The webhook holding every hook that decoded, in their original order."""
    failures: tuple[HookFailure, ...]
    """One entry per hook that did not decode; empty when all did."""

    @property
    def ok(self) -> bool:
        """True when every hook decoded."""
        return not self.failures
