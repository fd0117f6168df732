"""The code values NHN documents, as str-valued enums for comparison.

Models keep code fields as plain ``str`` so a value NHN adds tomorrow still decodes.
These enums are for comparing and for asking whether a value is one NHN documents::

    if hook.message_status == SmsMessageStatus.FAILED: ...
    if not SmsMessageStatus.is_documented(hook.message_status): log.warning(...)

Members compare equal to their string (``SmsMessageStatus.FAILED == "FAILED"``).
An enum of a field that has a result-code table (``SmsMessageStatus``,
``SmsDlrStatus``, ``EmailStatusCode``) holds exactly the codes the table lists
(``_result_code_table.Table.enum``; ``tests/models/test_values.py`` checks).
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

__all__ = [
    "Code",
    "EmailMessageType",
    "EmailStatusCode",
    "KakaoCommentStatus",
    "KakaoMessageType",
    "KakaoTemplateStatus",
    "SmsDlrStatus",
    "SmsMessageStatus",
    "SmsSenderType",
]


_C = TypeVar("_C", bound="Code")


class Code(str, Enum):
    """Base of the code enums: a ``str`` that also knows NHN's documented values."""

    @classmethod
    def is_documented(cls, value: str) -> bool:
        """True if ``value`` is one of the values NHN documents for this code."""
        return value in cls._value2member_map_

    @classmethod
    def lookup(cls: type[_C], value: str) -> _C | None:
        """The member for ``value``, or ``None`` for a value NHN does not document."""
        return cls._value2member_map_.get(value)  # type: ignore[return-value]

    def __str__(self) -> str:
        return str(self.value)


class SmsSenderType(Code):
    """SMS ``senderType``. NHN's webhook docs show only ``NORMAL_SMS``.

    - ``NORMAL_SMS``: a normal (non-ad, non-auth) SMS.
    """

    NORMAL_SMS = "NORMAL_SMS"


class SmsMessageStatus(Code):
    """SMS ``messageStatus``: the values of the ``SMS_STATUS`` result-code table.

    - ``COMPLETED``: send request completed; not proof of delivery (``hook.outcome``
      reads ``resultCode`` then).
    - ``FAILED``: delivery failed.
    - ``CANCEL``: cancelled.
    - ``DUPLICATED``: a duplicate send.
    - ``FAILED_AD``: an ad message that failed.
    - ``RESERVED``: scheduled, waiting for its send time.
    - ``SENDING``: being sent.
    - ``RESEND_AD``: held by the advertising-hours restriction, waiting to be re-sent.

    NHN's webhook page listed the last three for a few weeks in 2024-05; its API
    guide still lists all eight.
    """

    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCEL = "CANCEL"
    DUPLICATED = "DUPLICATED"
    FAILED_AD = "FAILED_AD"
    RESERVED = "RESERVED"
    SENDING = "SENDING"
    RESEND_AD = "RESEND_AD"


class SmsDlrStatus(Code):
    """SMS international delivery report ``dlrStatus``: the ``SMS_DLR`` table's values.

    - ``ACCEPTED``: accepted by the carrier.
    - ``DELIVERED``: delivered to the handset.
    - ``BUFFERED``: queued by the carrier, not yet delivered.
    - ``EXPIRED``: the carrier gave up before delivery.
    - ``FAILED``: delivery failed.
    - ``REJECTED``: rejected by the carrier.
    - ``UNKNOWN``: the carrier reported no clear status.
    """

    ACCEPTED = "ACCEPTED"
    DELIVERED = "DELIVERED"
    BUFFERED = "BUFFERED"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
    REJECTED = "REJECTED"
    UNKNOWN = "UNKNOWN"


