"""Edits that turn a valid body into one NHN did not quite send (``mutated_bodies``).

Values replaced by any JSON (numbers out of range, line and direction controls in
text), keys dropped, added or sent twice, and alias spellings set beside their
documented key. The body is rendered by hand so that a key can appear twice and a
number literal can be one Python cannot hold.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from hypothesis import strategies as st

from .._models._base import Model
from .._models._registry import WEBHOOK_CLASSES

__all__ = ["mutated"]


class _Pairs(NamedTuple):
    """A JSON object written key by key, so a key can appear twice."""

    items: list[tuple[str, Any]]


class _Number(str):
    """Number text written as is (``1e400``): valid JSON Python cannot hold."""


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "0", "2023-06-01", "yesterday", "a\u2028b\u0085c\u202ed"])
    | st.sampled_from([_Number("1e400"), _Number("-1e999"), _Number("9" * 4400)])
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn, trees: st.SearchStrategy[dict[str, Any]]) -> bytes:
    """A tree from ``trees`` after one to four edits, rendered as JSON bytes."""
    tree: Any = draw(trees)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if isinstance(tree, dict) and tree.get("hooks") and draw(st.integers(0, 3)):
            tree["hooks"] = _mutate(draw, tree["hooks"])  # most edits inside the hooks
        else:
            tree = _mutate(draw, tree)
    return _render(tree, draw(st.booleans())).encode("utf-8", "surrogatepass")


def _mutate(data: Any, node: Any) -> Any:
    """``node`` with one edit somewhere at or below it (``data`` draws)."""
    if isinstance(node, _Pairs):
        index = data(st.integers(min_value=0, max_value=len(node.items) - 1))
        key, value = node.items[index]
        node.items[index] = (key, _mutate(data, value))
        return node
    if isinstance(node, dict) and node:
        key = data(st.sampled_from(sorted(node)))
        action = data(
            st.sampled_from(["descend", "descend", "replace", "drop", "add", "twice", "alias"])
        )
        if action == "descend":
            node[key] = _mutate(data, node[key])
        elif action == "replace":
            node[key] = data(_JSON)
        elif action == "drop":
            del node[key]
        elif action == "add":
            node[data(st.text(max_size=10))] = data(_JSON)
        elif action == "twice":
            return _twice(data, node, key)
        else:
            _alias_edit(data, node)
        return node
    if isinstance(node, list) and node and data(st.integers(0, 3)):
        index = data(st.integers(min_value=0, max_value=len(node) - 1))
        node[index] = _mutate(data, node[index])
        return node
    return data(_JSON)


def _twice(data: Any, node: dict[str, Any], key: str) -> _Pairs:
    """``key`` sent twice: the other value before the real one, or after it."""
    pairs = list(node.items())
    index = [name for name, _ in pairs].index(key)
    pairs.insert(index + data(st.sampled_from([0, 1])), (key, data(_JSON)))
    return _Pairs(pairs)


def _alias_edit(data: Any, node: dict[str, Any]) -> None:
    """Set a documented key and its alias to any combination of value, junk, null, absent."""
    pairs = [(d, a) for d, a in _ALIAS_PAIRS if d in node or a in node]
    if not pairs:
        return
    documented, alias = data(st.sampled_from(pairs))
    value = node.get(documented, node.get(alias))
    for key in (documented, alias):
        choice = data(st.sampled_from(["value", "junk", "null", "absent"]))
        if choice == "absent":
            node.pop(key, None)
        else:
            node[key] = {"value": value, "junk": data(_JSON), "null": None}[choice]


def _alias_pairs() -> tuple[tuple[str, str], ...]:
    """(documented wire key, alias wire key) for every alias the models read."""
    found: set[tuple[str, str]] = set()
    models: list[type[Model]] = list(WEBHOOK_CLASSES)
    while models:
        fields = models.pop()._model_fields
        found.update((field.wire, alias) for field in fields for alias in field.aliases)
        models += [field.model for field in fields if field.model is not None]
    return tuple(sorted(found))


_ALIAS_PAIRS = _alias_pairs()


def _render(node: Any, ascii_only: bool) -> str:
    if isinstance(node, _Number):
        return str.__str__(node)
    if isinstance(node, (dict, _Pairs)):
        items = node.items() if isinstance(node, dict) else node.items
        inner = ", ".join(
            f"{json.dumps(key, ensure_ascii=ascii_only)}: {_render(value, ascii_only)}"
            for key, value in items
        )
        return "{" + inner + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_render(item, ascii_only) for item in node) + "]"
    return json.dumps(node, ensure_ascii=ascii_only)
