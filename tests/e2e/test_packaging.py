"""What a user gets from the built package: an sdist whose own tests pass, and a clear
word when an optional extra is missing."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

from tests.support.early import Early, child_environment

ROOT = Path(__file__).parents[2]


def build_sdist(directory: Path) -> Path:
    """The sdist, built by the project's build backend as ``python -m build`` would."""
    from hatchling.builders.sdist import SdistBuilder

    (path,) = SdistBuilder(str(ROOT)).build(directory=str(directory), versions=["standard"])
    return Path(path)


def sdist_runs_its_docs_tests() -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """The sdist's file names, and its own tests/test_docs.py run from it unpacked
    (the tests that read the repository's files beside the package)."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = build_sdist(Path(scratch))
        with tarfile.open(archive) as sdist:
            names = sdist.getnames()
            # The "data" filter (Python 3.12, and 3.10/3.11 security releases) refuses
            # links out of the directory; 3.14 applies it by default.
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            sdist.extractall(scratch, **safe)
        (unpacked,) = (path for path in Path(scratch).iterdir() if path.is_dir())
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_docs.py"],
            cwd=unpacked,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=child_environment(),
        )
    return names, run


@pytest.mark.early(job=sdist_runs_its_docs_tests)
def test_an_unpacked_sdist_passes_its_own_docs_tests(early: Early) -> None:
    names, run = early.result(sdist_runs_its_docs_tests)
    root = names[0].split("/")[0]
    assert {f"{root}/.ci/run", f"{root}/mkdocs.yml", f"{root}/tests/test_docs.py"} <= set(names)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def test_ci_runs_the_suite_from_an_unpacked_sdist() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m hatchling build --target sdist --directory "$sdist_dir"' in ci
    assert 'tar -xzf "$sdist_dir"/nhn_webhooks-*.tar.gz -C "$sdist_dir"' in ci
    assert "python -m pytest -q -p no:cacheprovider)" in ci


STRATEGIES_WITHOUT_HYPOTHESIS = (
    "import sys\n"
    "sys.modules['hypothesis'] = None  # as if the extra were not installed\n"
    "try:\n"
    "    from nhn_webhooks.testing import strategies\n"
    "except ModuleNotFoundError as exc:\n"
    "    print(exc.name, exc, sep='|')\n"
)


def import_strategies_without_hypothesis() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", STRATEGIES_WITHOUT_HYPOTHESIS],
        capture_output=True,
        text=True,
        check=False,
        env=child_environment(),
    )


@pytest.mark.early(job=import_strategies_without_hypothesis)
def test_strategies_without_hypothesis_name_the_extra_to_install(early: Early) -> None:
    result = early.result(import_strategies_without_hypothesis)
    assert result.returncode == 0, result.stderr
    name, message = result.stdout.strip().split("|")
    assert name == "hypothesis"
    assert message == (
        "nhn_webhooks.testing.strategies needs hypothesis, which the package's "
        '"testing" extra installs: python -m pip install "nhn-webhooks[testing]"'
    )
