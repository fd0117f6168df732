"""decode, decode_partial and encode are safe from the first call on any number of threads.

msgspec builds a Struct's type information the first time a decoder or ``convert``
meets the class, and doing that on several threads at once can crash the process
(SIGSEGV). The package builds everything where only one thread runs. These tests start
fresh interpreters (nothing decoded yet) running tests/support/thread_stress.py: 16 threads
making their first calls together with a 0.1 ms switch interval.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nhn_webhooks._models._samples import SAMPLE_NAMES

from ..conftest import IN_CI
from ..support.early import Early, child_environment

SCRIPT = Path(__file__).parents[1] / "support" / "thread_stress.py"
RUNS = 40 if IN_CI else 10
"""Fresh interpreters per test session: 40 in CI (each must pass: 40 in a row), on
every interpreter .ci/pythons runs; 10 in a local run."""


def run_fresh_interpreters() -> list[subprocess.CompletedProcess[str]]:
    """The stress script in RUNS new interpreters, one after another."""
    return [
        subprocess.run(
            [sys.executable, str(SCRIPT), "1e-4"],
            capture_output=True,
            text=True,
            check=False,
            env=child_environment(),
            timeout=120,
        )
        for _ in range(RUNS)
    ]


@pytest.mark.early(job=run_fresh_interpreters)
def test_first_calls_from_sixteen_threads_never_crash(early: Early) -> None:
    results = early.result(run_fresh_interpreters)
    statuses = [result.returncode for result in results]
    assert statuses == [0] * RUNS, [r.stderr[-500:] for r in results if r.returncode]


@pytest.mark.early(job=run_fresh_interpreters)
def test_every_thread_decodes_every_body_to_its_class(early: Early) -> None:
    expected = []
    for cls in SAMPLE_NAMES:
        expected += [cls.__name__, cls.__name__, "UnknownWebhook"]
    for result in early.result(run_fresh_interpreters):
        lines = result.stdout.splitlines()
        assert lines == [" ".join(expected)] * 16, result.stderr[-500:]
