"""Timestamps: every shape NHN sends becomes a timezone-aware datetime."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks._models._timestamps import korea_time, parse, write
from nhn_webhooks.testing.strategies import timestamps
from tests.conftest import SAMPLES, sample_dict, to_body
from tests.strategies import naive_datetimes
from tests.support.early import Early

KST = timezone(timedelta(hours=9))


def sms_result_with(**hook_changes: Any) -> nw.SmsMessageResultHook:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0].update(hook_changes)
    for key, value in list(data["hooks"][0].items()):
        if value is _ABSENT:
            del data["hooks"][0][key]
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    return webhook.hooks[0]


_ABSENT = object()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-09-09T11:25:10.000+09:00", datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST)),
        ("2024-04-29T20:58:02", datetime(2024, 4, 29, 20, 58, 2, tzinfo=KST)),
        ("2022-05-01 00:00:00", datetime(2022, 5, 1, tzinfo=KST)),
        ("2023-06-01", datetime(2023, 6, 1, tzinfo=KST)),
    ],
    ids=["offset", "no-offset", "space", "date-only"],
)
def test_each_nhn_shape_decodes_to_an_aware_datetime(text: str, expected: datetime) -> None:
    value = sms_result_with(requestDate=text).request_date
    assert value == expected
    assert value.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2024-04-29T11:58:02Z", timedelta(0)),
        ("2024-04-29T06:58:02-05:00", timedelta(hours=-5)),
        ("2024-04-29T20:58:02.123+09:00", timedelta(hours=9)),
        ("2024-04-29T17:28:02+05:30", timedelta(hours=5, minutes=30)),
    ],
)
def test_offsets_in_the_value_are_kept(text: str, offset: timedelta) -> None:
    value = sms_result_with(requestDate=text).request_date
    assert value.utcoffset() == offset


def test_value_without_offset_is_korea_time_not_utc() -> None:
    value = sms_result_with(requestDate="2024-04-29T20:58:02").request_date
    assert value.astimezone(timezone.utc) == datetime(2024, 4, 29, 11, 58, 2, tzinfo=timezone.utc)


def test_date_alone_is_midnight_korea_time() -> None:
    value = sms_result_with(requestDate="2023-06-01").request_date
    assert (value.hour, value.minute, value.second) == (0, 0, 0)
    assert value.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("absent", [None, "", _ABSENT], ids=["null", "empty", "absent"])
def test_optional_timestamp_null_empty_or_absent_is_none(absent: Any) -> None:
    assert sms_result_with(receiveDate=absent).receive_date is None


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01T00:00:00", "2024-02-30", "12:00"])
def test_bad_required_timestamp_is_a_decode_error_naming_the_field(text: str) -> None:
    with pytest.raises(nw.DecodeError) as caught:
        sms_result_with(requestDate=text)
    assert caught.value.path == "$.hooks[0].requestDate"


@pytest.mark.parametrize("value", [1714391882, 17.5, True, [], {}])
def test_non_string_timestamp_is_a_decode_error_naming_the_field(value: Any) -> None:
    with pytest.raises(nw.DecodeError) as caught:
        sms_result_with(receiveDate=value)
    assert caught.value.path == "$.hooks[0].receiveDate"


def test_other_iso_forms_are_read_via_dateutil() -> None:
    assert sms_result_with(requestDate="2024-04-29T20:58").request_date == datetime(
        2024, 4, 29, 20, 58, tzinfo=KST
    )
    assert sms_result_with(requestDate="2024-04-29T20:58:02+0900").request_date == datetime(
        2024, 4, 29, 20, 58, 2, tzinfo=KST
    )


def test_every_timestamp_attribute_of_every_sample_is_aware(sample_name: str) -> None:
    webhook = nw.decode(to_body(sample_dict(sample_name)))
    seen = list(_datetimes(webhook))
    assert seen or sample_name == "sms-international-delivery-receipt"
    for value in seen:
        assert value.tzinfo is not None


def _datetimes(value: Any) -> Any:
    if isinstance(value, datetime):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _datetimes(item)
    elif isinstance(value, nw.Model):
        for _, attribute in value.__rich_repr__():  # as a handler reads them
            yield from _datetimes(attribute)


@given(timestamps())
def test_any_shape_decodes_to_its_instant(case: tuple[str, datetime]) -> None:
    text, expected = case
    value = sms_result_with(requestDate=text).request_date
    assert value == expected
    assert value.utcoffset() == expected.utcoffset()


@given(naive_datetimes)
def test_korea_time_equals_attaching_the_offset(moment: datetime) -> None:
    assert korea_time(moment) == moment.replace(tzinfo=KST)
    assert korea_time(moment).utcoffset() == timedelta(hours=9)


@given(naive_datetimes, st.integers(min_value=-1000, max_value=1000))
def test_korea_time_keeps_aware_values(moment: datetime, minutes: int) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert korea_time(aware) is aware


def test_korea_time_works_at_the_ends_of_the_datetime_range() -> None:
    assert korea_time(datetime.min).replace(tzinfo=None) == datetime.min
    assert korea_time(datetime.max).replace(tzinfo=None) == datetime.max


def test_parse_returns_naive_korea_time_and_none_for_empty() -> None:
    assert parse("") is None
    assert parse("2023-06-01") == datetime(2023, 6, 1)
    assert parse("2022-05-01 00:00:00") == datetime(2022, 5, 1)


def test_exported_kst_is_utc_plus_nine() -> None:
    assert nw.KST.utcoffset(None) == timedelta(hours=9)


def decode_the_samples_in_a_new_interpreter() -> str:
    """Whether dateutil got imported, printed by a new interpreter (this one may have
    imported it already) after decoding every bundled sample and reading a hook."""
    code = (
        "import sys, nhn_webhooks as nw\n"
        "from nhn_webhooks._models._samples import sample_body\n"
        f"for name in {SAMPLES!r}:\n"
        "    nw.decode(sample_body(name)).hooks[0]\n"
        "print('dateutil' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.early(job=decode_the_samples_in_a_new_interpreter)
def test_dateutil_is_not_imported_by_the_common_shapes(early: Early) -> None:
    assert early.result(decode_the_samples_in_a_new_interpreter).strip() == "False"


any_offsets = st.none() | st.integers(min_value=-86399, max_value=86399).map(
    lambda seconds: timezone(timedelta(seconds=seconds))
)


@given(st.datetimes(), any_offsets, st.sampled_from(["T", " "]))
def test_write_reads_back_as_the_same_stored_value(
    moment: datetime, offset: timezone | None, separator: str
) -> None:
    value = moment.replace(tzinfo=offset)
    if offset is not None and offset.utcoffset(None) % timedelta(minutes=1):
        # An offset with seconds is written as the same instant in UTC; keep it in range.
        assume(datetime.min.replace(tzinfo=timezone.utc) + timedelta(days=1) < value)
        assume(value < datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=1))
    text = write(value, separator)
    again = parse(text)
    assert again == value
    assert again is not None
    assert (again.tzinfo is None) == (value.tzinfo is None)
    assert msgspec.convert(text, datetime) == again  # the fast path reads it too


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2020, 9, 9, 11, 25, 10, tzinfo=KST), "2020-09-09T11:25:10.000+09:00"),
        (datetime(2020, 9, 9, 2, 25, 10, 5000, tzinfo=timezone.utc), "2020-09-09T02:25:10.005Z"),
        (datetime(2020, 9, 9, 11, 25, 10, 1, tzinfo=KST), "2020-09-09T11:25:10.000001+09:00"),
        (datetime(2024, 4, 29, 20, 58, 2), "2024-04-29T20:58:02"),
        (datetime(24, 4, 29, 20, 58, 2, 120000), "0024-04-29T20:58:02.120"),
        (
            datetime(2020, 1, 1, tzinfo=timezone(-timedelta(hours=3, minutes=30))),
            "2020-01-01T00:00:00.000-03:30",
        ),
    ],
)
def test_write_uses_nhn_formats(value: datetime, text: str) -> None:
    assert write(value) == text


def test_write_uses_the_separator_only_for_values_without_offset() -> None:
    assert write(datetime(2022, 5, 1), " ") == "2022-05-01 00:00:00"
    assert write(datetime(2022, 5, 1, tzinfo=KST), " ") == "2022-05-01T00:00:00.000+09:00"


@pytest.mark.parametrize(
    "fraction", ["1234567", "9999996", "0000005", "1234565", "99999999", "123456"]
)
@pytest.mark.parametrize("offset", ["", "+09:00", "Z"])
def test_comma_and_period_decimal_marks_read_the_same(fraction: str, offset: str) -> None:
    period = f"2024-04-29T23:59:59.{fraction}{offset}"
    comma = f"2024-04-29T23:59:59,{fraction}{offset}"
    assert sms_result_with(requestDate=comma).request_date == (
        sms_result_with(requestDate=period).request_date
    )
