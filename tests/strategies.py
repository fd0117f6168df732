"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from nhn_webhooks.testing import strategies as nws
from tests.conftest import SAMPLES, sample_dict

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

naive_datetimes = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31))


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    """A bundled sample with a few random edits anywhere in its tree."""
    return _mutated(draw, sample_dict(draw(st.sampled_from(SAMPLES))))


@st.composite
def mutated_bodies(draw: st.DrawFn) -> bytes:
    """A generated valid body (any class, any of NHN's spellings) with a few random edits."""
    return _mutated(draw, draw(nws.payloads()))


def _mutated(draw: st.DrawFn, data: Any) -> bytes:
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        data = _mutate(draw, data)
    return json.dumps(data).encode()


def _mutate(draw: st.DrawFn, node: Any) -> Any:
    """Replace, drop or add something at a random depth of ``node``."""
    if isinstance(node, dict) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node)))
        action = draw(st.sampled_from(["descend", "replace", "drop", "add"]))
        if action == "descend":
            node[key] = _mutate(draw, node[key])
        elif action == "replace":
            node[key] = draw(json_values)
        elif action == "drop":
            del node[key]
        else:
            node[draw(st.text(max_size=12))] = draw(json_values)
        return node
    if isinstance(node, list) and node and draw(st.booleans()):
        index = draw(st.integers(min_value=0, max_value=len(node) - 1))
        node[index] = _mutate(draw, node[index])
        return node
    return draw(json_values)
