"""What the command line does with input a newcomer gives it: one line on stderr and
exit code 2 for every bad argument or unreadable input, each run as a real process
(started as soon as collection ends: ``early`` in tests/conftest.py); every spelling
of a sample's name, in every command; a hint when it waits on a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

import nhn_webhooks as nw
from nhn_webhooks import testing
from nhn_webhooks._cli import _main as _cli
from tests.conftest import sample_dict, to_body
from tests.support.command_line import STDOUTS, Result, answering, call, run, run_writing_to
from tests.support.early import Early

LONG_LABEL = "a" * 64
UNREADABLE = "/proc/self/mem"  # opens, then every read fails with EIO
A_BODY = to_body(sample_dict("sms-unsubscribe"))


def run_with_stdin_closed(*args: str) -> Result:
    """``nhn-webhooks ARGS`` started with descriptor 0 closed (``<&-`` in a shell)."""
    result = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m nhn_webhooks "$@" <&-', sys.executable, *args],
        capture_output=True,
        check=False,
    )
    return Result(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


URL = "http://127.0.0.1:9/"
FAILING_PROCESSES = {
    "unclosed IPv6 host": (("send", "http://[::1", "--file", "-"), "bad host or port"),
    "empty label": (("send", "http://a..b/", "--file", "-"), "bad host name 'a..b'"),
    "label over 63": (("send", f"http://{LONG_LABEL}.example/", "--file", "-"), "bad host"),
    "timeout -1": (("send", URL, "--file", "-", "--timeout", "-1"), "positive number of sec"),
    "timeout 0": (("send", URL, "--file", "-", "--timeout", "0"), "positive number of seconds"),
    "timeout nan": (("send", URL, "--file", "-", "--timeout", "nan"), "positive number of sec"),
    "timeout inf": (("send", URL, "--file", "-", "--timeout", "inf"), "positive number of sec"),
    "Korean signature": (("send", URL, "--file", "-", "--signature", "서명"), "Latin-1"),
    "signature with CR LF": (("send", URL, "--file", "-", "--signature", "a\r\nb"), "one line"),
    "decode unreadable file": (("decode", UNREADABLE), f"cannot read '{UNREADABLE}'"),
    "decode --lines unreadable": (("decode", "--lines", UNREADABLE), f"cannot read '{UNREADABLE}'"),
    "send unreadable file": (("send", URL, "--file", UNREADABLE), f"cannot read '{UNREADABLE}'"),
    "set timestamp": (
        ("sample", "sms", "message-result-update", "--set", "request_date=yesterday"),
        "--set request_date: expected a timestamp",
    ),
    "set links": (
        ("sample", "sms", "message-result-update", "--set", "links=notaurl"),
        "--set links: expected an http:// or https:// URL, got 'notaurl'",
    ),
    "extra argument": (
        ("schema", "sms", "message-result-update", "extra"),
        "nhn-webhooks schema: error: unrecognized arguments: extra",
    ),
    "unknown sample": (("decode", "--sample", "sms-nope"), "no bundled sample 'sms-nope'"),
    "timeout 1e10": (("send", URL, "--file", "-", "--timeout", "1e10"), "seconds up to 86400"),
    "non-ASCII path": (("send", "http://127.0.0.1:9/웹훅", "--file", "-"), "must be ASCII"),
    "set JSON deeper than the stack": (
        ("sample", "kakao", "template", "--set", f"comments={'[' * 1200}{']' * 1200}"),
        "--set comments: JSON nested deeper than 100 levels",
    ),
    "set JSON too deep to write": (
        ("sample", "kakao", "template", "--set", f"comments={'[' * 990}{']' * 990}"),
        "--set comments: JSON nested deeper than 100 levels",
    ),
    "set bytes that are not UTF-8": (
        ("sample", "sms", "message-result-update", "--set", os.fsdecode(b"recipient_no=\xff")),
        "--set recipient_no: not valid text, got '\\udcff'",
    ),
}
STDIN_CLOSED = {
    "decode": (("decode",), "cannot read stdin: it is closed"),
    "send --file -": (("send", URL, "--file", "-"), "cannot read stdin: it is closed"),
}
JOBS = {
    **{name: (partial(run, *args, stdin=A_BODY), text) for name, (args, text) in
       FAILING_PROCESSES.items()},
    **{f"stdin closed, {name}": (partial(run_with_stdin_closed, *args), text) for name, (args, text)
       in STDIN_CLOSED.items()},
}  # fmt: skip


@pytest.mark.parametrize(
    ("job", "message"),
    [
        pytest.param(job, message, marks=pytest.mark.early(job=job), id=name)
        for name, (job, message) in JOBS.items()
    ],
)
def test_bad_input_is_one_line_and_exit_code_2_in_a_process(
    early: Early, job: partial[Result], message: str
) -> None:
    result = early.result(job)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("nhn-webhooks ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_error_line_never_echoes_a_bad_signature() -> None:
    result = call("send", URL, "--file", "-", "--signature", "비밀")
    assert result.returncode == 2
    assert "비밀" not in result.stderr


def deeply_nested_unknown_event() -> tuple[bytes, Result]:
    data = sample_dict("sms-unsubscribe")
    data["event"] = "SOMETHING_NEW"
    nested: object = "bottom"
    for _ in range(600):
        nested = [nested]
    data["hooks"] = [{"tree": nested}]
    body = json.dumps(data).encode()
    return body, run("decode", "--json", "-", stdin=body)


@pytest.mark.early(job=deeply_nested_unknown_event)
def test_decode_json_prints_a_deeply_nested_unknown_event(early: Early) -> None:
    body, result = early.result(deeply_nested_unknown_event)
    assert result.returncode == 0, result.stderr[-500:]
    document = json.loads(result.stdout)
    assert document["class"] == "UnknownWebhook"
    assert document["webhook"]["hooks"] == json.loads(body)["hooks"]


# --- output that cannot be written ---------------------------------------------------

COMMANDS = {
    "decode": ("decode", "-"),
    "decode --json": ("decode", "--json", "-"),
    "decode --lines": ("decode", "--lines", "-"),
    "sample": ("sample", "sms", "unsubscribe"),
    "schema": ("schema",),
    "code": ("code", "sms", "3015"),
    "send": ("send", "URL", "--file", "-"),
}


def writing_to(stdout: str, args: tuple[str, ...]) -> Result:
    """The command run with its stdout closed, full or gone; send posts to a server
    that answers, so it has something to print."""
    with answering(200, "OK", b"received") as url:
        args = tuple(url if arg == "URL" else arg for arg in args)
        return run_writing_to(stdout, *args, stdin=A_BODY)


OUTPUT_JOBS = {
    (name, stdout): partial(writing_to, stdout, args)
    for name, args in COMMANDS.items()
    for stdout in STDOUTS
}


def test_the_output_checks_cover_every_command() -> None:
    (commands,) = [
        action.choices
        for action in _cli._parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    assert {args[0] for args in COMMANDS.values()} == set(commands)


@pytest.mark.parametrize(
    ("name", "stdout"),
    [pytest.param(*key, marks=pytest.mark.early(job=job), id="-".join(key))
     for key, job in OUTPUT_JOBS.items()],
)  # fmt: skip
def test_output_that_cannot_be_written_is_one_line_or_a_quiet_stop(
    early: Early, name: str, stdout: str
) -> None:
    result = early.result(OUTPUT_JOBS[name, stdout])
    assert "Traceback" not in result.stderr
    if stdout == "gone":  # the reader went away (`| head`): nothing to say
        assert (result.returncode, result.stderr) == (1, "")
        return
    reason = {"closed": "stdout is closed", "full": "No space left on device"}[stdout]
    command = COMMANDS[name][0]
    assert result.stderr == f"nhn-webhooks {command}: error: cannot write the output: {reason}\n"
    assert result.returncode == 2


def sample_into_a_pipe_closed_mid_write() -> tuple[bytes, bytes, int]:
    """The first line of a large sample, then stderr and the exit code once the reader
    has gone, long before the output ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nhn_webhooks", "sample", "sms-message-result-update",
         "--hooks", "3000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    return first, stderr, process.returncode


