"""Every way NHN's real payloads differ from NHN's own field tables, in one list.

Each :class:`Quirk` names where NHN shows it and carries a fixture: ``changes`` applied
to one of the bundled samples, and the attribute values the result must decode to
(``tests/models/test_quirks.py`` runs every entry). Entries with ``alias`` also *drive* the
models: the model metaclass gives the field a second wire spelling from them, and
records it in the field's description (``Model._model_fields``), which everything
else reads. So when NHN ships the next misspelling, the fix is one entry here.

The other entries document behaviour that comes from a general rule (timestamps in
``_timestamps``, digit strings below, optional fields in the models, dispatch in
``_dispatch``); their fixtures keep those rules honest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ._timestamps import KST

__all__ = ["DELETE", "DIGITS", "QUIRKS", "Quirk", "aliases_for"]

DIGITS = r"\A-?[0-9]{1,19}\Z"
"""A string NHN sent where its table says Integer (``"mailSeq": "0"``).

Every ``int`` field in the models accepts such a string and the attribute reads it as
an ``int``; up to 19 digits, so reading it can never be slow or overflow an int64 id.
"""

DELETE: Any = object()
"""Marker in :attr:`Quirk.changes`: remove this key from the sample."""


class Quirk(msgspec.Struct, frozen=True, kw_only=True):
    """One tolerated difference between NHN's documentation and its payloads."""

    name: str
    """Short id, used as the test id."""
    shown_in: str
    """Where NHN shows it: product, doc page, section, date (NHN Cloud's documentation)."""
    sample: str
    """Bundled sample the fixture starts from (file stem in ``nhn_webhooks/samples``)."""
    changes: dict[str, Any]
    """Dotted wire paths (``hooks.0.mailSeq``) and the value to put there, or DELETE."""
    expect: dict[str, Any]
    """Dotted attribute paths (``hooks.0.mail_seq``) and the value they must read."""
    alias: tuple[str, str, str] | None = None
    """``(model class, attribute, other wire name)``: a second spelling for a field."""


