"""The POST bodies the benchmark decodes, built the way NHN sends them.

Every body is built once, as bytes, before anything is timed. Values differ from hook
to hook (ids, sequence numbers, timestamps a second apart) so that no competitor can
profit from repeated strings or cached parses.

Choices where NHN's documentation leaves room, made so that all four competitors can
decode every workload:

- SMS MESSAGE_RESULT_UPDATE: timestamps without an offset, as NHN documents them. Every
  second hook (odd index) uses the spellings of NHN's own example,
  ``recipientGropuingKey`` and ``_link``; the others the documented
  ``recipientGroupingKey`` and ``_links``.
- Kakao template status: one hook with 3 comments of 2 attachments each; timestamps
  space-separated without an offset (``2022-05-01 00:00:00``), as NHN's example shows.
  The date-only ``receiveDate`` belongs to the Kakao *message result* event, which is
  not one of the workloads.
- Email MESSAGE_RESULT_UPDATE: timestamps with an offset; ``mailSeq`` sent as an
  integer, as NHN's field table says (its example's ``"0"`` string is a quirk covered
  by the test suite; a wire-mirroring floor typed from the table could not read it).
  Every second hook spells ``senderGroupKey`` as NHN's example does.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

Kind = Literal["sms", "kakao", "email"]


class Workload(NamedTuple):
    """One body to decode and the event kind the competitors must read it as."""

    name: str
    kind: Kind
    body: bytes
    hooks: int


_APP_KEY = "akb3dukdmdjsdSvgk"
_SMS_HOST = "https://sms.api.nhncloudservice.com/sms/v2.4/appKeys"
_EMAIL_HOST = "https://email.api.nhncloudservice.com/email/v2.0/appKeys"
_START = datetime(2024, 4, 29, 20, 58, 2)


def _envelope(product: str, event: str, hooks: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "hooksId": "20240429205809GcSUXthVA00",
            "webhookConfigId": "wc-5f2d9a",
            "productName": product,
            "appKey": _APP_KEY,
            "event": event,
            "hooks": hooks,
        },
        ensure_ascii=False,
    ).encode()


def _at(index: int, seconds: int = 0) -> datetime:
    return _START + timedelta(seconds=index + seconds)


def sms_hook(index: int, quirks: bool = True) -> dict[str, Any]:
    """One SMS result hook; odd indexes use the spellings of NHN's example if ``quirks``."""
    request_id = f"{_at(index):%Y%m%d%H%M%S}y0Tl7Gbz{index:04d}"
    quirky = quirks and index % 2 == 1
    return {
        "hookId": f"{_at(index, 7):%Y%m%d%H%M%S}GcSUXthV{index:04d}",
        "senderType": "NORMAL_SMS" if index % 3 else "NORMAL_LMS",
        "requestId": request_id,
        "recipientSeq": index + 1,
        "requestDate": f"{_at(index):%Y-%m-%dT%H:%M:%S}",
        "receiveDate": f"{_at(index, 2):%Y-%m-%dT%H:%M:%S}",
        "sendNo": "15446859",
        "recipientNo": f"010{index:08d}",
        "messageStatus": "COMPLETED" if index % 5 else "FAILED",
        ("recipientGropuingKey" if quirky else "recipientGroupingKey"): f"R-{index % 7}",
        "senderGroupingKey": "campaign-2024-04",
        "resultCode": "1000",
        "messageCount": 1,
        ("_link" if quirky else "_links"): {
            "self": {
                "href": f"{_SMS_HOST}/{_APP_KEY}/sender/sms/{request_id}?recipientSeq={index + 1}"
            }
        },
    }


def sms_result_update(hooks: int, quirks: bool = True) -> Workload:
    """SMS MESSAGE_RESULT_UPDATE carrying ``hooks`` hooks, half of them quirky if ``quirks``."""
    hook_list = [sms_hook(i, quirks) for i in range(hooks)]
    body = _envelope("SMS", "MESSAGE_RESULT_UPDATE", hook_list)
    name = f"SMS result x{hooks}" + ("" if quirks else ", documented spellings only")
    return Workload(name, "sms", body, hooks)


