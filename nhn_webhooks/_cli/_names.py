"""Webhook names on the command line: PRODUCT EVENT, one joined word, sample names.

Names match the way ``decode()`` matches an envelope's productName and event (case,
spaces, ``-`` and ``_`` ignored). Also accepted: ``kakao`` for KakaoTalk Bizmessage,
``template`` (or ``template-status-update``) for the template event NHN never named,
and both words in one (``sms-message-result-update``, the sample names).
"""

from __future__ import annotations

import argparse

from .._dispatch import classify, fold_name
from .._models._envelope import Envelope
from .._models._kakao import KakaoTemplateStatusUpdate
from .._models._registry import WEBHOOK_CLASSES
from .._models._samples import SAMPLE_NAMES
from ._io import UsageError

__all__ = ["is_joined_name", "sample_name", "webhook_class"]

_SHORT_PRODUCTS = {"kakao": "KakaoTalk Bizmessage", "kakaotalk": "KakaoTalk Bizmessage"}
_TEMPLATE_EVENTS = frozenset({"template", "templatestatus", "templatestatusupdate"})


def webhook_class(product: str, event: str | None) -> type[Envelope]:
    """The class for command-line PRODUCT and EVENT; with no EVENT, PRODUCT holds both."""
    if event is None:
        return _joined_webhook_class(product)
    product_name = _SHORT_PRODUCTS.get(fold_name(product), product)
    if fold_name(product_name) == fold_name(KakaoTemplateStatusUpdate.PRODUCT_NAME) and (
        fold_name(event) in _TEMPLATE_EVENTS
    ):
        return KakaoTemplateStatusUpdate
    webhook = classify(product_name, event, carries_template_code=False)
    if webhook is None:
        raise UsageError(f"unknown product/event {product!r} {event!r}; known: {_known()}")
    return webhook


def is_joined_name(name: str) -> bool:
    """Whether ``name`` is PRODUCT and EVENT in one word (``sms-message-result-update``)."""
    return fold_name(name) in _JOINED_NAMES


def sample_name(text: str) -> str:
    """``decode --sample``: a bundled sample's name, spelt as a name or as PRODUCT EVENT."""
    webhook = _JOINED_NAMES.get(fold_name(text))
    if webhook is None:
        raise argparse.ArgumentTypeError(
            f"no bundled sample {text!r}; known: {', '.join(sorted(SAMPLE_NAMES.values()))}"
        )
    return SAMPLE_NAMES[webhook]


def _joined_webhook_class(name: str) -> type[Envelope]:
    """The class for PRODUCT and EVENT given as one word (``sms-message-result-update``)."""
    webhook = _JOINED_NAMES.get(fold_name(name))
    if webhook is not None:
        return webhook
    if fold_name(_SHORT_PRODUCTS.get(fold_name(name), name)) in _PRODUCTS:
        raise UsageError(
            "give both PRODUCT and EVENT, or one name such as sms-message-result-update"
        )
    raise UsageError(f"unknown webhook {name!r}; known: {_known()}")


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


def _command_line_name(webhook: type[Envelope]) -> str:
    product = {"kakaotalkbizmessage": "kakao"}.get(fold_name(webhook.PRODUCT_NAME), "")
    event = (webhook.EVENT or "template").lower().replace("_", "-")
    return f"{product or webhook.PRODUCT_NAME.lower()} {event}"
