"""The synthesised tones: length, pitch, clean edges, volume, caching."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from audio_helpers import strongest_of, tone_power

from trainer.adapters.audio.pcm import FULL_SCALE
from trainer.adapters.audio.tones import SAMPLE_RATE, render_tone
from trainer.engine.vocabulary import Tone

# What each tone must be, written down independently of the tone designs:
# (length in ms, the pitch heard most in Hz).
EXPECTED = {
    Tone.PIP: (90, 1000),
    Tone.TEMPO: (40, 2000),
    Tone.START: (280, 880),
    Tone.END: (340, 440),
    Tone.HALFWAY: (450, 1320),
    Tone.SWITCH_SIDES: (410, 587),
    Tone.SESSION_COMPLETE: (690, 784),
}
ALL_DOMINANTS = [hz for _, hz in EXPECTED.values()]


def test_every_tone_has_an_expectation():
    assert set(EXPECTED) == set(Tone)


@pytest.mark.parametrize("tone", list(Tone))
def test_each_tone_is_16_bit_mono_of_the_expected_length(tone: Tone):
    pcm = render_tone(tone, 1.0)
    length_ms, _ = EXPECTED[tone]
    assert pcm.sample_rate == SAMPLE_RATE
    assert len(pcm.data) == 2 * round(length_ms * SAMPLE_RATE / 1000)


@pytest.mark.parametrize("tone", list(Tone))
def test_each_tone_is_loudest_at_its_own_pitch(tone: Tone):
    samples = render_tone(tone, 1.0).samples()
    _, hz = EXPECTED[tone]
    assert strongest_of(samples, SAMPLE_RATE, ALL_DOMINANTS) == hz
    # ...and a true peak there, not the flank of some nearby pitch.
    here = tone_power(samples, SAMPLE_RATE, hz)
    assert here > tone_power(samples, SAMPLE_RATE, hz * 0.95)
    assert here > tone_power(samples, SAMPLE_RATE, hz * 1.05)


def test_the_tones_are_told_apart_by_pitch():
    pitches = sorted(ALL_DOMINANTS)
    for lower, higher in itertools.pairwise(pitches):
        assert higher / lower > 1.10, f"{lower} Hz and {higher} Hz are too close to tell apart"


@pytest.mark.parametrize("tone", list(Tone))
def test_each_tone_fades_in_and_out_around_every_silence(tone: Tone):
    samples = render_tone(tone, 1.0).samples()
    peak = max(abs(s) for s in samples)
    quiet = 0.03 * peak
    # The very start and end: no jump from (or to) the silence around the buffer.
    assert all(abs(s) <= quiet for s in samples[:20])
    assert all(abs(s) <= quiet for s in samples[-20:])
    # Every rest between notes is entered and left just as gently.
    for edge in _edges_of_silences(samples):
        neighbourhood = samples[max(0, edge - 20) : edge + 20]
        assert all(abs(s) <= quiet for s in neighbourhood), f"click near sample {edge}"


def _edges_of_silences(samples, min_run: int = 40):
    """Indices where a run of at least ``min_run`` zero samples starts or ends."""
    edges, run_start = [], None
    for i, sample in enumerate([*samples, 1]):
        if sample == 0 and run_start is None:
            run_start = i
        elif sample != 0 and run_start is not None:
            if i - run_start >= min_run:
                edges += [run_start, i]
            run_start = None
    return edges


@pytest.mark.parametrize("tone", list(Tone))
def test_peak_scales_with_volume(tone: Tone):
    loud = max(abs(s) for s in render_tone(tone, 1.0).samples())
    half = max(abs(s) for s in render_tone(tone, 0.5).samples())
    assert 0.2 * FULL_SCALE < loud <= FULL_SCALE  # the tempo tick is soft by design
    assert half == pytest.approx(loud / 2, rel=0.01)


def test_zero_volume_is_silence_of_the_same_length():
    pcm = render_tone(Tone.START, 0.0)
    assert len(pcm.data) == len(render_tone(Tone.START, 1.0).data)
    assert not any(pcm.data)


def test_rendered_buffers_are_cached():
    assert render_tone(Tone.HALFWAY, 0.7) is render_tone(Tone.HALFWAY, 0.7)
    assert render_tone(Tone.HALFWAY, 0.7) is not render_tone(Tone.HALFWAY, 0.6)


#: sha256 of each tone at full volume, as the per-sample renderer made them before
#: it was turned into whole-list arithmetic (the same operations in the same order):
#: a faster renderer must make the same bytes.
RENDERED_BEFORE = {
    Tone.PIP: "a19d2eb44c88b46f32901b569d4cf0b1948df59f1e7190bc64178609b0591633",
    Tone.START: "0685a9a82f51452e7be2f563ca5a7c5dcf4281fddbe0bcff7c9cf70e6a29f184",
    Tone.END: "34a4d6dbe32a3a3be758a356b074a15caa4db66ccc3b3afdf6d5e680cf582295",
    Tone.HALFWAY: "cdb1ac890f220d46b62389e2cb28b86b5f20226777bdb8f658b39e98ab4a0059",
    Tone.SWITCH_SIDES: "49903bc8f1da1f668a4c7512467d1e2de79ddca0c593a55cdf5ec8d349393a33",
    Tone.TEMPO: "70dc2c19b1e6390aa1f48dbdd71323310519ad5fac3d782026671156e9ea2dd3",
    Tone.SESSION_COMPLETE: "590bfbdc839ab4777f29ea40da052377c674219f42185701bd72ce30a632e430",
}


@pytest.mark.parametrize("tone", list(Tone))
def test_tones_are_the_bytes_the_per_sample_renderer_made(tone: Tone):
    assert hashlib.sha256(render_tone(tone, 1.0).data).hexdigest() == RENDERED_BEFORE[tone]
