"""The trainer's tones, synthesised in code: no sound files to ship or lose.

Each :class:`~trainer.engine.vocabulary.Tone` has a :class:`ToneDesign`: a
short score of notes. The designs are told apart by ear in two ways at once,
because a person mid-stretch hears them without looking:

* a different *dominant* pitch (the longest note), at least ~12% apart;
* a different *shape*: a lone blip, a rising or falling pair, a decaying
  chime, an alternating figure, an arpeggio.

======================  ==========================================  ==========
tone                    shape                                       dominant
======================  ==========================================  ==========
``TEMPO``               a 40 ms tick that dies away, quieter        2000 Hz
``HALFWAY``             a bell-like chime ringing out               1320 Hz
``PIP``                 a plain 90 ms blip (the 3-2-1 countdown)    1000 Hz
``START``               a short low note rising to a long high one   880 Hz
``SESSION_COMPLETE``    C-E-G arpeggio landing on a long G           784 Hz
``SWITCH_SIDES``        low-high-low, like looking left then right   587 Hz
``END``                 a short high note falling to a long low one  440 Hz
======================  ==========================================  ==========

Every note gets a raised-cosine fade in and out, so nothing starts or stops
on a non-zero sample: that jump is what a listener hears as a click.
Buffers are rendered once per (tone, volume, rate) and cached.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from trainer.adapters.audio.pcm import FULL_SCALE, Pcm
from trainer.engine.vocabulary import Tone

SAMPLE_RATE = 44100

#: The loudest a tone gets at volume 1.0: a little headroom below full scale,
#: because small speakers distort (and sound harsh) right at the limit.
PEAK_AT_FULL_VOLUME = round(0.8 * FULL_SCALE)

ATTACK_SECONDS = 0.005  # long enough to be click-free, short enough to sound crisp
RELEASE_SECONDS = 0.012


@dataclass(frozen=True)
class Note:
    """One note of a tone; ``hz=0`` is a rest (silence) of that length.

    ``decay`` (seconds) makes the note die away exponentially, like a struck
    bell, instead of sustaining; ``overtones`` are the relative strengths of the
    2nd, 3rd... harmonics, which give a chime its colour.
    """

    hz: float
    seconds: float
    gain: float = 1.0
    decay: float | None = None
    overtones: tuple[float, ...] = ()


def rest(seconds: float) -> Note:
    """A silence between notes."""
    return Note(0.0, seconds)


@dataclass(frozen=True)
class ToneDesign:
    """The score of one tone: its notes in order, and what it means."""

    notes: tuple[Note, ...]
    description: str

    @property
    def duration(self) -> float:
        """Seconds from the first note's start to the last note's end."""
        return sum(note.seconds for note in self.notes)

    @property
    def dominant_hz(self) -> float:
        """The pitch heard most: the one sounding longest in total."""
        time_at: dict[float, float] = {}
        for note in self.notes:
            if note.hz:
                time_at[note.hz] = time_at.get(note.hz, 0.0) + note.seconds
        return max(time_at, key=time_at.__getitem__)


# A little second harmonic on the low notes: the small speakers a Pi drives
# barely reproduce 440 Hz, and the ear fills the fundamental in from 880.
_SMALL_SPEAKER = (0.3,)

TONE_DESIGNS: Mapping[Tone, ToneDesign] = {
    Tone.PIP: ToneDesign((Note(1000, 0.090),), "countdown pip"),
    Tone.TEMPO: ToneDesign((Note(2000, 0.040, gain=0.5, decay=0.012),), "tempo tick"),
    Tone.START: ToneDesign(
        (Note(660, 0.060, gain=0.7), rest(0.020), Note(880, 0.200)), "start: rising"
    ),
    Tone.END: ToneDesign(
        (Note(587, 0.060, gain=0.7), rest(0.020), Note(440, 0.260, overtones=_SMALL_SPEAKER)),
        "end: falling",
    ),
    Tone.HALFWAY: ToneDesign(
        (Note(1320, 0.450, decay=0.15, overtones=(0.25, 0.1)),), "halfway chime"
    ),
    Tone.SWITCH_SIDES: ToneDesign(
        (
            Note(587, 0.110, overtones=_SMALL_SPEAKER),
            rest(0.050),
            Note(784, 0.090, gain=0.8),
            rest(0.050),
            Note(587, 0.110, overtones=_SMALL_SPEAKER),
        ),
        "switch sides: low-high-low",
    ),
    Tone.SESSION_COMPLETE: ToneDesign(
        (
            Note(523, 0.100, gain=0.8),
            rest(0.020),
            Note(659, 0.100, gain=0.8),
            rest(0.020),
            Note(784, 0.450, decay=0.35),
        ),
        "session complete: arpeggio",
    ),
}


def render_tone(tone: Tone, volume: float, sample_rate: int = SAMPLE_RATE) -> Pcm:
    """The buffer for ``tone`` at ``volume`` (0..1), rendered once and then cached."""
    return _render_cached(Tone(tone), round(max(0.0, min(1.0, volume)), 4), sample_rate)


@lru_cache(maxsize=64)
def _render_cached(tone: Tone, volume: float, sample_rate: int) -> Pcm:
    samples = array("h")
    for note in TONE_DESIGNS[tone].notes:
        samples.extend(_render_note(note, volume * PEAK_AT_FULL_VOLUME, sample_rate))
    return Pcm.from_samples(samples, sample_rate)


def _render_note(note: Note, peak: float, sample_rate: int) -> array[int]:
    frames = round(note.seconds * sample_rate)
    if note.hz == 0 or peak == 0:
        return array("h", bytes(2 * frames))
    partials = ((1, 1.0), *((n + 2, strength) for n, strength in enumerate(note.overtones)))
    # Normalise so the partials together never exceed the note's peak.
    amplitude = note.gain * peak / sum(strength for _, strength in partials)
    step = 2 * math.pi * note.hz / sample_rate
    # Whole lists per note rather than a function call per sample: the same
    # arithmetic in the same order (so the same bytes), ~20x faster.
    sin = math.sin
    waves = [[strength * sin(k * step * i) for i in range(frames)] for k, strength in partials]
    wave = waves[0] if len(waves) == 1 else [sum(parts) for parts in zip(*waves, strict=True)]
    levels = _envelope(frames, sample_rate, note.decay)
    return array("h", [round(amplitude * level * w) for level, w in zip(levels, wave, strict=True)])


def _envelope(frames: int, sample_rate: int, decay: float | None) -> list[float]:
    """Loudness over a note, per frame: fade in, sustain or decay, fade out, all to zero."""
    attack = max(1, min(round(ATTACK_SECONDS * sample_rate), frames // 2))
    release = max(1, min(round(RELEASE_SECONDS * sample_rate), frames // 2))
    if decay is None:
        levels = [1.0] * frames
    else:
        per_frame, exp = 1.0 / (decay * sample_rate), math.exp
        levels = [exp(-i * per_frame) for i in range(frames)]
    for i in range(min(attack, frames)):
        levels[i] *= _half_cosine(i / attack)
    for i in range(max(0, frames - release), frames):
        levels[i] *= _half_cosine((frames - 1 - i) / release)
    return levels


def _half_cosine(x: float) -> float:
    """0 at x=0 rising smoothly to 1 at x=1, with zero slope at both ends."""
    return 0.5 - 0.5 * math.cos(math.pi * x)
