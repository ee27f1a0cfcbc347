"""Gestures and commands: start, done, back, restart, skip, pause, quit, and the legend."""

from __future__ import annotations

import pytest
from engine_helpers import T0, hold, instruction, new_driver, plan_of, reps, rest

from trainer.engine.effects import (
    MomentStarted,
    PlayTone,
    RecordMoment,
    SessionFinished,
    SessionStarted,
    Speak,
)
from trainer.engine.session import Session
from trainer.engine.settings import EngineSettings, GestureMap
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command, Gesture, Tone


def test_session_waits_in_ready_until_the_first_tap():
    plan = plan_of(hold("Soleus", 30))
    driver = new_driver(plan)
    greeting = driver.session.greeting(T0)
    assert driver.session.snapshot(T0).state is SessionState.READY
    (said,) = greeting  # the welcome, with the safety note, before the first tap
    assert said.due == T0 and said.text.startswith("Test routine. Move within")
    assert "Stop if you feel sharp" in said.text
    assert said.text.endswith("First: Soleus. Tap to start.")
    assert driver.wait(100).tick() == []  # time passes, nothing happens
    assert driver.double_tap() == [] and driver.long_press() == []
    assert driver.session.snapshot(driver.now).legend_text == "tap: start"

    effects = driver.tap()
    started = effects[0]
    assert started == SessionStarted("test-routine", "", "Test routine", 1, 0, T0 + 100)
    assert MomentStarted(0, T0 + 100, 1) in effects
    assert PlayTone(Tone.START, T0 + 100) in effects
    assert driver.session.snapshot(driver.now).state is SessionState.RUNNING


def test_tap_finishes_a_running_hold_early():
    plan = plan_of(hold("A", 45), hold("B", 45))
    driver = new_driver(plan)
    driver.tap()
    driver.wait(30).tap()
    (record,) = driver.records()
    assert (record.actual_seconds, record.skipped, record.went_back, record.next_index) == (
        30,
        False,
        False,
        1,
    )
    assert driver.session.index == 1
    # B's start tone and name play at once; its next sound is a moment later.
    assert driver.session.next_deadline(driver.now) == pytest.approx(driver.now + 0.45)
    assert PlayTone(Tone.END, T0 + 45) not in driver.effects(PlayTone)  # A's end never came


def test_back_from_the_pause_menu_goes_back_over_switch_moments_and_restarts_that_moment():
    plan = plan_of(hold("A", 30, sides="each"))  # 0 left, 1 switch, 2 right
    driver = new_driver(plan)
    driver.tap()
    driver.at(T0 + 32).tick()  # in the switch moment (T0 + 30 to T0 + 35)
    assert driver.session.index == 1
    driver.at(T0 + 35).tick()  # the right side starts
    assert driver.session.index == 2
    driver.wait(3).long_press()  # pause
    assert spoken(driver.tap()) == ["Back. Hold to choose."]
    driver.long_press()
    assert driver.session.index == 0
    last = driver.records()[-1]
    assert (last.moment_index, last.went_back, last.actual_seconds, last.next_index) == (
        2,
        True,
        pytest.approx(3),
        0,
    )
    assert not driver.session.paused
    assert driver.session.snapshot(driver.now).moment_left == 30  # a fresh visit


def test_back_on_the_first_moment_restarts_it():
    driver = new_driver(plan_of(hold("A", 30)))
    driver.tap()
    driver.wait(10).command(Command.BACK)
    assert driver.session.index == 0
    assert driver.session.snapshot(driver.now).moment_left == 30
    assert [s.visit for s in driver.starts()] == [1, 2]


def test_restart_step_goes_to_the_steps_first_moment():
    plan = plan_of(hold("Warm-up", 10), reps("Bridge", 3, sets=3, tempo="1-0-1", advance="auto"))
    driver = new_driver(plan)
    driver.tap()
    driver.wait(10).tick()
    driver.wait(12).tick()  # into set 3 (moments: 0 warm-up, 1..3 sets)
    assert driver.session.index == 3
    driver.command(Command.RESTART_STEP)
    assert driver.session.index == 1
    assert driver.records()[-1].went_back


