"""Builders: realistic bodies from the bundled samples, distinct per hook, overridable."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import nhn_webhooks as nw
from nhn_webhooks import testing
from nhn_webhooks._models._samples import SAMPLE_NAMES
from nhn_webhooks.testing._builders import field_names, parse_override
from tests.support.early import Early

CLASSES = nw.WEBHOOK_CLASSES


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_one_hook_is_the_bundled_sample(cls: type[nw.Envelope]) -> None:
    assert testing.sample_webhook(cls) == nw.decode(testing.load_sample(cls))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_load_sample_returns_the_package_data(cls: type[nw.Envelope]) -> None:
    name = SAMPLE_NAMES[cls]
    shipped = (files("nhn_webhooks") / "samples" / f"{name}.json").read_bytes()
    assert testing.load_sample(cls) == shipped
    assert testing.load_sample(name) == shipped


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_hook_has_its_own_ids(cls: type[nw.Envelope]) -> None:
    webhook = testing.sample_webhook(cls, hooks=5)
    assert len(webhook.hooks) == 5
    hook_ids = [hook.hook_id for hook in webhook.hooks]
    assert len(set(hook_ids)) == 5
    assert all(hook_id[:14].isdigit() for hook_id in hook_ids)  # NHN's: send time first
    seqs = [
        getattr(hook, "recipient_seq", getattr(hook, "mail_seq", None)) for hook in webhook.hooks
    ]
    if seqs[0] is not None:
        assert seqs == list(range(seqs[0], seqs[0] + 5))


@pytest.mark.parametrize(
    "cls", [nw.SmsMessageResultUpdate, nw.KakaoMessageResultUpdate, nw.EmailMessageResultUpdate]
)
def test_links_point_at_each_hooks_message(cls: type[Any]) -> None:
    webhook = testing.sample_webhook(cls, hooks=3)
    for hook in webhook.hooks:
        seq = getattr(hook, "recipient_seq", getattr(hook, "mail_seq", None))
        assert hook.links.self.href.endswith(str(seq))


def test_result_times_advance_per_hook_and_request_time_is_shared() -> None:
    hooks = testing.sample_webhook(nw.SmsMessageResultUpdate, hooks=3).hooks
    assert {hook.request_date for hook in hooks} == {hooks[0].request_date}
    assert [hook.receive_date for hook in hooks] == [
        hooks[0].receive_date + timedelta(seconds=i) for i in range(3)
    ]


def test_recipients_differ_per_hook() -> None:
    sms = testing.sample_webhook(nw.SmsUnsubscribe, hooks=3).hooks
    assert [hook.recipient_no for hook in sms] == ["01012341234", "01012341235", "01012341236"]
    mail = testing.sample_webhook(nw.EmailUnsubscribe, hooks=2).hooks
    assert [hook.receive_mail_addr for hook in mail] == ["help@example.com", "help1@example.com"]
    blocks = testing.sample_webhook(nw.SmsConversionBlock, hooks=3).hooks
    assert len({hook.country_code for hook in blocks}) == 3


def test_overrides_set_the_envelope_and_every_hook() -> None:
    webhook = testing.sample_webhook(
        nw.SmsMessageResultUpdate,
        hooks=3,
        hooks_id="H-1",
        message_status=nw.SmsMessageStatus.FAILED,
        result_code="3015",
    )
    assert webhook.hooks_id == "H-1"
    assert {(hook.message_status, hook.result_code) for hook in webhook.hooks} == {
        ("FAILED", "3015")
    }


def test_override_replaces_every_spelling_of_the_key() -> None:
    data = testing.sample_data(nw.SmsMessageResultUpdate, recipient_grouping_key="G-1", links=None)
    hook = data["hooks"][0]
    assert "recipientGropuingKey" not in hook
    assert "_link" not in hook
    assert (hook["recipientGroupingKey"], hook["_links"]) == ("G-1", None)
    assert list(hook).index("recipientGroupingKey") == 9  # where the sample had the typo


@pytest.mark.parametrize(
    ("cls", "name", "value", "wire"),
    [
        # SMS result dates have no offset on the wire: Korea time.
        (
            nw.SmsMessageResultUpdate,
            "request_date",
            datetime(2024, 1, 1, 0, 0, tzinfo=timezone.utc),
            "2024-01-01T09:00:00",
        ),
        (nw.SmsMessageResultUpdate, "request_date", datetime(2024, 1, 1, 9), "2024-01-01T09:00:00"),
        # Email dates carry an offset and milliseconds: the value's own offset is kept.
        (
            nw.EmailMessageResultUpdate,
            "result_date",
            datetime(2024, 1, 1, tzinfo=timezone.utc),
            "2024-01-01T00:00:00.000+00:00",
        ),
        # Kakao template dates are space-separated.
        (
            nw.KakaoTemplateStatusUpdate,
            "update_date",
            datetime(2024, 1, 1, 9, 30, tzinfo=nw.KST),
            "2024-01-01 09:30:00",
        ),
        # Kakao's receiveDate is a date alone, unless that would drop a time of day.
        (
            nw.KakaoMessageResultUpdate,
            "receive_date",
            datetime(2024, 1, 2, tzinfo=nw.KST),
            "2024-01-02",
        ),
        (
            nw.KakaoMessageResultUpdate,
            "receive_date",
            datetime(2024, 1, 2, 15, 4, 5, tzinfo=nw.KST),
            "2024-01-02T15:04:05",
        ),
    ],
)
def test_datetime_overrides_are_written_in_nhns_shape_for_the_field(
    cls: type[nw.Envelope], name: str, value: datetime, wire: str
) -> None:
    data = testing.sample_data(cls, **{name: value})
    key = next(k for k in data["hooks"][0] if k.lower() == name.replace("_", ""))
    assert data["hooks"][0][key] == wire
    decoded = nw.decode(json.dumps(data))
    read = getattr(decoded.hooks[0], name)
    assert read == (value if value.tzinfo else value.replace(tzinfo=nw.KST))


def test_text_for_a_timestamp_is_sent_verbatim() -> None:
    data = testing.sample_data(nw.SmsMessageResultUpdate, receive_date="2023-06-01")
    assert data["hooks"][0]["receiveDate"] == "2023-06-01"


def test_links_take_a_url() -> None:
    webhook = testing.sample_webhook(nw.EmailMessageResultUpdate, links="https://x.example/1")
    assert webhook.hooks[0].links == nw.Links(self=nw.Link(href="https://x.example/1"))


def test_models_as_override_values_are_written_as_wire_json() -> None:
    comment = nw.KakaoTemplateComment(
        id=7, content="ok", user_name="Kakao", created_at=datetime(2024, 1, 1), status="APR"
    )
    webhook = testing.sample_webhook(nw.KakaoTemplateStatusUpdate, comments=[comment])
    assert webhook.hooks[0].comments == [comment]


def test_unknown_attribute_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="no attribute 'message_stats'"):
        testing.sample(nw.SmsMessageResultUpdate, message_stats="FAILED")


@pytest.mark.parametrize("hooks", [0, -1, True, 1.5])
def test_hooks_must_be_a_positive_int(hooks: Any) -> None:
    with pytest.raises(ValueError, match="hooks must be a positive int"):
        testing.sample(nw.SmsUnsubscribe, hooks=hooks)


def test_classes_without_a_sample_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="WEBHOOK_CLASSES"):
        testing.sample(nw.UnknownWebhook)  # type: ignore[arg-type]


def test_sample_webhook_refuses_overrides_that_change_the_class() -> None:
    with pytest.raises(ValueError, match="UnknownWebhook"):
        testing.sample_webhook(nw.EmailUnsubscribe, product_name="Push")
    with pytest.raises(nw.DecodeError, match=r"\$\.hooks\[0\]\.recipientSeq"):
        testing.sample_webhook(nw.SmsMessageResultUpdate, recipient_seq="many")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_envelope_and_hook_attribute_names_do_not_collide(cls: type[nw.Envelope]) -> None:
    hook = nw.decode(testing.load_sample(cls)).hooks[0]
    expected = len(nw.Envelope.__struct_fields__) + len(hook.__rich_repr__())
    assert len(field_names(cls)) == expected


def test_webhook_headers_are_nhns() -> None:
    assert testing.webhook_headers() == {"Content-Type": "application/json;charset=UTF-8"}
    assert testing.webhook_headers("s3cret") == {
        "Content-Type": "application/json;charset=UTF-8",
        "X-Toast-Webhook-Signature": "s3cret",
    }


def test_request_builder_signs_with_its_signature_unless_told_otherwise() -> None:
    build = testing.WebhookRequestBuilder("s3cret")
    body, headers = build(nw.SmsMessageResultUpdate, hooks=2, message_status="FAILED")
    webhook = nw.decode(body, signature="s3cret", headers=headers)
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert [hook.message_status for hook in webhook.hooks] == ["FAILED", "FAILED"]
    with pytest.raises(nw.SignatureError):
        nw.verify_signature(build(nw.EmailUnsubscribe, signature="wrong").headers, "s3cret")
    assert nw.SIGNATURE_HEADER not in build(nw.EmailUnsubscribe, signature=None).headers
    assert "s3cret" not in repr(build)


@pytest.mark.parametrize(
    ("cls", "name", "text", "value"),
    [
        (nw.SmsMessageResultUpdate, "recipient_seq", "12", 12),
        (nw.SmsMessageResultUpdate, "message_count", "null", None),
        (nw.SmsMessageResultUpdate, "message_status", "FAILED", "FAILED"),
        (nw.SmsMessageResultUpdate, "result_code", "1000", "1000"),  # str field stays str
        (nw.SmsMessageResultUpdate, "receive_date", "2023-06-01", "2023-06-01"),
        (nw.SmsMessageResultUpdate, "links", "https://x.example", "https://x.example"),
        (nw.KakaoMessageResultUpdate, "is_added_channel", "true", True),
        (nw.KakaoTemplateStatusUpdate, "comments", "[]", []),
    ],
)
def test_command_line_values_are_read_by_the_fields_type(
    cls: type[nw.Envelope], name: str, text: str, value: Any
) -> None:
    assert parse_override(cls, name, text) == value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("recipient_seq", "many", "expected an integer"),
        ("recipient_seq", "null", "expected an integer"),  # required: no null
        ("request_date", "yesterday", "expected a timestamp"),
        ("nope", "1", "no attribute 'nope'"),
    ],
)
def test_bad_command_line_values_are_value_errors(name: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_override(nw.SmsMessageResultUpdate, name, text)


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout


# A new interpreter for each (started as soon as collection ends: ``early`` in
# tests/conftest.py), since this one has imported everything already.
IMPORT_THE_PACKAGE = partial(
    run_python,
    "import sys, nhn_webhooks as nw\n"
    "print(sorted(m for m in sys.modules if m.startswith('nhn_webhooks.testing')))\n"
    "print('nhn_webhooks.testing._builders' in sys.modules, 'hypothesis' in sys.modules)\n"
    "print(nw.testing.sample is sys.modules['nhn_webhooks.testing'].sample)\n",
)
BUILD_WITHOUT_HYPOTHESIS = partial(
    run_python,
    "import sys\n"
    "sys.modules['hypothesis'] = None  # as if not installed\n"
    "import nhn_webhooks as nw\n"
    "from nhn_webhooks import testing\n"
    "print(type(testing.sample_webhook(nw.SmsUnsubscribe, hooks=2)).__name__)\n"
    "try:\n"
    "    import nhn_webhooks.testing.strategies\n"
    "except ImportError:\n"
    "    print('strategies need hypothesis')\n",
)


@pytest.mark.early(job=IMPORT_THE_PACKAGE)
def test_importing_the_package_leaves_the_testing_helpers_unloaded(early: Early) -> None:
    assert early.result(IMPORT_THE_PACKAGE) == "[]\nFalse False\nTrue\n"


@pytest.mark.early(job=BUILD_WITHOUT_HYPOTHESIS)
def test_the_builders_work_without_hypothesis(early: Early) -> None:
    assert early.result(BUILD_WITHOUT_HYPOTHESIS) == "SmsUnsubscribe\nstrategies need hypothesis\n"


def test_the_template_sample_event_cannot_pass_for_a_name_nhn_published() -> None:
    # NHN never named the KakaoTalk template status event: a constant-looking name in
    # the sample would be copied into handlers' `match` statements as if it were NHN's.
    webhook = nw.decode(testing.load_sample(nw.KakaoTemplateStatusUpdate))
    assert isinstance(webhook, nw.KakaoTemplateStatusUpdate)
    assert webhook.event == "EXAMPLE (NHN never named this event)"
    index = " ".join((Path(__file__).parents[2] / "docs" / "index.md").read_text().split())
    assert "its `event` is an example: NHN never named that event" in index
