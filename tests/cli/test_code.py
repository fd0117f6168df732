"""``nhn-webhooks code`` and the outcome line of ``nhn-webhooks decode``."""

from __future__ import annotations

import json

import pytest

import nhn_webhooks as nw
from tests.conftest import sample_dict, to_body
from tests.support.command_line import Result, call, run
from tests.support.early import Early


def test_code_shows_outcome_finality_descriptions_and_source() -> None:
    result = call("code", "sms", "3015")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "SMS resultCode 3015: failed (final)",
        "  No delivery route",
        "  전송 경로 없음",
        "  source: TOAST-DOCS/SMS ko/error-code.md @ 1e3b7b3 (2026-06-09)",
    ]


def test_code_says_when_nhn_retired_a_code() -> None:
    result = call("code", "sms", "1004")
    assert "  retired: NHN removed it from its table on 2023-04-23" in result.stdout
    assert result.returncode == 0


@pytest.mark.parametrize(("table", "code"), [("email", "SST6"), ("kakao", "MRC01")])
def test_an_unlisted_code_is_unknown_and_exit_code_1(table: str, code: str) -> None:
    result = call("code", table, code)
    assert result.returncode == 1
    assert result.stdout.endswith(f"{code}: unknown: not in this version's table\n")


@pytest.mark.parametrize("table", ["SMS-DLR", "sms_dlr", "Sms-Dlr"])
def test_table_names_ignore_case_and_separators(table: str) -> None:
    result = call("code", table, "DELIVERED")
    assert result.stdout.startswith("SMS dlrStatus DELIVERED: delivered (final)\n")


def test_an_unknown_table_is_one_line_and_exit_code_2() -> None:
    result = call("code", "sms2", "1000")
    assert result.returncode == 2
    assert result.stderr == (
        "nhn-webhooks code: error: argument TABLE: unknown table 'sms2'; tables: sms, "
        "sms-status, sms-dlr, sms-dlr-error, kakao, email (see nhn-webhooks code --help)\n"
    )


@pytest.mark.parametrize(
    "table", ["sms", "sms-status", "sms-dlr", "sms-dlr-error", "kakao", "email"]
)
def test_without_a_code_the_whole_table_is_listed(table: str) -> None:
    result = call("code", table)
    assert result.returncode == 0
    entries = nw.result_codes(table)
    lines = result.stdout.splitlines()
    assert len(lines) == len(entries)
    for line, entry in zip(lines, entries, strict=True):
        assert line.split()[:2] == [entry.code or "(none)", str(entry.outcome)]


def test_json_prints_the_record() -> None:
    result = call("code", "kakao", "3005", "--json")
    assert json.loads(result.stdout) == {
        "table": "KAKAO",
        "field": "resultCode",
        "code": "3005",
        "outcome": "uncertain",
        "final": None,
        "description_en": "Sent, receipt not confirmed (may still arrive within 3 days)",
        "description_ko": "발송했으나 수신 미확인(성공 불확실, 3일 이내 수신 가능)",
        "source": "TOAST-DOCS/Alimtalk ko/error-code.md @ fb98ad6",
        "source_date": "2026-05-26",
        "retired": None,
    }
    listed = json.loads(call("code", "email", "--json").stdout)
    assert [entry["code"] for entry in listed] == [e.code for e in nw.result_codes("EMAIL")]


def test_decode_shows_each_result_hooks_outcome() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"].append({**data["hooks"][0], "resultCode": "3015"})
    del data["hooks"][0]["resultCode"]
    text = call("decode", stdin=to_body(data)).stdout
    assert [line for line in text.splitlines() if "outcome" in line] == [
        "    outcome: pending",
        "    outcome: failed",
    ]
    document = json.loads(call("decode", "--json", stdin=to_body(data)).stdout)
    assert [hook["outcome"] for hook in document["webhook"]["hooks"]] == ["pending", "failed"]


def test_decode_shows_no_outcome_on_other_hooks() -> None:
    assert "outcome" not in call("decode", "--sample", "sms-unsubscribe").stdout


# --- lookups as a newcomer types them, in new processes ------------------------------

LOOKUPS = {
    "completed": ("code", "sms-status", "COMPLETED"),
    "lower case": ("code", "email", "sst2"),
    "typo": ("code", "email", "SST22"),
    "status typo": ("code", "sms-status", "completd"),
    "new code": ("code", "email", "SST6"),
}


def run_lookups() -> dict[str, Result]:
    return {name: run(*command) for name, command in LOOKUPS.items()}


@pytest.mark.early(job=run_lookups)
def test_a_final_status_that_leaves_the_outcome_pending_says_so_in_words(early: Early) -> None:
    result = early.result(run_lookups)["completed"]
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        "SMS messageStatus COMPLETED: pending until resultCode arrives "
        "(this messageStatus is final)"
    )


@pytest.mark.early(job=run_lookups)
def test_a_code_typed_in_another_case_is_found(early: Early) -> None:
    result = early.result(run_lookups)["lower case"]
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[0] == "Email mailStatusCode SST2: delivered"


@pytest.mark.early(job=run_lookups)
@pytest.mark.parametrize(("case", "meant"), [("typo", "SST2"), ("status typo", "COMPLETED")])
def test_a_near_miss_offers_the_code_it_is_closest_to(early: Early, case: str, meant: str) -> None:
    result = early.result(run_lookups)[case]
    assert result.returncode == 1
    assert result.stdout.endswith(f"not in this version's table; did you mean {meant}?\n")


@pytest.mark.early(job=run_lookups)
def test_no_guess_when_several_codes_are_as_close(early: Early) -> None:
    result = early.result(run_lookups)["new code"]  # SST6: SST5, SST7, SST8 alike
    assert result.stdout == "Email mailStatusCode SST6: unknown: not in this version's table\n"


@pytest.mark.parametrize(
    "table", ["SMS", "SMS_STATUS", "SMS_DLR", "SMS_DLR_ERROR", "KAKAO", "EMAIL"]
)
def test_no_table_lists_two_codes_that_differ_only_in_case(table: str) -> None:
    # What makes matching a typed code without regard to case unambiguous.
    codes = [entry.code for entry in nw.result_codes(table) if entry.code is not None]
    assert len({code.casefold() for code in codes}) == len(codes)
