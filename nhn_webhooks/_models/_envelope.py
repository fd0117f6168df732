"""What every product shares: the envelope, the lookup link, the unknown webhook."""

import importlib
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from ._base import Model

if TYPE_CHECKING:
    from .._result_codes._outcome import Outcome

__all__ = ["ENVELOPE_KEYS", "Envelope", "Link", "Links", "UnknownWebhook", "read_outcome"]


class Link(Model):
    """``{"href": ...}``: a link to one of NHN's lookup APIs."""

    href: str
    """The URL, as sent (its host moved to ``*.api.nhncloudservice.com`` in 2026-02)."""


class Links(Model):
    """The ``_links`` object of a hook: ``links.self.href`` looks the message up."""

    self: Link
    """Link to the single-message lookup API for this hook's message."""


class Envelope(Model):
    """Fields every webhook POST carries, whatever the product and event."""

    PRODUCT_NAME: ClassVar[str] = ""
    """NHN's documented productName for this class (matched ignoring case and spaces)."""
    EVENT: ClassVar[str | None] = None
    """NHN's documented event name for this class; None when NHN never named it."""
    _sample: ClassVar[str] = ""
    """Name of the bundled sample body (``nhn_webhooks/samples/<name>.json``)."""
    _timestamp_separator: ClassVar[str] = "T"
    """Between date and time in an offset-less timestamp, as NHN's examples write it."""

    hooks_id: str
    """Unique id of this POST (``hooksId``): the key for de-duplicating deliveries."""
    webhook_config_id: str
    """Id of the webhook configuration in the NHN console."""
    product_name: str
    """``productName`` exactly as sent (``SMS``, ``Sms``, ``KakaoTalk Bizmessage``...)."""
    app_key: str
    """App key of the NHN service the event happened in."""
    event: str
    """``event`` exactly as sent."""


ENVELOPE_KEYS = frozenset((*Envelope.__struct_encode_fields__, "hooks"))
"""The wire keys of every webhook's envelope (``hooksId`` ... ``event``, ``hooks``)."""


class UnknownWebhook(Envelope):
    """A well-formed POST for a product or event this version does not model.

    Nothing is dropped: the envelope fields every NHN webhook carries are read as
    for any other class (and required, so a JSON object that is not a webhook at all
    is a DecodeError), ``hooks`` holds every hook as a plain dict, and ``extra``
    every other top-level key, which :func:`encode` writes back.
    ``decode(..., strict=True)`` raises :class:`UnknownEventError` instead.
    """

    hooks: list[dict[str, Any]]
    """Every hook, undecoded."""
    extra: dict[str, Any] = msgspec.field(default_factory=dict)
    """Top-level keys beside the envelope's (``eventTime``, ``data``...), as sent."""


def read_outcome(hook: Any) -> "Outcome":
    """A result hook's ``outcome`` on its class's first read.

    ``decode()`` does not need NHN's code tables, so ``import nhn_webhooks`` leaves
    them out. The hook classes declare ``outcome`` with this body; importing the
    outcome rules (``_outcome``) replaces each with its rule, which answers every
    read after that at the cost of one or two dict look-ups.
    """
    importlib.import_module("nhn_webhooks._result_codes._outcome")
    outcome: Outcome = hook.outcome
    return outcome
