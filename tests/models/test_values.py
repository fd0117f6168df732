"""The documented code values, and asking whether a received value is one of them."""

from __future__ import annotations

import pytest

import nhn_webhooks as nw
from nhn_webhooks._result_codes._outcome import TABLES
from nhn_webhooks._result_codes._table import Table


def listed(table: str) -> set[str]:
    """The codes a result-code table lists: the documented values of its field."""
    return {entry.code for entry in nw.result_codes(table) if entry.code is not None}


DOCUMENTED = {
    nw.SmsSenderType: {"NORMAL_SMS"},
    nw.SmsMessageStatus: listed("SMS_STATUS"),
    nw.SmsDlrStatus: listed("SMS_DLR"),
    nw.KakaoMessageType: {
        "ALIMTALK_NORMAL",
        "ALIMTALK_AUTH",
        "ALIMTALK_MASS",
        "FRIENDTALK_NORMAL",
        "FRIENDTALK_MASS",
        "BRAND_MESSAGE_NORMAL",
        "BRAND_MESSAGE_MASS",
        "FRIENDTALK_UPGRADE_NORMAL",
        "FRIENDTALK_UPGRADE_MASS",
    },
    nw.KakaoTemplateStatus: {"TSC01", "TSC02", "TSC03", "TSC04"},
    nw.KakaoCommentStatus: {"INQ", "APR", "REJ", "REP", "REQ"},
    nw.EmailStatusCode: listed("EMAIL"),
    nw.EmailMessageType: {
        "NORMAL_MAIL",
        "NORMAL_MAIL_AD",
        "NORMAL_MAIL_AUTH",
        "MASS_MAIL",
        "MASS_MAIL_AD",
        "MASS_MAIL_AUTH",
        "TAG_MAIL",
        "TAG_MAIL_AD",
        "TAG_MAIL_AUTH",
    },
}


@pytest.mark.parametrize("code", DOCUMENTED, ids=lambda c: c.__name__)
def test_enum_holds_exactly_the_documented_values(code: type[nw.Code]) -> None:
    assert {member.value for member in code} == DOCUMENTED[code]


@pytest.mark.parametrize("code", DOCUMENTED, ids=lambda c: c.__name__)
def test_every_member_and_its_meaning_is_in_the_docstring(code: type[nw.Code]) -> None:
    assert code.__doc__ is not None
    for member in code:
        assert f"``{member.value}``" in code.__doc__


@pytest.mark.parametrize("code", DOCUMENTED, ids=lambda c: c.__name__)
def test_is_documented_answers_for_received_values(code: type[nw.Code]) -> None:
    for value in DOCUMENTED[code]:
        assert code.is_documented(value)
        assert code.lookup(value) is code(value)
    assert not code.is_documented("NOT_A_" + code.__name__)
    assert code.lookup("NOT_A_" + code.__name__) is None


def test_members_compare_equal_to_their_strings() -> None:
    assert nw.SmsMessageStatus.FAILED == "FAILED"
    assert str(nw.EmailStatusCode.SST2) == "SST2"
    assert f"{nw.KakaoTemplateStatus.TSC03}" == "TSC03"


def test_decoded_status_compares_with_the_enum() -> None:
    from tests.conftest import sample_dict, to_body

    webhook = nw.decode(to_body(sample_dict("sms-message-result-update")))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert webhook.hooks[0].message_status == nw.SmsMessageStatus.COMPLETED
    assert nw.SmsMessageStatus.lookup(webhook.hooks[0].message_status) is (
        nw.SmsMessageStatus.COMPLETED
    )


# --- enums and result-code tables of the same field agree ---------------------------

TABLE_ENUMS = [table for table in TABLES if table.enum is not None]


def test_every_enum_backed_table_names_a_public_code_enum() -> None:
    assert {table.enum for table in TABLE_ENUMS} == {
        "SmsMessageStatus",
        "SmsDlrStatus",
        "EmailStatusCode",
    }


@pytest.mark.parametrize("table", TABLE_ENUMS, ids=lambda table: table.name)
def test_an_enum_documents_exactly_the_codes_its_table_lists(table: Table) -> None:
    code: type[nw.Code] = getattr(nw, table.enum or "")
    codes = listed(table.name)
    assert {member.value for member in code} == codes
    for value in codes:
        assert code.is_documented(value), (table.name, value)
