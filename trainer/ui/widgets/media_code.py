"""A step's media link as a QR code a phone can scan (see :mod:`trainer.core.media`).

Self-contained: the screen says what link to show and how much room it can
spare, and the widget shows the whole code with its quiet zone, or nothing at
all (half a code scans as nothing and looks like a fault).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from trainer.core.media import (
    QR_DARK,
    QR_LIGHT,
    QrCode,
    QrGlyphs,
    qr_code,
    qr_glyphs_for_terminal,
)

CAPTION = "Scan with a phone"


class MediaCode(Static):
    """A QR code and a one-line caption under it; hidden until :meth:`show` has room."""

    DEFAULT_CSS = """
    MediaCode {
        width: auto;
        height: auto;
        margin: 0 0 0 1;
        display: none;
    }
    """

    def __init__(self, *, glyphs: QrGlyphs | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: QrGlyphs = glyphs or qr_glyphs_for_terminal()
        #: The code on screen (None when hidden).
        self.code: QrCode | None = None

    @property
    def columns(self) -> int:
        """Columns the widget takes from its neighbours (0 when hidden)."""
        return self.code.width + 1 if self.code is not None else 0

    def show(self, link: str | None, columns: int, rows: int) -> bool:
        """Show ``link`` if its code fits ``columns`` x ``rows``; hide otherwise. True if shown."""
        code = qr_code(link, self.glyphs) if link else None
        if code is not None and (code.width + 1 > columns or code.height + 1 > rows):
            code = None
        if code != self.code:
            self.code = code
            if code is not None:
                self.update(_painted(code))
        self.display = code is not None
        return code is not None


def _painted(code: QrCode) -> Text:
    """The code in dark and light cells (explicit colours), and the caption under it."""
    colour = {True: QR_DARK, False: QR_LIGHT}
    text = Text(no_wrap=True, overflow="crop")
    for row in code.cells:
        for glyph, fg, bg in row:
            text.append(glyph, Style(color=colour[fg], bgcolor=colour[bg]))
        text.append("\n")
    text.append(f"{CAPTION[: code.width]:^{code.width}}", style="bold")
    return text
