"""The handlers a :class:`~nhn_webhooks.Receiver` calls, and their types.

A handler is registered for a webhook class (it gets the webhook, holding the hooks
not processed before), for a hook class (it gets each such hook and its webhook), for
every webhook (``on_any``), or for one of the receiver's events (a dead letter, a
failed handler, a POST not answered 200, the console's check). Any handler may be a
plain function or a coroutine function; ``receive()`` takes only plain ones.

The hook and webhook classes are a closed set, so the registration's type says which
handler fits: mypy and pyright reject a handler whose first parameter is another class.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Protocol, TypeAlias, TypeVar

import msgspec

from .._errors import DecodeError
from .._models._base import Model, hook_type
from .._models._email import EmailMessageResultHook, EmailUnsubscribeHook
from .._models._envelope import Envelope
from .._models._kakao import KakaoMessageResultHook, KakaoTemplateStatusHook
from .._models._registry import WEBHOOK_CLASSES, Webhook
from .._models._sms import (
    SmsConversionBlockHook,
    SmsDeliveryReceiptHook,
    SmsMessageResultHook,
    SmsUnsubscribeHook,
)

__all__ = ["DeadLetter", "Handlers", "Hook", "HookRegistration", "WebhookRegistration"]

Hook: TypeAlias = (
    SmsUnsubscribeHook
    | SmsMessageResultHook
    | SmsConversionBlockHook
    | SmsDeliveryReceiptHook
    | KakaoTemplateStatusHook
    | KakaoMessageResultHook
    | EmailUnsubscribeHook
    | EmailMessageResultHook
)
"""Every modelled hook class: what ``Receiver.on`` takes besides webhook classes."""

HOOK_CLASSES: frozenset[type[Any]] = frozenset(hook_type(cls) for cls in WEBHOOK_CLASSES)

WebhookT = TypeVar("WebhookT", bound=Envelope)
HookT = TypeVar("HookT", bound=Hook)
R = TypeVar("R")


class WebhookRegistration(Protocol[WebhookT]):
    """What ``Receiver.on(SomeWebhookClass)`` returns: a decorator for its handler."""

    def __call__(self, handler: Callable[[WebhookT], R], /) -> Callable[[WebhookT], R]:
        """Register ``handler`` (called with the webhook) and return it unchanged."""
        ...


class HookRegistration(Protocol[HookT]):
    """What ``Receiver.on(SomeHookClass)`` returns: a decorator for its handler."""

    def __call__(self, handler: Callable[[HookT, Webhook], R], /) -> Callable[[HookT, Webhook], R]:
        """Register ``handler`` (called with each hook and its webhook) and return it."""
        ...


class DeadLetter(msgspec.Struct, frozen=True, kw_only=True):
    """A hook that cannot be processed, handed to the dead-letter handlers to keep."""

    raw: bytes
    """Its JSON: as received for a hook that did not decode, re-encoded for one a
    handler refused (a whole webhook's when a webhook handler refused it)."""
    reason: str
    """Why, in one line: the DecodeError (with its JSON path) or the handler's reason."""
    error: Exception
    """The :class:`DecodeError`, or the :class:`Unprocessable` a handler raised."""
    webhook: Webhook
    """The webhook it came in: its envelope (``hooks_id``, ``app_key``...) says where from."""
    index: int | None
    """Its position in the POST's ``hooks`` (None for a whole webhook refused)."""

    @property
    def undecodable(self) -> bool:
        """True when the hook did not decode, False when a handler refused it."""
        return isinstance(self.error, DecodeError)


class Handlers:
    """Every registered handler, by kind; what a webhook class calls is worked out once."""

    def __init__(self) -> None:
        self.by_class: dict[type[Any], list[Callable[..., Any]]] = {}
        self.any: list[Callable[..., Any]] = []
        self.any_hook: list[Callable[..., Any]] = []
        self.dead_letter: list[Callable[..., Any]] = []
        self.error: list[Callable[..., Any]] = []
        self.unanswered: list[Callable[..., Any]] = []
        self.console_check: list[Callable[..., Any]] = []
        self._plans: dict[type[Model], tuple[tuple[Callable[..., Any], ...], ...]] = {}
        self.has_async = False

    def add(self, kind: list[Callable[..., Any]], handler: Callable[..., Any]) -> None:
        """Register ``handler`` in ``kind`` (one of this object's lists)."""
        if not callable(handler):
            raise TypeError(f"a handler must be callable, not {type(handler).__name__}")
        kind.append(handler)
        self.has_async |= inspect.iscoroutinefunction(handler)
        self._plans.clear()

    def register_class(self, cls: object) -> list[Callable[..., Any]]:
        """The handler list for a webhook or hook class; TypeError for anything else."""
        if not isinstance(cls, type) or not (issubclass(cls, Envelope) or cls in HOOK_CLASSES):
            raise TypeError(
                f"Receiver.on() takes a webhook class (nw.SmsMessageResultUpdate, "
                f"nw.UnknownWebhook...) or a hook class (nw.SmsMessageResultHook...), "
                f"not {cls!r}"
            )
        return self.by_class.setdefault(cls, [])

    def plan(self, cls: type[Model]) -> tuple[tuple[Callable[..., Any], ...], ...]:
        """``(webhook handlers, hook handlers)`` for a webhook class, most general last."""
        plan = self._plans.get(cls)
        if plan is None:
            webhook_handlers = [h for base in cls.__mro__ for h in self.by_class.get(base, ())]
            item = hook_type(cls)
            hook_handlers = list(self.by_class.get(item, ())) if item in HOOK_CLASSES else []
            plan = (tuple(webhook_handlers + self.any), tuple(hook_handlers + self.any_hook))
            self._plans[cls] = plan
        return plan