@pytest.mark.early(job=sample_into_a_pipe_closed_mid_write)
def test_a_sample_cut_short_by_its_reader_is_not_a_success(early: Early) -> None:
    first, stderr, returncode = early.result(sample_into_a_pipe_closed_mid_write)
    assert first == b"{\n"
    assert (returncode, stderr) == (1, b"")


# --- sample names: both spellings everywhere --------------------------------------

SPELLINGS = [
    ("sms-message-result-update", nw.SmsMessageResultUpdate),
    ("sms message-result-update", nw.SmsMessageResultUpdate),
    ("SMS_MESSAGE_RESULT_UPDATE", nw.SmsMessageResultUpdate),
    ("kakao-template-status-update", nw.KakaoTemplateStatusUpdate),
    ("kakao template", nw.KakaoTemplateStatusUpdate),
    ("email-unsubscribe", nw.EmailUnsubscribe),
]


@pytest.mark.parametrize(("name", "cls"), SPELLINGS)
def test_decode_sample_takes_either_spelling(name: str, cls: type[nw.Webhook]) -> None:
    result = call("decode", "--sample", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{cls.__name__}\n")


@pytest.mark.parametrize(("name", "cls"), SPELLINGS)
def test_sample_takes_either_spelling(name: str, cls: type[nw.Webhook]) -> None:
    result = call("sample", name)
    assert result.returncode == 0, result.stderr
    assert type(nw.decode(result.stdout)) is cls


@pytest.mark.parametrize(("name", "cls"), SPELLINGS)
def test_schema_takes_either_spelling(name: str, cls: type[nw.Webhook]) -> None:
    result = call("schema", name)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["$ref"] == f"#/$defs/{cls.__name__}"


def test_an_unknown_one_word_name_lists_the_known_ones() -> None:
    result = call("schema", "sms-delivered")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "nhn-webhooks schema: error: unknown webhook 'sms-delivered'; known: sms unsubscribe, "
    )


