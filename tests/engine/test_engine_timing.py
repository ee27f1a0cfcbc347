"""Timing: a 30-minute session on a fake clock is exact, jitter-proof and pause-exact."""

from __future__ import annotations

import time

import pytest
from engine_helpers import (
    CUE_TYPES,
    T0,
    hold,
    jittery,
    new_driver,
    plan_of,
    reps,
    rest,
    thirty_minute_routine,
)

from trainer.engine.effects import MomentStarted, PlayTone, RecordMoment, Speak
from trainer.engine.pausemenu import PAUSED_LINE
from trainer.engine.plan import build_plan
from trainer.engine.settings import CueRules
from trainer.engine.snapshot import SessionState
from trainer.engine.soundplan import plan_sounds
from trainer.engine.vocabulary import Command, Tone


@pytest.fixture(scope="module")
def long_plan():
    plan = build_plan(thirty_minute_routine())
    assert all(m.advance == "auto" and m.is_timed for m in plan)
    assert 29 * 60 <= plan.total_planned_seconds <= 40 * 60
    return plan


def expected_cues(plan, start=T0):
    """Every cue of every moment at the time the plan says: start + offsets."""
    sounds = plan_sounds(plan, CueRules(count_in_seconds=0))
    return [
        (start + moment.start_offset + cue.start, cue.effect(0.0).__class__, cue.tone or cue.text)
        for moment in plan
        for cue in sounds[moment.index].sounds
    ]


def cue_key(effect):
    return (
        effect.due,
        effect.__class__,
        effect.tone if isinstance(effect, PlayTone) else effect.text,
    )


def test_thirty_minute_session_runs_fast_and_cues_match_the_plan(long_plan):
    driver = new_driver(long_plan)
    began = time.perf_counter()
    driver.run_to_end()
    assert time.perf_counter() - began < 1.0

    cues = driver.cues()
    end = T0 + long_plan.total_planned_seconds
    assert [cue_key(item.effect) for item in cues] == [
        *expected_cues(long_plan),
        (end, PlayTone, Tone.SESSION_COMPLETE),
        (end, Speak, "Session complete. Well done."),
    ]
    # Ticking exactly at next_deadline(), every cue is emitted at the moment it is due.
    assert all(item.now == item.effect.due for item in cues)
    # Spot checks against hand-computed times: the first hold's halfway chime and pips.
    first = [(item.effect.due - T0, getattr(item.effect, "tone", None)) for item in cues[:12]]
    assert (30.0, Tone.HALFWAY) in first and (57.0, Tone.PIP) in first and (60.0, Tone.END) in first
    summary = driver.finished().summary
    assert summary.ended_at == T0 + long_plan.total_planned_seconds
    assert summary.active_seconds == long_plan.total_planned_seconds
    assert summary.moments_done == len(long_plan)


def test_jittery_late_ticks_cause_zero_drift(long_plan):
    exact = new_driver(long_plan)
    exact.run_to_end()
    late = new_driver(long_plan)
    late.run_to_end(jitter=jittery(seed=7, most=0.9))

    assert [cue_key(c.effect) for c in late.cues()] == [cue_key(c.effect) for c in exact.cues()]
    assert [s.at for s in late.starts()] == [s.at for s in exact.starts()]
    assert late.finished().summary.ended_at == T0 + long_plan.total_planned_seconds
    # Each cue came out on the first tick at or after it was due, never early.
    assert all(0 <= c.now - c.effect.due <= 0.9 for c in late.cues())


def test_one_very_late_tick_crosses_several_moments_firing_each_cue_once():
    plan = plan_of(hold("A", 20), hold("B", 10, cues=[{"text": "Mid B", "at": 5}]), hold("C", 30))
    driver = new_driver(plan)
    driver.tap()
    driver.wait(45).tick()  # A (0-20) and B (20-30) end inside this tick; C started at 30

    starts = driver.starts()
    assert [(s.index, s.at) for s in starts] == [(0, T0), (1, T0 + 20), (2, T0 + 30)]
    keys = [cue_key(c.effect) for c in driver.cues()]
    assert len(keys) == len(set(keys)), "a cue fired twice"
    assert keys == [key for key in map(tuple, expected_cues(plan)) if key[0] <= T0 + 45]
    assert (T0 + 25, Speak, "Mid B") in keys
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.index == 2 and snapshot.moment_left == 15.0
    records = driver.records()
    assert [(r.moment_index, r.actual_seconds, r.at) for r in records] == [
        (0, 20.0, T0 + 20),
        (1, 10.0, T0 + 30),
    ]


