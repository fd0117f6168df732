"""``nhn-webhooks decode``: one body shown as a handler reads it, or many summarised."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any, TextIO

from ._decode import decode
from ._errors import DecodeError
from ._model import Model
from ._outcome import Outcome
from ._progress import ProgressBar
from ._samples import sample_body

__all__ = ["normalized", "render", "run_decode"]


def run_decode(args: argparse.Namespace, source: IO[bytes], out: TextIO) -> int:
    """Decode the body (or, with ``--lines``, every line) read from ``source``."""
    if args.lines:
        return _decode_lines(source, args.json, out)
    body = sample_body(args.sample) if args.sample else source.read()
    try:
        webhook = decode(body)
    except DecodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        document = {"class": type(webhook).__name__, "webhook": normalized(webhook)}
        print(json.dumps(document, ensure_ascii=False), file=out)
    else:
        for line in render(webhook):
            print(line, file=out)
    return 0


def render(value: Any, indent: str = "") -> list[str]:
    """Lines showing a decoded model as a handler reads it (attribute: value)."""
    if not isinstance(value, Model):
        return [indent + _scalar(value)]
    lines = [indent + type(value).__name__]
    for name, field in _attributes(value):
        lines.extend(_render_field(name, field, indent + "  "))
    return lines


def normalized(value: Any) -> Any:
    """A decoded value as plain JSON data: attribute names, aware ISO 8601 timestamps."""
    if isinstance(value, Model):
        return {name: normalized(field) for name, field in _attributes(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
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
    if isinstance(value, Outcome):
        return value.value
    return repr(value)


# --- JSON lines ----------------------------------------------------------------------


def _decode_lines(source: IO[bytes], as_json: bool, out: TextIO) -> int:
    """Decode every non-blank line; report classes and failures; 1 if any failed."""
    classes: Counter[str] = Counter()
    failures: list[tuple[int, DecodeError]] = []
    with ProgressBar(_size(source), sys.stderr, "decoding") as bar:
        for number, line in enumerate(source, 1):
            bar.advance(len(line))
            if not line.strip():
                continue
            try:
                classes[type(decode(line)).__name__] += 1
            except DecodeError as exc:
                failures.append((number, exc))
    report = _json_report if as_json else _text_report
    for text in report(classes, failures):
        print(text, file=out)
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
    yield f"{decoded + len(failures)} bodies: {decoded} decoded, {len(failures)} failed"
    width = max((len(name) for name in classes), default=0)
    for name, count in _by_count(classes):
        yield f"  {name:<{width}}  {count}"
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
    yield json.dumps(document, ensure_ascii=False)


def _by_count(classes: Counter[str]) -> list[tuple[str, int]]:
    return sorted(classes.items(), key=lambda item: (-item[1], item[0]))
