"""``nhn-webhooks code``: what a result code means, from the tables behind ``hook.outcome``."""

from __future__ import annotations

import argparse
import difflib
import json
from typing import Any

import msgspec

from .._errors import log_safe
from .._result_codes._outcome import TABLE_FIELDS, Outcome, ResultCode, result_code, result_codes

__all__ = ["add", "run"]

_TABLE_CHOICES = [name.lower().replace("_", "-") for name in TABLE_FIELDS]


def add(commands: Any) -> None:
    """Register the ``code`` command on the command line's subparsers."""
    command = commands.add_parser(
        "code",
        help="look a result code up: outcome, finality, meaning",
        description="Show what CODE means in TABLE: the outcome it gives, whether NHN "
        "marks it final, a description in English and Korean, and the NHN document it "
        "comes from. Without CODE, list the whole table. CODE matches ignoring case; one "
        "not in the table exits 1, with the code a typo was closest to. Tables: "
        + ", ".join(
            f"{name} ({field})"
            for name, (_, field) in zip(_TABLE_CHOICES, TABLE_FIELDS.values(), strict=True)
        )
        + ".",
    )
    command.add_argument("table", metavar="TABLE", type=_table, help=", ".join(_TABLE_CHOICES))
    command.add_argument("code", nargs="?", metavar="CODE", help="e.g. 3015, SST2, DELIVERED")
    command.add_argument("--json", action="store_true", help="print JSON instead of text")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print one entry (or the whole table); 1 if the code is not listed."""
    if args.code is None:
        entries = result_codes(args.table)
        if args.json:
            print(json.dumps(msgspec.to_builtins(entries), ensure_ascii=False))
        else:
            for entry in entries:
                print(_row(entry))
        return 0
    entry = _look_up(args.table, args.code)
    if args.json:
        print(json.dumps(msgspec.to_builtins(entry), ensure_ascii=False))
    else:
        for line in _details(entry):
            print(line)
    return 0 if entry.listed else 1


def _table(text: str) -> str:
    try:
        return result_codes(text)[0].table
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown table {text!r}; tables: {', '.join(_TABLE_CHOICES)}"
        ) from None


def _look_up(table: str, code: str) -> ResultCode:
    """The entry for ``code`` as typed: exactly, else ignoring case. No table lists two
    codes that differ only in case (tests/cli/test_code.py checks), so ``sst2`` can
    only mean ``SST2``."""
    entry = result_code(table, code)
    if entry.listed:
        return entry
    folded = code.casefold()
    return next((e for e in result_codes(table) if (e.code or "").casefold() == folded), entry)


def _details(entry: ResultCode) -> list[str]:
    product, field = TABLE_FIELDS[entry.table]
    head = f"{product} {field} {_code(entry)}: {_verdict(entry)}"
    if not entry.listed:
        return [f"{head}: not in this version's table{_did_you_mean(entry)}"]
    lines = [head, f"  {entry.description_en}", f"  {entry.description_ko}"]
    if entry.retired:
        lines.append(f"  retired: NHN removed it from its table on {entry.retired}")
    lines.append(f"  source: {entry.source} ({entry.source_date})")
    return lines


def _row(entry: ResultCode) -> str:
    retired = f" (retired {entry.retired})" if entry.retired else ""
    final = {True: "final", False: "not final", None: "-"}[entry.final]
    return f"{_code(entry):<9} {entry.outcome!s:<9} {final:<9} {entry.description_en}{retired}"


def _code(entry: ResultCode) -> str:
    # An unlisted code is echoed as typed: escaped, like every error line.
    return "(none)" if entry.code is None else log_safe(entry.code)


def _verdict(entry: ResultCode) -> str:
    """The outcome, and whether NHN may still change the code.

    A final code that leaves the outcome pending (SMS ``messageStatus`` COMPLETED, which
    hands the decision to ``resultCode``) says so in words: "pending (final)" would
    read as a contradiction.
    """
    decider = _DECIDED_BY.get(entry.table)
    if entry.final and entry.outcome is Outcome.PENDING and decider:
        return f"pending until {decider} arrives (this {entry.field} is final)"
    finality = {True: " (final)", False: " (not final)", None: ""}[entry.final]
    return f"{entry.outcome}{finality}"


_DECIDED_BY = {"SMS_STATUS": TABLE_FIELDS["SMS"][1]}
"""Tables whose final values can leave the outcome to another field, and that field."""


def _did_you_mean(entry: ResultCode) -> str:
    """``; did you mean SST2?`` when one listed code is closer to ``entry.code`` than any
    other (a typo); nothing when several are as close (``SST6`` may be a new code)."""
    typed = (entry.code or "").upper()
    scores = sorted(
        ((difflib.SequenceMatcher(None, typed, code.upper()).ratio(), code)
         for code in (listed.code for listed in result_codes(entry.table)) if code),
        reverse=True,
    )  # fmt: skip
    if not scores or scores[0][0] < 0.6 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return ""
    return f"; did you mean {scores[0][1]}?"
