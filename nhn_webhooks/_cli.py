"""The ``nhn-webhooks`` command line: try a body before NHN ever sends one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from ._decode import decode
from ._errors import DecodeError
from ._model import Model
from ._samples import SAMPLE_NAMES, sample_body

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    return int(args.run(args, sys.stdout))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nhn-webhooks",
        description="Decode and inspect NHN Cloud Notification webhook bodies.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    decode_cmd = commands.add_parser("decode", help="decode a body and show the typed result")
    source = decode_cmd.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="file holding the body, or - for stdin")
    source.add_argument(
        "--sample",
        choices=sorted(SAMPLE_NAMES.values()),
        help="decode one of the bundled sample bodies",
    )
    decode_cmd.set_defaults(run=_run_decode)
    return parser


def _run_decode(args: argparse.Namespace, out: TextIO) -> int:
    if args.sample:
        body = sample_body(args.sample)
    elif args.file == "-":
        body = sys.stdin.buffer.read()
    else:
        with open(args.file, "rb") as handle:
            body = handle.read()
    try:
        webhook = decode(body)
    except DecodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in render(webhook):
        print(line, file=out)
    return 0


def render(value: Any, indent: str = "") -> list[str]:
    """Lines showing a decoded model as a handler reads it (attribute: value)."""
    if not isinstance(value, Model):
        return [indent + _scalar(value)]
    lines = [indent + type(value).__name__]
    for name, field in value.__rich_repr__():
        lines.extend(_render_field(name, field, indent + "  "))
    return lines


def _render_field(name: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, Model):
        head, *rest = render(value, indent)
        return [f"{indent}{name}: {head.strip()}", *rest]
    if isinstance(value, list) and any(isinstance(item, Model) for item in value):
        lines = []
        for index, item in enumerate(value):
            lines.extend(_render_field(f"{name}[{index}]", item, indent))
        return lines
    return [f"{indent}{name}: {_scalar(value)}"]


def _scalar(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value)
