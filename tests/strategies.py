"""The suite's own hypothesis strategies, beyond the public ones.

Bodies NHN sends, mutated bodies and the types a body arrives as come from
:mod:`nhn_webhooks.testing.strategies`, which users' tests share. Here: what only this
suite needs on top: any JSON value, valid bodies with any value msgspec accepts in any
field (``webhook_bodies``), and hostile JSON text no JSON library would write (number
literals out of range, invalid UTF-8, deep nesting, byte-level edits).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any, NamedTuple

import msgspec.inspect as mi
from hypothesis import assume
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks import classify
from nhn_webhooks._models._samples import SAMPLE_NAMES
from nhn_webhooks.testing import strategies as nws
from tests.conftest import SAMPLES, sample_dict

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

offsets = st.sampled_from([None, timedelta(0), timedelta(hours=9), timedelta(hours=-5)]) | (
    st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timedelta(minutes=m))
)
naive_datetimes = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31))


# --- valid wire bodies of every class ----------------------------------------------

wire_timestamps = nws.timestamps().map(lambda pair: pair[0]) | st.builds(
    # Shapes beyond NHN's examples that decode still reads: any microsecond, no
    # seconds, basic-format offsets (python-dateutil).
    lambda moment, offset, shape: {
        "micro": (moment.replace(tzinfo=offset) if offset else moment).isoformat(),
        "minutes": moment.strftime("%Y-%m-%dT%H:%M"),
        "basic": moment.strftime("%Y-%m-%dT%H:%M:%S") + "+0930",
    }[shape],
    naive_datetimes,
    offsets.map(lambda delta: None if delta is None else timezone(delta)),
    st.sampled_from(["micro", "minutes", "basic"]),
)
"""Timestamp texts decode() accepts, in NHN's shapes and a few more."""


@cache
def _fields(cls: type[Any]) -> tuple[mi.Field, ...]:
    return mi.type_info(cls).fields  # type: ignore[attr-defined,no-any-return]


def _spellings(name: str) -> st.SearchStrategy[str]:
    """Ways NHN (or a proxy) may spell a productName/event that still classify."""
    return st.sampled_from(
        [name, name.upper(), name.lower(), name.title(), name.replace(" ", ""), f" {name} "]
    )


def _wire_value(info: mi.Type, sample: Any) -> st.SearchStrategy[Any]:
    """A wire value msgspec's type ``info`` (from a model field) decodes."""
    if isinstance(info, mi.UnionType):
        members = [_wire_value(member, sample) for member in info.types]
        if any(isinstance(m, mi.NoneType) for m in info.types) and any(
            isinstance(m, mi.DateTimeType) for m in info.types
        ):
            members.append(st.just(""))  # an empty optional timestamp reads as None
        return st.one_of(members)
    if isinstance(info, mi.StrType):
        if info.pattern:
            return st.from_regex(info.pattern)
        text = st.text(max_size=16)
        return text | st.just(sample) if isinstance(sample, str) else text
    if isinstance(info, mi.IntType):
        return st.integers(min_value=-(2**63), max_value=2**64)
    if isinstance(info, mi.BoolType):
        return st.booleans()
    if isinstance(info, mi.NoneType):
        return st.none()
    if isinstance(info, mi.DateTimeType):
        return wire_timestamps
    if isinstance(info, mi.ListType):
        item = sample[0] if isinstance(sample, list) and sample else None
        return st.lists(_wire_value(info.item_type, item), max_size=3)
    if isinstance(info, mi.StructType):
        return wire_objects(info.cls, json.dumps(sample if isinstance(sample, dict) else {}))
    raise NotImplementedError(info)


@cache
def wire_objects(cls: type[Any], sample_json: str = "{}") -> st.SearchStrategy[dict[str, Any]]:
    """Wire objects ``cls`` decodes: required keys always, optional ones present,
    ``null`` or absent, alias spellings (``_link``, ``createdDateTime``) at random.

    ``sample_json`` (a JSON object) offers realistic values beside random ones. Built
    once per class: hypothesis validates a strategy when it is first drawn from.
    """
    sample = json.loads(sample_json)
    renames = {field.attribute: field.aliases for field in cls._model_fields}  # other spellings
    plan = [
        (
            field.required,
            not isinstance(field.type, mi.ListType),  # a list field cannot be null
            st.sampled_from([field.encode_name, *renames.get(field.name, ())]),
            _wire_value(field.type, sample.get(field.encode_name)),
        )
        for field in _fields(cls)
    ]
    presences = st.sampled_from(["value", "value", "null", "absent"])

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        wire: dict[str, Any] = {}
        for required, nullable, keys, values in plan:
            presence = "value" if required else draw(presences)
            if presence == "absent":
                continue
            key = draw(keys)
            wire[key] = None if presence == "null" and nullable else draw(values)
        return wire

    return build()


