"""The sound plan of a moment: lead-in, tones, announcements, coaching and tempo cues."""

from __future__ import annotations

import random

import pytest
from engine_helpers import check, hold, instruction, plan_of, reps, rest

from trainer.engine.effects import PlayTone, Speak
from trainer.engine.plan import build_plan
from trainer.engine.settings import CueRules
from trainer.engine.soundplan import (
    GAP_SECONDS,
    MAX_SPOKEN_CHARS,
    EstimatedMeasure,
    PlannedSound,
    _Track,
    plan_moment_sounds,
    plan_sounds,
)
from trainer.engine.vocabulary import Tone


class WordMeasure:
    """Every word takes 0.3 s, every tone 0.2 s: easy sums."""

    def speech(self, text: str) -> float:
        return 0.3 * len(text.split())

    def tone(self, tone: Tone) -> float:
        return 0.2


NO_LEAD_IN = CueRules(count_in_seconds=0)


def sounds_of(plan, index, rules=None):
    return plan_moment_sounds(plan, index, rules or CueRules(), WordMeasure())


def listing(planned):
    return [(round(s.start, 3), s.tone or s.text) for s in planned.sounds]


def assert_no_overlap(planned):
    for before, after in zip(planned.sounds, planned.sounds[1:], strict=False):
        assert after.start >= before.end + GAP_SECONDS - 1e-9, (before, after)


def test_a_hold_opens_with_a_lead_in_naming_it_then_counting_in():
    plan = plan_of(hold("Soleus", 45, sides="each", cues=["Heel down", {"text": "Knee", "at": 20}]))
    planned = sounds_of(plan, 0)
    assert listing(planned) == [
        (-4.2, "Soleus, left side"),  # 0.9 s of speech, a gap each side, then the count-in
        (-3, "three"),
        (-2, "two"),
        (-1, "one"),
        (0, "go"),
        (0.45, "Heel down"),
        (20, "Knee"),
        (22.5, Tone.HALFWAY),
        (42, Tone.PIP),
        (43, Tone.PIP),
        (44, Tone.PIP),
        (45, Tone.END),
    ]
    assert planned.lead_in == pytest.approx(4.2)
    assert planned.changes == ()
    assert_no_overlap(planned)


def test_the_count_in_length_is_configurable_and_zero_turns_the_lead_in_off():
    plan = plan_of(hold("Soleus", 20))
    five = sounds_of(plan, 0, CueRules(count_in_seconds=5))
    assert [s.text for s in five.sounds if s.kind == "count-in"] == [
        "five",
        "four",
        "three",
        "two",
        "one",
    ]
    off = sounds_of(plan, 0, NO_LEAD_IN)
    assert off.lead_in == 0
    assert listing(off)[:2] == [(0, Tone.START), (0.35, "Soleus")]


def test_a_side_switch_says_the_side_and_the_next_lead_in_names_the_exercise():
    plan = plan_of(hold("Soleus", 20, sides="each"))
    assert listing(sounds_of(plan, 1)) == [
        (0, Tone.SWITCH_SIDES),
        (0.35, "Switch to the right side"),
    ]
    right = sounds_of(plan, 2)
    assert right.sounds[0].text == "Soleus, right side" and right.sounds[0].start < -3
    # Without a lead-in the switch names what comes next itself.
    assert listing(sounds_of(plan, 1, NO_LEAD_IN))[-1] == (2.0, "Next: Soleus")


def test_a_short_hold_has_no_halfway_and_no_pips():
    plan = plan_of(hold("Short", 9))
    tones = [s.tone for s in sounds_of(plan, 0).sounds if s.tone]
    assert tones == [Tone.END]  # the "go" starts it


def test_thresholds_are_configurable():
    plan = plan_of(hold("Short", 9))
    rules = CueRules(
        halfway_min_seconds=5, countdown_min_seconds=5, countdown_pips=2, count_in_seconds=0
    )
    tones = [s.tone for s in sounds_of(plan, 0, rules).sounds if s.tone]
    assert tones == [Tone.START, Tone.HALFWAY, Tone.PIP, Tone.PIP, Tone.END]


