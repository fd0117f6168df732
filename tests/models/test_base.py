"""The model base: attributes as handlers read them, raw values kept as sent."""

from __future__ import annotations

import copy
import inspect
import pickle
import traceback
import typing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest

import nhn_webhooks as nw
from tests.conftest import SAMPLES, sample_dict, to_body

KST = timezone(timedelta(hours=9))


def sms_result() -> nw.SmsMessageResultUpdate:
    webhook = nw.decode(to_body(sample_dict("sms-message-result-update")))
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    return webhook


def test_repr_shows_public_attributes_as_read() -> None:
    text = repr(sms_result().hooks[0])
    assert "request_date=datetime.datetime(2024, 4, 29, 20, 58, 2, tzinfo=" in text
    assert "recipient_grouping_key='RecipientGroupingKey'" in text
    assert "Gropuing" not in text
    assert "_wire_" not in text


def test_models_are_frozen_and_hashable() -> None:
    webhook = sms_result()
    with pytest.raises(AttributeError):
        webhook.hooks_id = "x"  # type: ignore[misc]
    assert hash(webhook.hooks[0]) == hash(sms_result().hooks[0])


def test_equal_bodies_give_equal_webhooks() -> None:
    assert sms_result() == sms_result()


def test_pickle_and_copy_round_trip() -> None:
    webhook = sms_result()
    assert pickle.loads(pickle.dumps(webhook)) == webhook
    assert copy.deepcopy(webhook) == webhook
    assert pickle.loads(pickle.dumps(webhook)).hooks[0].request_date.tzinfo is not None


def test_constructed_model_reads_naive_datetimes_as_korea_time() -> None:
    hook = nw.SmsUnsubscribeHook(
        hook_id="h",
        recipient_no="010",
        unsubscribe_no="080",
        enterprise_name="e",
        created_date_time=datetime(2024, 1, 2, 3, 4, 5),
    )
    assert hook.created_date_time == datetime(2024, 1, 2, 3, 4, 5, tzinfo=KST)


def test_constructed_model_reads_digit_strings_as_int() -> None:
    hook = msgspec.structs.replace(sms_result().hooks[0], recipient_seq="17")  # type: ignore[arg-type]
    assert hook.recipient_seq == 17


def test_repr_shows_what_a_handler_reads_not_the_alias_slots() -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"][0]["recipientGropuingKey"] = data["hooks"][0].pop("recipientGroupingKey", "G")
    hook = nw.decode(to_body(data)).hooks[0]
    shown = repr(hook)
    assert "recipient_grouping_key=" in shown
    assert "links=" in shown
    assert "recipientGropuingKey" not in shown
    assert "_recipient_grouping_key" not in shown
    assert [name for name, _ in hook.__rich_repr__()][:2] == ["hook_id", "sender_type"]


def test_a_webhook_repr_lists_the_envelope_then_hooks() -> None:
    webhook = nw.decode(to_body(sample_dict("sms-unsubscribe")))
    assert [name for name, _ in webhook.__rich_repr__()] == [
        "hooks_id",
        "webhook_config_id",
        "product_name",
        "app_key",
        "event",
        "hooks",
    ]


def test_generated_getters_are_debuggable_functions() -> None:
    getter = nw.SmsMessageResultHook.recipient_seq.fget  # type: ignore[attr-defined]
    assert getter.__name__ == "recipient_seq"
    assert getter.__qualname__ == "SmsMessageResultHook.recipient_seq"
    assert getter.__module__ == "nhn_webhooks._models._sms"
    source = inspect.getsource(getter)
    assert source.startswith("def recipient_seq(self):")
    assert "int(v)" in source


