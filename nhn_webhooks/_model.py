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
from typing import Annotated, Any, ClassVar, NamedTuple, Union, get_args, get_origin

import msgspec

from ._quirks import DIGITS, aliases_for
from ._timestamps import KOREA_TIME_EXPR, KOREA_TIME_GLOBALS

__all__ = ["Model", "WirePlan", "hook_type", "union_members", "wire_plan"]

_DIGIT_STRING = Annotated[str, msgspec.Meta(pattern=DIGITS)]


class _Field(NamedTuple):
    """How one declared field is read back (see :func:`_getter_source`)."""

    name: str
    convert: str  # "datetime", "int" or "" (as sent)
    optional: bool
    alias_slots: tuple[str, ...]


class _ModelMeta(msgspec.StructMeta):
    """Applies the wire rules above to every model class as it is created."""

    def __new__(
        mcls,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        **options: Any,
    ) -> "_ModelMeta":
        fields, renames = _adapt_fields(name, namespace)
        cls = super().__new__(mcls, name, bases, namespace, **options)
        _install_getters(cls, fields)
        hidden = {slot: field.name for field in fields for slot in field.alias_slots}
        inherited = getattr(cls, "_public_fields", ())
        cls._public_fields = inherited + tuple(  # type: ignore[attr-defined]
            f for f in cls.__struct_fields__ if f not in hidden and f not in inherited
        )
        cls._wire_renames = {  # type: ignore[attr-defined]
            **getattr(cls, "_wire_renames", {}),
            **renames,
        }
        cls._alias_slots = {  # type: ignore[attr-defined]
            **getattr(cls, "_alias_slots", {}),
            **hidden,
        }
        return cls


class WirePlan(NamedTuple):
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
    """The careful path's plan for ``cls``, derived from its fields once."""
    timestamps: set[str] = set()
    required: set[str] = set()
    children: dict[str, WirePlan] = {}
    wire_names = dict(zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True))
    for info in msgspec.structs.fields(cls):
        target = _nested_model(info.type)
        if target is not None:
            child = wire_plan(target)
            if child.timestamps or child.renames or child.aliases or child.children:
                children[info.encode_name] = child  # models with nothing to do are left out
        elif _classify(info.type)[0] == "datetime":
            timestamps.add(info.encode_name)
            if not _classify(info.type)[1]:
                required.add(info.encode_name)
    renames = {
        alias: wire_names[attribute]
        for attribute, aliases in cls._wire_renames.items()
        for alias in aliases
    }
    types_ = {info.name: info.type for info in msgspec.structs.fields(cls)}
    aliases = {
        wire_names[slot]: (wire_names[attribute], types_[slot])
        for slot, attribute in cls._alias_slots.items()
    }
    return WirePlan(frozenset(timestamps), renames, children, aliases, frozenset(required))


def _adapt_fields(
    name: str, namespace: dict[str, Any]
) -> tuple[list[_Field], dict[str, tuple[str, ...]]]:
    """Rewrite the class body's annotations for the wire; say which getters to install.

    Alias slots go right after their field: msgspec looks a key up at the position it
    expects next first, so keeping the struct in NHN's key order keeps lookups cheap.
    """
    aliases = aliases_for(name)
    annotations: dict[str, Any] = {}
    fields: list[_Field] = []
    renames: dict[str, tuple[str, ...]] = {}
    for attribute, annotation in _own_annotations(namespace).items():
        if get_origin(annotation) is ClassVar:
            annotations[attribute] = annotation
            continue
        kind, optional = _classify(annotation)
        annotations[attribute] = _accept_digit_strings(annotation) if kind == "int" else annotation
        wires = aliases.pop(attribute, ())
        slots: tuple[str, ...] = ()
        if wires and attribute in namespace:
            slots = tuple(f"_{attribute}__{wire.lstrip('_')}" for wire in wires)
            for slot, wire in zip(slots, wires, strict=True):
                annotations[slot] = annotation
                namespace[slot] = msgspec.field(name=wire, default=None)
        elif wires:
            # A required field cannot take a second slot (absence must still fail
            # fast), so the careful path renames the key before validating.
            renames[attribute] = wires
        if kind or slots:
            fields.append(_Field(attribute, kind, optional, slots))
    if aliases:
        raise TypeError(f"{name}: quirk aliases name unknown fields {sorted(aliases)}")
    namespace["__annotations__"] = annotations
    return fields, renames


