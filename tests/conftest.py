"""Shared fixtures: the bundled samples as bytes and as editable dicts, the property
tests' depth, the hooks of the early jobs (``tests/support/early.py``), and a real
redis-server."""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, settings

from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body
from tests.support import early

# Early and child_environment live in tests/support/early.py; importing them from here still works.
from tests.support.early import Early as Early
from tests.support.early import child_environment as child_environment
from tests.support.redis_server import RedisServer

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
IN_CI = bool(os.environ.get("CI"))
"""Whether .ci/run (or .ci/pythons under it) runs the suite: full-size process tests,
and no skipping a component CI installs."""


def examples(thorough: int) -> int:
    """A property test's example count: ``thorough`` in CI, an eighth by default."""
    return thorough if THOROUGH else max(20, thorough // 8)


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
    return _script("fuzz", "fuzz_decode")


@functools.cache
def bench_workloads() -> ModuleType:
    """benchmarks/workloads.py (the bodies the benchmark times), loaded as a module."""
    return _script("benchmarks", "workloads")


def _script(folder: str, name: str) -> ModuleType:
    path = Path(__file__).parent.parent / folder / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{folder}_{name}", path)
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


# --- the processes tests start (tests/support/early.py) ------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    early.configure(config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    early.sort_early_last(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    early.start_jobs(session)


def pytest_unconfigure(config: pytest.Config) -> None:
    early.unconfigure(config)


@pytest.fixture(name="early", scope="session")
def early_fixture(pytestconfig: pytest.Config) -> Early:
    """The jobs tests marked ``early`` started when collection ended."""
    return early.jobs(pytestconfig)


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
