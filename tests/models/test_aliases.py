"""The alias rule, one for every alias: the documented key, when present and not null,
is read and the alias ignored whatever it holds; otherwise the alias is read and
validated like the documented key."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import pytest

import nhn_webhooks as nw
from nhn_webhooks import KST
from tests.conftest import sample_dict, to_body


class Alias(NamedTuple):
    sample: str
    documented: str
    alias: str
    attribute: str
    value: Any
    reads: Any
    other: Any
    other_reads: Any


LINK = {"self": {"href": "https://x/1"}}
OTHER_LINK = {"self": {"href": "https://x/2"}}
ALIASES = [
    Alias(
        "sms-message-result-update",
        "recipientGroupingKey",
        "recipientGropuingKey",
        "recipient_grouping_key",
        "G1",
        "G1",
        "G2",
        "G2",
    ),
    Alias(
        "sms-message-result-update", "_links", "_link", "links", LINK, LINK, OTHER_LINK, OTHER_LINK
    ),
    Alias(
        "kakao-message-result-update",
        "_links",
        "_link",
        "links",
        LINK,
        LINK,
        OTHER_LINK,
        OTHER_LINK,
    ),
    Alias(
        "email-message-result-update",
        "_links",
        "_link",
        "links",
        LINK,
        LINK,
        OTHER_LINK,
        OTHER_LINK,
    ),
    Alias(
        "email-message-result-update",
        "senderGroupingKey",
        "senderGroupKey",
        "sender_grouping_key",
        "G1",
        "G1",
        "G2",
        "G2",
    ),
    Alias(
        "sms-conversion-block",
        "blockedDateTime",
        "createdDateTime",
        "blocked_date_time",
        "2024-05-28T09:00:00.000+09:00",
        datetime(2024, 5, 28, 9, tzinfo=KST),
        "2023-06-01",
        datetime(2023, 6, 1, tzinfo=KST),
    ),
]
IDS = [f"{a.sample.split('-')[0]}-{a.alias}" for a in ALIASES]
JUNK = [5, "", [], {"self": 5}, "yesterday"]


def read(alias: Alias, wire: dict[str, Any]) -> Any:
    data = sample_dict(alias.sample)
    hook = data["hooks"][0]
    hook.pop(alias.documented, None)
    hook.update(wire)
    value = nw.decode(to_body(data)).hooks[0]
    for step in alias.attribute.split("."):
        value = getattr(value, step)
    return value


def normalized(value: Any) -> Any:
    return nw.Links(self=nw.Link(href=value["self"]["href"])) if isinstance(value, dict) else value


@pytest.mark.parametrize("alias", ALIASES, ids=IDS)
@pytest.mark.parametrize("junk", JUNK)
def test_documented_key_wins_whatever_the_alias_holds(alias: Alias, junk: Any) -> None:
    wire = {alias.documented: alias.value, alias.alias: junk}
    assert read(alias, wire) == normalized(alias.reads)


@pytest.mark.parametrize("alias", ALIASES, ids=IDS)
@pytest.mark.parametrize("documented", ["absent", None], ids=["absent", "null"])
def test_alias_is_read_when_the_documented_key_is_absent_or_null(
    alias: Alias, documented: Any
) -> None:
    wire = {} if documented == "absent" else {alias.documented: None}
    wire[alias.alias] = alias.other
    assert read(alias, wire) == normalized(alias.other_reads)


@pytest.mark.parametrize("alias", ALIASES, ids=IDS)
@pytest.mark.parametrize("documented", ["absent", None], ids=["absent", "null"])
def test_alias_read_in_its_place_is_validated_and_named(alias: Alias, documented: Any) -> None:
    wire: dict[str, Any] = {} if documented == "absent" else {alias.documented: None}
    wire[alias.alias] = 5
    with pytest.raises(nw.DecodeError) as caught:
        read(alias, wire)
    assert caught.value.path.startswith(f"$.hooks[0].{alias.alias}")


def test_the_rule_is_written_in_the_quirks_page() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "quirks.md").read_text()
    assert "present and not null" in page
