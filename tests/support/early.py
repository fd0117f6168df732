"""Early jobs: the suite's slow work in other processes, started when collection ends.

What it buys: a few tests wait on other processes (a type checker, a child pytest,
shell sessions, fresh interpreters) for seconds each. Started in the order pytest
meets them, that waiting adds up to most of the run. Started as soon as collection
ends, on one background thread, they run on the second core while the in-process
tests run on the first, and the tests that check them run last, when their results
are usually waiting. Without this module the suite gives the same results, slower.

Use: mark a test ``@pytest.mark.early(job=job)`` and read ``early.result(job)`` in it
(``early`` is the fixture in ``tests/conftest.py``); ``job`` takes no arguments and
returns what the test checks. Processes a job starts get :func:`child_environment`
unless given another environment, and share compiled bytecode through a temporary
directory of the session.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

import pytest

__all__ = ["Early", "child_environment", "configure", "start_jobs", "unconfigure"]

T = TypeVar("T")

EARLY = pytest.StashKey["Early"]()
_THREAD = "early-job"
CHILD_BYTECODE = pytest.StashKey[tuple[tempfile.TemporaryDirectory[str], str]]()


class Early:
    """Slow work in other processes, run three jobs at a time on threads.

    The test process keeps one core busy; the jobs' processes share the other, and
    several jobs spend most of their time waiting (on a lease to expire, a browser to
    start), so three at a time keep that core busy.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix=_THREAD)
        self._started: dict[Callable[[], Any], Future[Any]] = {}
        self._tracebacks: dict[Callable[[], Any], TracebackType | None] = {}

    def start(self, job: Callable[[], Any]) -> None:
        if job not in self._started:
            self._started[job] = self._pool.submit(job)

    def result(self, job: Callable[[], T]) -> T:
        """What ``job`` returned (raised), started now if it was not already."""
        self.start(job)
        future = self._started[job]
        error = future.exception()
        if error is not None:
            # Each test that reads a failed job raises the same exception object; raised
            # as it is, it would keep every earlier test's frames, and each report would
            # be longer than the last. Every test gets the job's own traceback instead.
            raise error.with_traceback(self._tracebacks.setdefault(job, error.__traceback__))
        return cast("T", future.result())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def configure(config: pytest.Config) -> None:
    """Register the marker, share bytecode with children, remember the environment."""
    config.addinivalue_line(
        "markers",
        "early(job=job, first=False): start job() when collection ends, the jobs marked"
        " first before the others (see tests/support/early.py)",
    )
    _share_child_bytecode(config)
    _ENVIRONMENT.update(os.environ)
    subprocess.Popen.__init__ = _popen_init  # type: ignore[method-assign]
    # Hypothesis builds its Unicode tables (seconds) once in its storage directory:
    # child pytest runs share this run's (hypothesis' default: .hypothesis here)
    # instead of building them again in each scratch directory.
    _ENVIRONMENT.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path.cwd() / ".hypothesis"))
    config.stash[EARLY] = Early()


def sort_early_last(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("early") is not None)


def start_jobs(session: pytest.Session) -> None:
    """Start every marked test's job (none under --collect-only)."""
    # Under pytest-xdist every worker collects every test: each job then starts when
    # a worker first asks for it, in that worker only.
    if session.config.option.collectonly or hasattr(session.config, "workerinput"):
        return
    markers = [marker for item in session.items for marker in item.iter_markers("early")]
    # The longest jobs, marked ``first=True``, start before the others: the session
    # lasts at least as long as its longest job.
    markers.sort(key=lambda marker: not marker.kwargs.get("first", False))
    for marker in markers:
        session.config.stash[EARLY].start(marker.kwargs["job"])


def jobs(config: pytest.Config) -> Early:
    return config.stash[EARLY]


def unconfigure(config: pytest.Config) -> None:
    """Wait for the jobs; put the bytecode settings back and remove the directory."""
    if EARLY in config.stash:
        config.stash[EARLY].close()
    subprocess.Popen.__init__ = _POPEN_INIT  # type: ignore[method-assign]
    if CHILD_BYTECODE in config.stash:
        directory, setting = config.stash[CHILD_BYTECODE]
        del os.environ["PYTHONPYCACHEPREFIX"]
        os.environ["PYTHONDONTWRITEBYTECODE"] = setting
        directory.cleanup()


def child_environment(**changes: str) -> dict[str, str]:
    """The environment for a process an early job starts: this process's, as it was
    when the session began (sharing hypothesis' storage directory), with ``changes``.

    Not os.environ read on the job's thread: the tests running meanwhile set and
    delete variables (pytest's own PYTEST_CURRENT_TEST), and copying a mapping that
    changes under the copy can fail.
    """
    return {**_ENVIRONMENT, **changes}


_ENVIRONMENT: dict[str, str] = {}


_POPEN_INIT = subprocess.Popen.__init__


def _popen_init(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
    """``Popen.__init__`` that gives a process started on a job's thread an explicit
    environment (:func:`child_environment`) when its caller passed none.

    A process started with ``env=None`` execs with the C ``environ`` array as it was at
    fork; when the main thread is setting a variable at that moment (pytest sets
    PYTEST_CURRENT_TEST around every test), the array can be half rewritten and exec
    fails with EFAULT ("Bad address"). Patched once for the session, so no job can
    forget it.
    """
    if kwargs.get("env") is None and threading.current_thread().name.startswith(_THREAD):
        kwargs["env"] = child_environment()
    _POPEN_INIT(self, *args, **kwargs)


def _share_child_bytecode(config: pytest.Config) -> None:
    """Lets the Python processes the tests start share their compiled bytecode.

    Under PYTHONDONTWRITEBYTECODE every child recompiles what it imports, and a child
    pytest rewrites the assertions of every module of its plugins' distributions (all
    of hypothesis: about 2 s) again. The children cache it in a temporary directory of
    this session instead, so the source tree and site-packages stay untouched.
    """
    setting = os.environ.get("PYTHONDONTWRITEBYTECODE")
    if setting and "PYTHONPYCACHEPREFIX" not in os.environ:
        directory = tempfile.TemporaryDirectory(prefix="nhn-webhooks-bytecode-")
        config.stash[CHILD_BYTECODE] = (directory, setting)
        del os.environ["PYTHONDONTWRITEBYTECODE"]
        os.environ["PYTHONPYCACHEPREFIX"] = directory.name
