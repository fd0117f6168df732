"""Every entry of the quirk registry, run as a fixture; and the alias mechanism."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import nhn_webhooks as nw
from nhn_webhooks._models._quirks import DELETE, QUIRKS, Quirk, aliases_for
from tests.conftest import SAMPLES, sample_dict, to_body


def apply(data: Any, changes: dict[str, Any]) -> Any:
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = data
        for step in parents:
            node = node[int(step)] if isinstance(node, list) else node[step]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return data


def read(obj: Any, dotted: str) -> Any:
    for step in dotted.split("."):
        obj = obj[int(step)] if isinstance(obj, list) else getattr(obj, step)
    return obj


@pytest.mark.parametrize("quirk", QUIRKS, ids=[q.name for q in QUIRKS])
def test_quirk_fixture_decodes_to_the_expected_values(quirk: Quirk) -> None:
    data = apply(sample_dict(quirk.sample), quirk.changes)
    webhook = nw.decode(to_body(data))
    assert type(webhook).__name__ != "UnknownWebhook"
    for dotted, value in quirk.expect.items():
        assert read(webhook, dotted) == value, dotted


@pytest.mark.parametrize("quirk", QUIRKS, ids=[q.name for q in QUIRKS])
def test_quirk_entries_are_complete(quirk: Quirk) -> None:
    assert quirk.sample in SAMPLES
    assert quirk.shown_in.strip()
    assert quirk.changes
    assert quirk.expect


def test_quirk_names_are_unique() -> None:
    names = [quirk.name for quirk in QUIRKS]
    assert len(names) == len(set(names))


def _value_for(wire: str, tag: str) -> Any:
    if wire.startswith("_link"):
        return {"self": {"href": f"https://{tag}.example"}}
    if "Date" in wire:
        return "2030-01-01T00:00:00+09:00" if tag == "alias" else "2031-01-01T00:00:00+09:00"
    return tag


@pytest.mark.parametrize(
    "quirk", [q for q in QUIRKS if q.alias], ids=[q.name for q in QUIRKS if q.alias]
)
def test_documented_spelling_wins_when_both_are_present(quirk: Quirk) -> None:
    assert quirk.alias is not None
    model_name, attribute, alias_wire = quirk.alias
    model = getattr(nw, model_name)
    documented_wire = dict(
        zip(model.__struct_fields__, model.__struct_encode_fields__, strict=True)
    )[attribute]
    data = sample_dict(quirk.sample)
    hook = data["hooks"][0]
    hook.pop(alias_wire, None)
    hook[documented_wire] = _value_for(documented_wire, "documented")
    only_documented = getattr(nw.decode(to_body(data)).hooks[0], attribute)
    hook[alias_wire] = _value_for(alias_wire, "alias")
    both = getattr(nw.decode(to_body(data)).hooks[0], attribute)
    del hook[documented_wire]
    only_alias = getattr(nw.decode(to_body(data)).hooks[0], attribute)
    assert both == only_documented
    assert only_alias != only_documented
    assert only_alias is not None


@pytest.mark.parametrize(
    ("sample", "typo", "documented"),
    [
        ("sms-message-result-update", "recipientGropuingKey", "recipientGroupingKey"),
        ("email-message-result-update", "senderGroupKey", "senderGroupingKey"),
    ],
)
def test_typo_fills_the_grouping_key_only_when_the_documented_key_is_absent(
    sample: str, typo: str, documented: str
) -> None:
    data = sample_dict(sample)
    hook = data["hooks"][0]
    hook.pop(typo, None)
    hook[typo] = "typo-value"
    hook[documented] = "documented-value"
    both = nw.decode(to_body(data)).hooks[0]
    del hook[documented]
    only_typo = nw.decode(to_body(data)).hooks[0]
    attribute = "recipient_grouping_key" if "recipient" in documented else "sender_grouping_key"
    assert getattr(both, attribute) == "documented-value"
    assert getattr(only_typo, attribute) == "typo-value"


def test_link_and_links_both_fill_links() -> None:
    data = sample_dict("sms-message-result-update")
    hook = data["hooks"][0]
    singular = nw.decode(to_body(data))
    hook["_links"] = hook.pop("_link")
    plural = nw.decode(to_body(data))
    assert singular.hooks[0].links == plural.hooks[0].links
    assert plural.hooks[0].links.self.href.endswith("recipientSeq=1")  # type: ignore[union-attr]


def test_required_alias_prefers_the_documented_key() -> None:
    data = sample_dict("sms-conversion-block")
    data["hooks"][0]["createdDateTime"] = "1999-01-01T00:00:00+09:00"
    hook = nw.decode(to_body(data)).hooks[0]
    assert hook.blocked_date_time.year == 2024  # type: ignore[union-attr]


def test_required_alias_still_fails_when_both_keys_are_missing() -> None:
    data = sample_dict("sms-conversion-block")
    del data["hooks"][0]["blockedDateTime"]
    with pytest.raises(nw.DecodeError) as caught:
        nw.decode(to_body(data))
    assert caught.value.path == "$.hooks[0].blockedDateTime"


def test_every_alias_names_a_real_field() -> None:
    for quirk in QUIRKS:
        if quirk.alias:
            model_name, attribute, _ = quirk.alias
            model = getattr(nw, model_name)
            assert attribute in model.__struct_fields__


def test_aliases_for_collects_every_spelling_of_a_model() -> None:
    assert aliases_for("SmsMessageResultHook") == {
        "recipient_grouping_key": ("recipientGropuingKey",),
        "links": ("_link",),
    }
    assert aliases_for("NoSuchModel") == {}


def test_an_alias_for_an_unknown_field_is_rejected_at_class_creation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nhn_webhooks._models import _base as _model

    monkeypatch.setattr(_model, "aliases_for", lambda name: {"nope": ("wireNope",)})
    with pytest.raises(TypeError, match="unknown fields"):

        class Broken(_model.Model, frozen=True, kw_only=True):
            real: str


def test_a_new_alias_entry_is_all_a_new_spelling_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    from nhn_webhooks._models import _base as _model

    monkeypatch.setattr(_model, "aliases_for", lambda name: {"grouping_key": ("groupingKye",)})

    class Demo(_model.Model, frozen=True, kw_only=True):
        grouping_key: str | None = None

    assert msgspec.json.decode(b'{"groupingKye": "k"}', type=Demo).grouping_key == "k"
    assert msgspec.json.decode(b'{"groupingKey": "k2"}', type=Demo).grouping_key == "k2"
