"""Every supported interpreter builds the same models and decodes the same values.

The models are built by a metaclass from the class bodies' annotations, which reach it
differently across versions (Python 3.14 evaluates them lazily: PEP 649/749). This
compares what the running interpreter builds and decodes with a snapshot taken on
Python 3.11 (tests/fixtures/interpreter-snapshot.json); .ci/run runs the suite on every
supported version. After a deliberate change to the models, write a new snapshot with
``python -m tests.e2e.test_interpreters`` and review its diff.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import msgspec
import pytest

import nhn_webhooks as nw
from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "interpreter-snapshot.json"


def _kind(obj: Any) -> str:
    if inspect.isclass(obj):
        return "class " + " ".join(base.__name__ for base in obj.__mro__)
    if get_origin(obj) in (Union, UnionType):  # one type from Python 3.14 on
        return "union " + " ".join(sorted(map(repr, get_args(obj))))
    return "function" if callable(obj) else type(obj).__name__


def _schema(cls: type[Any]) -> Any:
    """The JSON Schema of ``cls``, descriptions dedented (from 3.13 the compiler
    strips a docstring's indentation itself)."""

    def dedent(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: inspect.cleandoc(item) if key == "description" else dedent(item)
                for key, item in value.items()
            }
        return [dedent(item) for item in value] if isinstance(value, list) else value

    return _alternatives_in_one_order(
        dedent(json.loads(msgspec.json.encode(msgspec.json.schema(cls))))
    )


def _alternatives_in_one_order(value: Any) -> Any:
    """A schema with every ``anyOf`` sorted: msgspec 0.22 lists a union's members in
    another order than 0.20 and 0.21, and the order means nothing in JSON Schema."""
    if isinstance(value, list):
        return [_alternatives_in_one_order(item) for item in value]
    if not isinstance(value, dict):
        return value
    ordered = {key: _alternatives_in_one_order(item) for key, item in value.items()}
    if "anyOf" in ordered:
        ordered["anyOf"].sort(key=lambda member: json.dumps(member, sort_keys=True))
    return ordered


def snapshot() -> dict[str, Any]:
    """What this interpreter makes of the package: public names, schemas, decodes."""
    decoded = {}
    for name in SAMPLE_NAMES.values():
        webhook = nw.decode(sample_body(name))
        decoded[name] = {"repr": repr(webhook), "encoded": nw.encode(webhook).decode()}
    models = sorted(name for name in nw.__all__ if inspect.isclass(getattr(nw, name)))
    return {
        "public names": {name: _kind(getattr(nw, name)) for name in sorted(nw.__all__)},
        "model fields": {
            name: [
                [f.name, f.encode_name, f.required]
                for f in msgspec.structs.fields(getattr(nw, name))
            ]
            for name in models
            if issubclass(getattr(nw, name), msgspec.Struct)
        },
        "schema": {cls.__name__: _schema(cls) for cls in (*nw.WEBHOOK_CLASSES, nw.UnknownWebhook)},
        "decoded samples": decoded,
    }


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    found = dict(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
    return {**found, "schema": _alternatives_in_one_order(found["schema"])}


@pytest.mark.parametrize("part", ["public names", "model fields", "schema", "decoded samples"])
def test_this_interpreter_matches_the_snapshot(expected: dict[str, Any], part: str) -> None:
    assert snapshot()[part] == expected[part], f"differs on Python {sys.version.split()[0]}"


if __name__ == "__main__":
    SNAPSHOT.write_text(
        json.dumps(snapshot(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
