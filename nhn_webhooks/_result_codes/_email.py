"""Email ``mailStatusCode`` of MESSAGE_RESULT_UPDATE, from TOAST-DOCS/E-mail (ko).

Pure data in the layout :mod:`nhn_webhooks._result_codes._table` describes.
"""

from __future__ import annotations

from ._table import Rows, Sources, Table

SOURCES: Sources = {
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

TABLES = (
    Table(
        name="EMAIL",
        product="Email",
        field="mailStatusCode",
        description="Email ``mailStatusCode``",
        title="Email status code",
        sources=SOURCES,
        rows=MAIL_STATUS_CODE,
        enum="EmailStatusCode",
    ),
)
