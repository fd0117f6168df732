"""The ``nhn-webhooks`` command line: ``main()``, its parser and the list of commands.

Try a body before NHN ever sends one: ``decode`` shows what a handler would receive,
``sample`` prints a realistic body, ``send`` POSTs one to your endpoint with NHN's
headers, ``schema`` prints the JSON Schema, ``code`` says what a result code means.
Bad arguments, input that cannot be read and output that cannot be written are one
line on stderr and exit code 2, never a traceback; a reader that goes away
(``| head``) stops the command quietly with exit code 1.

This module holds only ``main()``, the parser and ``COMMANDS``. Each command is one
module of this folder with the same shape: ``add(commands)`` registers its subparser
and sets ``run``, and ``run(args)`` returns the exit code. Adding a command is one
new module, one line in ``COMMANDS`` and a test. The helpers have modules of their
own: ``_names`` (PRODUCT EVENT and sample names), ``_io`` (input, output, escaping,
the usage error and the guard around a run), ``_bodies`` (the body that ``sample``
and ``send`` build) and ``_progress`` (the progress bar). Every run imports every
command module, so what they import at the top every command pays for: ``send``'s
HTTP exchange sits in ``_http``, imported only when ``send`` runs, and the builders
are imported inside ``_bodies.build``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, Protocol

from .. import __version__
from .._errors import log_safe
from . import _code, _decode, _sample, _schema, _send
from ._io import Guard, UsageError, escape_what_stdout_cannot_encode

__all__ = ["COMMANDS", "Command", "main"]


class Command(Protocol):
    """The shape of every command module."""

    def add(self, commands: Any) -> None:
        """Register the command on the subparsers ``commands``; set ``run`` on it."""

    def run(self, args: argparse.Namespace) -> int:
        """Run the command with the parsed ``args``; return the exit code."""


COMMANDS: tuple[Command, ...] = (_decode, _sample, _send, _schema, _code)
"""The command modules, in the order ``nhn-webhooks --help`` lists them."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    guard = Guard(parser.prog)
    escape_what_stdout_cannot_encode()
    return guard.run(lambda: _run(parser, argv, guard))


def _run(parser: argparse.ArgumentParser, argv: Sequence[str] | None, guard: Guard) -> int:
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported by the command's own parser, so the line names the command
        _command_parser(parser, args.command).error(
            f"unrecognized arguments: {log_safe(' '.join(extra))}"
        )
    guard.prog = f"{parser.prog} {args.command}"
    if sys.stdout is None:  # started with descriptor 1 closed (`>&-`)
        raise UsageError("cannot write the output: stdout is closed")
    return int(args.run(args))


class _Parser(argparse.ArgumentParser):
    """argparse, with errors on one line (no usage block above them)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nhn-webhooks",
        description="Decode, build, send and describe NHN Cloud Notification webhook bodies.",
    )
    parser.add_argument("--version", action="version", version=f"nhn-webhooks {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND", dest="command")
    for command in COMMANDS:
        command.add(commands)
    return parser


def _command_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of one command (``decode``, ``send``, ...)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]  # type: ignore[no-any-return]
    raise LookupError(command)
