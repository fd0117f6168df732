"""Input, output and their errors, shared by every command.

A bad argument or input that cannot be read is one line on stderr and exit code 2,
never a traceback; a reader that goes away (``| head``) stops the command quietly
with exit code 1; output that cannot be written (a full disk) is one line and exit
code 2. What the command prints that came from outside (a body, an endpoint's
answer) is escaped so that it is safe on a terminal and in a log.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

from .._errors import log_safe

__all__ = [
    "Guard",
    "UsageError",
    "escape_what_stdout_cannot_encode",
    "json_line",
    "open_input",
    "read_all",
    "read_lines",
    "safe_lines",
    "source_name",
    "write_all",
]


class UsageError(Exception):
    """A bad argument found after parsing, or input that cannot be read: one line,
    exit code 2."""


class Guard:
    """Runs a command and turns what goes wrong around it into an exit code.

    ``prog`` names the command in the error line: ``nhn-webhooks`` while the
    arguments are parsed, then ``nhn-webhooks decode`` once the command is known.
    """

    def __init__(self, prog: str) -> None:
        self.prog = prog

    def run(self, command: Callable[[], int]) -> int:
        """``command()``'s exit code, or the one for the error it raised."""
        try:
            try:
                return command()
            finally:
                # What is still buffered is written here, where a failure can be reported,
                # rather than at exit, where Python prints it as a traceback.
                if sys.stdout is not None:
                    sys.stdout.flush()
        except UsageError as exc:
            return self._fail(str(exc))
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly.
            _discard_stdout()
            return 1
        except OSError as exc:
            # Every read and the request of `send` report their own errors, so what
            # reaches here is a failed write of the output (a full disk, /dev/full).
            _discard_stdout()
            return self._fail(f"cannot write the output: {exc.strerror or exc}")

    def _fail(self, message: str) -> int:
        """Report a usage or output error: one line on stderr, exit code 2."""
        with contextlib.suppress(OSError, AttributeError):  # stderr itself may be unusable
            print(f"{self.prog}: error: {message}", file=sys.stderr)
        return 2


def _discard_stdout() -> None:
    """Point stdout at /dev/null once its output failed: what is still buffered is
    flushed again at exit, and Python 3.14 reports that failure as a second message."""
    if sys.stdout is not None:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- input ---------------------------------------------------------------------------


def open_input(path: str | None) -> IO[bytes]:
    """The file at ``path`` opened for reading bytes; stdin for ``-`` or None."""
    if path is None or path == "-":
        return _open_stdin()
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read {path!r}: {exc.strerror}") from None


def _open_stdin() -> IO[bytes]:
    try:
        # sys.stdin is None when the process started with descriptor 0 closed.
        source = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    except (AttributeError, ValueError, OSError):
        raise UsageError("cannot read stdin: it is closed (give a FILE)") from None
    if source.isatty():  # otherwise the command would seem to hang
        print("nhn-webhooks: reading a body from the terminal; end it with Ctrl-D", file=sys.stderr)
    return source


def read_all(source: IO[bytes]) -> bytes:
    """Every byte left in ``source``; a failed read (EIO, a directory) is a UsageError."""
    try:
        return source.read()
    except OSError as exc:
        raise _unreadable(source, exc) from None


def read_lines(source: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``source``, each with its line break; a failed read is a UsageError."""
    while True:
        try:
            line = source.readline()
        except OSError as exc:
            raise _unreadable(source, exc) from None
        if not line:
            return
        yield line


def source_name(source: IO[bytes]) -> str:
    """How error lines name ``source``: its path quoted, or ``stdin``."""
    name = getattr(source, "name", None)
    return repr(name) if isinstance(name, str) else "stdin"


def _unreadable(source: IO[bytes], error: OSError) -> UsageError:
    return UsageError(f"cannot read {source_name(source)}: {error.strerror}")


# --- output --------------------------------------------------------------------------


def escape_what_stdout_cannot_encode() -> None:
    """Make text output that stdout's encoding cannot hold come out escaped.

    With ``PYTHONIOENCODING=ascii`` or a Latin-1 locale, the Korean descriptions of
    ``code`` and the schema's text would raise UnicodeEncodeError mid-print; written
    as ``\\uXXXX`` escapes instead (``errors="backslashreplace"``, what stderr already
    does), the output stays complete and readable. Bytes written to ``stdout.buffer``
    (``sample``, ``decode``) are not concerned.
    """
    # A replaced stdout (a test's StringIO, an embedding program's own stream) may
    # have no reconfigure; it then keeps its own rule.
    with contextlib.suppress(AttributeError, ValueError, OSError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def write_all(stream: IO[bytes], data: bytes) -> None:
    """Write every byte of ``data``.

    One large write into a pipe whose reader leaves part-way returns the count written
    so far instead of raising; writing the rest then raises BrokenPipeError, which
    ``Guard`` turns into a quiet exit rather than a success with the output cut short.
    """
    view = memoryview(data)
    while view:
        view = view[stream.write(view) :]


def json_line(document: Any) -> str:
    """``document`` as one line of JSON that is safe on a terminal and in a log.

    The text mode's rule (``repr``) applied to JSON: every character that is not
    printable (``str.isprintable``: C0 and C1 controls such as U+009B, line and
    paragraph separators, direction overrides such as U+202E, ...) is written as a
    ``\\u`` escape, so the output decodes to the same values but never carries them
    raw. Other text (Korean, accents) stays as it is.
    """
    text = json.dumps(document, ensure_ascii=False)
    if text.isprintable():
        return text
    # Outside strings json.dumps writes only printable ASCII, so every character
    # escaped here is inside a string, where a \u escape means the same character.
    return "".join(char if char.isprintable() else _json_escape(char) for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON spells these as a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def safe_lines(text: str) -> str:
    """Foreign ``text`` for a terminal: its line breaks kept, every other character
    that is not printable escaped (terminal escape sequences, direction overrides...),
    as in ``DecodeError`` messages."""
    return "\n".join(map(log_safe, re.split(r"\r?\n", text)))
