"""Logs and caches the trainer writes on its own stay within a size and an age.

The report: the errors log and the espeak-ng speech cache grew without bound
(the cache filled a small disk before the database did), and speech was rendered
even with ``backend = "silent"``. Variants: a traceback repeated every frame, one
enormous entry, the general trainer.log, stale partial renders, muted speech.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.pcm import Pcm
from trainer.adapters.audio.speech import (
    DISK_CACHE_MAX_AGE,
    DISK_CACHE_MAX_BYTES,
    EspeakSpeech,
)
from trainer.capped_files import DAY, append_capped, prune_folder
from trainer.commands import _app_setup
from trainer.core.flow import ERROR_LOG_MAX_BYTES
from trainer.core.settings import AppSettings
from trainer.ui.kiosk import KioskApp


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())


def test_append_capped_keeps_at_most_two_caps_and_the_newest_entry(tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    for number in range(2000):
        append_capped(log, f"entry {number:05} " + "x" * 1000 + "\n", max_bytes=64_000)
    assert _folder_bytes(tmp_path) <= 2 * 64_000
    assert log.read_text().rstrip().endswith("x") and "entry 01999" in log.read_text()
    append_capped(log, "y" * 1_000_000, max_bytes=64_000)  # one entry bigger than the cap
    assert _folder_bytes(tmp_path) <= 2 * 64_000


def test_append_capped_drops_an_old_copy(tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    older = tmp_path / "errors.log.1"
    older.write_text("from last year\n")
    a_year_ago = time.time() - 365 * DAY
    os.utime(older, (a_year_ago, a_year_ago))
    append_capped(log, "today\n", max_bytes=1000)
    assert not older.exists() and log.read_text() == "today\n"


def test_a_bug_repeating_every_frame_is_written_once_and_counted(tmp_path: Path) -> None:
    app = KioskApp(AppSettings(log_dir=tmp_path, database=tmp_path / "h.sqlite3"))
    for _ in range(400):  # the report: 397 tracebacks in 5 s
        try:
            raise ValueError("cannot convert float NaN to integer")
        except ValueError as error:
            app.core.log_error(error)
    assert (tmp_path / "errors.log").read_text().count("Traceback") == 1
    try:
        raise KeyError("something else")
    except KeyError as error:
        app.core.log_error(error)
    text = (tmp_path / "errors.log").read_text()
    assert text.count("Traceback") == 2 and "repeated 399 more times" in text
    for number in range(3000):  # and different errors, each once, still capped
        try:
            raise RuntimeError(f"bug {number} " + "z" * 500)
        except RuntimeError as error:
            app.core.log_error(error)
    assert _folder_bytes(tmp_path) <= 2 * ERROR_LOG_MAX_BYTES
    assert "bug 2999" in (tmp_path / "errors.log").read_text()


def test_trainer_log_is_rotated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        _app_setup.log_to_file()
        for number in range(6000):
            logging.getLogger("flood").error("line %d %s", number, "w" * 500)
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:], level = saved
        root.setLevel(level)
    logs = [path for path in tmp_path.rglob("trainer.log*")]
    assert logs and sum(path.stat().st_size for path in logs) <= 2 * _app_setup.LOG_MAX_BYTES + 600


def _stuff_cache(folder: Path) -> tuple[Path, Path]:
    """30 MB of cached cues, a third of them four months old, and a stale partial."""
    folder.mkdir(parents=True)
    old = time.time() - 120 * DAY
    recent = time.time() - 3600
    for number in range(60):
        path = folder / f"{number:032x}.wav"
        path.write_bytes(b"\0" * 500_000)
        stamp = old if number < 20 else recent - (60 - number)
        os.utime(path, (stamp, stamp))
    partial = folder / ".abc-123.partial"
    partial.write_bytes(b"\0" * 1000)
    os.utime(partial, (old, old))
    newest = folder / f"{59:032x}.wav"
    return partial, newest


def test_the_speech_cache_is_pruned_by_age_and_size(tmp_path: Path) -> None:
    cache = tmp_path / "speech"
    partial, newest = _stuff_cache(cache)
    speech = EspeakSpeech.find(voice="en", rate=160, volume=1.0, cache_dir=cache)
    if speech is None:
        pytest.skip("espeak-ng is not installed")
    assert speech.render("Knee over the middle toes") is not None
    assert _folder_bytes(cache) <= DISK_CACHE_MAX_BYTES
    assert not partial.exists()
    assert newest.exists()  # the most recently used survive
    assert all(time.time() - p.stat().st_mtime <= DISK_CACHE_MAX_AGE for p in cache.iterdir())
    assert len(list(cache.glob("*.wav"))) >= 2  # the new cue is kept too


def test_prune_folder_removes_least_recently_used_first(tmp_path: Path) -> None:
    now = time.time()
    for number in range(10):
        path = tmp_path / f"{number}.wav"
        path.write_bytes(b"\0" * 100)
        os.utime(path, (now - 100 + number, now - 100 + number))
    assert prune_folder(tmp_path, max_bytes=500, max_age=DAY, suffix=".wav") == 5
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"{n}.wav" for n in range(5, 10)]


class _CountingSpeech:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def render(self, text: str) -> Pcm | None:
        self.texts.append(text)
        return Pcm(b"\0\0" * 100, 22050)


def test_a_silent_backend_never_renders_speech_but_still_shows_it() -> None:
    speech = _CountingSpeech()
    shown: list[str] = []
    player = AudioPlayer.create(
        AudioSettings(backend="silent", speech=True),
        speech=speech,
        on_unheard=lambda request: shown.append(request.text or ""),
    )
    try:
        assert player.is_silent
        for line in ("Calf stretch", "Knee out", "Breathe"):
            player.speak(line)
        assert player.drain(5.0)
    finally:
        player.close()
    assert speech.texts == []
    assert shown == ["Calf stretch", "Knee out", "Breathe"]


def test_muted_speech_is_never_rendered() -> None:
    speech = _CountingSpeech()
    player = AudioPlayer.create(AudioSettings(speech=True, muted=True), speech=speech)
    try:
        for line in ("one", "two"):
            player.speak(line)
        player.drain(5.0)
    finally:
        player.close()
    assert speech.texts == []


@pytest.mark.parametrize(
    "settings",
    [AudioSettings(backend="silent", speech=True), AudioSettings(speech=True, muted=True)],
    ids=["silent", "muted"],
)
def test_the_sound_planner_measures_without_rendering_when_nobody_hears(
    settings: AudioSettings,
) -> None:
    """The sound planner asks how long each line lasts: with a silent backend or the
    sound muted the answer is an estimate, and espeak-ng never runs."""
    speech = _CountingSpeech()
    player = AudioPlayer.create(settings, speech=speech)
    try:
        seconds = player.measure.speech("Knee over the middle of the foot")
    finally:
        player.close()
    assert seconds > 0 and speech.texts == []
