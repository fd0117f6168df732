"""``nhn-webhooks schema``: the JSON Schema of every body, or of one PRODUCT EVENT."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

import msgspec

from .._models._quirks import DIGITS
from .._models._registry import WEBHOOK_CLASSES
from ._names import webhook_class

__all__ = ["add", "run"]


def add(commands: Any) -> None:
    """Register the ``schema`` command on the command line's subparsers."""
    command = commands.add_parser(
        "schema",
        help="print the JSON Schema of the bodies",
        description="Print the JSON Schema (2020-12) of every webhook body, or of one "
        "PRODUCT EVENT.",
    )
    command.add_argument("product", nargs="?", metavar="PRODUCT", help="sms, kakao or email")
    command.add_argument("event", nargs="?", metavar="EVENT", help="e.g. message-result-update")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema as indented JSON."""
    if args.product:
        schema = msgspec.json.schema(webhook_class(args.product, args.event))
    else:
        refs, definitions = msgspec.json.schema_components(WEBHOOK_CLASSES)
        schema = {"anyOf": list(refs), "$defs": definitions}
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    print(json.dumps(_portable_patterns(document), indent=2, ensure_ascii=False))
    return 0


_DIGITS_ECMA = "^" + re.sub(r"\\A|\\Z", "", DIGITS) + "$"


def _portable_patterns(node: Any) -> Any:
    """JSON Schema patterns are ECMA-262 regexes: ``\\A``/``\\Z`` become ``^``/``$``."""
    if isinstance(node, dict):
        return {
            key: _DIGITS_ECMA if key == "pattern" and value == DIGITS else _portable_patterns(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_portable_patterns(item) for item in node]
    return node
