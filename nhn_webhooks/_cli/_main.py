"""The ``nhn-webhooks`` command line: try a body before NHN ever sends one.

``decode`` shows what a handler would receive, ``sample`` prints a realistic body,
``send`` POSTs one to your endpoint with NHN's headers, ``schema`` prints the JSON
Schema. Bad arguments, input that cannot be read and output that cannot be written
are one line on stderr and exit code 2, never a traceback; a reader that goes away
(``| head``) stops the command quietly with exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import IO, Any, NoReturn

import msgspec

from .. import __version__
from .._dispatch import classify, fold_name
from .._errors import log_safe
from .._models._envelope import Envelope
from .._models._kakao import KakaoTemplateStatusUpdate
from .._models._quirks import DIGITS
from .._models._registry import WEBHOOK_CLASSES
from .._models._samples import SAMPLE_NAMES
from ._code import add_code
from ._decode import UnreadableInput, render, run_decode

__all__ = ["main", "render"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    prog = parser.prog
    try:
        try:
            args, extra = parser.parse_known_args(argv)
            if extra:  # reported by the command's own parser, so the line names the command
                _command_parser(parser, args.command).error(
                    f"unrecognized arguments: {' '.join(extra)}"
                )
            prog = f"{parser.prog} {args.command}"
            if sys.stdout is None:  # started with descriptor 1 closed (`>&-`)
                raise _UsageError("cannot write the output: stdout is closed")
            return int(args.run(args))
        finally:
            # What is still buffered is written here, where a failure can be reported,
            # rather than at exit, where Python prints it as a traceback.
            if sys.stdout is not None:
                sys.stdout.flush()
    except (_UsageError, UnreadableInput) as exc:
        return _fail(prog, str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit.
        if sys.stdout is not None:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        # Every read and the request of `send` report their own errors, so what
        # reaches here is a failed write of the output (a full disk, /dev/full).
        return _fail(prog, f"cannot write the output: {exc.strerror or exc}")


def _fail(prog: str, message: str) -> int:
    """Report a usage or output error: one line on stderr, exit code 2."""
    with contextlib.suppress(OSError, AttributeError):  # stderr itself may be unusable
        print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


class _UsageError(Exception):
    """A bad argument found after parsing: one line, exit code 2."""


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
    _add_decode(commands)
    _add_sample(commands)
    _add_send(commands)
    _add_schema(commands)
    add_code(commands)
    return parser


def _command_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of one command (``decode``, ``send``, ...)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]  # type: ignore[no-any-return]
    raise LookupError(command)


# --- decode --------------------------------------------------------------------------


def _add_decode(commands: Any) -> None:
    command = commands.add_parser(
        "decode",
        help="decode a body and show the typed result",
        description="Decode a webhook body and show it as a handler reads it. Exit code "
        "1, with one line naming the JSON path, if it does not decode.",
    )
    command.add_argument("file", nargs="?", help="file holding the body; - or absent for stdin")
    command.add_argument(
        "--sample",
        type=_sample_name,
        metavar="NAME",
        help="decode a bundled sample body (sms-message-result-update, or as PRODUCT "
        "EVENT: 'sms message-result-update')",
    )
    command.add_argument(
        "--lines",
        action="store_true",
        help="the input holds one body per line (JSON lines): print a summary of classes "
        "and failures",
    )
    command.add_argument("--json", action="store_true", help="print JSON instead of text")
    command.set_defaults(run=_run_decode)


def _run_decode(args: argparse.Namespace) -> int:
    if args.sample and args.file:
        raise _UsageError("give a FILE or --sample, not both")
    if args.sample and args.lines:
        raise _UsageError("--lines reads a FILE or stdin, not --sample")
    if args.sample:
        return run_decode(args, None, sys.stdout)
    with _open_input(args.file) as source:
        return run_decode(args, source, sys.stdout)


def _open_input(path: str | None) -> IO[bytes]:
    if path is None or path == "-":
        return _open_stdin()
    try:
        return open(path, "rb")
    except OSError as exc:
        raise _UsageError(f"cannot read {path!r}: {exc.strerror}") from None


def _open_stdin() -> IO[bytes]:
    try:
        # sys.stdin is None when the process started with descriptor 0 closed.
        source = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    except (AttributeError, ValueError, OSError):
        raise _UsageError("cannot read stdin: it is closed (give a FILE)") from None
    if source.isatty():  # otherwise the command would seem to hang
        print("nhn-webhooks: reading a body from the terminal; end it with Ctrl-D", file=sys.stderr)
    return source


# --- sample --------------------------------------------------------------------------


def _add_sample(commands: Any) -> None:
    command = commands.add_parser(
        "sample",
        help="print a realistic body",
        description="Print a realistic body for PRODUCT and EVENT (e.g. sms "
        "message-result-update, kakao template, email unsubscribe).",
    )
    _add_webhook_arguments(command)
    command.add_argument(
        "--compact", action="store_true", help="one line, as NHN sends it (for JSON lines)"
    )
    command.set_defaults(run=_run_sample)


def _add_webhook_arguments(command: argparse.ArgumentParser, *, required: bool = True) -> None:
    if required:
        command.add_argument(
            "product",
            metavar="PRODUCT",
            help="sms, kakao or email; or a sample name such as sms-message-result-update",
        )
        command.add_argument("event", nargs="?", metavar="EVENT", help="e.g. message-result-update")
    command.add_argument(
        "--hooks", type=_positive, default=1, metavar="N", help="hooks in the body (default 1)"
    )
    command.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        dest="overrides",
        help="set an attribute (snake_case, e.g. message_status=FAILED) on the envelope "
        "or on every hook; repeatable",
    )


def _run_sample(args: argparse.Namespace) -> int:
    body = _build(args.product, args.event, args.hooks, args.overrides)
    if not args.compact:
        body = msgspec.json.format(body, indent=2)
    _write_all(sys.stdout.buffer, body + b"\n")
    return 0


def _write_all(stream: IO[bytes], data: bytes) -> None:
    """Write every byte of ``data``.

    One large write into a pipe whose reader leaves part-way returns the count written
    so far instead of raising; writing the rest then raises BrokenPipeError, which
    ``main`` turns into a quiet exit rather than a success with the output cut short.
    """
    view = memoryview(data)
    while view:
        view = view[stream.write(view) :]


def _build(
    product: str, event: str | None, hooks: int, overrides: list[str], *, fresh_ids: bool = False
) -> bytes:
    """The body for the command line; with ``fresh_ids``, hooksId and hookId values no
    earlier call sent (unless ``--set`` gives them)."""
    # Imported here, like http.client for send: every run of the command pays for
    # what the module imports, and decode and schema need neither.
    from ..testing._builders import field_names, parse_override, refresh_ids, sample, sample_data

    webhook = _webhook_class(product, event)
    values: dict[str, Any] = {}
    for assignment in overrides:
        name, equals, text = assignment.partition("=")
        if not equals:
            raise _UsageError(f"--set expects FIELD=VALUE, got {assignment!r}")
        if name not in field_names(webhook):
            raise _UsageError(
                f"{webhook.__name__} has no field {name!r}; "
                f"fields: {', '.join(field_names(webhook))}"
            )
        try:
            values[name] = parse_override(webhook, name, text)
        except ValueError as exc:
            raise _UsageError(f"--set {exc}") from None
    if hooks > 1 and "hook_id" in values:
        raise _UsageError(
            f"--set hook_id would give all {hooks} hooks one id, and a receiver that "
            "skips repeated hookIds would process only the first; leave hook_id out "
            "(each hook gets its own) or send one hook"
        )
    if not fresh_ids:
        return sample(webhook, hooks=hooks, **values)
    data = sample_data(webhook, hooks=hooks, **values)
    refresh_ids(webhook, data, keep=values)
    return msgspec.json.encode(data)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


_MOST_SECONDS = 86_400
"""The longest ``--timeout``: a day. Sockets and timers refuse much larger values
(about 9.2e9 s), and no endpoint test needs more."""


def _seconds(text: str) -> float:
    """A timeout: a number of seconds above zero, at most a day."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= _MOST_SECONDS:  # NaN fails every comparison
        raise argparse.ArgumentTypeError(
            f"expected a positive number of seconds up to {_MOST_SECONDS}, got {text!r}"
        )
    return value


