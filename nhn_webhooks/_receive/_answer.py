"""What a receiver answers NHN: a status code, a short text, and what led to them.

Every status has one reason, decided here and nowhere else:

- ``200`` the POST was handled: each hook was processed now, or earlier (a replay or
  a repeat), or kept as a dead letter, or had no handler (logged); also an unknown
  event kept by its handler, and the console's verification request.
- ``400`` the body is not a webhook (not JSON, no envelope), or a hook does not decode
  and no dead-letter handler keeps it: sending it again cannot help.
- ``401`` the signature header is missing or wrong: nothing was read.
- ``413`` the body, or its number of hooks, is over the receiver's limit.
- ``500`` a handler raised: its hook, and every hook not handled yet, were released, so
  the next delivery processes them.
- ``503`` a hook is held by another worker that has not finished it (it may have died:
  its claim ends with the lease), or the idempotency store failed before anything was
  claimed: nothing was lost, send it again later.
"""

from __future__ import annotations

from typing import ClassVar

import msgspec

__all__ = ["Answer", "Report"]

OK = 200
MALFORMED = 400
UNSIGNED = 401
TOO_LARGE = 413
HANDLER_FAILED = 500
UNAVAILABLE = 503


class Report(msgspec.Struct, frozen=True, kw_only=True):
    """What one POST held and what became of each hook: the counts a receiver logs."""

    hooks: int = 0
    """Hooks in the POST, those that decoded and those that did not."""
    handled: int = 0
    """Hooks whose handlers ran to the end now (dead letters a handler refused included)."""
    replays: int = 0
    """Hooks completed before (the POST replayed, or the hook repeated): not run again."""
    held: int = 0
    """Hooks another worker holds a live claim on: not run here."""
    released: int = 0
    """Hooks claimed here and given back, because a handler raised: the next delivery runs them."""
    dead_letters: int = 0
    """Hooks handed to the dead-letter handlers (undecodable, or refused by a handler)."""
    unhandled: int = 0
    """Hooks of a class no handler is registered for: acknowledged and logged."""
    console_check: bool = False
    """The POST was the NHN console's verification request: no handler ran."""


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """The reply to one POST: send ``status`` with ``text`` as a ``text/plain`` body.

    >>> answer = receiver.receive(body, request.headers)
    >>> return Response(answer.text, status=answer.status, media_type=answer.content_type)

    ``text`` is short and safe to send: it never holds the signature, a handler's
    exception message or a recipient's number or address. ``error`` is the exception
    behind a 400, 500 or 503 (the DecodeError, the handler's exception, the
    StoreError), for the caller's own logging or retry decision; ``report`` holds the
    counts.
    """

    status: int
    """The HTTP status code to answer with."""
    text: str
    """A short plain-text body saying why."""
    error: Exception | None = None
    """The exception that decided a 400, 500 or 503; None otherwise."""
    report: Report = Report()
    """What the POST held and what became of each hook."""

    content_type: ClassVar[str] = "text/plain; charset=utf-8"
    """The media type of ``text``."""

    @property
    def ok(self) -> bool:
        """True for a 2xx answer: NHN need not send the POST again."""
        return 200 <= self.status < 300