def test_a_rest_says_how_long_and_what_comes_next_then_counts_down():
    plan = plan_of(rest(40), hold("Pigeon", 30, sides="each"))
    assert listing(sounds_of(plan, 0)) == [
        (0, "Rest"),
        (0.45, "Next up: Pigeon, left side"),
        (37, Tone.PIP),
        (38, Tone.PIP),
        (39, Tone.PIP),
    ]


def test_a_set_rest_names_the_set_and_side_that_follow():
    plan = plan_of(reps("Bridge", 2, sets=2, rest=30, sides="each"))
    (set_rest,) = [m for m in plan if m.kind == "set-rest"]
    said = [s.text for s in sounds_of(plan, set_rest.index).sounds if s.text]
    assert said == ["Rest for 30 seconds", "Next up: Bridge, set 2 of 2, left side"]


def test_tempo_words_land_on_their_beats_and_the_first_down_is_the_go():
    plan = plan_of(reps("Bridge", 2, tempo="2-1-1", advance="auto"))
    planned = sounds_of(plan, 0)
    beats = [(s.start, s.text) for s in planned.sounds if s.kind == "tempo"]
    assert beats == [(0, "down"), (2, "hold"), (3, "up"), (4, "down"), (6, "hold"), (7, "up")]
    assert "go" not in [s.text for s in planned.sounds]
    ticks = [
        s.start for s in sounds_of(plan, 0, CueRules(tempo="tone")).sounds if s.kind == "tempo"
    ]
    assert ticks == [0, 2, 3, 4, 6, 7]
    assert not any(s.kind == "tempo" for s in sounds_of(plan, 0, CueRules(tempo="off")).sounds)


def test_a_cue_that_fits_between_tempo_words_is_said_there():
    plan = plan_of(reps("Bridge", 4, tempo="3-1-1", advance="auto", cues=["Heels down"]))
    planned = sounds_of(plan, 0)
    (cue,) = [s for s in planned.sounds if s.text == "Heels down"]
    assert cue.start > 0 and cue.end < 3  # between "down" (0) and "hold" (3)
    assert planned.changes == ()
    assert_no_overlap(planned)


def test_a_cue_too_long_for_any_tempo_gap_moves_into_the_lead_in_and_says_why():
    long_cue = "Knee tracks over the middle outside of your foot every rep"  # 11 words: 3.3 s
    plan = plan_of(reps("Squat", 3, tempo="2-1-1", advance="auto", cues=[long_cue]))
    planned = sounds_of(plan, 0)
    (cue,) = [s for s in planned.sounds if s.text == long_cue]
    assert cue.end < -3  # before the count-in
    (change,) = planned.changes
    assert (change.change, change.kind, change.cue_text) == ("moved", "key cue", long_cue)
    assert change.reason == "into the lead-in: no gap of 3.3 s between the tempo words"
    assert_no_overlap(planned)


def test_without_a_lead_in_the_announcement_outranks_a_tempo_word_and_says_so():
    plan = plan_of(reps("A very long exercise name indeed", 3, tempo="1-0-1", advance="auto"))
    planned = sounds_of(plan, 0, NO_LEAD_IN)
    assert planned.sounds[0].text == "A very long exercise name indeed, 3 reps"
    left_out = planned.left_out()
    assert left_out and all(c.kind == "tempo" for c in left_out)
    assert all("made way for" in c.reason for c in left_out)
    assert_no_overlap(planned)


def test_an_at_cue_is_moved_off_a_beat_and_the_move_is_reported():
    plan = plan_of(hold("Hold", 40, cues=[{"text": "one two three four five six", "at": 19}]))
    planned = sounds_of(plan, 0)
    (cue,) = [s for s in planned.sounds if s.kind == "key cue"]
    assert cue.end <= 20 - GAP_SECONDS + 1e-9  # finishes before the halfway chime
    assert planned.changes == ()  # 0.95 s early: within the tolerance


def test_pedal_only_moments_say_everything_in_order_from_the_start():
    plan = plan_of(instruction("Read me."), check(cues=["Knee straight"]))
    for index in range(len(plan)):
        planned = sounds_of(plan, index)
        assert_no_overlap(planned)
    answer = plan[-1]
    assert listing(sounds_of(plan, answer.index)) == [(0, "Which side felt tighter?")]


