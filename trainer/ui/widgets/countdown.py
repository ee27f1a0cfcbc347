"""The big countdown, readable from across the room: it grows with the terminal.

Three sizes, chosen from the screen's height (and the room the countdown has):

* **blocks**, on big terminals (:data:`BLOCKS_FROM_ROWS` rows and more): digits
  of full blocks (``█``) scaled so they are at least a third of the screen tall
  (a TV across a gym), as wide as the countdown's room allows;
* **digits**, on ordinary terminals: Textual's :class:`~textual.widgets.Digits`,
  three rows of box-drawing glyphs;
* **plain** bold text on small terminals (under :data:`DIGITS_FROM_ROWS` rows)
  and on the Linux console (``TERM=linux``), whose font has no box-drawing glyphs.
"""

from __future__ import annotations

import math
import os

from rich.segment import Segment
from textual import events
from textual.app import ComposeResult
from textual.containers import Container
from textual.renderables.digits import Digits as DigitsRenderable
from textual.strip import Strip
from textual.widgets import Digits, Static

from trainer.routine.durations import format_duration
from trainer.ui.widgets.big_word import scaled

#: Screens this tall get block digits a third of their height; below, Digits.
BLOCKS_FROM_ROWS = 40
#: Screens shorter than this get plain text.
DIGITS_FROM_ROWS = 16

# Digits three cells wide and five tall (":" one wide): scaled up, they stay crisp.
_DIGITS = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": [" ", "█", " ", "█", " "],
    "-": ["   ", "   ", "███", "   ", "   "],
}
_GLYPH_ROWS = 5


def block_digits(text: str, scale: int) -> str:
    """``text`` (digits, ``:`` and ``-``) in block digits ``5 * scale`` rows tall.

    A cell is 1.5 times as wide as it is tall (terminal cells are about twice as
    tall as wide): tall, narrow digits, so height wins where width is scarce.
    """
    glyphs = [_DIGITS[char] for char in text if char in _DIGITS]
    lines = [" ".join(glyph[row] for glyph in glyphs) for row in range(_GLYPH_ROWS)]
    return "\n".join(scaled(lines, _across(scale), scale))


def _across(scale: int) -> int:
    return math.ceil(1.5 * scale)


def block_width(text: str, scale: int) -> int:
    """Columns :func:`block_digits` takes for ``text`` at ``scale``."""
    cells = sum(len(_DIGITS[char][0]) for char in text if char in _DIGITS)
    return _across(scale) * (cells + max(0, len(text) - 1))


def block_scale(screen_rows: int, room_columns: int, text: str = "0:00") -> int:
    """How big block digits should be: 0 for none (use Digits or plain), else the
    scale that makes them at least a third of the screen tall, made smaller only
    when ``room_columns`` cannot hold ``text`` at that size."""
    if screen_rows < BLOCKS_FROM_ROWS:
        return 0
    scale = math.ceil(screen_rows / 3 / _GLYPH_ROWS)
    while scale > 1 and block_width(text, scale) > room_columns:
        scale -= 1
    return scale if block_width(text, scale) <= room_columns else 0


def big_glyphs_supported() -> bool:
    """False on the Linux console, where box-drawing digits render as garbage."""
    return os.environ.get("TERM", "") != "linux" and not os.environ.get("TRAINER_PLAIN_DIGITS")


class LineDigits(Digits):
    """Textual's :class:`~textual.widgets.Digits`, the same glyphs, drawn through the
    line API: the countdown changes every second, and Rich's rendering pipeline
    for it cost more than the rest of the screen's redraw.

    Its width is its digits' (``width: auto``), so there is nothing to align.
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, id=id)
        self._lines: list[Strip] | None = None

    def update(self, value: str) -> None:
        self._lines = None
        super().update(value)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # paused (another colour) or a theme change

    def render_line(self, y: int) -> Strip:
        if self._lines is None:
            style = self.rich_style
            rows = DigitsRenderable(self.value, style).render(style)
            self._lines = [
                Strip([row]) for row in rows if isinstance(row, Segment) and row.text != "\n"
            ]
        width = self.content_size.width
        if y < len(self._lines):
            return self._lines[y].adjust_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)


class Countdown(Container):
    """Seconds left as ``m:ss`` (or ``--`` when the moment waits for the pedal), in the
    biggest of three sizes the screen allows (see the module docstring)."""

    DEFAULT_CSS = """
    Countdown { height: auto; width: 100%; align-horizontal: center; }
    Countdown Digits { width: auto; }
    Countdown #blocks { width: auto; height: auto; }
    Countdown .plain { width: auto; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._glyphs = big_glyphs_supported()
        self._text = ""
        #: "blocks", "digits" or "plain": what is drawn now.
        self.mode = "digits" if self._glyphs else "plain"
        self.scale = 0
        self._fitted = 0  # the scale for this screen, before a long text's shrink
        self._room = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="blocks")
        yield LineDigits("", id="digits")
        yield Static("", classes="plain", id="plain")

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """Choose the size for this screen, and draw the current text in it."""
        rows = self.screen.size.height if self.is_attached else 0
        room = self.size.width or self.screen.size.width
        scale = block_scale(rows, room) if self._glyphs else 0
        if scale:
            mode = "blocks"
        elif self._glyphs and rows >= DIGITS_FROM_ROWS:
            mode = "digits"
        else:
            mode = "plain"
        self.mode, self.scale, self._fitted, self._room = mode, scale, scale, room
        for widget_id in ("blocks", "digits", "plain"):
            self.query_one(f"#{widget_id}").display = widget_id == mode
        self._draw()

    def show_seconds(self, seconds: float | None) -> None:
        # Round up, so "0:01" shows during the last second and "0:00" only at the end.
        text = "--" if seconds is None else format_duration(-(-seconds // 1))
        if text == self._text:
            return  # redraw only when the visible text changes
        self._text = text
        self._draw()

    def _draw(self) -> None:
        text = self._text
        if self.mode == "blocks":
            # A longer time ("12:00") may need a smaller size than the one fitted.
            self.scale = self._fitted
            while self.scale > 1 and block_width(text, self.scale) > self._room:
                self.scale -= 1
            self.query_one("#blocks", Static).update(block_digits(text, self.scale))
        elif self.mode == "digits":
            self.query_one("#digits", LineDigits).update(text)
        else:
            self.query_one("#plain", Static).update(text)

    @property
    def text(self) -> str:
        return self._text
