"""The fast path tries the class that held last before searching a body for its names;
whatever class that was, decode() gives exactly what it gives without the try."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks import _careful, _decode
from tests.conftest import SAMPLES, examples, sample_dict, to_body
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
