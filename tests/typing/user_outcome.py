"""A user's handler deciding on hook.outcome, type-checked by tests/test_typing.py under
mypy --strict and pyright's strict mode: each case narrows the Outcome, and the match
is exhaustive (assert_never accepts what is left)."""

# pyright: strict

from __future__ import annotations

from typing import Literal

from typing_extensions import assert_never, assert_type

import nhn_webhooks as nw


def decide(hook: nw.SmsMessageResultHook | nw.KakaoMessageResultHook) -> str:
    outcome = hook.outcome
    assert_type(outcome, nw.Outcome)
    match outcome:
        case nw.Outcome.DELIVERED:
            assert_type(outcome, Literal[nw.Outcome.DELIVERED])
            return "delivered"
        case nw.Outcome.FAILED:
            assert_type(outcome, Literal[nw.Outcome.FAILED])
            return "failed"
        case nw.Outcome.PENDING | nw.Outcome.UNCERTAIN:
            assert_type(outcome, Literal[nw.Outcome.PENDING, nw.Outcome.UNCERTAIN])
            return "wait"
        case nw.Outcome.UNKNOWN:
            return "look at the raw code"
        case _:
            assert_never(outcome)


def report(
    hook: nw.SmsDeliveryReceiptHook | nw.EmailMessageResultHook,
) -> tuple[nw.Outcome, bool | None, str, str | None]:
    entry = (
        nw.result_code("SMS_DLR", hook.dlr_status)
        if isinstance(hook, nw.SmsDeliveryReceiptHook)
        else nw.result_code("EMAIL", hook.mail_status_code)
    )
    assert_type(entry, nw.ResultCode)
    assert_type(nw.result_codes("KAKAO"), tuple[nw.ResultCode, ...])
    return entry.outcome, entry.final, entry.description_ko, entry.retired


def as_text(hook: nw.EmailMessageResultHook) -> str:
    return hook.outcome + ": " + str(hook.outcome)  # a str, for logs and metrics
