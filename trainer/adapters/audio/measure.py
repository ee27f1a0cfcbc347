"""How long each sound really lasts, for the sound planner (:mod:`trainer.engine.soundplan`).

The planner lays a session's sounds out ahead of time and needs their true
lengths: a spoken line is rendered with the same espeak-ng voice and rate the
session will use (and so lands in the same on-disk cache, ready to play), a
tone is synthesised as it will be played. Each length is measured once per
text and kept.

Without espeak-ng (or with speech off, a silent backend or the sound muted)
nothing will be heard, so a line's length is only estimated from its words at
the configured rate, and espeak-ng never runs for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.audio.speech import EspeakSpeech, SpeechError
from trainer.adapters.audio.tones import render_tone
from trainer.engine.soundplan import EstimatedMeasure
from trainer.engine.vocabulary import Tone

if TYPE_CHECKING:
    from trainer.adapters.audio.player import SpeechRenderer

__all__ = ["AudioMeasure"]


class AudioMeasure:
    """A :class:`~trainer.engine.soundplan.SoundMeasure` from real renders (thread-safe).

    :param settings: the ``[audio]`` settings (volume for tones, rate for estimates).
    :param speech: the player's speech renderer, or None when nothing is spoken.
    """

    def __init__(
        self,
        settings: AudioSettings,
        speech: SpeechRenderer | None,
        audible: Callable[[], bool] = lambda: True,
    ) -> None:
        self._settings = settings
        self._speech = speech
        self._audible = audible
        self._estimate = EstimatedMeasure(rate=settings.rate)
        self._seconds: dict[str, float] = {}
        self._tones: dict[Tone, float] = {}
        self._lock = threading.Lock()

    def speech(self, text: str) -> float:
        with self._lock:
            known = self._seconds.get(text)
        if known is not None:
            return known
        seconds = self._render(text)
        with self._lock:
            self._seconds[text] = seconds
        return seconds

    def tone(self, tone: Tone) -> float:
        # Asked for every beat of every moment: a dict lookup, not a render_tone call.
        seconds = self._tones.get(tone)
        if seconds is None:
            seconds = self._tones[tone] = render_tone(tone, self._settings.volume).duration
        return seconds

    def _render(self, text: str) -> float:
        if self._speech is None or not self._audible():
            # Nobody will hear it (silent backend, muted): never run espeak-ng for it.
            return self._estimate.speech(text)
        try:
            if isinstance(self._speech, EspeakSpeech):
                return self._speech.seconds(text)  # remembered lengths: no render
            pcm = self._speech.render(text)
        except SpeechError:
            return self._estimate.speech(text)  # it will not be heard either
        return pcm.duration if pcm is not None else 0.0
