"""LEFT and RIGHT in letters five rows tall, readable from across a gym.

Only full blocks are used (``█``), which even the Linux console's fonts have.
"""

from __future__ import annotations

_FONT = {
    "L": ["█    ", "█    ", "█    ", "█    ", "█████"],
    "E": ["█████", "█    ", "████ ", "█    ", "█████"],
    "F": ["█████", "█    ", "████ ", "█    ", "█    "],
    "T": ["█████", "  █  ", "  █  ", "  █  ", "  █  "],
    "R": ["████ ", "█   █", "████ ", "█  █ ", "█   █"],
    "I": ["███", " █ ", " █ ", " █ ", "███"],
    "G": [" ████", "█    ", "█  ██", "█   █", " ████"],
    "H": ["█   █", "█   █", "█████", "█   █", "█   █"],
}
HEIGHT = 5


def big_word(word: str, scale: int = 1) -> str:
    """``word`` drawn in block letters (five lines times ``scale``); letters without a
    glyph are skipped."""
    glyphs = [_FONT[letter] for letter in word.upper() if letter in _FONT]
    lines = [" ".join(glyph[row] for glyph in glyphs) for row in range(HEIGHT)]
    return "\n".join(scaled(lines, scale, scale))


def scaled(lines: list[str], across: int, down: int) -> list[str]:
    """Block-letter ``lines`` made bigger: each cell ``across`` wide and ``down`` tall."""
    return ["".join(cell * across for cell in line) for line in lines for _ in range(max(1, down))]
