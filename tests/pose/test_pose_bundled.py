"""Every bundled exercise has a figure that fits its canvas and mirrors for the other side."""

from __future__ import annotations

import pytest

from trainer import paths
from trainer.pose.model import KEYFRAME_NAMES, Pose
from trainer.pose.render import Glyphs, Picture, render
from trainer.routine.catalog import load_catalog

CATALOG = load_catalog([paths.BUNDLED_ROUTINES_DIR])
EXERCISES = {
    exercise_id: step
    for exercise_id in sorted(CATALOG.library)
    if (step := CATALOG.exercise(exercise_id)) is not None
}
#: Sizes the session screen gives the figure at 80x24 and 160x48, and a strip cell.
SIZES = [(12, 6), (30, 12), (64, 26)]
GLYPHS: tuple[Glyphs, ...] = ("braille", "half", "console")
CONSOLE_GLYPHS = set("█░▒■") | {chr(code) for code in range(32, 127)}


def _pose(exercise_id: str) -> Pose:
    pose = EXERCISES[exercise_id].pose
    assert pose is not None, f"{exercise_id} has no pose"
    return pose


def _frames(pose: Pose) -> list[tuple[str, str | None, float]]:
    names = [name for name in KEYFRAME_NAMES if getattr(pose.keyframes, name) is not None]
    frames: list[tuple[str, str | None, float]] = [(name, None, 0.0) for name in names]
    frames += [("start", name, 0.5) for name in names if name != "start"]
    return frames


def test_the_bundled_library_loads_without_problems():
    assert CATALOG.issues == []
    assert len(EXERCISES) >= 29


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_exercise_has_a_pose_marking_the_named_side(exercise_id: str):
    step = EXERCISES[exercise_id]
    pose = _pose(exercise_id)
    if step.sides in ("each", "left", "right"):
        assert any(limb.startswith("left-") for limb in pose.working), (
            f"{exercise_id} is one-sided: its pose should mark the left side's working limb"
        )
    if step.kind == "reps" or "reps" in step.also_as:
        assert pose.keyframes.bottom is not None, f"{exercise_id} repeats: it needs a bottom"


def _assert_fits(picture: Picture, width: int, height: int) -> None:
    assert picture.clipped == 0, "part of the figure fell outside the canvas"
    assert len(picture.lines) == height
    assert all(len(line) == width for line in picture.lines)
    assert any(part == "body" or part == "work" for row in picture.rows for _, part in row)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
@pytest.mark.parametrize("glyphs", GLYPHS)
def test_every_keyframe_renders_inside_the_canvas_and_mirrors(exercise_id: str, glyphs: Glyphs):
    pose = _pose(exercise_id)
    for width, height in SIZES:
        for frame, towards, progress in _frames(pose):
            left = render(pose, width, height, glyphs, "left", frame, towards, progress)  # type: ignore[arg-type]
            right = render(pose, width, height, glyphs, "right", frame, towards, progress)  # type: ignore[arg-type]
            _assert_fits(left, width, height)
            _assert_fits(right, width, height)
            assert right.lines == left.mirrored().lines
            assert right.mirrored().lines == left.lines
            characters = set("".join(left.lines))
            if glyphs == "console":
                assert characters <= CONSOLE_GLYPHS, characters - CONSOLE_GLYPHS
            elif glyphs == "braille":
                assert all(c == " " or 0x2800 <= ord(c) <= 0x28FF for c in characters)
            if pose.working and width >= 30:
                assert left.lines != right.lines, "a one-sided pose should not be symmetric"
                assert any(part == "work" for row in left.rows for _, part in row)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_moving_exercises_change_between_keyframes(exercise_id: str):
    pose = _pose(exercise_id)
    far = "bottom" if pose.keyframes.bottom is not None else "hold"
    if getattr(pose.keyframes, far) is None:
        pytest.skip("a single still keyframe")
    start = render(pose, 30, 12, "braille", "left", "start")
    end = render(pose, 30, 12, "braille", "left", far)  # type: ignore[arg-type]
    assert start.lines != end.lines
