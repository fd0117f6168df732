"""hook.outcome and result_code(): NHN's code tables, the decision procedure, odd input."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks._result_codes import _kakao as _result_codes_kakao
from nhn_webhooks._result_codes import _sms as _result_codes_sms
from nhn_webhooks._result_codes._outcome import TABLES
from nhn_webhooks.testing import strategies as nws
from tests.conftest import examples, sample_dict, to_body

FIXTURE = Path(__file__).parents[1] / "fixtures" / "result-codes.md"
D, F, P, U, K = (nw.Outcome.DELIVERED, nw.Outcome.FAILED, nw.Outcome.PENDING,
                 nw.Outcome.UNCERTAIN, nw.Outcome.UNKNOWN)  # fmt: skip


# --- every documented code, from a copy of the published tables ---------------------

# Section of the copied tables -> the package's table for that field.
SECTIONS = {
    "### 1.1": "SMS_STATUS",
    "### 1.2": "SMS",
    "### 1.4": "SMS_DLR",
    "### 1.5": "SMS_DLR_ERROR",
    "### 2.1 ": "KAKAO",
    "### 3.1": "EMAIL",
}


def documented_rows() -> list[tuple[str, str | None, str]]:
    """(table, code, outcome column) for every row of the copied code tables."""
    text = FIXTURE.read_text(encoding="utf-8")
    rows = []
    for heading, table in SECTIONS.items():
        start = text.index(heading)
        section = text[start : text.index("\n#", start + 1)]
        for line in section.splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            if not line.startswith("| ") or cells[0] == "code" or line.startswith("|---"):
                continue
            code = None if cells[0] == "*(null / absent)*" else cells[0]
            rows.append((table, code, cells[2]))
    return rows


ROWS = documented_rows()


def expected_outcome(table: str, code: str | None, column: str) -> nw.Outcome | None:
    """The outcome the copied table gives; None where it gives none (not a code)."""
    if table == "SMS_STATUS" and code == "COMPLETED":
        return P  # "defer to resultCode": alone, no result yet
    if table == "SMS_DLR_ERROR" and code == "0":
        return U  # "delivered only together with DELIVERED": alone it cannot tell
    if column == "\u2013":  # an en dash: no outcome
        return None
    word = re.match(r"\**(\w+)", column)
    assert word is not None, column
    return nw.Outcome(word.group(1))


def test_the_copied_tables_hold_every_section() -> None:
    counts = {table: sum(row[0] == table for row in ROWS) for table in SECTIONS.values()}
    assert counts == {
        "SMS_STATUS": 8,
        "SMS": 50,
        "SMS_DLR": 7,
        "SMS_DLR_ERROR": 24,
        "KAKAO": 106,
        "EMAIL": 9,
    }


@pytest.mark.parametrize(("table", "code", "column"), ROWS)
def test_every_documented_code_has_its_documented_outcome(
    table: str, code: str | None, column: str
) -> None:
    entry = nw.result_code(table, code)
    expected = expected_outcome(table, code, column)
    if expected is None:  # documented as having no meaning (Email SST6)
        assert not entry.listed
        assert entry.outcome is K
    else:
        assert entry.listed, (table, code)
        assert entry.outcome is expected, (table, code)
        assert entry.retired is None


def test_the_tables_list_nothing_the_published_tables_do_not() -> None:
    documented = {(table, code) for table, code, _ in ROWS}
    shipped = {
        (table, entry.code)
        for table in SECTIONS.values()
        for entry in nw.result_codes(table)
        if entry.retired is None
    }
    assert shipped == documented - {("EMAIL", "SST6")}


def retired_sms_codes() -> set[str]:
    """The codes of the copied 'Codes no longer in the table' list (ranges expanded)."""
    text = FIXTURE.read_text(encoding="utf-8")
    start = text.index("**Codes no longer in the table.**")
    block = text[start : text.index("In the old table", start)]
    codes = set(re.findall(r"\b(1\d{3}|E9\d\d)\b(?![\u2013\d])", block))
    for first, last in re.findall(r"E(9\d\d)\u2013E(9\d\d)", block):
        codes |= {f"E{number}" for number in range(int(first), int(last) + 1)}
    return codes - {"E900"}  # E900 was reassigned, not removed


def test_retired_sms_codes_are_failures_with_their_removal_date() -> None:
    retired = retired_sms_codes()
    assert len(retired) == 16 + 18
    for code in retired:
        entry = nw.result_code("SMS", code)
        assert (entry.outcome, entry.retired) == (F, "2023-04-23"), code


def test_retired_kakao_codes_keep_their_last_outcome() -> None:
    # Removed from the table, still in archived hooks: 3060 was the old "uncertain";
    # the E9xx codes were failures of the 2018 table, removed 2023-06-27.
    expected = {"2000": F, "2004": F, "3009": F, "3049": F, "3060": U}
    expected |= {"E900": F, "E919": F, "E920": F, "E999": F}
    for code, outcome in expected.items():
        entry = nw.result_code("KAKAO", code)
        assert entry.outcome is outcome
        assert entry.retired is not None


def test_a_reassigned_code_has_todays_meaning() -> None:
    assert nw.result_code("SMS", "E900").description_en == "Other send error"
    assert nw.result_code("KAKAO", "3050").description_en == "Opt-out (N-type) spec not supported"
    changed = {code for _, code, _, _ in _result_codes_kakao.CHANGED + _result_codes_sms.CHANGED}
    assert {"E900", "1003", "3019", "1001", "3015", "3027"} <= changed


# --- the data behind the tables -------------------------------------------------------


def data_rows() -> dict[str, int]:
    """Rows per table as declared in the data modules (to catch a row overwritten)."""
    groups = {table.name: (*table.rows.values(), *table.retired.values()) for table in TABLES}
    return {name: sum(map(len, rows)) for name, rows in groups.items()}


def test_the_copied_sections_are_the_declared_tables() -> None:
    assert sorted(SECTIONS.values()) == sorted(table.name for table in TABLES)


def test_no_row_of_the_data_is_lost_to_a_duplicate_code() -> None:
    assert {table: len(nw.result_codes(table)) for table in data_rows()} == data_rows()


@pytest.mark.parametrize("table", list(SECTIONS.values()))
def test_every_entry_names_its_nhn_source_and_date(table: str) -> None:
    for entry in nw.result_codes(table):
        assert entry.source is not None
        assert entry.source.startswith("TOAST-DOCS/"), entry
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", entry.source_date or ""), entry
        assert entry.description_en
        assert re.search("[가-힣]", entry.description_ko), entry
        assert entry.table == table
        assert entry.field == nw.result_code(table, "no such code").field


# --- the decision procedure, on decoded hooks -----------------------------------------


def sms_hook(status: str, code: Any = "absent") -> nw.SmsMessageResultHook:
    data = sample_dict("sms-message-result-update")
    hook = data["hooks"][0]
    hook["messageStatus"] = status
    if code == "absent":
        del hook["resultCode"]
    else:
        hook["resultCode"] = code
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    return webhook.hooks[0]


def kakao_hook(code: Any = "absent") -> nw.KakaoMessageResultHook:
    data = sample_dict("kakao-message-result-update")
    if code == "absent":
        del data["hooks"][0]["resultCode"]
    else:
        data["hooks"][0]["resultCode"] = code
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.KakaoMessageResultUpdate)
    return webhook.hooks[0]


def dlr_hook(status: str) -> nw.SmsDeliveryReceiptHook:
    data = sample_dict("sms-international-delivery-receipt")
    data["hooks"][0]["dlrStatus"] = status
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsInternationalDeliveryReceipt)
    return webhook.hooks[0]


def email_hook(status: str) -> nw.EmailMessageResultHook:
    data = sample_dict("email-message-result-update")
    data["hooks"][0]["mailStatusCode"] = status
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.EmailMessageResultUpdate)
    return webhook.hooks[0]


def test_completed_with_a_failure_code_is_failed() -> None:
    # NHN's own API example pairs COMPLETED with 3015: COMPLETED is not delivery.
    assert sms_hook("COMPLETED", "3015").outcome is F


@pytest.mark.parametrize("code", ["absent", None, ""])
def test_completed_without_a_code_is_pending(code: Any) -> None:
    assert sms_hook("COMPLETED", code).outcome is P


def test_completed_with_1000_is_delivered() -> None:
    assert sms_hook("COMPLETED", "1000").outcome is D


@pytest.mark.parametrize("status", ["FAILED", "CANCEL", "DUPLICATED", "FAILED_AD"])
@pytest.mark.parametrize("code", ["1000", "3015", "E915", "absent", None, "", "77777"])
def test_a_failure_status_is_failed_whatever_the_code(status: str, code: Any) -> None:
    assert sms_hook(status, code).outcome is F


@pytest.mark.parametrize("status", ["RESERVED", "SENDING", "RESEND_AD"])
def test_a_waiting_status_is_pending_even_with_1000(status: str) -> None:
    assert sms_hook(status, "1000").outcome is P


@pytest.mark.parametrize(("code", "outcome"), [("1000", D), ("3015", F), ("77777", K)])
def test_an_undocumented_status_leaves_the_decision_to_the_code(
    code: str, outcome: nw.Outcome
) -> None:
    assert sms_hook("SOMETHING_NEW", code).outcome is outcome


def test_an_unlisted_sms_code_is_unknown() -> None:
    assert sms_hook("COMPLETED", "9999").outcome is K


@pytest.mark.parametrize(
    ("code", "outcome"),
    [("1000", D), ("3005", U), ("4000", U), ("4161", P), ("3018", F), ("absent", P), (None, P),
     ("", P), ("MRC01", K), ("12345", K)],
)  # fmt: skip
def test_kakao_outcome_follows_the_result_code(code: Any, outcome: nw.Outcome) -> None:
    assert kakao_hook(code).outcome is outcome


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("DELIVERED", D), ("ACCEPTED", P), ("BUFFERED", P), ("EXPIRED", F), ("FAILED", F),
     ("REJECTED", F), ("UNKNOWN", F), ("delivered", K), ("NEW", K)],
)  # fmt: skip
def test_delivery_report_outcome_follows_the_dlr_status(status: str, outcome: nw.Outcome) -> None:
    assert dlr_hook(status).outcome is outcome


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("SST0", P), ("SST1", P), ("SST2", D), ("SST3", F), ("SST4", P), ("SST5", F),
     ("SST6", K), ("SST7", F), ("SST8", F), ("SST9", K)],
)  # fmt: skip
def test_email_outcome_follows_the_mail_status_code(status: str, outcome: nw.Outcome) -> None:
    assert email_hook(status).outcome is outcome


def test_the_delivery_report_error_code_does_not_decide() -> None:
    data = sample_dict("sms-international-delivery-receipt")
    data["hooks"][0].update(dlrStatus="DELIVERED", errorCode="1000")  # "1000": other error
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsInternationalDeliveryReceipt)
    assert webhook.hooks[0].outcome is D


# --- missing result fields -------------------------------------------------------------


@pytest.mark.parametrize("code", ["absent", None])
def test_a_missing_result_code_keeps_the_hook(code: Any) -> None:
    assert sms_hook("FAILED", code).result_code is None
    assert kakao_hook(code).result_code is None


@pytest.mark.parametrize(
    ("sample", "key"),
    [("email-message-result-update", "mailStatusCode"),
     ("sms-international-delivery-receipt", "dlrStatus")],
)  # fmt: skip
def test_a_missing_status_field_is_a_decode_error_naming_it(sample: str, key: str) -> None:
    # NHN documents these as always present; decode_partial keeps the other hooks.
    data = sample_dict(sample)
    data["hooks"].append(dict(data["hooks"][0]))
    del data["hooks"][0][key]
    with pytest.raises(nw.DecodeError, match=rf"^\$\.hooks\[0\]\.{key}: missing required"):
        nw.decode(to_body(data))
    partial = nw.decode_partial(to_body(data))
    assert len(partial.webhook.hooks) == 1
    assert partial.webhook.hooks[0].outcome is not K  # type: ignore[union-attr]


# --- outcome is read, not sent -------------------------------------------------------------

RESULT_HOOKS = [
    nw.SmsMessageResultHook,
    nw.SmsDeliveryReceiptHook,
    nw.KakaoMessageResultHook,
    nw.EmailMessageResultHook,
]


@pytest.mark.parametrize("hook_class", RESULT_HOOKS)
def test_outcome_is_a_property_not_a_field(hook_class: type[nw.Model]) -> None:
    assert isinstance(vars(hook_class)["outcome"], property)
    assert "outcome" not in hook_class.__struct_fields__
    schema = msgspec.json.schema(hook_class)["$defs"][hook_class.__name__]
    assert "outcome" not in schema["properties"]  # never on the wire


@pytest.mark.parametrize(
    "sample",
    ["sms-message-result-update", "sms-international-delivery-receipt",
     "kakao-message-result-update", "email-message-result-update"],
)  # fmt: skip
def test_encode_and_equality_ignore_outcome(sample: str) -> None:
    body = to_body(sample_dict(sample))
    webhook = nw.decode(body)
    hook = webhook.hooks[0]
    assert isinstance(hook.outcome, nw.Outcome)  # type: ignore[union-attr]
    encoded_hook = json.loads(nw.encode(webhook))["hooks"][0]
    assert set(encoded_hook) <= set(json.loads(body)["hooks"][0])  # nothing added
    assert nw.decode(body) == webhook
    assert "outcome" not in repr(hook)


# --- result_code() ---------------------------------------------------------------------


def test_result_code_gives_a_typed_record() -> None:
    entry = nw.result_code("SMS", "3015")
    assert entry == nw.ResultCode(
        table="SMS",
        field="resultCode",
        code="3015",
        outcome=F,
        final=True,
        description_en="No delivery route",
        description_ko="전송 경로 없음",
        source="TOAST-DOCS/SMS ko/error-code.md @ 1e3b7b3",
        source_date="2026-06-09",
    )
    with pytest.raises(AttributeError):
        entry.outcome = D  # type: ignore[misc]


@pytest.mark.parametrize("table", ["sms", "Sms", "SMS", "sms-dlr", "sms_dlr", "SMS-DLR-ERROR"])
def test_table_names_ignore_case_and_separators(table: str) -> None:
    assert nw.result_code(table, "1").table == table.upper().replace("-", "_")


def test_an_unknown_table_is_a_value_error_naming_the_tables() -> None:
    with pytest.raises(ValueError, match="unknown result code table 'sms2'; tables: SMS, "):
        nw.result_code("sms2", "1000")


def test_a_missing_code_has_its_own_entry_where_the_table_has_one() -> None:
    assert nw.result_code("SMS", None).outcome is P
    assert nw.result_code("KAKAO", "").outcome is P
    assert nw.result_code("EMAIL", None).outcome is K


def test_dlr_error_1000_is_not_sms_result_1000() -> None:
    assert nw.result_code("SMS_DLR_ERROR", "1000").outcome is F
    assert nw.result_code("SMS", "1000").outcome is D


@settings(max_examples=examples(400))
@given(st.sampled_from(list(SECTIONS.values())), st.none() | st.text(max_size=12))
@example("SMS", "\ud800")
def test_result_code_never_raises_for_any_code(table: str, code: str | None) -> None:
    entry = nw.result_code(table, code)
    assert entry.outcome in nw.Outcome
    assert entry.listed or entry.outcome is K


def test_outcome_is_a_lowercase_str() -> None:
    assert [member.value for member in nw.Outcome] == [
        "delivered",
        "failed",
        "pending",
        "uncertain",
        "unknown",
    ]
    assert nw.Outcome.FAILED == "failed"  # type: ignore[comparison-overlap]
    assert str(nw.Outcome.FAILED) == "failed"
    assert f"{nw.Outcome.PENDING}" == "pending"
    assert json.dumps({"outcome": nw.Outcome.DELIVERED}) == '{"outcome": "delivered"}'
    assert msgspec.json.encode(nw.Outcome.UNCERTAIN) == b'"uncertain"'


# --- never raises ------------------------------------------------------------------------


def outcomes_of(webhook: object) -> list[nw.Outcome]:
    hooks: list[Any] = getattr(webhook, "hooks", [])
    return [hook.outcome for hook in hooks if type(hook) in RESULT_HOOKS]


@settings(max_examples=examples(400))
@given(nws.bodies())
def test_outcome_never_raises_for_any_valid_body(body: bytes) -> None:
    for outcome in outcomes_of(nw.decode(body)):
        assert outcome in nw.Outcome


@settings(max_examples=examples(400))
@given(nws.mutated_bodies())
def test_outcome_never_raises_for_any_hook_that_decodes(body: bytes) -> None:
    try:
        webhook = nw.decode(body)
    except nw.DecodeError:
        return
    for outcome in outcomes_of(webhook):
        assert outcome in nw.Outcome


def test_result_code_docstring_and_code_help_list_every_declared_table() -> None:
    from nhn_webhooks._cli._code import add as add_code

    doc = nw.result_code.__doc__ or ""
    assert "{tables}" not in doc
    commands = argparse.ArgumentParser().add_subparsers()
    add_code(commands)
    help_text = " ".join(commands.choices["code"].format_help().split())
    for table in TABLES:
        assert f"``{table.name}``: {table.description}" in " ".join(doc.split())
        assert f"{table.name.lower().replace('_', '-')} ({table.field})" in help_text
