"""``decode --json`` output is safe on a terminal and in a log: the characters the text
mode escapes (what ``str.isprintable`` rejects) are ``\\u`` escapes in the JSON too,
and the JSON still decodes to the values sent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhn_webhooks._cli._io import json_line
from tests.conftest import sample_dict
from tests.support.command_line import call, run_bytes
from tests.support.early import Early

UNPRINTABLE = [
    "\x1b[31m",  # ANSI colour (ESC)
    "\x9b2J",  # C1 CSI: clears the screen on many terminals
    "\u202e",  # right-to-left override
    "\u2028\u2029",  # line and paragraph separators
    "\x85",  # next line
    "\x7f",  # delete
    "\r",
    "\U000e0001",  # language tag, outside the BMP
]
TEXT = "a" + "b".join(UNPRINTABLE) + "한글 é"


def body_with(text: str, key: str = "enterpriseName") -> dict[str, Any]:
    data = sample_dict("sms-unsubscribe")
    data["hooks"][0][key] = text
    return data


def unknown_event_with(text: str) -> dict[str, Any]:
    data = sample_dict("sms-unsubscribe")
    data["event"] = "SOMETHING" + text
    data["hooks"] = [{text: [text, {"nested": text}]}]
    return data


def printable_lines(output: bytes) -> bool:
    """Every line of ``output`` holds only printable characters (no raw \\r either)."""
    return all(line.isprintable() for line in output.decode().split("\n"))


def decode_unprintable_as_a_process() -> list[tuple[dict[str, Any], int, bytes, bytes]]:
    cases = []
    for data in (body_with(TEXT), unknown_event_with(TEXT)):
        for args in (("decode", "--json", "-"), ("decode", "-")):
            result = run_bytes(*args, stdin=json.dumps(data, ensure_ascii=False).encode())
            cases.append((data, result.returncode, result.stdout, result.stderr))
    return cases


@pytest.mark.early(job=decode_unprintable_as_a_process)
def test_decode_escapes_unprintable_characters_in_json_as_in_text(early: Early) -> None:
    for data, returncode, stdout, stderr in early.result(decode_unprintable_as_a_process):
        assert returncode == 0, stderr
        assert printable_lines(stdout[:-1]), stdout
        assert stdout.endswith(b"\n")
        if not stdout.startswith(b"{"):  # text: Python's repr
            assert b"\\x9b2J" in stdout
            continue
        webhook = json.loads(stdout)["webhook"]  # --json: the same values, with escapes
        if "SOMETHING" in data["event"]:
            assert webhook["event"] == data["event"]
            assert webhook["hooks"] == data["hooks"]
        else:
            assert webhook["hooks"][0]["enterprise_name"] == TEXT
        assert b"\\u009b2J" in stdout
        assert b"\\udb40\\udc01" in stdout  # U+E0001 as JSON spells it


def test_decode_lines_json_is_printable_too() -> None:
    bad = json.dumps(body_with(TEXT, key="recipientNo") | {"hooksId": 7}, ensure_ascii=False)
    result = call("decode", "--lines", "--json", "-", stdin=bad.encode() + b"\n")
    assert result.returncode == 1
    assert result.stdout.rstrip("\n").isprintable()
    assert json.loads(result.stdout)["failed"] == 1


@given(st.text(st.characters(blacklist_categories=["Cs"])))
def test_json_line_is_printable_and_decodes_to_the_same_value(text: str) -> None:
    document = {text: [text, {"k": text}]}
    line = json_line(document)
    assert line.isprintable()
    assert json.loads(line) == document


@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_decode_json_output_is_printable_whatever_a_string_field_holds(text: str) -> None:
    data = body_with(text)
    result = call("decode", "--json", stdin=json.dumps(data).encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n").isprintable()
    assert json.loads(result.stdout)["webhook"]["hooks"][0]["enterprise_name"] == text
