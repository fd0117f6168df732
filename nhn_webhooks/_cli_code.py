"""``nhn-webhooks code``: what a result code means, from the tables behind ``hook.outcome``."""

from __future__ import annotations

import argparse
import json
from typing import Any

import msgspec

from ._outcome import TABLE_FIELDS, ResultCode, result_code, result_codes

__all__ = ["add_code"]

_TABLE_CHOICES = [name.lower().replace("_", "-") for name in TABLE_FIELDS]


def add_code(commands: Any) -> None:
    """Register the ``code`` command on the command line's subparsers."""
    command = commands.add_parser(
        "code",
        help="look a result code up: outcome, finality, meaning",
        description="Show what CODE means in TABLE: the outcome it gives, whether NHN "
        "marks it final, a description in English and Korean, and the NHN document it "
        "comes from. Without CODE, list the whole table. Exit code 1 if CODE is not in "
        "the table. Tables: "
        + ", ".join(
            f"{name} ({field})"
            for name, (_, field) in zip(_TABLE_CHOICES, TABLE_FIELDS.values(), strict=True)
        )
        + ".",
    )
    command.add_argument("table", metavar="TABLE", type=_table, help=", ".join(_TABLE_CHOICES))
    command.add_argument("code", nargs="?", metavar="CODE", help="e.g. 3015, SST2, DELIVERED")
    command.add_argument("--json", action="store_true", help="print JSON instead of text")
    command.set_defaults(run=run_code)


def run_code(args: argparse.Namespace) -> int:
    """Print one entry (or the whole table); 1 if the code is not listed."""
    if args.code is None:
        entries = result_codes(args.table)
        if args.json:
            print(json.dumps(msgspec.to_builtins(entries), ensure_ascii=False))
        else:
            for entry in entries:
                print(_row(entry))
        return 0
    entry = result_code(args.table, args.code)
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


def _details(entry: ResultCode) -> list[str]:
    product, field = TABLE_FIELDS[entry.table]
    head = f"{product} {field} {_code(entry)}: {entry.outcome}{_finality(entry)}"
    if not entry.listed:
        return [f"{head}: not in this version's table"]
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
    return "(none)" if entry.code is None else entry.code


def _finality(entry: ResultCode) -> str:
    return {True: " (final)", False: " (not final)", None: ""}[entry.final]