# --- product and event names -----------------------------------------------------------

_SHORT_PRODUCTS = {"kakao": "KakaoTalk Bizmessage", "kakaotalk": "KakaoTalk Bizmessage"}
_TEMPLATE_EVENTS = frozenset({"template", "templatestatus", "templatestatusupdate"})


def _webhook_class(product: str, event: str | None) -> type[Envelope]:
    """The class for command-line PRODUCT and EVENT, matched the way decode() does.

    Also accepted: ``kakao`` for KakaoTalk Bizmessage, ``template`` (or
    ``template-status-update``) for the template event NHN never named, and, with
    no EVENT, both words in one (``sms-message-result-update``, the sample names).
    """
    if event is None:
        return _joined_webhook_class(product)
    product_name = _SHORT_PRODUCTS.get(fold_name(product), product)
    if fold_name(product_name) == fold_name(KakaoTemplateStatusUpdate.PRODUCT_NAME) and (
        fold_name(event) in _TEMPLATE_EVENTS
    ):
        return KakaoTemplateStatusUpdate
    webhook = classify(product_name, event, carries_template_code=False)
    if webhook is None:
        raise _UsageError(f"unknown product/event {product!r} {event!r}; known: {_known()}")
    return webhook


def _joined_webhook_class(name: str) -> type[Envelope]:
    """The class for PRODUCT and EVENT given as one word (``sms-message-result-update``)."""
    webhook = _JOINED_NAMES.get(fold_name(name))
    if webhook is not None:
        return webhook
    if fold_name(_SHORT_PRODUCTS.get(fold_name(name), name)) in _PRODUCTS:
        raise _UsageError(
            "give both PRODUCT and EVENT, or one name such as sms-message-result-update"
        )
    raise _UsageError(f"unknown webhook {name!r}; known: {_known()}")


