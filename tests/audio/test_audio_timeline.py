"""What the player really emits through ALSA matches the sound plan, for a whole routine.

A child process routes ALSA's default device to a named pipe (the ``file``
plugin, ``null`` slave) and reads everything written to it. It runs the session
engine over a bundled routine on a fake clock, hands every sound effect to the
real :class:`~trainer.adapters.audio.AudioPlayer` (simpleaudio, espeak-ng), and
reports three things that must agree:

* the sounds the sound plan laid out for the moments visited, in order;
* the player's own record of what it started (:attr:`AudioPlayer.started`);
* the bytes ALSA was handed: exactly the probe blip, then each planned sound's
  samples, in order, nothing missing and nothing extra.

This sink runs faster than real time, so it proves *which* sounds were emitted,
not *when*; ``benchmarks/sound_timeline.py`` plays them at real speed.
"""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest
from audio_helpers import child_env, run_child

pytestmark = pytest.mark.alsa

needs_real_sound = pytest.mark.skipif(
    importlib.util.find_spec("simpleaudio") is None or shutil.which("espeak-ng") is None,
    reason="needs simpleaudio and espeak-ng",
)

ROUTINE = "squat-groove"

CHILD = """
import hashlib, json, os, select, threading
from pathlib import Path
from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.backends import PROBE_SOUND
from trainer.adapters.audio.speech import EspeakSpeech, speech_cache_dir
from trainer.adapters.audio.tones import render_tone
from trainer.engine.effects import PlayTone, Speak
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.settings import EngineSettings
from trainer.engine.snapshot import SessionState
from trainer.engine.soundplan import plan_sounds
from trainer.engine.vocabulary import Gesture
from trainer.routine.catalog import load_catalog

fifo = Path({fifo!r})
stream = bytearray()
done = threading.Event()

def read_pipe():
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # read-write: never EOF between sounds
    while not done.is_set():
        if select.select([fd], [], [], 0.05)[0]:
            try:
                stream.extend(os.read(fd, 65536))
            except BlockingIOError:
                pass
    while select.select([fd], [], [], 0.2)[0]:
        stream.extend(os.read(fd, 65536))

reader = threading.Thread(target=read_pipe)
reader.start()
settings = AudioSettings(volume=0.8, backend="simpleaudio")
player = AudioPlayer.create(settings)
engine = EngineSettings()
plan = build_plan(load_catalog().find({routine!r}), engine.plan)
sounds = plan_sounds(plan, engine.cues, player.measure)
session = Session(plan, engine, sounds=sounds)

now, planned, emitted = 1000.0, [], []
def carry_out(effects):
    for effect in effects:
        if isinstance(effect, PlayTone):
            emitted.append(effect.tone.value); player.play(effect.tone)
        elif isinstance(effect, Speak):
            emitted.append(effect.text); player.speak(effect.text)
        else:
            continue
        assert player.drain(30), "a sound never finished"

session.greeting(now)  # said before the plan starts: not part of it
carry_out(session.gesture(Gesture.TAP, now))
visited = set()
while not session.state.ended:
    index = session.index
    if index not in visited:
        visited.add(index)
        planned += [s.tone.value if s.tone else s.text for s in sounds[index].sounds]
    due = session.next_deadline(now)
    if due is None:  # a pedal moment: tap once all its sounds have played
        last = sounds[index].sounds[-1].end if sounds[index].sounds else 0.0
        now += last + sounds[index].lead_in + 1.0
        carry_out(session.tick(now))
        carry_out(session.gesture(Gesture.TAP, now))
    else:
        now = max(now, due)
        carry_out(session.tick(now))
started = [what.value if hasattr(what, "value") else what for _, what in player.started]
player.close()
done.set()
reader.join()

speech = EspeakSpeech.find(voice=settings.voice, rate=settings.rate, volume=settings.volume,
                           cache_dir=speech_cache_dir())
expected = bytearray(PROBE_SOUND.data)
for what in started:
    try:
        expected += render_tone(what, settings.volume).data
    except ValueError:
        expected += speech.render(what).data
print(json.dumps({{
    "planned": planned, "emitted": emitted, "started": started,
    "bytes": len(stream), "expected_bytes": len(expected),
    "same_bytes": bytes(stream) == bytes(expected),
    "notices": player.notices,
}}))
"""


@needs_real_sound
def test_a_whole_routine_emits_exactly_its_sound_plan(tmp_path):
    fifo = tmp_path / "alsa.fifo"
    import os

    os.mkfifo(fifo)
    (tmp_path / ".asoundrc").write_text(
        f'pcm.!default {{\n  type file\n  slave.pcm "null"\n  file "{fifo}"\n  format "raw"\n}}\n'
    )
    child = run_child(CHILD.format(fifo=str(fifo), routine=ROUTINE), child_env(tmp_path), 300)
    assert child.returncode == 0, child.stderr.decode()
    report = json.loads(child.stdout)
    assert report["notices"] == []
    planned, emitted, started = report["planned"], report["emitted"], report["started"]
    assert len(planned) > 300  # the whole routine: every moment's sounds
    # The engine emits exactly the plan (then the closing tone and words).
    assert emitted[: len(planned)] == planned
    assert emitted[len(planned) :] == ["session_complete", "Session complete. Well done."]
    # The player started every one of them, in order: nothing dropped.
    assert started == emitted
    # And ALSA was handed exactly those sounds' samples.
    assert report["bytes"] == report["expected_bytes"]
    assert report["same_bytes"]
