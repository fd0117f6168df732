"""The promises behind decode() and decode_partial(), for any input.

- only DecodeError escapes either;
- the fast path never changes a result: decode() equals the careful path alone;
- decode_partial() of a body decode() accepts is that webhook with no failures;
- for a body decode() rejects at ``$.hooks[i]...``, decode_partial() keeps every other
  hook that decodes alone.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks import _careful
from nhn_webhooks.testing import strategies as nws
from tests.conftest import SAMPLES, examples, sample_dict, to_body
from tests.strategies import hostile_bodies, json_values, webhook_bodies


def decoded(body: Any) -> nw.Webhook | None:
    """decode(), with DecodeError as None: any other exception fails the test."""
    try:
        return nw.decode(body)
    except nw.DecodeError:
        return None


def careful(body: bytes) -> nw.Webhook | None:
    """The careful path alone: the reference decode() must agree with."""
    try:
        return _careful.decode_carefully(body, strict=False).webhook
    except nw.DecodeError:
        return None


@settings(max_examples=examples(500))
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf{}")
@example(b'{"productName":"SMS","event":"UNSUBSCRIBE","hooks":[{"hookId":"\\ud800"}]}')
def test_arbitrary_bytes_never_raise_anything_else(body: bytes) -> None:
    decoded(body)


@settings(max_examples=examples(300))
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_else(body: str) -> None:
    decoded(body)


@settings(max_examples=examples(300))
@given(json_values)
def test_arbitrary_json_never_raises_anything_else(value: object) -> None:
    decoded(json.dumps(value).encode())


BODIES: dict[str, st.SearchStrategy[bytes]] = {
    "sample": st.sampled_from(SAMPLES).map(lambda name: to_body(sample_dict(name))),
    "valid": nws.bodies(),
    "any-field-value": st.sampled_from([*nw.WEBHOOK_CLASSES, nw.UnknownWebhook]).flatmap(
        webhook_bodies
    ),
    "mutated": nws.mutated_bodies(),
    "hostile": hostile_bodies(),
}


@pytest.mark.parametrize("source", list(BODIES))
@settings(max_examples=examples(300))
@given(data=st.data())
def test_fast_and_careful_paths_agree(source: str, data: st.DataObject) -> None:
    body = data.draw(BODIES[source], label="body")
    fast, reference = decoded(body), careful(body)
    assert fast == reference
    if source in ("sample", "valid", "any-field-value"):
        assert fast is not None


@settings(max_examples=examples(300))
@given(nws.mutated_bodies(), st.integers(min_value=0, max_value=40))
def test_truncated_bodies_never_raise_anything_else(body: bytes, cut: int) -> None:
    decoded(body[: max(0, len(body) - cut)])


# --- decode_partial: the careful path, keeping good hooks -------------------------


def partial(body: Any) -> nw.PartialWebhook | nw.DecodeError:
    try:
        return nw.decode_partial(body)
    except nw.DecodeError as exc:
        return exc


def split(body: bytes) -> tuple[list[bytes], list[bytes]]:
    """The body's top-level ``"key": value`` pairs but hooks, and each hook, as sent."""
    top = msgspec.json.decode(body, type=dict[str, msgspec.Raw])
    hooks = msgspec.json.decode(top.pop("hooks"), type=list[msgspec.Raw])
    pairs = [json.dumps(key).encode() + b":" + bytes(raw) for key, raw in top.items()]
    return pairs, [bytes(hook) for hook in hooks]


def alone(pairs: list[bytes], hook: bytes) -> bytes:
    """A body with the envelope as sent and this one hook."""
    return b"{" + b",".join([*pairs, b'"hooks":[' + hook + b"]"]) + b"}"


@settings(max_examples=examples(800))
@given(nws.mutated_bodies(), st.data())
def test_decode_partial_keeps_every_hook_that_decodes_alone(
    body: bytes, data: st.DataObject
) -> None:
    given_body = data.draw(nws.received(st.just(body)), label="as received")
    webhook = decoded(given_body)
    result = partial(given_body)
    if webhook is not None:
        assert result == nw.PartialWebhook(webhook=webhook, failures=())
        return
    try:
        nw.decode(given_body)
    except nw.DecodeError as exc:
        error = exc
    if not error.path.startswith("$.hooks["):
        assert isinstance(result, nw.DecodeError)
        assert str(result) == str(error)
        return
    assert isinstance(result, nw.PartialWebhook), f"{error} but {result}"
    assert str(result.failures[0].error) == str(error)
    failed = {failure.index for failure in result.failures}
    kept = iter(result.webhook.hooks)
    pairs, hooks = split(body)
    for index, hook in enumerate(hooks):
        ours = None if index in failed else next(kept)
        single = alone(pairs, hook)
        by_itself = decoded(single)
        if by_itself is None or type(by_itself) is not type(result.webhook):
            continue  # does not decode alone, or alone it is another class
        assert ours == by_itself.hooks[0], index