QUIRKS: tuple[Quirk, ...] = (
    Quirk(
        name="sms-recipient-gropuing-key",
        shown_in="SMS > Webhook, MESSAGE_RESULT_UPDATE example (ko/en/ja): "
        "`recipientGropuingKey`, while the table says recipientGroupingKey",
        sample="sms-message-result-update",
        changes={"hooks.0.recipientGropuingKey": "G-typo"},
        expect={"hooks.0.recipient_grouping_key": "G-typo"},
        alias=("SmsMessageResultHook", "recipient_grouping_key", "recipientGropuingKey"),
    ),
    Quirk(
        name="sms-link-singular",
        shown_in="SMS > Webhook, MESSAGE_RESULT_UPDATE example: `_link`, "
        "while the table says `_links.self.href`",
        sample="sms-message-result-update",
        changes={"hooks.0._link": {"self": {"href": "https://x.example/1"}}},
        expect={"hooks.0.links.self.href": "https://x.example/1"},
        alias=("SmsMessageResultHook", "links", "_link"),
    ),
    Quirk(
        name="kakao-link-singular",
        shown_in="The platform's `_links`/`_link` pair (SMS > Webhook table and "
        "example), read wherever a model has `_links`: KakaoTalk Bizmessage results",
        sample="kakao-message-result-update",
        changes={"hooks.0._links": DELETE, "hooks.0._link": {"self": {"href": "https://k/1"}}},
        expect={"hooks.0.links.self.href": "https://k/1"},
        alias=("KakaoMessageResultHook", "links", "_link"),
    ),
    Quirk(
        name="email-link-singular",
        shown_in="The platform's `_links`/`_link` pair (SMS > Webhook table and "
        "example), read wherever a model has `_links`: Email results",
        sample="email-message-result-update",
        changes={"hooks.0._links": DELETE, "hooks.0._link": {"self": {"href": "https://e/1"}}},
        expect={"hooks.0.links.self.href": "https://e/1"},
        alias=("EmailMessageResultHook", "links", "_link"),
    ),
    Quirk(
        name="email-sender-group-key",
        shown_in="Email > Webhook Guide, MESSAGE_RESULT_UPDATE example: "
        "`senderGroupKey`, while the table says senderGroupingKey",
        sample="email-message-result-update",
        changes={"hooks.0.senderGroupKey": "G-short"},
        expect={"hooks.0.sender_grouping_key": "G-short"},
        alias=("EmailMessageResultHook", "sender_grouping_key", "senderGroupKey"),
    ),
    Quirk(
        name="sms-conversion-block-created-date-time",
        shown_in="SMS > Webhook, CONVERSION_BLOCK example as first published "
        "(2024-05): `createdDateTime` instead of blockedDateTime",
        sample="sms-conversion-block",
        changes={
            "hooks.0.blockedDateTime": DELETE,
            "hooks.0.createdDateTime": "2024-05-28T09:00:00.000+09:00",
        },
        expect={"hooks.0.blocked_date_time": datetime(2024, 5, 28, 9, tzinfo=KST)},
        alias=("SmsConversionBlockHook", "blocked_date_time", "createdDateTime"),
    ),
    Quirk(
        name="email-mail-seq-string",
        shown_in="Email > Webhook Guide, MESSAGE_RESULT_UPDATE: table says Integer, "
        'example sends "mailSeq": "0" (rule: DIGITS, for every int field)',
        sample="email-message-result-update",
        changes={"hooks.0.mailSeq": "7"},
        expect={"hooks.0.mail_seq": 7},
    ),
    Quirk(
        name="sms-recipient-seq-string",
        shown_in="Rule DIGITS applied to SMS recipientSeq (Integer in the table)",
        sample="sms-message-result-update",
        changes={"hooks.0.recipientSeq": "12"},
        expect={"hooks.0.recipient_seq": 12},
    ),
    Quirk(
        name="kakao-comment-id-string",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide: comment id documented "
        "as String until 2025-11, Integer since",
        sample="kakao-template-status-update",
        changes={"hooks.0.comments.0.id": "C-42"},
        expect={"hooks.0.comments.0.id": "C-42"},
    ),
    Quirk(
        name="kakao-receive-date-date-only",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide, message result example: "
        'receiveDate "2023-06-01" (a date alone)',
        sample="kakao-message-result-update",
        changes={"hooks.0.receiveDate": "2023-06-02"},
        expect={"hooks.0.receive_date": datetime(2023, 6, 2, tzinfo=KST)},
    ),
    Quirk(
        name="kakao-space-separated-timestamp",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide, template example: "
        'updateDate "2022-05-01 00:00:00" (space, no offset)',
        sample="kakao-template-status-update",
        changes={"hooks.0.updateDate": "2022-05-03 10:20:30"},
        expect={"hooks.0.update_date": datetime(2022, 5, 3, 10, 20, 30, tzinfo=KST)},
    ),
    Quirk(
        name="sms-timestamp-without-offset",
        shown_in="SMS > Webhook, MESSAGE_RESULT_UPDATE: requestDate documented as "
        "yyyy-MM-dd'T'HH:mm:ss (Korea time, no offset)",
        sample="sms-message-result-update",
        changes={"hooks.0.requestDate": "2024-04-29T23:59:59"},
        expect={"hooks.0.request_date": datetime(2024, 4, 29, 23, 59, 59, tzinfo=KST)},
    ),
    Quirk(
        name="sms-product-name-mixed-case",
        shown_in='SMS > Webhook, curl sample: "productName": "Sms" (the body sample says "SMS")',
        sample="sms-unsubscribe",
        changes={"productName": "Sms"},
        expect={"product_name": "Sms", "hooks.0.unsubscribe_no": "08012341234"},
    ),
    Quirk(
        name="kakao-template-event-undocumented",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide: the template event's "
        "name is never given; recognised by hooks carrying templateCode",
        sample="kakao-template-status-update",
        changes={"event": "SOME_FUTURE_NAME"},
        expect={"event": "SOME_FUTURE_NAME", "hooks.0.template_code": "ORDER_SHIPPED_01"},
    ),
    Quirk(
        name="kakao-is-added-channel-absent",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide: isAddedChannel added "
        "2026-06, null for non-brand message types",
        sample="kakao-message-result-update",
        changes={"hooks.0.isAddedChannel": DELETE},
        expect={"hooks.0.is_added_channel": None},
    ),
    Quirk(
        name="kakao-links-absent",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide: _links added later "
        "for scheduled and bulk sends",
        sample="kakao-message-result-update",
        changes={"hooks.0._links": DELETE},
        expect={"hooks.0.links": None},
    ),
    Quirk(
        name="sms-message-count-absent",
        shown_in="SMS > Webhook, MESSAGE_RESULT_UPDATE: messageCount added 2024-09",
        sample="sms-message-result-update",
        changes={"hooks.0.messageCount": DELETE},
        expect={"hooks.0.message_count": None},
    ),
    Quirk(
        name="email-result-fields-only-when-sent",
        shown_in="Email > Webhook Guide, MESSAGE_RESULT_UPDATE: receive date, status "
        "code and message only provided for SST2",
        sample="email-message-result-update",
        changes={
            "hooks.0.mailStatusCode": "SST3",
            "hooks.0.resultDate": DELETE,
            "hooks.0.dsnCode": DELETE,
            "hooks.0.dsnMessage": DELETE,
        },
        expect={"hooks.0.result_date": None, "hooks.0.dsn_code": None},
    ),
    Quirk(
        name="kakao-brand-message-renamed",
        shown_in="KakaoTalk Bizmessage > Webhook > API Guide (2025): "
        "FRIENDTALK_UPGRADE_NORMAL listed in place of BRAND_MESSAGE_NORMAL",
        sample="kakao-message-result-update",
        changes={"hooks.0.kakaoMessageType": "FRIENDTALK_UPGRADE_NORMAL"},
        expect={"hooks.0.kakao_message_type": "FRIENDTALK_UPGRADE_NORMAL"},
    ),
)


def aliases_for(model: str) -> dict[str, tuple[str, ...]]:
    """The extra wire spellings registered for ``model``'s attributes."""
    found: dict[str, tuple[str, ...]] = {}
    for quirk in QUIRKS:
        if quirk.alias is not None and quirk.alias[0] == model:
            _, attribute, wire = quirk.alias
            found[attribute] = (*found.get(attribute, ()), wire)
    return found
