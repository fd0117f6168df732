"""A one-line progress bar for long command-line runs, drawn only on a terminal."""

from __future__ import annotations

from types import TracebackType
from typing import Final, TextIO

__all__ = ["LARGE", "ProgressBar"]

LARGE: Final = 1 << 20
"""Inputs of at least this many bytes get a bar; smaller ones finish before it helps."""

_WIDTH: Final = 30


class ProgressBar:
    """Shows how much of ``total`` bytes is done, on ``stream`` if it is a terminal.

    On anything else (a pipe, a file, a CI log) it draws nothing, so redirected
    output never holds carriage returns. It redraws only when the percentage changes:
    at most 101 writes whatever the input size.
    """

    def __init__(self, total: int, stream: TextIO, label: str) -> None:
        self._enabled = total >= LARGE and _is_terminal(stream)
        self._total = max(total, 1)
        self._stream = stream
        self._label = label
        self._done = 0
        self._items = 0
        self._shown = -1
        self._drawn = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def advance(self, size: int, items: int = 1) -> None:
        """Count ``size`` more bytes read, holding ``items`` more items (a blank line
        read between bodies: 0)."""
        if not self._enabled:
            return
        self._done += size
        self._items += items
        percent = min(100, self._done * 100 // self._total)
        if percent != self._shown:
            self._shown = percent
            self._draw(percent)

    def close(self) -> None:
        """Erase the bar, leaving the line as it was."""
        if self._drawn:
            self._stream.write("\r" + " " * self._drawn + "\r")
            self._stream.flush()
            self._drawn = 0

    def _draw(self, percent: int) -> None:
        filled = _WIDTH * percent // 100
        bar = "#" * filled + "-" * (_WIDTH - filled)
        line = f"{self._label} [{bar}] {percent:3d}%  {self._items:,} bodies"
        self._stream.write("\r" + line)
        self._stream.flush()
        self._drawn = max(self._drawn, len(line))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False
