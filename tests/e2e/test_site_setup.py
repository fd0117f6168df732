"""tests/e2e/test_site.py as a newcomer runs it: alone, and on a machine without chromium.

It runs in a child pytest with PATH reduced to this interpreter's directory (so
``chromium`` is not found) and TMPDIR pointing at a scratch directory: each test that
needs the browser must fail with one short line that names the fix, and the built site
must not be left behind.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.e2e.test_site import MISSING_CHROMIUM
from tests.support.early import Early, child_environment

ROOT = Path(__file__).parents[2]
BROWSER_TESTS = 19  # the tests of tests/e2e/test_site.py that take the ``browser`` fixture


def run_site_tests_without_chromium() -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """The child run, and what it left in its temporary directory."""
    with tempfile.TemporaryDirectory(prefix="nhn-webhooks-no-chromium-") as scratch:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/e2e/test_site.py"],
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
            env=child_environment(PATH=str(Path(sys.executable).parent), TMPDIR=scratch),
        )  # fmt: skip
        return result, sorted(path.name for path in Path(scratch).iterdir())


@pytest.mark.early(job=run_site_tests_without_chromium)
def test_without_chromium_each_browser_test_fails_with_one_line_naming_the_fix(
    early: Early,
) -> None:
    result, _ = early.result(run_site_tests_without_chromium)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # CI still fails
    assert f"{BROWSER_TESTS} errors" in output.splitlines()[-1], output[-2000:]
    errors = re.findall(rf"^E +RuntimeError: {re.escape(MISSING_CHROMIUM)}$", output, re.M)
    assert len(errors) == BROWSER_TESTS, output[-3000:]
    # One short report per test, not a traceback that grows from test to test.
    assert len(output.splitlines()) < 40 * BROWSER_TESTS, output[-3000:]


@pytest.mark.early(job=run_site_tests_without_chromium)
def test_the_site_tests_leave_no_built_site_behind(early: Early) -> None:
    result, left = early.result(run_site_tests_without_chromium)
    assert "3 passed" in result.stdout, result.stdout[-2000:]  # the site was built
    assert [name for name in left if name.startswith("nhn-webhooks-site-")] == []
