"""Outcome mistakes mypy and pyright must report (tests/test_typing.py checks each line)."""

from __future__ import annotations

from typing_extensions import assert_never

import nhn_webhooks as nw


def decide(hook: nw.KakaoMessageResultHook) -> str:
    match hook.outcome:
        case nw.Outcome.DELIVERED:
            return "delivered"
        case nw.Outcome.FAILED | nw.Outcome.PENDING | nw.Outcome.UNCERTAIN:
            return "not yet, or never"
        case _:
            assert_never(hook.outcome)  # E: UNKNOWN is not handled


def unlisted(hook: nw.SmsMessageResultHook) -> None:
    print(hook.outcome.DELIVERD)  # E: misspelt member
    hook.outcome = nw.Outcome.FAILED  # E: a read-only property
