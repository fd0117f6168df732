"""Did the message reach the person? :class:`Outcome`, and NHN's code tables behind it.

The four result hooks (SMS and KakaoTalk Bizmessage ``MESSAGE_RESULT_UPDATE``, SMS
``INTERNATIONAL_DELIVERY_RECEIPT``, Email ``MESSAGE_RESULT_UPDATE``) each have an
``outcome`` property, decided when read from the fields NHN sent:

- SMS: ``messageStatus`` FAILED, CANCEL, DUPLICATED or FAILED_AD is failed, and
  RESERVED, SENDING or RESEND_AD pending, whatever ``resultCode`` says; otherwise
  (COMPLETED, which only means "send request completed") ``resultCode`` decides:
  ``"1000"`` delivered, another listed code failed, none yet pending.
- SMS international delivery report: ``dlrStatus`` (``errorCode`` is only the reason).
- KakaoTalk Bizmessage: ``resultCode``; ``"1000"`` delivered, 3005 (NHN: "success
  uncertain") uncertain, none yet pending.
- Email: ``mailStatusCode``; SST2 delivered (accepted by the recipient's server).

A code this version's tables do not list is :attr:`Outcome.UNKNOWN`: never guessed into
delivered or failed, never an exception. The tables are data, one module per product
(``_result_codes/_sms.py``, ``_kakao.py``, ``_email.py``), each table
declared once as a :class:`~nhn_webhooks._result_codes._table.Table`; each entry keeps
the NHN document and date it comes from. :func:`result_code` looks one code up.

``decode()`` does not import this module: a hook's ``outcome`` imports it when first
read, so the tables are built only by programs that ask for them. Importing it gives
each result hook class its ``outcome`` rule (:func:`_install_rules`).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import msgspec

from .._models._email import EmailMessageResultHook
from .._models._kakao import KakaoMessageResultHook
from .._models._sms import SmsDeliveryReceiptHook, SmsMessageResultHook
from . import _email, _kakao, _sms
from ._table import Row, Table

__all__ = [
    "DLR_OUTCOMES",
    "EMAIL_OUTCOMES",
    "KAKAO_OUTCOMES",
    "SMS_RESULT_OUTCOMES",
    "SMS_STATUS_OUTCOMES",
    "TABLES",
    "TABLE_FIELDS",
    "UNKNOWN",
    "Outcome",
    "ResultCode",
    "result_code",
    "result_codes",
]


class Outcome(str, Enum):
    """Whether a message reached the person, as far as NHN's codes tell.

    A ``str``: members compare equal to their lowercase values (``"delivered"``) and
    print as them, so they go straight into logs, JSON and metrics labels.

    - ``DELIVERED``: NHN reports it received (SMS: by the handset; KakaoTalk: by
      KakaoTalk; Email: accepted by the recipient's mail server).
    - ``FAILED``: NHN reports it will not arrive (including canceled and never sent).
    - ``PENDING``: no result yet; a later hook may bring one.
    - ``UNCERTAIN``: NHN itself says it cannot tell (KakaoTalk 3005 "success
      uncertain", and codes that say the result could not be found).
    - ``UNKNOWN``: a code this version's tables do not list (NHN added it later, or a
      retired code we have no meaning for); look at the raw code.
    """

    DELIVERED = "delivered"
    FAILED = "failed"
    PENDING = "pending"
    UNCERTAIN = "uncertain"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)


TABLES: tuple[Table, ...] = (
    *_sms.TABLES,
    *_kakao.TABLES,
    *_email.TABLES,
)
"""Every result-code table, each declared once in its product's data module."""

TABLE_FIELDS: dict[str, tuple[str, str]] = {t.name: (t.product, t.field) for t in TABLES}
"""Table name -> (NHN product, wire field the table's codes appear in)."""


class ResultCode(msgspec.Struct, frozen=True, kw_only=True):
    """One code of one table: what it means and which :class:`Outcome` it gives.

    >>> entry = nw.result_code("SMS", "3015")
    >>> entry.outcome, entry.final, entry.description_en
    (<Outcome.FAILED: 'failed'>, True, 'No delivery route')
    """

    table: str
    """The table's name, as :func:`result_code` lists them (``"SMS_DLR"``)."""
    field: str
    """The wire field the code appears in, e.g. ``"resultCode"``."""
    code: str | None
    """The code as sent; None for the entry that says what a missing code means."""
    outcome: Outcome
    """What the code says about the message (UNKNOWN for a code not in the table)."""
    final: bool | None
    """True if NHN says or clearly implies the value will not change for the message,
    False for an interim state, None when NHN does not say."""
    description_en: str
    """A short description in English (our wording)."""
    description_ko: str
    """A short description in Korean (our wording; NHN's Korean terms were the reference)."""
    source: str | None
    """The NHN document the entry comes from (repository, path, commit); None if unlisted."""
    source_date: str | None
    """The date of that document version (ISO 8601); None if unlisted."""
    retired: str | None = None
    """The date NHN removed the code from its table; None while NHN still lists it."""

    @property
    def listed(self) -> bool:
        """Whether the table lists the code (False means :attr:`Outcome.UNKNOWN`)."""
        return self.source is not None


def _entries(table: Table) -> dict[str | None, ResultCode]:
    groups: list[tuple[str, Row, str | None]] = [
        (key, row, None) for key, rows in table.rows.items() for row in rows
    ]
    groups += [(key, row[:5], row[5]) for key, rows in table.retired.items() for row in rows]
    if table.numbered:  # codes in number order (current first), statuses in NHN's order
        groups.sort(key=lambda group: (group[2] is not None, _number_order(group[1][0])))
    entries: dict[str | None, ResultCode] = {}
    for key, (code, outcome, final, english, korean), removed in groups:
        where, date = table.sources[key]
        entries[code] = ResultCode(
            table=table.name,
            field=table.field,
            code=code,
            outcome=Outcome(outcome),
            final=final,
            description_en=english,
            description_ko=korean,
            source=where,
            source_date=date,
            retired=removed,
        )
    return entries


def _number_order(code: str | None) -> tuple[int, str]:
    return (-1, "") if code is None else (len(code), code)


_TABLES: dict[str, dict[str | None, ResultCode]] = {t.name: _entries(t) for t in TABLES}
_TABLE_NAMES = {name.replace("_", ""): name for name in _TABLES}


def result_code(table: str, code: str | None) -> ResultCode:
    """Look ``code`` up in ``table``: its outcome, finality and descriptions.

    ``table`` names the field the code came from, in any case, with ``-`` or ``_``
    (``"sms"``, ``"sms-dlr"``):

    {tables}

    ``code`` is the value as sent; ``None`` (or ``""``) gives the entry for a missing
    code where the table has one (SMS and KakaoTalk ``resultCode``: pending). A code
    the table does not list gives an entry with :attr:`Outcome.UNKNOWN` and ``listed``
    False, never an exception. A table name that is not one of the above raises
    ``ValueError``.

    >>> nw.result_code("KAKAO", "3005").outcome
    <Outcome.UNCERTAIN: 'uncertain'>
    """
    name = _table_name(table)
    entries = _TABLES[name]
    found = entries.get(code or None)
    if found is not None:
        return found
    return ResultCode(
        table=name,
        field=TABLE_FIELDS[name][1],
        code=code,
        outcome=Outcome.UNKNOWN,
        final=None,
        description_en="Not in this version's table",
        description_ko="이 버전의 표에 없는 코드",
        source=None,
        source_date=None,
    )


def result_codes(table: str) -> tuple[ResultCode, ...]:
    """Every entry of ``table``: codes in number order (current ones, then retired ones),
    status values in NHN's order."""
    return tuple(_TABLES[_table_name(table)].values())


def _table_list(indent: str) -> str:
    """The tables as the docstring's list, read from their declarations."""
    lines = [f"- ``{t.name}``: {t.description};" for t in TABLES]
    return f"\n{indent}".join(lines)[:-1] + "."


result_code.__doc__ = (result_code.__doc__ or "").replace("{tables}", _table_list(" " * 4))


def _table_name(table: str) -> str:
    name = _TABLE_NAMES.get(table.upper().replace("-", "").replace("_", "").replace(" ", ""))
    if name is None:
        raise ValueError(f"unknown result code table {table!r}; tables: {', '.join(_TABLES)}")
    return name


def _outcomes(table: str) -> dict[str | None, Outcome]:
    outcomes = {code: entry.outcome for code, entry in _TABLES[table].items()}
    if None in outcomes:
        outcomes[""] = outcomes[None]  # an empty code is no code
    return outcomes


# What the hooks' ``outcome`` properties read: one or two dict lookups per read.

UNKNOWN = Outcome.UNKNOWN
"""A module constant: reading it costs less than the enum class attribute."""

SMS_STATUS_OUTCOMES: dict[str, Outcome] = {
    status: outcome
    for status, outcome in _outcomes("SMS_STATUS").items()
    if status is not None and status != "COMPLETED"
}
"""The SMS ``messageStatus`` values that decide alone; any other defers to ``resultCode``."""
SMS_RESULT_OUTCOMES = _outcomes("SMS")
"""SMS ``resultCode`` (None or ``""`` included) -> outcome."""
DLR_OUTCOMES = _outcomes("SMS_DLR")
"""SMS ``dlrStatus`` -> outcome."""
KAKAO_OUTCOMES = _outcomes("KAKAO")
"""KakaoTalk Bizmessage ``resultCode`` (None or ``""`` included) -> outcome."""
EMAIL_OUTCOMES = _outcomes("EMAIL")
"""Email ``mailStatusCode`` -> outcome."""


# --- the result hooks' ``outcome`` -------------------------------------------------------


def _sms_result(hook: SmsMessageResultHook) -> Outcome:
    return SMS_STATUS_OUTCOMES.get(hook.message_status) or SMS_RESULT_OUTCOMES.get(
        hook.result_code, UNKNOWN
    )


def _sms_delivery_receipt(hook: SmsDeliveryReceiptHook) -> Outcome:
    return DLR_OUTCOMES.get(hook.dlr_status, UNKNOWN)


def _kakao_result(hook: KakaoMessageResultHook) -> Outcome:
    return KAKAO_OUTCOMES.get(hook.result_code, UNKNOWN)


def _email_result(hook: EmailMessageResultHook) -> Outcome:
    return EMAIL_OUTCOMES.get(hook.mail_status_code, UNKNOWN)


def _install_rules() -> None:
    """Replace each result hook's ``outcome`` (which imports this module) with its rule,
    keeping the docstring the class declares."""
    rules: tuple[tuple[Any, Any], ...] = (
        (SmsMessageResultHook, _sms_result),
        (SmsDeliveryReceiptHook, _sms_delivery_receipt),
        (KakaoMessageResultHook, _kakao_result),
        (EmailMessageResultHook, _email_result),
    )
    for cls, rule in rules:
        rule.__qualname__ = f"{cls.__qualname__}.outcome"
        cls.outcome = property(rule, doc=cls.__dict__["outcome"].__doc__)


_install_rules()
