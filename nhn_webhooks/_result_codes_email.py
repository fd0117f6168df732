"""Email ``mailStatusCode`` of MESSAGE_RESULT_UPDATE, from TOAST-DOCS/E-mail (ko).

Pure data, read by :mod:`nhn_webhooks._outcome`. Rows are grouped under the key of the
NHN source they come from (``SOURCES``: where, and the date of that version). Each row
is ``(code, outcome, final, English, Korean)``; retired rows add the date NHN removed
the code from its table. ``outcome`` is an :class:`~nhn_webhooks.Outcome` value;
``final`` is True when NHN says or clearly implies the value will not change, False for
an interim state, None when NHN does not say. The English and Korean texts are ours;
NHN's Korean terms were the reference. A code NHN reassigned has today's meaning here;
``CHANGED`` lists the earlier meanings for readers of archived webhooks.
"""

from __future__ import annotations

Row = tuple[str | None, str, bool | None, str, str]
RetiredRow = tuple[str, str, bool | None, str, str, str]
Rows = tuple[Row, ...]
RetiredRows = tuple[RetiredRow, ...]

SOURCES: dict[str, tuple[str, str]] = {
    "webhook": ("TOAST-DOCS/E-mail ko/webhook.md @ 77c2a3c", "2025-04-28"),
    "api-guide": ("TOAST-DOCS/E-mail ko/api-guide.md (v2.1) @ 5f2a2d3", "2025-11-05"),
}

MAIL_STATUS_CODE: dict[str, Rows] = {
    "api-guide": (
        ("SST0", "pending", False, "Being prepared for sending", "발송 준비"),
        ("SST1", "pending", False, "Being sent", "발송 중"),
        ("SST4", "pending", False, "Scheduled, waiting for its send time (reservation API)",
         "예약 대기"),
    ),
    "webhook": (
        ("SST2", "delivered", None, "The recipient's SMTP server accepted the mail",
         "수신 측 메일 서버가 수락(발송 완료)"),
        ("SST3", "failed", True, "Send failed", "발송 실패"),
        ("SST5", "failed", True, "Recipient has unsubscribed/opted out", "수신 거부"),
        ("SST7", "failed", True,
         "Sender domain not authenticated (SPF/DKIM/DMARC), so sending is restricted",
         "발신 도메인 미인증(SPF/DKIM/DMARC)"),
        ("SST8", "failed", True, "Filtered out by the whitelist", "화이트리스트로 인한 실패"),
    ),
}
