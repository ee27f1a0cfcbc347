"""The big countdown, readable from two metres away.

Textual's :class:`~textual.widgets.Digits` draws numbers three rows tall with
box-drawing glyphs. The Linux console (``TERM=linux``) has only a small font
and few glyphs, so there the countdown falls back to plain bold text.
"""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Digits, Static

from trainer.routine.durations import format_duration


def big_glyphs_supported() -> bool:
    """False on the Linux console, where box-drawing digits render as garbage."""
    return os.environ.get("TERM", "") != "linux" and not os.environ.get("TRAINER_PLAIN_DIGITS")


class Countdown(Container):
    """Seconds left as ``m:ss`` (or ``--`` when the moment waits for the pedal)."""

    DEFAULT_CSS = """
    Countdown { height: auto; width: 100%; align-horizontal: center; }
    Countdown Digits { width: auto; }
    Countdown .plain { width: auto; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._big = big_glyphs_supported()
        self._text = ""

    def compose(self) -> ComposeResult:
        yield Digits("", id="digits") if self._big else Static("", classes="plain", id="digits")

    def show_seconds(self, seconds: float | None) -> None:
        # Round up, so "0:01" shows during the last second and "0:00" only at the end.
        text = "--" if seconds is None else format_duration(-(-seconds // 1))
        if text == self._text:
            return  # redraw only when the visible text changes
        self._text = text
        digits: Digits | Static = self.query_one("#digits")  # type: ignore[assignment]
        digits.update(text)

    @property
    def text(self) -> str:
        return self._text
