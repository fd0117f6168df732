"""Running ``nhn-webhooks``: in a new process, as a user does, or in this one, quickly.

Both return what ``subprocess.run(..., text=True)`` returns, so a test states its
expectations once and either runner can check them. ``run`` starts a new
interpreter (about 0.2 s each); ``call`` runs ``main()`` here with its standard
streams replaced, for the many argument permutations whose handling is the same
code either way. The tests that must see a real process (exit status, pipes, a
terminal, the console script) use ``run``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from nhn_webhooks._cli import _main as _cli

Result = subprocess.CompletedProcess[str]


def run(*args: str, stdin: bytes | None = None, command: Sequence[str] = ()) -> Result:
    """``python -m nhn_webhooks ARGS`` (or ``command ARGS``) in a new process."""
    result = run_bytes(*args, stdin=stdin, command=command)
    return Result(result.args, result.returncode, _text(result.stdout), _text(result.stderr))


def run_bytes(
    *args: str, stdin: bytes | None = None, command: Sequence[str] = ()
) -> subprocess.CompletedProcess[bytes]:
    """Like ``run``, with the output as the bytes written (no newline translation)."""
    return subprocess.run(
        [*(command or (sys.executable, "-m", "nhn_webhooks")), *args],
        input=stdin,
        capture_output=True,
        check=False,
    )


STDOUTS = ("closed", "full", "gone")
"""Where ``run_writing_to`` sends standard output: closed (``>&-``), /dev/full (every
write fails with ENOSPC), or a pipe whose reader has gone (``| head`` once it exits)."""


def run_writing_to(stdout: str, *args: str, stdin: bytes | None = None) -> Result:
    """``python -m nhn_webhooks ARGS`` in a new process, its stdout one of STDOUTS."""
    command = [sys.executable, "-m", "nhn_webhooks", *args]
    if stdout == "closed":
        command = ["/bin/sh", "-c", 'exec "$0" "$@" >&-', *command]
        descriptor = None
    elif stdout == "full":
        descriptor = os.open("/dev/full", os.O_WRONLY)
    else:
        reader, descriptor = os.pipe()
        os.close(reader)
    try:
        result = subprocess.run(
            command, input=stdin, stdout=descriptor, stderr=subprocess.PIPE, check=False
        )
    finally:
        if descriptor is not None:
            os.close(descriptor)
    return Result(result.args, result.returncode, "", _text(result.stderr))


@contextmanager
def answering(status: int, reason: str, body: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 answering every POST with ``status``, ``reason`` (Latin-1,
    as a status line is) and ``body``, until the block ends; yields its URL."""

    class Answer(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(status, reason)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/nhn"
    finally:
        server.shutdown()
        server.server_close()


def call(*args: str, stdin: bytes = b"") -> Result:
    """``nhn-webhooks ARGS`` run by ``main()`` in this process.

    Standard input is a real file (the command reads a duplicate of its descriptor);
    output is captured as bytes and read back as ``run`` reads a pipe. argparse's
    SystemExit becomes the exit code, as it does for a process.
    """
    stdout, stderr = _capture(), _capture()
    with tempfile.TemporaryFile() as source, pytest.MonkeyPatch.context() as patch:
        source.write(stdin)
        source.seek(0)
        standard_input = io.TextIOWrapper(source, encoding="utf-8")
        patch.setattr(sys, "stdin", standard_input)
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        try:
            status = _cli.main(list(args))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        finally:
            standard_input.detach()  # the file is closed by its own `with`
    return Result(["nhn-webhooks", *args], status, _read(stdout), _read(stderr))


def _capture() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8")


def _read(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return _text(buffer.getvalue())


def _text(output: bytes) -> str:
    """Bytes as ``text=True`` reads them: UTF-8, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(output), encoding="utf-8").read()
