"""Write docs/events.md from the models, so the reference cannot drift from the code.

Run ``python docs/gen_reference.py`` after changing a model; ``tests/test_docs.py``
fails while the committed page differs from what this script produces. Wire names,
alias spellings, types and nested models come from each model's field descriptions
(``Model._model_fields``), worked out once when the class is created.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

import nhn_webhooks as nw
from nhn_webhooks._models._base import union_members

PAGE = Path(__file__).with_name("events.md")

INTRO = """\
# Events reference

Generated from the models by `docs/gen_reference.py`; do not edit by hand.

Each webhook class lists its envelope, then its hook class and any nested classes;
classes that several webhooks share come last. **Python** is the attribute you read;
**wire** is the JSON key NHN sends (more than one when NHN's own examples use another
spelling: the first is the documented one); **type** is what the attribute gives you.
Timestamps are timezone-aware (Korea time when NHN sent no offset); `int` attributes
also accept a digit string on the wire. The [API reference](api.md) documents the
functions, errors and code enums. The four result hooks also have `outcome`, worked out
from their codes when read and never sent: see [result codes](result-codes.md).
"""


def render() -> str:
    """The whole page as Markdown: each class once, so every heading anchor is unique."""
    models = {cls: _models_of(cls) for cls in nw.WEBHOOK_CLASSES}
    shared = [m for m in _models_of(*nw.WEBHOOK_CLASSES) if _uses(models, m) > 1]
    parts = [INTRO]
    for cls, (webhook, *nested) in models.items():
        event = f"event `{cls.EVENT}`" if cls.EVENT else "no event name (NHN's docs give none)"
        parts.append(f"\n## {cls.__name__}\n\nproductName `{cls.PRODUCT_NAME}`, {event}.\n")
        parts.append(_table(webhook, heading=False, whole_docstring=True))
        parts.extend(_table(model) for model in nested if model not in shared)
    parts.append("\n## UnknownWebhook\n")
    parts.append(_table(nw.UnknownWebhook, heading=False))
    parts.append("\n## Shared classes\n")
    parts.extend(_table(model) for model in shared)
    return "".join(parts)


def _summary(cls: type) -> str:
    return _docstring(cls).split("\n\n")[0]


def _docstring(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


def _uses(models: dict[type, list[type[nw.Model]]], model: type[nw.Model]) -> int:
    return sum(model in reachable for reachable in models.values())


def _models_of(*roots: type[nw.Model]) -> list[type[nw.Model]]:
    """``roots`` and every model reachable from their fields, depth first, once each."""
    seen: list[type[nw.Model]] = []

    def visit(model: type[nw.Model]) -> None:
        if model in seen:
            return
        seen.append(model)
        for field in model._model_fields:
            if field.model is not None:
                visit(field.model)

    for root in roots:
        visit(root)
    return seen


NOT_ON_THE_WIRE = {(nw.UnknownWebhook, "extra"): "(every other top-level key)"}
"""Attributes that gather several keys, where the wire column names no single key."""


def _table(model: type[nw.Model], *, heading: bool = True, whole_docstring: bool = False) -> str:
    """The model's attributes as a table, under its own ``###`` heading unless it is the
    webhook class of the section: one heading per class keeps every anchor unique
    (``events.md#smsmessageresulthook``), on the site and on GitHub alike. A webhook
    class shows its whole docstring (how it is recognised); other models its summary."""
    docs = _attribute_docs(model)
    rows = [
        f"\n### {model.__name__}\n" if heading else "",
        f"\n{_markdown(_docstring(model) if whole_docstring else _summary(model))}\n",
        "\n| Python | wire | type | meaning |\n|---|---|---|---|\n",
    ]
    for field in model._model_fields:
        wire = NOT_ON_THE_WIRE.get((model, field.attribute)) or ", ".join(
            f"`{spelling}`" for spelling in (field.wire, *field.aliases)
        )
        meaning = _markdown(" ".join(docs.get(field.attribute, "").split()))
        type_cell = _type_cell(field.declared)
        rows.append(f"| `{field.attribute}` | {wire} | {type_cell} | {meaning} |\n")
    return "".join(rows)


def _markdown(text: str) -> str:
    """Docstring markup (``:class:`X```) as plain Markdown, safe inside a table cell."""
    return re.sub(r":\w+:`([^`]+)`", r"`\1`", text).replace("|", "\\|")


def _type_cell(annotation: Any) -> str:
    """The type as a table cell: each member of a union in its own code span, joined by
    an escaped pipe, because a pipe inside a code span splits the cell on GitHub."""
    return " \\| ".join(f"`{_type_name(member)}`" for member in _by_name(annotation))


def _by_name(annotation: Any) -> list[Any]:
    """Union members as declared, ``None`` last; anything else alone."""
    return sorted(union_members(annotation), key=lambda member: member is type(None))


def _type_name(annotation: Any) -> str:
    if annotation is type(None):
        return "None"
    if annotation is Any:
        return "Any"
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(member) for member in _by_name(annotation))
    if origin is not None:
        arguments = ", ".join(_type_name(argument) for argument in typing.get_args(annotation))
        return f"{origin.__name__}[{arguments}]"
    return str(annotation.__name__)


def _attribute_docs(model: type) -> dict[str, str]:
    """Attribute docstrings (the string right after ``name: type``), base classes too."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not cls.__module__.startswith("nhn_webhooks"):
            continue
        source = inspect.getsource(cls)
        body = ast.parse(inspect.cleandoc(source) if source[0] == " " else source).body[0]
        assert isinstance(body, ast.ClassDef)
        for node, following in zip(body.body, body.body[1:], strict=False):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def main() -> int:
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
