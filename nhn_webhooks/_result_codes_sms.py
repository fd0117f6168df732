"""SMS codes a result hook carries: ``messageStatus`` and ``resultCode`` (MESSAGE_RESULT_UPDATE),
``dlrStatus`` and ``errorCode`` (INTERNATIONAL_DELIVERY_RECEIPT), from TOAST-DOCS/SMS (ko).

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
    "webhook": ("TOAST-DOCS/SMS ko/webhook.md @ 89f8fed", "2026-02-27"),
    "api-guide": ("TOAST-DOCS/SMS ko/api-guide.md (v3.0) @ 3d34327", "2026-05-13"),
    "error-code": ("TOAST-DOCS/SMS ko/error-code.md @ 1e3b7b3", "2026-06-09"),
    "emma": ("TOAST-DOCS/SMS ko/error-code.md, EMMA v.3 table @ 012c764", "2018-01-17"),
}

MESSAGE_STATUS: dict[str, Rows] = {
    "webhook": (
        ("COMPLETED", "pending", True,
         "Handed to the carrier; not proof of delivery: resultCode decides",
         "발송 요청 완료(수신 여부는 resultCode로 판단)"),
        ("FAILED", "failed", True,
         "The send failed before the message reached the handset",
         "발송 실패"),
        ("CANCEL", "failed", True, "The message was canceled", "취소"),
        ("DUPLICATED", "failed", True, "Blocked as a duplicate of an identical request",
         "중복 발송"),
        ("FAILED_AD", "failed", True, "Not sent because of the advertising-hours restriction",
         "실패(광고 제한)"),
    ),
    "api-guide": (
        ("RESERVED", "pending", False, "Scheduled; waiting for its send time", "예약 대기"),
        ("SENDING", "pending", False, "Being sent", "발송 중"),
        ("RESEND_AD", "pending", False,
         "Held by the advertising-hours restriction and waiting to be re-sent",
         "재발송 대기(광고 제한)"),
    ),
}

RESULT_CODE: dict[str, Rows] = {
    "api-guide": (
        (None, "pending", False, "Handed off; no reception result yet",
         "전달했으나 아직 수신 결과 없음"),
    ),
    "error-code": (
        ("1000", "delivered", True, "Received by the handset", "단말기 수신 성공"),
        ("1001", "failed", True, "Server/gateway busy", "서버 혼잡"),
        ("1002", "failed", True, "Recipient number badly formatted", "수신 번호 형식 오류"),
        ("1003", "failed", True, "Sender number badly formatted", "발신 번호 형식 오류"),
        ("1019", "failed", True, "Message time-to-live expired", "TTL 초과"),
        ("2000", "failed", True, "Delivery timed out", "전송 시간 초과"),
        ("2001", "failed", True, "Failed inside the wireless network", "전송 실패(무선망단)"),
        ("2002", "failed", True, "Failed between the network and the handset",
         "전송 실패(무선망 > 단말기단)"),
        ("2003", "failed", True, "Handset switched off", "단말기 전원 꺼짐"),
        ("2004", "failed", True, "Message buffer between carrier and handset is full",
         "통신사-단말 간 메시지 버퍼 가득 참"),
        ("2005", "failed", True, "Handset in a no-coverage area", "음영 지역"),
        ("2006", "failed", True, "Message was deleted", "메시지 삭제됨"),
        ("2007", "failed", True, "Temporary handset problem", "일시적인 단말 문제"),
        ("3000", "failed", True, "Cannot be transmitted", "전송할 수 없음"),
        ("3001", "failed", True, "No such subscriber", "가입자 없음"),
        ("3002", "failed", True, "Adult verification failed", "성인 인증 실패"),
        ("3003", "failed", True, "Recipient number malformed or not in service",
         "수신 번호 형식 오류 또는 결번(없는 번호)"),
        ("3004", "failed", True, "Handset service temporarily suspended",
         "단말기 서비스 일시 정지"),
        ("3005", "failed", True, "Handset busy in call processing; message did not reach it",
         "단말기 통화 처리 중, 단말 미도달"),
        ("3006", "failed", True, "Incoming messages refused", "착신 거절"),
        ("3007", "failed", True, "Handset cannot accept a callback URL",
         "콜백 URL을 받을 수 없는 단말기"),
        ("3008", "failed", True, "Other handset problem", "기타 단말기 문제"),
        ("3009", "failed", True, "Message format error", "메시지 형식 오류"),
        ("3010", "failed", True, "Handset does not support MMS", "MMS 미지원 단말"),
        ("3011", "failed", True, "Server error", "서버 오류"),
        ("3012", "failed", True, "Treated as spam", "스팸"),
        ("3013", "failed", True, "Service refused", "서비스 거부"),
        ("3014", "failed", True, "Other", "기타"),
        ("3015", "failed", True, "No delivery route", "전송 경로 없음"),
        ("3016", "failed", True, "Attachment exceeds the size limit", "첨부 파일 크기 제한 실패"),
        ("3017", "failed", True, "Sender number invalid under the caller-ID anti-spoofing service",
         "발신 번호 변작 방지 서비스에 의거한 번호 형식 오류"),
        ("3018", "failed", True,
         "Sender number is a personal mobile enrolled in anti-spoofing",
         "변작 방지 서비스에 가입된 개인 휴대폰 발신 번호"),
        ("3019", "failed", True, "Sender number blocked for every customer by KISA or the ministry",
         "KISA 또는 정부가 차단한 발신 번호"),
        ("4001", "failed", True, "International: signature (sender-ID) format error",
         "국제 발송: 시그니처 형식 오류"),
        ("4002", "failed", True, "International: sender number error", "국제 발송: 발신 번호 오류"),
        ("4003", "failed", True, "International: recipient number error",
         "국제 발송: 수신 번호 오류"),
        ("4004", "failed", True, "International: temporary handset problem",
         "국제 발송: 일시적인 단말 문제"),
        ("4005", "failed", True, "International: no such subscriber", "국제 발송: 가입자 없음"),
        ("4006", "failed", True, "International: failed because of a recipient-side error",
         "국제 발송: 수신자 오류로 인한 실패"),
        ("4007", "failed", True, "International: carrier error or carrier block",
         "국제 발송: 통신사 오류 혹은 차단"),
        ("4008", "failed", True, "International: spam", "국제 발송: 스팸"),
        ("4009", "failed", True, "International: temporary network error",
         "국제 발송: 일시적 네트워크 오류"),
        ("4010", "failed", True, "International: abnormal sending pattern",
         "국제 발송: 비정상적인 전송 패턴으로 인한 실패"),
        ("E900", "failed", True, "Other send error", "기타 발송 오류"),
        ("E911", "failed", True, "Attachment has no file extension",
         "첨부 파일 확장자가 없는 경우"),
        ("E913", "failed", True, "Attachment size is 0", "첨부 파일 크기가 0인 경우"),
        ("E915", "failed", True, "Duplicate message", "중복 메시지"),
        ("E919", "failed", True, "Inside a send-restricted time window, or resend prohibited",
         "발송 제한 시간 또는 재발송 금지"),
        ("E999", "failed", True, "Other error", "기타 오류"),
    ),
}

RETIRED_RESULT_CODE: dict[str, RetiredRows] = {
    "emma": (
        ("1004", "failed", True, "SPAM", "스팸", "2023-04-23"),
        ("1005", "failed", True, "Usage count exceeded", "사용 건수 초과", "2023-04-23"),
        ("1006", "failed", True, "No attachment", "첨부 파일 없음", "2023-04-23"),
        ("1007", "failed", True, "Has an attachment", "첨부 파일 있음", "2023-04-23"),
        ("1008", "failed", True, "Attachment could not be stored",
         "첨부 파일 저장 실패", "2023-04-23"),
        ("1009", "failed", True, "CLIENT_MSG_KEY missing", "CLIENT_MSG_KEY 없음", "2023-04-23"),
        ("1010", "failed", True, "CONTENT missing", "CONTENT 없음", "2023-04-23"),
        ("1011", "failed", True, "CALLBACK missing", "CALLBACK 없음", "2023-04-23"),
        ("1012", "failed", True, "RECIPIENT_INFO missing", "RECIPIENT_INFO 없음", "2023-04-23"),
        ("1013", "failed", True, "SUBJECT missing", "SUBJECT 없음", "2023-04-23"),
        ("1014", "failed", True, "Attachment KEY missing", "첨부 파일 KEY 없음", "2023-04-23"),
        ("1015", "failed", True, "Attachment NAME missing", "첨부 파일 NAME 없음", "2023-04-23"),
        ("1016", "failed", True, "Attachment size missing", "첨부 파일 크기 없음", "2023-04-23"),
        ("1017", "failed", True, "Attachment content missing",
         "첨부 파일 Content 없음", "2023-04-23"),
        ("1018", "failed", True, "No permission to send", "전송 권한 없음", "2023-04-23"),
        ("1020", "failed", True, "Character-set conversion error",
         "문자셋 변환 오류", "2023-04-23"),
        ("E901", "failed", True, "Recipient number missing", "수신 번호 없음", "2023-04-23"),
        ("E902", "failed", True, "Sequence missing", "일련번호 없음", "2023-04-23"),
        ("E903", "failed", True, "Subject missing", "제목 없음", "2023-04-23"),
        ("E904", "failed", True, "Message missing", "메시지 없음", "2023-04-23"),
        ("E905", "failed", True, "Reply number missing", "회신 번호 없음", "2023-04-23"),
        ("E906", "failed", True, "Message key missing", "메시지 키 없음", "2023-04-23"),
        ("E907", "failed", True, "Broadcast flag missing", "동보 여부 없음", "2023-04-23"),
        ("E908", "failed", True, "Service type missing", "서비스 타입 없음", "2023-04-23"),
        ("E909", "failed", True, "Request time missing", "요청 시간 없음", "2023-04-23"),
        ("E910", "failed", True, "TTL missing", "TTL 없음", "2023-04-23"),
        ("E912", "failed", True, "Retired gateway error (meaning not kept)",
         "폐지된 게이트웨이 오류", "2023-04-23"),
        ("E914", "failed", True, "Retired gateway error (meaning not kept)",
         "폐지된 게이트웨이 오류", "2023-04-23"),
        ("E916", "failed", True, "Number blocked by the authentication server",
         "인증 서버 차단 번호", "2023-04-23"),
        ("E917", "failed", True, "Number blocked by the customer database",
         "고객 DB 차단 번호", "2023-04-23"),
        ("E918", "failed", True, "User callback failed", "사용자 콜백 실패", "2023-04-23"),
        ("E920", "failed", True, "Retired gateway error (meaning not kept)",
         "폐지된 게이트웨이 오류", "2023-04-23"),
        ("E921", "failed", True, "Retired gateway error (meaning not kept)",
         "폐지된 게이트웨이 오류", "2023-04-23"),
        ("E922", "failed", True, "Retired gateway error (meaning not kept)",
         "폐지된 게이트웨이 오류", "2023-04-23"),
    ),
}

DLR_STATUS: dict[str, Rows] = {
    "error-code": (
        ("DELIVERED", "delivered", True, "The carrier reports the message delivered to the handset",
         "단말기로 전달됨"),
        ("ACCEPTED", "pending", False, "Accepted by the carrier, not yet delivered",
         "통신사가 수락, 아직 전달 전"),
        ("BUFFERED", "pending", False, "Accepted and queued/buffered for later delivery",
         "통신사가 수락, 전달 대기 중"),
        ("EXPIRED", "failed", True, "Carrier retries ran out before the expiry time",
         "만료 기한 내 전송 실패"),
        ("FAILED", "failed", True, "Not delivered", "메시지 전송 실패"),
        ("REJECTED", "failed", True, "The carrier refused to deliver",
         "통신사가 전달 거부"),
        ("UNKNOWN", "failed", True, "No usable information (NHN counts it as failed)",
         "알 수 없음(NHN은 수신 실패로 분류)"),
    ),
}

DLR_ERROR_CODE: dict[str, Rows] = {
    "error-code": (
        ("0", "uncertain", None,
         "No error; alone it proves nothing (NHN sends it with ACCEPTED): dlrStatus decides",
         "오류 없음(수신 여부는 dlrStatus로 판단)"),
        ("1", "failed", True, "Not delivered, reason unknown", "미전달, 원인 불명"),
        ("2", "failed", True, "Subscriber temporarily unreachable", "수신자 부재 - 일시적"),
        ("3", "failed", True, "Number no longer active; remove it", "수신자 부재 - 영구적"),
        ("4", "failed", True, "Barred by the recipient; remove the number",
         "수신자에 의해 차단된 번호"),
        ("5", "failed", True, "Number-portability problem", "이동성 오류"),
        ("6", "failed", True, "Blocked by the carrier's anti-spam filter", "스팸 방지 필터 차단"),
        ("7", "failed", True, "Handset busy/unavailable", "단말기 사용 중"),
        ("8", "failed", True, "Network error", "네트워크 오류"),
        ("9", "failed", True,
         "Recipient opted out of this sender (labelled illegal number)",
         "수신자가 이 발신자를 수신 거부(잘못된 번호로 표기)"),
        ("11", "failed", True, "NHN found no route (contact support)", "라우팅 불가"),
        ("12", "failed", True, "Destination unreachable", "연결할 수 없는 목적지"),
        ("13", "failed", True, "Recipient age restriction", "수신자 나이 제한"),
        ("14", "failed", True, "Carrier blocks SMS on this plan", "통신사에 의해 차단된 번호"),
        ("16", "failed", True, "Gateway quota exceeded (US/FR accounts)", "게이트웨이 할당량 초과"),
        ("20", "failed", True, "Rejected by anti-fraud (traffic pumping) rule",
         "부정 행위 방지 트래픽 규칙"),
        ("21", "failed", True, "Abnormal sequential dialling detected", "비정상 연속적 발신 감지"),
        ("22", "failed", True, "Abnormal traffic burst detected", "비정상 트래픽 급증 감지"),
        ("39", "failed", True, "Invalid sender address for a US destination",
         "미국 목적지에 맞지 않는 발신자 주소"),
        ("51", "failed", True, "Header filter (sender-number problem)", "헤더 필터"),
        ("53", "failed", True, "Consent filter: no consent", "동의 필터"),
        ("54", "failed", True, "Regulatory error", "규제 오류"),
        ("99", "failed", True, "General (usually routing) error", "일반 오류"),
        ("1000", "failed", True, "Other error", "기타 오류"),
    ),
}

# (table, code, earlier meaning, when NHN published the change): codes whose number
# NHN kept while the meaning changed. Read an archived hook with the meaning of its day.
CHANGED: tuple[tuple[str, str, str, str], ...] = (
    ("SMS", "E900", "Send key missing (EMMA v.3 table, 2018-02-21 to 2023-04-23)",
     "2025-03-19: reused for 'other send error'"),
    ("SMS", "1003", "Reply-to number format error", "2023-08-29: sender number format error"),
    ("SMS", "3019", "Sender number not pre-registered with Infobank",
     "2023-08-29: sender number blocked by KISA or the ministry"),
)
