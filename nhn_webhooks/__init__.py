"""Typed, validated Python objects for NHN Cloud Notification webhooks.

>>> import nhn_webhooks as nw
>>> webhook = nw.decode(request_body)          # bytes | bytearray | memoryview | str
>>> match webhook:
...     case nw.SmsMessageResultUpdate(hooks=hooks):
...         for hook in hooks:
...             print(hook.recipient_seq, hook.message_status, hook.request_date)
...     case nw.UnknownWebhook():
...         pass  # a product or event this version does not model; nothing is lost

Every (product, event) has its own class; every timestamp is a timezone-aware
datetime; every failure is a :class:`DecodeError` naming the JSON path.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from ._decode import Body, HookFailure, PartialWebhook, Signature, decode, decode_partial
from ._dispatch import classify
from ._errors import (
    BodyTooLargeError,
    DecodeError,
    SignatureError,
    StoreError,
    UnknownEventError,
    Unprocessable,
    WebhookError,
)
from ._models._base import Model
from ._models._email import (
    EmailMessageResultHook,
    EmailMessageResultUpdate,
    EmailUnsubscribe,
    EmailUnsubscribeHook,
)
from ._models._envelope import Envelope, Link, Links, UnknownWebhook
from ._models._kakao import (
    KakaoMessageResultHook,
    KakaoMessageResultUpdate,
    KakaoTemplateAttachment,
    KakaoTemplateComment,
    KakaoTemplateStatusHook,
    KakaoTemplateStatusUpdate,
)
from ._models._registry import WEBHOOK_CLASSES, Webhook
from ._models._sms import (
    SmsConversionBlock,
    SmsConversionBlockHook,
    SmsDeliveryReceiptHook,
    SmsInternationalDeliveryReceipt,
    SmsMessageResultHook,
    SmsMessageResultUpdate,
    SmsUnsubscribe,
    SmsUnsubscribeHook,
)
from ._models._timestamps import KST
from ._moved import install as _install_moved
from ._signature import SIGNATURE_HEADER, Headers, SignatureVerifier, verify_signature

_install_moved()  # pickles written before the package had folders still find their classes

if _TYPE_CHECKING:
    from . import testing as testing
    from ._encode import encode
    from ._models._values import (
        Code,
        EmailMessageType,
        EmailStatusCode,
        KakaoCommentStatus,
        KakaoMessageType,
        KakaoTemplateStatus,
        SmsDlrStatus,
        SmsMessageStatus,
        SmsSenderType,
    )
    from ._once._keys import idempotency_key
    from ._once._memory import MemoryIdempotencyStore
    from ._once._protocols import (
        AsyncBatchIdempotencyStore,
        AsyncIdempotencyStore,
        BatchIdempotencyStore,
        ClaimStatus,
        IdempotencyStore,
    )
    from ._receive._answer import Answer, Report
    from ._receive._handlers import DeadLetter
    from ._receive._receiver import Receiver
    from ._result_codes._outcome import Outcome, ResultCode, result_code, result_codes

__version__ = "0.1.0"

__all__ = [
    "KST",
    "SIGNATURE_HEADER",
    "WEBHOOK_CLASSES",
    "Answer",
    "AsyncBatchIdempotencyStore",
    "AsyncIdempotencyStore",
    "BatchIdempotencyStore",
    "Body",
    "BodyTooLargeError",
    "ClaimStatus",
    "Code",
    "DeadLetter",
    "DecodeError",
    "EmailMessageResultHook",
    "EmailMessageResultUpdate",
    "EmailMessageType",
    "EmailStatusCode",
    "EmailUnsubscribe",
    "EmailUnsubscribeHook",
    "Envelope",
    "Headers",
    "HookFailure",
    "IdempotencyStore",
    "KakaoCommentStatus",
    "KakaoMessageResultHook",
    "KakaoMessageResultUpdate",
    "KakaoMessageType",
    "KakaoTemplateAttachment",
    "KakaoTemplateComment",
    "KakaoTemplateStatus",
    "KakaoTemplateStatusHook",
    "KakaoTemplateStatusUpdate",
    "Link",
    "Links",
    "MemoryIdempotencyStore",
    "Model",
    "Outcome",
    "PartialWebhook",
    "Receiver",
    "Report",
    "ResultCode",
    "Signature",
    "SignatureError",
    "SignatureVerifier",
    "SmsConversionBlock",
    "SmsConversionBlockHook",
    "SmsDeliveryReceiptHook",
    "SmsDlrStatus",
    "SmsInternationalDeliveryReceipt",
    "SmsMessageResultHook",
    "SmsMessageResultUpdate",
    "SmsMessageStatus",
    "SmsSenderType",
    "SmsUnsubscribe",
    "SmsUnsubscribeHook",
    "StoreError",
    "UnknownEventError",
    "UnknownWebhook",
    "Unprocessable",
    "Webhook",
    "WebhookError",
    "__version__",
    "classify",
    "decode",
    "decode_partial",
    "encode",
    "idempotency_key",
    "result_code",
    "result_codes",
    "verify_signature",
]


_LAZY = {
    **dict.fromkeys(
        (
            "Code",
            "EmailMessageType",
            "EmailStatusCode",
            "KakaoCommentStatus",
            "KakaoMessageType",
            "KakaoTemplateStatus",
            "SmsDlrStatus",
            "SmsMessageStatus",
            "SmsSenderType",
        ),
        "._models._values",
    ),
    "encode": "._encode",
    **dict.fromkeys(
        ("Outcome", "ResultCode", "result_code", "result_codes"), "._result_codes._outcome"
    ),
    **dict.fromkeys(
        (
            "AsyncBatchIdempotencyStore",
            "AsyncIdempotencyStore",
            "BatchIdempotencyStore",
            "ClaimStatus",
            "IdempotencyStore",
        ),
        "._once._protocols",
    ),
    "MemoryIdempotencyStore": "._once._memory",
    "idempotency_key": "._once._keys",
    **dict.fromkeys(("Answer", "Report"), "._receive._answer"),
    "DeadLetter": "._receive._handlers",
    "Receiver": "._receive._receiver",
}
"""Public names whose modules ``decode()`` does not need, imported on first use: the
code enums alone take about as long to create as the rest of the package, and the
result-code tables (``_outcome``) are imported when a hook's ``outcome`` is first read."""


def __getattr__(name: str) -> object:
    # PEP 562. Importing is thread-safe (the import lock), and every thread gets the
    # same object; storing it makes the next look-up an ordinary module attribute.
    import importlib

    if name == "testing":
        # ``nw.testing`` without paying its import in every ``import nhn_webhooks``.
        return importlib.import_module(".testing", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
