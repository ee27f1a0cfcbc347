"""`trainer audio-test` in-process, where no sound device is needed."""

from __future__ import annotations

import argparse

from trainer.commands import audio_test
from trainer.engine.vocabulary import Tone


def test_a_bad_audio_setting_is_reported_and_exits_2(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text("[audio]\nbackend = 'pulseaudio'\n")
    assert audio_test.run(argparse.Namespace(config=config)) == 2
    err = capsys.readouterr().err
    assert "[audio] backend" in err and "'pulseaudio'" in err


def test_a_silent_backend_still_names_every_tone_and_exits_0(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config.toml"
    config.write_text("[audio]\nbackend = 'silent'\nspeech = false\n")
    assert audio_test.run(argparse.Namespace(config=config)) == 0
    out = capsys.readouterr().out
    assert "Backend: silent" in out
    assert "No sound will play" in out
    assert "Speech is off in the config" in out
    for tone in Tone:
        assert f"  {tone.value} " in out
