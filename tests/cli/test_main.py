"""The command line: the common paths run as a user runs them, in a new process; the
argument permutations run through ``main()`` in this process (tests/support/command_line.py).

The processes start as soon as collection ends, beside the other tests (``early`` in
tests/conftest.py); each such test reads what its job returned.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import nhn_webhooks as nw
from nhn_webhooks import testing
from tests.conftest import SAMPLES, sample_dict, to_body
from tests.support.command_line import Result, call, run
from tests.support.early import Early


@pytest.mark.parametrize("name", SAMPLES)
def test_decode_bundled_sample_shows_the_typed_result(name: str) -> None:
    result = call("decode", "--sample", name)
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.endswith(("Unsubscribe", "Update", "Block", "Receipt"))
    assert any(line.strip().startswith("hooks[0]: ") for line in rest)


def test_decode_shows_aware_timestamps() -> None:
    result = call("decode", "--sample", "sms-message-result-update")
    assert "request_date: 2024-04-29T20:58:02+09:00" in result.stdout


def decode_file_and_stdin() -> tuple[Result, Result]:
    body = to_body(sample_dict("email-unsubscribe"))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "body.json"
        path.write_bytes(body)
        return run("decode", str(path)), run("decode", "-", stdin=body)


@pytest.mark.early(job=decode_file_and_stdin)
def test_decode_file_and_stdin(early: Early) -> None:
    from_file, from_stdin = early.result(decode_file_and_stdin)
    assert from_file.returncode == from_stdin.returncode == 0
    assert from_file.stdout == from_stdin.stdout
    assert from_file.stdout.startswith("EmailUnsubscribe\n")


def test_bad_body_exits_1_with_one_line_naming_the_path() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["recipientSeq"] = "abc"
    result = call("decode", "-", stdin=to_body(data))
    assert result.returncode == 1
    assert result.stderr == 'error: $.hooks[0].recipientSeq: expected int, got "abc"\n'
    assert result.stdout == ""


def test_decode_reads_stdin_when_no_file_is_given() -> None:
    result = call("decode", stdin=to_body(sample_dict("sms-unsubscribe")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("SmsUnsubscribe\n")


DECODE_JSON = partial(run, "decode", "--json", "--sample", "sms-message-result-update")


@pytest.mark.early(job=DECODE_JSON)
def test_decode_json_prints_the_class_and_the_values_a_handler_reads(early: Early) -> None:
    result = early.result(DECODE_JSON)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["class"] == "SmsMessageResultUpdate"
    hook = document["webhook"]["hooks"][0]
    assert hook["request_date"] == "2024-04-29T20:58:02+09:00"  # aware, Korea time
    assert hook["recipient_grouping_key"] == "RecipientGroupingKey"  # read from the typo
    assert hook["links"]["self"]["href"].endswith("recipientSeq=1")  # read from _link
    assert hook["recipient_seq"] == 1


def jsonl(*bodies: bytes) -> bytes:
    return b"".join(body + b"\n" for body in bodies)


def bad_body() -> bytes:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["recipientSeq"] = "abc"
    return json.dumps(data).encode()


def decode_lines() -> Result:
    sms = testing.sample(nw.SmsUnsubscribe)
    mail = testing.sample(nw.EmailMessageResultUpdate, hooks=2)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bodies.jsonl"
        path.write_bytes(jsonl(sms, mail, b"", sms, bad_body(), b"{"))
        return run("decode", "--lines", str(path))


@pytest.mark.early(job=decode_lines)
def test_decode_lines_summarises_classes_and_names_failing_lines(early: Early) -> None:
    result = early.result(decode_lines)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "5 bodies: 3 decoded, 2 failed",
        "  SmsUnsubscribe            2",
        "  EmailMessageResultUpdate  1",
        'line 5: $.hooks[0].recipientSeq: expected int, got "abc"',
        "line 6: $: malformed JSON: Input data was truncated",
    ]
    assert result.stderr == ""


def test_decode_lines_json_and_exit_code_0_when_every_line_decodes() -> None:
    bodies = jsonl(*(testing.sample(cls) for cls in nw.WEBHOOK_CLASSES))
    result = call("decode", "--lines", "--json", "-", stdin=bodies)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["bodies"] == document["decoded"] == len(nw.WEBHOOK_CLASSES)
    assert document["failed"] == 0
    assert document["failures"] == []
    assert set(document["classes"]) == {cls.__name__ for cls in nw.WEBHOOK_CLASSES}


def test_decode_lines_json_reports_path_and_reason_of_failures() -> None:
    result = call("decode", "--lines", "--json", stdin=jsonl(bad_body()))
    assert result.returncode == 1
    assert json.loads(result.stdout)["failures"] == [
        {"line": 1, "path": "$.hooks[0].recipientSeq", "reason": 'expected int, got "abc"'}
    ]


def large_jsonl(path: Path) -> int:
    """Just over the 1 MiB that earns a bar, ending in a blank line (not a body)."""
    line = testing.sample(nw.SmsMessageResultUpdate) + b"\n"
    count = (1 << 20) // len(line) + 1
    path.write_bytes(line * count + b"\n")
    return count


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    count = large_jsonl(tmp_path / "big.jsonl")
    result = call("decode", "--lines", str(tmp_path / "big.jsonl"))
    assert result.returncode == 0
    assert result.stdout.startswith(f"{count:,} bodies: {count:,} decoded, 0 failed\n")
    assert result.stderr == ""


def decode_lines_on_a_terminal() -> tuple[int, int, bytes, str]:
    """The number of bodies, the exit code, stdout, and what stderr drew on a terminal."""
    import pty

    with tempfile.TemporaryDirectory() as scratch:
        count = large_jsonl(Path(scratch) / "big.jsonl")
        controller, terminal = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "nhn_webhooks", "decode", "--lines", f"{scratch}/big.jsonl"],
            stdout=subprocess.PIPE,
            stderr=terminal,
        )
        os.close(terminal)
        drawn = bytearray()
        reader = threading.Thread(target=read_until_closed, args=(controller, drawn))
        reader.start()
        stdout, _ = process.communicate(timeout=120)
        reader.join(timeout=10)
        os.close(controller)
    return count, process.returncode, stdout, drawn.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.early(job=decode_lines_on_a_terminal)
def test_progress_bar_on_a_terminal_for_a_large_file(early: Early) -> None:
    count, returncode, stdout, screen = early.result(decode_lines_on_a_terminal)
    assert returncode == 0
    assert count > 1000
    # The report stays clean, and counts as the bar does (blank lines are no bodies).
    assert stdout.decode().startswith(f"{count:,} bodies: {count:,} decoded")
    assert screen.rstrip("\r ").endswith(f"100%  {count:,} bodies")
    assert "decoding [##############################] 100%" in screen
    assert screen.count("%") <= 101  # redrawn once per percent at most
    assert screen.endswith("\r")  # and erased at the end


def read_until_closed(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side closed
            return
        if not chunk:
            return
        into.extend(chunk)


COMMAND_LINE_NAMES = [
    ("sms", "message-result-update", nw.SmsMessageResultUpdate),
    ("SMS", "MESSAGE_RESULT_UPDATE", nw.SmsMessageResultUpdate),
    ("Sms", "conversion block", nw.SmsConversionBlock),
    ("sms", "international-delivery-receipt", nw.SmsInternationalDeliveryReceipt),
    ("kakao", "template", nw.KakaoTemplateStatusUpdate),
    ("KakaoTalk Bizmessage", "TEMPLATE_STATUS_UPDATE", nw.KakaoTemplateStatusUpdate),
    ("kakao", "message-result-update", nw.KakaoMessageResultUpdate),
    ("email", "unsubscribe", nw.EmailUnsubscribe),
    ("E-mail", "Message_Result_Update", nw.EmailMessageResultUpdate),
]


@pytest.mark.parametrize(("product", "event", "cls"), COMMAND_LINE_NAMES)
def test_sample_names_match_like_decode_does(product: str, event: str, cls: type[Any]) -> None:
    result = call("sample", product, event)
    assert result.returncode == 0, result.stderr
    assert type(nw.decode(result.stdout)) is cls


SAMPLE = partial(
    run, "sample", "sms", "message-result-update", "--hooks", "3",
    "--set", "message_status=FAILED", "--set", "message_count=2",
    "--set", "receive_date=null", "--set", "hooks_id=H-1",
)  # fmt: skip


@pytest.mark.early(job=SAMPLE)
def test_sample_prints_what_the_testing_builder_builds(early: Early) -> None:
    result = early.result(SAMPLE)
    assert result.returncode == 0, result.stderr
    expected = testing.sample_data(
        nw.SmsMessageResultUpdate,
        hooks=3,
        message_status="FAILED",
        message_count=2,
        receive_date=None,
        hooks_id="H-1",
    )
    assert json.loads(result.stdout) == expected
    assert result.stdout.startswith('{\n  "hooksId": "H-1",\n')  # indented for reading


def test_sample_compact_is_one_line_for_json_lines() -> None:
    result = call("sample", "email", "unsubscribe", "--hooks", "2", "--compact")
    assert result.returncode == 0
    assert result.stdout.count("\n") == 1
    assert len(nw.decode(result.stdout).hooks) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "the following arguments are required: COMMAND"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("sample", "sms"), "give both PRODUCT and EVENT"),
        (("sample", "sms", "delivered"), "unknown product/event 'sms' 'delivered'; known: sms"),
        (("sample", "push", "unsubscribe"), "unknown product/event"),
        (("sample", "sms", "unsubscribe", "--hooks", "0"), "expected a positive integer"),
        (("sample", "sms", "unsubscribe", "--set", "nope=1"), "SmsUnsubscribe has no field 'nope'"),
        (("sample", "sms", "unsubscribe", "--set", "recipient_no"), "expects FIELD=VALUE"),
        (
            ("sample", "sms", "message-result-update", "--set", "recipient_seq=abc"),
            "recipient_seq: expected an integer, got 'abc'",
        ),
        (
            ("sample", "sms", "message-result-update", "--set", "request_date=soon"),
            "expected a timestamp",
        ),
        (("decode", "no-such-file.json"), "cannot read 'no-such-file.json'"),
        (("decode", "--sample", "nope"), "no bundled sample 'nope'"),
        (("decode", "x.json", "--sample", "sms-unsubscribe"), "not both"),
        (("decode", "--lines", "--sample", "sms-unsubscribe"), "not --sample"),
        (("schema", "sms"), "give both PRODUCT and EVENT"),
        (("schema", "sms", "nope"), "unknown product/event"),
        (("send", "ftp://example.com/", "--file", "-"), "expected an http:// or https:// URL"),
        (("send", "http://127.0.0.1:port/", "--file", "-"), "bad host or port"),
        (("send", "http://127.0.0.1:9/", "--product", "sms"), "give --product and --event"),
        (("send", "http://127.0.0.1:9/", "--file", "-", "--hooks", "2"), "--file sends a body"),
        (
            ("send", "http://127.0.0.1:9/", "--timeout", "soon"),
            "expected a positive number of seconds",
        ),
    ],
)
def test_bad_arguments_are_one_line_and_exit_code_2(args: tuple[str, ...], message: str) -> None:
    assert_bad_arguments(call(*args), message)


BAD_ARGUMENTS_IN_A_PROCESS = {
    "argparse": (partial(run, "frobnicate"), "invalid choice: 'frobnicate'"),
    "after parsing": (partial(run, "schema", "sms"), "give both PRODUCT and EVENT"),
}


@pytest.mark.parametrize(
    ("job", "message"),
    [
        pytest.param(job, message, marks=pytest.mark.early(job=job), id=name)
        for name, (job, message) in BAD_ARGUMENTS_IN_A_PROCESS.items()
    ],
)
def test_a_process_given_bad_arguments_exits_2_with_one_line(
    early: Early, job: partial[Result], message: str
) -> None:
    assert_bad_arguments(early.result(job), message)


def assert_bad_arguments(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("nhn-webhooks")
    assert message in result.stderr


def console_script_version() -> Result | None:
    script = shutil.which("nhn-webhooks", path=str(Path(sys.executable).parent))
    return None if script is None else run("--version", command=[script])


@pytest.mark.early(job=console_script_version)
def test_version_from_the_installed_console_script(early: Early) -> None:
    result = early.result(console_script_version)
    assert result is not None, "the package's console script is not installed"
    assert result.stdout == f"nhn-webhooks {nw.__version__}\n"


IMPORTS_OF_DECODE = partial(
    subprocess.run,
    [
        sys.executable, "-c",
        "import sys\n"
        "from nhn_webhooks._cli._main import main\n"
        "main(['decode', '--sample', 'sms-unsubscribe'])\n"
        "print(sorted({'http.client', 'nhn_webhooks.testing._builders'} & set(sys.modules)))",
    ],
    capture_output=True, text=True, check=True,
)  # fmt: skip


@pytest.mark.early(job=IMPORTS_OF_DECODE)
def test_decode_loads_neither_http_nor_the_builders(early: Early) -> None:
    # Every run of the command pays for what it imports: send's HTTP client (and
    # the email parser behind it) and sample's builders stay out of decode's runs.
    assert early.result(IMPORTS_OF_DECODE).stdout.splitlines()[-1] == "[]"


def decode_into_a_closed_pipe() -> tuple[bytes, bytes, int]:
    """The first line read, then stderr and the exit code once the reader has gone."""
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "big.json").write_bytes(testing.sample(nw.SmsUnsubscribe, hooks=5000))
        process = subprocess.Popen(
            [sys.executable, "-m", "nhn_webhooks", "decode", f"{scratch}/big.json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        process.stdout.close()  # like `| head -1`, long before the output ends
        _, stderr = process.communicate(timeout=60)
    return first, stderr, process.returncode


@pytest.mark.early(job=decode_into_a_closed_pipe)
def test_a_closed_pipe_stops_quietly(early: Early) -> None:
    first, stderr, returncode = early.result(decode_into_a_closed_pipe)
    assert first == b"SmsUnsubscribe\n"
    assert stderr == b""
    assert returncode == 1


SCHEMA = partial(run, "schema")


@pytest.mark.early(job=SCHEMA)
def test_schema_of_every_class(early: Early) -> None:
    result = early.result(SCHEMA)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert [ref["$ref"] for ref in schema["anyOf"]] == [
        f"#/$defs/{cls.__name__}" for cls in nw.WEBHOOK_CLASSES
    ]
    hook = schema["$defs"]["SmsMessageResultHook"]
    assert "recipientSeq" in hook["required"]
    assert "recipientGropuingKey" in hook["properties"]  # the spellings decode() accepts


def test_schema_of_one_class_uses_portable_regexes() -> None:
    result = call("schema", "email", "message-result-update")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$ref"] == "#/$defs/EmailMessageResultUpdate"
    assert "SmsMessageResultHook" not in schema["$defs"]
    mail_seq = schema["$defs"]["EmailMessageResultHook"]["properties"]["mailSeq"]
    assert {"type": "string", "pattern": "^-?[0-9]{1,19}$"} in mail_seq["anyOf"]
    assert "\\\\A" not in result.stdout  # ECMA-262 has no \A or \Z


# --- what a newcomer reads when a body is not what decode expects, in new processes ---

BODY = testing.sample(nw.SmsUnsubscribe, hooks=2)  # compact: one line
PRETTY = json.dumps(json.loads(BODY), indent=2).encode()
MESSAGES = {
    "one body in lines": (("decode", "--lines"), BODY + b"\n"),
    "pretty-printed in lines": (
        ("decode", "--lines"),
        PRETTY,
    ),
    "pretty-printed in lines, json": (
        ("decode", "--lines", "--json"),
        PRETTY,
    ),
    "empty stdin": (("decode",), b""),
    "blank stdin": (("decode", "-"), b" \n\t\n"),
}


def run_messages() -> dict[str, Result]:
    return {name: run(*args, stdin=stdin) for name, (args, stdin) in MESSAGES.items()}


@pytest.mark.early(job=run_messages)
def test_decode_lines_counts_one_body_in_the_singular(early: Early) -> None:
    result = early.result(run_messages)["one body in lines"]
    assert result.stdout.splitlines()[0] == "1 body: 1 decoded, 0 failed"


@pytest.mark.early(job=run_messages)
@pytest.mark.parametrize("case", ["pretty-printed in lines", "pretty-printed in lines, json"])
def test_decode_lines_on_a_pretty_printed_body_says_to_drop_lines(early: Early, case: str) -> None:
    result = early.result(run_messages)[case]
    assert result.returncode == 1
    assert result.stdout == ""  # not a failure for each of its lines
    assert result.stderr == (
        'error: line 1 is a lone "{", as a pretty-printed body starts, but --lines reads '
        "one body per line; to decode one body, drop --lines\n"
    )


@pytest.mark.early(job=run_messages)
@pytest.mark.parametrize("case", ["empty stdin", "blank stdin"])
def test_decode_of_an_empty_stdin_says_the_body_is_empty(early: Early, case: str) -> None:
    result = early.result(run_messages)[case]
    assert result.returncode == 1
    assert result.stderr == "error: empty body: nothing but whitespace in stdin\n"


def test_a_broken_first_line_among_good_ones_is_listed_as_a_failure() -> None:
    result = call("decode", "--lines", stdin=b"{\n" + testing.sample(nw.SmsUnsubscribe) + b"\n")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "2 bodies: 1 decoded, 1 failed"