def test_pause_shifts_every_later_deadline_by_exactly_the_paused_time():
    plan = plan_of(hold("A", 60, cues=[{"text": "Later", "at": 40}]), rest(30), hold("B", 20))
    plain = new_driver(plan)
    plain.run_to_end()

    paused = new_driver(plan)
    paused.tap()
    paused.wait(12.25).tick()
    deadline_before = paused.session.next_deadline(paused.now)
    paused.command(Command.PAUSE)
    assert paused.session.paused and paused.session.next_deadline(paused.now) is None
    frozen = paused.session.snapshot(paused.now).moment_left
    paused.wait(100.5).tick()  # nothing moves while paused
    assert paused.session.snapshot(paused.now).moment_left == frozen
    paused.command(Command.PAUSE)
    assert paused.session.next_deadline(paused.now) == deadline_before + 100.5
    paused.run_to_end()

    def timed_cues(driver):
        feedback = {PAUSED_LINE, "Resumed"}
        return [
            cue_key(c.effect)
            for c in driver.cues()
            if not (isinstance(c.effect, Speak) and c.effect.text in feedback)
        ]

    shifted = [
        (due + 100.5 if due > T0 + 12.25 else due, kind, what)
        for due, kind, what in timed_cues(plain)
    ]
    assert timed_cues(paused) == shifted
    first = paused.records()[0]
    assert (first.actual_seconds, first.paused_seconds) == (60.0, 100.5)
    assert paused.finished().summary.ended_at == T0 + plan.total_planned_seconds + 100.5


def test_next_deadline_points_at_the_next_cue_then_the_end():
    plan = plan_of(hold("A", 12))
    driver = new_driver(plan)
    assert driver.session.next_deadline(driver.now) is None  # READY
    driver.tap()
    driver.at(T0 + 2).tick()  # the start tone and the name
    assert driver.session.next_deadline(driver.now) == T0 + 9  # the first pip
    driver.at(T0 + 11).tick()
    assert driver.session.next_deadline(driver.now) == T0 + 12  # the end tone and deadline


def test_pedal_advance_hold_waits_after_its_timer():
    plan = plan_of(hold("A", 10, advance="pedal"), hold("B", 10))
    driver = new_driver(plan)
    driver.tap()
    driver.wait(14).tick()
    assert driver.session.state is SessionState.WAITING
    assert driver.session.next_deadline(driver.now) is None
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.moment_left == 0 and snapshot.session_left == 10
    assert snapshot.legend_text.startswith("tap: next")
    assert PlayTone(Tone.END, T0 + 10) in driver.effects(PlayTone)
    driver.wait(2).tap()
    (record,) = driver.records()
    assert record.actual_seconds == 16  # the time spent, over-run included
    assert driver.session.index == 1


def test_tempo_reps_show_rep_and_phase():
    plan = plan_of(reps("Bridge", 3, tempo="3-1-1", advance="auto"))
    driver = new_driver(plan)
    driver.tap()
    snapshot = driver.session.snapshot(T0 + 6.5)
    assert (snapshot.tempo.rep, snapshot.tempo.phase, snapshot.tempo_left) == (2, "down", 1.5)
    assert snapshot.moment_left == 15 - 6.5


def test_time_left_in_moment_and_session():
    plan = plan_of(hold("A", 30), reps("Squat", 10), rest(20))
    driver = new_driver(plan)
    ready = driver.session.snapshot(driver.now)
    assert ready.state is SessionState.READY and ready.session_left == 30 + 35 + 20
    driver.tap()
    assert driver.session.snapshot(T0 + 10).session_left == 20 + 35 + 20
    driver.at(T0 + 30).tick()
    squat = driver.session.snapshot(T0 + 40)
    assert squat.moment_left is None and squat.session_left == 25 + 20
    assert driver.session.snapshot(T0 + 90).session_left == 20  # estimate used up, never < 0
    assert squat.session_active == 40


def test_clock_going_backwards_is_held_still():
    plan = plan_of(hold("A", 20))
    driver = new_driver(plan)
    driver.tap()
    driver.at(T0 + 15).tick()
    effects = driver.at(T0 + 5).tick()  # a misbehaving clock
    assert effects == []
    driver.at(T0 + 20).tick()
    assert driver.records()[0].actual_seconds == 20


def test_effects_are_in_order_record_then_next_moment_then_cues():
    plan = plan_of(hold("A", 10), hold("B", 10))
    driver = new_driver(plan)
    driver.tap()
    effects = driver.at(T0 + 10).tick()
    kinds = [type(e) for e in effects]
    assert kinds.index(RecordMoment) < kinds.index(MomentStarted)
    assert kinds.index(MomentStarted) < max(i for i, k in enumerate(kinds) if k in CUE_TYPES)
