"""Write the module tables of docs/architecture.md from the package's own docstrings.

Each module's docstring says what the module holds; the Architecture page lists every
module, folder by folder, with the first paragraph of that docstring, so the page
cannot drift from the code. Only the part between the page's ``<!-- modules -->`` and
``<!-- end modules -->`` markers is written; the rest of the page is edited by hand.

Run ``python docs/gen_architecture.py`` after adding, moving or re-describing a
module; ``tests/test_docs.py`` fails while the committed page differs from what this
script produces. Modules are read with ``ast``, never imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

DOCS = Path(__file__).parent
ROOT = DOCS.parent
PACKAGE = ROOT / "nhn_webhooks"
PAGE = DOCS / "architecture.md"
START, END = "<!-- modules -->\n", "<!-- end modules -->\n"

FOLDERS = {
    "": "Top level: the public names, decoding, encoding, the signature, the stores",
    "_models": "The models: one module per product, and what they share",
    "_result_codes": "NHN's result-code tables and the outcome they give a hook",
    "_receive": "The receiver: one POST in, one answer out, each hook handled once",
    "adapters": "The receiver behind each kind of server (public: imported by name)",
    "_cli": "The `nhn-webhooks` command line: one module per command, and their helpers",
    "_once": "Processing each hook once: keys, store protocols, claim tokens, the memory store",
    "testing": "Helpers for users' own tests (public: imported by name)",
}
"""What each folder is for, in the order the page lists them."""


def summary(path: Path) -> str:
    """The first paragraph of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.split("\n\n", 1)[0]
    text = " ".join(first.split())
    text = re.sub(r":\w+:`~?([^`]+)`", lambda m: f"`{m[1].rsplit('.', 1)[-1]}`", text)
    return text.replace("``", "`").replace("|", "\\|")


def folders() -> list[str]:
    """Every folder of the package holding modules, known ones first in FOLDERS order."""
    found = sorted(
        str(init.parent.relative_to(PACKAGE)).replace(".", "")
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    )
    unknown = [name for name in found if name not in FOLDERS]
    if unknown:
        raise SystemExit(f"describe these folders in FOLDERS: {unknown}")
    return [name for name in FOLDERS if name in found]


def table(folder: str) -> str:
    where = PACKAGE / folder
    title = f"`nhn_webhooks/{folder}/`" if folder else "`nhn_webhooks/`"
    rows = [f"### {title}\n\n{FOLDERS[folder]}.\n\n| module | what it holds |\n|---|---|\n"]
    for path in sorted(where.glob("*.py")):
        if path.name == "__init__.py" and folder:
            continue  # empty on purpose: importing a folder imports nothing
        rows.append(f"| `{path.name}` | {summary(path) or '(no docstring)'} |\n")
    return "".join(rows)


def modules_section() -> str:
    return "\n".join(table(folder) for folder in folders())


def render(page: str) -> str:
    """The page with its generated part replaced."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(page):
        raise SystemExit(f"{PAGE} has no {START.strip()} ... {END.strip()} markers")
    return pattern.sub(lambda _: START + "\n" + modules_section() + "\n" + END, page)


def main() -> None:
    PAGE.write_text(render(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
