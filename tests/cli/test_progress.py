"""The progress bar: drawn on a terminal for large inputs, and nowhere else."""

from __future__ import annotations

import io

from nhn_webhooks._cli._progress import LARGE, ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")  # as a real one does
        return True


def feed(stream: io.StringIO, total: int, items: int) -> str:
    with ProgressBar(total, stream, "decoding") as bar:
        for _ in range(items):
            bar.advance(total // items)
    return stream.getvalue()


def test_a_large_input_on_a_terminal_gets_a_bar_erased_at_the_end() -> None:
    screen = feed(Terminal(), LARGE * 4, 4096)
    frames = screen.split("\r")[1:-2]  # the last two writes erase the line
    assert frames[0].startswith("decoding [------------------------------]   0%")
    assert frames[-1] == "decoding [##############################] 100%  4,096 bodies"
    assert len(frames) == 101  # one frame per percent, not per body
    assert screen.endswith("\r" + " " * len(frames[-1]) + "\r")


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal() -> None:
    assert feed(io.StringIO(), LARGE * 4, 100) == ""


def test_nothing_is_drawn_for_a_small_input() -> None:
    assert feed(Terminal(), LARGE - 1, 100) == ""


def test_a_closed_stream_counts_as_no_terminal() -> None:
    stream = Terminal()
    stream.close()
    ProgressBar(LARGE, stream, "decoding").advance(LARGE)  # must not raise