def _joined_names() -> dict[str, type[Envelope]]:
    """Folded PRODUCT+EVENT -> class, for every spelling of both parts."""
    table: dict[str, type[Envelope]] = {}
    for webhook in WEBHOOK_CLASSES:
        product = fold_name(webhook.PRODUCT_NAME)
        products = {product} | {
            short for short, full in _SHORT_PRODUCTS.items() if fold_name(full) == product
        }
        events = {fold_name(webhook.EVENT)} if webhook.EVENT else _TEMPLATE_EVENTS
        table.update({p + e: webhook for p in products for e in events})
    return table


_JOINED_NAMES = _joined_names()
_PRODUCTS = frozenset(fold_name(webhook.PRODUCT_NAME) for webhook in WEBHOOK_CLASSES)


def _known() -> str:
    return ", ".join(_command_line_name(cls) for cls in WEBHOOK_CLASSES)


def _sample_name(text: str) -> str:
    """``decode --sample``: a bundled sample's name, spelt as a name or as PRODUCT EVENT."""
    webhook = _JOINED_NAMES.get(fold_name(text))
    if webhook is None:
        raise argparse.ArgumentTypeError(
            f"no bundled sample {text!r}; known: {', '.join(sorted(SAMPLE_NAMES.values()))}"
        )
    return SAMPLE_NAMES[webhook]


def _command_line_name(webhook: type[Envelope]) -> str:
    product = {"kakaotalkbizmessage": "kakao"}.get(fold_name(webhook.PRODUCT_NAME), "")
    event = (webhook.EVENT or "template").lower().replace("_", "-")
    return f"{product or webhook.PRODUCT_NAME.lower()} {event}"


# --- send ----------------------------------------------------------------------------


def _add_send(commands: Any) -> None:
    command = commands.add_parser(
        "send",
        help="POST a body to your endpoint with NHN's headers",
        description="POST a webhook body to URL with the headers NHN sends "
        "(Content-Type: application/json;charset=UTF-8 and X-Toast-Webhook-Signature) "
        "and print the response status. Exit code 0 for a 2xx answer, 1 otherwise.",
    )
    command.add_argument("url", metavar="URL", help="your endpoint, e.g. http://localhost:8000/nhn")
    command.add_argument(
        "--product",
        help="build the body: sms, kakao or email (or a sample name such as "
        "sms-message-result-update, without --event)",
    )
    command.add_argument("--event", help="build the body: e.g. message-result-update")
    command.add_argument("--file", help="send this file's bytes as the body (- for stdin)")
    command.add_argument(
        "--signature",
        help="value of X-Toast-Webhook-Signature (the console's signature); "
        "without it the header is not sent",
    )
    command.add_argument(
        "--replay",
        action="store_true",
        help="send the sample's own hooksId and hookId, the same every call, so the "
        "endpoint sees a repeat (by default each call sends new ones)",
    )
    command.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="the most the whole exchange may take (default 10)",
    )
    _add_webhook_arguments(command, required=False)
    command.set_defaults(run=_run_send)