def test_skip_logs_the_rest_of_the_step_as_skipped():
    plan = plan_of(hold("A", 30, sides="each"), hold("B", 20))
    driver = new_driver(plan)
    driver.tap()
    driver.wait(10).command(Command.SKIP)
    assert driver.session.index == 3
    assert [
        (r.moment_index, r.skipped, r.actual_seconds, r.next_index) for r in driver.records()
    ] == [
        (0, True, 10, 3),
        (1, True, 0, 3),
        (2, True, 0, 3),
    ]
    driver.run_to_end()
    summary = driver.finished().summary
    assert (summary.moments_done, summary.moments_skipped) == (1, 3)


def test_skipping_the_last_step_finishes_the_session():
    driver = new_driver(plan_of(hold("A", 30)))
    driver.tap()
    effects = driver.wait(5).command(Command.SKIP)
    assert driver.session.state is SessionState.FINISHED
    assert PlayTone(Tone.SESSION_COMPLETE, T0 + 5) in effects
    assert driver.wait(10).tap() == []  # an ended session ignores everything


def test_quit_logs_the_moment_in_progress_with_its_time_and_pauses():
    # A quit (the kiosk's idle reset, the pause menu's "end session") used to drop
    # the moment in progress, so its active time went missing and its pause was 0.
    driver = new_driver(plan_of(hold("A", 30), hold("B", 30)))
    driver.tap()
    driver.wait(35).tick()
    driver.wait(3).command(Command.PAUSE)
    effects = driver.wait(120).command(Command.QUIT)  # left paused until the reset
    (finished,) = [e for e in effects if isinstance(e, SessionFinished)]
    assert finished.summary.status == "abandoned"
    assert finished.summary.moments_done == 1
    assert finished.summary.moments_skipped == 1
    assert [r.moment_index for r in driver.records()] == [0, 1]
    last = driver.records()[-1]
    assert last.skipped and not last.done
    assert (last.actual_seconds, last.paused_seconds) == (8, 120)
    assert (finished.summary.active_seconds, finished.summary.paused_seconds) == (38, 120)
    assert driver.session.state is SessionState.ABANDONED
    assert Tone.SESSION_COMPLETE not in {e.tone for e in driver.effects(PlayTone)}


def test_quit_before_starting_reports_a_session_that_never_started():
    driver = new_driver(plan_of(hold()))
    (finished,) = driver.command(Command.QUIT)
    assert finished.summary.started_at is None and finished.summary.status == "abandoned"


def test_long_press_pauses_and_long_press_resumes():
    driver = new_driver(plan_of(hold("A", 30)))
    driver.tap()
    effects = driver.wait(5).long_press()
    assert Speak("Paused. Hold to resume, tap for more choices.", T0 + 5) in effects
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.paused and snapshot.legend_text == "tap: more choices  hold: resume"
    driver.wait(20).long_press()
    assert not driver.session.paused and driver.session.index == 0  # resumed, not advanced
    driver.wait(10).long_press()
    driver.wait(7).long_press()
    driver.wait(15).tick()
    (record,) = driver.records()
    assert (record.actual_seconds, record.paused_seconds) == (30, 27)
    assert record.at - record.started_at == 57


def test_navigating_while_paused_starts_the_new_moment_running():
    driver = new_driver(plan_of(hold("A", 30), hold("B", 30)))
    driver.tap()
    driver.wait(5).long_press()
    driver.wait(60).long_press()  # resume
    driver.long_press()
    driver.wait(10).command(Command.SKIP)
    (record,) = driver.records()
    assert record.paused_seconds == 70 and record.actual_seconds == 5
    assert not driver.session.paused
    assert driver.session.next_deadline(driver.now) is not None


def test_legend_follows_the_moment():
    plan = plan_of(hold("A", 30), instruction(), hold("B", 30), rest(10))
    driver = new_driver(plan)
    driver.tap()
    driver.tap()
    assert driver.session.snapshot(driver.now).legend_text == "tap: next  hold: pause"
    driver.tap()
    assert driver.session.snapshot(driver.now).legend_text == "tap: done  hold: pause"
    driver.tap()
    assert driver.session.snapshot(driver.now).legend_text.startswith("tap: skip rest")


