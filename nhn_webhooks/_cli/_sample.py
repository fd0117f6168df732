"""``nhn-webhooks sample``: a realistic body for PRODUCT and EVENT."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import msgspec

from ._bodies import add_webhook_arguments, build
from ._io import write_all

__all__ = ["add", "run"]


def add(commands: Any) -> None:
    """Register the ``sample`` command on the command line's subparsers."""
    command = commands.add_parser(
        "sample",
        help="print a realistic body",
        description="Print a realistic body for PRODUCT and EVENT (e.g. sms "
        "message-result-update, kakao template, email unsubscribe).",
    )
    add_webhook_arguments(command)
    command.add_argument(
        "--compact", action="store_true", help="one line, as NHN sends it (for JSON lines)"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the body, indented unless ``--compact``."""
    body = build(args.product, args.event, args.hooks, args.overrides)
    if not args.compact:
        body = msgspec.json.format(body, indent=2)
    write_all(sys.stdout.buffer, body + b"\n")
    return 0
