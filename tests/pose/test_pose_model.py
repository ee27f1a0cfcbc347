"""The pose model, its validation through `trainer validate`, motion and rendering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from trainer.cli import main
from trainer.pose.model import Pose
from trainer.pose.motion import Position, in_phase, looping, still
from trainer.pose.render import glyphs_for_terminal, mirror_glyph, render
from trainer.pose.skeleton import Scene, body_points

SQUAT = {
    "view": "side",
    "keyframes": {
        "start": {},
        "bottom": {
            "lean": 35,
            "left": {"hip": 105, "knee": 110, "ankle": 40},
            "right": {"hip": 105, "knee": 110, "ankle": 40},
        },
    },
}


def test_later_keyframes_repeat_start_except_where_they_say():
    pose = Pose.model_validate(
        {"keyframes": {"start": {"lean": 10, "left": {"knee": 20}}, "hold": {"left": {"hip": 30}}}}
    )
    frames = pose.resolved()
    assert frames["hold"].body["lean"] == 10
    assert frames["hold"].left["knee"] == 20 and frames["hold"].left["hip"] == 30
    assert frames["start"].right["knee"] == 0


def test_angles_follow_the_anatomy():
    # Standing: head above the pelvis above the feet, toes forward (+x).
    standing = body_points(Pose.model_validate({"keyframes": {"start": {}}}).resolved()["start"])
    assert (
        standing["head"][1] > standing["neck"][1] > standing["pelvis"][1] > standing["left-knee"][1]
    )
    assert standing["left-toe"][0] > standing["left-heel"][0]
    # Hip flexion brings the knee forward; on the back (lean -90) the head goes backwards.
    lifted = Pose.model_validate({"keyframes": {"start": {"lean": -90, "left": {"hip": 90}}}})
    points = body_points(lifted.resolved()["start"])
    assert points["head"][0] < points["pelvis"][0]
    assert points["left-knee"][1] > points["pelvis"][1] + 40


def test_a_squat_keeps_its_heels_on_the_floor():
    scene = Scene(Pose.model_validate(SQUAT))
    assert scene.anchor == "left-heel"
    for figure in (
        scene.frame("start"),
        scene.frame("bottom"),
        scene.frame("start", "bottom", 0.5),
    ):
        assert figure.points["left-heel"] == pytest.approx((0.0, 0.0), abs=1e-6)
    assert scene.frame("bottom").points["pelvis"][1] < scene.frame("start").points["pelvis"][1] - 30


@pytest.mark.parametrize(
    ("keyframe", "message"),
    [
        ({"left": {"knee": 175}}, "175° is outside the human range for knee flexion (0 to 160)"),
        ({"spine": -60}, "outside the human range for trunk flexion"),
        ({"right": {"elbow": "bent"}}, "'bent' is not an angle"),
        ({"right": {"elbow": "nan"}}, "'nan' is not an angle"),
        ({"neck": "1e999"}, "'1e999' is not an angle"),
    ],
)
def test_angles_outside_human_ranges_are_errors(keyframe: dict, message: str):
    with pytest.raises(ValidationError, match=re.escape(message)):
        Pose.model_validate({"keyframes": {"start": keyframe}})


def test_validate_points_at_the_line_and_column_of_a_bad_angle(tmp_path: Path, capsys):
    library = tmp_path / "mine.yaml"
    library.write_text(
        "exercises:\n"
        "  deep-squat:\n"
        "    kind: reps\n"
        "    name: Deep squat\n"
        "    reps: 5\n"
        "    pose:\n"
        "      view: sideways\n"
        "      keyframes:\n"
        "        start: {left: {kne: 10}}\n"
        "        bottom:\n"
        "          left: {knee: 175}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(library)]) == 1
    err = capsys.readouterr().out + capsys.readouterr().err
    assert f"{library}:7:13: exercises.deep-squat.pose.view: 'sideways' is not allowed" in err
    assert (
        f"{library}:9:24: exercises.deep-squat.pose.keyframes.start.left.kne: "
        "unknown field 'kne'; did you mean 'knee'?" in err
    )
    assert f"{library}:11:24: exercises.deep-squat.pose.keyframes.bottom.left.knee: 175°" in err


def test_a_wall_needs_the_side_view():
    with pytest.raises(ValidationError, match="a wall can only be drawn in the side view"):
        Pose.model_validate({"view": "front", "wall": "ahead", "keyframes": {"start": {}}})


def test_the_figure_moves_with_the_tempo_and_holds_still():
    pose = Pose.model_validate(SQUAT)
    assert in_phase(pose, "down", 0.0) == Position("start")
    assert in_phase(pose, "down", 0.5) == Position("start", "bottom", 0.5)
    assert in_phase(pose, "pause", 0.3) == Position("bottom")
    assert in_phase(pose, "up", 1.0) == Position("start")
    assert in_phase(pose, "top", 0.5) == Position("start")
    assert looping(pose, 2.0) == Position("bottom")  # 1.5 s down, then the pause
    hold = Pose.model_validate({"keyframes": {"start": {}, "hold": {"lean": 20}}})
    assert still(hold, "hold") == Position("hold")
    assert still(pose, "reps") == Position("start")


def test_frames_are_cached_per_size_and_position():
    pose = Pose.model_validate(SQUAT)
    first = render(pose, 20, 8, "braille", "left", "start", "bottom", 0.5)
    assert render(pose, 20, 8, "braille", "left", "start", "bottom", 0.5) is first
    assert render(pose, 21, 8, "braille", "left", "start", "bottom", 0.5) is not first


def test_tiny_canvases_draw_nothing_rather_than_noise():
    picture = render(Pose.model_validate(SQUAT), 3, 2, "braille")
    assert picture.lines == ["   ", "   "]


def test_glyph_set_follows_the_terminal():
    assert glyphs_for_terminal({"TERM": "linux"}) == "console"
    assert glyphs_for_terminal({"TERM": "xterm-256color"}) == "braille"
    assert glyphs_for_terminal({"TERM": "xterm", "TRAINER_FIGURE_GLYPHS": "half"}) == "half"
    assert glyphs_for_terminal({"TERM": "xterm", "TRAINER_PLAIN_DIGITS": "1"}) == "console"


def test_mirrored_glyphs():
    assert mirror_glyph("⠁", "braille") == "⠈"  # dot 1 <-> dot 4
    assert mirror_glyph("⡇", "braille") == "⢸"
    assert mirror_glyph("/", "console") == "\\"
    assert mirror_glyph("█", "console") == "█"


def test_an_alternating_pose_comes_up_on_the_other_side_every_rep():
    pose = Pose.model_validate({**SQUAT, "alternate": True})
    assert in_phase(pose, "down", 0.5, rep=1) == Position("start", "bottom", 0.5)
    assert in_phase(pose, "up", 0.5, rep=1) == Position("bottom", "start", 0.5, mirrored=True)
    assert in_phase(pose, "top", 0.0, rep=1).mirrored
    assert in_phase(pose, "down", 0.5, rep=2).mirrored
    assert not in_phase(pose, "up", 0.5, rep=2).mirrored
    assert Position("start", mirrored=True).side("left") == "right"
    assert Position("start", mirrored=True).side("right") == "left"
    assert Position("start").side("") == "left"
    assert looping(pose, 1.0) == Position(
        "start", "bottom", in_phase(pose, "down", 1 / 1.5).progress
    )
    assert looping(pose, 4.5 + 1.0).mirrored  # the second rep starts on the other side


def test_emblem_is_the_picture_that_tells_an_exercise_apart():
    from trainer.pose.motion import emblem

    squat = Pose.model_validate(SQUAT)
    assert emblem(squat, "reps") == Position("bottom")
    hold = Pose.model_validate({"keyframes": {"start": {}, "hold": {"lean": 20}}})
    assert emblem(hold, "hold") == Position("hold")
    assert emblem(Pose.model_validate({"keyframes": {"start": {}}}), "timed") == Position("start")