@st.composite
def webhook_bodies(draw: st.DrawFn, cls: type[Any]) -> bytes:
    """A valid POST body that decodes to ``cls`` (any webhook class, or UnknownWebhook)."""
    if cls is nw.UnknownWebhook:
        return draw(unknown_webhook_bodies())
    sample = sample_dict(SAMPLE_NAMES[cls])
    hooks_field = next(f for f in _fields(cls) if f.name == "hooks")
    hook_cls = hooks_field.type.item_type.cls
    min_hooks = 1 if cls is nw.KakaoTemplateStatusUpdate else 0
    envelope = {
        "hooksId": draw(st.text(max_size=30) | st.just(sample["hooksId"])),
        "webhookConfigId": draw(st.text(max_size=12) | st.just(sample["webhookConfigId"])),
        "productName": draw(_spellings(cls.PRODUCT_NAME)),
        "appKey": draw(st.text(max_size=20) | st.just(sample["appKey"])),
        "event": draw(st.text(max_size=30) if cls.EVENT is None else _spellings(cls.EVENT)),
        "hooks": draw(
            st.lists(
                wire_objects(hook_cls, json.dumps(sample["hooks"][0])),
                min_size=min_hooks,
                max_size=4,
            )
        ),
    }
    order = draw(st.permutations(list(envelope)))
    return json.dumps(
        {key: envelope[key] for key in order}, ensure_ascii=draw(st.booleans())
    ).encode()


@st.composite
def unknown_webhook_bodies(draw: st.DrawFn) -> bytes:
    """A body for a product or event this version does not model: every envelope
    field NHN documents, and any other top-level keys."""
    text = st.text(max_size=20)
    envelope: dict[str, Any] = {
        "hooksId": draw(text),
        "webhookConfigId": draw(text),
        "productName": draw(text | st.sampled_from(["SMS", "Email", "Push"])),
        "appKey": draw(text),
        "event": draw(text | st.sampled_from(["UNSUBSCRIBE", "MESSAGE_DELETED"])),
        "hooks": draw(
            st.lists(st.dictionaries(st.text(max_size=12), json_values, max_size=5), max_size=4)
        ),
    }
    hooks = envelope["hooks"]
    carries_template_code = any("templateCode" in hook for hook in hooks)
    assume(classify(envelope["productName"], envelope["event"], carries_template_code) is None)
    extra = draw(st.dictionaries(st.text(max_size=12), json_values, max_size=3))
    order = draw(st.permutations(list(envelope)))
    return json.dumps({**extra, **{key: envelope[key] for key in order}}).encode()


# --- hostile JSON text: what a body must survive, beyond nws.mutated_bodies() ---


class Raw(NamedTuple):
    """JSON text written verbatim: literals json.dumps would refuse or rewrite."""

    text: str


class Pairs(NamedTuple):
    """An object written pair by pair, so a key can appear twice."""

    items: list[tuple[str, Any]]


def render(node: Any) -> bytes:
    """The JSON for a tree of dicts, lists, scalars, Raw and Pairs.

    Raw text may carry arbitrary bytes as surrogate escapes (``"\\udcff"`` is the byte
    0xff), which is how invalid UTF-8 reaches the body.
    """
    return _render(node).encode("utf-8", "surrogateescape")


def _render(node: Any) -> str:
    if isinstance(node, Raw):
        return node.text
    if isinstance(node, list):
        return "[" + ",".join(_render(item) for item in node) + "]"
    if isinstance(node, (dict, Pairs)):
        items = node.items if isinstance(node, Pairs) else node.items()
        return "{" + ",".join(f"{_render_key(k)}:{_render(v)}" for k, v in items) + "}"
    return json.dumps(node, ensure_ascii=False)


def _render_key(key: str | Raw) -> str:
    """A key as JSON; a Raw key is written verbatim (invalid UTF-8 in a key name)."""
    return key.text if isinstance(key, Raw) else json.dumps(key)


