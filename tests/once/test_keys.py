"""Replays and repeats: the keys that name a POST or a hook."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_type_hints

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
import nhn_webhooks._once._tokens
from nhn_webhooks.testing import strategies as nws
from tests.conftest import examples, sample_dict, to_body

ROOT = Path(__file__).parent.parent.parent
DOCS = ROOT / "docs"


def sms_result(hooks_id: str = "P1", *hook_ids: str, **envelope: Any) -> nw.SmsMessageResultUpdate:
    data = sample_dict("sms-message-result-update")
    data.update(hooksId=hooks_id, **envelope)
    data["hooks"] = [dict(data["hooks"][0], hookId=hook_id) for hook_id in hook_ids or ("H1",)]
    webhook = nw.decode(to_body(data))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    return webhook


# --- keys ------------------------------------------------------------------------


def test_replayed_post_has_the_same_post_key() -> None:
    assert nw.idempotency_key(sms_result("P1")) == nw.idempotency_key(sms_result("P1"))


def test_different_posts_have_different_post_keys() -> None:
    assert nw.idempotency_key(sms_result("P1")) != nw.idempotency_key(sms_result("P2"))


def test_repeated_hook_has_the_same_key_in_another_post() -> None:
    first, second = sms_result("P1", "H1"), sms_result("P2", "H1")
    assert nw.idempotency_key(first, first.hooks[0]) == nw.idempotency_key(second, second.hooks[0])


def test_hooks_of_one_post_have_different_keys() -> None:
    webhook = sms_result("P1", "H1", "H2")
    keys = {nw.idempotency_key(webhook, hook) for hook in webhook.hooks}
    assert len(keys) == 2


def test_post_key_and_hook_key_differ_for_the_same_id() -> None:
    webhook = sms_result("X", "X")
    assert nw.idempotency_key(webhook) != nw.idempotency_key(webhook, webhook.hooks[0])


def test_product_spelling_does_not_change_the_key() -> None:
    upper, mixed = sms_result(productName="SMS"), sms_result(productName="Sms")
    assert nw.idempotency_key(upper, upper.hooks[0]) == nw.idempotency_key(mixed, mixed.hooks[0])


def test_keys_are_scoped_to_app_key_and_product() -> None:
    sms = sms_result("P1", "H1")
    other_app = sms_result("P1", "H1", appKey="another-app")
    data = sample_dict("email-unsubscribe")
    data.update(hooksId="P1", appKey=sms.app_key)
    data["hooks"][0]["hookId"] = "H1"
    email = nw.decode(to_body(data))
    keys = {nw.idempotency_key(w, w.hooks[0]) for w in (sms, other_app, email)}
    assert len(keys) == 3


def test_separators_in_ids_cannot_make_two_scopes_collide() -> None:
    left = sms_result("P", "b:c", appKey="a")
    right = sms_result("P", "c", appKey="a:b")
    assert nw.idempotency_key(left, left.hooks[0]) != nw.idempotency_key(right, right.hooks[0])


def test_key_has_a_fixed_short_shape_whatever_the_id() -> None:
    webhook = sms_result("P" * 1_000_000, "H" * 1_000_000)
    for key in (nw.idempotency_key(webhook), nw.idempotency_key(webhook, webhook.hooks[0])):
        assert re.fullmatch(r"nhn-webhooks:(post|hook):[0-9a-f]{32}", key)


def test_key_is_stable_across_versions() -> None:
    # Shared stores outlive deployments: a new release must compute the same key.
    # (Hook keys changed once, when they took in what the hook is about.)
    webhook = sms_result("P-1", "H-1", productName="SMS", appKey="app-1")
    assert nw.idempotency_key(webhook) == "nhn-webhooks:post:aa6910a90718e0afabe2442482950d1d"
    assert (
        nw.idempotency_key(webhook, webhook.hooks[0])
        == "nhn-webhooks:hook:32d138c1b69ab7752fa831e2b807fdba"
    )


PINNED_HOOK_KEYS = {
    "sms-unsubscribe": "nhn-webhooks:hook:1e3385d8c19cba3e9cabf287505fdda6",
    "sms-message-result-update": "nhn-webhooks:hook:fd132596696d562961773687b4a973f5",
    "sms-conversion-block": "nhn-webhooks:hook:c9b03df54c6c50af70a36145dd9fd847",
    "sms-international-delivery-receipt": "nhn-webhooks:hook:1b1917e2f3bff8691a898b8cd0217dc8",
    "kakao-template-status-update": "nhn-webhooks:hook:a94ef9c222f388984569210d3f31d20e",
    "kakao-message-result-update": "nhn-webhooks:hook:9d93c84c3187d978deb4c6900749637d",
    "email-unsubscribe": "nhn-webhooks:hook:ed3865e1817ab354f05aab1ccee0faa1",
    "email-message-result-update": "nhn-webhooks:hook:352fcedc0136a0ea318d6b428bd9af63",
}


@pytest.mark.parametrize("sample", sorted(PINNED_HOOK_KEYS))
def test_every_hook_class_has_a_stable_key(sample: str) -> None:
    webhook = nw.decode(to_body(sample_dict(sample)))
    assert nw.idempotency_key(webhook, webhook.hooks[0]) == PINNED_HOOK_KEYS[sample]


def test_hooks_of_one_post_sharing_a_hook_id_keep_their_own_keys() -> None:
    # NHN's own samples give the hooks the POST's id: hookId == hooksId.
    data = sample_dict("sms-message-result-update")
    first = dict(data["hooks"][0], hookId=data["hooksId"], requestId="R1", recipientSeq=1)
    data["hooks"] = [first, dict(first, recipientSeq=2), dict(first, requestId="R2")]
    webhook = nw.decode(to_body(data))
    keys = [nw.idempotency_key(webhook, hook) for hook in webhook.hooks]
    assert len(set(keys)) == 3
    replayed = nw.decode(to_body(dict(data, hooksId="another POST")))
    assert [nw.idempotency_key(replayed, hook) for hook in replayed.hooks] == keys


# What names the message (or recipient, country, template) each hook is about: the
# fields two hooks must share to be one event, whatever their hookIds.
ABOUT = {
    nw.SmsMessageResultHook: ("request_id", "recipient_seq"),
    nw.SmsDeliveryReceiptHook: ("request_id", "recipient_seq"),
    nw.KakaoMessageResultHook: ("request_id", "recipient_seq"),
    nw.EmailMessageResultHook: ("request_id", "mail_seq"),
    nw.SmsUnsubscribeHook: ("recipient_no", "unsubscribe_no"),
    nw.EmailUnsubscribeHook: ("receive_mail_addr",),
    nw.SmsConversionBlockHook: ("country_code",),
    nw.KakaoTemplateStatusHook: ("sender_key", "template_code"),
}


@settings(max_examples=examples(400))
@given(st.data())
def test_hooks_naming_different_messages_never_share_a_key(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(nw.WEBHOOK_CLASSES))
    first = nw.decode(data.draw(nws.bodies(cls, max_hooks=1)))
    second = nw.decode(data.draw(nws.bodies(cls, max_hooks=1)))
    hook = first.hooks[0]
    fields = ABOUT[type(hook)]
    other = msgspec.structs.replace(second.hooks[0], hook_id=hook.hook_id)  # one hookId
    if data.draw(st.booleans()):  # the same message, in another state
        other = msgspec.structs.replace(other, **{name: getattr(hook, name) for name in fields})
    same = all(getattr(hook, name) == getattr(other, name) for name in fields)
    key = nw.idempotency_key(first, hook)
    assert (nw.idempotency_key(first, other) == key) == same
    # A true redelivery, in another POST or re-encoded, keeps the key.
    carried = msgspec.structs.replace(
        second, hooks=[hook], product_name=first.product_name, app_key=first.app_key
    )
    assert nw.idempotency_key(carried, hook) == key
    again = nw.decode(nw.encode(first))
    assert nw.idempotency_key(again, again.hooks[0]) == key


def test_the_key_rule_covers_every_hook_class() -> None:
    hooks = {get_args(get_type_hints(cls)["hooks"])[0] for cls in nw.WEBHOOK_CLASSES}
    assert hooks == set(ABOUT)


PUSH = {"hooksId": "P1", "webhookConfigId": "C1", "productName": "Push", "appKey": "A"}
PUSH["event"] = "SENT"


def test_unknown_webhook_hooks_are_keyed_by_their_hook_id() -> None:
    body = {**PUSH, "hooks": [{"hookId": "H1"}, {"hookId": "H2"}]}
    webhook = nw.decode(to_body(body))
    assert isinstance(webhook, nw.UnknownWebhook)
    first, second = (nw.idempotency_key(webhook, hook) for hook in webhook.hooks)
    assert first != second
    assert nw.idempotency_key(webhook).startswith("nhn-webhooks:post:")


@pytest.mark.parametrize(
    ("body", "hook_index", "wire"),
    [
        ({**PUSH, "hooks": [{}]}, 0, "hookId"),
        ({**PUSH, "hooks": [{"hookId": 7}]}, 0, "hookId"),
    ],
)
def test_missing_id_is_a_value_error(
    body: dict[str, Any], hook_index: int | None, wire: str
) -> None:
    webhook = nw.decode(to_body(body))
    hook = None if hook_index is None else webhook.hooks[hook_index]
    with pytest.raises(ValueError, match=wire):
        nw.idempotency_key(webhook, hook)


def test_every_decoded_post_has_a_post_key() -> None:
    # A POST without hooksId is not a webhook: decode rejects it, so a handler
    # never reaches idempotency_key() with one.
    with pytest.raises(nw.DecodeError, match="hooksId"):
        nw.decode(to_body({"productName": "Push", "hooks": []}))
    unknown = nw.decode(to_body({**PUSH, "hooks": []}))
    assert nw.idempotency_key(unknown).startswith("nhn-webhooks:post:")
