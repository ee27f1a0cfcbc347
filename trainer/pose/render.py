"""Drawing a figure into a grid of characters.

Three glyph sets, picked by what the terminal can show (:func:`glyphs_for_terminal`):

``braille``  Unicode braille (U+2800-U+28FF): 2 x 4 dots per cell, the finest
             picture a plain terminal can draw;
``half``     half blocks (``▀ ▄ █``): 1 x 2 chunky dots per cell;
``console``  the Linux console, whose fonts (Lat15, Uni2, Uni3) have no braille
             or half blocks: ASCII strokes (``| / \\ - O``) with the working limb
             in ``█`` and the floor, wall and step in ``░ ▒``.

A :class:`Picture` is rows of ``(text, part)`` runs, where the part says what
was drawn there (``work`` for the working limb, ``body``, ``far`` for the limbs
further from the viewer, ``prop`` for the floor and props), so that callers can
colour it without this package knowing about colours. Pictures are cached per
pose, side, size, glyph set and moment in the movement.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trainer.pose.model import KeyframeName, Pose
from trainer.pose.skeleton import HEAD_RADIUS, Figure2D, Scene

Glyphs = Literal["braille", "half", "console"]
Side = Literal["left", "right", ""]
Part = Literal["", "prop", "far", "body", "work"]
#: Later parts win when they share a character cell.
PART_RANK: dict[Part, int] = {"": 0, "prop": 1, "far": 2, "body": 3, "work": 4}
_PARTS: tuple[Part, ...] = ("", "prop", "far", "body", "work")
#: Dots per character cell, across and down.
CELL_DOTS: dict[Glyphs, tuple[int, int]] = {"braille": (2, 4), "half": (1, 2), "console": (1, 1)}
#: A character cell is about twice as tall as it is wide.
CELL_ASPECT = 2.0
#: Braille dot bits by (column, row) within the cell.
_BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_CONSOLE_MIRROR = str.maketrans("/\\", "\\/")
#: Smallest canvas worth drawing a person on.
MIN_WIDTH, MIN_HEIGHT = 4, 3

Run = tuple[str, Part]


def glyphs_for_terminal(environ: Mapping[str, str] | None = None) -> Glyphs:
    """``console`` on the Linux console (``TERM=linux``) or when plain output is asked for."""
    env = os.environ if environ is None else environ
    chosen = env.get("TRAINER_FIGURE_GLYPHS", "")
    for glyphs in CELL_DOTS:
        if chosen == glyphs:
            return glyphs
    if env.get("TERM", "") == "linux" or env.get("TRAINER_PLAIN_DIGITS"):
        return "console"
    return "braille"


@dataclass(frozen=True)
class Picture:
    """Rows of styled runs; every row is exactly ``width`` characters."""

    width: int
    height: int
    rows: tuple[tuple[Run, ...], ...]
    glyphs: Glyphs
    #: Dots that fell outside the canvas (0 unless something is wrong with the fit).
    clipped: int = 0

    @property
    def lines(self) -> list[str]:
        return ["".join(text for text, _ in row) for row in self.rows]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def mirrored(self) -> Picture:
        """The picture flipped left to right, glyph by glyph."""
        rows = []
        for row in self.rows:
            cells = [(mirror_glyph(char, self.glyphs), part) for text, part in row for char in text]
            rows.append(_runs(list(reversed(cells))))
        return Picture(self.width, self.height, tuple(rows), self.glyphs, self.clipped)


def mirror_glyph(char: str, glyphs: Glyphs) -> str:
    """``char`` as it looks in a mirror (braille dots swap columns, ``/`` becomes ``\\``)."""
    if glyphs == "braille" and 0x2800 <= ord(char) <= 0x28FF:
        bits = ord(char) - 0x2800
        flipped = 0
        for row in range(4):
            if bits & _BRAILLE_BITS[0][row]:
                flipped |= _BRAILLE_BITS[1][row]
            if bits & _BRAILLE_BITS[1][row]:
                flipped |= _BRAILLE_BITS[0][row]
        return chr(0x2800 + flipped)
    return char.translate(_CONSOLE_MIRROR)


def _runs(cells: list[tuple[str, Part]]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for char, part in cells:
        if runs and runs[-1][1] == part:
            runs[-1] = (runs[-1][0] + char, part)
        else:
            runs.append((char, part))
    return tuple(runs)


class _Canvas:
    """A grid of dots, each remembering the part drawn there (and a glyph on the console)."""

    def __init__(self, width: int, height: int, aspect: float) -> None:
        self.width, self.height, self.aspect = width, height, aspect
        self.parts: list[Part] = [""] * (width * height)
        self.chars: list[str] = [" "] * (width * height)
        self.clipped = 0

    def dot(self, x: int, y: int, part: Part, char: str = "", overwrite: bool = True) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            index = y * self.width + x
            if overwrite or not self.parts[index]:
                self.parts[index] = part
                self.chars[index] = char
        else:
            self.clipped += 1

    def line(
        self,
        a: tuple[float, float],
        b: tuple[float, float],
        part: Part,
        thickness: int = 1,
        char: str = "",
        overwrite: bool = True,
    ) -> None:
        (x0, y0), (x1, y1) = a, b
        steps = max(1, math.ceil(max(abs(x1 - x0), abs(y1 - y0)) * 2))
        low = -((thickness - 1) // 2)
        seen: set[tuple[int, int]] = set()
        for i in range(steps + 1):
            t = i / steps
            cx, cy = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
            if (cx, cy) in seen:
                continue
            seen.add((cx, cy))
            for dx in range(low, low + thickness):
                for dy in range(low, low + thickness):
                    self.dot(cx + dx, cy + dy, part, char, overwrite)

    def ring(
        self, centre: tuple[float, float], rx: float, ry: float, part: Part, thickness: int = 1
    ) -> None:
        steps = max(8, math.ceil((rx + ry) * 4))
        points = [
            (
                centre[0] + rx * math.cos(2 * math.pi * i / steps),
                centre[1] + ry * math.sin(2 * math.pi * i / steps),
            )
            for i in range(steps + 1)
        ]
        for a, b in itertools.pairwise(points):
            self.line(a, b, part, thickness, "o")


def _stroke_char(a: tuple[float, float], b: tuple[float, float], aspect: float) -> str:
    """The ASCII stroke closest to the direction from ``a`` to ``b`` (y grows downwards)."""
    dx, dy = b[0] - a[0], (b[1] - a[1]) * aspect
    if abs(dy) <= 0.4 * abs(dx):
        return "-"
    if abs(dx) <= 0.4 * abs(dy):
        return "|"
    return "/" if (dx > 0) != (dy > 0) else "\\"


@lru_cache(maxsize=64)
def scene_for(pose: Pose) -> Scene:
    """The pose's :class:`Scene`, built once per pose."""
    return Scene(pose)


