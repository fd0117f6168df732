"""Write docs/result-codes.md from the package's code tables, so the page cannot drift.

Run ``python docs/gen_result_codes.py`` after changing a table
(``nhn_webhooks/_result_codes_*.py``, each table declared once in its ``TABLES``);
``tests/test_docs.py`` fails while the
committed page differs from what this script produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nhn_webhooks as nw
from nhn_webhooks._result_codes import _kakao as _result_codes_kakao
from nhn_webhooks._result_codes import _sms as _result_codes_sms
from nhn_webhooks._result_codes._outcome import TABLES
from nhn_webhooks._result_codes._table import Table

PAGE = Path(__file__).with_name("result-codes.md")

INTRO = """\
# Result codes

Generated from the package's code tables by `docs/gen_result_codes.py`; do not edit by
hand.

The first thing a handler decides about a result hook is whether the message reached
the person. `hook.outcome` answers it on the four result hooks
(`SmsMessageResultHook`, `SmsDeliveryReceiptHook`, `KakaoMessageResultHook`,
`EmailMessageResultHook`) with an `Outcome`: `DELIVERED`, `FAILED`, `PENDING`,
`UNCERTAIN` or `UNKNOWN` (a `str`; its values are the lowercase names). It is worked
out when you read it, from the fields NHN sent, so decoding costs nothing more and
`encode()` and equality see only what NHN sent.

```python
for hook in webhook.hooks:  # webhook: an nw.SmsMessageResultUpdate
    match hook.outcome:
        case nw.Outcome.DELIVERED:
            mark_delivered(hook.request_id, hook.recipient_seq)
        case nw.Outcome.FAILED:
            entry = nw.result_code("SMS", hook.result_code)
            mark_failed(hook.request_id, hook.recipient_seq, entry.description_en)
        case nw.Outcome.PENDING | nw.Outcome.UNCERTAIN:
            pass  # a later hook may bring the result
        case nw.Outcome.UNKNOWN:
            log.warning("result code %r is new to nhn-webhooks", hook.result_code)
```

