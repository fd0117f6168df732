"""The README's usage code, verbatim below the line, with the names it leaves to the
reader declared above it: it must type-check under mypy --strict and pyright strict
(tests/test_typing.py), and stay identical to the README (tests/test_docs.py)."""

# pyright: strict

from typing import Any

import nhn_webhooks as nw

NHN_CONSOLE_SIGNATURE = "from the NHN console"


def record(*values: object) -> None: ...


def notify_reviewers(hooks: list[nw.KakaoTemplateStatusHook]) -> None: ...


def archive(hooks: list[dict[str, Any]]) -> None: ...


# --- README.md, "Usage" ---
import nhn_webhooks as nw

verify = nw.SignatureVerifier(NHN_CONSOLE_SIGNATURE)  # once, at start-up

def receive(body: bytes, headers: nw.Headers) -> None:  # the raw POST body and its headers
    match nw.decode(body, signature=verify, headers=headers):
        case nw.SmsMessageResultUpdate(hooks=hooks):
            for hook in hooks:  # one POST can carry many hooks
                record(hook.request_id, hook.recipient_seq, hook.outcome,
                       hook.request_date)  # aware datetime, Korea time if NHN sent none
        case nw.KakaoTemplateStatusUpdate(hooks=hooks):
            notify_reviewers(hooks)
        case nw.UnknownWebhook() as webhook:  # an event this version does not model
            archive(webhook.hooks)  # nothing is lost
        case _:  # the other classes: nothing to do for them here
            pass
