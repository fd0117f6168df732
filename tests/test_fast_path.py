"""The fast path tries the class that held last before searching a body for its names;
whatever class that was, decode() gives exactly what it gives without the try."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks import _careful, _decode
from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body
from tests.conftest import SAMPLES, examples, sample_dict, to_body
from tests.strategies import one_result_bodies
from tests.test_properties import BODIES


def remembered(cls: type[Any]) -> _decode.Guess:
    # NHN names no event for template status updates: any other KakaoTalk event routes there.
    guess = _decode._names_guess(cls.PRODUCT_NAME, cls.EVENT or "TEMPLATE_STATUS_UPDATE")
    assert guess is not None
    assert guess.route is cls
    return guess


def careful(body: bytes) -> nw.Webhook | None:
    try:
        return _careful.decode_carefully(body, strict=False).webhook
    except nw.DecodeError:
        return None


@pytest.mark.parametrize("source", list(BODIES))
@settings(max_examples=examples(200))
@given(data=st.data())
def test_whatever_class_held_last_decode_agrees_with_the_careful_path(
    source: str, data: st.DataObject
) -> None:
    body = data.draw(BODIES[source], label="body")
    last = data.draw(st.sampled_from(nw.WEBHOOK_CLASSES), label="last")
    kept = _decode._last
    _decode._last = remembered(last)
    try:
        fast: nw.Webhook | None = nw.decode(body)
    except nw.DecodeError:
        fast = None
    finally:
        _decode._last = kept
    reference = careful(body)
    assert fast == reference
    assert type(fast) is type(reference)


@pytest.mark.parametrize("last", nw.WEBHOOK_CLASSES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_after_every_class(
    last: type[Any], sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = to_body(sample_dict(sample))
    monkeypatch.setattr(_decode, "_last", None)
    expected = nw.decode(body)
    monkeypatch.setattr(_decode, "_last", remembered(last))
    got = nw.decode(body)
    assert got == expected
    assert type(got) is type(expected)


def test_a_run_of_one_kind_skips_the_name_search(monkeypatch: pytest.MonkeyPatch) -> None:
    first = to_body(sample_dict("sms-message-result-update"))
    monkeypatch.setattr(_decode, "_last", None)
    monkeypatch.setattr(_decode, "_previous", None)
    nw.decode(first)
    assert _decode._last is None  # one body is not yet a run
    nw.decode(first)
    assert _decode._last is not None
    assert _decode._last.route is nw.SmsMessageResultUpdate

    def no_search(body: object) -> None:
        raise AssertionError("searched the body for its names")

    monkeypatch.setattr(_decode, "guess", no_search)
    webhook = nw.decode(first.replace(b"COMPLETED", b"FAILED"))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].message_status == "FAILED"


def test_another_kind_ends_the_run_and_two_in_a_row_start_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_decode, "_last", remembered(nw.SmsMessageResultUpdate))
    monkeypatch.setattr(_decode, "_previous", remembered(nw.SmsMessageResultUpdate))
    body = to_body(sample_dict("email-unsubscribe"))
    assert isinstance(nw.decode(body), nw.EmailUnsubscribe)
    assert _decode._last is None  # alternating kinds are guessed, not tried first
    assert isinstance(nw.decode(body), nw.EmailUnsubscribe)
    assert _decode._last is not None
    assert _decode._last.route is nw.EmailUnsubscribe


def test_alternating_kinds_are_never_tried_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_decode, "_last", None)
    monkeypatch.setattr(_decode, "_previous", None)
    bodies = [to_body(sample_dict(name)) for name in ("sms-unsubscribe", "email-unsubscribe")]
    for _ in range(3):
        for body in bodies:
            nw.decode(body)
            assert _decode._last is None


def test_an_unknown_webhook_is_never_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_decode, "_last", None)
    monkeypatch.setattr(_decode, "_previous", None)
    body = to_body({**sample_dict("sms-unsubscribe"), "productName": "Push"})
    assert isinstance(nw.decode(body), nw.UnknownWebhook)
    assert isinstance(nw.decode(body), nw.UnknownWebhook)
    assert _decode._last is None
    assert _decode._previous is None


# --- one body, one result ------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
FUZZ_FINDING = (FIXTURES / "unread-key-name-invalid-utf8.json").read_bytes()
"""A KakaoTalk template update whose unread key name holds the byte 0xff: the fast path
decoded it, the careful path rejected it as invalid UTF-8."""

ESCAPED_NAME_UNREAD_NUMBER = (
    to_body({**sample_dict("sms-message-result-update"), "note": 0})
    .replace(b'"SMS"', b'"\\u0053MS"')
    .replace(b'"note": 0', b'"note": 1e400')
)
"""The escaped name hides the body from the guess; after two SMS bodies the shortcut
decoded it while a fresh process went to the careful path and rejected the 1e400."""


def fresh() -> None:
    _decode._last = _decode._previous = None


def primed(cls: type[Any]) -> Callable[[], None]:
    """A state after two ordinary bodies of ``cls``: its run-of-one-kind shortcut."""

    def prime() -> None:
        fresh()
        for _ in range(2):
            nw.decode(sample_body(SAMPLE_NAMES[cls]))
        if _decode._last is None:  # the sample needs the careful path (a quirk)
            _decode._last = _decode._previous = remembered(cls)
        assert _decode._last.route is cls

    return prime


STATES = {"fresh": fresh} | {cls.__name__: primed(cls) for cls in nw.WEBHOOK_CLASSES}


def outcome(function: Callable[[Any], Any], body: Any) -> object:
    """What one call gives, comparable: the result (failures as index, message and raw)
    and its type, or the DecodeError's type and message."""
    try:
        result = function(body)
    except nw.DecodeError as exc:
        return type(exc), str(exc)
    if isinstance(result, nw.PartialWebhook):
        failures = [(f.index, type(f.error), str(f.error), f.raw) for f in result.failures]
        return type(result.webhook), result.webhook, failures
    return type(result), result