class KakaoMessageType(Code):
    """KakaoTalk Bizmessage ``kakaoMessageType``.

    - ``ALIMTALK_NORMAL``, ``ALIMTALK_AUTH``, ``ALIMTALK_MASS``: AlimTalk (notification)
      messages: normal, authentication, bulk.
    - ``FRIENDTALK_NORMAL``, ``FRIENDTALK_MASS``: FriendTalk messages: normal, bulk.
    - ``BRAND_MESSAGE_NORMAL``, ``BRAND_MESSAGE_MASS``: brand messages: normal, bulk.
    - ``FRIENDTALK_UPGRADE_NORMAL``, ``FRIENDTALK_UPGRADE_MASS``: the names NHN's docs
      gave the brand-message pair for a while in 2025.
    """

    ALIMTALK_NORMAL = "ALIMTALK_NORMAL"
    ALIMTALK_AUTH = "ALIMTALK_AUTH"
    ALIMTALK_MASS = "ALIMTALK_MASS"
    FRIENDTALK_NORMAL = "FRIENDTALK_NORMAL"
    FRIENDTALK_MASS = "FRIENDTALK_MASS"
    BRAND_MESSAGE_NORMAL = "BRAND_MESSAGE_NORMAL"
    BRAND_MESSAGE_MASS = "BRAND_MESSAGE_MASS"
    FRIENDTALK_UPGRADE_NORMAL = "FRIENDTALK_UPGRADE_NORMAL"
    FRIENDTALK_UPGRADE_MASS = "FRIENDTALK_UPGRADE_MASS"


class KakaoTemplateStatus(Code):
    """KakaoTalk Bizmessage template ``status``.

    - ``TSC01``: review requested.
    - ``TSC02``: under review.
    - ``TSC03``: approved.
    - ``TSC04``: rejected.
    """

    TSC01 = "TSC01"
    TSC02 = "TSC02"
    TSC03 = "TSC03"
    TSC04 = "TSC04"


class KakaoCommentStatus(Code):
    """KakaoTalk Bizmessage template comment ``status``.

    - ``INQ``: inquiry.
    - ``APR``: approved.
    - ``REJ``: rejected.
    - ``REP``: replied.
    - ``REQ``: under review (added 2025-11).
    """

    INQ = "INQ"
    APR = "APR"
    REJ = "REJ"
    REP = "REP"
    REQ = "REQ"


class EmailStatusCode(Code):
    """Email ``mailStatusCode``: the values of the ``EMAIL`` result-code table.

    - ``SST0``: being prepared for sending.
    - ``SST1``: being sent.
    - ``SST2``: sent.
    - ``SST3``: sending failed.
    - ``SST4``: scheduled, waiting for its send time.
    - ``SST5``: refused.
    - ``SST7``: unauthenticated.
    - ``SST8``: failed by the whitelist.

    NHN's webhook page lists SST2, SST3, SST5, SST7 and SST8; its API guide lists
    the interim SST0, SST1 and SST4 too.
    """

    SST0 = "SST0"
    SST1 = "SST1"
    SST2 = "SST2"
    SST3 = "SST3"
    SST4 = "SST4"
    SST5 = "SST5"
    SST7 = "SST7"
    SST8 = "SST8"


class EmailMessageType(Code):
    """Email ``messageType``: how the mail was sent, and whether ad or auth.

    - ``NORMAL_MAIL``, ``NORMAL_MAIL_AD``, ``NORMAL_MAIL_AUTH``: individual mail.
    - ``MASS_MAIL``, ``MASS_MAIL_AD``, ``MASS_MAIL_AUTH``: bulk mail.
    - ``TAG_MAIL``, ``TAG_MAIL_AD``, ``TAG_MAIL_AUTH``: mail sent to a tag.
    """

    NORMAL_MAIL = "NORMAL_MAIL"
    NORMAL_MAIL_AD = "NORMAL_MAIL_AD"
    NORMAL_MAIL_AUTH = "NORMAL_MAIL_AUTH"
    MASS_MAIL = "MASS_MAIL"
    MASS_MAIL_AD = "MASS_MAIL_AD"
    MASS_MAIL_AUTH = "MASS_MAIL_AUTH"
    TAG_MAIL = "TAG_MAIL"
    TAG_MAIL_AD = "TAG_MAIL_AD"
    TAG_MAIL_AUTH = "TAG_MAIL_AUTH"
