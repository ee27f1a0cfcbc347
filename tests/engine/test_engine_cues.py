"""The cue schedule of a moment: tones, announcements, coaching and tempo cues."""

from __future__ import annotations

from engine_helpers import check, hold, instruction, plan_of, reps, rest

from trainer.engine.cues import ScheduledCue, cue_schedule
from trainer.engine.effects import PlayTone, Speak
from trainer.engine.settings import CueRules
from trainer.engine.vocabulary import Tone


def listing(cues):
    return [(cue.offset, cue.tone or cue.text) for cue in cues]


def test_long_hold_schedule():
    plan = plan_of(hold("Soleus", 45, sides="each", cues=["Heel down", {"text": "Knee", "at": 20}]))
    assert listing(cue_schedule(plan[0], CueRules())) == [
        (0, Tone.START),
        (0, "Soleus, left side"),
        (0, "Heel down"),
        (20, "Knee"),
        (22.5, Tone.HALFWAY),
        (42, Tone.PIP),
        (43, Tone.PIP),
        (44, Tone.PIP),
        (45, Tone.END),
    ]


def test_switch_moment_plays_the_switch_tone_and_says_the_side():
    plan = plan_of(hold(sides="each"))
    assert listing(cue_schedule(plan[1], CueRules())) == [
        (0, Tone.SWITCH_SIDES),
        (0, "Switch to the right side"),
    ]


def test_short_hold_has_no_halfway_and_no_pips():
    plan = plan_of(hold("Short", 9))
    assert listing(cue_schedule(plan[0], CueRules())) == [
        (0, Tone.START),
        (0, "Short"),
        (9, Tone.END),
    ]


def test_thresholds_are_configurable():
    plan = plan_of(hold("Short", 9))
    rules = CueRules(halfway_min_seconds=5, countdown_min_seconds=5, countdown_pips=2)
    assert [cue.tone for cue in cue_schedule(plan[0], rules) if cue.tone] == [
        Tone.START,
        Tone.HALFWAY,
        Tone.PIP,
        Tone.PIP,
        Tone.END,
    ]


def test_rest_gets_pips_but_no_start_end_or_halfway():
    plan = plan_of(rest(40))
    assert listing(cue_schedule(plan[0], CueRules())) == [
        (0, "Rest"),
        (37, Tone.PIP),
        (38, Tone.PIP),
        (39, Tone.PIP),
    ]


def test_tempo_cues_speak_each_phase_or_tick():
    plan = plan_of(reps("Bridge", 2, tempo="2-1-1", advance="auto"))
    spoken = [
        cue for cue in cue_schedule(plan[0], CueRules()) if cue.text in {"down", "hold", "up"}
    ]
    assert [(c.offset, c.text) for c in spoken] == [
        (0, "down"),
        (2, "hold"),
        (3, "up"),
        (4, "down"),
        (6, "hold"),
        (7, "up"),
    ]
    ticks = [
        c.offset for c in cue_schedule(plan[0], CueRules(tempo="tone")) if c.tone is Tone.TEMPO
    ]
    assert ticks == [0, 2, 3, 4, 6, 7]
    assert not any(
        c.tone is Tone.TEMPO or c.text == "down"
        for c in cue_schedule(plan[0], CueRules(tempo="off"))
    )


def test_reps_sets_get_no_pips_even_when_long():
    plan = plan_of(reps("Bridge", 10, tempo="3-1-1", advance="auto"))
    assert Tone.PIP not in {cue.tone for cue in cue_schedule(plan[0], CueRules())}


def test_pedal_only_moments_only_cue_at_the_start():
    plan = plan_of(instruction("Read me."), check(cues=["Knee straight"]))
    for moment in plan:
        assert all(cue.offset == 0 for cue in cue_schedule(moment, CueRules()))
    answer = plan[-1]
    assert listing(cue_schedule(answer, CueRules())) == [(0, "Which side felt tighter?")]


def test_everything_can_be_silenced_except_the_check_question():
    plan = plan_of(hold(sides="each", cues=["A"]), check())
    quiet = CueRules(
        start_tone=False,
        end_tone=False,
        halfway_min_seconds=0,
        countdown_pips=0,
        switch_sides=False,
        speak_announcements=False,
        speak_cues=False,
    )
    heard = [cue for moment in plan for cue in cue_schedule(moment, quiet)]
    assert listing(heard) == [(0, "Which side felt tighter?")]


def test_coaching_cues_are_marked_shown():
    plan = plan_of(hold(cues=["A", {"text": "B", "at": 5}]))
    shown = [cue.text for cue in cue_schedule(plan[0], CueRules()) if cue.shown]
    assert shown == ["A", "B"]


def test_scheduled_cue_becomes_an_effect_at_its_due_time():
    assert ScheduledCue(3, tone=Tone.PIP).effect(103.0) == PlayTone(Tone.PIP, 103.0)
    assert ScheduledCue(0, text="Go").effect(100.0) == Speak("Go", 100.0)
