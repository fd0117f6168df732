"""Shared fixtures: the bundled samples as bytes and as editable dicts."""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from nhn_webhooks._samples import SAMPLE_NAMES, sample_body

# Two depths for the property tests. "default" keeps the whole suite quick enough to
# run before every commit; CI exports HYPOTHESIS_PROFILE=thorough for four times the
# examples. examples(n) scales a test's own count the same way.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", settings.get_profile("default"), max_examples=400)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)
THOROUGH = PROFILE == "thorough"
"""Whether this is CI's deeper run: more examples, and larger bodies where size matters."""


def examples(thorough: int) -> int:
    """A property test's example count: ``thorough`` in CI, a quarter by default."""
    return thorough if THOROUGH else max(20, thorough // 4)


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


@pytest.fixture(scope="session", autouse=True)
def child_bytecode_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Lets the Python processes the tests start share their compiled bytecode.

    Under PYTHONDONTWRITEBYTECODE every child recompiles what it imports, and a child
    pytest rewrites the assertions of every module of its plugins' distributions (all
    of hypothesis: about 2 s) again. The children cache it in this session's
    temporary directory instead, so the source tree and site-packages stay untouched.
    """
    if not sys.dont_write_bytecode:
        yield
        return
    with pytest.MonkeyPatch.context() as environment:
        environment.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        environment.setenv("PYTHONPYCACHEPREFIX", str(tmp_path_factory.mktemp("pycache")))
        yield
