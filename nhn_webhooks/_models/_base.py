"""The base every model inherits: shared msgspec options and the wire-to-attribute rules.

A model is declared the way a user reads it: snake_case attributes with the types they
get back (``request_date: datetime``, ``recipient_seq: int``). What NHN actually sends
is messier, and :class:`_ModelMeta` adapts each declared field at class creation:

- ``datetime`` fields keep what msgspec parsed (aware, or naive meaning Korea time);
  the attribute attaches Korea time when read (rules in ``_timestamps``).
- ``int`` fields also accept a digit string on the wire (``"mailSeq": "0"``); the
  attribute reads it as ``int`` (rule ``DIGITS`` in ``_quirks``).
- fields with a registered alias (``_quirks.QUIRKS``) get a hidden slot per extra
  wire spelling; the attribute reads the documented spelling first, then the others.

Each field is described once, while its class is created (:class:`Field`, kept in
``_model_fields``): wire name, aliases, kind, optional or required, nested model. The
getters, the careful path's :func:`wire_plan`, the test builders, the hypothesis
strategies and the Events reference all read that description.

Decoding stays one msgspec pass in C with no per-hook Python call; the small cost
of the rules is paid by the attributes a handler actually reads. The raw values stay
in the struct's slots, so equality, pickling and ``msgspec.json.encode`` see the
payload as it was sent.

This module does not use ``from __future__ import annotations``: msgspec reads the
annotations of every class in a model's hierarchy when it builds a decoder, and string
annotations on :class:`Model` would be evaluated again for each class at import.
"""

import importlib
import linecache
import types
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Union,
    get_args,
    get_origin,
)

import msgspec

from ._quirks import DIGITS, aliases_for
from ._timestamps import KOREA_TIME_EXPR, KOREA_TIME_GLOBALS

__all__ = ["Field", "Model", "WirePlan", "hook_type", "union_members", "wire_plan"]


def _for_type_checkers(**_: Any) -> Any:
    """Leaves the class as it is: at run time the metaclass applies the options."""
    return lambda cls: cls


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    dataclass_transform = _for_type_checkers


_DIGIT_STRING = Annotated[str, msgspec.Meta(pattern=DIGITS)]

_SHARED_OPTIONS = {"frozen": True, "kw_only": True}
"""The msgspec options every model class gets unless its header says otherwise:
``frozen`` (a decoded webhook is a record), ``kw_only`` (fields with and without
defaults in NHN's order)."""

TIMESTAMP, INT, INT_OR_STR, BOOL, STR, MODEL, MODELS, JSON = (
    "timestamp", "int", "int_or_str", "bool", "str", "model", "models", "json"
)  # fmt: skip


class Field(msgspec.Struct, frozen=True, kw_only=True):
    """One public attribute of a model, described once when the class is created.

    Everything that reads a model's fields (the getters, :func:`wire_plan`, the
    builders, the hypothesis strategies, the reference page) reads this description.
    """

    attribute: str
    """The Python name (``recipient_seq``)."""
    wire: str
    """The documented wire name (``recipientSeq``)."""
    aliases: tuple[str, ...]
    """Other wire spellings NHN sends (registered in ``_quirks.QUIRKS``)."""
    kind: str
    """``timestamp``; ``int`` (digit strings accepted); ``int_or_str`` (as declared);
    ``bool``; ``str``; ``model`` (a nested model); ``models`` (a list of them);
    ``json`` (plain JSON values)."""
    optional: bool
    """None is a value (``X | None``)."""
    required: bool
    """The key must be sent (the field has no default)."""
    model: "type[Model] | None"
    """The nested model (for ``model`` and ``models``)."""
    declared: Any
    """The type as declared: what the attribute reads."""
    wire_type: Any
    """The type msgspec decodes with (``int`` fields also take digit strings)."""
    slots: tuple[str, ...] = ()
    """Hidden slots holding the alias spellings of an optional field, in alias order."""


class _ModelMeta(msgspec.StructMeta):
    """Applies the wire rules above to every model class as it is created."""

    def __new__(
        mcls,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        **options: Any,
    ) -> "_ModelMeta":
        own = _adapt_fields(name, namespace)
        cls = super().__new__(mcls, name, bases, namespace, **{**_SHARED_OPTIONS, **options})
        wires = dict(zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True))
        described = {field.attribute: field for field in getattr(cls, "_model_fields", ())}
        for field in own:
            described[field.attribute] = msgspec.structs.replace(field, wire=wires[field.attribute])
        cls._model_fields = tuple(described.values())  # type: ignore[attr-defined]
        cls._public_fields = tuple(described)  # type: ignore[attr-defined]
        _install_getters(cls, [f for f in own if f.slots or f.kind in (TIMESTAMP, INT)])
        return cls


