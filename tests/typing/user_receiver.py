# pyright: strict
"""A user's Receiver: typed handlers for hooks and webhooks, and the answer's types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typing_extensions import assert_type

import nhn_webhooks as nw

receiver = nw.Receiver(signature="console-signature", store=nw.MemoryIdempotencyStore())


@receiver.on(nw.SmsMessageResultHook)
def on_sms_result(hook: nw.SmsMessageResultHook, webhook: nw.Webhook) -> None:
    assert_type(hook.recipient_seq, int)
    assert_type(webhook.app_key, str)


@receiver.on(nw.KakaoMessageResultHook)
async def on_kakao_result(hook: nw.KakaoMessageResultHook, webhook: nw.Envelope) -> None:
    assert_type(hook.outcome, nw.Outcome)


@receiver.on(nw.EmailUnsubscribe)
def on_unsubscribed(webhook: nw.EmailUnsubscribe) -> None:
    for hook in webhook.hooks:
        assert_type(hook, nw.EmailUnsubscribeHook)


@receiver.on(nw.UnknownWebhook)
def on_unknown(webhook: nw.UnknownWebhook) -> None:
    assert_type(webhook.hooks, list[dict[str, Any]])


@receiver.on(nw.Envelope)
def on_every_webhook(webhook: nw.Envelope) -> None:
    assert_type(webhook.hooks_id, str)


@receiver.on_any
def on_any(webhook: nw.Webhook) -> None: ...


@receiver.on_any_hook
def on_any_hook(hook: object, webhook: nw.Webhook) -> None: ...


@receiver.on_dead_letter
def keep(letter: nw.DeadLetter) -> None:
    assert_type(letter.raw, bytes)
    assert_type(letter.index, int | None)


@receiver.on_error
def report(error: Exception, webhook: nw.Webhook) -> None: ...


@receiver.on_unanswered
def keep_body(body: bytes, answer: nw.Answer) -> None:
    assert_type(answer.status, int)


@receiver.on_console_check
def console(body: bytes) -> None: ...


def serve(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    answer = receiver.receive(body, headers)
    assert_type(answer, nw.Answer)
    assert_type(answer.report.handled, int)
    assert_type(answer.error, Exception | None)
    return answer.status, answer.text


async def aserve(body: bytes, headers: dict[str, str]) -> nw.Answer:
    return await receiver.areceive(body, headers)


# The decorator returns the handler, still callable as the user wrote it.
assert_type(on_sms_result, Callable[[nw.SmsMessageResultHook, nw.Webhook], None])
