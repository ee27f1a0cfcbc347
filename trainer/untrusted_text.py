"""Text from routine files, databases and file names is untrusted: never let it drive a terminal.

Two defences, one definition of what is dangerous:

* :func:`first_forbidden` and :func:`only_invisible` let the routine reader refuse
  such text at load time (with a line and column), so a coach learns at once;
* :func:`clean` is the one output filter every print path uses (the CLI wraps its
  stdout and stderr in :class:`CleaningStream`; the TUI's ``safe_text`` and notices
  call it), because text also arrives from places no loader checked: file names,
  rows stored by older versions, exception messages.

Dangerous means: C0 and C1 control characters (ESC starts colour, cursor, title
and clipboard sequences; ``\\x9b`` is an 8-bit CSI; NUL truncates; CR overwrites
the line), DEL, and the Unicode bidirectional overrides and isolates
(U+202A-U+202E, U+2066-U+2069) that make text display in a different order than
it reads ("Trojan Source"). Tab and newline are the only controls that may stay.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TextIO

#: Bidirectional embeddings, overrides and isolates.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# C0 but tab (and newline, for the second), DEL, C1, and the bidi controls.
_FORBIDDEN_IN_LINE = re.compile(f"[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")
_FORBIDDEN_KEEPING_NEWLINES = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")

# Whole escape sequences go first so their parameters ("[2J", "]0;title") go too:
# CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (ended by BEL or ST, or by
# the end of the text), then any other two-byte escape.
# (8-bit C1 introducers such as \x9b are removed as single characters below.)
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?" r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?" r"|\x1b[ -~]?"
)

# Characters that show nothing on their own: whitespace, format characters
# (zero-width space and joiners, BOM, word joiner, bidi marks), fillers that fonts
# draw blank, variation selectors and tag characters.
_INVISIBLE = (
    "\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")


def first_forbidden(text: str, *, newlines: bool = True) -> int | None:
    """Index of the first character that may not appear in routine text, or None.

    Tab is always allowed; newline only when ``newlines`` (values, not keys).
    """
    found = (_FORBIDDEN_KEEPING_NEWLINES if newlines else _FORBIDDEN_IN_LINE).search(text)
    return None if found is None else found.start()


_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0A: "LINE FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


def describe_character(character: str) -> str:
    """``U+001B (ESCAPE)``: a character named for an error message, never shown raw."""
    code = ord(character)
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(code, "control")
    return f"U+{code:04X} ({name})"


def only_invisible(text: str) -> bool:
    """True when ``text`` has characters but none of them shows (e.g. a lone zero-width space)."""
    return bool(text) and _VISIBLE.search(text) is None


def clean(text: str, *, keep_tabs: bool = False) -> str:
    """``text`` safe to print: escape sequences and controls removed (newlines kept).

    A tab becomes a space unless ``keep_tabs`` (tables and CSV keep theirs).
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, and cheap
    text = _ESCAPES.sub("", text)
    if not keep_tabs:
        text = text.replace("\t", " ")
    return _FORBIDDEN_KEEPING_NEWLINES.sub("", text)


class CleaningStream:
    """A text stream that passes everything written through :func:`clean`.

    The CLI installs it over ``sys.stdout`` and ``sys.stderr`` so no command can
    print untrusted text raw, whichever ``print`` or ``write`` it uses. Because
    every control character is removed one by one, even a sequence split across
    two writes cannot reach the terminal.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text, keep_tabs=True))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV
# Injection"), with the full-width forms some spreadsheets fold to ASCII.
_FORMULA_STARTS = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def spreadsheet_safe_cell(value: str) -> str:
    """``value`` as text a spreadsheet will not run: a leading ``'`` when it (after
    any spaces) starts like a formula, as OWASP recommends. ``=HYPERLINK(...)``
    becomes ``'=HYPERLINK(...)``; ordinary titles are unchanged."""
    return "'" + value if value.lstrip(" ").startswith(_FORMULA_STARTS) else value


def spreadsheet_safe(fields: dict[str, Any]) -> dict[str, Any]:
    """Every text field through :func:`spreadsheet_safe_cell`; numbers stay numbers."""
    return {
        name: spreadsheet_safe_cell(value) if isinstance(value, str) else value
        for name, value in fields.items()
    }
