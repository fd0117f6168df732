"""The examples in docs/cli.md and docs/testing.md are run, and their output checked.

``console`` blocks are shell sessions: each ``$ `` line runs in bash (in a scratch
directory, with this environment's ``nhn-webhooks`` on PATH), and what it prints,
stdout and stderr together, must be the lines below it; a ``...`` line stands for any
number of lines. ``$ echo $?`` shows the previous command's exit code.
``http://localhost:8000`` is the address of a receiver the test starts on 127.0.0.1.

``python`` blocks that define ``test_`` functions are run with pytest, as a user's
test files; the others are run as scripts.

The shell sessions and the user's pytest run start as soon as collection ends, beside
the other tests (``early`` in tests/conftest.py).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from nhn_webhooks import testing
from nhn_webhooks._cli import _main as _cli
from nhn_webhooks.testing import pytest_plugin, strategies
from tests.cli.test_send import Endpoint, serving
from tests.support.early import Early, child_environment

DOCS = Path(__file__).parent.parent / "docs"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [body for lang, body in BLOCK.findall(text) if lang == language]


def sessions(page: str) -> list[tuple[str, str]]:
    """Every ``(command, expected output)`` of the page's console blocks, in order."""
    found = []
    for block in blocks(page, "console"):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


def matches(expected: str, actual: str) -> bool:
    pattern = "".join(
        r"(?:.*\n)*?" if line == "..." else re.escape(line) + r"\n"
        for line in expected.splitlines()
    )
    return re.fullmatch(pattern, actual) is not None


def run_command_line_page() -> list[tuple[str, str, str]]:
    """``(command, expected output, actual output)`` for each ``$`` line of docs/cli.md,
    run in order in one scratch directory, with a receiver for ``send`` to reach."""
    path = child_environment()["PATH"]
    env = child_environment(PATH=f"{Path(sys.executable).parent}{os.pathsep}{path}")
    runs = []
    with tempfile.TemporaryDirectory() as scratch, serving(Endpoint()) as endpoint:
        base = f"http://127.0.0.1:{endpoint.server_address[1]}"
        status = 0
        for command, expected in sessions("cli.md"):
            if command == "echo $?":
                actual = f"{status}\n"
            else:
                result = subprocess.run(
                    ["bash", "-c", command.replace("http://localhost:8000", base)],
                    cwd=scratch,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    check=False,
                )
                status, actual = result.returncode, result.stdout
            runs.append((command, expected, actual))
    return runs


@pytest.mark.early(job=run_command_line_page)
def test_command_line_examples_print_what_the_page_shows(early: Early) -> None:
    runs = early.result(run_command_line_page)
    assert len(runs) >= 15
    for command, expected, actual in runs:
        assert matches(expected, actual), f"$ {command}\n{actual}"


def test_every_command_and_option_is_shown_on_the_command_line_page() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    run = " ".join(command for command, _ in sessions("cli.md"))
    subcommands = next(
        action
        for action in _cli._parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    for name, parser in subcommands.choices.items():
        assert f"nhn-webhooks {name}" in run, name
        for action in parser._actions:
            for option in action.option_strings:
                assert option in page, f"{name} {option}"


def test_testing_examples_run_as_scripts() -> None:
    scripts = [code for code in blocks("testing.md", "python") if "def test_" not in code]
    assert len(scripts) >= 4
    for index, code in enumerate(scripts):
        exec(compile(code, f"docs/testing.md[{index}]", "exec"), {})


def users_test_files() -> list[str]:
    return [code for code in blocks("testing.md", "python") if "def test_" in code]


def run_users_test_files() -> subprocess.CompletedProcess[str]:
    """pytest, in a new process, over the page's test files in a scratch directory."""
    with tempfile.TemporaryDirectory() as scratch:
        for index, code in enumerate(users_test_files()):
            (Path(scratch) / f"test_example_{index}.py").write_text(code, encoding="utf-8")
        (Path(scratch) / "conftest.py").write_text(
            textwrap.dedent(
                """\
                from hypothesis import settings

                settings.register_profile("docs", max_examples=10, deadline=None)
                settings.load_profile("docs")
                """
            )
        )
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
            env=child_environment(),
        )


@pytest.mark.early(job=run_users_test_files)
def test_testing_examples_pass_as_a_users_test_files(early: Early) -> None:
    files = users_test_files()
    assert len(files) >= 2
    result = early.result(run_users_test_files)
    tests = sum(code.count("\ndef test_") for code in files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{tests} passed" in result.stdout


def test_every_testing_helper_has_a_docstring_and_is_used_in_an_example_that_runs() -> None:
    code = "\n".join(blocks("testing.md", "python"))
    modules = (testing, strategies, pytest_plugin)
    helpers = {name: getattr(module, name) for module in modules for name in module.__all__}
    assert [name for name, helper in helpers.items() if not (helper.__doc__ or "").strip()] == []
    assert [name for name in helpers if not re.search(rf"\b{name}\b", code)] == []
