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


def big_word(word: str) -> str:
    """``word`` drawn in block letters (five lines); letters without a glyph are skipped."""
    glyphs = [_FONT[letter] for letter in word.upper() if letter in _FONT]
    return "\n".join(" ".join(glyph[row] for glyph in glyphs) for row in range(HEIGHT))
