"""One POST's hooks on their way through claim, handlers, and completion or release."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

import msgspec

from .._errors import Unprocessable
from .._models._envelope import UnknownWebhook
from .._once._keys import idempotency_key
from . import _answer as status
from ._answer import Answer, Report
from ._handlers import DeadLetter, Handlers
from ._log import mask, warn
from ._steps import Call, Step, StoreStep, call_logged
from ._store import CLAIMED, COMPLETED, StoreCalls

__all__ = ["Batch", "dead_letter", "failed"]


class Batch:
    """The hooks of one POST on their way through claim, handlers and settlement."""

    def __init__(self, webhook: Any) -> None:
        self.webhook = webhook
        self.whole = isinstance(webhook, UnknownWebhook)  # no typed hooks: one unit
        self.keys: list[str] = []
        self.fresh: list[tuple[str, int, Any]] = []  # (key, index, hook) claimed here
        self.done: list[str] = []
        self.replays = self.held = self.unhandled = self.refused = 0
        self.failure: Exception | None = None
        self.store_error: Exception | None = None

    def units(self) -> list[tuple[str, int, Any]]:
        """``(key, index, hook)`` per unit to claim; a hook repeated in the POST, once."""
        webhook = self.webhook
        if self.whole:
            return [(idempotency_key(webhook), 0, webhook)]
        units: dict[str, tuple[str, int, Any]] = {}
        for index, hook in enumerate(webhook.hooks):
            key = idempotency_key(webhook, hook)
            units.setdefault(key, (key, index, hook))
        self.replays += len(webhook.hooks) - len(units)
        return list(units.values())

    def claim(self, store: StoreCalls | None) -> Generator[Step, Any, None]:
        """Claim every unit in one store call (all of them, without a store)."""
        units = self.units()
        statuses: Sequence[str] = [CLAIMED] * len(units)
        if store is not None:
            statuses = yield StoreStep("claim", [unit[0] for unit in units])
        for unit, found in zip(units, statuses, strict=True):
            if found == CLAIMED:
                self.fresh.append(unit)
            elif found == COMPLETED:
                self.replays += 1
            else:
                self.held += 1
        self.keys = [unit[0] for unit in self.fresh]

    def call(
        self,
        handlers: Handlers,
        webhook_handlers: Sequence[Callable[..., Any]],
        hook_handlers: Sequence[Callable[..., Any]],
    ) -> Generator[Step, Any, None]:
        """Run the handlers over what this POST claimed, stopping at the first failure."""
        if not self.fresh:
            return
        webhook = self.webhook
        if webhook_handlers:
            view = webhook
            if not self.whole and len(self.fresh) < len(webhook.hooks):
                view = msgspec.structs.replace(webhook, hooks=[unit[2] for unit in self.fresh])
            for handler in webhook_handlers:
                error = yield Call(handler, (view,))
                if error is not None:
                    yield from self.refuse_or_fail(handlers, error, view, None)
                    if self.failure is not None or self.done:
                        return
        if not hook_handlers:
            self.done = [unit[0] for unit in self.fresh]
            return
        if self.whole:  # one unit: every dict hook, under the POST's key
            [(key, _, _)] = self.fresh
            for index, hook in enumerate(webhook.hooks):
                if not (yield from self.call_hook(handlers, hook_handlers, hook, index)):
                    return
            self.done = [key]
            return
        for key, index, hook in self.fresh:
            if not (yield from self.call_hook(handlers, hook_handlers, hook, index)):
                return  # this hook and every later one are released
            self.done.append(key)

    def call_hook(
        self,
        handlers: Handlers,
        hook_handlers: Sequence[Callable[..., Any]],
        hook: Any,
        index: int,
    ) -> Generator[Step, Any, bool]:
        """Run one hook's handlers; False when one failed (the POST then stops)."""
        for handler in hook_handlers:
            error = yield Call(handler, (hook, self.webhook))
            if error is not None:
                yield from self.refuse_or_fail(handlers, error, hook, index)
                break
        return self.failure is None

    def refuse_or_fail(
        self, handlers: Handlers, error: Exception, item: Any, index: int | None
    ) -> Generator[Step, Any, None]:
        """A handler raised: dead-letter what it refused, else fail the POST (500)."""
        if isinstance(error, Unprocessable) and handlers.dead_letter:
            letter = DeadLetter(
                raw=msgspec.json.encode(item),
                reason=str(error),
                error=error,
                webhook=self.webhook,
                index=index,
            )
            warn("NHN hook refused by its handler: %s", mask(letter.reason), index=index)
            kept = yield from dead_letter(handlers.dead_letter, letter)
            if kept is None:
                self.refused += 1 if index is not None else len(self.fresh)
                if index is None:
                    self.done = [unit[0] for unit in self.fresh]
                return
            error = kept
        self.failure = error
        warn("NHN webhook handler raised %s", mask(repr(error)), exc_info=error)
        for handler in handlers.error:
            yield from call_logged(handler, (error, self.webhook), "error handler")

    def settle(self, store: StoreCalls | None) -> Generator[Step, Any, None]:
        """Complete what was handled, release the rest of this POST's claims.

        A store failing here changes no answer: the handlers ran. It is logged; a claim
        left neither completed nor released ends with the lease.
        """
        if store is None:
            return
        done = set(self.done)
        if self.done:
            try:
                yield StoreStep("complete", self.done)
            except Exception as error:
                warn(
                    "could not mark %d handled hooks completed (a repeat is held until the "
                    "lease ends, then handled again): %r",
                    len(self.done),
                    error,
                    exc_info=error,
                )
        undone = [key for key in self.keys if key not in done]
        if undone:
            try:
                yield StoreStep("release", undone)
            except Exception as error:
                warn(
                    "could not release %d claims (they end with the lease): %r", len(undone), error
                )

    def answer(self, total: int, dead_letters: int) -> Answer:
        """The answer for the POST, from what became of each hook (see ``_answer``)."""
        handled = len(self.done) * (total if self.whole else 1)
        report = Report(
            hooks=total,
            handled=handled,
            replays=self.replays * (total if self.whole else 1),
            held=self.held * (total if self.whole else 1),
            released=(len(self.keys) - len(self.done)) * (total if self.whole else 1),
            dead_letters=dead_letters + self.refused,
            unhandled=self.unhandled,
        )
        if self.store_error is not None:
            return Answer(
                status=status.UNAVAILABLE,
                text="idempotency store unavailable: send again later",
                error=self.store_error,
                report=report,
            )
        if self.failure is not None:
            return failed(self.failure, report)
        if self.held:
            return Answer(
                status=status.UNAVAILABLE,
                text=f"{count(self.held, 'hook', 'hooks')} in progress elsewhere: send again later",
                report=report,
            )
        return Answer(status=status.OK, text=ok_text(report), report=report)


