"""Handler mistakes mypy and pyright must report (tests/test_typing.py checks each line)."""

from __future__ import annotations

import nhn_webhooks as nw

receiver = nw.Receiver(signature="console-signature")


@receiver.on(nw.SmsMessageResultHook)  # E: the handler takes another hook class
def wrong_hook(hook: nw.EmailMessageResultHook, webhook: nw.Webhook) -> None: ...


@receiver.on(nw.SmsMessageResultUpdate)  # E: a webhook handler given a hook class
def wrong_webhook(webhook: nw.SmsMessageResultHook) -> None: ...


@receiver.on(nw.KakaoMessageResultHook)  # E: a hook handler without the webhook parameter
def one_parameter(hook: nw.KakaoMessageResultHook) -> None: ...


@receiver.on(nw.SmsUnsubscribe)  # E: a handler for another webhook class
def wrong_class(webhook: nw.EmailUnsubscribe) -> None: ...


receiver.on(str)  # E: neither a webhook nor a hook class


@receiver.on_dead_letter  # E: a dead letter is not bytes
def keep(raw: bytes) -> None: ...