class WirePlan(msgspec.Struct, frozen=True, kw_only=True):
    """What the careful decoding path must fix in one model's wire object."""

    timestamps: frozenset[str]
    """Wire keys that hold timestamps."""
    renames: dict[str, str]
    """Alias wire key -> documented wire key, for required fields (no slot of their own)."""
    children: dict[str, "WirePlan"]
    """Wire key -> plan of the nested model (or list of models) found there, for the
    models that hold something to fix or write (``Links`` holds nothing)."""
    aliases: dict[str, tuple[str, Any]]
    """Alias wire key -> (documented wire key, type), for fields with an alias slot."""
    required_timestamps: frozenset[str]
    """The timestamps that cannot be null (``""`` there is an error, not None)."""


@cache
def wire_plan(cls: "type[Model]") -> WirePlan:
    """The careful path's plan for ``cls``, read from its field descriptions once."""
    children: dict[str, WirePlan] = {}
    for field in cls._model_fields:
        if field.model is not None:
            child = wire_plan(field.model)
            if child.timestamps or child.renames or child.aliases or child.children:
                children[field.wire] = child  # models with nothing to do are left out
    timestamps = [field for field in cls._model_fields if field.kind == TIMESTAMP]
    return WirePlan(
        timestamps=frozenset(field.wire for field in timestamps),
        renames={
            alias: field.wire
            for field in cls._model_fields
            if not field.slots
            for alias in field.aliases
        },
        children=children,
        aliases={
            alias: (field.wire, field.wire_type)
            for field in cls._model_fields
            if field.slots
            for alias in field.aliases
        },
        required_timestamps=frozenset(field.wire for field in timestamps if not field.optional),
    )


def _adapt_fields(name: str, namespace: dict[str, Any]) -> list[Field]:
    """Rewrite the class body's annotations for the wire; describe each field.

    The wire names are filled in once msgspec has made the class. Alias slots go right
    after their field: msgspec looks a key up at the position it expects next first,
    so keeping the struct in NHN's key order keeps lookups cheap.
    """
    aliases = aliases_for(name)
    annotations: dict[str, Any] = {}
    fields: list[Field] = []
    for attribute, annotation in _own_annotations(namespace).items():
        if get_origin(annotation) is ClassVar:
            annotations[attribute] = annotation
            continue
        field = _describe(attribute, annotation, aliases.pop(attribute, ()), namespace)
        annotations[attribute] = field.wire_type
        for slot, wire in zip(field.slots, field.aliases if field.slots else (), strict=True):
            annotations[slot] = field.wire_type
            namespace[slot] = msgspec.field(name=wire, default=None)
        fields.append(field)
    if aliases:
        raise TypeError(f"{name}: quirk aliases name unknown fields {sorted(aliases)}")
    namespace["__annotations__"] = annotations
    return fields


def _describe(
    attribute: str, annotation: Any, aliases: tuple[str, ...], namespace: dict[str, Any]
) -> Field:
    """A field's description from its declaration (its wire name comes later).

    An optional field gets a hidden slot per alias; a required one cannot take a
    second slot (absence must still fail fast), so the careful path renames its key
    before validating.
    """
    kind, optional, model = _classify(annotation)
    required = attribute not in namespace
    return Field(
        attribute=attribute,
        wire="",
        aliases=aliases,
        kind=kind,
        optional=optional,
        required=required,
        model=model,
        declared=annotation,
        wire_type=annotation | _DIGIT_STRING if kind == INT else annotation,
        slots=() if required else tuple(f"_{attribute}__{wire.lstrip('_')}" for wire in aliases),
    )


@cache
def hook_type(cls: "type[Model]") -> Any:
    """The item type of a webhook class's ``hooks`` list (its hook model, or a dict)."""
    (hooks,) = (field.declared for field in cls._model_fields if field.attribute == "hooks")
    return get_args(hooks)[0]


def _own_annotations(namespace: dict[str, Any]) -> dict[str, Any]:
    """The class body's annotations as objects (models do not use string annotations).

    Up to Python 3.13 the class body leaves them in ``__annotations__``. From 3.14
    (PEP 649/749) it leaves an annotate function instead, read with ``annotationlib``;
    the function is removed, since the metaclass replaces the annotations it computes.
    """
    if "__annotations__" in namespace:
        return dict(namespace["__annotations__"])
    try:
        annotationlib = importlib.import_module("annotationlib")  # Python 3.14+
    except ModuleNotFoundError:
        return {}
    annotate = annotationlib.get_annotate_from_class_namespace(namespace)
    if annotate is None:
        return {}
    for key in ("__annotate__", "__annotate_func__"):
        namespace.pop(key, None)
    return dict(annotationlib.call_annotate_function(annotate, annotationlib.Format.VALUE))


