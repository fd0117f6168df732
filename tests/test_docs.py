"""The docs stay in step with the code."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import nhn_webhooks as nw
import nhn_webhooks.redis as nw_redis
from nhn_webhooks._result_codes._outcome import TABLE_FIELDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli before Python 3.11
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"


def load_generator(name: str = "gen_reference"):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_events_reference_matches_the_models() -> None:
    generated = load_generator().render()
    committed = (DOCS / "events.md").read_text(encoding="utf-8")
    assert committed == generated, "run: python docs/gen_reference.py"


def test_events_reference_lists_every_attribute_with_a_meaning() -> None:
    page = (DOCS / "events.md").read_text(encoding="utf-8")
    for cls in (*nw.WEBHOOK_CLASSES, nw.UnknownWebhook):
        assert f"## {cls.__name__}\n" in page
    empty_meanings = re.findall(r"^\| `\w+` \|[^\n]*\| \|$", page, flags=re.MULTILINE)
    assert empty_meanings == []


def declared_types(model: type) -> dict[str, str]:
    """``attribute -> annotation`` as written in the model classes' source."""
    declared: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if cls.__module__.startswith("nhn_webhooks._"):
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
            for node in ast.walk(tree):
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    declared[node.target.id] = ast.unparse(node.annotation)
    return declared


def test_events_reference_gives_each_attribute_its_declared_type() -> None:
    page = (DOCS / "events.md").read_text(encoding="utf-8")
    sections = re.split(r"^#+ (\w+)\n", page, flags=re.MULTILINE)
    tables = dict(zip(sections[1::2], sections[2::2], strict=True))
    for name, table in tables.items():
        model = getattr(nw, name)
        declared = declared_types(model)
        for attribute, cell in re.findall(r"^\| `(\w+)` \| [^|]+ \| (.+?) \| ", table, re.M):
            assert cell.replace("`", "").replace("\\|", "|") == declared[attribute], (
                f"{name}.{attribute}"
            )


def test_every_public_name_appears_in_the_docs() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    missing = [name for name in nw.__all__ if name != "__version__" and name not in text]
    assert missing == []


def test_readme_opens_with_exactly_the_two_setup_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```", lines.index("```sh") + 1)]
    assert block == [
        "python -m pip install . && python -m nhn_webhooks decode --sample "
        "sms-message-result-update",
        'python -m pip install -e ".[test]" && python -m pytest',
    ]
    assert lines.index("```sh") == 2


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert '\npython -m pip install -e ".[test]" && python -m pytest\n' in ci


def test_ci_runs_the_suite_on_every_python_version_the_package_declares() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    assert declared == [f"3.{minor}" for minor in range(10, 16)]
    assert 'requires-python = ">=3.10"' in pyproject
    script = (ROOT / ".ci" / "pythons").read_text(encoding="utf-8")
    default = re.search(r"\|\| targets=\(([^)]*)\)", script)
    assert default is not None
    assert set(declared) | {"floors"} <= set(default.group(1).split())
    assert "\nbash .ci/pythons\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_supported_versions_section_names_the_declared_versions_and_floors() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    floors = dict(re.findall(r'"(msgspec|python-dateutil)>=([\d.]+)"', pyproject))
    page = (DOCS / "index.md").read_text(encoding="utf-8")
    section = page.split("## Supported Python versions\n")[1].split("\n## ")[0]
    assert f"Python {', '.join(declared[:-1])} and {declared[-1]}" in section
    assert f"msgspec {floors['msgspec']} or newer" in section
    assert f"python-dateutil {floors['python-dateutil']} or newer" in section


def test_site_navigation_lists_every_page_once() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^  - [^:\n]+: (\S+\.md)$", config, flags=re.MULTILINE)
    pages = sorted(path.name for path in DOCS.glob("*.md"))
    assert sorted(nav) == pages
    assert len(set(nav)) == len(nav)


def test_recipes_page_shows_every_recipe_file() -> None:
    page = (DOCS / "recipes.md").read_text(encoding="utf-8")
    included = set(re.findall(r'^--8<-- "docs/recipes/(\w+\.py)"$', page, flags=re.MULTILINE))
    assert included == {path.name for path in (DOCS / "recipes").glob("*.py")}


def test_api_reference_renders_every_public_name() -> None:
    page = (DOCS / "api.md").read_text(encoding="utf-8")
    rendered = re.findall(r"^::: nhn_webhooks\.(\w+)$", page, flags=re.MULTILINE)
    assert set(re.findall(r"^::: nhn_webhooks\.redis\.(\w+)$", page, flags=re.M)) == set(
        nw_redis.__all__
    )
    assert sorted(rendered) == sorted(name for name in nw.__all__ if name != "__version__")


