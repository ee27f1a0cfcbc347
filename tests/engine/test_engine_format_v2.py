"""Format v2 in the pure engine: sets on holds, setup, rounds, alternating sides, rep cues,
tempo start phases, per-step switch time, block side order, and checks that record numbers."""

from __future__ import annotations

import pytest
from engine_helpers import T0, check, hold, new_driver, plan_of, reps
from test_engine_checks import at_answer, spoken

from trainer.engine.effects import RecordCheck
from trainer.engine.events import CheckAnswered
from trainer.engine.plan import PlanOptions, TighterSides, build_plan
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command
from trainer.routine.models import Routine


def kinds(plan):
    return [(m.kind, m.side, m.set_number) for m in plan]


def test_holds_have_sets_with_rest_and_a_setup_moment_first():
    plan = plan_of(hold("Side plank", 30, sides="each", sets=2, rest=20, setup=10))
    assert kinds(plan) == [
        ("setup", "", 1),
        ("hold", "left", 1),
        ("switch", "right", 1),
        ("hold", "right", 1),
        ("set-rest", "", 2),
        ("hold", "left", 2),
        ("switch", "right", 2),
        ("hold", "right", 2),
    ]
    assert plan[0].planned_seconds == 10 and plan[0].advance == "auto"
    assert plan[0].announcement == "Get into position for Side plank"
    assert plan[0].is_transition


def test_rounds_repeat_the_block_with_rest_between_rounds():
    routine = Routine.model_validate(
        {
            "title": "Circuit",
            "summary": "S",
            "blocks": [
                {
                    "name": "Circuit",
                    "rounds": 3,
                    "rest_between_rounds": "60s",
                    "steps": [hold("Bridge", 20), reps("Squat", 5)],
                },
                {"name": "After", "steps": [hold("Stretch", 30)]},
            ],
        }
    )
    plan = build_plan(routine)
    assert [(m.kind, m.title, m.round_number) for m in plan] == [
        ("hold", "Bridge", 1),
        ("reps", "Squat", 1),
        ("round-rest", "Rest before round 2 of 3", 2),
        ("hold", "Bridge", 2),
        ("reps", "Squat", 2),
        ("round-rest", "Rest before round 3 of 3", 3),
        ("hold", "Bridge", 3),
        ("reps", "Squat", 3),
        ("hold", "Stretch", 1),
    ]
    assert plan[0].announcement.startswith("Round 1 of 3, Bridge")
    assert plan[3].announcement.startswith("Round 2 of 3, Bridge")
    assert not plan[4].announcement.startswith("Round")
    assert plan[2].planned_seconds == 60
    assert plan[8].round_count == 1


def test_alternating_reps_count_both_sides_and_say_the_side_each_rep():
    plan = plan_of(reps("Single-leg RDL", 3, sides="alternating", tempo="2-0-1"))
    (moment,) = plan
    assert moment.side == "" and moment.reps == 6 and moment.planned_seconds == 18
    assert [phase.side for phase in moment.tempo if phase.phase == "down"] == [
        "left",
        "right",
    ] * 3
    said = [(cue.text, cue.offset) for cue in moment.cues]
    assert said == [("Right", 3.0), ("Left", 6.0), ("Right", 9.0), ("Left", 12.0), ("Right", 15.0)]
    assert "3 reps each side" in moment.announcement
    assert "alternating, left first" in moment.announcement


def test_block_side_order_overrides_the_routine_and_switch_time_per_step():
    routine = Routine.model_validate(
        {
            "title": "T",
            "summary": "S",
            "blocks": [
                {
                    "name": "A",
                    "side_order": "right-first",
                    "steps": [hold("H", 30, sides="each", switch="12s")],
                },
                {"name": "B", "steps": [hold("H2", 30, sides="each")]},
            ],
        }
    )
    plan = build_plan(routine, PlanOptions(switch_seconds=5))
    assert [(m.kind, m.side, m.planned_seconds) for m in plan] == [
        ("hold", "right", 30),
        ("switch", "left", 12),
        ("hold", "left", 30),
        ("hold", "left", 30),
        ("switch", "right", 5),
        ("hold", "right", 30),
    ]


