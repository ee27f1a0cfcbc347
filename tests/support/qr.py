"""Reading back a QR code the trainer drew in characters: modules -> PNG -> ``zbarimg``.

zbar-tools (Debian) is what a phone stands in for: if it reads the code from
the pixels, the drawing is a real, scannable QR code.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from pathlib import Path

from rich.color import Color
from rich.style import Style
from textual.strip import Strip

_HALF = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def modules_from_half_blocks(lines: Sequence[str]) -> list[list[bool]]:
    """The modules (True = dark) of a code drawn in half blocks, two rows per line."""
    rows: list[list[bool]] = []
    for line in lines:
        pairs = [_HALF[char] for char in line]
        rows += [[top for top, _ in pairs], [bottom for _, bottom in pairs]]
    return rows


def modules_from_console(lines: Sequence[str]) -> list[list[bool]]:
    """The modules of a code drawn for the Linux console: ``██`` or two spaces each."""
    return [[line[x : x + 2] == "██" for x in range(0, len(line), 2)] for line in lines]


def modules_from_cells(rows: Sequence[Sequence[tuple[str, Style]]]) -> list[list[bool]]:
    """The modules of a code painted in cells (character, Rich style): a blank is its
    background, and ``▀`` its foreground over its background (see ``QrCode.cells``)."""

    def dark(color: Color | None) -> bool:
        assert color is not None, "a code's cells have explicit colours"
        return color.get_truecolor() == (0, 0, 0)

    modules: list[list[bool]] = []
    for row in rows:
        assert {char for char, _ in row} <= {" ", "▀"}, "a painted code is blanks and ▀"
        below = [dark(style.bgcolor) for _, style in row]
        above = [
            dark(style.color) if char == "▀" else lower
            for (char, style), lower in zip(row, below, strict=True)
        ]
        modules += [above, below]
    return modules


def cells_of_strips(strips: Sequence[Strip]) -> list[list[tuple[str, Style]]]:
    """Each character a widget rendered, with its style."""
    rows = []
    for strip in strips:
        row = []
        for segment in strip:
            row += [(char, segment.style or Style()) for char in segment.text]
        rows.append(row)
    return rows


def write_png(modules: Sequence[Sequence[bool]], path: Path, scale: int = 8) -> Path:
    """A greyscale PNG of ``modules``, dark on white, ``scale`` pixels a module."""
    raw = b""
    for row in modules:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        raw += (b"\x00" + line) * scale
    height, width = len(modules) * scale, len(modules[0]) * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def zbar_read(png: Path) -> str:
    """What ``zbarimg`` reads in ``png`` (its exit status is 4 when it finds no code)."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: scripts/setup.sh installs zbar-tools for the tests"
    done = subprocess.run(
        [zbarimg, "--raw", "--quiet", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, f"zbarimg read no code: {done.returncode} {done.stderr}"
    return done.stdout.rstrip("\n")
