"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

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

offsets = st.sampled_from([None, timedelta(0), timedelta(hours=9), timedelta(hours=-5)]) | (
    st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timedelta(minutes=m))
)
naive_datetimes = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31))


@st.composite
def timestamp_texts(draw: st.DrawFn) -> tuple[str, datetime]:
    """A timestamp in one of NHN's shapes and the aware datetime it must decode to."""
    kst = timezone(timedelta(hours=9))
    moment = draw(naive_datetimes).replace(microsecond=draw(st.sampled_from([0, 123000])))
    shape = draw(st.sampled_from(["offset", "naive", "space", "date", "zulu"]))
    if shape == "date":
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return moment.strftime("%Y-%m-%d"), day.replace(tzinfo=kst)
    if shape == "zulu":
        text = moment.isoformat(timespec="milliseconds") + "Z"
        return text, moment.replace(tzinfo=timezone.utc)
    if shape == "offset":
        offset = draw(offsets) or timedelta(hours=9)
        aware = moment.replace(tzinfo=timezone(offset))
        return aware.isoformat(timespec="milliseconds"), aware
    separator = "T" if shape == "naive" else " "
    return moment.isoformat(sep=separator), moment.replace(tzinfo=kst)


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    """A bundled sample with a few random edits anywhere in its tree."""
    data: Any = sample_dict(draw(st.sampled_from(SAMPLES)))
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
