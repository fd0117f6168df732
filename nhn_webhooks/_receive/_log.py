"""The ``nhn_webhooks`` logger: one line per POST, with its counts, and nothing secret.

At INFO, one line per POST answered 2xx; at WARNING, every POST that was not, and
each hook that went wrong (dead-lettered, no handler, a handler that raised). Every
line carries structured fields in ``extra``, named ``nhn_*`` (``nhn_status``,
``nhn_hooks``, ``nhn_handled``...), for a JSON formatter. No line holds the signature;
text that may quote a hook (a DecodeError's reason) is masked: phone numbers keep
their last four digits, mail addresses their first character and their domain.

Turn it down with ``logging.getLogger("nhn_webhooks").setLevel(logging.WARNING)``, or
up (every POST) by giving it, or the root logger, a handler at INFO.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ._answer import Answer, Report

__all__ = ["log_answer", "logger", "mask"]

logger = logging.getLogger("nhn_webhooks")

_MAIL = re.compile(r"([^\s@\"'<>(),;:]+)@([\w.-]+\.[A-Za-z]{2,})")
_NUMBER = re.compile(r"\+?\d(?:[\d -]{5,}\d)")


def mask(text: str) -> str:
    """``text`` with mail addresses and phone-like numbers masked, for a log line.

    >>> mask('$.hooks[0].recipientNo: expected str, got 01012345678')
    '$.hooks[0].recipientNo: expected str, got *******5678'
    """
    text = _MAIL.sub(lambda found: f"{found[1][0]}***@{found[2]}", text)
    return _NUMBER.sub(_mask_number, text)


def _mask_number(found: re.Match[str]) -> str:
    digits = sum(char.isdigit() for char in found[0])
    if digits < 7:  # a count or a short code, not a number reaching a person
        return found[0]
    shown, seen = digits - 4, 0
    out = []
    for char in found[0]:
        if char.isdigit():
            seen += 1
            out.append("*" if seen <= shown else char)
        else:
            out.append(char)
    return "".join(out)


def fields(report: Report, answer_status: int, webhook: Any) -> dict[str, Any]:
    """The ``extra`` of a POST's line: its counts, status and envelope names."""
    extra: dict[str, Any] = {
        f"nhn_{name}": getattr(report, name) for name in report.__struct_fields__
    }
    extra["nhn_status"] = answer_status
    if webhook is not None:
        extra.update(
            nhn_hooks_id=webhook.hooks_id,
            nhn_product=webhook.product_name,
            nhn_event=webhook.event,
            nhn_class=type(webhook).__name__,
        )
    return extra


def log_answer(answer: Answer, webhook: Any) -> None:
    """One line for the POST: INFO when answered 2xx, WARNING otherwise."""
    report = answer.report
    level = logging.INFO if answer.ok else logging.WARNING
    if not logger.isEnabledFor(level):
        return
    what = "NHN console check" if report.console_check else _name(webhook)
    logger.log(
        level,
        "%s: %d%s; %d hooks, %d handled, %d replays, %d dead letters, %d held, %d released, "
        "%d without handler",
        what,
        answer.status,
        "" if answer.ok else f" ({mask(answer.text)})",
        report.hooks,
        report.handled,
        report.replays,
        report.dead_letters,
        report.held,
        report.released,
        report.unhandled,
        extra=fields(report, answer.status, webhook),
    )


def _name(webhook: Any) -> str:
    if webhook is None:
        return "NHN webhook"
    return f"NHN {type(webhook).__name__} {webhook.hooks_id}"


def warn(message: str, *args: object, exc_info: BaseException | None = None, **extra: Any) -> None:
    """A WARNING about one hook or one step, with ``nhn_*`` fields in ``extra``."""
    logger.warning(
        message,
        *args,
        exc_info=exc_info,
        extra={f"nhn_{name}": value for name, value in extra.items()},
    )
