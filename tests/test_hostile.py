"""Hostile and broken bodies: only DecodeError escapes, and cost stays linear in size.

A webhook endpoint is public, so decode() meets whatever anyone sends. The campaign
mutates valid bodies the ways attackers and broken proxies do (dropped keys, wrong
types, huge numbers, NaN/Infinity, deep nesting, long strings, invalid UTF-8, a BOM,
duplicate keys, nulls everywhere) and checks that each one decodes or raises
DecodeError, and that whatever decodes also survives encode().
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any, NamedTuple

import msgspec
import pytest
from hypothesis import assume, example, given, settings

import nhn_webhooks as nw
from nhn_webhooks import _careful
from tests.conftest import (
    SAMPLES,
    THOROUGH,
    bench_workloads,
    examples,
    msgspec_recursion_depth,
    sample_dict,
    to_body,
)
from tests.strategies import (
    INVALID_UTF8,
    Pairs,
    Raw,
    _nested,
    _nulls_everywhere,
    _raw_string,
    hostile_bodies,
    render,
)

# --- the campaign ----------------------------------------------------------------


def decode_or_none(body: bytes | str) -> nw.Webhook | None:
    """decode(), with DecodeError as None: any other exception fails the test."""
    try:
        return nw.decode(body)
    except nw.DecodeError:
        return None


def assert_survives_encode(webhook: nw.Webhook | None) -> None:
    if webhook is not None:
        assert nw.decode(nw.encode(webhook)) == webhook


@settings(max_examples=examples(200))
@given(hostile_bodies())
@example(b"\xef\xbb\xbf" + to_body(sample_dict("sms-unsubscribe")))
@example(render({"productName": Raw("NaN"), "hooks": []}))
@example(render(Pairs([("productName", "SMS"), ("productName", "Email")])))
def test_hostile_body_decodes_or_raises_decode_error(body: bytes) -> None:
    assert_survives_encode(decode_or_none(body))


def is_utf8(body: bytes) -> bool:
    try:
        body.decode()
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=examples(100))
@given(hostile_bodies())
def test_hostile_body_as_text_decodes_like_the_bytes(body: bytes) -> None:
    text = body.decode("utf-8", "surrogateescape")  # lone surrogates where bytes were bad
    from_bytes = decode_or_none(body)
    # Bytes that are not UTF-8 have no text form: the surrogates stand for bytes, and
    # a str holding them is not text. Such a body may decode (the bad bytes under a
    # key no model reads) while its surrogate rendering cannot.
    assume(from_bytes is None or is_utf8(body))
    assert decode_or_none(text) == from_bytes


# --- explicit cases: each hostile shape, and what it must give -------------------


def sms_body(**hook_changes: Any) -> dict[str, Any]:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0].update(hook_changes)
    return data


def decode_error(body: bytes | str) -> nw.DecodeError:
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(body)
    return caught.value


@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize("times", [1, 64], ids=["at_the_limit", "far_beyond"])
def test_deep_nesting_is_a_decode_error(kind: str, times: int) -> None:
    # The limit is this interpreter's (conftest's msgspec_recursion_depth).
    depth = max(msgspec_recursion_depth() * times, 1_000_000 if times > 1 else 0)
    for body in (
        render(_nested(depth, kind)),
        render({"productName": "Push", "hooks": [{"x": _nested(depth, kind)}]}),
        render(sms_body(extra=_nested(depth, kind))),
    ):
        assert decode_error(body).reason == "JSON nested too deeply"


def test_moderate_nesting_in_an_unknown_hook_is_kept_and_survives_encode() -> None:
    envelope = {"hooksId": "P", "webhookConfigId": "C", "productName": "Push", "appKey": "A"}
    body = render({**envelope, "event": "SENT", "hooks": [{"x": _nested(200, "array")}]})
    webhook = nw.decode(body)
    assert isinstance(webhook, nw.UnknownWebhook)
    assert_survives_encode(webhook)


@pytest.mark.parametrize(
    "bom", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"], ids=["utf8", "utf16le", "utf16be"]
)
def test_byte_order_mark_is_a_decode_error(bom: bytes) -> None:
    # NHN sends UTF-8 without a BOM (RFC 8259 forbids senders to add one); a body
    # with one did not come from NHN unaltered.
    error = decode_error(bom + to_body(sample_dict("sms-unsubscribe")))
    assert error.path == "$"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_body_in_another_encoding_is_a_decode_error(encoding: str) -> None:
    decode_error(json.dumps(sample_dict("sms-unsubscribe")).encode(encoding))


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
@pytest.mark.parametrize("field", ["recipientSeq", "sendNo", "requestDate", "messageCount"])
def test_non_finite_number_literal_is_a_decode_error(literal: str, field: str) -> None:
    decode_error(render(sms_body(**{field: Raw(literal)})))


def test_non_finite_number_in_an_unknown_hook_is_a_decode_error() -> None:
    decode_error(render({"productName": "Push", "hooks": [{"x": Raw("Infinity")}]}))


@pytest.mark.parametrize("digits", [20, 100, 4300])
def test_huge_json_integer_in_an_int_field_is_read_exactly(digits: int) -> None:
    webhook = nw.decode(render(sms_body(recipientSeq=Raw("9" * digits))))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].recipient_seq == int("9" * digits)
    assert_survives_encode(webhook)


def test_integer_longer_than_python_reads_is_a_decode_error() -> None:
    assert "out of range" in decode_error(render(sms_body(recipientSeq=Raw("9" * 4301)))).reason


@pytest.mark.parametrize(("digits", "accepted"), [(19, True), (20, False)])
def test_digit_string_integers_are_capped_at_19_digits(digits: int, accepted: bool) -> None:
    body = to_body(sms_body(recipientSeq="9" * digits))
    if accepted:
        assert nw.decode(body).hooks[0].recipient_seq == int("9" * digits)  # type: ignore[union-attr]
    else:
        assert decode_error(body).path == "$.hooks[0].recipientSeq"


def test_duplicate_envelope_key_last_one_wins() -> None:
    data = sample_dict("email-unsubscribe")
    items = [("productName", "SMS"), *data.items()]  # NHN's spelling is the later one
    assert isinstance(nw.decode(render(Pairs(items))), nw.EmailUnsubscribe)


def test_duplicate_hook_key_last_one_wins_even_if_the_first_is_invalid() -> None:
    hook = sample_dict("sms-message-result-update")["hooks"][0]
    data = sms_body()
    data["hooks"] = [Pairs([("recipientSeq", "not a number"), *hook.items()])]
    webhook = nw.decode(render(data))
    assert webhook.hooks[0].recipient_seq == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", INVALID_UTF8, ids=lambda b: b.hex())
def test_invalid_utf8_in_a_string_is_a_decode_error(bad: bytes) -> None:
    for body in (
        sms_body(hookId=_raw_string(b"ab" + bad)),
        {"productName": "Push", "hooks": [{"x": _raw_string(bad)}]},
        sms_body(receiveDate="2023-06-01", hookId=_raw_string(bad)),  # careful path
    ):
        assert decode_error(render(body)).path == "$"


UNREAD_BUT_INVALID = {
    "invalid UTF-8": _raw_string(b"ab\xff"),
    "UTF-16 surrogate as UTF-8": _raw_string(b"\xed\xa0\x80"),
    "number out of range": Raw("1e400"),
    "integer out of range": Raw("9" * 4301),
}


@pytest.mark.parametrize("value", UNREAD_BUT_INVALID.values(), ids=list(UNREAD_BUT_INVALID))
def test_invalid_json_under_a_key_the_models_do_not_read_is_skipped(value: Raw) -> None:
    # The documented policy (docs/security.md): values under keys the models do not
    # read are checked for JSON syntax only, as every msgspec Struct decoder skips
    # them; checking UTF-8 up front would cost as much as the decode for non-ASCII
    # bodies.
    webhook = nw.decode(render(sms_body(extra=value)))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].recipient_seq == 1


@pytest.mark.parametrize("value", UNREAD_BUT_INVALID.values(), ids=list(UNREAD_BUT_INVALID))
@pytest.mark.parametrize("where", ["envelope", "hook", "nested", "key name"])
def test_the_careful_path_skips_them_too(value: Raw, where: str) -> None:
    # A date-only receiveDate sends the body down the careful path: the policy is
    # the same there, wherever the unread key sits.
    data = sms_body(receiveDate="2023-06-01")
    if where == "envelope":
        data["extra"] = value
    elif where == "hook":
        data["hooks"][0]["extra"] = value
    elif where == "nested":
        data["hooks"][0]["_link"]["self"]["extra"] = {"deep": [value]}
    else:
        data["hooks"][0] = Pairs([*data["hooks"][0].items(), (_raw_string(b"k\xff"), value)])
    webhook = nw.decode(render(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].receive_date is not None
    assert nw.decode_partial(render(data)).ok


def test_lone_surrogate_in_a_text_body_is_a_decode_error() -> None:
    decode_error(json.dumps(sms_body(), ensure_ascii=False).replace("COMPLETED", "\ud800"))


def test_escaped_lone_surrogate_is_a_decode_error() -> None:
    decode_error(render(sms_body(hookId=Raw('"\\ud800"'))))


@pytest.mark.parametrize("name", SAMPLES)
def test_nulls_everywhere_is_a_decode_error_for_a_known_event(name: str) -> None:
    sample = sample_dict(name)
    data = {**_nulls_everywhere(sample), "productName": sample["productName"]}
    data["event"] = sample["event"]
    assert decode_error(to_body(data)).path.startswith("$.")


@pytest.mark.parametrize("name", SAMPLES)
def test_nulls_everywhere_is_rejected_at_the_first_envelope_field(name: str) -> None:
    data = _nulls_everywhere(sample_dict(name))
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert str(caught.value) == "$.hooksId: expected str, got null"


@pytest.mark.parametrize("name", SAMPLES)
def test_null_in_each_required_field_names_that_field(name: str) -> None:
    sample = sample_dict(name)
    webhook = nw.decode(to_body(sample))
    required = [f.encode_name for f in msgspec.structs.fields(type(webhook.hooks[0])) if f.required]
    for key in required:
        data = sample_dict(name)
        data["hooks"][0][key] = None
        assert decode_error(to_body(data)).path == f"$.hooks[0].{key}"


@pytest.mark.parametrize("hooks", [None, {}, "hooks", 1, [None], [1], [[]]])
def test_hooks_of_the_wrong_type_are_a_decode_error(hooks: Any) -> None:
    decode_error(to_body({**sample_dict("sms-unsubscribe"), "hooks": hooks}))
    decode_error(to_body({"productName": "Push", "hooks": hooks}))


@pytest.mark.parametrize("body", [b"", b" ", b"null", b"[]", b'"SMS"', b"1", b"\x00", b"{"])
def test_a_body_that_is_not_an_object_is_a_decode_error(body: bytes) -> None:
    assert decode_error(body).path == "$"


def test_ten_megabyte_string_is_kept_whole() -> None:
    name = "\uac00" * 3_500_000  # 10.5 MB as UTF-8
    webhook = nw.decode(to_body({**sample_dict("sms-unsubscribe"), "appKey": name}))
    assert webhook.app_key == name


# --- linear cost -----------------------------------------------------------------

MB = 1_000_000
# Ten times the size: quadratic work shows as about ten times the relative cost. CI
# (the thorough profile) checks up to 10 MB; a local run up to 5 MB, at half the cost.
SIZES = (1 * MB, 10 * MB) if THOROUGH else (MB // 2, 5 * MB)
ROUNDS = 3


def many_hooks(name: str, size: int, **changes: Any) -> bytes:
    """Sample ``name`` with its hook repeated until the body is about ``size`` bytes."""
    data = sample_dict(name)
    hook = {**data["hooks"][0], **changes}
    data["hooks"] = [hook] * max(1, size // len(to_body(hook)))
    return to_body(data)


def one_long_string(size: int) -> bytes:
    return to_body({**sample_dict("sms-unsubscribe"), "appKey": "\uac00" * (size // 3)})


def escaped_string(size: int) -> bytes:
    text = 'é\n"\\' * (size // 16)
    return json.dumps({**sample_dict("sms-unsubscribe"), "appKey": text}).encode()


def unknown_event(size: int) -> bytes:
    return many_hooks("sms-unsubscribe", size).replace(b'"UNSUBSCRIBE"', b'"UNKNOWN"', 1)


def last_hook_invalid(size: int) -> bytes:
    body = many_hooks("sms-message-result-update", size)
    cut = body.rindex(b'"recipientSeq": 1')
    return body[:cut] + b'"recipientSeq": "x"' + body[cut + len(b'"recipientSeq": 1') :]


def _parse_then_convert(cls: type[Any]) -> Callable[[bytes], object]:
    def reference(body: bytes) -> object:
        return msgspec.convert(msgspec.json.decode(body), cls)

    return reference


class Case(NamedTuple):
    build: Callable[[int], bytes]
    reference: Callable[[bytes], object]
    """msgspec doing the same work alone: the yardstick decode's cost is measured by."""


