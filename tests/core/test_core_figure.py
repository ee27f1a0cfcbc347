"""Which figure the session screen shows, from snapshots of a real engine session."""

from __future__ import annotations

from typing import Any

from trainer.core.figure import figure_for
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.vocabulary import Gesture
from trainer.pose.motion import Position
from trainer.routine.models import Routine

T0 = 1000.0
LUNGE = {
    "view": "side",
    "working": "left-leg",
    "keyframes": {
        "start": {},
        "bottom": {"left": {"hip": 80, "knee": 90, "ankle": 10}, "right": {"knee": 90}},
    },
}
STRETCH = {"view": "side", "working": "left-leg", "keyframes": {"start": {}, "hold": {"lean": 20}}}


def clock_start(run: Session, now: float = T0) -> float:
    """When the moment's clock starts: after the spoken lead-in that follows a tap."""
    for step in range(1, 600):
        later = now + step * 0.05
        elapsed = run.snapshot(later).moment_elapsed
        if elapsed > 0:
            return later - elapsed
    raise AssertionError("the clock never started")


def session(*steps: dict[str, Any]) -> Session:
    routine = Routine.model_validate(
        {"id": "t", "title": "T", "summary": "S", "blocks": [{"name": "B", "steps": list(steps)}]}
    )
    return Session(build_plan(routine))


def test_a_hold_stands_still_in_its_hold_and_the_switch_shows_the_next_side():
    run = session(
        {"kind": "hold", "name": "Stretch", "sides": "each", "duration": 10, "pose": STRETCH}
    )
    ready = figure_for(run.snapshot(T0))
    assert ready is not None and ready.position == Position("hold") and ready.side == "left"
    run.gesture(Gesture.TAP, T0)
    start = clock_start(run)
    for seconds in (1, 5, 9):
        view = figure_for(run.snapshot(start + seconds))
        assert view is not None and view.position == Position("hold")
    run.tick(start + 10.5)
    between = run.snapshot(start + 10.5)
    assert between.moment.kind == "switch"
    view = figure_for(between)
    assert view is not None and view.side == "right" and view.position == Position("hold")


def test_reps_move_with_the_tempo():
    run = session(
        {"kind": "reps", "name": "Lunge", "reps": 3, "tempo": "2-1-1", "pose": LUNGE},
    )
    run.gesture(Gesture.TAP, T0)
    start = clock_start(run)
    halfway_down = figure_for(run.snapshot(start + 1.0))
    assert halfway_down is not None and halfway_down.position == Position("start", "bottom", 0.5)
    at_bottom = figure_for(run.snapshot(start + 2.5))
    assert at_bottom is not None and at_bottom.position == Position("bottom")
    coming_up = figure_for(run.snapshot(start + 3.5))
    assert coming_up is not None and coming_up.position == Position("bottom", "start", 0.5)


def test_alternating_reps_change_side_rep_by_rep():
    run = session(
        {
            "kind": "reps",
            "name": "Lunge",
            "sides": "alternating",
            "reps": 2,
            "tempo": "2-1-1",
            "pose": LUNGE,
        },
    )
    run.gesture(Gesture.TAP, T0)
    start = clock_start(run)
    first, second = figure_for(run.snapshot(start + 2.5)), figure_for(run.snapshot(start + 6.5))
    assert first is not None and second is not None
    assert (first.side, second.side) == ("left", "right")


def test_no_figure_without_a_pose_or_for_instructions():
    run = session(
        {"kind": "instruction", "name": "Get ready", "text": "Mat by the wall."},
        {"kind": "hold", "name": "Breathe", "duration": 5},
    )
    assert figure_for(run.snapshot(T0)) is None
    run.gesture(Gesture.TAP, T0)
    run.gesture(Gesture.TAP, T0 + 1)
    assert run.snapshot(T0 + 1).moment.title == "Breathe"
    assert figure_for(run.snapshot(T0 + 2)) is None
