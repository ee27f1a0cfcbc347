"""Every bundled routine can be heard as written: its sound plan leaves nothing out.

Planned exactly as a session plans it: the shipped cue rules, and every line
rendered by espeak-ng at the shipped voice and rate (estimated without it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.adapters.audio.measure import AudioMeasure
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.audio.speech import EspeakSpeech
from trainer.engine.plan import build_plan
from trainer.engine.settings import EngineSettings
from trainer.engine.soundplan import GAP_SECONDS, plan_sounds
from trainer.routine.catalog import load_catalog

BUNDLED = Path(__file__).resolve().parents[2] / "routines"
TEMPO_TOLERANCE_SECONDS = 0.050


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    audio = AudioSettings()
    cache = tmp_path_factory.mktemp("speech")
    speech = EspeakSpeech.find(voice=audio.voice, rate=audio.rate, volume=1.0, cache_dir=cache)
    measure = AudioMeasure(audio, speech)
    rules = EngineSettings().cues
    catalog = load_catalog([BUNDLED])
    plans = {}
    for routine_id, loaded in sorted(catalog.routines.items()):
        plan = build_plan(loaded)
        plans[routine_id] = (plan, plan_sounds(plan, rules, measure))
    return plans


def test_every_bundled_routine_leaves_no_cue_out(planned):
    left_out = {
        routine_id: [(i, c.what, c.reason) for i, c in sounds.changes if c.change == "left out"]
        for routine_id, (_plan, sounds) in planned.items()
    }
    assert left_out == {routine_id: [] for routine_id in planned}
    assert not any(c.change == "shortened" for _, (_, s) in planned.items() for _, c in s.changes)


def test_every_tempo_word_is_planned_on_its_beat(planned):
    checked = 0
    for routine_id, (plan, sounds) in planned.items():
        for moment in plan:
            words = [s for s in sounds[moment.index].sounds if s.kind == "tempo"]
            assert len(words) == len(moment.tempo), (routine_id, moment.index)
            for word, phase in zip(words, moment.tempo, strict=True):
                assert abs(word.start - phase.offset) <= TEMPO_TOLERANCE_SECONDS
                checked += 1
    assert checked > 500


def test_no_two_sounds_overlap_anywhere(planned):
    for routine_id, (_plan, sounds) in planned.items():
        for moment in sounds.moments:
            for before, after in zip(moment.sounds, moment.sounds[1:], strict=False):
                assert after.start >= before.end + GAP_SECONDS - 1e-9, (routine_id, before, after)


def test_every_coaching_cue_of_every_moment_is_said(planned):
    for _routine_id, (plan, sounds) in planned.items():
        for moment in plan:
            said = {s.text for s in sounds[moment.index].sounds}
            assert {cue.text for cue in moment.cues} <= said
