"""The careful decoding path: one entry point for every body the fast path cannot take.

:func:`decode_carefully` parses the body once, tries the classes the envelope's names
and hook shape allow (``_dispatch``) in order, fixes what msgspec cannot read as sent
(timestamps such as ``2023-06-01``, alias spellings), and decodes the envelope and then
each hook, so a failure names its JSON path and the good hooks are known. The class
whose hooks fit best wins (the first on a tie): its first failure is the error
:func:`decode` raises, and its good hooks are what :func:`decode_partial` keeps.

It reads a body exactly as the fast path's msgspec decoders do, so both paths give one
result for one body. Values under keys the chosen class does not read are checked for
JSON syntax only, as msgspec skips them: invalid UTF-8 or a number Python cannot take
there (``1e400``) is dropped with the key. Such a body cannot be parsed to Python
objects whole, so it is read key by key as that class reads it (``_lenient``).

It owns the exception boundary: only :class:`DecodeError` leaves it. msgspec's errors,
RecursionError and Unicode errors are translated here, once. Its cost is linear in the
body, failures included: :func:`decode` stops at the first failing hook, and locating
a bad value parses its subtree once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import msgspec

from ._dispatch import candidates, carries_template_code
from ._error_messages import describe, invalid
from ._errors import DecodeError, UnknownEventError
from ._models._base import Model, WirePlan, hook_type, wire_plan
from ._models._envelope import ENVELOPE_KEYS, UnknownWebhook
from ._models._timestamps import parse
from ._partial import HookFailure, PartialWebhook  # pickles written earlier name them here

__all__ = ["decode_carefully"]


def decode_carefully(
    body: bytes | str, strict: bool, keep_good_hooks: bool = False
) -> PartialWebhook:
    """Decode ``body`` the careful way; with ``keep_good_hooks``, bad hooks are set aside
    as failures instead of raising the first one's DecodeError."""
    try:
        parsed = _parse(body)
        attempt = _best_attempt(parsed, strict, first_only=not keep_good_hooks)
        if not attempt.failures:
            return PartialWebhook(webhook=attempt.webhook, failures=())
        if not keep_good_hooks:
            raise attempt.failures[0][1]
        raws = _raw_hooks(body)
        failures = tuple(
            HookFailure(index=index, error=error, raw=bytes(raws[index]))
            for index, error in attempt.failures
        )
        return PartialWebhook(webhook=attempt.webhook, failures=failures)
    except msgspec.DecodeError as exc:
        detail = str(exc).removeprefix("JSON is malformed: ")
        raise DecodeError("$", f"malformed JSON: {detail}") from exc
    except RecursionError as exc:
        raise DecodeError("$", "JSON nested too deeply") from exc
    except UnicodeError as exc:
        reason = getattr(exc, "reason", str(exc))
        raise DecodeError("$", f"body is not valid UTF-8 ({reason})") from exc


class _Attempt(NamedTuple):
    webhook: Any
    failures: list[tuple[int, DecodeError]]


def _best_attempt(parsed: _Parsed, strict: bool, first_only: bool) -> _Attempt:
    """The first class whose hooks all fit, else the one with the fewest failures.

    With ``first_only`` and a single class, decoding stops at the first failure: it
    is the one :func:`decode` raises.
    """
    classes = _targets(parsed, strict)
    if len(classes) == 1:
        return _attempt(parsed.tree(classes[0], False), classes[0], first_only)
    best: _Attempt | None = None
    for cls in classes:
        attempt = _attempt(parsed.tree(cls, True), cls, False)  # repairs edit the tree
        if not attempt.failures:
            return attempt
        if best is None or len(attempt.failures) < len(best.failures):
            best = attempt
    assert best is not None
    return best


def _targets(parsed: _Parsed, strict: bool) -> tuple[type[Model], ...]:
    """The classes a parsed body may decode to, most likely first; never empty."""
    product, event = parsed.product_name, parsed.event
    found = candidates(product, event, parsed.carries_template_code)
    if found:
        return found
    if strict:
        raise UnknownEventError(
            product if isinstance(product, str) else None,
            event if isinstance(event, str) else None,
        )
    return (UnknownWebhook,)


