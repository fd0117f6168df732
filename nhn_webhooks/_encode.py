"""encode(): a decoded webhook back to the bytes of an NHN POST body.

The contract is ``decode(encode(webhook)) == webhook``, exactly, so a webhook can be
queued, archived or handed to another process and read back as the same object. The
models keep what NHN sent (see ``_models._base``), and equality compares those stored values,
so encode writes them back the way NHN writes them rather than normalising them:

- keys under NHN's documented wire names (``recipientSeq``, ``_links``); a value NHN
  sent under an undocumented spelling (``recipientGropuingKey``, ``_link``,
  ``senderGroupKey``) stays under that spelling, because moving it would make a
  different object (the documented slot would hold it) and lose what was sent;
- timestamps in NHN's formats (``_timestamps.write``): offset kept when there was one,
  none added when there was not, so Korea-time values stay Korea time;
- integers as they came: ``1``, or the digit string ``"0"`` NHN's Email example sends
  (``"007"`` read as ``7`` and written as ``7`` would not decode to the same value);
- absent and ``null`` optional fields left out, as NHN leaves them out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ._models._base import WirePlan, wire_plan
from ._models._envelope import ENVELOPE_KEYS, UnknownWebhook
from ._models._registry import WEBHOOK_CLASSES, Webhook
from ._models._timestamps import write

__all__ = ["encode"]

_ENCODABLE = frozenset(WEBHOOK_CLASSES)

_ENCODER = msgspec.json.Encoder()


def encode(webhook: Webhook) -> bytes:
    """The JSON body NHN would POST for ``webhook``: ``decode(encode(w)) == w``.

    Keys carry NHN's wire names, timestamps NHN's formats
    (``2020-09-09T11:25:10.000+09:00`` when NHN sent an offset; ``2024-04-29T20:58:02``,
    or ``2023-06-01 09:30:00`` for KakaoTalk Bizmessage, when it did not), and values
    stay as NHN sent them, misspelled keys and digit-string integers included, so the
    bytes decode to an equal webhook. Use it to queue or archive a decoded webhook;
    to keep the request itself for audit, store the raw body you received.

    >>> queue.put(nw.encode(webhook))
    >>> nw.decode(queue.get()) == webhook
    True

    Raises ``TypeError`` for anything but a webhook :func:`decode` returns.
    """
    cls = type(webhook)
    if isinstance(webhook, UnknownWebhook):
        return _encode_unknown(webhook)
    if cls not in _ENCODABLE:
        raise TypeError(f"encode() takes a webhook returned by decode(), not {cls.__name__}")
    wire = msgspec.to_builtins(webhook, builtin_types=(datetime,))
    _write_timestamps(wire, wire_plan(cls), webhook._timestamp_separator)
    return _ENCODER.encode(wire)


def _encode_unknown(webhook: UnknownWebhook) -> bytes:
    """The envelope, then every other top-level key the body carried (``extra``).

    Hooks are plain JSON values with no timestamps to rewrite; encoding the struct
    itself also needs no deeper stack than decoding it did.
    """
    if not webhook.extra:
        return _ENCODER.encode(webhook)
    plain = msgspec.structs.replace(webhook, extra={})
    envelope = _ENCODER.encode(plain)
    rest = {key: value for key, value in webhook.extra.items() if key not in ENVELOPE_KEYS}
    if not rest:
        return envelope
    return envelope[:-1] + b"," + _ENCODER.encode(rest)[1:]


def _write_timestamps(wire: dict[str, Any], plan: WirePlan, separator: str) -> None:
    """Replace, in place, each datetime the plan locates by its text in NHN's format."""
    for key in plan.timestamps:
        value = wire.get(key)
        if isinstance(value, datetime):
            wire[key] = write(value, separator)
    for key, child in plan.children.items():
        value = wire.get(key)
        if isinstance(value, dict):
            _write_timestamps(value, child, separator)
        elif isinstance(value, list):
            for item in value:
                _write_timestamps(item, child, separator)
