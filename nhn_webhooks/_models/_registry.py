"""The registry of webhook classes: every modelled (product, event), and the union.

Each class carries its own facts as class attributes (``PRODUCT_NAME``, ``EVENT``,
its bundled sample, its timestamp separator), so nothing here is paired by position.
The ``Webhook`` union is the one list (a type checker needs it written out);
``WEBHOOK_CLASSES`` is read from it.
"""

from __future__ import annotations

from typing import TypeAlias, get_args

from ._email import EmailMessageResultUpdate, EmailUnsubscribe
from ._envelope import Envelope, UnknownWebhook
from ._kakao import KakaoMessageResultUpdate, KakaoTemplateStatusUpdate
from ._sms import (
    SmsConversionBlock,
    SmsInternationalDeliveryReceipt,
    SmsMessageResultUpdate,
    SmsUnsubscribe,
)

__all__ = ["WEBHOOK_CLASSES", "Webhook"]

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

WEBHOOK_CLASSES: tuple[type[Envelope], ...] = tuple(
    cls for cls in get_args(Webhook) if cls is not UnknownWebhook
)
"""Every modelled (product, event) class, in NHN's documentation order."""
