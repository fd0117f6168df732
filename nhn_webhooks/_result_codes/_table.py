"""How a result-code table is declared: one :class:`Table` per wire field NHN fills with codes.

A data module per product (``_sms.py``, ``_kakao.py``,
``_email.py`` in this folder) declares its tables here, once each: the name users pass to
:func:`nhn_webhooks.result_code`, the product and wire field, a one-line description,
the NHN documents it comes from and its rows. Everything else reads the declaration:
the lookups and hook outcomes (``_outcome``), the docstring of ``result_code``, the
``code`` command's help, the hypothesis strategies and ``docs/gen_result_codes.py``.

Rows are grouped under the key of the NHN source they come from (``sources``: where,
and the date of that version). Each row is ``(code, outcome, final, English, Korean)``;
retired rows add the date NHN removed the code from its table. ``outcome`` is an
:class:`~nhn_webhooks.Outcome` value; ``final`` is True when NHN says or clearly
implies the value will not change, False for an interim state, None when NHN does not
say. The English and Korean texts are ours; NHN's Korean terms were the reference. A
code NHN reassigned has today's meaning; the data module's ``CHANGED`` lists the
earlier meanings for readers of archived webhooks.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["RetiredRow", "RetiredRows", "Row", "Rows", "Sources", "Table"]

Row = tuple[str | None, str, bool | None, str, str]
RetiredRow = tuple[str, str, bool | None, str, str, str]
Rows = tuple[Row, ...]
RetiredRows = tuple[RetiredRow, ...]
Sources = dict[str, tuple[str, str]]


class Table(NamedTuple):
    """One result-code table, declared once."""

    name: str
    """What :func:`nhn_webhooks.result_code` takes: ``"SMS_DLR"`` (also ``"sms-dlr"``)."""
    product: str
    """The NHN product whose hooks carry the codes (a webhook's ``PRODUCT_NAME``)."""
    field: str
    """The wire field the codes appear in, e.g. ``"resultCode"``."""
    description: str
    """One line for docstrings and help: which field, and which NHN table it is."""
    title: str
    """The heading of the table on the Result codes page."""
    sources: Sources
    """Source key -> (NHN document, the date of that version)."""
    rows: dict[str, Rows]
    """Source key -> the codes NHN lists there today."""
    retired: dict[str, RetiredRows] = {}  # noqa: RUF012 - read only, never mutated
    """Source key -> codes NHN removed from its table, with the removal date."""
    numbered: bool = True
    """Codes listed in number order; False keeps NHN's order (status names)."""
    enum: str | None = None
    """The name of the :class:`~nhn_webhooks.Code` enum of the same field, if any: its
    members are exactly the table's codes (``tests/models/test_values.py`` checks)."""