INVALID_UTF8 = [
    b"\xff",
    b"\xc0\x80",  # overlong NUL
    b"\xed\xa0\x80",  # a UTF-16 surrogate, encoded as UTF-8 (CESU-8)
    b"\xe4\xbd",  # truncated multi-byte sequence
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\x80",
]


def _raw_string(content: bytes) -> Raw:
    return Raw('"' + content.decode("utf-8", "surrogateescape") + '"')


def _nested(depth: int, kind: str) -> Raw:
    if kind == "array":
        return Raw("[" * depth + "]" * depth)
    return Raw('{"a":' * depth + "null" + "}" * depth)


hostile_values: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**19, 10**20]),
    st.integers(min_value=19, max_value=4400).map(lambda digits: Raw("9" * digits)),
    st.sampled_from(
        ["NaN", "Infinity", "-Infinity", "nan", "inf", "1e400", "-1e400", "1e-400", "-0", "1E+2"]
    ).map(Raw),
    st.floats(allow_nan=False, allow_infinity=False),
    st.from_regex(r"-?[0-9]{1,25}", fullmatch=True),  # digit strings around the 19-digit cap
    st.text(max_size=30),
    st.integers(min_value=1_000, max_value=100_000).map(lambda n: "\uac00" * n),
    st.sampled_from(
        ["", "2024-02-30", "0000-01-01", "2024-04-29T25:00:00", "2024-04-29T20:58:02+24:00"]
    ),
    st.sampled_from(INVALID_UTF8).map(_raw_string),
    st.sampled_from(["\ufeff", "\u0000", "\\", '"', "\u2028"]),
    st.tuples(st.integers(min_value=1, max_value=3000), st.sampled_from(["array", "object"])).map(
        lambda args: _nested(*args)
    ),
    st.lists(st.none() | st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.none(), max_size=3),
)
"""Values that are wrong for some field, or for JSON itself."""


def _nulls_everywhere(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _nulls_everywhere(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_nulls_everywhere(item) for item in node]
    return None


@st.composite
def hostile_trees(draw: st.DrawFn, tree: Any) -> Any:
    """``tree`` with one to four hostile edits at random places."""
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        tree = _edit(draw, tree)
    return tree


def _edit(draw: st.DrawFn, node: Any) -> Any:
    if isinstance(node, dict) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node)))
        action = draw(st.sampled_from(["descend", "replace", "drop", "duplicate", "add"]))
        if action == "descend":
            node[key] = _edit(draw, node[key])
        elif action == "replace":
            node[key] = draw(hostile_values)
        elif action == "drop":
            del node[key]
        elif action == "duplicate":
            items = list(node.items())
            twin = (key, draw(hostile_values | st.just(node[key])))
            items.insert(draw(st.integers(min_value=0, max_value=len(items))), twin)
            return Pairs(items)
        else:
            node[draw(st.text(max_size=12))] = draw(hostile_values)
        return node
    if isinstance(node, list) and node and draw(st.booleans()):
        index = draw(st.integers(min_value=0, max_value=len(node) - 1))
        node[index] = _edit(draw, node[index])
        return node
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return _nulls_everywhere(node)
    return draw(hostile_values)


def _body_edits(body: bytes, draw: st.DrawFn) -> bytes:
    """Damage to the body as bytes: BOM, other encodings, stray bytes, cuts."""
    action = draw(
        st.sampled_from(["none", "none", "bom", "utf16", "utf32", "insert", "cut", "trail"])
    )
    if action == "bom":
        return b"\xef\xbb\xbf" + body
    if action in ("utf16", "utf32"):
        return body.decode(errors="surrogateescape").encode(action, "surrogatepass")
    if action == "insert":
        at = draw(st.integers(min_value=0, max_value=len(body)))
        return body[:at] + draw(st.sampled_from([*INVALID_UTF8, b"\x00", b",", b"}"])) + body[at:]
    if action == "cut":
        return body[: draw(st.integers(min_value=0, max_value=len(body)))]
    if action == "trail":
        return body + draw(st.sampled_from([b",", b"}", b" x", b"\x00", b"\n" * 3]))
    return body


@st.composite
def hostile_bodies(draw: st.DrawFn) -> bytes:
    """A valid body (bundled sample or generated) after hostile edits."""
    if draw(st.booleans()):
        tree = sample_dict(draw(st.sampled_from(SAMPLES)))
    else:
        cls = draw(st.sampled_from([*nw.WEBHOOK_CLASSES, nw.UnknownWebhook]))
        tree = json.loads(draw(webhook_bodies(cls)))
    return _body_edits(render(draw(hostile_trees(tree))), draw)


