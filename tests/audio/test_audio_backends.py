"""Backends alone: the chain's order, and how aplay and simpleaudio fail."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from audio_helpers import RecordingBackend, failing_factory

from trainer.adapters.audio import backends
from trainer.adapters.audio.alsa_quiet import silence_alsa_errors
from trainer.adapters.audio.backends import (
    AplayBackend,
    BackendChain,
    BackendError,
    SilentBackend,
    backend_order,
)
from trainer.adapters.audio.pcm import Pcm
from trainer.adapters.audio.tones import render_tone
from trainer.engine.vocabulary import Tone


@pytest.mark.parametrize(
    ("preference", "order"),
    [
        ("auto", ("simpleaudio", "aplay", "silent")),
        ("aplay", ("aplay", "silent")),
        ("simpleaudio", ("simpleaudio", "silent")),
        ("silent", ("silent",)),
    ],
)
def test_backend_order_follows_the_setting_and_always_ends_in_silence(preference, order):
    assert backend_order(preference) == order


def test_the_chain_walks_forward_and_never_retries_a_failed_backend():
    working = RecordingBackend("second")
    chain = BackendChain([failing_factory("first: broken"), lambda: working])
    backend, failures = chain.open_next()
    assert backend is working and failures == ["first: broken"]
    backend, failures = chain.open_next()  # the second failed later: nothing left but silence
    assert isinstance(backend, SilentBackend) and failures == []


def test_alsa_silencing_is_idempotent():
    first = silence_alsa_errors()
    assert silence_alsa_errors() == first


def fake_aplay(tmp_path: Path, body: str) -> str:
    script = tmp_path / "aplay"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return str(script)


def test_aplay_gets_raw_mono_s16_at_the_buffer_rate(tmp_path):
    received, args = tmp_path / "received.raw", tmp_path / "args.txt"
    aplay = fake_aplay(tmp_path, f'echo "$@" > "{args}"\ncat > "{received}"\n')
    pcm = render_tone(Tone.START, 0.5)
    AplayBackend(aplay).start(pcm).wait(threading.Event())
    assert received.read_bytes() == pcm.data
    assert args.read_text().split() == [
        "--quiet",
        "--file-type=raw",
        "--format=S16_LE",
        "--channels=1",
        "--rate=44100",
        "-",
    ]


def test_aplay_gets_all_of_a_sound_longer_than_the_pipe_even_when_slow_to_read(tmp_path):
    # A line of speech (~90 KB) does not fit a 64 KB pipe: the rest used to be
    # dropped whenever aplay had not read the first part within 20 ms, and the
    # playback then "stalled" into silence (every time on a busy machine).
    received = tmp_path / "received.raw"
    aplay = fake_aplay(tmp_path, f'sleep 0.2\nexec cat > "{received}"\n')
    pcm = Pcm(bytes(range(256)) * 800, 22050)  # 200 KB, about 4.6 s
    AplayBackend(aplay).start(pcm).wait(threading.Event())
    assert received.read_bytes() == pcm.data


def test_aplay_failing_is_a_backend_error_with_its_last_words(tmp_path):
    aplay = fake_aplay(
        tmp_path,
        'cat > /dev/null\necho "aplay: main:831: audio open error: No such device" >&2\nexit 1\n',
    )
    with pytest.raises(BackendError, match=r"^aplay: main:831: audio open error: No such device$"):
        AplayBackend(aplay).start(render_tone(Tone.PIP, 0.5)).wait(threading.Event())


def test_a_hung_aplay_is_given_up_on_instead_of_stalling(tmp_path, monkeypatch):
    monkeypatch.setattr(backends, "STALL_GRACE_SECONDS", 0.3)
    aplay = fake_aplay(tmp_path, "exec sleep 30\n")
    started = time.monotonic()
    with pytest.raises(BackendError, match="stalled"):
        AplayBackend(aplay).start(Pcm.silence(0.05, 44100)).wait(threading.Event())
    assert time.monotonic() - started < 15, "gave up long before the 30 s hang ended"


def test_stopping_aplay_ends_it_at_once(tmp_path):
    aplay = fake_aplay(tmp_path, "exec sleep 30\n")
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    AplayBackend(aplay).start(Pcm.silence(10, 44100)).wait(stop)
    assert time.monotonic() - started < 5, "ended long before the 10 s sound would have"


def test_missing_aplay_is_reported_by_name(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackendError, match="aplay is not installed"):
        AplayBackend()


class _NeverEndingPlayObject:
    def __init__(self) -> None:
        self.stopped = False

    def is_playing(self) -> bool:
        return True  # a wedged device: simpleaudio's thread never finishes

    def stop(self) -> None:
        self.stopped = True


def test_a_wedged_simpleaudio_playback_is_given_up_on(monkeypatch):
    monkeypatch.setattr(backends, "STALL_GRACE_SECONDS", 0.2)
    play_object = _NeverEndingPlayObject()
    playback = backends._SimpleaudioPlayback(play_object, duration=0.05)
    started = time.monotonic()
    with pytest.raises(BackendError, match="stalled"):
        playback.wait(threading.Event())
    assert play_object.stopped
    assert time.monotonic() - started < 10, "a wedged playback would have waited for ever"
