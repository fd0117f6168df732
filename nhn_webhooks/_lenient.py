"""Reading a body that does not parse whole, as the fast path's decoders read it.

A body may hold, under keys its class does not read, invalid UTF-8 or a number Python
cannot take (``1e400``): msgspec's decoders skip such values with a syntax check only,
so the fast path accepts the body, while a parse of the whole body to Python objects
fails. :func:`read_body` reads such a body key by key with decoders of each class's
keys (unknown keys skipped by msgspec, exactly as there), so the careful path applies
the same policy. :func:`located` finds where a number out of range sits with one
parse and one walk, linear in its size.

Imported by the careful path on first need: few bodies need it, and building its
decoders costs a few milliseconds that every import would otherwise pay. Python's
import lock builds them in one thread (msgspec can crash when threads build one
Struct's type information at once).
"""

from __future__ import annotations

import re
import sys
from typing import Any, NamedTuple

import msgspec

from ._careful import _ARRAY, _first_byte, _reason, _Unreadable
from ._errors import DecodeError
from ._models._base import Model, _nested_model, wire_plan
from ._models._registry import WEBHOOK_CLASSES

__all__ = ["PROBE", "leaf", "located", "raw_carries_template_code", "read_body"]


class _Probe(msgspec.Struct):
    """The keys that pick a body's classes, each as sent (``None`` when absent)."""

    product_name: msgspec.Raw = msgspec.field(name="productName", default=None)  # type: ignore[assignment]
    event: msgspec.Raw = None  # type: ignore[assignment]
    hooks: msgspec.Raw = None  # type: ignore[assignment]


class _TemplateProbe(msgspec.Struct):
    template_code: msgspec.Raw = msgspec.field(name="templateCode", default=None)  # type: ignore[assignment]


def raw_carries_template_code(hooks: msgspec.Raw | None) -> bool:
    """:func:`~._dispatch.carries_template_code` for ``hooks`` as sent, reading only
    that key of each hook."""
    if hooks is None or _first_byte(hooks) != b"[":
        return False
    return any(
        _first_byte(hook) == b"{" and _TEMPLATE_PROBE.decode(hook).template_code is not None
        for hook in _ARRAY.decode(hooks)
    )


class _Shape(NamedTuple):
    """How a model reads its JSON object: which keys, and the model under each."""

    decoder: msgspec.json.Decoder[Any]
    """Decodes the object to its keys' raw values (``None`` when absent), skipping every
    other key exactly as the model's own decoder does."""
    keys: tuple[str, ...]
    children: tuple[_Shape | None, ...]
    renames: dict[str, str]
    """Alias key -> documented key, read only when the documented key is absent or null
    (the alias rule of the careful path's ``_repair``)."""


def _shape(cls: type[Model]) -> _Shape:
    fields = msgspec.structs.fields(cls)
    keys = [info.encode_name for info in fields]
    children: list[_Shape | None] = []
    for info in fields:
        nested = _nested_model(info.type)
        children.append(None if nested is None else _shape(nested))
    renames = wire_plan(cls).renames
    for alias, documented in renames.items():
        keys.append(alias)
        children.append(children[keys.index(documented)])
    wire = msgspec.defstruct(
        f"{cls.__name__}Keys",
        [(f"k{index}", msgspec.Raw, None) for index in range(len(keys))],
        rename={f"k{index}": key for index, key in enumerate(keys)},
    )
    return _Shape(msgspec.json.Decoder(wire), tuple(keys), tuple(children), renames)


PROBE = msgspec.json.Decoder(_Probe)
"""Reads the keys that pick a body's classes."""
_TEMPLATE_PROBE = msgspec.json.Decoder(_TemplateProbe)
_SHAPES: dict[type[Model], _Shape] = {cls: _shape(cls) for cls in WEBHOOK_CLASSES}


def read_body(body: bytes | str, cls: type[Model]) -> dict[str, Any]:
    """The body as ``cls`` reads it; a hook holding a number out of range is unreadable."""
    shape = _SHAPES[cls]
    tree = _read_object(body, shape, "$", keep_raw="hooks")
    hooks = tree.get("hooks")
    if hooks is not None and _first_byte(hooks) == b"[":
        hook_shape = shape.children[shape.keys.index("hooks")]
        tree["hooks"] = [
            _read_hook(raw, hook_shape, f"$.hooks[{index}]")
            for index, raw in enumerate(_ARRAY.decode(hooks))
        ]
    elif hooks is not None:
        tree["hooks"] = leaf(hooks, "$.hooks")
    return tree


