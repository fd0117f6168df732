"""Shared fixtures: the bundled samples as bytes and as editable dicts, the property
tests' depth, the processes tests start (early jobs, their environment), and a real
redis-server."""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

import msgspec
import pytest
from hypothesis import HealthCheck, settings

from nhn_webhooks._samples import SAMPLE_NAMES, sample_body
from tests.redis_server import RedisServer

# Two depths for the property tests. "default" keeps the whole suite quick enough to
# run before every commit; CI exports HYPOTHESIS_PROFILE=thorough for eight times the
# examples. examples(n) scales a test's own count the same way.
settings.register_profile(
    "default", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", settings.get_profile("default"), max_examples=400)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)
THOROUGH = PROFILE == "thorough"
"""Whether this is CI's deeper run: more examples, and larger bodies where size matters."""


def examples(thorough: int) -> int:
    """A property test's example count: ``thorough`` in CI, an eighth by default."""
    return thorough if THOROUGH else max(20, thorough // 8)


T = TypeVar("T")

SAMPLES = sorted(SAMPLE_NAMES.values())


def sample_dict(name: str) -> dict[str, Any]:
    """A fresh, editable copy of a bundled sample."""
    return copy.deepcopy(_PARSED[name])


_PARSED = {name: json.loads(sample_body(name)) for name in SAMPLES}


def to_body(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.fixture(params=SAMPLES)
def sample_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@functools.cache
def fuzz_harness() -> ModuleType:
    """fuzz/fuzz_decode.py, a standalone script, loaded as a module."""
    path = Path(__file__).parent.parent / "fuzz" / "fuzz_decode.py"
    spec = importlib.util.spec_from_file_location("fuzz_decode", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nested_json(depth: int, kind: str = "array") -> bytes:
    """JSON nested ``depth`` levels deep: arrays, or objects of one key."""
    if kind == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"null" + b"}" * depth


class _Kept(msgspec.Struct):
    kept: int


def _raises_recursion_error(deep: bytes, read: str) -> bool:
    body = deep if read == "as a value" else b'{"kept":1,"skipped":' + deep + b"}"
    try:
        msgspec.json.decode(body, type=Any if read == "as a value" else _Kept)
    except RecursionError:
        return True
    return False


@functools.cache
def msgspec_recursion_depth(read: str = "any way") -> int:
    """A nesting depth at which msgspec's JSON decoder raises RecursionError here.

    How deep it gets first is the interpreter's choice, not msgspec's: the recursion
    limit on Python 3.10 and 3.11 (about 1,000 levels), the C recursion limit on 3.12
    (1,500) and 3.13 (10,000), the C stack left on 3.14 and later, where skipping an
    unknown field goes ten times deeper than reading a value. Doubling from 256: the
    first depth at which arrays and objects both raise it when ``read`` "as a value",
    "skipped" as an unknown field, or "any way" (both).
    """
    reads = ["as a value", "skipped"] if read == "any way" else [read]
    depth = 256
    while depth <= 1 << 23:
        bodies = [nested_json(depth, kind) for kind in ("array", "object")]
        if all(_raises_recursion_error(body, way) for way in reads for body in bodies):
            return depth
        depth *= 2
    raise AssertionError("msgspec read 8 million levels of nesting without a RecursionError")


# --- the processes tests start ----------------------------------------------------

EARLY = pytest.StashKey["Early"]()
CHILD_BYTECODE = pytest.StashKey[tuple[tempfile.TemporaryDirectory[str], str]]()


class Early:
    """Slow work in other processes (a type checker, a child pytest, shell sessions),
    started as soon as collection ends and run one job at a time on a thread.

    The test process keeps one core busy; a job's processes take the other. The tests
    that check jobs run last, so by then their results are usually waiting. Mark such
    a test ``@pytest.mark.early(job=job)`` and read ``early.result(job)`` in it;
    ``job`` takes no arguments and returns what the test checks.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early")
        self._started: dict[Callable[[], Any], Future[Any]] = {}

    def start(self, job: Callable[[], Any]) -> None:
        if job not in self._started:
            self._started[job] = self._pool.submit(job)

    def result(self, job: Callable[[], T]) -> T:
        """What ``job`` returned (raised), started now if it was not already."""
        self.start(job)
        return cast("T", self._started[job].result())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "early(job=job): start job() when collection ends (see tests/conftest.py)"
    )
    _share_child_bytecode(config)
    _ENVIRONMENT.update(os.environ)
    # Hypothesis builds its Unicode tables (seconds) once in its storage directory:
    # child pytest runs share this run's (hypothesis' default: .hypothesis here)
    # instead of building them again in each scratch directory.
    _ENVIRONMENT.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path.cwd() / ".hypothesis"))
    config.stash[EARLY] = Early()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("early") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    # Under pytest-xdist every worker collects every test: each job then starts when
    # a worker first asks for it, in that worker only.
    if session.config.option.collectonly or hasattr(session.config, "workerinput"):
        return
    for item in session.items:
        for marker in item.iter_markers("early"):
            session.config.stash[EARLY].start(marker.kwargs["job"])


def pytest_unconfigure(config: pytest.Config) -> None:
    if EARLY in config.stash:
        config.stash[EARLY].close()
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


@pytest.fixture(scope="session")
def early(pytestconfig: pytest.Config) -> Early:
    """The jobs tests marked ``early`` started when collection ended."""
    return pytestconfig.stash[EARLY]


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


# --- a real Redis -------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server for the session, on a free loopback port; stopped at the end."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_prefix(request: pytest.FixtureRequest) -> str:
    """A key prefix no other test uses, so tests sharing the server never meet."""
    return f"test:{request.node.name}:{os.urandom(4).hex()}:"