def body_types(body: bytes) -> dict[str, Any]:
    types = {"bytes": body, "bytearray": bytearray(body), "memoryview": memoryview(body)}
    with contextlib.suppress(UnicodeDecodeError):  # not text: no str for these bytes
        types["str"] = body.decode()
    return types


@settings(max_examples=examples(300))
@given(one_result_bodies())
@example(FUZZ_FINDING)
@example(ESCAPED_NAME_UNREAD_NUMBER)
def test_one_body_gives_one_result_whatever_came_before_and_whatever_its_type(
    body: bytes,
) -> None:
    kept = _decode._last, _decode._previous
    try:
        for function in (nw.decode, nw.decode_partial):
            seen: dict[str, object] = {}
            for state, prepare in STATES.items():
                for kind, given_body in body_types(body).items():
                    prepare()
                    seen[f"{state}, {kind}"] = outcome(function, given_body)
            first = next(iter(seen.values()))
            differing = {where: got for where, got in seen.items() if got != first}
            assert not differing, (function.__name__, first, differing)
    finally:
        _decode._last, _decode._previous = kept


def test_the_fast_and_careful_paths_agree_on_the_fuzz_finding() -> None:
    assert _careful.decode_carefully(FUZZ_FINDING, strict=False).webhook == nw.decode(FUZZ_FINDING)


def test_one_body_gives_one_result_across_threads_decoding_other_bodies() -> None:
    # Threads decoding ordinary SMS bodies keep priming the shortcut while others
    # decode the escaped-name body: every decode of it must give the same result.
    ordinary = sample_body("sms-message-result-update")
    results: list[object] = []

    def work(index: int) -> None:
        for _ in range(200):
            if index % 2:
                nw.decode(ordinary)
            else:
                results.append(outcome(nw.decode, ESCAPED_NAME_UNREAD_NUMBER))

    kept = _decode._last, _decode._previous
    fresh()
    try:
        threads = [threading.Thread(target=work, args=(index,)) for index in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        _decode._last, _decode._previous = kept
    assert len(results) == 400
    assert all(result == results[0] for result in results)
