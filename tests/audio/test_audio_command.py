"""`trainer audio-test` in-process, where no sound device is needed."""

from __future__ import annotations

import argparse
import re

from audio_helpers import RecordingBackend, factory, failing_factory

from trainer.adapters.audio import player as audio_player
from trainer.commands import audio_test
from trainer.engine.vocabulary import Tone


def test_a_bad_audio_setting_is_reported_and_exits_2(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text("[audio]\nbackend = 'pulseaudio'\n")
    assert audio_test.run(argparse.Namespace(config=config)) == 2
    err = capsys.readouterr().err
    assert "[audio] backend" in err and "'pulseaudio'" in err


def test_a_silent_backend_names_every_tone_as_not_heard_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config.toml"
    config.write_text("[audio]\nbackend = 'silent'\nspeech = false\n")
    assert audio_test.run(argparse.Namespace(config=config)) == 1
    out = capsys.readouterr().out
    assert "Backend: silent" in out
    assert "No sound will play" in out
    assert "Speech is off in the config" in out
    for tone in Tone:
        assert re.search(rf"^  {tone.value} .*\(not heard: no sound device\)$", out, re.MULTILINE)
    assert out.rstrip().endswith(
        'Nothing was heard: the config chooses silence ([audio] backend = "silent").'
    )


def test_no_sound_device_exits_1_and_says_nothing_was_heard(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        audio_player.BackendChain,
        "for_preference",
        classmethod(lambda cls, preference: cls([failing_factory("simpleaudio: No such device")])),
    )
    config = tmp_path / "config.toml"
    config.write_text("[audio]\nspeech = false\n")
    assert audio_test.run(argparse.Namespace(config=config)) == 1
    out = capsys.readouterr().out
    assert "Notice: No sound device: cues will flash on screen." in out
    assert "  tried simpleaudio: No such device" in out  # the detail, for whoever fixes it
    assert out.count("(not heard: no sound device)") == len(Tone)
    assert out.rstrip().endswith("Nothing was heard: no working sound device (see why above).")


def test_a_working_device_exits_0_and_counts_what_it_played(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    device = RecordingBackend()
    monkeypatch.setattr(
        audio_player.BackendChain,
        "for_preference",
        classmethod(lambda cls, preference: cls([factory(device)])),
    )
    config = tmp_path / "config.toml"
    config.write_text("[audio]\nspeech = false\n")
    assert audio_test.run(argparse.Namespace(config=config)) == 0
    out = capsys.readouterr().out
    assert "not heard" not in out
    assert f"All {len(Tone)} sounds went to recording" in out
    assert len(device.played) == 1 + len(Tone)  # the probe, then each tone
