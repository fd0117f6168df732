"""``nhn-webhooks decode``: one body shown as a handler reads it, or many summarised."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from .._decode import decode
from .._errors import DecodeError
from .._models._base import Model
from .._models._samples import sample_body
from .._result_codes._outcome import Outcome
from ._io import UsageError, json_line, open_input, read_all, read_lines, source_name
from ._names import sample_name
from ._progress import ProgressBar

__all__ = ["add", "run"]


def add(commands: Any) -> None:
    """Register the ``decode`` command on the command line's subparsers."""
    command = commands.add_parser(
        "decode",
        help="decode a body and show the typed result",
        description="Decode a webhook body and show it as a handler reads it. Exit code "
        "1, with one line naming the JSON path, if it does not decode.",
    )
    command.add_argument("file", nargs="?", help="file holding the body; - or absent for stdin")
    command.add_argument(
        "--sample",
        type=sample_name,
        metavar="NAME",
        help="decode a bundled sample body (sms-message-result-update, or as PRODUCT "
        "EVENT: 'sms message-result-update')",
    )
    command.add_argument(
        "--lines",
        action="store_true",
        help="the input holds one body per line (JSON lines): print a summary of classes "
        "and failures",
    )
    command.add_argument("--json", action="store_true", help="print JSON instead of text")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Decode the body of FILE, stdin or ``--sample`` (with ``--lines``, every line of
    FILE or stdin); 1 if it does not decode."""
    if args.sample and args.file:
        raise UsageError("give a FILE or --sample, not both")
    if args.sample and args.lines:
        raise UsageError("--lines reads a FILE or stdin, not --sample")
    if args.sample:
        return _show(sample_body(args.sample), args.json)
    with open_input(args.file) as source:
        if args.lines:
            return _decode_lines(source, args.json)
        body = read_all(source)
        if not body.strip():  # msgspec would call it "truncated", which hides the cause
            print(
                f"error: empty body: nothing but whitespace in {source_name(source)}",
                file=sys.stderr,
            )
            return 1
    return _show(body, args.json)


def _show(body: bytes, as_json: bool) -> int:
    """Decode ``body`` and print the result; 1, with the error on stderr, if it fails."""
    try:
        webhook = decode(body)
    except DecodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if as_json:
        document = {"class": type(webhook).__name__, "webhook": _normalized(webhook)}
        try:
            text = json_line(document)
        except RecursionError:  # json's encoder recurses; decode() accepted deeper
            print("error: the body is nested too deeply to print as JSON", file=sys.stderr)
            return 1
        print(text)
    else:
        for line in _render(webhook):
            print(line)
    return 0


def _render(value: Any, indent: str = "") -> list[str]:
    """Lines showing a decoded model as a handler reads it (attribute: value)."""
    if not isinstance(value, Model):
        return [indent + _scalar(value)]
    lines = [indent + type(value).__name__]
    for name, field in _attributes(value):
        lines.extend(_render_field(name, field, indent + "  "))
    return lines


def _normalized(value: Any) -> Any:
    """A decoded value as plain JSON data: attribute names, aware ISO 8601 timestamps.

    Models and timestamps sit only in a model's attributes and in lists of models;
    anything else (an unknown event's hooks) is JSON data already and is returned as
    it is, however deeply it nests.
    """
    if isinstance(value, Model):
        return {name: _normalized(field) for name, field in _attributes(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list) and any(isinstance(item, (Model, datetime)) for item in value):
        return [_normalized(item) for item in value]
    return value


def _attributes(model: Model) -> list[tuple[str, Any]]:
    """The public attributes, then ``outcome`` on a result hook (computed, not sent)."""
    shown = model.__rich_repr__()
    outcome = getattr(model, "outcome", None)
    if isinstance(outcome, Outcome):
        shown.append(("outcome", outcome))
    return shown


def _render_field(name: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, Model):
        head, *rest = _render(value, indent)
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
    if isinstance(value, Outcome):
        return value.value
    return repr(value)


# --- JSON lines ----------------------------------------------------------------------


def _decode_lines(source: IO[bytes], as_json: bool) -> int:
    """Decode every non-blank line; report classes and failures; 1 if any failed."""
    classes: Counter[str] = Counter()
    failures: list[tuple[int, DecodeError]] = []
    first = b""
    with ProgressBar(_size(source), sys.stderr, "decoding") as bar:
        for number, line in enumerate(read_lines(source), 1):
            if not line.strip():
                bar.advance(len(line), items=0)  # a blank line is not a body
                continue
            bar.advance(len(line))
            first = first or line.strip()
            try:
                classes[type(decode(line)).__name__] += 1
            except DecodeError as exc:
                failures.append((number, exc))
    if not classes and first in (b"{", b"["):
        # One pretty-printed body: every line fails, and listing each failure would
        # hide the one thing to change.
        print(
            f'error: line {failures[0][0]} is a lone "{first.decode()}", as a '
            "pretty-printed body starts, but --lines reads one body per line; to decode "
            "one body, drop --lines",
            file=sys.stderr,
        )
        return 1
    report = _json_report if as_json else _text_report
    for text in report(classes, failures):
        print(text)
    return 1 if failures else 0


def _size(source: IO[bytes]) -> int:
    """Bytes left to read in a regular file; 0 when unknown (a pipe, a terminal)."""
    try:
        status = os.fstat(source.fileno())
        return max(status.st_size - source.tell(), 0) if stat.S_ISREG(status.st_mode) else 0
    except (OSError, ValueError):
        return 0


def _text_report(classes: Counter[str], failures: list[tuple[int, DecodeError]]) -> Iterable[str]:
    decoded = sum(classes.values())
    bodies = decoded + len(failures)
    noun = "body" if bodies == 1 else "bodies"
    yield f"{bodies:,} {noun}: {decoded:,} decoded, {len(failures):,} failed"
    width = max((len(name) for name in classes), default=0)
    for name, count in _by_count(classes):
        yield f"  {name:<{width}}  {count:,}"
    for number, error in failures:
        yield f"line {number}: {error}"


def _json_report(classes: Counter[str], failures: list[tuple[int, DecodeError]]) -> Iterable[str]:
    decoded = sum(classes.values())
    document = {
        "bodies": decoded + len(failures),
        "decoded": decoded,
        "failed": len(failures),
        "classes": dict(_by_count(classes)),
        "failures": [
            {"line": number, "path": error.path, "reason": error.reason}
            for number, error in failures
        ],
    }
    yield json_line(document)


def _by_count(classes: Counter[str]) -> list[tuple[str, int]]:
    return sorted(classes.items(), key=lambda item: (-item[1], item[0]))