def _run_send(args: argparse.Namespace) -> int:
    import http.client

    from ..testing._builders import webhook_headers
    from ._send import check_header_value, check_url, post

    problem = check_url(args.url) or check_header_value(args.signature)
    if problem:
        raise _UsageError(problem)
    body = _send_body(args)
    headers = webhook_headers(args.signature)
    try:
        response = post(args.url, body, headers, args.timeout, shown=_SHOWN)
    except TimeoutError:
        print(f"error: no complete answer from {args.url} in {args.timeout:g} s", file=sys.stderr)
        return 1
    except (OSError, http.client.HTTPException) as exc:  # may quote the endpoint's bytes
        print(log_safe(f"error: no answer from {args.url}: {exc}"), file=sys.stderr)
        return 1
    print(log_safe(f"{response.status} {response.reason}"))
    if response.body:
        text = response.body.decode("utf-8", "replace")
        shown = text if len(text) <= _SHOWN and not response.cut else text[:_SHOWN] + "..."
        print("\n".join(map(log_safe, re.split(r"\r?\n", shown))))
    return 0 if 200 <= response.status < 300 else 1


_SHOWN = 2000
"""Characters of the answer printed; no more than it takes to print them is read.

What the endpoint says is printed with every character that is not printable escaped
(terminal escape sequences, direction overrides...), as ``DecodeError`` messages are;
only its line breaks are kept."""


def _send_body(args: argparse.Namespace) -> bytes:
    if args.file is not None:
        if args.product or args.event or args.overrides or args.hooks != 1 or args.replay:
            raise _UsageError(
                "--file sends a body as is: no --product/--event/--hooks/--set/--replay"
            )
        with _open_input(args.file) as source:
            try:
                body = source.read()
            except OSError as exc:
                raise _UsageError(f"cannot read {args.file!r}: {exc.strerror}") from None
        if not body:
            where = "stdin" if args.file == "-" else repr(args.file)
            raise _UsageError(f"nothing to send: {where} is empty")
        return body
    if not args.product or (args.event is None and fold_name(args.product) not in _JOINED_NAMES):
        raise _UsageError("give --product and --event, or --file")
    return _build(args.product, args.event, args.hooks, args.overrides, fresh_ids=not args.replay)


# --- schema --------------------------------------------------------------------------


def _add_schema(commands: Any) -> None:
    command = commands.add_parser(
        "schema",
        help="print the JSON Schema of the bodies",
        description="Print the JSON Schema (2020-12) of every webhook body, or of one "
        "PRODUCT EVENT.",
    )
    command.add_argument("product", nargs="?", metavar="PRODUCT", help="sms, kakao or email")
    command.add_argument("event", nargs="?", metavar="EVENT", help="e.g. message-result-update")
    command.set_defaults(run=_run_schema)


def _run_schema(args: argparse.Namespace) -> int:
    if args.product:
        schema = msgspec.json.schema(_webhook_class(args.product, args.event))
    else:
        refs, definitions = msgspec.json.schema_components(WEBHOOK_CLASSES)
        schema = {"anyOf": list(refs), "$defs": definitions}
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    print(json.dumps(_portable_patterns(document), indent=2, ensure_ascii=False))
    return 0


_DIGITS_ECMA = "^" + re.sub(r"\\A|\\Z", "", DIGITS) + "$"


def _portable_patterns(node: Any) -> Any:
    """JSON Schema patterns are ECMA-262 regexes: ``\\A``/``\\Z`` become ``^``/``$``."""
    if isinstance(node, dict):
        return {
            key: _DIGITS_ECMA if key == "pattern" and value == DIGITS else _portable_patterns(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_portable_patterns(item) for item in node]
    return node
