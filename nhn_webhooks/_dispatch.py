"""Which class a body decodes to, from the envelope's productName and event.

Those names sit beside the hooks rather than inside them, so msgspec's tagged unions
cannot pick the class. :func:`classify` is the rule; :func:`guess` applies it to the
raw bytes cheaply for the fast path, and :func:`confirms` checks the guess against
the decoded envelope, so a wrong guess only ever costs time.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, TypeAlias

import msgspec

from ._common import Envelope, UnknownWebhook
from ._email import EmailMessageResultUpdate, EmailUnsubscribe
from ._kakao import KakaoMessageResultUpdate, KakaoTemplateStatusUpdate
from ._model import Model
from ._sms import (
    SmsConversionBlock,
    SmsInternationalDeliveryReceipt,
    SmsMessageResultUpdate,
    SmsUnsubscribe,
)

__all__ = [
    "WEBHOOK_CLASSES",
    "Guess",
    "Webhook",
    "candidates",
    "classify",
    "confirms",
    "fold_name",
    "guess",
]

Webhook: TypeAlias = (
    SmsUnsubscribe
    | SmsMessageResultUpdate
    | SmsConversionBlock
    | SmsInternationalDeliveryReceipt
    | KakaoTemplateStatusUpdate
    | KakaoMessageResultUpdate
    | EmailUnsubscribe
    | EmailMessageResultUpdate
    | UnknownWebhook
)
"""Everything :func:`decode` returns: one class per (product, event), or UnknownWebhook.

``match`` on it (or ``isinstance``) and mypy narrows to the class and its hooks.
"""

WEBHOOK_CLASSES: tuple[type[Envelope], ...] = (
    SmsUnsubscribe,
    SmsMessageResultUpdate,
    SmsConversionBlock,
    SmsInternationalDeliveryReceipt,
    KakaoTemplateStatusUpdate,
    KakaoMessageResultUpdate,
    EmailUnsubscribe,
    EmailMessageResultUpdate,
)
"""Every modelled (product, event) class, in NHN's documentation order."""


def classify(
    product_name: object, event: object, carries_template_code: bool
) -> type[Envelope] | None:
    """The class for an envelope's productName and event, or None if not modelled.

    Names match ignoring case, spaces, hyphens and underscores (``Sms``, ``E-mail``).
    NHN never documented the name of the KakaoTalk Bizmessage template event, so
    under that product any other event whose hooks carry ``templateCode`` is a
    template status update. ``MESSAGE_RESULT_UPDATE`` is always a message result
    first (AlimTalk results may one day carry a template code too); should its hooks
    not fit, a body whose hooks carry ``templateCode`` is tried as a template update.
    """
    found = candidates(product_name, event, carries_template_code)
    return found[0] if found else None


def candidates(
    product_name: object, event: object, carries_template_code: bool
) -> tuple[type[Envelope], ...]:
    """The classes to try, in order, for an envelope's names and hook shape."""
    if not isinstance(product_name, str):
        return ()
    product = fold_name(product_name)
    folded_event = fold_name(event) if isinstance(event, str) else None
    if product == _KAKAO:
        found: tuple[type[Envelope], ...] = ()
        if folded_event == _KAKAO_RESULT_EVENT:
            found = (KakaoMessageResultUpdate,)
        if carries_template_code:
            found += (KakaoTemplateStatusUpdate,)
        return found
    cls = _DOCUMENTED.get((product, folded_event or ""))
    return () if cls is None else (cls,)


# --- names -----------------------------------------------------------------------


def fold_name(name: str) -> str:
    """A productName or event as compared: case, whitespace, ``-`` and ``_`` ignored."""
    return "".join(name.split()).replace("-", "").replace("_", "").casefold()


_DOCUMENTED: dict[tuple[str, str], type[Envelope]] = {
    (fold_name(cls.PRODUCT_NAME), fold_name(cls.EVENT)): cls
    for cls in WEBHOOK_CLASSES
    if cls.EVENT is not None
}
_KAKAO = fold_name(KakaoTemplateStatusUpdate.PRODUCT_NAME)
_KAKAO_RESULT_EVENT = fold_name(KakaoMessageResultUpdate.EVENT or "")


# --- fast path -------------------------------------------------------------------

_ALL_CLASSES: tuple[type[Model], ...] = (*WEBHOOK_CLASSES, UnknownWebhook)
_DECODERS: dict[type[Model], msgspec.json.Decoder[Any]] = {
    cls: msgspec.json.Decoder(cls) for cls in _ALL_CLASSES
}
"""One decoder per class, built at import (about 1 ms for all), which Python's import
lock keeps to one thread: msgspec builds a Struct's type information on first use and can crash when
several threads do so at once. Building every decoder here also builds the type
information the careful path (``msgspec.convert``) and ``encode`` use later."""


def _decoder(cls: type[Envelope]) -> msgspec.json.Decoder[Any]:
    return _DECODERS[cls]


class Guess(NamedTuple):
    """A likely class for a body, and the envelope names that led to it."""

    route: type[Envelope]
    decoder: msgspec.json.Decoder[Any]
    product_name: str
    event: str


_GUESSES: dict[tuple[Any, Any], Guess | None] = {}
_GUESSES_MAX = 1024  # distinct (productName, event) spellings remembered

_PRODUCT_BYTES = re.compile(rb'"productName"\s*:\s*"([^"\\]*)"')
_EVENT_BYTES = re.compile(rb'"event"\s*:\s*"([^"\\]*)"')
_PRODUCT_TEXT = re.compile(r'"productName"\s*:\s*"([^"\\]*)"')
_EVENT_TEXT = re.compile(r'"event"\s*:\s*"([^"\\]*)"')


def guess(body: Any) -> Guess | None:
    """The class the body probably is, from productName/event found in the raw text.

    The search is naive (an escaped quote or a key inside a hook can fool it); the
    decoded envelope must confirm the guess, so being wrong only costs time. It reads
    only the two names: scanning a large body for anything else costs more than
    decoding it.
    """
    product: Any
    event: Any
    if isinstance(body, str):
        product, event = _PRODUCT_TEXT.search(body), _EVENT_TEXT.search(body)
    else:
        product, event = _PRODUCT_BYTES.search(body), _EVENT_BYTES.search(body)
    if product is None or event is None:
        return None
    key = (product[1], event[1])
    try:
        return _GUESSES[key]
    except KeyError:
        guess = _names_guess(*key)
    if len(_GUESSES) < _GUESSES_MAX:
        _GUESSES[key] = guess
    return guess


def _names_guess(product: str | bytes, event: str | bytes) -> Guess | None:
    """The likely class for raw names: under KakaoTalk a template update unless the
    event is the documented message result (the hooks' shape is checked later)."""
    product_name = product if isinstance(product, str) else product.decode(errors="replace")
    event_name = event if isinstance(event, str) else event.decode(errors="replace")
    found = candidates(product_name, event_name, carries_template_code=True)
    if not found:
        return None
    return Guess(found[0], _decoder(found[0]), product_name, event_name)


def confirms(guess: Guess, webhook: Webhook) -> bool:
    """Whether the careful path would pick the class the fast path decoded to."""
    if guess.route is KakaoTemplateStatusUpdate and not webhook.hooks:
        return False  # the shape rule needs a hook that carried templateCode
    if webhook.product_name == guess.product_name and webhook.event == guess.event:
        return True  # the names the guess was made from: the usual case
    found = candidates(webhook.product_name, webhook.event, carries_template_code=True)
    return bool(found) and found[0] is guess.route