def test_tempo_written_from_the_lift_starts_each_rep_with_up():
    (moment,) = plan_of(reps("Bridge", 2, tempo={"up": 1, "hold": 2, "down": 3}))
    assert [(p.rep, p.phase, p.offset, p.length) for p in moment.tempo] == [
        (1, "up", 0, 1),
        (1, "top", 1, 2),
        (1, "down", 3, 3),
        (2, "up", 6, 1),
        (2, "top", 7, 2),
        (2, "down", 9, 3),
    ]
    assert [p.word for p in moment.tempo[:3]] == ["up", "hold", "down"]
    (same,) = plan_of(reps("Bridge", 2, tempo="3-0-1-2", start="up"))
    assert [(p.phase, p.length) for p in same.tempo] == [(p.phase, p.length) for p in moment.tempo]


def test_rep_cues_fall_on_their_reps():
    cues = [
        "Knee over your outer toes",
        {"text": "Last two, slow down", "rep": -2},
        {"text": "Breathe out", "rep": "every", "at": "2s"},
        {"text": "Halfway", "rep": 3},
        {"text": "Stand tall", "at": "10s"},
    ]
    (moment,) = plan_of(reps("Squat", 5, tempo="3-1-1", cues=cues))
    said = sorted((cue.offset if cue.offset is not None else -1, cue.text) for cue in moment.cues)
    assert said == [
        (-1, "Knee over your outer toes"),
        (2.0, "Breathe out"),
        (7.0, "Breathe out"),
        (10.0, "Halfway"),
        (10.0, "Stand tall"),
        (12.0, "Breathe out"),
        (15.0, "Last two, slow down"),
        (17.0, "Breathe out"),
        (22.0, "Breathe out"),
    ]


def test_rep_range_counts_to_the_top_and_says_the_range():
    (moment,) = plan_of(reps("RDL", "8-10", tempo="2-0-1"))
    assert moment.reps == 10 and moment.reps_text == "8 to 10"
    assert moment.planned_seconds == 30
    assert moment.announcement.startswith("RDL, 8 to 10 reps")


def test_a_one_number_check_is_only_asked():
    plan = plan_of(check("knee-pain", name="Knee pain", record={"unit": "score"}))
    assert [(m.kind, m.announcement) for m in plan] == [("answer", "Knee pain, 0 to 10")]


def test_pedal_enters_centimetres_with_tenths_per_side_and_derives_the_tighter_side():
    step = check("knee-to-wall", sides="each", record={"unit": "cm", "per_side": True, "max": 30})
    driver = at_answer(step)
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.answer.stage == "value" and snapshot.answer.side == "left"
    assert snapshot.answer.question == "Left side, in centimetres"
    assert [spoken(driver.tap())[0] for _ in range(8)] == [str(n) for n in range(8)]
    assert spoken(driver.long_press()) == ["7. Tap for tenths, hold to confirm"]
    for _ in range(6):
        said = spoken(driver.tap())
    assert said == ["7.5"]
    assert spoken(driver.long_press()) == ["Left 7.5 centimetres. Right side, in centimetres"]
    for _ in range(10):
        driver.tap()
    driver.long_press()  # 9 -> tenths stage
    effects = driver.long_press()  # 9.0
    (record,) = [e for e in effects if isinstance(e, RecordCheck)]
    assert record.values == (("left", 7.5), ("right", 9.0))
    assert record.unit == "cm"
    assert record.result == "left-tighter"  # tighter: lower (the default)
    assert driver.session.state is SessionState.FINISHED


def test_choices_per_side_and_back_to_the_previous_side():
    step = check(
        "aslr",
        sides="each",
        record={
            "per_side": True,
            "choices": ["above", "between", "below", "painful"],
            "tighter": "higher",
        },
    )
    driver = at_answer(step)
    assert spoken(driver.tap()) == ["above"]
    assert spoken(driver.long_press()) == ["Left above. Right side: which one?"]
    driver.command(Command.BACK)  # back to the left side
    assert driver.session.snapshot(driver.now).answer.side == "left"
    driver.tap()
    driver.tap()
    driver.long_press()  # left: between
    for _ in range(4):
        driver.tap()
    effects = driver.long_press()  # right: painful
    (record,) = [e for e in effects if isinstance(e, RecordCheck)]
    assert record.values == (("left", 1.0), ("right", 3.0))
    assert record.result == "right-tighter" and record.unit == "choice"


