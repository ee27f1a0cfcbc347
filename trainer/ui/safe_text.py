"""Routine text is untrusted: show it literally, never as markup or escapes.

A routine file shared by a stranger could hold Textual/Rich markup
(``[@click=app.quit]``, ``[blink]``) or raw terminal escapes that move the
cursor or retitle the terminal. Everything from a routine goes through
:func:`plain` (a :class:`rich.text.Text`, which widgets never parse as markup)
after :func:`clean` removed escape sequences and control characters.
"""

from __future__ import annotations

from rich.text import Text

from trainer.untrusted_text import clean

__all__ = ["clean", "plain"]


def plain(text: str | None, style: str = "") -> Text:
    """A literal :class:`~rich.text.Text` of ``text`` (empty for None), optionally styled."""
    return Text(clean(text or ""), style=style, end="")