def _read_hook(raw: msgspec.Raw, shape: _Shape | None, path: str) -> Any:
    try:
        return _read(raw, shape, path)
    except DecodeError as exc:
        return _Unreadable(exc)


def _read(raw: msgspec.Raw, shape: _Shape | None, path: str) -> Any:
    """The value ``raw`` as read where a model of ``shape`` is expected (a leaf when
    ``shape`` is None): an object key by key, an array item by item, else whole."""
    first = _first_byte(raw) if shape is not None else b""
    if first == b"{":
        return _read_object(raw, shape, path)  # type: ignore[arg-type]
    if first == b"[":
        return [
            _read_object(item, shape, f"{path}[{index}]")  # type: ignore[arg-type]
            if _first_byte(item) == b"{"
            else leaf(item, f"{path}[{index}]")
            for index, item in enumerate(_ARRAY.decode(raw))
        ]
    return leaf(raw, path)


def _read_object(raw: Any, shape: _Shape, path: str, keep_raw: str = "") -> dict[str, Any]:
    """The keys ``shape`` reads from the object ``raw`` (the value of ``keep_raw`` left
    as sent); other keys are skipped unread."""
    values = msgspec.structs.astuple(shape.decoder.decode(raw))
    present = dict(zip(shape.keys, values, strict=True))
    read: dict[str, Any] = {}
    for position, (key, value) in enumerate(present.items()):
        if value is None:
            continue
        documented = shape.renames.get(key)
        if documented is not None and read.get(documented) is not None:
            continue  # the alias rule: the documented key is read, the alias ignored
        if key == keep_raw:
            read[key] = value
        else:
            read[key] = _read(value, shape.children[position], f"{path}.{key}")
    return read


def leaf(raw: msgspec.Raw, path: str) -> Any:
    """A value read whole, as a model reads a field that is not a model."""
    try:
        return msgspec.json.decode(raw)
    except msgspec.ValidationError as exc:
        raise located(raw, path, exc) from exc


def located(raw: msgspec.Raw, path: str, exc: msgspec.ValidationError) -> DecodeError:
    """The error for a value msgspec could not read, at the path of the number."""
    reason = _reason(exc)
    return DecodeError(_locate(raw, path, integers=reason.startswith("integer")), reason)


def _locate(raw: Any, path: str, integers: bool) -> str:
    """The JSON path of the first number in ``raw`` that Python cannot take (msgspec
    names object keys ``[...]``), from one parse and one walk: linear in ``raw``.

    A parse that reports every float (``float_hook``) marks those out of range where
    they are; when msgspec's error was an integer too long for Python (``integers``),
    such integers are first rewritten as an out-of-range float, to be marked too.
    """
    text = _long_integers().sub(b"1e999", bytes(raw)) if integers else raw
    try:
        tree = _MARKING.decode(text)
    except (msgspec.DecodeError, RecursionError):
        return path  # another fault first: the value as a whole is the place
    return path + _path_to_mark(tree)


def _long_integers() -> re.Pattern[bytes]:
    """Integer literals longer than Python reads (its limit can be changed at run time;
    a digit run inside a string may match too, harmlessly: a string is not a number)."""
    limit = sys.get_int_max_str_digits() or 10**9
    pattern = _LONG_INTEGERS.get(limit)
    if pattern is None:
        pattern = re.compile(rb"(?<![0-9.eE+-])-?[0-9]{%d,}(?![0-9.eE])" % (limit + 1))
        _LONG_INTEGERS[limit] = pattern
    return pattern


_LONG_INTEGERS: dict[int, re.Pattern[bytes]] = {}


class _Mark:
    """Stands in for a number out of range in :func:`_locate`'s parse."""


_MARK = _Mark()


def _mark_out_of_range(literal: str) -> Any:
    number = float(literal)
    return _MARK if number in (float("inf"), float("-inf")) else number


_MARKING = msgspec.json.Decoder(float_hook=_mark_out_of_range)


def _path_to_mark(tree: Any) -> str:
    """The path (below the root) of the first mark in document order, or ``""``."""
    stack: list[tuple[Any, Any]] = [(tree, None)]  # (value, (step, parent's link))
    while stack:
        value, link = stack.pop()
        if value is _MARK:
            steps: list[str] = []
            while link is not None:
                step, link = link
                steps.append(step)
            return "".join(reversed(steps))
        if isinstance(value, dict):
            items = [(item, (f".{key}", link)) for key, item in value.items()]
        elif isinstance(value, list):
            items = [(item, (f"[{index}]", link)) for index, item in enumerate(value)]
        else:
            continue
        stack.extend(reversed(items))
    return ""
