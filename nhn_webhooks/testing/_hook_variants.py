"""Distinct per-hook values: hook ``i`` of a built POST, made from its first hook.

NHN gives every recipient of one send its own hookId, sequence number, lookup link and
result timestamps; :func:`vary` does the same to a copy of the bundled sample's hook,
so a body built with ``hooks=3`` looks like one NHN would send.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import msgspec

from .._models._base import TIMESTAMP, Model
from .._models._timestamps import shift

__all__ = ["varied_timestamps", "vary"]

_SAME_PER_REQUEST = frozenset({"requestDate", "createDate"})
"""Timestamps every recipient of one send request shares."""

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

_COUNTRY_CODES = (
    *("1", "44", "63", "81", "84", "86", "852", "886", "65", "66"),
    *("60", "62", "91", "61", "33", "49", "7", "55", "52", "234"),
)


def _hook_id(base: Any, index: int) -> Any:
    """An id shaped like NHN's: send time (yyyyMMddHHmmss), then letters and digits."""
    if not isinstance(base, str):
        return base
    digest = hashlib.sha256(f"{base}/{index}".encode()).digest()
    tail = "".join(_ALNUM[byte % len(_ALNUM)] for byte in digest)[: max(len(base) - 14, 6)]
    try:
        sent = datetime.strptime(base[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return f"{base}-{index}"
    return (sent + timedelta(seconds=index)).strftime("%Y%m%d%H%M%S") + tail


def _add(value: Any, index: int) -> Any:
    """A sequence number ``index`` higher, as int or digit string like the original."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value + index
    if isinstance(value, str) and value.isdigit():
        return str(int(value) + index)
    return value


def _bump(value: Any, index: int) -> Any:
    """``01012341234`` -> ``01012341235``; ``ORDER_01`` -> ``ORDER_02``."""
    if not isinstance(value, str):
        return value
    digits = re.search(r"[0-9]+\Z", value)
    if digits is None:
        return f"{value}{index}"
    number = str(int(digits[0]) + index).zfill(len(digits[0]))
    return value[: digits.start()] + number


def _bump_address(value: Any, index: int) -> Any:
    if not isinstance(value, str) or "@" not in value:
        return _bump(value, index)
    local, _, domain = value.rpartition("@")
    return f"{_bump(local, index)}@{domain}"


def _next_country(value: Any, index: int) -> Any:
    start = _COUNTRY_CODES.index(value) if value in _COUNTRY_CODES else 0
    return _COUNTRY_CODES[(start + index) % len(_COUNTRY_CODES)]


_VARY: Mapping[str, Callable[[Any, int], Any]] = {
    "hookId": _hook_id,
    "recipientSeq": _add,
    "mailSeq": _add,
    "recipientNo": _bump,
    "receiveMailAddr": _bump_address,
    "templateCode": _bump,
    "kakaoTemplateCode": _bump,
    "countryCode": _next_country,
}


def varied_timestamps(hook: type[Model]) -> frozenset[str]:
    """The wire keys of ``hook``'s timestamps that differ per hook (results, not the
    send request's own times)."""
    return frozenset(f.wire for f in hook._model_fields if f.kind == TIMESTAMP) - _SAME_PER_REQUEST


def vary(first: dict[str, Any], index: int, timestamps: frozenset[str]) -> dict[str, Any]:
    """Hook ``index`` of a POST whose first hook is ``first``."""
    hook = msgspec.json.decode(msgspec.json.encode(first))  # a deep copy
    if index == 0:
        return hook  # type: ignore[no-any-return]
    for key, value in hook.items():
        if key in _VARY:
            hook[key] = _VARY[key](value, index)
        elif key in timestamps:
            hook[key] = shift(value, index)
    _relink(hook)
    return hook  # type: ignore[no-any-return]


def _relink(hook: dict[str, Any]) -> None:
    """Point the lookup link at this hook's message: its URL ends in the sequence."""
    seq = hook.get("recipientSeq", hook.get("mailSeq"))
    for key in ("_links", "_link"):
        link = hook.get(key)
        if seq is None or not isinstance(link, dict) or not isinstance(link.get("self"), dict):
            continue
        href = link["self"].get("href")
        if isinstance(href, str):
            link["self"]["href"] = re.sub(r"[0-9]+\Z", str(seq), href)