def _attempt(tree: dict[str, Any], cls: type[Model], first_only: bool = False) -> _Attempt:
    """Decode ``tree`` as ``cls``: envelope errors raise, hook errors are collected
    (only the first, with ``first_only``)."""
    hooks = tree.get("hooks")
    if not isinstance(hooks, list):
        _convert(tree, cls, "$", {})  # names the envelope's first fault
        raise DecodeError("$.hooks", f"expected array, got {describe(hooks)}")
    plan = wire_plan(cls)
    renamed: dict[str, str] = {}
    envelope = {key: value for key, value in tree.items() if key != "hooks"}
    if cls is UnknownWebhook:
        envelope = {key: value for key, value in tree.items() if key in ENVELOPE_KEYS}
        envelope["extra"] = {k: v for k, v in tree.items() if k not in ENVELOPE_KEYS}
    _repair(envelope, plan, "$", renamed)
    hook_plan = plan.children.get("hooks")
    failures: list[tuple[int, DecodeError]] = []
    for index, hook in enumerate(hooks):
        if isinstance(hook, _Unreadable):
            failures.append((index, hook.error))
        elif hook_plan is not None and isinstance(hook, dict):
            try:
                _repair(hook, hook_plan, f"$.hooks[{index}]", renamed)
            except DecodeError as exc:
                failures.append((index, exc))
        if failures and first_only:
            break  # hooks after it cannot hold the first failure
    if not failures:
        try:  # one call for the whole body: the usual case
            return _Attempt(msgspec.convert({**envelope, "hooks": hooks}, cls), [])
        except msgspec.ValidationError:
            pass
    webhook = _convert({**envelope, "hooks": []}, cls, "$", renamed)  # envelope errors first
    item = hook_type(cls)
    good: list[Any] = []
    failed = dict(failures)
    stop = failures[0][0] if failures and first_only else len(hooks)
    for index, hook in enumerate(hooks[:stop]):
        if index in failed:
            continue
        try:
            good.append(_convert(hook, item, f"$.hooks[{index}]", renamed))
        except DecodeError as exc:
            failures.append((index, exc))
            if first_only:
                break
    failures.sort(key=lambda failure: failure[0])
    return _Attempt(msgspec.structs.replace(webhook, hooks=good), failures)


def _convert(tree: Any, target: Any, root: str, renamed: dict[str, str]) -> Any:
    try:
        return msgspec.convert(tree, target)
    except msgspec.ValidationError as exc:
        error = invalid(exc, tree, root)
        raise _sent_name(error, renamed) from exc


def _sent_name(error: DecodeError, renamed: dict[str, str]) -> DecodeError:
    """The error at the key the body sent, when the careful path renamed that key.

    Each prefix of the path that ends before a ``.`` or ``[`` (and the whole path) is
    looked up, shortest first: the cost is the path's, not the number of renamed keys.
    """
    if not renamed:
        return error
    path = error.path
    for end in _step_ends(path):
        alias = renamed.get(path[:end])
        if alias is not None:
            return DecodeError(alias + path[end:], error.reason)
    return error


_STEP = re.compile(r"(?=[.\[])")


def _step_ends(path: str) -> list[int]:
    """Where each step of a JSON path ends (before the next ``.`` or ``[``)."""
    ends = [match.start() for match in _STEP.finditer(path, 1)]
    ends.append(len(path))
    return ends


def _repair(wire: dict[str, Any], plan: WirePlan, path: str, renamed: dict[str, str]) -> None:
    """Fix in place what msgspec cannot read as sent: alias spellings, odd timestamps.

    The alias rule, for every alias: the documented key, when present and not null,
    is read and the alias ignored whatever it holds; otherwise the alias is read and
    validated like the documented key, and an error names the alias.
    """
    for alias, documented in plan.renames.items():
        if alias in wire:
            value = wire.pop(alias)
            if wire.get(documented) is None:
                wire[documented] = value
                renamed[f"{path}.{documented}"] = f"{path}.{alias}"
    for alias, (documented, annotation) in plan.aliases.items():
        if (
            alias in wire
            and wire.get(documented) is not None
            and not _fits(wire[alias], annotation, plan, alias, path)
        ):
            del wire[alias]
    for key in plan.timestamps:
        value = wire.get(key)
        if isinstance(value, str):
            try:
                parsed = parse(value)
            except ValueError as exc:
                raise DecodeError(_sent(renamed, path, key), str(exc)) from exc
            if parsed is None and key in plan.required_timestamps:
                raise DecodeError(_sent(renamed, path, key), 'expected datetime, got ""')
            wire[key] = parsed
    for key, child in plan.children.items():
        value = wire.get(key)
        if isinstance(value, dict):
            _repair(value, child, f"{path}.{key}", renamed)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _repair(item, child, f"{path}.{key}[{index}]", renamed)


def _sent(renamed: dict[str, str], path: str, key: str) -> str:
    """The path of ``key`` as the body sent it (an alias the careful path renamed)."""
    return renamed.get(f"{path}.{key}", f"{path}.{key}")


def _fits(value: Any, annotation: Any, plan: WirePlan, key: str, path: str) -> bool:
    """Whether an alias's value would decode, were it the one read."""
    from copy import deepcopy  # deferred: only bodies sending both spellings pay its import

    trial = {key: deepcopy(value)}
    trial_plan = WirePlan(
        timestamps=plan.timestamps & {key},
        renames={},
        children={key: plan.children[key]} if key in plan.children else {},
        aliases={},
        required_timestamps=frozenset(),
    )
    try:
        _repair(trial, trial_plan, path, {})
        msgspec.convert(trial[key], annotation)
    except (DecodeError, msgspec.ValidationError):
        return False
    return True


