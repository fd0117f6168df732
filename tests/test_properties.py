"""The promise behind decode(): for any input it returns a webhook or raises DecodeError."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks import _careful
from nhn_webhooks.testing import strategies as nws
from tests.conftest import examples
from tests.strategies import json_values, mutated_bodies, mutated_samples


def decodes_or_raises_decode_error(body: bytes | str) -> nw.Webhook | None:
    try:
        return nw.decode(body)
    except nw.DecodeError:
        return None


@settings(max_examples=examples(500))
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf{}")
@example(b'{"productName":"SMS","event":"UNSUBSCRIBE","hooks":[{"hookId":"\\ud800"}]}')
def test_arbitrary_bytes_never_raise_anything_else(body: bytes) -> None:
    decodes_or_raises_decode_error(body)


@settings(max_examples=examples(300))
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_else(body: str) -> None:
    decodes_or_raises_decode_error(body)


@settings(max_examples=examples(300))
@given(json_values)
def test_arbitrary_json_never_raises_anything_else(value: object) -> None:
    decodes_or_raises_decode_error(json.dumps(value).encode())


@settings(max_examples=examples(1000))
@given(mutated_samples())
def test_mutated_samples_never_raise_anything_else(body: bytes) -> None:
    decodes_or_raises_decode_error(body)


def careful_or_none(body: bytes) -> nw.Webhook | None:
    """The careful path alone: the reference decode() must agree with."""
    try:
        return _careful.decode_carefully(body, strict=False)
    except nw.DecodeError:
        return None


@settings(max_examples=examples(500))
@given(mutated_samples())
def test_fast_path_never_disagrees_with_the_careful_path(body: bytes) -> None:
    assert decodes_or_raises_decode_error(body) == careful_or_none(body)


@settings(max_examples=examples(300))
@given(mutated_samples(), st.integers(min_value=0, max_value=40))
def test_truncated_samples_never_raise_anything_else(body: bytes, cut: int) -> None:
    decodes_or_raises_decode_error(body[: max(0, len(body) - cut)])


@settings(max_examples=examples(100))
@given(nws.bodies())
def test_fast_and_careful_paths_agree_on_every_valid_body(body: bytes) -> None:
    assert nw.decode(body) == _careful.decode_carefully(body, strict=False)


@settings(max_examples=examples(150))
@given(mutated_bodies())
def test_mutated_generated_bodies_decode_alike_on_both_paths(body: bytes) -> None:
    assert decodes_or_raises_decode_error(body) == careful_or_none(body)