def dead_letter(
    handlers: Sequence[Callable[..., Any]], letter: DeadLetter
) -> Generator[Step, Any, Exception | None]:
    """Hand ``letter`` to the dead-letter handlers; the exception of one that raised."""
    for handler in handlers:
        error: Exception | None = yield Call(handler, (letter,))
        if error is not None:
            warn("dead-letter handler raised %s", mask(repr(error)), exc_info=error)
            return error  # not kept: NHN may send it again
    return None


def ok_text(report: Report) -> str:
    """The short text of a 200: ``ok: 3 hooks, 2 handled, 1 replay``."""
    parts = [count(report.hooks, "hook", "hooks"), f"{report.handled} handled"]
    for number, one, many in (
        (report.replays, "replay", "replays"),
        (report.dead_letters, "dead letter", "dead letters"),
        (report.unhandled, "unhandled", "unhandled"),
    ):
        if number:
            parts.append(count(number, one, many))
    return "ok: " + ", ".join(parts)


def count(number: int, one: str, many: str) -> str:
    """``1 hook``, ``2 hooks``: an answer's text reads as a person would say it."""
    return f"{number} {one if number == 1 else many}"


def failed(error: Exception, report: Report) -> Answer:
    """The 500 for a handler that raised: never its message, which may quote a hook."""
    return Answer(
        status=status.HANDLER_FAILED,
        text="a handler failed: send again",
        error=error,
        report=report,
    )