@cache
def hook_type(cls: "type[Model]") -> Any:
    """The item type of a webhook class's ``hooks`` list (its hook model, or a dict)."""
    (hooks,) = (info.type for info in msgspec.structs.fields(cls) if info.name == "hooks")
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


def _classify(annotation: Any) -> tuple[str, bool]:
    """("datetime" | "int" | "", optional) for a field's declared type."""
    members = union_members(annotation)
    optional = type(None) in members
    rest = [m for m in members if m is not type(None)]
    if rest == [datetime]:
        return "datetime", optional
    if rest == [int]:
        return "int", optional
    return "", optional


def union_members(annotation: Any) -> tuple[Any, ...]:
    """The members of ``A | B`` (or ``Union[A, B]``); ``(annotation,)`` otherwise."""
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _accept_digit_strings(annotation: Any) -> Any:
    return annotation | _DIGIT_STRING


def _nested_model(annotation: Any) -> "type[Model] | None":
    """The model inside ``M``, ``M | None`` or ``list[M]``, if any."""
    for member in union_members(annotation):
        if get_origin(member) is list:
            member = get_args(member)[0]
        if isinstance(member, type) and issubclass(member, Model):
            return member
    return None


def _install_getters(cls: type, fields: list[_Field]) -> None:
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
        setattr(cls, f"_wire_{field.name}", cls.__dict__[field.name])
    filename = f"<nhn_webhooks generated getters {cls.__module__}.{cls.__qualname__}>"
    source = "\n".join(_getter_source(field) for field in fields)
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    namespace: dict[str, Any] = dict(KOREA_TIME_GLOBALS)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - source built here
    for field in fields:
        getter: Callable[[Any], Any] = namespace[field.name]
        getter.__qualname__ = f"{cls.__qualname__}.{field.name}"
        getter.__module__ = cls.__module__
        setattr(cls, field.name, property(getter, doc=_getter_doc(field)))


def _getter_source(field: _Field) -> str:
    lines = [f"def {field.name}(self):", f"    v = self._wire_{field.name}"]
    for slot in field.alias_slots:
        lines.append(f"    if v is None: v = self.{slot}")
    if field.convert == "datetime":
        expression = KOREA_TIME_EXPR.format(v="v")
        if field.optional:
            expression = f"v if v is None else ({expression})"
    elif field.convert == "int":
        expression = "v if v.__class__ is not str else int(v)"
    else:
        expression = "v"
    lines.append(f"    return {expression}")
    return "\n".join(lines) + "\n"


def _getter_doc(field: _Field) -> str:
    if field.convert == "datetime":
        return "Timezone-aware; a value sent without an offset is Korea time."
    if field.convert == "int":
        return "Integer; NHN sometimes sends it as a digit string."
    return "The documented spelling if present, else the alias NHN also sends."


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
      list is not; the others are.
    - ``gc=False``: models hold only strings, numbers, datetimes and other models,
      never cycles, so skipping GC tracking saves memory and time on 1000-hook posts.
    - ``rename="camel"``: NHN's wire names are camelCase (``recipientSeq``); the
      attributes are their snake_case. Names that do not follow the rule
      (``_links``) are given with ``msgspec.field(name=...)``.
    - ``omit_defaults``: encoding leaves out absent optional fields, as NHN does.
    """

    _public_fields: ClassVar[tuple[str, ...]]
    """Attributes a handler reads, in wire order (alias slots left out)."""
    _wire_renames: ClassVar[dict[str, tuple[str, ...]]]
    """Required attribute -> its alias wire names (renamed by the careful path)."""
    _alias_slots: ClassVar[dict[str, str]]
    """Hidden slot -> the optional attribute whose alias spelling it holds."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({shown})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        """Public attributes as a handler reads them (aware datetimes, merged aliases)."""
        return [(name, getattr(self, name)) for name in self._public_fields]
