"""A step's media link as a QR code: what a phone reads from the drawing is the link."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.style import Style
from support.qr import (
    modules_from_cells,
    modules_from_console,
    modules_from_half_blocks,
    write_png,
    zbar_read,
)

from trainer.core.media import QUIET_ZONE, ansi_lines, phone_link, qr_code, qr_matrix

LINKS = [
    "https://example.org/goblet-squat",
    "https://videos.example.com/coach/hips/single-leg-romanian-deadlift?t=12&lang=en",
    "http://gym.example/a",
]


@pytest.mark.parametrize("link", LINKS)
def test_the_half_block_drawing_scans_as_the_link(link: str, tmp_path: Path):
    code = qr_code(link, "half")
    modules = modules_from_half_blocks(code.lines)
    # An odd number of modules leaves the last line's lower half light (more quiet zone).
    assert modules[: code.modules] == [list(row) for row in qr_matrix(link)]
    assert not any(dark for row in modules[code.modules :] for dark in row)
    assert zbar_read(write_png(modules, tmp_path / "code.png")) == link


@pytest.mark.parametrize("link", LINKS[:2])
def test_the_console_drawing_scans_as_the_link(link: str, tmp_path: Path):
    code = qr_code(link, "console")
    assert set("".join(code.lines)) <= {"█", " "}  # the Linux console's fonts have both
    modules = modules_from_console(code.lines)
    assert modules == [list(row) for row in qr_matrix(link)]
    assert zbar_read(write_png(modules, tmp_path / "code.png")) == link


def test_the_code_has_a_light_quiet_zone_all_round():
    matrix = qr_matrix(LINKS[0])
    size = len(matrix)
    assert all(len(row) == size for row in matrix)  # square
    edge = [row[x] for row in matrix for x in (*range(QUIET_ZONE), *range(size - QUIET_ZONE, size))]
    edge += [dark for row in (*matrix[:QUIET_ZONE], *matrix[-QUIET_ZONE:]) for dark in row]
    assert not any(edge)
    assert any(matrix[QUIET_ZONE])  # the finder pattern starts right inside it


def test_a_short_link_fits_beside_the_countdown_at_80x24():
    code = qr_code(LINKS[0], "half")
    assert (code.width, code.height) == (33, 17)


def test_only_web_links_are_for_a_phone():
    assert phone_link("https://example.org/x") == "https://example.org/x"
    assert phone_link("media/bridge.mp4") is None  # a file on the trainer: shown as text
    assert phone_link(None) is None


def test_the_ansi_drawing_paints_dark_on_light_and_scans(tmp_path: Path):
    code = qr_code(LINKS[1])
    lines = ansi_lines(code)
    assert all(line.endswith("\x1b[0m") for line in lines)
    names = {"30": "black", "37": "white", "40": "black", "47": "white"}
    cells = [
        [
            (char, Style(color=names[fg], bgcolor=names[bg]))
            for fg, bg, text in re.findall(r"\x1b\[(\d+);(\d+)m([^\x1b]*)", line)
            for char in text
        ]
        for line in lines
    ]
    modules = modules_from_cells(cells)
    assert modules[: code.modules] == [list(row) for row in code.matrix]
    assert zbar_read(write_png(modules, tmp_path / "code.png")) == LINKS[1]


def test_the_encoder_is_not_imported_until_a_code_is_drawn():
    script = (
        "import sys, trainer.core.media, trainer.ui.app\n"
        "assert 'segno' not in sys.modules, 'segno imported early'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def _code_after(out: str, heading: str) -> list[str]:
    """The QR code's lines printed right after ``heading`` (its quiet zone included)."""
    lines = out.splitlines()
    start = lines.index(heading) + 1
    size = len(qr_code(heading.partition(": ")[2]).lines)
    return lines[start : start + size]


def test_show_prints_a_code_that_scans_and_a_path_as_text(tmp_path: Path, capsys, monkeypatch):
    from trainer.cli import main

    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    valid = Path(__file__).parents[1] / "routine" / "valid" / "format-v2.yaml"
    assert main(["show", str(valid)]) == 0
    out = capsys.readouterr().out
    assert "Media for Wall sit: media/wall-sit.mp4\n  (a file in the routines folder" in out
    heading = "Media for Goblet squat: https://example.org/goblet-squat"
    lines = _code_after(out, heading)
    assert "\x1b" not in "".join(lines)  # into a pipe: plain characters, dark = drawn
    png = write_png(modules_from_half_blocks(lines), tmp_path / "show.png")
    assert zbar_read(png) == "https://example.org/goblet-squat"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["show", str(valid)]) == 0
    coloured = _code_after(capsys.readouterr().out, heading)
    assert coloured == ansi_lines(qr_code("https://example.org/goblet-squat"))
    assert main(["show", str(valid), "--no-picture"]) == 0
    assert capsys.readouterr().out.count("\n") < out.count("\n") - len(lines)
