"""The steps of a receiver's flow, and the drivers that perform them.

One flow serves ``receive()``, ``areceive()`` and ``process()``: it is a generator that
decides everything and yields each step that touches the outside world (a call of a
user function, a store call). :func:`drive` performs the steps plainly, for
``receive()``; :func:`adrive` awaits them, for ``areceive()``. So each rule is
written once. An exception a step raises is thrown back into the flow, which decides
(a store failure is a 503) or releases its claims before it propagates (a
KeyboardInterrupt, a cancelled task).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Sequence
from typing import Any, NamedTuple, TypeAlias

from ._answer import Answer
from ._log import mask, warn
from ._store import StoreCalls

__all__ = ["Call", "Flow", "Step", "StoreStep", "adrive", "call_logged", "drive"]


class Call(NamedTuple):
    """Call a user function; the driver sends back None, or the Exception it raised."""

    function: Callable[..., Any]
    args: tuple[Any, ...]


class StoreStep(NamedTuple):
    """Call a store step (``claim``, ``complete`` or ``release``) on some keys."""

    step: str
    keys: Sequence[str]


Step: TypeAlias = Call | StoreStep
"""What a flow yields: the driver performs it and sends the result back."""
Flow: TypeAlias = Generator[Step, Any, Answer]
"""A receiver's flow for one POST: it returns the answer."""


def call_logged(
    handler: Callable[..., Any], args: tuple[Any, ...], what: str
) -> Generator[Step, Any, None]:
    """Call a callback of the receiver's; one that raises is logged, not fatal."""
    error = yield Call(handler, args)
    if error is not None:
        warn("%s raised %s", what, mask(repr(error)), exc_info=error)


def drive(flow: Flow, store: StoreCalls | None) -> Answer:
    """Run ``flow``, performing each step as it comes; its answer."""
    value: Any = None
    thrown: BaseException | None = None
    while True:
        try:
            step = flow.send(value) if thrown is None else flow.throw(thrown)
        except StopIteration as stop:
            answer: Answer = stop.value
            return answer
        thrown = None
        try:
            value = perform(step, store)
        except BaseException as exc:  # thrown back in: the flow decides, or releases
            value, thrown = None, exc


async def adrive(flow: Flow, store: StoreCalls | None) -> Answer:
    """Run ``flow``, awaiting each step that needs it; its answer."""
    value: Any = None
    thrown: BaseException | None = None
    while True:
        try:
            step = flow.send(value) if thrown is None else flow.throw(thrown)
        except StopIteration as stop:
            answer: Answer = stop.value
            return answer
        thrown = None
        try:
            value = await aperform(step, store)
        except BaseException as exc:
            value, thrown = None, exc


def perform(step: Step, store: StoreCalls | None) -> Any:
    """Do one step: None, or the Exception a user function raised; a store's result."""
    if isinstance(step, Call):
        try:
            result = step.function(*step.args)
        except Exception as error:
            return error
        if result is not None and inspect.isawaitable(result):  # most handlers return None
            _discard(result)
            return TypeError(f"{step.function!r} returned an awaitable: use areceive()")
        return None
    assert store is not None
    return getattr(store, step.step)(step.keys)


async def aperform(step: Step, store: StoreCalls | None) -> Any:
    """Do one step, awaiting what a user function or the store returns."""
    if isinstance(step, Call):
        try:
            result = step.function(*step.args)
            if result is not None and inspect.isawaitable(result):
                await result
        except Exception as error:
            return error
        return None
    assert store is not None
    result = getattr(store, step.step)(step.keys)
    return await result if inspect.isawaitable(result) else result


def _discard(awaitable: object) -> None:
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()  # no "coroutine was never awaited" warning