LINEAR_CASES = {
    "many hooks, fast path": Case(
        lambda size: many_hooks("sms-message-result-update", size),
        msgspec.json.Decoder(nw.SmsMessageResultUpdate).decode,
    ),
    "one long string": Case(one_long_string, msgspec.json.Decoder(nw.SmsUnsubscribe).decode),
    "long escaped string": Case(escaped_string, msgspec.json.Decoder(nw.SmsUnsubscribe).decode),
    "many hooks, careful path (date-only timestamps)": Case(
        lambda size: many_hooks("kakao-message-result-update", size), msgspec.json.decode
    ),
    "many hooks, unknown event": Case(unknown_event, _parse_then_convert(nw.UnknownWebhook)),
    "many hooks, last one invalid": Case(last_hook_invalid, msgspec.json.decode),
}


def cpu_seconds(function: Callable[[bytes], object], body: bytes, repeat: int) -> float:
    """Best of ``repeat`` runs, in this thread's CPU time: steadier than wall time on a
    busy host, and blind to the early jobs' thread (tests/conftest.py).

    The garbage collector is off while a run is timed, as in timeit: a collection
    costs what the whole process holds, not what the run did.
    """
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.thread_time()
            with contextlib.suppress(nw.DecodeError, msgspec.ValidationError):
                function(body)
            best = min(best, time.thread_time() - start)
    finally:
        if collecting:
            gc.enable()
    return best


