"""Invocations that once printed a traceback, ran away or wrote raw control characters:
each runs as a real process, as a user starts it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

CLI = (sys.executable, "-m", "nhn_webhooks")
ESCAPES = "\x1b[2J\x1b]0;pwned\x07"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """``nhn-webhooks ARGS`` with at most 1.5 GB of address space and 60 s, so a
    runaway build fails the test instead of taking the host."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        preexec_fn=limit,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode(errors="replace")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == 2, (result.returncode, stderr)
    assert stderr.count("\n") == 1, stderr
    return stderr


@pytest.mark.parametrize(
    ("encoding", "args", "expected"),
    [
        ("ascii", ["code", "kakao", "1001"], b"\\u"),  # the Korean description, escaped
        ("latin-1", ["schema"], b"$schema"),
    ],
)
def test_text_the_output_encoding_cannot_hold_is_escaped(
    encoding: str, args: list[str], expected: bytes
) -> None:
    result = run(*args, env={"PYTHONIOENCODING": encoding})
    assert b"Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    result.stdout.decode(encoding)  # everything written is in the stream's encoding


@pytest.mark.parametrize("command", [["sample", "sms", "message-result-update"],
                                     ["send", "http://127.0.0.1:9/", "--product", "sms",
                                      "--event", "message-result-update"]])  # fmt: skip
@pytest.mark.parametrize("count", ["10001", "99999999999999999999"])
def test_a_hook_count_above_the_limit_is_a_usage_error(command: list[str], count: str) -> None:
    stderr = assert_one_line_exit_2(run(*command, "--hooks", count))
    assert "at most 10,000 hooks" in stderr


def test_the_largest_hook_count_is_built() -> None:
    result = run("sample", "sms", "message-result-update", "--hooks", "10000", "--compact")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(b'"hookId"') == 10_000


def test_unrecognized_arguments_are_escaped() -> None:
    stderr = assert_one_line_exit_2(run("sample", "sms", "message-result-update", ESCAPES))
    assert "\x1b" not in stderr
    assert "\x07" not in stderr
    assert "\\u001b[2J" in stderr


def test_an_unknown_code_is_echoed_escaped() -> None:
    result = run("code", "sms", ESCAPES)
    assert result.returncode == 1, result.stderr
    assert b"\x1b" not in result.stdout + result.stderr
    assert b"\x07" not in result.stdout
    assert b"\\u001b[2J" in result.stdout
