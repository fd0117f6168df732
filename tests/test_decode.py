"""decode(): dispatch, the bundled samples, unknown events, both decoding paths."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

import nhn_webhooks as nw
from tests.conftest import sample_dict, to_body

KST = timezone(timedelta(hours=9))

EXPECTED: dict[str, tuple[type[Any], dict[str, Any]]] = {
    "sms-unsubscribe": (
        nw.SmsUnsubscribe,
        {
            "hook_id": "202007271010101010sadasdavas",
            "recipient_no": "01012341234",
            "unsubscribe_no": "08012341234",
            "enterprise_name": "NHN Cloud",
            "created_date_time": datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST),
        },
    ),
    "sms-message-result-update": (
        nw.SmsMessageResultUpdate,
        {
            "hook_id": "20240429205809GcSUXthVA00",
            "sender_type": "NORMAL_SMS",
            "request_id": "20240429205802y0Tl7Gbz0e0",
            "recipient_seq": 1,
            "request_date": datetime(2024, 4, 29, 20, 58, 2, tzinfo=KST),
            "receive_date": datetime(2024, 4, 29, 20, 58, 4, tzinfo=KST),
            "send_no": "15446859",
            "recipient_no": "01012341234",
            "message_status": "COMPLETED",
            "recipient_grouping_key": "RecipientGroupingKey",
            "sender_grouping_key": "SenderGroupingKey",
            "result_code": "1000",
            "message_count": 1,
        },
    ),
    "sms-conversion-block": (
        nw.SmsConversionBlock,
        {
            "hook_id": "20240429205809GcSUXthVA00",
            "country_code": "1",
            "blocked_date_time": datetime(2024, 5, 28, 9, tzinfo=KST),
        },
    ),
    "sms-international-delivery-receipt": (
        nw.SmsInternationalDeliveryReceipt,
        {
            "hook_id": "202409251600118GSDDYTwzX0",
            "request_id": "20240925160005UvxdDrJ4g20",
            "recipient_seq": 1,
            "dlr_status": "ACCEPTED",
            "network_code": "US-VIRTUAL-BANDWIDTH",
            "error_code": "0",
        },
    ),
    "kakao-template-status-update": (
        nw.KakaoTemplateStatusUpdate,
        {
            "hook_id": "20220501000000AbCdEfGh010",
            "sender_key": "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2",
            "template_code": "ORDER_SHIPPED_01",
            "kakao_template_code": "ORDER_SHIPPED_01",
            "status": "TSC04",
            "update_date": datetime(2022, 5, 1, tzinfo=KST),
        },
    ),
    "kakao-message-result-update": (
        nw.KakaoMessageResultUpdate,
        {
            "hook_id": "20230601093005AbCdEfGh0b0",
            "kakao_message_type": "ALIMTALK_NORMAL",
            "request_id": "20230601093000AbCdEfGh0a0",
            "recipient_seq": 1,
            "request_date": datetime(2023, 6, 1, 9, 30, tzinfo=KST),
            "create_date": datetime(2023, 6, 1, 9, 30, tzinfo=KST),
            "receive_date": datetime(2023, 6, 1, tzinfo=KST),
            "recipient_no": "01012341234",
            "result_code": "1000",
            "sender_grouping_key": "SenderGroupingKey",
            "recipient_grouping_key": "RecipientGroupingKey",
            "is_added_channel": None,
        },
    ),
    "email-unsubscribe": (
        nw.EmailUnsubscribe,
        {
            "hook_id": "202007271010101010sadasdavas",
            "receive_mail_addr": "help@example.com",
            "created_date_time": datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST),
        },
    ),
    "email-message-result-update": (
        nw.EmailMessageResultUpdate,
        {
            "hook_id": "202007271010101010sadasdavas",
            "message_type": "NORMAL_MAIL",
            "request_id": "20190101000000ABCDEFG0",
            "mail_seq": 0,
            "sender_address": "sender@example.com",
            "receive_mail_addr": "receiver@example.com",
            "mail_status_code": "SST2",
            "request_date": datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST),
            "create_date": datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST),
            "result_date": datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST),
            "dsn_code": "2.5.0",
            "dsn_message": "SUCCESS",
            "sender_grouping_key": "groupKey",
        },
    ),
}


def test_every_bundled_sample_has_expectations(sample_name: str) -> None:
    assert sample_name in EXPECTED


def test_sample_decodes_to_its_class_with_its_values(sample_name: str) -> None:
    cls, hook_values = EXPECTED[sample_name]
    webhook = nw.decode(to_body(sample_dict(sample_name)))
    assert type(webhook) is cls
    assert webhook.hooks_id == "20240429205809GcSUXthVA00"
    assert webhook.webhook_config_id == "wc-5f2d9a"
    assert webhook.app_key == "akb3dukdmdjsdSvgk"
    assert len(webhook.hooks) == 1
    hook = webhook.hooks[0]
    for attribute, value in hook_values.items():
        assert getattr(hook, attribute) == value, attribute
        if isinstance(value, datetime):
            assert getattr(hook, attribute).utcoffset() == value.utcoffset(), attribute


def test_links_self_href_reads_the_lookup_url() -> None:
    webhook = nw.decode(to_body(sample_dict("email-message-result-update")))
    assert isinstance(webhook, nw.EmailMessageResultUpdate)
    links = webhook.hooks[0].links
    assert links is not None
    assert links.self.href.startswith("https://email.api.nhncloudservice.com/email/v2.0/")


def test_kakao_template_comments_and_attachments_are_typed() -> None:
    webhook = nw.decode(to_body(sample_dict("kakao-template-status-update")))
    assert isinstance(webhook, nw.KakaoTemplateStatusUpdate)
    comment = webhook.hooks[0].comments[0]
    assert comment.id == 42
    assert comment.user_name == "Kakao reviewer"
    assert comment.created_at == datetime(2022, 5, 1, tzinfo=KST)
    assert comment.status == "REJ"
    assert comment.attachment[0].original_file_name == "guide.png"
    assert comment.attachment[0].file_path == "/attach/2022/05/01/guide.png"


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview, str])
def test_every_body_type_decodes_the_same(sample_name: str, kind: type[Any]) -> None:
    body = to_body(sample_dict(sample_name))
    given = body.decode() if kind is str else kind(body)
    assert nw.decode(given) == nw.decode(body)


def test_many_hooks_in_one_post_all_decode() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"] = [dict(data["hooks"][0], recipientSeq=seq) for seq in range(1, 251)]
    webhook = nw.decode(to_body(data))
    assert [hook.recipient_seq for hook in webhook.hooks] == list(range(1, 251))


def test_empty_hook_list_decodes() -> None:
    data = sample_dict("sms-unsubscribe")
    data["hooks"] = []
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsUnsubscribe)
    assert webhook.hooks == []


def test_extra_unknown_fields_are_ignored() -> None:
    data = sample_dict("sms-message-result-update")
    data["brandNewEnvelopeField"] = {"nested": [1, 2]}
    data["hooks"][0]["brandNewHookField"] = "x"
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].recipient_seq == 1


def test_new_code_values_still_decode() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["messageStatus"] = "SOMETHING_NHN_ADDS_LATER"
    webhook = nw.decode(to_body(data))
    assert webhook.hooks[0].message_status == "SOMETHING_NHN_ADDS_LATER"  # type: ignore[union-attr]


# --- dispatch --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "sample"),
    [
        ("SMS", "sms-unsubscribe"),
        ("Sms", "sms-unsubscribe"),
        ("sms", "sms-unsubscribe"),
        ("Email", "email-unsubscribe"),
        ("E-mail", "email-unsubscribe"),
        ("EMAIL", "email-unsubscribe"),
        ("e_mail", "email-unsubscribe"),
        ("KakaoTalk Bizmessage", "kakao-message-result-update"),
        ("kakaotalk bizmessage", "kakao-message-result-update"),
        ("KAKAOTALK_BIZMESSAGE", "kakao-message-result-update"),
        ("KakaoTalk-Bizmessage", "kakao-message-result-update"),
    ],
)
def test_product_name_matches_ignoring_case_spaces_hyphens_underscores(
    product: str, sample: str
) -> None:
    data = sample_dict(sample)
    data["productName"] = product
    webhook = nw.decode(to_body(data))
    assert type(webhook) is EXPECTED[sample][0]
    assert webhook.product_name == product  # kept as sent


@pytest.mark.parametrize("event", ["message_result_update", "Message Result Update"])
def test_event_name_matches_ignoring_case_and_separators(event: str) -> None:
    data = sample_dict("sms-message-result-update")
    data["event"] = event
    assert isinstance(nw.decode(to_body(data)), nw.SmsMessageResultUpdate)


@pytest.mark.parametrize("event", ["TEMPLATE_STATUS_UPDATE", "MESSAGE_RESULT_UPDATE", "", "x"])
def test_kakao_hooks_carrying_template_code_are_template_updates(event: str) -> None:
    data = sample_dict("kakao-template-status-update")
    data["event"] = event
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.KakaoTemplateStatusUpdate)
    assert webhook.event == event


def test_template_code_elsewhere_does_not_make_a_message_result_a_template() -> None:
    data = sample_dict("kakao-message-result-update")
    data["hooks"][0]["senderGroupingKey"] = "templateCode"
    assert isinstance(nw.decode(to_body(data)), nw.KakaoMessageResultUpdate)


def test_kakao_unknown_event_without_template_shape_is_unknown() -> None:
    data = sample_dict("kakao-message-result-update")
    data["event"] = "SOMETHING_NEW"
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.UnknownWebhook)
    assert webhook.hooks == sample_dict("kakao-message-result-update")["hooks"]


def test_escaped_template_code_key_is_still_recognised() -> None:
    data = sample_dict("kakao-template-status-update")
    body = to_body(data).replace(b'"templateCode"', b'"template\\u0043ode"')
    assert b"templateCode" not in body
    assert isinstance(nw.decode(body), nw.KakaoTemplateStatusUpdate)


def test_template_shape_under_another_product_is_not_kakao() -> None:
    data = sample_dict("kakao-template-status-update")
    data["productName"] = "SMS"
    assert isinstance(nw.decode(to_body(data)), nw.UnknownWebhook)


# --- unknown webhooks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "event"),
    [("SMS", "BRAND_NEW_EVENT"), ("Push", "MESSAGE_RESULT_UPDATE"), ("RCS", "X")],
)
def test_unknown_product_or_event_keeps_everything(product: str, event: str) -> None:
    data = sample_dict("sms-message-result-update")
    data["productName"], data["event"] = product, event
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.UnknownWebhook)
    assert (webhook.product_name, webhook.event) == (product, event)
    assert webhook.hooks_id == data["hooksId"]
    assert webhook.webhook_config_id == data["webhookConfigId"]
    assert webhook.app_key == data["appKey"]
    assert webhook.hooks == data["hooks"]


def test_unknown_webhook_without_envelope_fields_is_a_decode_error() -> None:
    with pytest.raises(nw.DecodeError, match=r"^\$\.hooksId: missing required field$"):
        nw.decode(b'{"hooks": [{"a": 1}]}')


def test_strict_mode_raises_unknown_event_error() -> None:
    data = sample_dict("sms-message-result-update")
    data["event"] = "BRAND_NEW_EVENT"
    with pytest.raises(nw.UnknownEventError) as caught:
        nw.decode(to_body(data), strict=True)
    assert caught.value.product_name == "SMS"
    assert caught.value.event == "BRAND_NEW_EVENT"
    assert isinstance(caught.value, nw.DecodeError)
    assert "BRAND_NEW_EVENT" in str(caught.value)


def test_strict_mode_still_decodes_known_events(sample_name: str) -> None:
    body = to_body(sample_dict(sample_name))
    assert nw.decode(body, strict=True) == nw.decode(body)


def test_strict_mode_with_non_string_product_reports_none() -> None:
    with pytest.raises(nw.UnknownEventError) as caught:
        nw.decode(b'{"productName": 5, "event": "X", "hooks": []}', strict=True)
    assert caught.value.product_name is None


# --- the fast path's guess never changes the result ------------------------------


def test_event_key_inside_a_hook_does_not_fool_dispatch() -> None:
    data = sample_dict("email-unsubscribe")
    hooks = data.pop("hooks")
    event = data.pop("event")
    hooks[0]["event"] = "MESSAGE_RESULT_UPDATE"  # an extra field seen first
    body = json.dumps({**data, "hooks": hooks, "event": event}).encode()
    webhook = nw.decode(body)
    assert isinstance(webhook, nw.EmailUnsubscribe)


def test_duplicate_envelope_keys_follow_the_json_decoder() -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    body = body.replace(
        b'"event": "UNSUBSCRIBE"', b'"event": "CONVERSION_BLOCK", "event": "UNSUBSCRIBE"'
    )
    assert isinstance(nw.decode(body), nw.SmsUnsubscribe)


def test_escaped_product_name_is_read_by_the_careful_path() -> None:
    body = to_body(sample_dict("sms-unsubscribe")).replace(b'"SMS"', b'"S\\u004dS"')
    webhook = nw.decode(body)
    assert isinstance(webhook, nw.SmsUnsubscribe)
    assert webhook.product_name == "SMS"


def test_one_hook_needing_repair_sends_the_batch_down_the_careful_path() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"] = [data["hooks"][0], dict(data["hooks"][0], receiveDate="")]
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].receive_date == datetime(2024, 4, 29, 20, 58, 4, tzinfo=KST)
    assert webhook.hooks[1].receive_date is None


def test_many_distinct_event_spellings_all_decode_alike() -> None:
    # The fast path remembers a bounded number of spellings; past that bound every
    # spelling must still decode, and to the same webhook.
    template = to_body(sample_dict("sms-unsubscribe"))
    for index in range(1500):
        body = template.replace(
            b'"UNSUBSCRIBE"', f'"Un-Subscribe{"_" * (index % 40)}{index}"'.encode()
        )
        webhook = nw.decode(body)
        assert isinstance(webhook, nw.UnknownWebhook)
    again = nw.decode(template.replace(b'"UNSUBSCRIBE"', b'"un_subscribe"'))
    assert isinstance(again, nw.SmsUnsubscribe)


def test_classify_is_exposed_for_routing_without_decoding() -> None:
    assert nw.classify("Sms", "UNSUBSCRIBE", False) is nw.SmsUnsubscribe
    assert nw.classify("KakaoTalk Bizmessage", None, True) is nw.KakaoTemplateStatusUpdate
    assert nw.classify("KakaoTalk Bizmessage", "X", False) is None
    assert nw.classify(None, "UNSUBSCRIBE", False) is None


def test_decoded_webhook_reencodes_to_the_same_webhook(sample_name: str) -> None:
    webhook = nw.decode(to_body(sample_dict(sample_name)))
    assert nw.decode(msgspec.json.encode(webhook)) == webhook


def test_kakao_message_results_carrying_a_template_code_stay_message_results() -> None:
    data = sample_dict("kakao-message-result-update")
    data["hooks"][0]["templateCode"] = "ORDER_SHIPPED_01"  # AlimTalk results may add it
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.KakaoMessageResultUpdate)
    assert nw.classify("KakaoTalk Bizmessage", "MESSAGE_RESULT_UPDATE", True) is (
        nw.KakaoMessageResultUpdate
    )


def test_template_hooks_under_the_message_result_name_fall_back_to_template() -> None:
    data = sample_dict("kakao-template-status-update")
    data["event"] = "MESSAGE_RESULT_UPDATE"
    assert isinstance(nw.decode(to_body(data)), nw.KakaoTemplateStatusUpdate)


def test_when_no_kakao_candidate_fits_the_first_ones_error_is_reported() -> None:
    data = sample_dict("kakao-message-result-update")
    data["hooks"][0]["templateCode"] = "T"
    del data["hooks"][0]["recipientNo"]
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert str(caught.value) == "$.hooks[0].recipientNo: missing required field"


class SafeText(str):
    """What markupsafe's Markup and Django's SafeString are: a str subclass."""

    def __getitem__(self, index: Any) -> Any:  # as Markup does, returning its own type
        return SafeText(str.__getitem__(self, index))


class SafeBytes(bytes):
    pass


@pytest.mark.parametrize("kind", [SafeText, SafeBytes])
def test_a_str_or_bytes_subclass_body_decodes_like_its_plain_value(kind: type[Any]) -> None:
    body = to_body(sample_dict("sms-unsubscribe"))
    given = kind(body.decode()) if kind is SafeText else kind(body)
    assert nw.decode(given) == nw.decode(body)
    assert nw.decode_partial(given).webhook == nw.decode(body)
    with pytest.raises(nw.DecodeError, match="hooksId"):
        nw.decode(kind("{}") if kind is SafeText else kind(b"{}"))