def relative_costs(
    subject: Callable[[bytes], object],
    case: Case,
    sizes: tuple[int, ...],
    expect_linear: bool = True,
) -> list[float]:
    """``subject``'s cost divided by the reference's, on the same body, at each size.

    Each cost is the best of its runs: a busy host only ever adds time. Costs that do
    not look as expected (linear, unless ``expect_linear`` is false) are measured
    again, up to ``ROUNDS`` times, before they are believed: a busy host can make one
    round look either way, but the best of several rounds converges on the true costs
    (quadratic work never gets faster, however often it is measured).
    """
    bodies = [case.build(size) for size in sizes]
    best = [[float("inf")] * 2 for _ in bodies]  # [reference, subject] at each size
    for _ in range(ROUNDS):
        for position, (body, times) in enumerate(zip(bodies, best, strict=True)):
            repeat = 1 if position else 5  # long runs vary little in CPU time
            for index, function in enumerate((case.reference, subject)):
                times[index] = min(times[index], cpu_seconds(function, body, repeat))
        costs = [subject_time / max(reference, 1e-6) for reference, subject_time in best]
        if grows_linearly(costs) == expect_linear:
            break
    return costs


def grows_linearly(costs: list[float]) -> bool:
    """Whether relative costs stay flat (quadratic work makes them grow with size)."""
    return max(costs[1:]) / costs[0] < 3


