"""Routine text is untrusted: show it literally, never as markup or escapes.

A routine file shared by a stranger could hold Textual/Rich markup
(``[@click=app.quit]``, ``[blink]``) or raw terminal escapes that move the
cursor or retitle the terminal. Everything from a routine goes through
:func:`plain` (a :class:`rich.text.Text`, which widgets never parse as markup)
after :func:`clean` removed escape sequences and control characters.
"""

from __future__ import annotations

import re

from rich.text import Text

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-byte escapes.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
# C0 and C1 controls except newline; a tab becomes a space.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` without terminal escapes or control characters (newlines kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\t", " ")))


def plain(text: str | None, style: str = "") -> Text:
    """A literal :class:`~rich.text.Text` of ``text`` (empty for None), optionally styled."""
    return Text(clean(text or ""), style=style, end="")
