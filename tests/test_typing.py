"""Users' code type-checks under mypy --strict and pyright, and mistakes are reported."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.early import Early, child_environment

api = pytest.importorskip("mypy.api")

HERE = Path(__file__).parent / "typing"


@pytest.fixture(scope="module")
def mypy_errors() -> dict[str, list[tuple[int, str]]]:
    """mypy --strict's errors for each file in tests/typing, from one run.

    One run over all the files costs what one file costs; the incremental cache in
    .mypy_cache makes repeated local runs fast and is rebuilt cold on a clean clone.
    """
    files = sorted(HERE.glob("*.py"))
    stdout, stderr, status = api.run(["--strict", *(str(path) for path in files)])
    assert status in (0, 1), stdout + stderr
    errors: dict[str, list[tuple[int, str]]] = {path.name: [] for path in files}
    for name, line, message in re.findall(r"(\w+\.py):(\d+): error: (.*)", stdout):
        errors[name].append((int(line), message))
    return errors


def test_user_handler_type_checks_strictly(mypy_errors: dict[str, list[tuple[int, str]]]) -> None:
    assert mypy_errors["user_handler.py"] == []


def test_readme_usage_type_checks_strictly(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    assert mypy_errors["readme_usage.py"] == []


def test_wrong_attribute_access_is_reported(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    reported = {line for line, _ in mypy_errors["wrong_attribute.py"]}
    assert reported == marked_lines(HERE / "wrong_attribute.py"), mypy_errors


def marked_lines(path: Path) -> set[int]:
    """Line numbers carrying a ``# E:`` mark: where a type checker must report."""
    return {n for n, line in enumerate(path.read_text().splitlines(), 1) if "# E:" in line}


def run_pyright() -> subprocess.CompletedProcess[str]:
    """Pyright over every file in tests/typing, in one run (it starts Node: seconds)."""
    return subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable]
        + [str(path) for path in sorted(HERE.glob("*.py"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=child_environment(PYRIGHT_PYTHON_IGNORE_WARNINGS="1"),  # no version check
    )


@pytest.fixture(scope="module")
def pyright_errors(early: Early) -> dict[str, list[dict[str, Any]]]:
    """Pyright's errors for each file in tests/typing (run while other tests ran)."""
    files = sorted(HERE.glob("*.py"))
    completed = early.result(run_pyright)
    assert completed.returncode in (0, 1), completed.stdout + completed.stderr
    report = json.loads(completed.stdout)
    assert report["summary"]["filesAnalyzed"] == len(files)
    errors: dict[str, list[dict[str, Any]]] = {path.name: [] for path in files}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            errors[Path(diagnostic["file"]).name].append(diagnostic)
    return errors


@pytest.mark.early(job=run_pyright)
def test_user_handler_type_checks_under_pyright_strict(
    pyright_errors: dict[str, list[dict[str, Any]]],
) -> None:
    assert "# pyright: strict" in (HERE / "user_handler.py").read_text()
    assert pyright_errors["user_handler.py"] == []


@pytest.mark.early(job=run_pyright)
def test_readme_usage_type_checks_under_pyright_strict(
    pyright_errors: dict[str, list[dict[str, Any]]],
) -> None:
    assert "# pyright: strict" in (HERE / "readme_usage.py").read_text()
    assert pyright_errors["readme_usage.py"] == []


@pytest.mark.early(job=run_pyright)
def test_wrong_attribute_access_is_reported_by_pyright(
    pyright_errors: dict[str, list[dict[str, Any]]],
) -> None:
    reported = {d["range"]["start"]["line"] + 1 for d in pyright_errors["wrong_attribute.py"]}
    assert reported == marked_lines(HERE / "wrong_attribute.py")


def test_users_tests_with_the_testing_helpers_type_check_strictly(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    assert mypy_errors["user_tests.py"] == []


def test_outcome_narrows_in_a_users_match(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    assert mypy_errors["user_outcome.py"] == []
    reported = {line for line, _ in mypy_errors["wrong_outcome.py"]}
    assert reported == marked_lines(HERE / "wrong_outcome.py"), mypy_errors


@pytest.mark.early(job=run_pyright)
def test_outcome_narrows_in_a_users_match_under_pyright(
    pyright_errors: dict[str, list[dict[str, Any]]],
) -> None:
    assert "# pyright: strict" in (HERE / "user_outcome.py").read_text()
    assert pyright_errors["user_outcome.py"] == []
    reported = {d["range"]["start"]["line"] + 1 for d in pyright_errors["wrong_outcome.py"]}
    assert reported == marked_lines(HERE / "wrong_outcome.py")


def test_receiver_handlers_type_check_strictly(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    assert mypy_errors["user_receiver.py"] == []


def test_a_handler_for_another_class_is_reported(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    reported = {line for line, _ in mypy_errors["wrong_handler.py"]}
    assert reported == marked_lines(HERE / "wrong_handler.py"), mypy_errors


@pytest.mark.early(job=run_pyright)
def test_receiver_handlers_type_check_under_pyright_strict(
    pyright_errors: dict[str, list[dict[str, Any]]],
) -> None:
    assert "# pyright: strict" in (HERE / "user_receiver.py").read_text()
    assert pyright_errors["user_receiver.py"] == []
    reported = {d["range"]["start"]["line"] + 1 for d in pyright_errors["wrong_handler.py"]}
    assert reported == marked_lines(HERE / "wrong_handler.py")


# --- the recipes in docs/recipes/ ------------------------------------------------------

RECIPES = Path(__file__).parent.parent / "docs" / "recipes"


def test_every_recipe_type_checks_under_mypy_strict() -> None:
    recipes = sorted(str(path) for path in RECIPES.glob("*.py"))
    stdout, stderr, status = api.run(["--strict", "--no-incremental", *recipes])
    assert status == 0, stdout + stderr


def run_pyright_on_recipes() -> subprocess.CompletedProcess[str]:
    """Pyright in strict mode over a copy of docs/recipes (strict for the whole folder)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for path in RECIPES.glob("*.py"):
            shutil.copy(path, folder)
        config = {"strict": ["."], "pythonVersion": "3.10"}
        (Path(folder) / "pyrightconfig.json").write_text(json.dumps(config))
        return subprocess.run(
            [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=child_environment(PYRIGHT_PYTHON_IGNORE_WARNINGS="1"),
        )


@pytest.mark.early(job=run_pyright_on_recipes)
def test_every_recipe_type_checks_under_pyright_strict(early: Early) -> None:
    completed = early.result(run_pyright_on_recipes)
    report = json.loads(completed.stdout)
    assert report["summary"]["filesAnalyzed"] == len(list(RECIPES.glob("*.py")))
    assert report["summary"]["errorCount"] == 0, completed.stdout