def test_gestures_follow_the_configured_map():
    gestures = GestureMap(tap=Command.PRIMARY, double_tap=Command.SKIP, long_press=None)
    session = Session(plan_of(hold("A", 30, sides="each"), hold("B")), EngineSettings(gestures))
    session.gesture(Gesture.TAP, T0)
    assert session.gesture(Gesture.LONG_PRESS, T0 + 1) == []  # unused gesture
    session.gesture(Gesture.DOUBLE_TAP, T0 + 2)
    assert session.index == 3
    assert session.snapshot(T0 + 2).legend_text == "tap: done  double: skip step"


def test_start_at_a_later_moment_for_resume():
    plan = plan_of(hold("A", 30), hold("B", 30), hold("C", 30))
    session = Session(plan, start_index=1)
    assert "Resuming Test routine at B" in session.greeting(T0)[0].text
    effects = session.gesture(Gesture.TAP, T0)
    assert effects[0].start_index == 1
    assert session.snapshot(T0).session_left == 60
    with pytest.raises(ValueError, match="outside the plan"):
        Session(plan, start_index=3)


def test_records_carry_the_moment_details():
    plan = plan_of(reps("Bridge", 3, sets=2, tempo="1-0-1", rest=10, sides="right", advance="auto"))
    driver = new_driver(plan)
    driver.run_to_end()
    records = driver.effects(RecordMoment)
    assert [(r.kind, r.step_name, r.side, r.set_number, r.planned_seconds) for r in records] == [
        ("reps", "Bridge", "right", 1, 6),
        ("set-rest", "Bridge", "", 2, 10),
        ("reps", "Bridge", "right", 2, 6),
    ]


def test_snapshot_shows_the_latest_coaching_cue():
    driver = new_driver(plan_of(hold("A", 30, cues=["Breathe", {"text": "Deeper", "at": 10}])))
    driver.tap()
    driver.at(T0 + 2).tick()  # after the start tone and the name
    assert driver.session.snapshot(driver.now).cue_text == "Breathe"
    effects = driver.at(T0 + 10).tick()
    assert Speak("Deeper", T0 + 10) in effects
    assert driver.session.snapshot(driver.now).cue_text == "Deeper"


def spoken(effects):
    return [e.text for e in effects if isinstance(e, Speak)]


def test_taps_while_paused_step_through_the_menu_out_loud():
    driver = new_driver(plan_of(hold("A", 30), hold("B", 30)))
    driver.tap()
    driver.wait(5).long_press()
    said = [spoken(driver.tap()) for _ in range(5)]
    assert said == [
        ["Back. Hold to choose."],
        ["Restart step. Hold to choose."],
        ["Skip step. Hold to choose."],
        ["End session. Hold to choose."],
        ["Resume. Hold to choose."],
    ]
    menu = driver.session.snapshot(driver.now).pause_menu
    assert menu is not None and menu.highlighted == "resume"
    assert driver.session.paused and driver.session.index == 0  # taps alone change nothing


def test_skip_step_from_the_pause_menu():
    driver = new_driver(plan_of(hold("A", 30, sides="each"), hold("B", 30)))
    driver.tap()
    driver.wait(5).long_press()
    for _ in range(3):
        driver.tap()
    driver.long_press()
    assert driver.session.index == 3 and not driver.session.paused


def test_end_session_by_pedal_alone_asks_once_more_and_is_recorded_as_ended_early():
    driver = new_driver(plan_of(hold("A", 30), hold("B", 30)))
    driver.tap()
    driver.wait(35).tick()  # A done, into B
    driver.wait(5).long_press()
    for _ in range(4):
        driver.tap()  # -> end session
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.legend_text == "tap: more choices  hold: end session..."
    assert spoken(driver.long_press()) == ["End the session? Hold to end, tap to keep going."]
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.pause_menu is not None and snapshot.pause_menu.confirming_end
    assert snapshot.legend_text == "tap: keep going  hold: END SESSION"
    assert not driver.session.state.ended  # one long press is not enough

    effects = driver.long_press()
    assert "Session ended early." in spoken(effects)
    (finished,) = [e for e in effects if isinstance(e, SessionFinished)]
    assert finished.summary.status == "abandoned"  # shown and logged as "ended early"
    assert finished.summary.moments_done == 1
    assert driver.session.state is SessionState.ABANDONED


