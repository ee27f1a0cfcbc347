"""Figures for ``trainer show``: an exercise's keyframes side by side, as plain text.

Printed output goes through the CLI's cleaning stream, which drops colour codes,
so the working limb is told apart by its heavier stroke and a caption names the
side shown.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from trainer.pose.model import Pose
from trainer.pose.motion import Position, in_phase, still
from trainer.pose.render import Glyphs, Picture, Side, glyphs_for_terminal, render
from trainer.routine.models import Step

GAP = "   "
#: A figure's height is this share of its width (cells are about twice as tall as wide).
HEIGHT_PER_WIDTH = 0.42
MAX_FIGURE_WIDTH = 34
MIN_FIGURE_WIDTH = 14


def side_by_side(pictures: Sequence[Picture], captions: Sequence[str]) -> list[str]:
    """Pictures in a row, each with its caption above it."""
    lines = [
        GAP.join(
            caption[: p.width].ljust(p.width) for p, caption in zip(pictures, captions, strict=True)
        )
    ]
    for row in range(max(picture.height for picture in pictures)):
        cells = [p.lines[row] if row < p.height else " " * p.width for p in pictures]
        lines.append(GAP.join(cells))
    return [line.rstrip() for line in lines]


def keyframe_positions(pose: Pose, kind: str) -> list[tuple[str, Position]]:
    """The frames that show an exercise from start to end: start, halfway, end."""
    if kind == "hold" and pose.keyframes.hold is None and pose.keyframes.bottom is not None:
        # A hold at the top of a movement (a bridge): set up at the bottom, then hold.
        return [
            ("set up", Position("bottom")),
            ("on the way", Position("bottom", "start", 0.5)),
            ("hold", Position("start")),
        ]
    end = still(pose, kind) if kind == "hold" else in_phase(pose, "pause", 0.0)
    if end.frame == "start":
        end = still(pose, "hold")
    frames = [("start", Position("start"))]
    if end.frame != "start":
        frames += [("on the way", in_phase(pose, "down", 0.5)), (_end_word(kind), end)]
    if pose.alternate:
        frames.append(("end, other side", in_phase(pose, "top", 0.0)))
    return frames


def _end_word(kind: str) -> str:
    return {"hold": "hold", "reps": "bottom"}.get(kind, "end")


def exercise_figures(
    step: Step,
    columns: int | None = None,
    glyphs: Glyphs | None = None,
    with_right_side: bool = True,
) -> list[str]:
    """The step's figure from start to end (left side), then its right side; [] without a pose."""
    pose = step.pose
    if pose is None:
        return []
    glyphs = glyphs or glyphs_for_terminal()
    frames = keyframe_positions(pose, step.kind)
    one_sided = step.sides != "both" and bool(pose.working)
    shown: list[tuple[str, Position, Side]] = [
        (f"{caption}{' (left)' if one_sided else ''}", position, position.side("left"))
        for caption, position in frames
    ]
    if one_sided and with_right_side:
        caption, position = frames[-1]
        shown.append((f"{caption} (right)", position, position.side("right")))
    width = _figure_width(len(shown), columns)
    height = max(6, round(width * HEIGHT_PER_WIDTH))
    pictures = [
        render(
            pose,
            width,
            height,
            glyphs,
            side,
            position.frame,
            position.towards,
            position.progress,
        )
        for _, position, side in shown
    ]
    lines = side_by_side(pictures, [caption for caption, _, _ in shown])
    if pose.view == "above":
        lines.append("Seen from above.")
    if one_sided:
        limbs = " and ".join(limb.split("-")[1] for limb in pose.working)
        lines.append(f"The heavier {limbs} is the side named on screen; the other side mirrors it.")
    return lines


def _figure_width(count: int, columns: int | None) -> int:
    columns = columns or shutil.get_terminal_size((100, 24)).columns
    fit = (columns - len(GAP) * (count - 1)) // max(count, 1)
    return max(MIN_FIGURE_WIDTH, min(MAX_FIGURE_WIDTH, fit))


def routine_figures(steps: Sequence[Step], columns: int | None = None) -> list[str]:
    """Each step with a pose once, in order: its name, then its figures."""
    lines: list[str] = []
    seen: set[tuple[str, str]] = set()
    for step in steps:
        key = (step.name, step.use or "")
        if step.pose is None or key in seen:
            continue
        seen.add(key)
        lines += ["", f"{step.name}", *exercise_figures(step, columns, with_right_side=False)]
    return lines
