"""The overlap policy, on a clock the test moves by hand."""

from __future__ import annotations

import threading

from trainer.adapters.audio.pcm import Pcm
from trainer.adapters.audio.sound_queue import (
    MAX_WAITING,
    SPEECH_FRESHNESS,
    TIMING_TONE_FRESHNESS,
    TONE_FRESHNESS,
    SoundQueue,
    SoundRequest,
)
from trainer.engine.vocabulary import Tone

SPEECH = Pcm(b"\0\0" * 10, 22050)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_queue():
    clock, discarded = Clock(), []
    return SoundQueue(on_discard=discarded.append, clock=clock), clock, discarded


def drain(queue: SoundQueue) -> list[SoundRequest]:
    out = []
    while (request := queue.get(timeout=0)) is not None:
        out.append(request)
    return out


def test_sounds_come_out_in_the_order_asked_for():
    queue, clock, _ = make_queue()
    queue.put(SoundRequest.of_tone(Tone.START, clock.now))
    queue.put(SoundRequest.of_speech("Pigeon, left side", SPEECH, clock.now))
    queue.put(SoundRequest.of_tone(Tone.HALFWAY, clock.now))
    assert [(c.tone, c.text) for c in drain(queue)] == [
        (Tone.START, None),
        (None, "Pigeon, left side"),
        (Tone.HALFWAY, None),
    ]


def test_a_pip_that_would_start_late_is_dropped_not_played_late():
    queue, clock, discarded = make_queue()
    pip = SoundRequest.of_tone(Tone.PIP, clock.now)
    queue.put(pip)
    clock.now += TIMING_TONE_FRESHNESS + 0.01  # a long spoken line was playing meanwhile
    assert queue.get(timeout=0) is None
    assert discarded == [pip]


def test_a_pip_still_fresh_is_played():
    queue, clock, _ = make_queue()
    queue.put(SoundRequest.of_tone(Tone.PIP, clock.now))
    clock.now += TIMING_TONE_FRESHNESS - 0.01
    assert queue.get(timeout=0).tone is Tone.PIP


def test_other_tones_and_speech_tolerate_longer_waits():
    queue, clock, discarded = make_queue()
    queue.put(SoundRequest.of_tone(Tone.SWITCH_SIDES, clock.now))
    queue.put(SoundRequest.of_speech("switch to the left side", SPEECH, clock.now))
    clock.now += min(TONE_FRESHNESS, SPEECH_FRESHNESS) - 0.01
    assert len(drain(queue)) == 2
    assert discarded == []


def test_stale_speech_is_dropped_but_fresh_sounds_behind_it_still_play():
    queue, clock, discarded = make_queue()
    old = SoundRequest.of_speech("old news", SPEECH, clock.now)
    queue.put(old)
    clock.now += SPEECH_FRESHNESS + 0.1
    queue.put(SoundRequest.of_tone(Tone.END, clock.now))
    assert [c.tone for c in drain(queue)] == [Tone.END]
    assert discarded == [old]


def test_a_newer_identical_request_replaces_the_waiting_one_and_moves_to_the_back():
    queue, clock, discarded = make_queue()
    first_tick = SoundRequest.of_tone(Tone.TEMPO, clock.now)
    queue.put(first_tick)
    queue.put(SoundRequest.of_tone(Tone.HALFWAY, clock.now))
    clock.now += 0.1
    second_tick = SoundRequest.of_tone(Tone.TEMPO, clock.now)
    queue.put(second_tick)
    assert drain(queue)[-1] is second_tick
    assert discarded == [first_tick]


def test_different_sentences_are_all_kept():
    queue, clock, discarded = make_queue()
    queue.put(SoundRequest.of_speech("Pigeon stretch", SPEECH, clock.now))
    queue.put(SoundRequest.of_speech("screw your hips into the ground", SPEECH, clock.now))
    assert len(drain(queue)) == 2
    assert discarded == []


def test_the_queue_is_bounded_dropping_the_oldest():
    queue, clock, discarded = make_queue()
    spoken = [
        SoundRequest.of_speech(f"line {n}", SPEECH, clock.now) for n in range(MAX_WAITING + 3)
    ]
    for request in spoken:
        queue.put(request)
    assert len(queue) == MAX_WAITING
    assert discarded == spoken[:3]


def test_close_reports_every_dropped_request():
    queue, clock, discarded = make_queue()
    queue.put(SoundRequest.of_tone(Tone.START, clock.now))
    queue.put(SoundRequest.of_tone(Tone.END, clock.now))
    queue.close()
    queue.put(SoundRequest.of_tone(Tone.PIP, clock.now))  # after close: dropped at once
    assert [c.tone for c in discarded] == [Tone.START, Tone.END, Tone.PIP]
    assert queue.get() is None  # closed: returns at once instead of waiting


def test_close_wakes_a_waiting_worker():
    queue = SoundQueue()
    got = []
    worker = threading.Thread(target=lambda: got.append(queue.get()))
    worker.start()
    queue.close()
    worker.join(timeout=2)
    assert not worker.is_alive()
    assert got == [None]
