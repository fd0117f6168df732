"""The careful decoding path: for bodies the fast path cannot take as they are.

It parses the JSON to Python objects, classifies it, fixes what msgspec cannot read
(timestamps such as ``2023-06-01`` or ``""``, misspelled required keys), converts it
to the class, and turns any failure into a DecodeError naming the JSON path. It is
also the reference the fast path must agree with.
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec

from ._common import UnknownWebhook
from ._dispatch import Webhook, candidates
from ._errors import DecodeError, UnknownEventError
from ._messages import describe, invalid
from ._model import Model, WirePlan, wire_plan
from ._timestamps import parse

__all__ = ["convert", "decode_carefully", "parse_object", "repair", "targets"]


def decode_carefully(body: bytes | bytearray | str, strict: bool) -> Webhook:
    tree = parse_object(body)
    candidates = targets(tree, strict)
    if len(candidates) > 1:
        return _first_that_fits(tree, candidates)
    return _repaired(tree, candidates[0])  # type: ignore[no-any-return]


def _first_that_fits(tree: dict[str, Any], candidates: tuple[type[Model], ...]) -> Webhook:
    """Try each class on its own copy of the tree; report the first one's error."""
    errors: list[DecodeError] = []
    for cls in candidates:
        try:
            return _repaired(copy.deepcopy(tree), cls)  # type: ignore[no-any-return]
        except DecodeError as exc:
            errors.append(exc)
    raise errors[0]


def _repaired(tree: dict[str, Any], cls: type[Model]) -> Any:
    if cls is not UnknownWebhook:
        repair(tree, wire_plan(cls), "$")
    return convert(tree, cls)


def parse_object(body: bytes | bytearray | str) -> dict[str, Any]:
    tree = msgspec.json.decode(body)
    if not isinstance(tree, dict):
        raise DecodeError("$", f"expected a JSON object, got {describe(tree)}")
    return tree


def targets(tree: dict[str, Any], strict: bool) -> tuple[type[Model], ...]:
    """The classes a parsed body may decode to, most likely first; never empty."""
    product, event, hooks = tree.get("productName"), tree.get("event"), tree.get("hooks")
    found = candidates(product, event, _carries_template_code(hooks))
    if found:
        return found
    if strict:
        raise UnknownEventError(
            product if isinstance(product, str) else None,
            event if isinstance(event, str) else None,
        )
    return (UnknownWebhook,)


def convert(tree: Any, target: Any, root: str = "$") -> Any:
    try:
        return msgspec.convert(tree, target)
    except msgspec.ValidationError as exc:
        raise invalid(exc, tree, root) from exc


def _carries_template_code(hooks: object) -> bool:
    return isinstance(hooks, list) and any(
        isinstance(hook, dict) and "templateCode" in hook for hook in hooks
    )


def repair(wire: dict[str, Any], plan: WirePlan, path: str) -> None:
    """Fix in place what msgspec cannot read: renamed keys and odd timestamps."""
    for alias, documented in plan.renames.items():
        if alias in wire and documented not in wire:
            wire[documented] = wire.pop(alias)
    for key in plan.timestamps:
        value = wire.get(key)
        if isinstance(value, str):
            try:
                wire[key] = parse(value)
            except ValueError as exc:
                raise DecodeError(f"{path}.{key}", str(exc)) from exc
    for key, child in plan.children.items():
        value = wire.get(key)
        if isinstance(value, dict):
            repair(value, child, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    repair(item, child, f"{path}.{key}[{index}]")