@cache  # models repeat a few annotations (``str``, ``str | None``) many times
def _classify(annotation: Any) -> "tuple[str, bool, type[Model] | None]":
    """(kind, optional, nested model) for a field's declared type (see :class:`Field`)."""
    members = union_members(annotation)
    optional = type(None) in members
    rest = tuple(m for m in members if m is not type(None))
    simple = _SIMPLE_KINDS.get(rest)
    if simple is not None:
        return simple, optional, None
    if sorted(rest, key=str) == [int, str]:
        return INT_OR_STR, optional, None
    model = _nested_model(annotation)
    if model is None:
        return JSON, optional, None
    return (MODELS if get_origin(rest[0]) is list else MODEL), optional, model


_SIMPLE_KINDS = {(datetime,): TIMESTAMP, (int,): INT, (bool,): BOOL, (str,): STR}


def union_members(annotation: Any) -> tuple[Any, ...]:
    """The members of ``A | B`` (or ``Union[A, B]``); ``(annotation,)`` otherwise."""
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _nested_model(annotation: Any) -> "type[Model] | None":
    """The model inside ``M``, ``M | None`` or ``list[M]``, if any."""
    for member in union_members(annotation):
        if get_origin(member) is list:
            member = get_args(member)[0]
        if isinstance(member, type) and issubclass(member, Model):
            return member
    return None


def _install_getters(cls: type, fields: list[Field]) -> None:
    """Replace each adapted field's attribute with a property that applies its rule.

    The slot keeps its value under ``_wire_<name>`` (the same member descriptor under
    a second name), so msgspec and the getter read it at slot speed. The getters are
    compiled from source so that slot names are constants: a closure calling a
    descriptor would cost a third more on every read. As attrs does for the methods
    it writes, the source is one script per class registered in :mod:`linecache`
    under a readable file name, and each function carries its real name, qualified
    name and module: tracebacks, debuggers and ``inspect.getsource`` show it.
    """
    if not fields:
        return
    for field in fields:
        setattr(cls, f"_wire_{field.attribute}", cls.__dict__[field.attribute])
    filename = f"<nhn_webhooks generated getters {cls.__module__}.{cls.__qualname__}>"
    source = "\n".join(_getter_source(field) for field in fields)
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    namespace: dict[str, Any] = dict(KOREA_TIME_GLOBALS)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - source built here
    for field in fields:
        getter: Callable[[Any], Any] = namespace[field.attribute]
        getter.__qualname__ = f"{cls.__qualname__}.{field.attribute}"
        getter.__module__ = cls.__module__
        setattr(cls, field.attribute, property(getter, doc=_getter_doc(field)))


def _getter_source(field: Field) -> str:
    lines = [f"def {field.attribute}(self):", f"    v = self._wire_{field.attribute}"]
    for slot in field.slots:
        lines.append(f"    if v is None: v = self.{slot}")
    if field.kind == TIMESTAMP:
        expression = KOREA_TIME_EXPR.format(v="v")
        if field.optional:
            expression = f"v if v is None else ({expression})"
    elif field.kind == INT:
        expression = "v if v.__class__ is not str else int(v)"
    else:
        expression = "v"
    lines.append(f"    return {expression}")
    return "\n".join(lines) + "\n"


def _getter_doc(field: Field) -> str:
    if field.kind == TIMESTAMP:
        return "Timezone-aware; a value sent without an offset is Korea time."
    if field.kind == INT:
        return "Integer; NHN sometimes sends it as a digit string."
    return "The documented spelling if present, else the alias NHN also sends."


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(msgspec.field,))
class Model(
    msgspec.Struct,
    metaclass=_ModelMeta,
    frozen=True,
    gc=False,
    rename="camel",
    omit_defaults=True,
):
    """Base of every nhn_webhooks model.

    - ``frozen``: a decoded webhook is a record of what NHN sent; it cannot be
      changed by accident in a handler. A model holding a list (every webhook's
      ``hooks``, a template hook's ``comments``) is not hashable, as a tuple holding a
      list is not; the others are. The metaclass gives every model class ``frozen``
      and ``kw_only`` (``_SHARED_OPTIONS``), so class headers do not repeat them.
    - ``gc=False``: models hold only strings, numbers, datetimes and other models,
      never cycles, so skipping GC tracking saves memory and time on 1000-hook posts.
    - ``rename="camel"``: NHN's wire names are camelCase (``recipientSeq``); the
      attributes are their snake_case. Names that do not follow the rule
      (``_links``) are given with ``msgspec.field(name=...)``.
    - ``omit_defaults``: encoding leaves out absent optional fields, as NHN does.
    """

    _model_fields: ClassVar[tuple[Field, ...]]
    """Every public field described (:class:`Field`), in wire order, inherited first."""
    _public_fields: ClassVar[tuple[str, ...]]
    """Attributes a handler reads, in wire order (alias slots left out)."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({shown})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        """Public attributes as a handler reads them (aware datetimes, merged aliases)."""
        return [(name, getattr(self, name)) for name in self._public_fields]
