"""The realistic sample bodies shipped with the package, one per webhook class."""

from __future__ import annotations

from importlib.resources import files

from ._envelope import Envelope
from ._registry import WEBHOOK_CLASSES

__all__ = ["SAMPLE_NAMES", "sample_body"]

SAMPLE_NAMES: dict[type[Envelope], str] = {cls: cls._sample for cls in WEBHOOK_CLASSES}
"""Webhook class -> name of its bundled sample (``nhn_webhooks/samples/<name>.json``)."""


def sample_body(name: str) -> bytes:
    """The bytes of the bundled sample ``name`` (e.g. ``"sms-message-result-update"``).

    Raises ``KeyError`` for a name that is not bundled.
    """
    if name not in SAMPLE_NAMES.values():
        raise KeyError(f"no bundled sample {name!r}; known: {sorted(SAMPLE_NAMES.values())}")
    return (files("nhn_webhooks") / "samples" / f"{name}.json").read_bytes()