class _Parsed(NamedTuple):
    """A body read far enough to pick its classes, and a tree for each class."""

    product_name: Any
    event: Any
    carries_template_code: bool
    tree: Callable[[type[Model], bool], dict[str, Any]]
    """The body as ``cls`` reads it, as Python objects: ``tree(cls, fresh)``, a copy
    of its own when ``fresh`` (repairs edit a tree in place)."""


def _parse(body: bytes | str) -> _Parsed:
    """The body as Python objects: a JSON object, or a DecodeError.

    A body that is valid JSON throughout is parsed whole, once. Otherwise it may
    hold, under keys its class does not read, invalid UTF-8 or a number Python
    cannot take (``1e400``, an integer longer than Python reads): the fast path's
    decoders skip such values unread, so the body is read key by key as its class
    reads it (:func:`_read`), skipping the rest the same way.
    """
    try:
        tree = msgspec.json.decode(body)
    except msgspec.ValidationError:  # a number out of range
        return _parse_leniently(body)
    except msgspec.DecodeError as exc:
        if _INVALID_UTF8 not in str(exc):
            raise
        return _parse_leniently(body)
    except UnicodeDecodeError:  # what older msgspec (0.20) raises for invalid UTF-8
        return _parse_leniently(body)
    if not isinstance(tree, dict):
        raise DecodeError("$", f"expected a JSON object, got {describe(tree)}")
    return _parsed_whole(tree)


_INVALID_UTF8 = "Invalid UTF-8"


def _parsed_whole(tree: dict[str, Any]) -> _Parsed:
    def tree_for(cls: type[Model], fresh: bool) -> dict[str, Any]:
        if not fresh:
            return tree
        from copy import deepcopy  # deferred: only ambiguous bodies pay its import

        return deepcopy(tree)

    hooks = tree.get("hooks")
    return _Parsed(
        tree.get("productName"), tree.get("event"), carries_template_code(hooks), tree_for
    )


def _parse_leniently(body: bytes | str) -> _Parsed:
    from ._lenient import PROBE, leaf, raw_carries_template_code, read_body

    probe = PROBE.decode(body)
    product = None if probe.product_name is None else leaf(probe.product_name, "$.productName")
    event = None if probe.event is None else leaf(probe.event, "$.event")
    carries = raw_carries_template_code(probe.hooks)
    if not candidates(product, event, carries):
        # An UnknownWebhook keeps every key, so every value must be read.
        return _parsed_whole(_parse_around_numbers(body))
    return _Parsed(product, event, carries, lambda cls, fresh: read_body(body, cls))


def _first_byte(raw: msgspec.Raw) -> bytes:
    return bytes(memoryview(raw)[:1])


class _Unreadable(NamedTuple):
    """A hook holding a number out of range: its error stands in for it."""

    error: DecodeError


def _parse_around_numbers(body: bytes | str) -> dict[str, Any]:
    """The body with every key read: outside the hooks a number out of range is the
    envelope's error, inside a hook it makes that hook unreadable."""
    top = _OBJECT.decode(body)
    tree = {key: _value(raw, f"$.{key}") for key, raw in top.items()}
    hooks = top.get("hooks")
    if hooks is not None and isinstance(tree["hooks"], _Unreadable):
        hooks_raws = _ARRAY.decode(hooks)  # an array: only a number was wrong inside
        tree["hooks"] = [_hook(raw, f"$.hooks[{index}]") for index, raw in enumerate(hooks_raws)]
    return tree


def _hook(raw: msgspec.Raw, path: str) -> Any:
    try:
        return msgspec.json.decode(raw)
    except msgspec.ValidationError as exc:
        from ._lenient import located

        return _Unreadable(located(raw, path, exc))


def _value(raw: msgspec.Raw, path: str) -> Any:
    """A top-level value; ``hooks`` holding a bad number is resolved hook by hook."""
    try:
        return msgspec.json.decode(raw)
    except msgspec.ValidationError as exc:
        if path == "$.hooks" and _first_byte(raw) == b"[":
            return _Unreadable(DecodeError(path, _reason(exc)))
        from ._lenient import located

        raise located(raw, path, exc) from exc


def _reason(exc: msgspec.ValidationError) -> str:
    reason = str(exc).partition(" - at `")[0]
    reason = reason.replace("Integer value out of range", "integer out of range")
    reason = reason.replace("Number out of range", "number out of range")
    return reason[:1].lower() + reason[1:].replace("`", "")


_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ARRAY = msgspec.json.Decoder(list[msgspec.Raw])


def _raw_hooks(body: bytes | str) -> list[msgspec.Raw]:
    """Each hook's JSON as sent, read from the same ``hooks`` key the tree holds (the
    last of duplicates, as for every other key)."""
    from ._lenient import PROBE  # a key name no model reads may hold invalid UTF-8

    return _ARRAY.decode(PROBE.decode(body).hooks)