def test_a_failing_getter_shows_its_source_line_in_the_traceback() -> None:
    hook = msgspec.structs.replace(sms_result().hooks[0], recipient_seq="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="invalid literal") as caught:
        _ = hook.recipient_seq
    text = "".join(traceback.format_exception(caught.value))
    assert "SmsMessageResultHook" in text
    assert "return v if v.__class__ is not str else int(v)" in text


def test_hashable_exactly_as_documented() -> None:
    # Model's docstring: a model holding a list is not hashable; the others are.
    assert "not hashable" in (nw.Model.__doc__ or "")
    webhook = sms_result()
    with pytest.raises(TypeError):
        hash(webhook)
    assert hash(webhook.hooks[0]) == hash(copy.deepcopy(webhook.hooks[0]))


def test_json_schema_describes_the_wire_format() -> None:
    schema = msgspec.json.schema(nw.SmsMessageResultUpdate)
    hook = schema["$defs"]["SmsMessageResultHook"]["properties"]
    assert {"recipientGroupingKey", "recipientGropuingKey", "_links", "_link"} <= set(hook)


@pytest.mark.parametrize("cls", nw.WEBHOOK_CLASSES, ids=lambda c: c.__name__)
def test_every_webhook_class_names_its_product(cls: type[nw.Envelope]) -> None:
    assert cls.PRODUCT_NAME in {"SMS", "KakaoTalk Bizmessage", "Email"}
    assert cls.EVENT is not None or cls is nw.KakaoTemplateStatusUpdate


# --- shared options, the registry, pickles from before -----------------------------


def every_model() -> list[type[nw.Model]]:
    """Every model class a webhook can hold, reached through the field descriptions."""
    found: list[type[nw.Model]] = []
    todo: list[type[nw.Model]] = [*typing.get_args(nw.Webhook), nw.Envelope]
    while todo:
        model = todo.pop()
        if model not in found:
            found.append(model)
            todo += [field.model for field in model._model_fields if field.model is not None]
    return found


def test_the_model_base_makes_every_model_frozen_and_keyword_only() -> None:
    models = every_model()
    assert len(models) == 22
    for model in models:
        assert model.__struct_config__.frozen, model
        kinds = {p.kind for p in inspect.signature(model).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, model


def test_a_new_model_gets_the_shared_options_without_repeating_them() -> None:
    class Example(nw.Model):
        optional: int | None = None
        required: str  # after a default: only a keyword-only struct allows it

    example = Example(required="x")
    with pytest.raises(AttributeError):
        example.required = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Example("x")  # type: ignore[misc]


def test_the_webhook_union_and_the_registry_list_the_same_classes() -> None:
    assert typing.get_args(nw.Webhook) == (*nw.WEBHOOK_CLASSES, nw.UnknownWebhook)


def test_pickles_written_by_0_1_0_load_equal_and_encode_the_same() -> None:
    # Written by the package before the field descriptions and shared options moved
    # into the metaclass: a pickle names the class and holds the field values.
    fixture = Path(__file__).parents[1] / "fixtures" / "webhooks-0.1.0.pickle"
    old = pickle.loads(fixture.read_bytes())
    assert len(old) == len(SAMPLES)
    for name, webhook in old.items():
        body = (Path(nw.__file__).parent / "samples" / f"{name}.json").read_bytes()
        assert webhook == nw.decode(body)
        assert nw.encode(webhook) == nw.encode(nw.decode(body))


def test_each_field_is_described_once_with_its_kind_and_spellings() -> None:
    sms = {field.attribute: field for field in nw.SmsMessageResultHook._model_fields}
    assert (sms["request_date"].kind, sms["request_date"].required) == ("timestamp", True)
    assert (sms["receive_date"].kind, sms["receive_date"].optional) == ("timestamp", True)
    assert (sms["recipient_seq"].kind, sms["recipient_seq"].declared) == ("int", int)
    assert (sms["links"].wire, sms["links"].aliases) == ("_links", ("_link",))
    assert (sms["links"].kind, sms["links"].model) == ("model", nw.Links)
    assert sms["recipient_grouping_key"].aliases == ("recipientGropuingKey",)
    assert tuple(sms) == nw.SmsMessageResultHook._public_fields
    template = {f.attribute: f for f in nw.KakaoTemplateStatusHook._model_fields}
    assert (template["comments"].kind, template["comments"].model) == (
        "models",
        nw.KakaoTemplateComment,
    )
    comment = {f.attribute: f for f in nw.KakaoTemplateComment._model_fields}
    assert comment["id"].kind == "int_or_str"


def test_every_quirk_alias_is_in_its_fields_description() -> None:
    from nhn_webhooks._models._quirks import QUIRKS

    models = {model.__name__: model for model in every_model()}
    for quirk in QUIRKS:
        if quirk.alias is not None:
            model, attribute, wire = quirk.alias
            fields = {f.attribute: f for f in models[model]._model_fields}
            assert wire in fields[attribute].aliases, quirk.name
