"""A step's ``media:`` for a phone: a QR code drawn in characters (no Textual).

The trainer never fetches media; it shows where to find it. Only web links
become QR codes: a path in the routines folder (``media/bridge.mp4``) names a
file on this trainer, which a phone cannot open, so it is shown as text and
listed by ``trainer show`` (routines/README.md says so).

A code is drawn dark on light with the 4-module quiet zone the QR standard
asks for: phones find a code by its light border, and many cannot read one
drawn light on dark (a dark terminal's default). The drawn characters mark the
dark modules in :attr:`QrCode.lines` (plain text); where colours can be set,
:attr:`QrCode.cells` says which cell is painted dark or light (the widget, and
:func:`ansi_lines` for a terminal).

Two glyph sets, after :func:`trainer.pose.render.glyphs_for_terminal`:

``half``     half blocks (``▀ ▄ █``), two modules per character cell; a cell is
             about twice as tall as it is wide, so modules come out square;
``console``  the Linux console, whose fonts have full blocks but no half
             blocks: ``██`` per module, one row per module (twice the size:
             it fits the kiosk's TV console, which has the rows).

segno (the encoder) is imported only when a code is drawn: the first screen
must not wait for it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trainer.pose.render import glyphs_for_terminal
from trainer.routine.models import is_web_link

QrGlyphs = Literal["half", "console"]

#: Light modules around the code, as the QR standard asks (ISO/IEC 18004).
QUIET_ZONE = 4
#: The dark and the light colour, for Rich (explicit: the same in any terminal theme).
QR_DARK, QR_LIGHT = "#000000", "#ffffff"
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
#: ANSI colours by darkness: black (30/40) and white (37/47), which the Linux console has too.
_ANSI_FG = {True: 30, False: 37}
_ANSI_BG = {True: 40, False: 47}
_ANSI_RESET = "\x1b[0m"


#: One character cell: its text, and whether its foreground and background are dark.
Cell = tuple[str, bool, bool]


@dataclass(frozen=True)
class QrCode:
    """``link`` as a QR code: ``matrix`` (True = dark, quiet zone included) drawn in ``glyphs``."""

    link: str
    matrix: tuple[tuple[bool, ...], ...]
    glyphs: QrGlyphs

    @property
    def modules(self) -> int:
        """Modules across, quiet zone included (a square: as many down)."""
        return len(self.matrix)

    @property
    def width(self) -> int:
        return self.modules * (2 if self.glyphs == "console" else 1)

    @property
    def height(self) -> int:
        return self.modules if self.glyphs == "console" else (self.modules + 1) // 2

    @property
    def lines(self) -> tuple[str, ...]:
        """Plain text, where no colour can be set: the drawn characters mark dark modules."""
        if self.glyphs == "console":
            return tuple("".join("██" if dark else "  " for dark in row) for row in self.matrix)
        return tuple("".join(_HALF[pair] for pair in row) for row in self._half_rows())

    @property
    def cells(self) -> tuple[tuple[Cell, ...], ...]:
        """Rows of cells to paint with a dark and a light colour.

        A cell whose modules agree is a blank painted by its background, which
        fills the whole cell in every terminal font; block glyphs often fall
        short of the line height and leave light seams across dark modules.
        Only a cell with a dark and a light module needs ``▀`` (top = fg).
        """
        if self.glyphs == "console":
            return tuple(tuple(("  ", False, dark) for dark in row) for row in self.matrix)
        return tuple(
            tuple((" ", False, top) if top == bottom else ("▀", top, bottom) for top, bottom in row)
            for row in self._half_rows()
        )

    def _half_rows(self) -> list[list[tuple[bool, bool]]]:
        """Rows of ``(top module, bottom module)``, two module rows a character row (an
        odd last row gets a light lower half: more quiet zone)."""
        light_row = (False,) * self.modules
        return [
            list(
                zip(
                    self.matrix[y],
                    self.matrix[y + 1] if y + 1 < self.modules else light_row,
                    strict=True,
                )
            )
            for y in range(0, self.modules, 2)
        ]


def qr_glyphs_for_terminal() -> QrGlyphs:
    """``console`` where figures are drawn for the Linux console, else half blocks."""
    return "console" if glyphs_for_terminal() == "console" else "half"


def phone_link(media: str | None) -> str | None:
    """What a phone can open from a step's ``media``: its web link, or None for a path."""
    return media if media is not None and is_web_link(media) else None


def qr_matrix(link: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, quiet zone included, True = dark (row by row, top first)."""
    import segno  # only where a code is drawn (see the module's docstring)

    # Error level L keeps the code smallest; boost_error (the default) raises
    # it for free when the same size can hold more correction.
    code = segno.make_qr(link, error="l")
    return tuple(
        tuple(module == 0x1 for module in row)
        for row in code.matrix_iter(scale=1, border=QUIET_ZONE)
    )


@lru_cache(maxsize=32)
def qr_code(link: str, glyphs: QrGlyphs = "half") -> QrCode:
    """``link`` as a QR code to draw in ``glyphs`` (cached: a step redraws often)."""
    return QrCode(link, qr_matrix(link), glyphs)


def ansi_lines(code: QrCode) -> list[str]:
    """The code painted dark on light with ANSI colours (black, white), for a terminal."""
    lines = []
    for row in code.cells:
        runs = itertools.groupby(row, key=lambda cell: (cell[1], cell[2]))
        lines.append(
            "".join(
                f"\x1b[{_ANSI_FG[fg]};{_ANSI_BG[bg]}m" + "".join(text for text, _, _ in cells)
                for (fg, bg), cells in runs
            )
            + _ANSI_RESET
        )
    return lines
