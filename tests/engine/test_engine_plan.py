"""Expanding routines into plans: order, sides, sets, checks, timing and estimates."""

from __future__ import annotations

import pytest
from engine_helpers import check, hold, instruction, plan_of, reps, rest, routine, timed

from trainer.engine.plan import PlanOptions, build_plan, spoken_seconds
from trainer.routine.catalog import LoadedRoutine


def shape(plan):
    return [(m.kind, m.side, m.set_number) for m in plan]


def test_each_side_hold_gets_a_switch_moment_between_sides():
    plan = plan_of(hold("Soleus", 45, sides="each"))
    assert shape(plan) == [("hold", "left", 1), ("switch", "right", 1), ("hold", "right", 1)]
    assert [m.planned_seconds for m in plan] == [45, 5, 45]
    assert [m.start_offset for m in plan] == [0, 45, 50]
    assert plan.total_planned_seconds == plan.total_estimated_seconds == 95


def test_right_first_routines_start_on_the_right():
    plan = plan_of(hold(sides="each"), side_order="right-first")
    assert [m.side for m in plan] == ["right", "left", "left"]
    assert plan[0].announcement == "Hold, right side"
    assert plan[1].announcement == "Switch to the left side"


def test_sets_come_first_then_sides_with_rest_between_sets():
    plan = plan_of(reps("Bridge", 8, sets=2, rest=30, sides="each"))
    assert shape(plan) == [
        ("reps", "left", 1),
        ("switch", "right", 1),
        ("reps", "right", 1),
        ("set-rest", "", 2),
        ("reps", "left", 2),
        ("switch", "right", 2),
        ("reps", "right", 2),
    ]
    assert plan[0].announcement == "Bridge, 8 reps, set 1 of 2, left side"
    assert plan[3].announcement == "Rest for 30 seconds"
    assert plan[4].announcement == "Set 2 of 2, left side"


def test_sets_without_rest_run_back_to_back():
    plan = plan_of(timed("Plank", 30, sets=3))
    assert shape(plan) == [("timed", "", 1), ("timed", "", 2), ("timed", "", 3)]
    assert [m.set_count for m in plan] == [3, 3, 3]


def test_without_switch_moments_the_second_side_announces_the_switch():
    plan = plan_of(hold(sides="each"), options=PlanOptions(switch_seconds=0))
    assert shape(plan) == [("hold", "left", 1), ("hold", "right", 1)]
    assert plan[1].switches_side and plan[1].announcement == "Switch to the right side"
    assert not plan[0].switches_side


def test_single_sided_and_both_sided_steps():
    plan = plan_of(hold(sides="left"), hold(sides="right"), hold())
    assert [m.side for m in plan] == ["left", "right", ""]


def test_check_tries_each_side_then_asks_once():
    plan = plan_of(check(duration=15, question="Which leg was lower?"))
    assert shape(plan) == [
        ("check", "left", 1),
        ("switch", "right", 1),
        ("check", "right", 1),
        ("answer", "", 1),
    ]
    answer = plan[3]
    assert answer.planned_seconds is None and answer.advance == "pedal"
    assert answer.announcement == "Which leg was lower?"
    assert answer.estimated_seconds == 10


def test_pedal_only_moments_have_no_planned_time_but_an_estimate():
    options = PlanOptions()
    plan = plan_of(instruction(), reps("Squat", 10), check())
    kinds = {m.kind: m for m in plan}
    assert kinds["instruction"].planned_seconds is None
    assert kinds["instruction"].estimated_seconds == options.instruction_seconds == 10
    assert kinds["reps"].planned_seconds is None
    assert kinds["reps"].estimated_seconds == 10 * 3 + 5
    assert kinds["check"].planned_seconds is None
    assert kinds["check"].estimated_seconds == 20
    assert plan.total_planned_seconds == 5  # only the switch between check sides
    assert plan.total_estimated_seconds == 10 + 35 + 20 + 5 + 20 + 10
    assert plan.untimed_count == 5  # instruction, reps, two check sides, answer


def test_start_offsets_accumulate_estimates():
    plan = plan_of(instruction(), hold("A", 30), rest(15), reps("B", 4))
    assert [m.start_offset for m in plan] == [0, 10, 40, 55]
    assert plan[-1].end_offset == plan.total_estimated_seconds == 55 + 4 * 3 + 5


def test_tempo_phases_skip_zero_length_phases_and_time_the_set():
    plan = plan_of(reps("Bridge", 2, tempo="3-0-1-2", advance="auto"))
    moment = plan[0]
    assert moment.planned_seconds == 12
    assert [(p.rep, p.phase, p.offset, p.length) for p in moment.tempo] == [
        (1, "down", 0, 3),
        (1, "up", 3, 1),
        (1, "top", 4, 2),
        (2, "down", 6, 3),
        (2, "up", 9, 1),
        (2, "top", 10, 2),
    ]
    assert moment.tempo_at(3.5).phase == "up"
    assert moment.tempo_at(7).rep == 2
    assert moment.tempo_at(12) is None
    assert [p.word for p in moment.tempo[:3]] == ["down", "up", "hold"]


def test_cues_keep_their_offsets_and_apply_to_every_side():
    plan = plan_of(hold(sides="each", cues=["Breathe", {"text": "Deeper", "at": 30}]))
    for moment in (plan[0], plan[2]):
        assert [(c.text, c.offset) for c in moment.cues] == [("Breathe", None), ("Deeper", 30)]
    assert plan[1].cues == ()


def test_instruction_announcement_reads_the_text():
    plan = plan_of(instruction("Lie on your back."))
    assert plan[0].announcement == "Setup. Lie on your back."


def test_navigation_helpers():
    plan = plan_of(hold("A", sides="each"), reps("B", 3, sets=2, rest=10), hold("C"))
    # A: 0 L, 1 switch, 2 R | B: 3 set1, 4 rest, 5 set2 | C: 6
    assert [m.step_index for m in plan] == [0, 0, 0, 1, 1, 1, 2]
    assert plan.step_start(2) == 0 and plan.step_start(5) == 3
    assert plan.next_step_start(0) == 3 and plan.next_step_start(6) == 7
    assert plan.previous_stop(2) == 0  # over the switch
    assert plan.previous_stop(5) == 3  # over the set rest
    assert plan.previous_stop(3) == 2
    assert plan.previous_stop(0) == 0
    assert plan.estimated_after(5) == plan[6].estimated_seconds
    assert plan.estimated_after(6) == 0


def test_plan_from_loaded_routine_carries_id_and_digest(tmp_path):
    loaded = LoadedRoutine(routine(hold()), tmp_path / "r.yaml", "abc123")
    plan = build_plan(loaded)
    assert (plan.routine_id, plan.digest, plan.title) == ("test-routine", "abc123", "Test routine")
    assert build_plan(loaded.routine).digest == ""


def test_negative_options_are_refused():
    with pytest.raises(ValueError, match="switch_seconds"):
        PlanOptions(switch_seconds=-1)


def test_spoken_seconds():
    assert spoken_seconds(30) == "30 seconds"
    assert spoken_seconds(60) == "1 minute"
    assert spoken_seconds(91) == "1 minute 31 seconds"
