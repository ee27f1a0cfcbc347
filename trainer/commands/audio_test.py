"""``trainer audio-test``: hear every tone and a spoken cue, and see what was chosen.

Run it once after wiring up a speaker. It prints which backend the trainer
chose and any notice (no device, espeak-ng missing...), then plays each tone,
naming it as it plays, and one spoken cue. It exits 0 only when every sound
went to a working device; with no device (or ``backend = "silent"``) each
sound is marked "not heard", the last line says nothing was heard, and the
exit status is 1, so a script or an installer can tell a silent box.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable

from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.player import SPEECH_MISSING_NOTICE
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
        settings = settings.model_copy(update={"muted": False})

    unheard: list[object] = []  # sounds that went to no device (the silent backend)
    player = AudioPlayer.create(
        settings,
        notify=lambda message: print(f"Notice: {message}"),
        on_unheard=unheard.append,
        # Each sound is asked for alone and waited for: none is ever late, so
        # none may be dropped as stale (a busy machine would drop the pip).
        clock=lambda: 0.0,
    )
    try:
        print(f"Backend: {player.backend_name}")
        if player.is_silent:
            print("No sound will play: the trainer will run silently and show cues on screen.")
            for failure in player.startup_failures:  # the devices' own words, for whoever fixes it
                print(f"  tried {failure}")
        print(f"Volume: {settings.volume:.0%}")
        played = 0
        for tone in Tone:
            print(f"  {tone.value:<17} {TONE_DESIGNS[tone].description}", end="", flush=True)
            played += _play_and_report(player, unheard, functools.partial(player.play, tone))
        played += _speak_sample(player, settings, unheard)
    finally:
        player.close()
    if unheard:
        print(f"Nothing was heard: {_silence_reason(settings)}.")
        return 1
    if settings.speech and SPEECH_MISSING_NOTICE in player.notices:
        print("The tones played, but no cue could be spoken (espeak-ng is missing).")
        return 1
    print(f"All {played} sounds went to {player.backend_name}: check you heard each one.")
    return 0


def _play_and_report(
    player: AudioPlayer, unheard: list[object], request: Callable[[], None]
) -> int:
    """Make one request, wait for it and end its line: 1 if it was handed to a device."""
    before = len(unheard)
    request()
    finished = player.drain(CUE_TIMEOUT_SECONDS)
    if len(unheard) > before:
        print("  (not heard: no sound device)")
        return 0
    print("" if finished else "  (taking unusually long; giving up on it)")
    return 1


def _silence_reason(settings: AudioSettings) -> str:
    if settings.backend == "silent":
        return 'the config chooses silence ([audio] backend = "silent")'
    return "no working sound device (see why above)"


def _speak_sample(player: AudioPlayer, settings: AudioSettings, unheard: list[object]) -> int:
    if not settings.speech:
        print("Speech is off in the config ([audio] speech = false).")
        return 0
    if SPEECH_MISSING_NOTICE in player.notices:
        print("  spoken cue        (not spoken: espeak-ng is missing)")
        return 0
    print(
        f"  spoken cue        {SPOKEN_SAMPLE!r} (voice {settings.voice}, {settings.rate} wpm)",
        end="",
        flush=True,
    )
    return _play_and_report(player, unheard, lambda: player.speak(SPOKEN_SAMPLE))