def test_changelog_page_includes_the_changelog_file() -> None:
    page = (DOCS / "changelog.md").read_text(encoding="utf-8")
    assert page.endswith('\n\n--8<-- "CHANGELOG.md"\n')


def test_readme_usage_is_the_code_the_type_checkers_check() -> None:
    readme = README.read_text(encoding="utf-8")
    usage = re.search(r"^## Usage\n\n```python\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    assert usage is not None
    checked = (ROOT / "tests" / "typing" / "readme_usage.py").read_text(encoding="utf-8")
    assert checked.endswith('# --- README.md, "Usage" ---\n' + usage.group(1))


def test_readme_says_ci_also_installs_the_fuzz_extra() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install --quiet -e ".[fuzz]"' in ci
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "the same command `.ci/run` runs, after it has also installed the `fuzz` extra" in (
        readme
    )


REPOSITORY = "https://github.com/nhn-webhooks/nhn-webhooks"


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_project_urls_name_source_documentation_and_changelog() -> None:
    assert pyproject()["project"]["urls"] == {
        "Source": REPOSITORY,
        "Documentation": f"{REPOSITORY}/blob/main/docs/index.md",
        "Changelog": f"{REPOSITORY}/blob/main/CHANGELOG.md",
    }


def test_readme_links_work_outside_the_repository() -> None:
    links = re.findall(r"\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert links
    for link in links:
        assert link.startswith("https://"), link  # not relative to a checkout
        if link.startswith(f"{REPOSITORY}/blob/main/"):
            assert (ROOT / link.removeprefix(f"{REPOSITORY}/blob/main/")).is_file(), link


def test_install_instructions_work_before_the_package_is_on_pypi() -> None:
    for page in ("index.md", "testing.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        commands = re.findall(r"^```sh\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
        shown = "".join(commands)
        assert "./nhn-webhooks" in shown, page  # from a clone
        assert not re.search(r'pip install "?nhn-webhooks', shown), page  # not the index form
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert "python -m pip wheel --no-deps --wheel-dir dist ./nhn-webhooks" in index
    assert f"dist/nhn_webhooks-{nw.__version__}-py3-none-any.whl" in index


def test_performance_page_opens_with_the_chart_and_the_targets() -> None:
    page = (DOCS / "performance.md").read_text(encoding="utf-8")
    headings = re.findall(r"^(#+ .+)$", page, flags=re.MULTILINE)
    assert headings[1:3] == ["## Results", "### Targets"]
    results = page[page.index("## Results") : page.index("### Targets")]
    assert "![Time relative to floor, per competitor and workload](performance.png)" in results
    assert page.index("## Method") > page.index("<!-- end: generated by benchmarks/run.py -->")


def test_every_recipe_include_is_linked_to_its_file() -> None:
    # On a code host the include line shows as text: the link beside it opens the file.
    page = (DOCS / "recipes.md").read_text(encoding="utf-8")
    for name in re.findall(r'^--8<-- "docs/recipes/(\w+\.py)"$', page, flags=re.MULTILINE):
        assert f'[`{name}`](recipes/{name}):\n\n```python\n--8<-- "docs/recipes/{name}"' in page


# What each recipe imports from outside the library and the standard library: the
# extras its first lines must name to install it.
RECIPE_NEEDS = {
    "aiohttp_app.py": ({"redis", "aiohttp"}, ["redis-server"]),
    "celery_app.py": ({"celery", "uvicorn"}, ["redis-server", "celery_app:celery worker"]),
    "django_app.py": ({"redis", "django"}, ["redis-server"]),
    "fastapi_app.py": ({"redis", "fastapi"}, ["redis-server", "uvicorn fastapi_app:app"]),
    "flask_app.py": ({"redis", "flask"}, ["redis-server", "flask --app flask_app run"]),
    "queue_worker.py": ({"flask"}, ["flask --app queue_worker run"]),
    "starlette_app.py": ({"redis", "starlette"}, ["redis-server", "uvicorn starlette_app:app"]),
}


def test_every_recipe_names_its_extras_and_services_in_its_first_lines() -> None:
    extras = pyproject()["project"]["optional-dependencies"]
    assert set(RECIPE_NEEDS) == {path.name for path in (DOCS / "recipes").glob("*.py")}
    for name, (needs, services) in RECIPE_NEEDS.items():
        header = (DOCS / "recipes" / name).read_text(encoding="utf-8").split("from __future__")[0]
        [named] = re.findall(r'pip install "nhn-webhooks\[([\w,]+)\]"', header)
        assert set(named.split(",")) == needs, name
        assert needs <= set(extras), name
        for service in services:
            assert service in header, (name, service)


def test_each_framework_extra_installs_its_framework() -> None:
    extras = pyproject()["project"]["optional-dependencies"]
    for extra in ("fastapi", "starlette", "flask", "django", "aiohttp", "uvicorn"):
        assert any(requirement.startswith(extra) for requirement in extras[extra]), extra
    for asgi in ("fastapi", "starlette"):  # a server to run it, as the recipe says
        assert any(requirement.startswith("uvicorn") for requirement in extras[asgi]), asgi


def test_the_docs_extra_installs_a_signature_formatter() -> None:
    # mkdocstrings formats signatures (one parameter a line) only with Ruff or Black.
    docs = pyproject()["project"]["optional-dependencies"]["docs"]
    assert any(requirement.startswith(("ruff", "black")) for requirement in docs), docs


def load_result_codes_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_result_codes", DOCS / "gen_result_codes.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_result_codes_page_matches_the_tables() -> None:
    generated = load_result_codes_generator().render()
    committed = (DOCS / "result-codes.md").read_text(encoding="utf-8")
    assert committed == generated, "run: python docs/gen_result_codes.py"


def test_result_codes_page_has_a_row_for_every_code() -> None:
    page = (DOCS / "result-codes.md").read_text(encoding="utf-8")
    for table in TABLE_FIELDS:
        section = page.split(f'`nw.result_code("{table}", code)`')[1].split("\n### ")[0]
        for entry in nw.result_codes(table):
            code = "(none)" if entry.code is None else f"`{entry.code}`"
            assert f"| {code} | {entry.outcome} |" in section, (table, entry.code)


def section(page: str, heading: str) -> str:
    """The text of ``## heading`` on a docs page, up to the next ``## ``."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def flat(text: str) -> str:
    """Text with its line breaks and indentation as single spaces."""
    return " ".join(text.split())


def test_events_reference_names_no_wire_key_nhn_never_sends() -> None:
    unknown = section("events.md", "UnknownWebhook")
    assert "| `extra` | (every other top-level key) |" in unknown


def test_events_reference_says_how_a_class_without_a_documented_name_is_recognised() -> None:
    page = (DOCS / "events.md").read_text(encoding="utf-8")
    assert "`(not documented" not in page  # prose, not an event name in code
    template = flat(section("events.md", "KakaoTemplateStatusUpdate"))
    assert "no event name (NHN's docs give none)" in template
    assert "recognised by its hooks carrying ``templateCode``" in template
    email = flat(section("events.md", "EmailMessageResultUpdate"))
    assert "Recognised by the event name ``MESSAGE_RESULT_UPDATE``" in email
    assert "메시지 발송 결과 코드 업데이트" in email
    assert "only from 2024-01-15 to 2024-02-19" in email


def test_errors_page_links_the_sections_it_points_to() -> None:
    page = (DOCS / "errors.md").read_text(encoding="utf-8")
    assert re.findall(r"see the [\w ]+ section\)", page) == []
    assert "(see\n[signature and security](security.md#what-the-signature-is))" in page


def test_no_page_or_docstring_calls_the_x_nhn_header_nhns() -> None:
    # No NHN document names X-Nhn-Webhook-Signature; two public receivers accept it.
    texts = [README, *DOCS.glob("*.md"), *(ROOT / "nhn_webhooks").rglob("*.py")]
    for path in texts:
        text = flat(path.read_text(encoding="utf-8"))
        assert "post-rename" not in text, path
        assert "after the rename" not in text, path
    for text in (
        flat((DOCS / "security.md").read_text(encoding="utf-8")),
        flat(README.read_text()),
    ):
        assert "X-Nhn-Webhook-Signature" in text
    security = flat((DOCS / "security.md").read_text(encoding="utf-8"))
    assert (
        "No NHN document, in any language or version, names `X-Nhn-Webhook-Signature`: two "
        "public receivers written against NHN Cloud accept it as well, and that is all that "
        "is known." in security
    )


def test_a_receiver_author_reads_about_x_secret_key_and_the_https_only_email_console() -> None:
    security = flat((DOCS / "security.md").read_text(encoding="utf-8"))
    assert "Email cURL samples also send an `X-Secret-Key: ${SECRET_KEY}` header" in security
    assert "NHN's Email console accepts only HTTPS endpoints" in security
    assert "X-Secret-Key" in flat(nw.SignatureVerifier.__doc__ or "")


def first_code_block(text: str) -> tuple[int, str, str]:
    """Where the first fenced block starts, its language and its code."""
    found = re.search(r"^```(\w+)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.start(), found.group(1), found.group(2)


def test_landing_page_opens_with_the_readmes_example() -> None:
    page = (DOCS / "index.md").read_text(encoding="utf-8")
    start, language, code = first_code_block(page)
    readme = README.read_text(encoding="utf-8")
    usage = re.search(r"^## Usage\n\n```python\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    assert usage is not None
    assert (language, code) == ("python", usage.group(1))  # the type-checked example
    assert "nw.SignatureVerifier(" in code
    assert "match nw.decode(body, signature=verify, headers=headers):" in code
    assert start < page.index("## Install") < page.index("Free-threaded Python")


def test_readme_shows_its_example_before_the_set_up_details() -> None:
    readme = README.read_text(encoding="utf-8")
    usage = readme.index("## Usage\n\n```python\n")
    assert usage < readme.index("bash .ci/pythons") < readme.index("free-threading")
    assert usage < readme.index("redis-server")
    # Between the two set-up commands and the example: two short paragraphs.
    between = readme[readme.index("```\n", readme.index("```sh")) + 4 : usage]
    assert len(between.strip().split("\n\n")) == 2, between


def load_github_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_github", DOCS / "gen_github.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_github_copies_of_the_plugin_pages_are_current() -> None:
    for name, generated in load_github_generator().render().items():
        committed = (DOCS / "github" / name).read_text(encoding="utf-8")
        assert committed == generated, "run: python docs/gen_github.py"


SITE_ONLY = re.compile(r'^(::: |--8<-- ")', re.MULTILINE)
"""Lines the site's plugins replace (mkdocstrings, snippets), shown as they are on GitHub."""


def test_every_page_the_readme_links_to_reads_on_github() -> None:
    links = re.findall(
        rf"\]\({REPOSITORY}/blob/main/([^)#]+\.md)", README.read_text(encoding="utf-8")
    )
    assert "docs/github/api.md" in links
    assert "docs/github/recipes.md" in links
    for link in links:
        assert SITE_ONLY.search((ROOT / link).read_text(encoding="utf-8")) is None, link


def test_github_copies_render_the_names_and_code_the_site_shows() -> None:
    api = (DOCS / "github" / "api.md").read_text(encoding="utf-8")
    for name in (*(n for n in nw.__all__ if n != "__version__"), *nw_redis.__all__):
        assert f"# `{name}`\n" in api, name
    recipes = (DOCS / "github" / "recipes.md").read_text(encoding="utf-8")
    for recipe in (DOCS / "recipes").glob("*.py"):
        assert recipe.read_text(encoding="utf-8").rstrip("\n") in recipes, recipe.name
    for text in (api, recipes):  # their links point one level up, where the pages are
        for link in re.findall(r"\]\((?!https?://|#)([^)#]+)", text):
            assert (DOCS / "github" / link).resolve().is_file(), link


def test_a_page_with_site_only_lines_sends_github_readers_to_one_that_reads() -> None:
    pages = [page for page in DOCS.glob("*.md") if SITE_ONLY.search(page.read_text("utf-8"))]
    assert {page.name for page in pages} == {"api.md", "recipes.md", "changelog.md"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        note = re.search(r'^<p class="github-only">.*?<a href="([^"]+)">', text, re.MULTILINE)
        assert note is not None, page.name
        assert (DOCS / note.group(1)).resolve().is_file(), (page.name, note.group(1))


def test_architecture_page_lists_every_module_as_its_docstring_says() -> None:
    generator = load_generator("gen_architecture")
    committed = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert committed == generator.render(committed), "run: python docs/gen_architecture.py"
    listed = set(re.findall(r"^\| `(\w+\.py)` \|", committed, re.MULTILINE))
    on_disk = {
        path.name
        for path in (ROOT / "nhn_webhooks").rglob("*.py")
        if not (path.name == "__init__.py" and path.parent.name != "nhn_webhooks")
    }
    assert on_disk <= listed
    assert "(no docstring)" not in committed


def test_architecture_page_names_a_folder_for_every_subpackage() -> None:
    generator = load_generator("gen_architecture")
    assert generator.folders()  # raises SystemExit for a folder FOLDERS does not describe