def kakao_template_status(comments: int = 3, attachments: int = 2) -> Workload:
    """Kakao template status update: one hook, ``comments`` x ``attachments``."""
    thread = [
        {
            "id": 40 + c,
            "content": f"Comment {c}: please remove the ad phrase in line {c + 2}.",
            "userName": "Kakao reviewer" if c % 2 == 0 else "Template owner",
            "createdAt": f"{_at(c * 60):%Y-%m-%d %H:%M:%S}",
            "attachment": [
                {
                    "originalFileName": f"guide-{c}-{a}.png",
                    "filePath": f"/attach/2024/04/29/guide-{c}-{a}.png",
                }
                for a in range(attachments)
            ],
            "status": ("INQ", "REJ", "REP")[c % 3],
        }
        for c in range(comments)
    ]
    hook = {
        "senderKey": "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2",
        "templateCode": "ORDER_SHIPPED_01",
        "kakaoTemplateCode": "ORDER_SHIPPED_01",
        "status": "TSC04",
        "comments": thread,
        "updateDate": f"{_at(comments * 60):%Y-%m-%d %H:%M:%S}",
        "hookId": "20240429205809AbCdEfGh010",
    }
    body = _envelope("KakaoTalk Bizmessage", "TEMPLATE_STATUS_UPDATE", [hook])
    return Workload(f"Kakao template {comments}x{attachments}", "kakao", body, 1)


def email_hook(index: int) -> dict[str, Any]:
    """One Email result hook; odd indexes spell ``senderGroupKey`` as NHN's example."""
    request_id = f"20240429000000ABCD{index:04d}"
    stamp = "%Y-%m-%dT%H:%M:%S.000+09:00"
    return {
        "messageType": "NORMAL_MAIL" if index % 4 else "MASS_MAIL_AD",
        "requestId": request_id,
        "mailSeq": index,
        "senderAddress": "sender@example.com",
        "receiveMailAddr": f"receiver{index}@example.com",
        "mailStatusCode": "SST2",
        "requestDate": format(_at(index), stamp),
        "createDate": format(_at(index, 1), stamp),
        "resultDate": format(_at(index, 3), stamp),
        "dsnCode": "2.5.0",
        "dsnMessage": "SUCCESS",
        ("senderGroupKey" if index % 2 else "senderGroupingKey"): f"G-{index % 3}",
        "_links": {"self": {"href": f"{_EMAIL_HOST}/{_APP_KEY}/sender/mail/{request_id}/{index}"}},
        "hookId": f"20240429000000hook{index:06d}",
    }


def email_result_update(hooks: int) -> Workload:
    """Email MESSAGE_RESULT_UPDATE carrying ``hooks`` hooks."""
    body = _envelope("Email", "MESSAGE_RESULT_UPDATE", [email_hook(i) for i in range(hooks)])
    return Workload(f"Email result x{hooks}", "email", body, hooks)


def all_workloads() -> list[Workload]:
    """Every workload, in the order the tables list them."""
    return [
        sms_result_update(1),
        sms_result_update(100),
        sms_result_update(1000),
        kakao_template_status(),
        email_result_update(100),
    ]


# --- hostile bodies: cost per MB must stay flat --------------------------------------
#
# Bodies anyone can send an endpoint whose signature check is off, built to make a
# decoder do more than linear work. The test suite counts the work they cause
# (tests/test_hostile.py); the benchmark times them from 0.1 MB to 10 MB.


def alias_failures(size: int) -> bytes:
    """SMS CONVERSION_BLOCK of about ``size`` bytes, alternating good and bad hooks.

    Every good hook spells ``createdDateTime`` (an alias the careful path renames),
    every bad one sends ``countryCode`` as a number: as many failures to report as
    renamed keys to look them up among.
    """
    hooks: list[dict[str, Any]] = []
    length = 0
    while length < size:
        index = len(hooks)
        hook: dict[str, Any] = {"hookId": f"20240429205809GcSUXthV{index:06d}"}
        if index % 2:
            hook.update(countryCode=index, blockedDateTime="2024-05-28T09:00:00.000+09:00")
        else:
            hook.update(countryCode="1", createdDateTime="2024-05-28T09:00:00.000+09:00")
        hooks.append(hook)
        length += len(json.dumps(hook)) + 1
    return _envelope("SMS", "CONVERSION_BLOCK", hooks)


def deep_bad_number(size: int, depth: int = 500) -> bytes:
    """A hook of an unknown event holding ``[pad, [pad, ... [pad, 1e400]]]``, ``depth``
    arrays deep, padded to about ``size`` bytes: the number has to be located."""
    pad = json.dumps("x" * max(1, size // depth - 8))
    nested = f"[{pad}," * depth + "1e400" + "]" * depth
    hook = '{"hookId":"20240429205809GcSUXthVA00","data":' + nested + "}"
    envelope = _envelope("SMS", "NOT_A_MODELLED_EVENT", []).decode()
    return envelope.replace('"hooks": []', f'"hooks": [{hook}]').encode()
