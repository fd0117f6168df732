"""SMS webhooks: UNSUBSCRIBE, MESSAGE_RESULT_UPDATE, CONVERSION_BLOCK and
INTERNATIONAL_DELIVERY_RECEIPT (NHN Cloud > Notification > SMS > Webhook)."""

from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from ._base import Model
from ._envelope import Envelope, Links, read_outcome

if TYPE_CHECKING:
    from .._result_codes._outcome import Outcome

__all__ = [
    "SmsConversionBlock",
    "SmsConversionBlockHook",
    "SmsDeliveryReceiptHook",
    "SmsInternationalDeliveryReceipt",
    "SmsMessageResultHook",
    "SmsMessageResultUpdate",
    "SmsUnsubscribe",
    "SmsUnsubscribeHook",
]


class SmsUnsubscribeHook(Model):
    """A recipient opted out of ad messages through the 080 unsubscribe service."""

    hook_id: str
    """Unique id of this event."""
    recipient_no: str
    """The phone number that unsubscribed."""
    unsubscribe_no: str
    """The 080 number registered with the unsubscribe service."""
    enterprise_name: str
    """Enterprise name registered with the unsubscribe service."""
    created_date_time: datetime
    """When the recipient unsubscribed."""


class SmsUnsubscribe(Envelope):
    """SMS ``UNSUBSCRIBE``: recipients who opted out of ad messages."""

    PRODUCT_NAME = "SMS"
    EVENT = "UNSUBSCRIBE"
    _sample = "sms-unsubscribe"

    hooks: list[SmsUnsubscribeHook]
    """One entry per unsubscribed number."""


class SmsMessageResultHook(Model):
    """The delivery result of one SMS/LMS/MMS recipient was updated."""

    hook_id: str
    """Unique id of this event."""
    sender_type: str
    """How the message was sent, e.g. ``NORMAL_SMS`` (see :class:`SmsSenderType`)."""
    request_id: str
    """Id of the send request."""
    recipient_seq: int
    """Recipient's sequence number within the request."""
    request_date: datetime
    """When the send was requested (NHN sends Korea time without an offset)."""
    receive_date: datetime | None = None
    """When the result was received; None if NHN sent none."""
    send_no: str
    """Sender number."""
    recipient_no: str
    """Recipient number."""
    message_status: str
    """COMPLETED, FAILED, ... (see :class:`SmsMessageStatus`); unknown values kept."""
    recipient_grouping_key: str | None = None
    """Your recipient grouping key (NHN's example spells it ``recipientGropuingKey``)."""
    sender_grouping_key: str | None = None
    """Your sender grouping key."""
    result_code: str | None = None
    """NHN's result code as sent, e.g. ``"1000"``; None if NHN sent none (no result yet)."""
    message_count: int | None = None
    """Number of messages billed (NHN added it in 2024-09; None when absent)."""
    links: Links | None = msgspec.field(name="_links", default=None)
    """``_links`` (NHN's example says ``_link``): ``links.self.href`` looks it up."""

    @property
    def outcome(self) -> "Outcome":
        """Delivered, failed, pending...: ``message_status`` FAILED, CANCEL, DUPLICATED or
        FAILED_AD is failed, RESERVED, SENDING or RESEND_AD pending; otherwise
        ``result_code`` decides (see Result codes)."""
        return read_outcome(self)


class SmsMessageResultUpdate(Envelope):
    """SMS ``MESSAGE_RESULT_UPDATE``: delivery result codes were updated."""

    PRODUCT_NAME = "SMS"
    EVENT = "MESSAGE_RESULT_UPDATE"
    _sample = "sms-message-result-update"

    hooks: list[SmsMessageResultHook]
    """One entry per recipient whose result changed."""


class SmsConversionBlockHook(Model):
    """A destination country was blocked because of its conversion rate."""

    hook_id: str
    """Unique id of this event."""
    country_code: str
    """Country calling code as sent, e.g. ``"1"``."""
    blocked_date_time: datetime
    """When the country was blocked."""


class SmsConversionBlock(Envelope):
    """SMS ``CONVERSION_BLOCK``: countries blocked for their conversion rate."""

    PRODUCT_NAME = "SMS"
    EVENT = "CONVERSION_BLOCK"
    _sample = "sms-conversion-block"

    hooks: list[SmsConversionBlockHook]
    """One entry per blocked country."""


class SmsDeliveryReceiptHook(Model):
    """An international delivery report (DLR) for one recipient."""

    hook_id: str
    """Unique id of this event."""
    request_id: str
    """Id of the send request."""
    recipient_seq: int
    """Recipient's sequence number within the request."""
    dlr_status: str
    """ACCEPTED, DELIVERED, ... (see :class:`SmsDlrStatus`); unknown values kept."""
    network_code: str | None = None
    """Carrier network, e.g. ``US-VIRTUAL-BANDWIDTH``; None if NHN sent none."""
    error_code: str | None = None
    """Carrier error code as sent, e.g. ``"0"``; None if NHN sent none."""

    @property
    def outcome(self) -> "Outcome":
        """Delivered, failed, pending...: decided by ``dlr_status`` (see Result codes)."""
        return read_outcome(self)


class SmsInternationalDeliveryReceipt(Envelope):
    """SMS ``INTERNATIONAL_DELIVERY_RECEIPT``: international DLRs were updated."""

    PRODUCT_NAME = "SMS"
    EVENT = "INTERNATIONAL_DELIVERY_RECEIPT"
    _sample = "sms-international-delivery-receipt"

    hooks: list[SmsDeliveryReceiptHook]
    """One entry per delivery report."""