# --- bodies that once decoded differently by path, history or type ------------------

UNREAD_ODD_VALUES = [
    Raw("1e400"),
    Raw("-1e400"),
    Raw("9" * 4301),
    Raw("1e-400"),
    Raw("1.7976931348623157e308"),
    _raw_string(b"ab\xff"),
    _raw_string(b"\xed\xa0\x80"),
    Raw('{"deep": [1e400, "\\u0053"]}'),
]
"""Values no model reads, that are valid JSON syntax but not all valid Python values."""

_NAME_TOKEN = re.compile(rb'"([A-Za-z_])([^"\\]*)"')


@st.composite
def escaped_names(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` with some of its simple strings (names, keys, values) spelled with a
    ``\\u`` escape for their first letter: ``"\\u0053MS"`` is ``"SMS"``."""
    tokens = list(_NAME_TOKEN.finditer(body))
    if not tokens:
        return body
    chosen = draw(st.sets(st.integers(0, len(tokens) - 1), max_size=6))
    parts, end = [], 0
    for index in sorted(chosen):
        token = tokens[index]
        escape = b'"\\u%04x' % ord(token[1]) + token[2] + b'"'
        parts += [body[end : token.start()], escape]
        end = token.end()
    return b"".join([*parts, body[end:]])


@st.composite
def with_unread_values(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` (a JSON object) with keys no model reads added at its top level, in a
    hook, or in a hook's nested objects, holding :data:`UNREAD_ODD_VALUES`; some key
    names hold invalid UTF-8.

    A body this cannot rework comes back as it is, so drawing never fails: one nested
    past the recursion limit (RecursionError in the parse or the render), or one whose
    escaped lone surrogate (``"\\ud800"``) has no surrogate-escape byte to render as.
    """
    try:
        tree = json.loads(body)
    except (ValueError, RecursionError):
        return body
    if not isinstance(tree, dict):
        return body
    places: list[dict[str, Any]] = [tree]
    hooks = tree.get("hooks")
    if isinstance(hooks, list):
        for hook in hooks:
            if isinstance(hook, dict):
                places.append(hook)
                places.extend(value for value in hook.values() if isinstance(value, dict))
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(places))
        value = draw(st.sampled_from(UNREAD_ODD_VALUES))
        key = draw(st.sampled_from(["note", "zz", _raw_string(b"k\xff"), _raw_string(b"\xc0")]))
        place[draw(st.sampled_from(["", "_"])) + key if isinstance(key, str) else key] = value
    try:
        return render(tree)
    except (UnicodeEncodeError, RecursionError):
        return body


def one_result_bodies() -> st.SearchStrategy[bytes]:
    """Bodies that must give one result whatever came before them and whatever type
    they arrive as: hostile ones, mutated ones, with escaped names, with odd values
    under unread keys (and all of these at once)."""
    plain = hostile_bodies() | nws.mutated_bodies() | nws.bodies()
    return st.one_of(
        plain,
        plain.flatmap(escaped_names),
        plain.flatmap(with_unread_values),
        plain.flatmap(with_unread_values).flatmap(escaped_names),
    )


@st.composite
def long_content_bodies(draw: st.DrawFn) -> bytes:
    """A sample with one value or key name made thousands of characters long, or a
    number out of range at the bottom of deep arrays: what a message could echo."""
    data = sample_dict(draw(st.sampled_from(SAMPLES)))
    long = draw(st.sampled_from(["x", "\u2028", "\uac00", '"'])) * draw(st.integers(100, 5000))
    target: dict[str, Any] = draw(st.sampled_from([data, data["hooks"][0]]))
    key = draw(st.sampled_from([*target, "extra"]))
    choice = draw(st.sampled_from(["value", "key", "deep", "number"]))
    if choice == "value":
        target[key] = long
    elif choice == "key":
        target[long] = Raw("1e400")
    elif choice == "deep":
        depth = draw(st.integers(50, 300))
        target[key] = Raw("[0," * depth + draw(st.sampled_from(["1e400", '"x"'])) + "]" * depth)
    else:
        target[key] = Raw("9" * 5000)
    if draw(st.booleans()):
        data["event"] = long
    return render(data)