def test_long_text_is_said_in_full_in_pieces_the_synthesiser_accepts():
    text = " ".join(f"Sentence number {n} is here." for n in range(30))  # ~840 characters
    plan = plan_of(instruction(text))
    planned = sounds_of(plan, 0)
    pieces = [s.text for s in planned.sounds if s.text]
    assert all(len(piece) <= MAX_SPOKEN_CHARS for piece in pieces)
    assert " ".join(pieces) == f"Setup. {text}"
    assert_no_overlap(planned)


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
        count_in_seconds=0,
        next_up=False,
    )
    heard = [s.text or s.tone for m in plan_sounds(plan, quiet).moments for s in m.sounds]
    assert heard == ["Which side felt tighter?"]


def test_coaching_cues_are_marked_shown():
    plan = plan_of(hold(cues=["A", {"text": "B", "at": 5}]))
    shown = [s.text for s in sounds_of(plan, 0).sounds if s.shown]
    assert shown == ["A", "B"]


def test_a_planned_sound_becomes_an_effect_at_its_due_time():
    assert PlannedSound(3, 0.1, "pip", tone=Tone.PIP).effect(103.0) == PlayTone(Tone.PIP, 103.0)
    assert PlannedSound(0, 0.3, "go", text="Go").effect(100.0) == Speak("Go", 100.0)


def test_the_estimate_grows_with_the_words():
    measure = EstimatedMeasure(rate=160)
    assert measure.speech("one two three four") > measure.speech("one") > 0


def test_a_block_note_is_said_first_when_the_block_begins():
    plan = plan_of(hold("Soleus", 20, sides="each"))
    routine = plan.routine.model_copy(
        update={"blocks": [plan.routine.blocks[0].model_copy(update={"note": "Slow and easy."})]}
    )
    noted = build_plan(routine)
    first = sounds_of(noted, 0)
    assert first.sounds[0].text == "Slow and easy." and first.sounds[0].kind == "note"
    assert not any(
        s.kind == "note" for m in range(1, len(noted)) for s in sounds_of(noted, m).sounds
    )


def test_speak_how_reads_it_on_the_first_side_only_in_the_lead_in():
    plan = plan_of(hold("Soleus", 20, sides="each", how="Heel down, knee bent, lean in."))
    rules = CueRules(speak_how=True)
    left, right = sounds_of(plan, 0, rules), sounds_of(plan, 2, rules)
    (how,) = [s for s in left.sounds if s.kind == "how"]
    assert how.text == "Heel down, knee bent, lean in." and how.end < -3  # before the count-in
    assert not any(s.kind == "how" for s in right.sounds)
    assert not any(s.kind == "how" for s in sounds_of(plan, 0).sounds)  # off by default


def test_the_welcome_says_the_safety_note_in_pieces():
    plan = plan_of(hold("Soleus", 20))
    welcome = plan_sounds(plan, CueRules(), WordMeasure()).welcome
    said = " ".join(s.text for s in welcome)
    assert "Stop if you feel sharp or increasing pain" in said
    assert said.endswith("First: Soleus. Tap to start.")
    assert_no_overlap(type("W", (), {"sounds": welcome})())


def test_a_tracks_quick_free_check_agrees_with_its_clash_search():
    """``_Track.is_free`` (bisect among nearby sounds) answers as ``clash(...) is None``
    (every sound) would, as sounds come and go, on and near every edge."""
    rng = random.Random(18)
    for _ in range(200):
        track = _Track()
        for _ in range(rng.randint(0, 25)):
            sound = PlannedSound(
                round(rng.uniform(-5, 60), rng.choice([0, 1, 3])),
                rng.choice([0.0, 0.04, 0.3, rng.uniform(0, 8)]),
                "cue",
                text="x",
            )
            if track.is_free(sound.start, sound.length) or rng.random() < 0.3:
                track.add(sound)
            if track.sounds and rng.random() < 0.1:
                track.remove(rng.choice(track.sounds))
        edges = [edge for s in track.sounds for edge in (s.start, s.end, s.end + GAP_SECONDS)]
        for start in [*edges, *(rng.uniform(-10, 70) for _ in range(20))]:
            for length in (0.0, 0.04, 1.0 - 1e-9, rng.uniform(0, 10)):
                assert track.is_free(start, length) == (track.clash(start, length) is None)
