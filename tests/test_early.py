"""The suite's own machinery: processes started by early jobs (tests/support/early.py)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

SHOW = "import os; print('NHN_WEBHOOKS_SET_BY_A_TEST' in os.environ)"


def started_on(thread_name: str) -> str:
    """What a child started on a thread of that name sees of the live environment."""
    seen: list[str] = []

    def start() -> None:
        done = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True)
        seen.append(done.stdout.strip())

    thread = threading.Thread(target=start, name=thread_name)
    thread.start()
    thread.join()
    return seen[0]


def test_a_process_a_job_starts_gets_the_sessions_environment_not_the_live_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The live os.environ changes under a job (pytest sets PYTEST_CURRENT_TEST per
    # test); exec'ing with it while it changes can fail with EFAULT.
    monkeypatch.setenv("NHN_WEBHOOKS_SET_BY_A_TEST", "1")
    assert started_on("early-job_0") == "False"
    assert started_on("another-thread") == "True"
