"""Shared tools for the audio tests: signal analysis, fake backends, ALSA sandboxes.

Imported by the test modules beside it (pytest puts this folder on sys.path).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
from array import array
from collections.abc import Iterable
from pathlib import Path

from trainer.adapters.audio.backends import PROBE_SOUND, BackendError
from trainer.adapters.audio.pcm import Pcm

REPO_ROOT = Path(__file__).resolve().parents[2]


# -- signal analysis ---------------------------------------------------------------


def tone_power(samples: array, sample_rate: int, hz: float) -> float:
    """Energy of ``samples`` at ``hz`` (the Goertzel algorithm: one bin of a DFT)."""
    coefficient = 2 * math.cos(2 * math.pi * hz / sample_rate)
    previous = before_previous = 0.0
    for sample in samples:
        previous, before_previous = sample + coefficient * previous - before_previous, previous
    return (
        previous * previous
        + before_previous * before_previous
        - (coefficient * previous * before_previous)
    )


def strongest_of(samples: array, sample_rate: int, candidates: Iterable[float]) -> float:
    """Which of ``candidates`` (Hz) carries the most energy in ``samples``."""
    return max(candidates, key=lambda hz: tone_power(samples, sample_rate, hz))


def samples_of(data: bytes) -> array:
    """Little-endian S16 bytes as native samples."""
    return Pcm(data, 44100).samples()


# -- fake backends -------------------------------------------------------------------


class _Done:
    def wait(self, stop: threading.Event) -> None:
        pass


class RecordingBackend:
    """A device that works and remembers what it was given."""

    is_silent = False

    def __init__(self, name: str = "recording") -> None:
        self.name = name
        self.played: list[Pcm] = []
        self.closed = False

    def start(self, pcm: Pcm) -> _Done:
        self.played.append(pcm)
        return _Done()

    def close(self) -> None:
        self.closed = True


class UnpluggedBackend(RecordingBackend):
    """Works for ``good_plays`` sounds (counting the start-up probe), then raises forever."""

    def __init__(self, good_plays: int, name: str = "unplugged") -> None:
        super().__init__(name)
        self.good_plays = good_plays
        self.attempts = 0

    def start(self, pcm: Pcm) -> _Done:
        self.attempts += 1
        if self.attempts > self.good_plays:
            raise BackendError(f"{self.name}: No such device")
        return super().start(pcm)


class SlowBackend(RecordingBackend):
    """Each sound 'plays' for ``seconds`` (or until told to stop), like a real device."""

    def __init__(self, seconds: float, name: str = "slow") -> None:
        super().__init__(name)
        self.seconds = seconds
        self.stopped_early = 0

    def start(self, pcm: Pcm) -> SlowBackend._Playing | _Done:
        self.played.append(pcm)
        if pcm == PROBE_SOUND:  # starting up is quick; it is the cues that take time
            return _Done()
        return SlowBackend._Playing(self)

    class _Playing:
        def __init__(self, backend: SlowBackend) -> None:
            self._backend = backend

        def wait(self, stop: threading.Event) -> None:
            if stop.wait(self._backend.seconds):
                self._backend.stopped_early += 1


class HeldBackend(RecordingBackend):
    """Each sound plays until the test sets ``release``; ``playing`` tells when one started."""

    def __init__(self, name: str = "held") -> None:
        super().__init__(name)
        self.playing = threading.Event()
        self.release = threading.Event()

    def start(self, pcm: Pcm) -> HeldBackend._Playing | _Done:
        self.played.append(pcm)
        if pcm == PROBE_SOUND:
            return _Done()
        self.playing.set()
        return HeldBackend._Playing(self)

    class _Playing:
        def __init__(self, backend: HeldBackend) -> None:
            self._backend = backend

        def wait(self, stop: threading.Event) -> None:
            while not (self._backend.release.wait(0.01) or stop.is_set()):
                pass


def factory(backend: RecordingBackend):
    """A backend factory handing out this one instance (so the test can inspect it)."""
    return lambda: backend


def failing_factory(reason: str):
    def open_backend() -> RecordingBackend:
        raise BackendError(reason)

    return open_backend


# -- ALSA sandboxes in child processes ---------------------------------------------------


def child_env(home: Path, *, path: str | None = None) -> dict[str, str]:
    """An environment whose ALSA reads ``home/.asoundrc`` and whose data stays in ``home``.

    libasound loads ``~/.asoundrc`` (and ``$XDG_CONFIG_HOME/alsa/asoundrc``) after
    the system files, once per process, and a ``pcm.!default`` there overrides
    whatever default the system set: so each child gets the device we describe.
    """
    env = dict(os.environ)
    env.pop("ALSA_CONFIG_PATH", None)  # would replace alsa.conf and skip the home file
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        TRAINER_DATA_DIR=str(home / "data"),
        PYTHONPATH=str(REPO_ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    if path is not None:
        env["PATH"] = path
    return env


def route_alsa_to_file(home: Path) -> Path:
    """Make ``home``'s default ALSA device write raw samples to a file; return its path.

    The ``file`` plugin copies every sample it is given into the file (anew
    each time the device opens) and passes them on to ``null``, which discards
    them as fast as they come: real ALSA end to end, no sound card, no waiting.
    """
    out = home / "out.raw"
    (home / ".asoundrc").write_text(
        f'pcm.!default {{\n  type file\n  slave.pcm "null"\n  file "{out}"\n  format "raw"\n}}\n'
    )
    return out


def remove_alsa_device(home: Path) -> None:
    """Make ``home``'s default ALSA device a sound card that does not exist."""
    (home / ".asoundrc").write_text(
        'pcm.!default { type hw; card "NoSuchCard" }\nctl.!default { type hw; card "NoSuchCard" }\n'
    )


def run_child(script: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh Python with ``env``; stdout and stderr (fd 1 and 2) captured."""
    return subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
