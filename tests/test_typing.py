"""Users' code type-checks under mypy --strict, and mistakes are reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

HERE = Path(__file__).parent / "typing"


def mypy(path: Path) -> tuple[str, int]:
    stdout, stderr, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir=/dev/null", str(path)]
    )
    return stdout + stderr, status


def test_user_handler_type_checks_strictly() -> None:
    output, status = mypy(HERE / "user_handler.py")
    assert status == 0, output


def test_wrong_attribute_access_is_reported() -> None:
    output, status = mypy(HERE / "wrong_attribute.py")
    assert status == 1
    source = (HERE / "wrong_attribute.py").read_text().splitlines()
    expected = {number for number, line in enumerate(source, 1) if "# E:" in line}
    reported = {int(n) for n in re.findall(r"wrong_attribute\.py:(\d+): error", output)}
    assert reported == expected, output


def test_users_tests_with_the_testing_helpers_type_check_strictly() -> None:
    output, status = mypy(HERE / "user_tests.py")
    assert status == 0, output
