"""Words in block letters five rows tall, readable from across a gym.

:func:`big_word` draws LEFT and RIGHT for the side badge; :func:`fit_big_text`
draws an exercise's name as big as the room it has allows: full blocks (five
rows a line), half blocks (``▀`` and ``▄``: three rows a line), or nothing
(the caller shows it plain) when it cannot fit or has a letter with no glyph.
Block elements are in the Linux console's fonts too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_FONT = {
    "A": [" ███ ", "█   █", "█████", "█   █", "█   █"],
    "B": ["████ ", "█   █", "████ ", "█   █", "████ "],
    "C": [" ████", "█    ", "█    ", "█    ", " ████"],
    "D": ["████ ", "█   █", "█   █", "█   █", "████ "],
    "E": ["█████", "█    ", "████ ", "█    ", "█████"],
    "F": ["█████", "█    ", "████ ", "█    ", "█    "],
    "G": [" ████", "█    ", "█  ██", "█   █", " ████"],
    "H": ["█   █", "█   █", "█████", "█   █", "█   █"],
    "I": ["███", " █ ", " █ ", " █ ", "███"],
    "J": ["  ███", "   █ ", "   █ ", "█  █ ", " ██  "],
    "K": ["█   █", "█  █ ", "███  ", "█  █ ", "█   █"],
    "L": ["█    ", "█    ", "█    ", "█    ", "█████"],
    "M": ["█   █", "██ ██", "█ █ █", "█   █", "█   █"],
    "N": ["█   █", "██  █", "█ █ █", "█  ██", "█   █"],
    "O": [" ███ ", "█   █", "█   █", "█   █", " ███ "],
    "P": ["████ ", "█   █", "████ ", "█    ", "█    "],
    "Q": [" ███ ", "█   █", "█   █", "█  █ ", " ██ █"],
    "R": ["████ ", "█   █", "████ ", "█  █ ", "█   █"],
    "S": [" ████", "█    ", " ███ ", "    █", "████ "],
    "T": ["█████", "  █  ", "  █  ", "  █  ", "  █  "],
    "U": ["█   █", "█   █", "█   █", "█   █", " ███ "],
    "V": ["█   █", "█   █", "█   █", " █ █ ", "  █  "],
    "W": ["█   █", "█   █", "█ █ █", "██ ██", "█   █"],
    "X": ["█   █", " █ █ ", "  █  ", " █ █ ", "█   █"],
    "Y": ["█   █", " █ █ ", "  █  ", "  █  ", "  █  "],
    "Z": ["█████", "   █ ", "  █  ", " █   ", "█████"],
    "0": [" ███ ", "█  ██", "█ █ █", "██  █", " ███ "],
    "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["████ ", "    █", " ███ ", "█    ", "█████"],
    "3": ["████ ", "    █", " ███ ", "    █", "████ "],
    "4": ["█   █", "█   █", "█████", "    █", "    █"],
    "5": ["█████", "█    ", "████ ", "    █", "████ "],
    "6": [" ███ ", "█    ", "████ ", "█   █", " ███ "],
    "7": ["█████", "    █", "   █ ", "  █  ", "  █  "],
    "8": [" ███ ", "█   █", " ███ ", "█   █", " ███ "],
    "9": [" ███ ", "█   █", " ████", "    █", " ███ "],
    " ": ["  ", "  ", "  ", "  ", "  "],
    ",": ["  ", "  ", "  ", " █", "█ "],
    ".": [" ", " ", " ", " ", "█"],
    "-": ["   ", "   ", "███", "   ", "   "],
    "'": ["█", "█", " ", " ", " "],
    "/": ["    █", "   █ ", "  █  ", " █   ", "█    "],
    "(": [" █", "█ ", "█ ", "█ ", " █"],
    ")": ["█ ", " █", " █", " █", "█ "],
    "&": [" ██  ", "█  █ ", " ██ █", "█  █ ", " ██ █"],
    ":": [" ", "█", " ", "█", " "],
    "+": ["   ", " █ ", "███", " █ ", "   "],
    "?": ["████ ", "    █", "  ██ ", "     ", "  █  "],
    "!": ["█", "█", "█", " ", "█"],
}
HEIGHT = 5
#: Rows a line of text takes in each size (half blocks: two glyph rows a cell, one spare).
FULL_ROWS, HALF_ROWS = HEIGHT, 3


def big_word(word: str, scale: int = 1) -> str:
    """``word`` drawn in block letters (five lines times ``scale``); letters without a
    glyph are skipped."""
    glyphs = [_FONT[letter] for letter in word.upper() if letter in _FONT]
    lines = [" ".join(glyph[row] for glyph in glyphs) for row in range(HEIGHT)]
    return "\n".join(scaled(lines, scale, scale))


def scaled(lines: list[str], across: int, down: int) -> list[str]:
    """Block-letter ``lines`` made bigger: each cell ``across`` wide and ``down`` tall."""
    return ["".join(cell * across for cell in line) for line in lines for _ in range(max(1, down))]


@dataclass(frozen=True)
class BigText:
    """Text drawn big: ``rows``, each line of text centred in the columns given."""

    size: str  # "full" or "half"
    rows: tuple[str, ...]


def fit_big_text(text: str, columns: int, rows: int) -> BigText | None:
    """``text`` in the biggest block letters that fit ``columns`` x ``rows``, wrapped
    between words (never inside one) and centred; None when even half blocks do not
    fit, or a character has no glyph: then show it plain."""
    glyph_lines = _wrapped(text, columns)
    if not glyph_lines:
        return None
    if (FULL_ROWS + 1) * len(glyph_lines) - 1 <= rows:  # a blank row between lines
        size, drawn = (
            "full",
            [line if not index else ["", *line] for index, line in enumerate(glyph_lines)],
        )
    elif HALF_ROWS * len(glyph_lines) <= rows:
        size, drawn = "half", [_halved(line) for line in glyph_lines]
    else:
        return None
    return BigText(
        size, tuple(_centred(row, len(line[-1]), columns) for line in drawn for row in line)
    )


def _centred(row: str, width: int, columns: int) -> str:
    # Centred here, as one block a line: a widget centring each row alone would
    # shift rows that end in blanks, and the letters would break apart.
    return " " * ((columns - width) // 2) + row.ljust(width)


def _glyphs(word: str) -> list[list[str]] | None:
    letters = []
    for char in unicodedata.normalize("NFKD", word.upper()):
        if unicodedata.combining(char):
            continue  # É is drawn as E
        glyph = _FONT.get(char)
        if glyph is None:
            return None
        letters.append(glyph)
    return letters


def _drawn(glyphs: list[list[str]]) -> list[str]:
    return [" ".join(glyph[row] for glyph in glyphs) for row in range(HEIGHT)]


def _wrapped(text: str, columns: int) -> list[list[str]]:
    """Lines of block-letter rows, as many words a line as ``columns`` holds; [] when a
    word alone is too wide or has a character with no glyph."""
    lines: list[list[list[str]]] = []
    for word in text.split():
        glyphs = _glyphs(word)
        if glyphs is None or len(_drawn(glyphs)[0]) > columns:
            return []
        if lines:
            joined = [*lines[-1], _FONT[" "], *glyphs]
            if len(_drawn(joined)[0]) <= columns:
                lines[-1] = joined
                continue
        lines.append(glyphs)
    return [_drawn(line) for line in lines]


_HALVES = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def _halved(rows: list[str]) -> list[str]:
    """Five glyph rows as three rows of half blocks (the last half row blank)."""
    padded = [*rows, " " * len(rows[0])]
    return [
        "".join(
            _HALVES[(top != " ", bottom != " ")] for top, bottom in zip(upper, lower, strict=True)
        )
        for upper, lower in zip(padded[0::2], padded[1::2], strict=True)
    ]
