"""The shared strategies of tests/strategies.py never fail while drawing: a failure
there would hide the library check that the property test makes."""

from __future__ import annotations

from hypothesis import given, settings

from tests.strategies import with_unread_values

DEEP = b'{"hooksId": "x", "hooks": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
ESCAPED_SURROGATE = b'{"hooksId": "x", "hooks": [{"hookId": "\\ud800"}]}'


def test_with_unread_values_returns_a_body_nested_past_the_recursion_limit() -> None:
    @settings(max_examples=1, database=None)
    @given(with_unread_values(DEEP))
    def draw(body: bytes) -> None:
        assert body == DEEP

    draw()


def test_with_unread_values_returns_a_body_with_an_escaped_lone_surrogate() -> None:
    # json.loads makes "\ud800" a lone surrogate, which surrogateescape cannot encode.
    @settings(max_examples=5, database=None)
    @given(with_unread_values(ESCAPED_SURROGATE))
    def draw(body: bytes) -> None:
        assert body == ESCAPED_SURROGATE

    draw()
