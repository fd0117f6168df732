"""DecodeError messages from msgspec's validation errors: the JSON path, and the value
that was there.

msgspec says ``Expected `int`, got `str` - at `$.hooks[0].recipientSeq```; handlers
read ``$.hooks[0].recipientSeq: expected int, got "abc"``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ._errors import DecodeError, shorten
from ._models._quirks import DIGITS

__all__ = ["describe", "invalid"]

_AT = " - at `"
_MISSING = "Object missing required field `"
_EXPECTED = "Expected `"
_GOT = "`, got `"
_DIGIT_PATTERN = f"Expected `str` matching regex {DIGITS!r}"


def invalid(exc: msgspec.ValidationError, tree: Any, root: str = "$") -> DecodeError:
    """Our DecodeError for one of msgspec's validation messages, with the value seen.

    ``tree`` is the object msgspec validated, found at JSON path ``root`` of the body.
    msgspec's messages read ``<reason> - at `$.path```; the reasons rewritten here are
    the ones it documents (missing field, wrong type, constraint).
    """
    reason, at, local = str(exc).rpartition(_AT)
    if not at or not local.endswith("`"):
        reason, local = str(exc), "$`"
    local = local[:-1]
    path = root + local[1:]
    if reason.startswith(_MISSING):
        return DecodeError(f"{path}.{reason[len(_MISSING) : -1]}", "missing required field")
    if reason == _DIGIT_PATTERN:
        wanted, got = "int", "str"
    elif reason.startswith(_EXPECTED) and _GOT in reason:
        wanted, _, got = reason[len(_EXPECTED) : -1].partition(_GOT)
        wanted = wanted.replace("int | str", "int")
    else:
        return DecodeError(path, reason[:1].lower() + reason[1:].replace("`", ""))
    found, value = _value_at(tree, local)
    return DecodeError(path, f"expected {wanted}, got {describe(value) if found else got}")


def _value_at(tree: Any, path: str) -> tuple[bool, Any]:
    """The value at a msgspec JSON path (``$.hooks[0].x``), if it can be found."""
    value = tree
    for step in path[1:].replace("[", ".[").split("."):
        if not step:
            continue
        try:
            value = value[int(step[1:-1])] if step[0] == "[" else value[step]
        except (KeyError, IndexError, TypeError, ValueError):
            return False, None
    return True, value


def describe(value: Any) -> str:
    """A short, log-safe rendering of a JSON value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return shorten(msgspec.json.encode(value).decode())
