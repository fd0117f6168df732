"""Bodies built from the command line, for ``sample`` and ``send``: PRODUCT EVENT,
``--hooks`` and ``--set``."""

from __future__ import annotations

import argparse
from typing import Any

import msgspec

from ._io import UsageError
from ._names import webhook_class

__all__ = ["add_webhook_arguments", "build"]


def add_webhook_arguments(command: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Add ``--hooks`` and ``--set`` to ``command``, and PRODUCT [EVENT] if ``required``."""
    if required:
        command.add_argument(
            "product",
            metavar="PRODUCT",
            help="sms, kakao or email; or a sample name such as sms-message-result-update",
        )
        command.add_argument("event", nargs="?", metavar="EVENT", help="e.g. message-result-update")
    command.add_argument(
        "--hooks",
        type=_positive,
        default=1,
        metavar="N",
        help=f"hooks in the body (default 1, at most {MAX_HOOKS:,})",
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


def build(
    product: str, event: str | None, hooks: int, overrides: list[str], *, fresh_ids: bool = False
) -> bytes:
    """The body for the command line; with ``fresh_ids``, hooksId and hookId values no
    earlier call sent (unless ``--set`` gives them)."""
    # Imported here, like http.client for send: every run of the command pays for
    # what the module imports, and decode and schema need neither.
    from ..testing._builders import field_names, parse_override, refresh_ids, sample, sample_data

    webhook = webhook_class(product, event)
    values: dict[str, Any] = {}
    for assignment in overrides:
        name, equals, text = assignment.partition("=")
        if not equals:
            raise UsageError(f"--set expects FIELD=VALUE, got {assignment!r}")
        if name not in field_names(webhook):
            raise UsageError(
                f"{webhook.__name__} has no field {name!r}; "
                f"fields: {', '.join(field_names(webhook))}"
            )
        try:
            values[name] = parse_override(webhook, name, text)
        except ValueError as exc:
            raise UsageError(f"--set {exc}") from None
    if hooks > 1 and "hook_id" in values:
        raise UsageError(
            f"--set hook_id would give all {hooks} hooks one id, and a receiver that "
            "skips repeated hookIds would process only the first; leave hook_id out "
            "(each hook gets its own) or send one hook"
        )
    if not fresh_ids:
        return sample(webhook, hooks=hooks, **values)
    data = sample_data(webhook, hooks=hooks, **values)
    refresh_ids(webhook, data, keep=values)
    return msgspec.json.encode(data)


MAX_HOOKS = 10_000
"""The most hooks ``--hooks`` builds: the receiver's default ``max_hooks``, far more than
NHN puts in one POST. A larger count is a typo that would take the host's memory."""


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    if len(text) > len(str(MAX_HOOKS)) or int(text) > MAX_HOOKS:
        raise argparse.ArgumentTypeError(f"at most {MAX_HOOKS:,} hooks, got {text}")
    return int(text)
