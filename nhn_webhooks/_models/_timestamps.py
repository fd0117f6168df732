"""How NHN's timestamps become timezone-aware datetimes: every rule lives here.

NHN sends four shapes (its examples, collected on the Timestamps and quirks page,
``docs/quirks.md``):

=====================================  ===========================================
``2020-09-09T11:25:10.000+09:00``      offset kept as sent (also ``Z``, ``-05:00``)
``2024-04-29T20:58:02``                no offset: Korea time, UTC+09:00
``2022-05-01 00:00:00``                space instead of ``T``: same rule
``2023-06-01``                         a date alone: midnight, Korea time
=====================================  ===========================================

``null``, ``""`` or an absent optional timestamp is ``None``. Anything else is a
DecodeError naming the field.

Two stages keep ``decode()`` fast. msgspec parses RFC 3339 (the first three shapes)
in C while decoding, and the model stores what it parsed: an aware datetime, or a
naive one that *means* Korea time. The public attribute attaches the offset when it
is read (:func:`korea_time`), which costs far less than rewriting every hook at decode
time. Values msgspec cannot parse (a date alone, ``""``, other ISO 8601 forms) send the
body down the careful path, where :func:`parse` reads them; python-dateutil is
imported only then.

:func:`write` goes the other way, for ``encode()``: a stored value back in NHN's
format, chosen so that reading it again gives the same stored value. :func:`write_like`
and :func:`shift` serve the test builders: a value in the shape another timestamp was
sent in, and a timestamp some seconds later in its own shape.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

import msgspec

__all__ = ["KST", "korea_time", "parse", "shift", "write", "write_like"]

KST = timezone(timedelta(hours=9))
"""Korea Standard Time, UTC+09:00 (no daylight saving): what NHN means by a bare time."""

# korea_time() as arithmetic: one subtraction and one addition run in C and are
# several times faster than datetime.replace(tzinfo=...) on CPython 3.10/3.11.
_NAIVE_EPOCH = datetime(2000, 1, 1)
_KST_EPOCH = datetime(2000, 1, 1, tzinfo=KST)

KOREA_TIME_EXPR = "{v} if {v}.tzinfo is not None else _KST_EPOCH + ({v} - _NAIVE_EPOCH)"
"""The body of :func:`korea_time` as an expression, inlined into generated getters."""

KOREA_TIME_GLOBALS = {"_KST_EPOCH": _KST_EPOCH, "_NAIVE_EPOCH": _NAIVE_EPOCH}


def korea_time(value: datetime) -> datetime:
    """Return ``value`` with Korea time attached if it has no offset; else unchanged."""
    return value if value.tzinfo is not None else _KST_EPOCH + (value - _NAIVE_EPOCH)


def parse(text: str) -> datetime | None:
    """Read a timestamp the fast path could not: the careful path's parser.

    Returns ``None`` for ``""``, a naive datetime (meaning Korea time) when the text
    has no offset, an aware one when it has. Raises ``ValueError`` otherwise.
    """
    if text == "":
        return None
    sent = text
    if text[19:20] == ",":
        # ISO 8601's other decimal mark: read as ".", so a fraction rounds the same way
        # whichever mark was sent.
        text = f"{text[:19]}.{text[20:]}"
    try:
        # The same C parser the fast path uses, so both paths agree to the microsecond.
        return msgspec.convert(text, datetime)
    except msgspec.ValidationError:
        pass
    if not _starts_with_a_date(text):
        raise ValueError(_expected(sent))
    try:
        if len(text) == 10:
            return datetime(int(text[:4]), int(text[5:7]), int(text[8:10]))
        return _isoparse(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError(_expected(sent)) from exc


def _starts_with_a_date(text: str) -> bool:
    """``YYYY-MM-DD`` in ASCII digits at the start (no regex: import time is budgeted)."""
    digits = text[0:4] + text[5:7] + text[8:10]
    return (
        text[4:5] == text[7:8] == "-"
        and len(digits) == 8
        and digits.isdecimal()
        and digits.isascii()
    )


def _expected(text: str) -> str:
    shown = msgspec.json.encode(text if len(text) <= 40 else text[:37] + "...").decode()
    return f"expected a timestamp such as 2024-04-29T20:58:02, got {shown}"


def _isoparse(text: str) -> datetime:
    """Other ISO 8601 forms (no seconds, basic-format offsets, ...) via python-dateutil."""
    from dateutil.parser import isoparse  # deferred: only odd timestamps pay its import

    value: datetime = isoparse(text)
    offset = value.utcoffset()
    # dateutil attaches its own tzinfo classes; use the stdlib one msgspec uses too.
    return value if offset is None else value.replace(tzinfo=timezone(offset))


def write(value: datetime, separator: str = "T") -> str:
    """``value`` in NHN's format; :func:`parse` and msgspec read it back unchanged.

    An aware value is written as NHN's ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX``
    (``2020-09-09T11:25:10.000+09:00``, ``Z`` for UTC) with its own offset. A naive one
    (Korea time, sent without an offset) stays without one, as NHN's
    ``yyyy-MM-dd'T'HH:mm:ss``, or ``yyyy-MM-dd HH:mm:ss`` with ``separator=" "`` (the
    KakaoTalk Bizmessage examples). No value gains or loses an offset, and fractions
    of a second are kept to the microsecond: a naive value that became aware, or a
    rounded one, would no longer equal the value decoded from NHN's body. (An offset
    with seconds, which no NHN timestamp has, is written as the same instant in UTC.)
    """
    offset = value.utcoffset()
    if offset is not None and offset % _MINUTE:
        # RFC 3339 offsets are whole minutes; the same instant in UTC is exact.
        value, offset = value.astimezone(timezone.utc), _ZERO
    date = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    time = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if offset is None:
        return f"{date}{separator}{time}{_fraction(value.microsecond)}"
    return f"{date}T{time}{_fraction(value.microsecond) or '.000'}{_offset(offset)}"


_MINUTE = timedelta(minutes=1)
_ZERO = timedelta(0)


def _fraction(microsecond: int) -> str:
    """``.SSS`` when whole milliseconds (NHN's precision), else all six digits."""
    if microsecond % 1000:
        return f".{microsecond:06d}"
    return f".{microsecond // 1000:03d}" if microsecond else ""


def _offset(offset: timedelta) -> str:
    if not offset:
        return "Z"
    sign = "-" if offset < _ZERO else "+"
    minutes = abs(offset) // _MINUTE
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


# --- in the shape of another timestamp (for the test builders) ------------------------


@cache
def _shape() -> re.Pattern[str]:
    """NHN's shapes as one pattern, compiled on first use (decoding never needs it)."""
    return re.compile(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
        r"(?:(?P<sep>[T ])[0-9]{2}:[0-9]{2}:[0-9]{2}(?P<fraction>\.[0-9]+)?"
        r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?\Z"
    )


def write_like(value: datetime, like: object) -> str:
    """``value`` written in the shape of the timestamp ``like`` (NHN's shape there).

    A naive ``value`` means Korea time. Shapes without an offset get Korea time; a
    date alone keeps only the date unless that would drop a time of day.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=KST)
    shape = _shape().match(like) if isinstance(like, str) else None
    if shape is None:
        return aware.isoformat(timespec="milliseconds")
    timespec = "milliseconds" if shape["fraction"] else "seconds"
    if shape["zone"] == "Z":
        utc = aware.astimezone(timezone.utc).replace(tzinfo=None)
        return utc.isoformat(timespec=timespec) + "Z"
    if shape["zone"]:
        return aware.isoformat(timespec=timespec)
    korea = aware.astimezone(KST).replace(tzinfo=None)
    if shape["sep"]:
        return korea.isoformat(sep=shape["sep"], timespec=timespec)
    if korea.time() == datetime.min.time():
        return korea.date().isoformat()
    return korea.isoformat(timespec="seconds")


def shift(text: Any, seconds: int) -> Any:
    """The timestamp ``seconds`` later, in the same shape; a date alone stays."""
    if not isinstance(text, str) or seconds == 0:
        return text
    shape = _shape().match(text)
    if shape is None or shape["sep"] is None:
        return text
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return write_like(moment + timedelta(seconds=seconds), text)
