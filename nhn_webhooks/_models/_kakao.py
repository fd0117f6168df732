"""KakaoTalk Bizmessage webhooks: template status updates and message results
(NHN Cloud > Notification > KakaoTalk Bizmessage > Webhook > API Guide)."""

from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from ._base import Model
from ._envelope import Envelope, Links, read_outcome

if TYPE_CHECKING:
    from .._result_codes._outcome import Outcome

__all__ = [
    "KakaoMessageResultHook",
    "KakaoMessageResultUpdate",
    "KakaoTemplateAttachment",
    "KakaoTemplateComment",
    "KakaoTemplateStatusHook",
    "KakaoTemplateStatusUpdate",
]


class KakaoTemplateAttachment(Model):
    """A file attached to a template review comment."""

    original_file_name: str
    """The file's original name."""
    file_path: str
    """Where NHN stores it."""


class KakaoTemplateComment(Model):
    """One comment in a template's review or inquiry thread."""

    id: int | str
    """Comment id as sent: NHN documented it as String until 2025-11, Integer since."""
    content: str
    """The comment text."""
    user_name: str
    """Who wrote it."""
    created_at: datetime
    """When it was written (NHN sends Korea time, space-separated, no offset)."""
    attachment: list[KakaoTemplateAttachment] = msgspec.field(default_factory=list)
    """Attached files (NHN's name is singular; it is a list)."""
    status: str
    """INQ, APR, REJ, REP, REQ (see :class:`KakaoCommentStatus`); unknown values kept."""


class KakaoTemplateStatusHook(Model):
    """A template's review status or inquiry thread changed."""

    hook_id: str
    """Unique id of this event."""
    sender_key: str
    """The KakaoTalk channel's sender key."""
    template_code: str
    """Your template code."""
    kakao_template_code: str | None = None
    """Kakao's code for the template; None if NHN sent none."""
    status: str
    """TSC01..TSC04 (see :class:`KakaoTemplateStatus`); unknown values kept."""
    comments: list[KakaoTemplateComment] = msgspec.field(default_factory=list)
    """Review and inquiry comments."""
    update_date: datetime
    """When the status changed (Korea time, space-separated, no offset)."""


class KakaoTemplateStatusUpdate(Envelope):
    """KakaoTalk Bizmessage template status / inquiry update.

    NHN's docs never name this event, so it is recognised by its hooks carrying
    ``templateCode`` under the KakaoTalk Bizmessage product, whatever ``event`` says;
    under ``MESSAGE_RESULT_UPDATE`` only if the hooks do not fit a message result.
    """

    PRODUCT_NAME = "KakaoTalk Bizmessage"
    EVENT = None
    _sample = "kakao-template-status-update"
    _timestamp_separator = " "

    hooks: list[KakaoTemplateStatusHook]
    """One entry per template whose status changed."""


class KakaoMessageResultHook(Model):
    """The delivery result of one AlimTalk, FriendTalk or brand message recipient."""

    hook_id: str
    """Unique id of this event."""
    kakao_message_type: str
    """ALIMTALK_NORMAL, ... (see :class:`KakaoMessageType`); unknown values kept."""
    request_id: str
    """Id of the send request."""
    recipient_seq: int
    """Recipient's sequence number within the request."""
    request_date: datetime
    """When the send was requested."""
    create_date: datetime
    """When the message was created."""
    receive_date: datetime | None = None
    """When the result was received (NHN's example shows a date alone); None if absent."""
    recipient_no: str
    """Recipient number."""
    result_code: str | None = None
    """NHN's result code as sent, e.g. ``"1000"``; None if NHN sent none (no result yet)."""
    sender_grouping_key: str | None = None
    """Your sender grouping key."""
    recipient_grouping_key: str | None = None
    """Your recipient grouping key."""
    is_added_channel: bool | None = None
    """Whether the recipient added the channel: brand messages only (added 2026-06)."""
    links: Links | None = msgspec.field(name="_links", default=None)
    """``_links.self.href``: added later for scheduled and bulk sends; may be None."""

    @property
    def outcome(self) -> "Outcome":
        """Delivered, failed, pending, uncertain...: decided by ``result_code`` (see
        Result codes)."""
        return read_outcome(self)


class KakaoMessageResultUpdate(Envelope):
    """KakaoTalk Bizmessage ``MESSAGE_RESULT_UPDATE``: delivery results were updated."""

    PRODUCT_NAME = "KakaoTalk Bizmessage"
    EVENT = "MESSAGE_RESULT_UPDATE"
    _sample = "kakao-message-result-update"
    _timestamp_separator = " "

    hooks: list[KakaoMessageResultHook]
    """One entry per recipient whose result changed."""
