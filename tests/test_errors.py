"""The error tree, and DecodeError messages that name the JSON path."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks._errors import MAX_MESSAGE, MAX_PATH, MAX_REASON
from tests.conftest import examples, msgspec_recursion_depth, nested_json, sample_dict, to_body
from tests.strategies import long_content_bodies, one_result_bodies


def test_error_tree_has_one_root_and_every_class_is_a_value_error() -> None:
    for cls in (nw.DecodeError, nw.UnknownEventError, nw.SignatureError, nw.StoreError):
        assert issubclass(cls, nw.WebhookError)
        assert issubclass(cls, ValueError)
    assert issubclass(nw.UnknownEventError, nw.DecodeError)
    assert not issubclass(nw.SignatureError, nw.DecodeError)
    assert not issubclass(nw.StoreError, nw.DecodeError)


def test_every_error_class_has_a_docstring() -> None:
    for cls in (
        nw.WebhookError,
        nw.DecodeError,
        nw.UnknownEventError,
        nw.SignatureError,
        nw.StoreError,
    ):
        assert cls.__doc__
        assert cls.__doc__.strip()


def test_decode_error_message_is_path_then_reason() -> None:
    error = nw.DecodeError("$.hooks[3].recipientSeq", 'expected int, got "abc"')
    assert str(error) == '$.hooks[3].recipientSeq: expected int, got "abc"'
    assert (error.path, error.reason) == ("$.hooks[3].recipientSeq", 'expected int, got "abc"')


@pytest.mark.parametrize(
    "error",
    [nw.DecodeError("$.a", "bad"), nw.UnknownEventError("SMS", "X")],
)
def test_errors_survive_pickling(error: nw.DecodeError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)


def hook_error(sample: str, index: int = 0, **changes: Any) -> nw.DecodeError:
    data = sample_dict(sample)
    data["hooks"] = [data["hooks"][0]] * (index + 1)
    data["hooks"][index] = dict(data["hooks"][index], **changes)
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    return caught.value


def test_wrong_int_names_the_path_and_shows_the_value() -> None:
    error = hook_error("sms-message-result-update", index=3, recipientSeq="abc")
    assert str(error) == '$.hooks[3].recipientSeq: expected int, got "abc"'


@pytest.mark.parametrize(
    ("value", "shown"), [(1.5, "1.5"), (None, "null"), (True, "true"), ([1], "an array")]
)
def test_wrong_int_of_any_json_type_is_described(value: Any, shown: str) -> None:
    error = hook_error("sms-message-result-update", recipientSeq=value)
    assert str(error) == f"$.hooks[0].recipientSeq: expected int, got {shown}"


def test_wrong_optional_int_says_int_or_null() -> None:
    error = hook_error("sms-message-result-update", messageCount="many")
    assert error.path == "$.hooks[0].messageCount"
    assert error.reason == 'expected int, got "many"'


def test_missing_required_field_names_the_field() -> None:
    data = sample_dict("sms-unsubscribe")
    del data["hooks"][0]["recipientNo"]
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert str(caught.value) == "$.hooks[0].recipientNo: missing required field"


def test_missing_envelope_field_names_the_field() -> None:
    data = sample_dict("sms-unsubscribe")
    del data["hooksId"]
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert caught.value.path == "$.hooksId"


def test_wrong_nested_type_names_the_nested_path() -> None:
    error = hook_error("sms-message-result-update", _links={"self": 3})
    assert str(error) == "$.hooks[0]._links.self: expected object, got 3"


def test_long_values_are_shortened_in_messages() -> None:
    error = hook_error("sms-message-result-update", recipientSeq="x" * 500)
    assert len(str(error)) < 100
    assert error.reason.endswith('..."') or error.reason.endswith("...")


def test_hook_that_is_not_an_object() -> None:
    data = sample_dict("sms-unsubscribe")
    data["hooks"] = [5]
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert str(caught.value) == "$.hooks[0]: expected object, got 5"


def test_hooks_that_are_not_a_list() -> None:
    data = sample_dict("sms-unsubscribe")
    data["hooks"] = {"a": 1}
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert caught.value.path == "$.hooks"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "malformed JSON: Input data was truncated"),
        (b'{"a": 1', "malformed JSON: Input data was truncated"),
        (b"nope", "malformed JSON: invalid character (byte 4)"),
        (b"{} x", "malformed JSON: trailing characters (byte 4)"),
        (b"[1, 2]", "expected a JSON object, got an array"),
        (b'"text"', 'expected a JSON object, got "text"'),
        (b"NaN", "malformed JSON: invalid character (byte 0)"),
    ],
)
def test_body_level_problems_are_reported_at_the_root(body: bytes, reason: str) -> None:
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body)
    assert caught.value.path == "$"
    assert caught.value.reason == reason


def test_invalid_utf8_inside_a_string_is_a_decode_error() -> None:
    body = to_body(sample_dict("sms-unsubscribe")).replace(b"NHN Cloud", b"NHN \xff Cloud")
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body)
    assert caught.value.path == "$"
    assert "UTF-8" in caught.value.reason


def test_unpaired_surrogate_in_a_str_body_is_a_decode_error() -> None:
    body = to_body(sample_dict("sms-unsubscribe")).decode().replace("NHN", "\ud800")
    with pytest.raises(nw.DecodeError):
        nw.decode(body)


def deep_extra_field(depth: int, kind: str = "array") -> bytes:
    data = to_body(sample_dict("sms-unsubscribe"))
    return data[:-1] + b', "deep": ' + nested_json(depth, kind) + b"}"


def test_moderate_nesting_in_an_ignored_field_decodes() -> None:
    assert isinstance(nw.decode(deep_extra_field(200)), nw.SmsUnsubscribe)


# How deep msgspec reads before a RecursionError is the interpreter's (conftest's
# msgspec_recursion_depth): these depths are this interpreter's limit and far beyond it.
BEYOND = pytest.mark.parametrize("times", [1, 64], ids=["at_the_limit", "far_beyond"])
TOO_DEEP = "$: JSON nested too deeply"


@BEYOND
@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize("decode", [nw.decode, nw.decode_partial])
def test_deep_nesting_in_an_ignored_field_is_a_decode_error(
    decode: Callable[[bytes], object], kind: str, times: int
) -> None:
    with pytest.raises(nw.DecodeError) as caught:
        decode(deep_extra_field(msgspec_recursion_depth() * times, kind))
    assert str(caught.value) == TOO_DEEP
    assert isinstance(caught.value.__cause__, RecursionError)


@BEYOND
@pytest.mark.parametrize("decode", [nw.decode, nw.decode_partial])
def test_very_deep_nesting_is_reported_as_too_deep(
    decode: Callable[[bytes], object], times: int
) -> None:
    with pytest.raises(nw.DecodeError) as caught:
        decode(nested_json(msgspec_recursion_depth() * times))
    assert str(caught.value) == TOO_DEEP


def salvage_body(depth: int, kind: str) -> bytes:
    """Two hooks: the first with a bad recipientSeq (so decode_partial salvages hook by
    hook), the second with an unknown field nested ``depth`` levels deep."""
    data = sample_dict("sms-message-result-update")
    hook = data["hooks"][0]
    data["hooks"] = [{**hook, "recipientSeq": "abc"}, {**hook, "deep": "@deep@"}]
    return to_body(data).replace(b'"@deep@"', nested_json(depth, kind))


@pytest.mark.parametrize("kind", ["array", "object"])
def test_nesting_around_the_limit_never_lets_a_recursion_error_out_of_decode_partial(
    kind: str,
) -> None:
    # The salvage path parses the body as values (then converts hook by hook), so it
    # meets the deep hook near that limit. From half of it to all of it in 64 steps,
    # every depth gives a result or a DecodeError.
    limit = msgspec_recursion_depth("as a value")
    outcomes = set()
    for depth in range(limit // 2, limit + 1, max(1, limit // 128)):
        try:
            result = nw.decode_partial(salvage_body(depth, kind))
        except nw.DecodeError as exc:
            outcomes.add(str(exc))
        else:
            assert [failure.index for failure in result.failures] == [0]
            assert len(result.webhook.hooks) == 1
            outcomes.add("salvaged")
    assert outcomes == {"salvaged", TOO_DEEP}  # and the steps straddle the limit


def test_wrong_argument_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        nw.decode(123)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "control", ["\u2028", "\u2029", "\u0085", "\u202e", "\n", "\x1b", "\u200f"]
)
def test_a_decode_error_is_one_log_safe_line(control: str) -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["recipientSeq"] = f"a{control}b"
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    message = str(caught.value)
    assert message.isprintable()
    assert len(message.splitlines()) == 1
    assert message.startswith("$.hooks[0].recipientSeq: expected int, got ")
    assert "\\" in message  # written as an escape


# --- bounded messages ----------------------------------------------------------------

MB = 1_000_000


def message(body: bytes, strict: bool = False) -> str:
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body, strict=strict)
    return str(caught.value)


def test_a_megabyte_product_name_is_shortened_in_strict_mode() -> None:
    body = to_body({**sample_dict("sms-unsubscribe"), "productName": "P" * MB})
    text = message(body, strict=True)
    assert text == f"$: unknown product/event '{'P' * 36}.../'UNSUBSCRIBE' (strict mode)"
    with pytest.raises(nw.UnknownEventError) as caught:
        nw.decode(body, strict=True)
    assert caught.value.product_name == "P" * MB  # the attribute keeps the name as sent


def test_a_megabyte_key_name_is_elided_from_the_path() -> None:
    data = {**sample_dict("sms-unsubscribe"), "k" * MB: 0}
    body = to_body(data).replace(b": 0}", b": 1e400}")
    assert isinstance(nw.decode(body), nw.SmsUnsubscribe)  # a key no model reads: skipped
    # An unknown event keeps every key (UnknownWebhook), so there the number is read.
    text = message(body.replace(b'"UNSUBSCRIBE"', b'"NEW"'))
    assert len(text) <= MAX_MESSAGE
    assert text == f"$.{'k' * 96}...{'k' * 98}: number out of range"


def test_a_path_of_hundreds_of_steps_keeps_both_ends() -> None:
    depth = min(900, msgspec_recursion_depth() - 50)
    value = "[0," * depth + "1e400" + "]" * depth
    body = to_body({**sample_dict("sms-unsubscribe"), "event": "NEW", "data": 0})
    text = message(body.replace(b'"data": 0', b'"data": ' + value.encode()))
    path, _, reason = text.rpartition(": ")
    steps = "$.data" + "[1]" * depth
    assert (len(path), reason) == (MAX_PATH - 1, "number out of range")
    assert path == steps[:98] + "..." + steps[-98:]


def test_the_bounds_apply_to_errors_built_directly() -> None:
    error = nw.DecodeError("$" + ".x" * 1_000, "y" * 1_000)
    assert len(error.path) <= MAX_PATH
    assert len(error.reason) == MAX_REASON
    assert error.reason.endswith("...")
    assert len(str(error)) <= MAX_MESSAGE
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


@settings(max_examples=examples(300))
@given(one_result_bodies() | long_content_bodies(), st.booleans())
def test_every_message_is_bounded(body: bytes, strict: bool) -> None:
    messages: list[str] = []
    for function in (nw.decode, nw.decode_partial):
        try:
            result = function(body, strict=strict)
        except nw.DecodeError as exc:
            messages.append(str(exc))
            continue
        messages += [str(failure.error) for failure in getattr(result, "failures", ())]
    assert all(len(text) <= MAX_MESSAGE for text in messages), max(messages, key=len)
