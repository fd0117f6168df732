"""The package's public names: one sorted __all__, exactly the public names, each with a
docstring (as httpx's tests/test_exported_members.py checks its own)."""

from __future__ import annotations

import types

import nhn_webhooks as nw


def test_all_is_sorted_and_unique() -> None:
    assert list(nw.__all__) == sorted(set(nw.__all__), key=lambda n: (not n.isupper(), n))


def test_all_is_exactly_the_public_names() -> None:
    # Submodules (``nw.testing`` once imported) are reached as modules, not exported.
    # Names imported on first use are listed by dir() and resolved first.
    for name in dir(nw):
        getattr(nw, name)
    public = {
        name
        for name, value in vars(nw).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
    }
    assert set(nw.__all__) == public


def test_every_public_class_and_function_has_a_docstring() -> None:
    for name in nw.__all__:
        value = getattr(nw, name)
        if isinstance(value, type) or callable(value):
            assert (value.__doc__ or "").strip(), name
