"""Write docs/github/: the pages the site builds with plugins, as GitHub shows Markdown.

On the site, ``api.md`` is rendered from docstrings by mkdocstrings (its ``:::`` lines)
and ``recipes.md`` includes the recipe files (its ``--8<--`` lines). GitHub shows those
lines as they are. This script writes a copy of each page with the lines replaced by
what they stand for (signatures and docstrings, read with griffe as the site reads
them; the files' code), which the README links to. The site itself is built from the
pages in ``docs/`` as before; ``docs/github/`` is left out of it (``mkdocs.yml``).

Run ``python docs/gen_github.py`` after changing a docstring, ``api.md``,
``recipes.md`` or a recipe; ``tests/test_docs.py`` fails while a committed copy
differs from what this script produces.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import griffe
import yaml

DOCS = Path(__file__).parent
ROOT = DOCS.parent
OUT = DOCS / "github"

NOTE = """\
<!-- Generated from docs/{page} by docs/gen_github.py; do not edit by hand. -->

*This copy of [{title}](../{page}) is generated to read on GitHub; the
documentation site renders the same page from `docs/{page}`.*

"""

_DIRECTIVE = re.compile(r"^::: ([\w.]+)\n((?:    .*\n)*)", re.MULTILINE)
_INCLUDE = re.compile(r'^--8<-- "([^"]+)"$', re.MULTILINE)
_LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)]+)\)")
_ROLE = re.compile(r":(?:class|func|data|attr|meth|exc|mod|obj):`~?([\w.]+)`")


def render() -> dict[str, str]:
    """File name in ``docs/github/`` -> its Markdown."""
    return {"api.md": render_api(), "recipes.md": render_recipes()}


def render_api() -> str:
    page = (DOCS / "api.md").read_text(encoding="utf-8")
    body = _DIRECTIVE.sub(lambda match: _object(match[1], match[2]), page)
    return _framed("api.md", body)


def render_recipes() -> str:
    page = (DOCS / "recipes.md").read_text(encoding="utf-8")
    body = _INCLUDE.sub(
        lambda match: (ROOT / match[1]).read_text(encoding="utf-8").rstrip("\n"), page
    )
    return _framed("recipes.md", body)


def _framed(page: str, body: str) -> str:
    """The page under a note saying what it is, its links pointing one level up, and
    without the paragraph that only GitHub readers of the original see."""
    title, rest = body.split("\n", 1)
    rest = re.sub(r'<p class="github-only">.*?</p>\n\n', "", rest, flags=re.DOTALL)
    note = NOTE.format(page=page, title=title.removeprefix("# "))
    return f"{title}\n\n{note}{_LINK.sub(lambda match: f'](../{match[1]})', rest.lstrip())}"


# --- one ``::: name`` --------------------------------------------------------------


@cache
def _package() -> griffe.Module:
    loaded = griffe.load("nhn_webhooks", search_paths=[str(ROOT)], resolve_aliases=True)
    assert isinstance(loaded, griffe.Module)
    return loaded


def _object(path: str, options_text: str) -> str:
    options: dict[str, Any] = (
        yaml.safe_load(options_text).get("options", {}) if options_text else {}
    )
    level = int(options.get("heading_level", 3))
    found = _package()[path.removeprefix("nhn_webhooks.")]
    target = found.final_target if found.is_alias else found
    parts = [f"{'#' * level} `{path.rsplit('.', 1)[-1]}`", _signature(target), _docstring(target)]
    members = options.get("members")
    if target.is_class and members is not False:
        parts.extend(_members(target, members, level + 1))
    return "\n\n".join(part for part in parts if part) + "\n"


def _signature(target: Any) -> str:
    if target.is_function:
        return f"```python\n{_call(target.name, target.parameters, target.returns)}\n```"
    if target.is_class:
        bases = ", ".join(str(base) for base in target.bases)
        lines = [f"class {target.name}{f'({bases})' if bases else ''}"]
        if "__init__" in target.members:  # how to make one
            lines.append(_call(target.name, target.members["__init__"].parameters, None))
        return "```python\n" + "\n".join(lines) + "\n```"
    annotation = f": {target.annotation}" if target.annotation is not None else ""
    value = f" = {target.value}" if target.value is not None else ""
    return f"```python\n{target.name}{annotation}{value}\n```"


def _call(name: str, parameters: Any, returns: Any) -> str:
    """``name(...) -> returns``, one parameter a line as on the site."""
    lines: list[str] = []
    keyword_only = False
    for parameter in parameters:
        if parameter.name in ("self", "cls"):
            continue
        kind = parameter.kind.value
        if kind == "keyword-only" and not keyword_only:
            lines.append("*")
            keyword_only = True
        star = {"variadic positional": "*", "variadic keyword": "**"}.get(kind, "")
        keyword_only = keyword_only or kind == "variadic positional"
        text = f"{star}{parameter.name}"
        if parameter.annotation is not None:
            text += f": {parameter.annotation}"
        if parameter.default is not None:
            text += (
                f" = {parameter.default}"
                if parameter.annotation is not None
                else f"={parameter.default}"
            )
        lines.append(text)
    arrow = f" -> {returns}" if returns is not None else ""
    if not lines:
        return f"{name}(){arrow}"
    inner = "".join(f"    {line},\n" for line in lines)
    return f"{name}(\n{inner}){arrow}"


def _docstring(target: Any) -> str:
    if target.docstring is None:
        return ""
    markup = _plain_markup()
    text = _ROLE.sub(_reference, target.docstring.value)
    return str(markup._fence_literals(markup._fence_examples(text)))


def _reference(match: re.Match[str]) -> str:
    name = match[1].rsplit(".", 1)[-1]
    names = {*_package().members, *_package()["redis"].members}
    return (
        f"[`{name}`](#{name.lower()})"
        if name in names and not name.startswith("_")
        else f"`{name}`"
    )


def _members(target: Any, chosen: list[str] | None, level: int) -> list[str]:
    """The members the site shows: those named, else the public documented ones (and
    an enum's values on one line)."""
    parts: list[str] = []
    values: list[str] = []
    for name, member in target.members.items():
        if chosen is not None and name not in chosen:
            continue
        if chosen is None and name.startswith("_"):
            continue
        if member.is_attribute and member.docstring is None:
            values.append(f"`{name}`")
            continue
        if member.docstring is None:
            continue
        parts.append(f"{'#' * level} `{target.name}.{name}`")
        parts.append(_signature(member))
        parts.append(_docstring(member))
    if values:
        parts.insert(0, f"Members: {', '.join(values)}.")
    return parts


@cache
def _plain_markup() -> Any:
    """docs/griffe_plain_markup.py, which fences examples and literal blocks for the site."""
    spec = importlib.util.spec_from_file_location(
        "griffe_plain_markup", DOCS / "griffe_plain_markup.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