def test_a_score_answered_from_keys():
    driver = at_answer(check("knee-pain", name="Knee pain", record={"unit": "score"}))
    effects = driver.session.handle(CheckAnswered("even", driver.now, values=(("", 3),)))
    (record,) = [e for e in effects if isinstance(e, RecordCheck)]
    assert (record.values, record.result, record.unit) == ((("", 3.0),), "even", "score")


def test_keys_may_not_answer_outside_the_range():
    driver = at_answer(check("knee-pain", name="Knee pain", record={"unit": "score"}))
    with pytest.raises(ValueError, match="outside 0-10"):
        driver.session.handle(CheckAnswered("even", driver.now, values=(("", 11),)))
    assert driver.session.state is SessionState.ANSWERING


def test_session_runs_a_whole_circuit_on_the_fake_clock():
    routine = Routine.model_validate(
        {
            "title": "Circuit",
            "summary": "S",
            "blocks": [
                {
                    "name": "C",
                    "rounds": 2,
                    "rest_between_rounds": 30,
                    "steps": [
                        hold("Plank", 20, sets=2, rest=10, setup=5),
                        reps("RDL", 2, sides="alternating", tempo="2-0-1", advance="auto"),
                    ],
                }
            ],
        }
    )
    driver = new_driver(build_plan(routine))
    driver.tap()
    while not driver.session.state.ended:
        deadline = driver.session.next_deadline(driver.now)
        assert deadline is not None
        driver.at(deadline).tick()
    assert driver.session.state is SessionState.FINISHED
    assert driver.now - T0 == pytest.approx(2 * (5 + 20 + 10 + 20 + 12) + 30)


def test_extra_set_goes_to_the_side_the_latest_check_found_tighter():
    step = hold("Figure-4", 30, sides="each", rest=10, extra_set="tighter_side")
    tighter = TighterSides.from_results(
        [("aslr", "left-tighter"), ("seated-cross-legged", "right-tighter")]
    )
    plan = build_plan(routine_of(step), tighter=tighter)
    assert [(m.kind, m.side, m.set_number) for m in plan] == [
        ("hold", "left", 1),
        ("switch", "right", 1),
        ("hold", "right", 1),
        ("set-rest", "", 2),
        ("hold", "right", 2),
    ]
    assert plan[-1].announcement == "One extra set, right side, your tighter side"
    assert plan.notes == ("Your right side was tighter last time: one extra set on the right",)
    driver = new_driver(plan)
    greeting = driver.session.greeting(driver.now)
    assert "Your right side was tighter last time: one extra set on the right." in next(
        effect.text for effect in greeting if hasattr(effect, "text")
    )


def test_extra_set_by_a_named_check_and_none_without_a_result():
    step = hold("Figure-4", 30, sides="each", extra_set="tighter_side", tighter_by="aslr")
    tighter = TighterSides.from_results(
        [("aslr", "left-tighter"), ("seated-cross-legged", "right-tighter")]
    )
    plan = build_plan(routine_of(step), tighter=tighter)
    assert plan[-1].side == "left" and plan[-1].set_number == 2
    assert "on the aslr check" in plan.notes[0]
    assert len(build_plan(routine_of(step))) == 3  # no results: no extra set, no note
    evened = TighterSides.from_results([("aslr", "left-tighter"), ("aslr", "even")])
    assert len(build_plan(routine_of(step), tighter=evened)) == 3


def test_extra_set_needs_a_two_sided_step():
    with pytest.raises(ValueError, match="needs a step with sides: each"):
        routine_of(hold("Frog", 30, extra_set="tighter_side"))


def routine_of(*steps):
    return Routine.model_validate(
        {"title": "T", "summary": "S", "blocks": [{"name": "A", "steps": list(steps)}]}
    )