@lru_cache(maxsize=512)
def render(
    pose: Pose,
    width: int,
    height: int,
    glyphs: Glyphs = "braille",
    side: Side = "left",
    frame: KeyframeName = "start",
    towards: KeyframeName | None = None,
    progress: float = 0.0,
) -> Picture:
    """The figure ``progress`` (0..1) of the way from keyframe ``frame`` to ``towards``.

    ``side`` ``right`` draws the mirror image of the pose as written. The result
    is cached: pass ``progress`` rounded (see :func:`trainer.pose.motion.position`).
    """
    if side == "right":
        return render(pose, width, height, glyphs, "left", frame, towards, progress).mirrored()
    width, height = max(width, 1), max(height, 1)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return Picture(width, height, tuple(((" " * width, ""),) for _ in range(height)), glyphs)
    scene = scene_for(pose)
    across, down = CELL_DOTS[glyphs]
    aspect = CELL_ASPECT * across / down  # how much taller than wide one dot is
    canvas = _Canvas(width * across, height * down, aspect)
    _draw(canvas, scene, scene.frame(frame, towards, progress), glyphs)
    return _encode(canvas, width, height, glyphs)


def _draw(canvas: _Canvas, scene: Scene, figure: Figure2D, glyphs: Glyphs) -> None:
    bounds = scene.bounds
    span_x = max(bounds.right - bounds.left, 1.0)
    span_y = max(bounds.top - bounds.bottom, 1.0)
    console = glyphs == "console"
    # Stroke widths in dots: thicker on big canvases; the working limb one heavier.
    body = 1 if console else max(1, min(3, round(min(canvas.width, canvas.height) / 60)))
    work = 1 if console else body + 1
    margin = work // 2 + 1
    floored = scene.view != "above"
    # The floor gets the bottom row of dots to itself, so feet stand on it.
    bottom_row = canvas.height - (2 if floored else 1) - (work - 1) // 2
    # Dots per cm across; a dot is `aspect` times taller than wide.
    scale = min(
        (canvas.width - 2 * margin) / span_x,
        (bottom_row - margin) * canvas.aspect / span_y,
    )
    middle_x = (bounds.left + bounds.right) / 2
    spare_rows = bottom_row - span_y * scale / canvas.aspect
    # Standing views rest on the bottom row (the floor); from above, centre it.
    lift = max(0.0, (spare_rows - margin) / 2) if scene.view == "above" else 0.0

    def at(point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        return (
            (canvas.width - 1) / 2 + (x - middle_x) * scale,
            bottom_row - lift - (y - bounds.bottom) * scale / canvas.aspect,
        )

    # Props first, never drawn over the body.
    floor_char, prop_char = ("░", "▒") if console else ("", "")
    if floored:
        # One dot below where y = 0 lands (the bottom row unless a pinned figure dips lower).
        floor_y = min(canvas.height - 1, round(at((0.0, 0.0))[1]) + 1)
        canvas.line((0, floor_y), (canvas.width - 1, floor_y), "prop", 1, floor_char)
    if scene.wall_x is not None:
        wall_x = at((scene.wall_x, 0.0))[0]
        wall_x += -1 if scene.pose.wall == "ahead" else 1
        canvas.line((wall_x, 0), (wall_x, canvas.height - 1), "prop", 1, floor_char)
    box = scene.step_box
    if box is not None:
        left, top = at((box.left, box.top))
        right, base = at((box.right, box.bottom))
        for y in range(round(top), round(base) + 1):
            if console or y == round(top):
                canvas.line((left, y), (right, y), "prop", 1, prop_char)
        canvas.line((left, top), (left, base), "prop", 1, prop_char)
        canvas.line((right, top), (right, base), "prop", 1, prop_char)
    ball = scene.ball_at(figure)
    if ball is not None:
        (bx, by), radius = ball
        centre = at((bx, by))
        canvas.ring(centre, radius * scale, radius * scale / canvas.aspect, "prop")

    working = set(scene.pose.working)
    pelvis_depth = figure.depth["pelvis"]
    head_drawn = False
    for a, b, part, depth in figure.bones():
        if not head_drawn and depth >= figure.depth["head"]:
            _draw_head(canvas, at(figure.points["head"]), HEAD_RADIUS * scale, body, console)
            head_drawn = True
        limb = part in working
        kind: Part = "work" if limb else ("far" if depth < pelvis_depth - 3 else "body")
        start, end = at(a), at(b)
        char = "█" if limb else _stroke_char(start, end, canvas.aspect)
        canvas.line(start, end, kind, work if limb else body, char if console else "")
    if not head_drawn:
        _draw_head(canvas, at(figure.points["head"]), HEAD_RADIUS * scale, body, console)


def _draw_head(
    canvas: _Canvas, centre: tuple[float, float], radius: float, thickness: int, console: bool
) -> None:
    if console and radius / canvas.aspect < 1.2:
        canvas.dot(round(centre[0]), round(centre[1]), "body", "O")
        return
    canvas.ring(centre, radius, radius / canvas.aspect, "body", thickness)


def _encode(canvas: _Canvas, width: int, height: int, glyphs: Glyphs) -> Picture:
    across, down = CELL_DOTS[glyphs]
    rows = []
    for cy in range(height):
        cells: list[tuple[str, Part]] = []
        for cx in range(width):
            rank, bits, lit = 0, 0, []
            for i in range(across):
                for j in range(down):
                    index = (cy * down + j) * canvas.width + cx * across + i
                    part = canvas.parts[index]
                    if part:
                        rank = max(rank, PART_RANK[part])
                        if glyphs == "braille":
                            bits |= _BRAILLE_BITS[i][j]
                    lit.append(bool(part))
            if glyphs == "braille":
                char = chr(0x2800 + bits) if bits else " "
            elif glyphs == "half":
                char = _HALF[(lit[0], lit[1])]
            else:
                char = canvas.chars[cy * canvas.width + cx] if rank else " "
                char = char or "#"
            cells.append((char, _PARTS[rank] if char != " " else ""))
        rows.append(_runs(cells))
    return Picture(width, height, tuple(rows), glyphs, canvas.clipped)