@pytest.mark.parametrize("name", LINEAR_CASES)
def test_decode_cost_grows_linearly_with_the_body_size(name: str) -> None:
    # Raw times grow faster than the size once a body no longer fits the CPU caches,
    # for msgspec alone too, so what must stay flat is decode()'s cost relative to
    # msgspec doing the same parse on the same body: a quadratic step in decode()
    # would make it about ten times larger at the larger of SIZES than at the smaller.
    costs = relative_costs(nw.decode, LINEAR_CASES[name], SIZES)
    assert grows_linearly(costs), costs


def test_the_linearity_check_catches_a_quadratic_step() -> None:
    def decode_after_rescanning(body: bytes) -> object:
        for end in range(0, len(body), 1_000):
            body.count(b"{", 0, end)  # the prefix scanned again for every kilobyte: O(n**2)
        return msgspec.json.decode(body)

    case = Case(lambda size: many_hooks("sms-unsubscribe", size), msgspec.json.decode)
    sizes = (100_000, 1 * MB)  # quadratic: about ten times the relative cost
    costs = relative_costs(decode_after_rescanning, case, sizes, expect_linear=False)
    assert not grows_linearly(costs), costs
    assert grows_linearly(relative_costs(msgspec.json.decode, case, sizes))


# --- linear cost, counted: work that no busy host can blur -------------------------
#
# The clock-based check above needs bodies of megabytes; bodies that once cost the
# square of their size would take hours there. These count the work instead: every
# Python and C function called (a profile hook sees each call), and every byte the
# careful path hands to one of msgspec's JSON decoders. Linear work grows about four
# times from one size to four times that size; quadratic work sixteen times.


