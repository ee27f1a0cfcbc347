"""Spoken cues: cleaning untrusted text, rendering with the real espeak-ng, caching."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from audio_helpers import RecordingBackend, factory
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.speech import (
    MAX_CUE_CHARS,
    EspeakSpeech,
    SpeechError,
    clean_cue_text,
    speech_cache_dir,
)

REAL_ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(REAL_ESPEAK is None, reason="espeak-ng is not installed")


# -- cleaning ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "spoken"),
    [
        ("Switch to the left side", "Switch to the left side"),
        ("  screw your hips\n\tinto the ground ", "screw your hips into the ground"),
        ("-w /tmp/pwned hello", "w /tmp/pwned hello"),
        ("--stdout", "stdout"),
        ("- - -w x", "w x"),
        ("[[h@'loU]] world", "h@'loU world"),
        ("<speak><audio src='x'/></speak>", "speak audio src='x'/ /speak"),
        ("bell\x07 escape\x1b[2J nul\x00 done", "bell escape 2J nul done"),
        ("zero\u200bwidth", "zero width"),
        ("\x00\x01\n", ""),
    ],
)
def test_cue_text_is_cleaned_before_espeak_sees_it(raw, spoken):
    assert clean_cue_text(raw) == spoken


def test_long_text_is_cut_at_a_word_boundary():
    text = "stretch " * 100
    cleaned = clean_cue_text(text)
    assert len(cleaned) <= MAX_CUE_CHARS
    assert cleaned.endswith("stretch")


def test_one_enormous_word_is_still_bounded():
    assert len(clean_cue_text("a" * 10_000)) == MAX_CUE_CHARS


@settings(deadline=None)
@given(st.text(max_size=400))
def test_cleaned_text_is_always_safe(raw):
    cleaned = clean_cue_text(raw)
    assert len(cleaned) <= MAX_CUE_CHARS
    assert not cleaned.startswith("-")
    assert cleaned == cleaned.strip()
    assert not set(cleaned) & set("[]<>{}\\|")
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in cleaned)


# -- the cache folder ----------------------------------------------------------------------


def test_cache_follows_the_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    assert speech_cache_dir() == tmp_path / "cache" / "speech"


def test_cache_defaults_to_the_xdg_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("TRAINER_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert speech_cache_dir() == tmp_path / "trainer" / "speech"


# -- the real espeak-ng -----------------------------------------------------------------------


@pytest.fixture
def counting_espeak(tmp_path: Path) -> tuple[Path, Path]:
    """A PATH folder whose espeak-ng logs each run, then runs the real one."""
    if REAL_ESPEAK is None:
        pytest.skip("espeak-ng is not installed")
    bin_dir, log = tmp_path / "bin", tmp_path / "espeak-runs.log"
    bin_dir.mkdir()
    wrapper = bin_dir / "espeak-ng"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{REAL_ESPEAK}" "$@"\n')
    wrapper.chmod(0o755)
    return bin_dir, log


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def speech(cache_dir: Path | None, **overrides) -> EspeakSpeech:
    options = {"voice": "en", "rate": 160, "volume": 1.0, "cache_dir": cache_dir} | overrides
    found = EspeakSpeech.find(**options)
    assert found is not None
    return found


@needs_espeak
def test_a_cue_is_rendered_to_plausible_speech(tmp_path):
    pcm = speech(tmp_path).render("Switch to the left side")
    assert pcm is not None
    assert pcm.sample_rate == 22050
    assert 0.6 < pcm.duration < 5.0  # five words at 160 words a minute, plus pauses
    assert max(abs(s) for s in pcm.samples()) > 1000  # not silence


@needs_espeak
def test_an_option_in_the_text_is_spoken_not_obeyed(tmp_path):
    target = tmp_path / "pwned.wav"
    pcm = speech(tmp_path / "cache").render(f"-w {target} --stdout hello")
    assert not target.exists()
    assert pcm is not None and pcm.duration > 0.5


@needs_espeak
def test_volume_scales_speech(tmp_path):
    loud = speech(tmp_path / "a").render("hold it there")
    quiet = speech(tmp_path / "b", volume=0.25).render("hold it there")
    assert max(quiet.samples()) == pytest.approx(max(loud.samples()) * 0.25, abs=1)


@needs_espeak
def test_nothing_to_say_renders_nothing(tmp_path):
    assert speech(tmp_path).render(" \x00[[ ]] ") is None


@needs_espeak
def test_an_unknown_voice_is_a_speech_error_naming_the_problem(tmp_path):
    with pytest.raises(SpeechError, match="voice"):
        speech(tmp_path, voice="xx-nosuchvoice").render("hello")


def test_the_second_render_of_a_text_does_not_run_espeak_again(
    counting_espeak, tmp_path, monkeypatch
):
    bin_dir, log = counting_espeak
    monkeypatch.setenv("PATH", str(bin_dir))
    synth = speech(tmp_path / "cache")
    first = synth.render("screw your hips into the ground")
    second = synth.render("screw your hips into the ground")
    assert first is second  # from memory
    assert runs(log) == 1 and synth.renders == 1
    # A new session (empty memory) reads the file instead of running espeak-ng.
    again = speech(tmp_path / "cache").render("screw your hips into the ground")
    assert again == first
    assert runs(log) == 1
    # A different rate is a different recording.
    speech(tmp_path / "cache", rate=200).render("screw your hips into the ground")
    assert runs(log) == 2


def test_a_corrupt_cache_file_is_rendered_again(counting_espeak, tmp_path, monkeypatch):
    bin_dir, log = counting_espeak
    monkeypatch.setenv("PATH", str(bin_dir))
    cache = tmp_path / "cache"
    speech(cache).render("breathe out")
    for cached in cache.glob("*.wav"):
        cached.write_bytes(b"RIFF garbage")
    pcm = speech(cache).render("breathe out")
    assert pcm is not None and pcm.duration > 0.3
    assert runs(log) == 2


def test_an_unwritable_cache_still_speaks(counting_espeak, tmp_path, monkeypatch):
    bin_dir, _ = counting_espeak
    monkeypatch.setenv("PATH", str(bin_dir))
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("in the way")
    pcm = speech(not_a_dir / "cache").render("keep going")
    assert pcm is not None and pcm.duration > 0.3


def test_the_player_speaks_a_repeated_cue_without_running_espeak_again(
    counting_espeak, tmp_path, monkeypatch
):
    bin_dir, log = counting_espeak
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    device = RecordingBackend()
    with AudioPlayer.create(AudioSettings(), backends=[factory(device)]) as player:
        player.speak("switch to the left side")
        assert player.drain(10)
        player.speak("switch to the left side")
        assert player.drain(10)
        assert player.notices == ()
    assert runs(log) == 1
    first, second = device.played[1:]
    assert first == second and first.duration > 0.5
    assert list((tmp_path / "data" / "cache" / "speech").glob("*.wav"))