`nw.result_code(table, code)` looks a code up for logs and dashboards: its outcome,
whether NHN marks it final, a short description in English and in Korean (our
wording; NHN's Korean terms were the reference), and the NHN document and date it
comes from. On the command line: `nhn-webhooks code sms 3015` (or `code kakao` for the
whole table). The tables below are those the package ships; every code NHN documents
for the fields a result hook carries is listed.

## How the outcome is decided

- **SMS `MESSAGE_RESULT_UPDATE`**: a `messageStatus` of `FAILED`, `CANCEL`,
  `DUPLICATED` or `FAILED_AD` is failed, and one of `RESERVED`, `SENDING` or
  `RESEND_AD` (listed by NHN's webhook docs for a few weeks in 2024-05) is pending,
  whatever `resultCode` says. Otherwise `resultCode` decides: `"1000"` is delivered,
  any other listed code failed, no code (absent, `null` or `""`) pending, a code the
  table does not list unknown. `COMPLETED` is not delivery: NHN calls it "send request
  completed", and its own API examples pair it with the failure code `3015` and with no
  result at all. A `messageStatus` NHN has not documented also leaves the decision to
  `resultCode`.
- **SMS `INTERNATIONAL_DELIVERY_RECEIPT`**: `dlrStatus` decides (`DELIVERED` delivered;
  `EXPIRED`, `FAILED`, `REJECTED`, `UNKNOWN` failed, as NHN's 2025-03-04 release note
  groups them; `ACCEPTED`, `BUFFERED` pending). `errorCode` is only the reason; note
  that its `"1000"` means "other error".
- **KakaoTalk Bizmessage `MESSAGE_RESULT_UPDATE`**: `resultCode` decides: `"1000"`
  delivered; `3005` (NHN: "success uncertain") and the codes saying the result could
  not be found uncertain; `4161` ("still being processed") and no code pending; any
  other listed code failed. There is no `messageStatus` in this hook.
- **Email `MESSAGE_RESULT_UPDATE`**: `mailStatusCode` decides: `SST2` delivered (the
  recipient's mail server accepted it), `SST3`, `SST5`, `SST7`, `SST8` failed, `SST0`,
  `SST1`, `SST4` pending.
- **Anywhere**: a value the tables do not list is `UNKNOWN`, never guessed into
  delivered or failed, and never an exception. Keep the raw value; a newer version of
  this package may know it.

## When a result field is missing

- SMS and KakaoTalk `resultCode` may be absent or `null`: NHN's SMS release notes
  (2024-05-14) record failure hooks sent without it until a fix, and NHN's query APIs
  return `resultCode: null` while no result exists. The hook decodes with
  `result_code` `None`, and its outcome follows the procedure above (pending, unless
  the SMS `messageStatus` decides).
- Email `mailStatusCode` and SMS `dlrStatus` are what those hooks are about, and NHN
  documents them in every hook, so they stay required: a hook without one is a
  `DecodeError` naming it (`$.hooks[0].mailStatusCode: missing required field`).
  `decode_partial()` keeps the POST's other hooks and reports that one in `failures`.
  An empty or unlisted value decodes, and its outcome is `UNKNOWN`.

## Open questions that affect you

NHN's documents leave these open; the package's choice is stated with each.

- **Which SMS field wins.** No NHN text says whether `messageStatus` or `resultCode`
  decides when they disagree. NHN's examples (`COMPLETED` with `3015`, `COMPLETED`
  with `null`) and its note that sent is not received support letting `resultCode`
  decide under `COMPLETED`, and the failure statuses decide alone. Nor does NHN say
  whether one recipient can get a `COMPLETED` hook without a code and a later one with
  it: treat `PENDING` as "not yet", not as final.
- **Reassigned codes.** NHN reused code numbers with new meanings (SMS `E900`;
  KakaoTalk on 2020-03-23, 2023-06-27, 2024-08-27, 2025-01-14 and 2025-05-13). The
  tables give today's meaning; an archived hook from before a change meant what the
  table said then. [Codes that changed meaning](#codes-that-changed-meaning) lists
  them. Codes NHN removed are kept, marked retired, with the outcome they had.
- **Email `SST4`.** NHN's 2025-04-29 release note calls `SST4` "수신 거부"
  (unsubscribed), while its API and webhook docs say `SST5` is unsubscribed and `SST4`
  is a scheduled send waiting. The package follows the API docs: `SST4` is pending.
  `SST6` is documented nowhere and is `UNKNOWN`.
- **Whether KakaoTalk `3005` can change.** NHN says the message was sent and may still
  be received within 3 days, but not whether a later hook reports the receipt, nor
  whether it triggers the SMS fallback. It is `UNCERTAIN` with finality unknown; the
  same holds for `4000`, `4001` and `4122`, and NHN does not say whether those ever
  reach a webhook.
- **Email `SST2` finality.** Whether a mail accepted by the recipient's server can
  later bounce is not documented; `final` is unknown. Failure hooks carry no reason
  (`dsnCode` is sent only with `SST2`).
- **International SMS.** A delivered result may mean only that the foreign carrier
  took the message, and NHN says DLR values can be `null` and are not guaranteed.
"""


def render() -> str:
    """The whole page as Markdown: one section per product, one table per declaration."""
    parts = [INTRO]
    for product in dict.fromkeys(table.product for table in TABLES):
        parts.append(f"\n## {product}\n")
        parts += [_section(table) for table in TABLES if table.product == product]
    parts.append(_changed())
    return "".join(parts)


def _section(table: Table) -> str:
    entries = nw.result_codes(table.name)
    current = [entry for entry in entries if entry.retired is None]
    retired = [entry for entry in entries if entry.retired is not None]
    lines = [
        f"\n### {table.title}\n",
        f"\n`{table.field}`; `nw.result_code(\"{table.name}\", code)`.\n",
        "\n| code | outcome | final | English | Korean |\n|---|---|---|---|---|\n",
    ]
    lines += [_row(entry, _final(entry)) for entry in current]
    if retired:
        lines.append(
            "\nRetired: NHN removed these from its table (on the date shown); archived "
            "hooks may still carry them.\n"
            "\n| code | outcome | retired | English | Korean |\n|---|---|---|---|---|\n"
        )
        lines += [_row(entry, entry.retired or "") for entry in retired]
    sources = dict.fromkeys(f"{entry.source} ({entry.source_date})" for entry in entries)
    lines.append("\nFrom: " + "; ".join(f"`{source}`" for source in sources) + ".\n")
    return "".join(lines)


def _row(entry: nw.ResultCode, third: str) -> str:
    code = "(none)" if entry.code is None else f"`{entry.code}`"
    cells = [code, str(entry.outcome), third, entry.description_en, entry.description_ko]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n"


def _final(entry: nw.ResultCode) -> str:
    return {True: "yes", False: "no", None: "?"}[entry.final]


def _changed() -> str:
    lines = [
        "\n## Codes that changed meaning\n",
        "\nNHN kept these numbers and changed what they mean. The tables above give "
        "today's meaning; a hook issued before the change meant the earlier one.\n",
        "\n| table | code | earlier meaning | change |\n|---|---|---|---|\n",
    ]
    for table, code, earlier, change in _result_codes_sms.CHANGED + _result_codes_kakao.CHANGED:
        lines.append(f"| {table} | `{code}` | {earlier} | {change} |\n")
    return "".join(lines)


def main() -> int:
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