class Work:
    """Counts calls and bytes decoded while it is active (see above)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.bytes = 0
        for module in careful_modules():
            for name, value in vars(module).items():
                if isinstance(value, msgspec.json.Decoder):
                    monkeypatch.setattr(module, name, self._counting(value.decode))
        real = msgspec.json.decode
        monkeypatch.setattr(_careful.msgspec.json, "decode", self._counting_call(real))

    def _counting(self, decode: Callable[..., Any]) -> Any:
        return _Decoder(self._counting_call(decode))

    def _counting_call(self, decode: Callable[..., Any]) -> Callable[..., Any]:
        def counted(data: Any, *args: Any, **kwargs: Any) -> Any:
            self.bytes += len(data)
            return decode(data, *args, **kwargs)

        return counted

    def of(self, function: Callable[[bytes], object], body: bytes) -> int:
        """The work ``function(body)`` does: calls plus bytes decoded."""
        self.calls = self.bytes = 0

        def profile(frame: Any, event: str, arg: Any) -> None:
            if event in ("call", "c_call"):
                self.calls += 1

        previous = sys.getprofile()
        sys.setprofile(profile)
        try:
            with contextlib.suppress(nw.DecodeError):
                function(body)
        finally:
            sys.setprofile(previous)
        return self.calls + self.bytes


def careful_modules() -> list[ModuleType]:
    """The careful path's modules (the key-by-key reader is imported on first need)."""
    names = ["nhn_webhooks._careful", "nhn_webhooks._lenient"]
    return [importlib.import_module(n) for n in names if importlib.util.find_spec(n)]


class _Decoder(NamedTuple):
    decode: Callable[..., Any]


def work_growth(
    monkeypatch: pytest.MonkeyPatch,
    function: Callable[[bytes], object],
    build: Callable[[int], bytes],
    size: int,
) -> float:
    """How many times the work grows when the body grows four times."""
    work = Work(monkeypatch)
    small, large = build(size), build(4 * size)
    assert 3.5 < len(large) / len(small) < 4.5
    return work.of(function, large) / work.of(function, small)


DECODERS = {"decode": nw.decode, "decode_partial": nw.decode_partial}


@pytest.mark.parametrize("function", DECODERS.values(), ids=list(DECODERS))
def test_many_failing_hooks_among_renamed_keys_cost_linear_work(
    monkeypatch: pytest.MonkeyPatch, function: Callable[[bytes], object]
) -> None:
    # Half the hooks spell createdDateTime (renamed), half fail: each failure's path
    # used to be compared with every renamed key.
    growth = work_growth(monkeypatch, function, bench_workloads().alias_failures, 100_000)
    assert growth < 6, growth


def deep_bad_number(where: str) -> Callable[[int], bytes]:
    """``[pad, [pad, ...[pad, 1e400]]]`` with one level per kilobyte, placed ``where``."""

    def build(size: int) -> bytes:
        depth = size // 1_000
        if where == "unknown hook":
            return bench_workloads().deep_bad_number(size, depth)
        value = Raw(f'["{"x" * 990}",' * depth + "1e400" + "]" * depth)
        if where == "read field":
            return render(sms_body(recipientSeq=value))
        return render({**sample_dict("sms-unsubscribe"), "event": "NEW", "data": value})

    return build


@pytest.mark.parametrize("function", DECODERS.values(), ids=list(DECODERS))
@pytest.mark.parametrize("where", ["unknown hook", "read field", "unknown envelope key"])
def test_locating_a_number_deep_down_costs_linear_work(
    monkeypatch: pytest.MonkeyPatch, function: Callable[[bytes], object], where: str
) -> None:
    # Depth grows with the body (100 then 400 levels): locating the number used to
    # parse the remaining subtree again at every level.
    build = deep_bad_number(where)
    error = decode_error(build(100_000))
    assert error.path.endswith("[1][1][1]")
    assert error.reason == "number out of range"
    growth = work_growth(monkeypatch, function, build, 100_000)
    assert growth < 6, growth


def test_decode_describes_only_the_failure_it_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    # decode() raises the first failing hook's error: the thousands after it are not
    # worth a message each (decode_partial reports them all).
    described: list[nw.DecodeError] = []

    def counting_invalid(*args: Any) -> nw.DecodeError:
        described.append(real_invalid(*args))
        return described[-1]

    real_invalid = _careful.invalid
    monkeypatch.setattr(_careful, "invalid", counting_invalid)
    body = bench_workloads().alias_failures(100_000)
    assert str(decode_error(body)) == "$.hooks[1].countryCode: expected str, got 1"
    assert len(described) == 1
    described.clear()
    assert len(nw.decode_partial(body).failures) == len(described) > 400