def test_a_product_alone_asks_for_the_event() -> None:
    result = call("sample", "kakao")
    assert result.returncode == 2
    assert "give both PRODUCT and EVENT, or one name such as sms-message-result-update" in (
        result.stderr
    )


# --- waiting on a terminal ----------------------------------------------------------


def decode_from_a_terminal() -> tuple[str, int, str]:
    """What stderr says before any input, then the exit code and stdout once a body
    and end-of-file are typed on the terminal."""
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "nhn_webhooks", "decode"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    try:
        assert process.stderr is not None
        # Printed before anything is typed; without it, nothing comes until input.
        ready, _, _ = select.select([process.stderr], [], [], 30)
        hint = process.stderr.readline().decode() if ready else ""
        os.write(controller, A_BODY.replace(b"\n", b" ") + b"\n\x04")
        stdout, _ = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
        os.close(controller)
    return hint, process.returncode, stdout.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.early(job=decode_from_a_terminal)
def test_decode_on_a_terminal_says_it_is_reading_stdin(early: Early) -> None:
    hint, returncode, stdout = early.result(decode_from_a_terminal)
    assert hint.startswith("nhn-webhooks: reading a body from the terminal; end it with Ctrl-D")
    assert returncode == 0
    assert stdout.startswith("SmsUnsubscribe\n")


def test_no_hint_when_stdin_is_not_a_terminal() -> None:
    assert call("decode", stdin=A_BODY).stderr == ""


# --- counts --------------------------------------------------------------------------


def test_decode_lines_counts_with_thousands_separators(tmp_path: Path) -> None:
    body = testing.sample(nw.SmsUnsubscribe)
    (tmp_path / "many.jsonl").write_bytes((body + b"\n") * 1200 + b"\n")
    result = call("decode", "--lines", str(tmp_path / "many.jsonl"))
    assert result.stdout.splitlines() == [
        "1,200 bodies: 1,200 decoded, 0 failed",
        "  SmsUnsubscribe  1,200",
    ]