def test_a_tap_while_confirming_the_end_keeps_the_session_going():
    driver = new_driver(plan_of(hold("A", 30)))
    driver.tap()
    driver.wait(5).long_press()
    for _ in range(4):
        driver.tap()
    driver.long_press()  # "End the session?"
    assert spoken(driver.tap()) == ["Not ended. Resume: hold to choose."]
    driver.long_press()  # resume
    assert not driver.session.paused and not driver.session.state.ended


def test_keys_still_act_directly_while_paused():
    driver = new_driver(plan_of(hold("A", 30), hold("B", 30)))
    driver.tap()
    driver.wait(5).long_press()
    driver.tap()  # menu on "back"
    driver.command(Command.PAUSE)  # escape: resume, whatever the menu shows
    assert not driver.session.paused and driver.session.index == 0


def test_the_lead_in_comes_before_the_clock_and_a_tap_in_it_means_go_now():
    plan = plan_of(hold("A", 30), hold("B", 30))
    driver = new_driver(plan, EngineSettings())  # the shipped rules: a 3 s count-in
    lead_in = driver.session.sounds[0].lead_in
    assert lead_in > 3
    driver.tap()
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.lead_in_left == pytest.approx(lead_in) and snapshot.moment_left == 30
    driver.at(T0 + lead_in - 3).tick()
    assert spoken(driver.effects(Speak))[-1] == "three"
    driver.at(T0 + lead_in + 10).tick()  # ten seconds of work
    assert driver.session.snapshot(driver.now).moment_left == pytest.approx(20)
    driver.at(T0 + lead_in + 30).tick()  # A ends after its lead-in and 30 s
    assert driver.session.index == 1
    (record,) = driver.records()
    assert record.actual_seconds == 30 and record.started_at == pytest.approx(T0 + lead_in)

    before = len(driver.effects(Speak))
    driver.wait(0.5).tap()  # in B's lead-in, before its count-in: go now
    assert driver.session.index == 1 and driver.session.snapshot(driver.now).lead_in_left is None
    assert spoken(driver.tick())[:1] == ["go"] or "go" in spoken(driver.effects(Speak)[before:])
    assert "three" not in spoken(driver.effects(Speak)[before:])  # the count-in is skipped
    assert driver.session.snapshot(driver.now).moment_left == 30


def test_a_long_welcome_is_said_in_pieces_on_its_plan_and_a_tap_cuts_it_short():
    safety = " ".join(f"Safety sentence number {n} is important." for n in range(12))
    plan = plan_of(hold("Soleus", 30), safety=safety)
    driver = new_driver(plan)
    welcome = driver.session.sounds.welcome
    assert len(welcome) >= 3 and all(len(s.text) <= 200 for s in welcome)
    first = driver._keep(driver.session.greeting(T0))
    assert [e.text for e in first] == [welcome[0].text]
    assert driver.session.next_deadline(T0) == T0 + welcome[1].start
    driver.at(T0 + welcome[1].start).tick()
    assert spoken(driver.effects(Speak))[-1] == welcome[1].text
    driver.tap()  # acknowledged: start now
    assert driver.session.state is SessionState.RUNNING
    later = spoken(driver.wait(100).tick())
    assert welcome[2].text not in later


def test_one_tap_starts_past_an_opening_instruction():
    # The first tap used to start the session *on* the instruction the ready
    # screen already showed, so a second tap was needed to begin.
    driver = new_driver(plan_of(instruction("Get a mat."), hold("A", 30)))
    assert driver.session.state is SessionState.READY
    driver.tap()
    assert driver.session.state is SessionState.RUNNING
    assert driver.session.index == 1
    assert [r.moment_index for r in driver.records()] == [0]
    assert driver.records()[0].done


def test_one_tap_starts_a_routine_that_opens_with_work():
    driver = new_driver(plan_of(hold("A", 30), hold("B", 30)))
    driver.tap()
    assert driver.session.state is SessionState.RUNNING and driver.session.index == 0
    assert driver.records() == []
