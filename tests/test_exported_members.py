"""The package's public names: one sorted __all__, each with a docstring."""

from __future__ import annotations

import nhn_webhooks as nw


def test_all_is_sorted_and_unique() -> None:
    assert list(nw.__all__) == sorted(set(nw.__all__), key=lambda n: (not n.isupper(), n))


def test_all_matches_the_public_names() -> None:
    public = {
        name
        for name, value in vars(nw).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("nhn_webhooks")
    }
    assert public <= set(nw.__all__)
    for name in nw.__all__:
        assert hasattr(nw, name), name


def test_every_public_class_and_function_has_a_docstring() -> None:
    for name in nw.__all__:
        value = getattr(nw, name)
        if isinstance(value, type) or callable(value):
            assert (value.__doc__ or "").strip(), name
