"""The overlap policy, on a clock the test moves by hand."""

from __future__ import annotations

import threading

from trainer.adapters.audio.cues import (
    MAX_WAITING,
    SPEECH_FRESHNESS,
    TIMING_TONE_FRESHNESS,
    TONE_FRESHNESS,
    Cue,
    CueQueue,
)
from trainer.adapters.audio.pcm import Pcm
from trainer.engine.vocabulary import Tone

SPEECH = Pcm(b"\0\0" * 10, 22050)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_queue():
    clock, discarded = Clock(), []
    return CueQueue(on_discard=discarded.append, clock=clock), clock, discarded


def drain(cues: CueQueue) -> list[Cue]:
    out = []
    while (cue := cues.get(timeout=0)) is not None:
        out.append(cue)
    return out


def test_cues_come_out_in_the_order_asked_for():
    cues, clock, _ = make_queue()
    cues.put(Cue.of_tone(Tone.START, clock.now))
    cues.put(Cue.of_speech("Pigeon, left side", SPEECH, clock.now))
    cues.put(Cue.of_tone(Tone.HALFWAY, clock.now))
    assert [(c.tone, c.text) for c in drain(cues)] == [
        (Tone.START, None),
        (None, "Pigeon, left side"),
        (Tone.HALFWAY, None),
    ]


def test_a_pip_that_would_start_late_is_dropped_not_played_late():
    cues, clock, discarded = make_queue()
    pip = Cue.of_tone(Tone.PIP, clock.now)
    cues.put(pip)
    clock.now += TIMING_TONE_FRESHNESS + 0.01  # a long spoken line was playing meanwhile
    assert cues.get(timeout=0) is None
    assert discarded == [pip]


def test_a_pip_still_fresh_is_played():
    cues, clock, _ = make_queue()
    cues.put(Cue.of_tone(Tone.PIP, clock.now))
    clock.now += TIMING_TONE_FRESHNESS - 0.01
    assert cues.get(timeout=0).tone is Tone.PIP


def test_other_tones_and_speech_tolerate_longer_waits():
    cues, clock, discarded = make_queue()
    cues.put(Cue.of_tone(Tone.SWITCH_SIDES, clock.now))
    cues.put(Cue.of_speech("switch to the left side", SPEECH, clock.now))
    clock.now += min(TONE_FRESHNESS, SPEECH_FRESHNESS) - 0.01
    assert len(drain(cues)) == 2
    assert discarded == []


def test_stale_speech_is_dropped_but_fresh_cues_behind_it_still_play():
    cues, clock, discarded = make_queue()
    old = Cue.of_speech("old news", SPEECH, clock.now)
    cues.put(old)
    clock.now += SPEECH_FRESHNESS + 0.1
    cues.put(Cue.of_tone(Tone.END, clock.now))
    assert [c.tone for c in drain(cues)] == [Tone.END]
    assert discarded == [old]


def test_a_newer_identical_cue_replaces_the_waiting_one_and_moves_to_the_back():
    cues, clock, discarded = make_queue()
    first_tick = Cue.of_tone(Tone.TEMPO, clock.now)
    cues.put(first_tick)
    cues.put(Cue.of_tone(Tone.HALFWAY, clock.now))
    clock.now += 0.1
    second_tick = Cue.of_tone(Tone.TEMPO, clock.now)
    cues.put(second_tick)
    assert drain(cues)[-1] is second_tick
    assert discarded == [first_tick]


def test_different_sentences_are_all_kept():
    cues, clock, discarded = make_queue()
    cues.put(Cue.of_speech("Pigeon stretch", SPEECH, clock.now))
    cues.put(Cue.of_speech("screw your hips into the ground", SPEECH, clock.now))
    assert len(drain(cues)) == 2
    assert discarded == []


def test_the_queue_is_bounded_dropping_the_oldest():
    cues, clock, discarded = make_queue()
    spoken = [Cue.of_speech(f"line {n}", SPEECH, clock.now) for n in range(MAX_WAITING + 3)]
    for cue in spoken:
        cues.put(cue)
    assert len(cues) == MAX_WAITING
    assert discarded == spoken[:3]


def test_clear_and_close_report_every_dropped_cue():
    cues, clock, discarded = make_queue()
    cues.put(Cue.of_tone(Tone.START, clock.now))
    cues.clear()
    cues.put(Cue.of_tone(Tone.END, clock.now))
    cues.close()
    cues.put(Cue.of_tone(Tone.PIP, clock.now))  # after close: dropped at once
    assert [c.tone for c in discarded] == [Tone.START, Tone.END, Tone.PIP]
    assert cues.get() is None  # closed: returns at once instead of waiting


def test_close_wakes_a_waiting_worker():
    cues = CueQueue()
    got = []
    worker = threading.Thread(target=lambda: got.append(cues.get()))
    worker.start()
    cues.close()
    worker.join(timeout=2)
    assert not worker.is_alive()
    assert got == [None]
