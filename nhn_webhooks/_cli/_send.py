"""``nhn-webhooks send``: POST a body to your endpoint with NHN's headers."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from .._errors import log_safe
from ._bodies import add_webhook_arguments, build
from ._io import UsageError, open_input, read_all, safe_lines, source_name
from ._names import is_joined_name

__all__ = ["add", "run"]


def add(commands: Any) -> None:
    """Register the ``send`` command on the command line's subparsers."""
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
    add_webhook_arguments(command, required=False)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """POST the body and print the answer; 0 for a 2xx answer, 1 otherwise."""
    # Imported here: every run of every command pays for what this module imports.
    import http.client

    from ..testing._builders import webhook_headers
    from ._http import check_header_value, check_url, post

    problem = check_url(args.url) or check_header_value(args.signature)
    if problem:
        raise UsageError(problem)
    body = _body(args)
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
        print(safe_lines(shown))
    return 0 if 200 <= response.status < 300 else 1


_SHOWN = 2000
"""Characters of the answer printed; no more than it takes to print them is read.

What the endpoint says is printed with every character that is not printable escaped
(terminal escape sequences, direction overrides...), as ``DecodeError`` messages are;
only its line breaks are kept."""


def _body(args: argparse.Namespace) -> bytes:
    """The file's bytes with ``--file``, else a body built from PRODUCT and EVENT."""
    if args.file is not None:
        if args.product or args.event or args.overrides or args.hooks != 1 or args.replay:
            raise UsageError(
                "--file sends a body as is: no --product/--event/--hooks/--set/--replay"
            )
        with open_input(args.file) as source:
            body = read_all(source)
            if not body:
                raise UsageError(f"nothing to send: {source_name(source)} is empty")
        return body
    if not args.product or (args.event is None and not is_joined_name(args.product)):
        raise UsageError("give --product and --event, or --file")
    return build(args.product, args.event, args.hooks, args.overrides, fresh_ids=not args.replay)


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
