"""Email webhooks: UNSUBSCRIBE and MESSAGE_RESULT_UPDATE
(NHN Cloud > Notification > Email > Webhook Guide)."""

from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from ._base import Model
from ._envelope import Envelope, Links, read_outcome

if TYPE_CHECKING:
    from .._result_codes._outcome import Outcome

__all__ = [
    "EmailMessageResultHook",
    "EmailMessageResultUpdate",
    "EmailUnsubscribe",
    "EmailUnsubscribeHook",
]


class EmailUnsubscribeHook(Model):
    """A recipient unsubscribed from ad mail."""

    hook_id: str
    """Unique id of this event."""
    receive_mail_addr: str
    """The address that unsubscribed."""
    created_date_time: datetime
    """When it unsubscribed."""


class EmailUnsubscribe(Envelope):
    """Email ``UNSUBSCRIBE``: recipients who unsubscribed from ad mail."""

    PRODUCT_NAME = "Email"
    EVENT = "UNSUBSCRIBE"
    _sample = "email-unsubscribe"

    hooks: list[EmailUnsubscribeHook]
    """One entry per unsubscribed address."""


class EmailMessageResultHook(Model):
    """The delivery result of one mail recipient was updated."""

    hook_id: str
    """Unique id of this event."""
    message_type: str
    """NORMAL_MAIL, MASS_MAIL_AD, ... (see :class:`EmailMessageType`)."""
    request_id: str
    """Id of the send request."""
    mail_seq: int
    """Mail sequence number in the request (NHN's example sends it as ``"0"``)."""
    sender_address: str
    """Sender address."""
    receive_mail_addr: str
    """Recipient address."""
    mail_status_code: str
    """SST2 sent, SST3 failed, ... (see :class:`EmailStatusCode`)."""
    request_date: datetime
    """When the send was requested."""
    create_date: datetime
    """When the mail was created."""
    result_date: datetime | None = None
    """When the result was received: only for SST2 (sent); None otherwise."""
    dsn_code: str | None = None
    """Delivery status notification code, e.g. ``2.5.0``: only for SST2."""
    dsn_message: str | None = None
    """Delivery status notification message: only for SST2."""
    sender_grouping_key: str | None = None
    """Your sender grouping key (NHN's example spells it ``senderGroupKey``)."""
    links: Links | None = msgspec.field(name="_links", default=None)
    """``_links.self.href``: link to the single-mail lookup API."""

    @property
    def outcome(self) -> "Outcome":
        """Delivered, failed, pending...: decided by ``mail_status_code`` (see Result
        codes)."""
        return read_outcome(self)


class EmailMessageResultUpdate(Envelope):
    """Email ``MESSAGE_RESULT_UPDATE``: delivery results were updated.

    Recognised by the event name ``MESSAGE_RESULT_UPDATE``. NHN's current Email docs
    list only ``UNSUBSCRIBE`` in their ``event`` row and name the result event in
    Korean alone (메시지 발송 결과 코드 업데이트, "message send result code update");
    ``MESSAGE_RESULT_UPDATE`` was written there only from 2024-01-15 to 2024-02-19, and
    is the name SMS and KakaoTalk Bizmessage give their result events. A result body
    under another event name decodes as :class:`UnknownWebhook`, with nothing lost.
    """

    PRODUCT_NAME = "Email"
    EVENT = "MESSAGE_RESULT_UPDATE"
    _sample = "email-message-result-update"

    hooks: list[EmailMessageResultHook]
    """One entry per recipient whose result changed."""
