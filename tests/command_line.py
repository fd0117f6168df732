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
import subprocess
import sys
import tempfile
from collections.abc import Sequence

import pytest

from nhn_webhooks import _cli

Result = subprocess.CompletedProcess[str]


def run(*args: str, stdin: bytes | None = None, command: Sequence[str] = ()) -> Result:
    """``python -m nhn_webhooks ARGS`` (or ``command ARGS``) in a new process."""
    result = subprocess.run(
        [*(command or (sys.executable, "-m", "nhn_webhooks")), *args],
        input=stdin,
        capture_output=True,
        check=False,
    )
    return Result(result.args, result.returncode, _text(result.stdout), _text(result.stderr))


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
