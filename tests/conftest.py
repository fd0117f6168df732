"""Shared fixtures: the bundled samples as bytes and as editable dicts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from nhn_webhooks._samples import SAMPLE_NAMES, sample_body

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")

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
