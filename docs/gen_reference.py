"""Write docs/events.md from the models, so the reference cannot drift from the code.

Run ``python docs/gen_reference.py`` after changing a model; ``tests/test_docs.py``
fails while the committed page differs from what this script produces.
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

import msgspec

import nhn_webhooks as nw
from nhn_webhooks._quirks import QUIRKS

PAGE = Path(__file__).with_name("events.md")

INTRO = """\
# Events reference

Generated from the models by `docs/gen_reference.py`; do not edit by hand.

Each webhook class lists its envelope, then its hook class and any nested classes.
**Python** is the attribute you read; **wire** is the JSON key NHN sends (more than
one when NHN's own examples use another spelling: the first is the documented one);
**type** is what the attribute gives you. Timestamps are timezone-aware (Korea time
when NHN sent no offset); `int` attributes also accept a digit string on the wire.
"""


def render() -> str:
    """The whole page as Markdown."""
    parts = [INTRO]
    for cls in nw.WEBHOOK_CLASSES:
        event = cls.EVENT or "(not documented: recognised by hooks carrying templateCode)"
        parts.append(f"\n## {cls.__name__}\n\nproductName `{cls.PRODUCT_NAME}`, event `{event}`.\n")
        for model in _models_of(cls):
            parts.append(_table(model))
    parts.append(f"\n## UnknownWebhook\n\n{_summary(nw.UnknownWebhook)}\n")
    parts.append(_table(nw.UnknownWebhook))
    return "".join(parts)


def _summary(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]


def _models_of(root: type[nw.Model]) -> list[type[nw.Model]]:
    """``root`` then every model reachable from its fields, depth first, once each."""
    seen: list[type[nw.Model]] = []

    def visit(model: type[nw.Model]) -> None:
        if model in seen:
            return
        seen.append(model)
        for info in msgspec.structs.fields(model):
            for nested in _nested(info.type):
                visit(nested)

    visit(root)
    return seen


def _nested(annotation: Any) -> list[type[nw.Model]]:
    found = []
    for member in _members(annotation):
        if typing.get_origin(member) is list:
            member = typing.get_args(member)[0]
        if isinstance(member, type) and issubclass(member, nw.Model):
            found.append(member)
    return found


def _members(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _table(model: type[nw.Model]) -> str:
    docs = _attribute_docs(model)
    hints = typing.get_type_hints(model)
    wires = dict(zip(model.__struct_fields__, model.__struct_encode_fields__, strict=True))
    aliases = {
        attribute: wire
        for quirk in QUIRKS
        if quirk.alias and quirk.alias[0] == model.__name__
        for _, attribute, wire in [quirk.alias]
    }
    rows = [
        f"\n### {model.__name__}\n",
        f"\n{_markdown(_summary(model))}\n",
        "\n| Python | wire | type | meaning |\n|---|---|---|---|\n",
    ]
    for name in model.__public_fields__:
        wire = f"`{wires[name]}`"
        if name in aliases:
            wire += f", `{aliases[name]}`"
        meaning = _markdown(" ".join(docs.get(name, "").split()))
        rows.append(f"| `{name}` | {wire} | `{_type_name(hints[name])}` | {meaning} |\n")
    return "".join(rows)


def _markdown(text: str) -> str:
    """Docstring markup (``:class:`X```) as plain Markdown, safe inside a table cell."""
    return re.sub(r":\w+:`([^`]+)`", r"`\1`", text).replace("|", "\\|")


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        return annotation.__name__
    text = repr(annotation).replace("typing.", "").replace("datetime.datetime", "datetime")
    for module in ("nhn_webhooks._common.", "nhn_webhooks._sms.", "nhn_webhooks._kakao."):
        text = text.replace(module, "")
    return text.replace("nhn_webhooks._email.", "").replace("NoneType", "None")


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
