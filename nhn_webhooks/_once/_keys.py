"""Keys for replays and repeats: :func:`idempotency_key`.

NHN's signature is the same string on every POST, with no timestamp, so a captured
request can be sent again and still pass the check; and NHN may deliver the same hook
twice. Two ids tell them apart:

- ``hooksId`` names one POST: a replay of the whole request carries the same one;
- ``hookId`` names one event: a repeat delivery carries it again, even inside a
  different POST.

A store (``_protocols``) then lets one worker at a time process each key.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from .._dispatch import fold_name
from .._models._email import EmailMessageResultHook, EmailUnsubscribeHook
from .._models._kakao import KakaoMessageResultHook, KakaoTemplateStatusHook
from .._models._registry import Webhook
from .._models._sms import (
    SmsConversionBlockHook,
    SmsDeliveryReceiptHook,
    SmsMessageResultHook,
    SmsUnsubscribeHook,
)

__all__ = ["KEY_PREFIX", "idempotency_key"]

KEY_PREFIX = "nhn-webhooks:"


def idempotency_key(webhook: Webhook, hook: object | None = None) -> str:
    """A key that is the same each time NHN sends the same POST, or the same hook.

    ``idempotency_key(webhook)`` keys the POST on its ``hooksId`` (a replayed request).
    ``idempotency_key(webhook, hook)`` keys one hook (a repeated delivery, whatever
    POST carries it) on its ``hookId`` and on what the hook is about, so that two hooks
    naming different messages never share a key even if NHN gave them one ``hookId``
    (its own examples give a POST's hooks the POST's id):

    - a message result or delivery receipt (SMS, KakaoTalk): ``requestId`` and
      ``recipientSeq``; an Email result: ``requestId`` and ``mailSeq``;
    - an unsubscribe: ``recipientNo`` and ``unsubscribeNo`` (SMS),
      ``receiveMailAddr`` (Email);
    - a blocked country: ``countryCode``; a template update: ``senderKey`` and
      ``templateCode``;
    - a hook of an :class:`UnknownWebhook` (a dict): its ``hookId`` alone.

    Either key is scoped to the product and app key, so ids from different services
    never collide, and hashed, so the key is short, safe in any store, and stable
    across processes and versions::

        nhn-webhooks:hook:3f0c9a...  (32 hex digits)

    ``hook`` is one of ``webhook.hooks`` (a model, or a dict for
    :class:`UnknownWebhook`). Raises ``ValueError`` when the id is missing or not a
    string, which only an :class:`UnknownWebhook` can lack.
    """
    ident: object
    if hook is None:
        kind, ident, about = "post", webhook.hooks_id, []
    else:
        kind, ident, about = "hook", _hook_id(hook), _about(hook)
    if not isinstance(ident, str):
        wire = "hooksId" if hook is None else "hookId"
        raise ValueError(f"cannot key this {kind}: {wire} is missing or not a string")
    import hashlib  # deferred: it costs milliseconds at import, long before a webhook

    # ``Sms`` is ``SMS``, as in decode(); a test pins a key, so a change to the folding
    # rule that would change stored keys cannot go unnoticed.
    product = fold_name(webhook.product_name or "")
    scope = msgspec.json.encode([product, webhook.app_key or "", ident, *about])
    digest = hashlib.blake2b(scope, digest_size=16, person=kind.encode()).hexdigest()
    return f"{KEY_PREFIX}{kind}:{digest}"


def _hook_id(hook: object) -> object:
    if isinstance(hook, Mapping):
        return hook.get("hookId")
    return getattr(hook, "hook_id", None)


# What each hook class is about, for its key: a tag naming the kind of hook (so two
# kinds with equal fields differ), then the fields that name the message, recipient,
# country or template. Tags and field order are part of every stored key: never
# change them, only add classes.
_ABOUT: dict[type, tuple[str, tuple[str, ...]]] = {
    SmsMessageResultHook: ("message-result", ("request_id", "recipient_seq")),
    SmsDeliveryReceiptHook: ("delivery-receipt", ("request_id", "recipient_seq")),
    KakaoMessageResultHook: ("message-result", ("request_id", "recipient_seq")),
    EmailMessageResultHook: ("message-result", ("request_id", "mail_seq")),
    SmsUnsubscribeHook: ("unsubscribe", ("recipient_no", "unsubscribe_no")),
    EmailUnsubscribeHook: ("unsubscribe", ("receive_mail_addr",)),
    SmsConversionBlockHook: ("conversion-block", ("country_code",)),
    KakaoTemplateStatusHook: ("template-status", ("sender_key", "template_code")),
}


def _about(hook: object) -> list[object]:
    about = _ABOUT.get(type(hook))
    if about is None:  # a dict of an UnknownWebhook: nothing known but its hookId
        return []
    tag, fields = about
    return [tag, *(getattr(hook, name) for name in fields)]
