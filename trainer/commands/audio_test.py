"""``trainer audio-test``: hear every tone and a spoken cue, and see what was chosen.

Run it once after wiring up a speaker. It prints which backend the trainer
chose and any notice (no device, espeak-ng missing...), then plays each tone,
naming it as it plays, and one spoken cue. It exits 0 even when no sound
device works - the trainer itself would run (silently) too - but says so
plainly, so a silent room is never a mystery.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.tones import TONE_DESIGNS
from trainer.config import ConfigError, load_config
from trainer.engine.vocabulary import Tone

SPOKEN_SAMPLE = "Switch to the left side. Screw your hips into the ground."
#: Longest we wait for one cue; far beyond any tone, generous for slow first speech.
CUE_TIMEOUT_SECONDS = 15.0


def run(args: argparse.Namespace) -> int:
    try:
        settings = AudioSettings.from_config(load_config(getattr(args, "config", None)))
    except ConfigError as exc:
        print(f"trainer audio-test: {exc}", file=sys.stderr)
        return 2
    if settings.muted:
        print("Sound is muted in the config; unmuting for this test.")
        settings = dataclasses.replace(settings, muted=False)

    player = AudioPlayer.create(settings, notify=lambda message: print(f"Notice: {message}"))
    try:
        print(f"Backend: {player.backend_name}")
        if player.is_silent:
            print("No sound will play: the trainer will run silently and show cues on screen.")
        print(f"Volume: {settings.volume:.0%}")
        for tone in Tone:
            print(f"  {tone.value:<17} {TONE_DESIGNS[tone].description}", flush=True)
            player.play(tone)
            player.drain(CUE_TIMEOUT_SECONDS)
        _speak_sample(player, settings)
    finally:
        player.close()
    return 0


def _speak_sample(player: AudioPlayer, settings: AudioSettings) -> None:
    if not settings.speech:
        print("Speech is off in the config ([audio] speech = false).")
        return
    print(f"  spoken cue        {SPOKEN_SAMPLE!r} (voice {settings.voice}, {settings.rate} wpm)")
    player.speak(SPOKEN_SAMPLE)
    if not player.drain(CUE_TIMEOUT_SECONDS):
        print("  (the spoken cue is taking unusually long; giving up on it)")
