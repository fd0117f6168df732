"""Recognising the request NHN's console sends to verify a webhook URL.

What is known: the SMS, Email and Notification Hub console guides say a webhook is
added "after verification" (검증을 받은 뒤 추가), so the console sends something to the URL
first, with the signature typed into the console. What is not: NHN does not document
that request's body. What is guessed, from NHN's own documentation examples and one
public receiver: the console sends a body like its examples, whose values are
placeholders (``"appKey": "String"``; the KakaoTalk Bizmessage example is placeholders
throughout, ``"recipientSeq": "Integer"``), which ``decode()`` rejects or which would
reach the handlers as a real event.

So a correctly signed body is taken for the console's check, answered 200 and kept
from the handlers, when

- it is empty, or the empty JSON object ``{}``; or
- its ``appKey`` is NHN's placeholder ``"String"`` (the public receiver's rule; no
  real app key is that word); or
- it does not decode whole, and a hook holds a value that is one of the type names
  NHN's examples write in place of a value (``"Integer"``, ``"Boolean"``...).

A body that decodes and carries a real app key is never taken for a check.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .._decode import Body

__all__ = ["is_console_check"]

PLACEHOLDER_APP_KEY = "String"
PLACEHOLDERS = frozenset(
    ("String", "Integer", "Long", "Double", "Number", "Boolean", "Date", "DateTime", "List")
)
"""Type names NHN's examples put where a value goes."""


def is_console_check(body: Body, app_key: object, decoded_whole: bool) -> bool:
    """Whether a signed body is the console's verification request (see the module).

    ``app_key`` is the decoded envelope's, or None when the envelope did not decode;
    ``decoded_whole`` says whether every hook decoded.
    """
    if app_key == PLACEHOLDER_APP_KEY:
        return True
    if decoded_whole and app_key is not None:
        return False
    tree = _parse(body)
    if tree is None:
        return not bytes(body.encode() if isinstance(body, str) else body).strip()
    if not isinstance(tree, dict):
        return False
    if not tree or tree.get("appKey") == PLACEHOLDER_APP_KEY:
        return True
    hooks = tree.get("hooks")
    return isinstance(hooks, list) and any(_has_placeholder(hook) for hook in hooks)


def _parse(body: Body) -> Any:
    try:
        return msgspec.json.decode(body if isinstance(body, (bytes, str)) else bytes(body))
    except (msgspec.DecodeError, RecursionError, UnicodeError):
        return None


def _has_placeholder(hook: object) -> bool:
    return isinstance(hook, dict) and any(
        isinstance(value, str) and value in PLACEHOLDERS for value in hook.values()
    )
