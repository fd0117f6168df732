"""Show the package's reStructuredText-flavoured docstrings as Markdown on the site.

The docstrings are written to read well in ``help()`` and editors: roles such as
``:class:`DecodeError```, ``>>>`` examples and ``::`` literal blocks. mkdocstrings
renders docstrings as Markdown, where those would show as stray colons and nested
block quotes, so this griffe extension rewrites them as the site builds. The source
stays as it is.

A docstring the package completes at import (``result_code`` lists the result-code
tables from their declarations in place of ``{tables}``) is shown as Python has it.
"""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import griffe

import nhn_webhooks

_ROLE = re.compile(r":(?:class|func|data|attr|meth|exc|mod|obj):`~?([\w.]+)`")
_PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.)( |$)")


class PlainMarkup(griffe.Extension):
    """Rewrite every docstring of the package once griffe has loaded it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            if _COMPLETED_AT_IMPORT in obj.docstring.value:
                obj.docstring.value = _at_run_time(obj.path)
            obj.docstring.value = markdown(obj.docstring.value)


_COMPLETED_AT_IMPORT = "{tables}"


def _at_run_time(path: str) -> str:
    """The docstring of the object at ``path`` once the package has been imported."""
    module, _, name = path.rpartition(".")
    return inspect.cleandoc(getattr(importlib.import_module(module), name).__doc__ or "")


def markdown(text: str) -> str:
    """Roles as code (linked when the name is public), examples and literals fenced."""
    return _fence_literals(_fence_examples(_ROLE.sub(_reference, text)))


def _reference(match: re.Match[str]) -> str:
    name = match[1].rsplit(".", 1)[-1]
    if name in nhn_webhooks.__all__:
        return f"[`{name}`][nhn_webhooks.{name}]"
    return f"`{name}`"


def _fence_examples(text: str) -> str:
    """Runs of ``>>>``/``...`` lines become a ``pycon`` block."""
    out: list[str] = []
    in_example = False
    for line in text.splitlines():
        is_example = bool(_PROMPT.match(line))
        if is_example and not in_example:
            out.append("```pycon")
        elif in_example and not is_example:
            out.append("```")
        out.append(line)
        in_example = is_example
    if in_example:
        out.append("```")
    return "\n".join(out)


def _fence_literals(text: str) -> str:
    """A paragraph ending in ``::`` followed by an indented block: fence the block."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.rstrip().endswith("::"):
            out.append(line)
            continue
        out.append(line.rstrip()[:-1])
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index][:1] == " "):
            block.append(lines[index])
            index += 1
        code = "\n".join(_dedent(block)).strip("\n")
        language = "text" if "\u2514" in code else "python"  # a drawn tree is not code
        out += ["", f"```{language}", code, "```", ""]
    return "\n".join(out)


def _dedent(rows: list[str]) -> list[str]:
    indent = min((len(row) - len(row.lstrip()) for row in rows if row.strip()), default=0)
    return [row[indent:] for row in rows]
