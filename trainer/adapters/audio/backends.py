"""Ways to get a :class:`~trainer.adapters.audio.pcm.Pcm` out of the speaker.

Three backends, tried in this order when the config says ``backend = "auto"``:

1. :class:`SimpleaudioBackend` - in-process ALSA through the ``simpleaudio``
   extension; the lowest latency (no process to start per sound).
2. :class:`AplayBackend` - an ``aplay`` subprocess per sound (alsa-utils); slower
   to start, but it needs no compiled extension and a crash stays in the child.
3. :class:`SilentBackend` - plays nothing. The UI asks
   :attr:`AudioPlayer.is_silent <trainer.adapters.audio.player.AudioPlayer.is_silent>`
   and flashes cues on screen instead.

A backend's :meth:`~Backend.start` hands the buffer over and returns at once
with a :class:`Playback`; :meth:`Playback.wait` then blocks until the sound has
finished. Only the audio worker thread calls either. Every failure, whatever
its cause (device missing, unplugged, busy, or the playback never finishing),
surfaces as a :class:`BackendError`, so the player has one thing to catch
before it falls back to the next backend.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from trainer.adapters.audio.alsa_quiet import silence_alsa_errors
from trainer.adapters.audio.pcm import CHANNELS, SAMPLE_WIDTH, Pcm

#: How often a waiting playback checks whether it finished or was told to stop.
POLL_SECONDS = 0.005
#: A playback still going this long after its sound should have ended has
#: stalled (a wedged device or driver): give up on it rather than hang the queue.
STALL_GRACE_SECONDS = 3.0
#: What a backend plays to prove it works: too short and too quiet to hear.
PROBE_SOUND = Pcm.silence(0.01, 44100)


class BackendError(Exception):
    """A backend cannot play: the message says why, in words fit for a notice."""


class Playback(Protocol):
    """One sound that a backend is playing."""

    def wait(self, stop: threading.Event) -> None:
        """Block until the sound ends, or ``stop`` is set (then cut it short).

        Raises :class:`BackendError` if playing failed or stalled.
        """


class Backend(Protocol):
    """Something that can play PCM. ``name`` is what notices and ``audio-test`` show."""

    name: str
    is_silent: bool

    def start(self, pcm: Pcm) -> Playback:
        """Hand ``pcm`` to the device and return without waiting for it to finish."""

    def close(self) -> None:
        """Release the device; idempotent."""


BackendFactory = Callable[[], Backend]


class SimpleaudioBackend:
    """In-process ALSA playback through ``simpleaudio``.

    simpleaudio opens the ALSA ``default`` device for every buffer and plays it
    on a detached C thread of its own, so :meth:`start` returns as soon as the
    device is open. Two of its traits shape this class:

    * A device that fails *during* playback (USB speaker unplugged) is not
      reported: its C thread just stops early. The *next* open then fails, and
      that is where the player notices and falls back.
    * Its C thread touches the interpreter when it finishes, so a process must
      not exit while a sound is still playing: :meth:`close` waits for silence.
    """

    name = "simpleaudio"
    is_silent = False

    def __init__(self) -> None:
        # Before the import: a failing import or first open would print otherwise.
        silence_alsa_errors()
        try:
            import simpleaudio
        except Exception as exc:  # ImportError, or OSError when libasound is missing
            raise BackendError(f"simpleaudio cannot be loaded ({exc})") from None
        self._simpleaudio = simpleaudio
        self._latest: _SimpleaudioPlayback | None = None

    def start(self, pcm: Pcm) -> Playback:
        try:
            play_object = self._simpleaudio.play_buffer(
                pcm.data, CHANNELS, SAMPLE_WIDTH, pcm.sample_rate
            )
        except Exception as exc:  # SimpleaudioError, ValueError
            raise BackendError(f"simpleaudio: {exc}") from None
        self._latest = _SimpleaudioPlayback(play_object, pcm.duration)
        return self._latest

    def close(self) -> None:
        if self._latest is not None:
            self._latest.stop_and_wait_gone()
            self._latest = None


class _SimpleaudioPlayback:
    def __init__(self, play_object: Any, duration: float) -> None:
        self._play_object = play_object
        self._deadline = time.monotonic() + duration + STALL_GRACE_SECONDS

    def wait(self, stop: threading.Event) -> None:
        while self._play_object.is_playing():
            if stop.wait(POLL_SECONDS):
                self.stop_and_wait_gone()
                return
            if time.monotonic() > self._deadline:
                self._play_object.stop()
                raise BackendError("simpleaudio: playback stalled (is the device still there?)")

    def stop_and_wait_gone(self, timeout: float = 1.0) -> None:
        """Stop, then wait (bounded) until simpleaudio's C thread has let go of the buffer."""
        self._play_object.stop()
        give_up = time.monotonic() + timeout
        while self._play_object.is_playing() and time.monotonic() < give_up:
            time.sleep(POLL_SECONDS)


class AplayBackend:
    """One ``aplay`` process per sound, fed raw PCM on its stdin.

    aplay's stderr is piped, never inherited, so its complaints cannot reach
    the terminal; the last line of it becomes the :class:`BackendError` text.
    """

    name = "aplay"
    is_silent = False

    def __init__(self, executable: str | None = None) -> None:
        found = executable or shutil.which("aplay")
        if found is None:
            raise BackendError("aplay is not installed (it comes with alsa-utils)")
        self._executable = found

    def start(self, pcm: Pcm) -> Playback:
        command = [
            self._executable,
            "--quiet",
            "--file-type=raw",
            "--format=S16_LE",
            f"--channels={CHANNELS}",
            f"--rate={pcm.sample_rate}",
            "-",
        ]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise BackendError(f"aplay cannot be started ({exc.strerror})") from None
        return _AplayPlayback(process, pcm)

    def close(self) -> None:
        """Nothing to release: each sound's process ends with its sound."""


class _AplayPlayback:
    def __init__(self, process: subprocess.Popen[bytes], pcm: Pcm) -> None:
        self._process = process
        self._unsent = memoryview(pcm.data)
        self._deadline = time.monotonic() + pcm.duration + STALL_GRACE_SECONDS
        if process.stdin is not None:
            os.set_blocking(process.stdin.fileno(), False)

    def wait(self, stop: threading.Event) -> None:
        while True:
            self._feed()
            try:
                self._process.wait(timeout=POLL_SECONDS * 4)
                break
            except subprocess.TimeoutExpired:
                if stop.is_set():
                    self._end()
                    return
                if time.monotonic() > self._deadline:
                    self._end()
                    raise BackendError(
                        "aplay: playback stalled (is the device still there?)"
                    ) from None
        stderr = self._read_stderr()
        self._close_pipes()
        if self._process.returncode != 0:
            lines = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit status {self._process.returncode}"
            raise BackendError(f"aplay: {reason.removeprefix('aplay: ')}")

    def _feed(self) -> None:
        """Write what the pipe takes now, without blocking; close stdin once all is sent.

        (Not ``communicate(input, timeout)``: retried after a timeout, it never
        writes again, stranding whatever did not fit the pipe - any line of speech.)
        """
        stdin = self._process.stdin
        if stdin is None or stdin.closed:
            return
        try:
            while self._unsent:
                written = os.write(stdin.fileno(), self._unsent)
                self._unsent = self._unsent[written:]
        except BlockingIOError:
            return  # the pipe is full: aplay has not caught up yet
        except BrokenPipeError:
            pass  # aplay exited (its stderr says why)
        with contextlib.suppress(BrokenPipeError):
            stdin.close()

    def _read_stderr(self) -> bytes:
        """What aplay said before it exited (never waiting on a pipe someone still holds)."""
        stderr = self._process.stderr
        if stderr is None:
            return b""
        os.set_blocking(stderr.fileno(), False)
        chunks = []
        with contextlib.suppress(BlockingIOError, OSError, ValueError):
            while chunk := stderr.read(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def _end(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self._process.stdin, self._process.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class SilentBackend:
    """Plays nothing, instantly; chosen when no device works or the config asks for it."""

    name = "silent"
    is_silent = True

    def start(self, pcm: Pcm) -> Playback:
        return _FinishedPlayback()

    def close(self) -> None:
        """Nothing to release."""


class _FinishedPlayback:
    def wait(self, stop: threading.Event) -> None:
        """Already over."""


BACKENDS: dict[str, BackendFactory] = {
    "simpleaudio": SimpleaudioBackend,
    "aplay": AplayBackend,
    "silent": SilentBackend,
}


def backend_order(preference: str) -> tuple[str, ...]:
    """Which backends to try, in order, for the config's ``backend`` setting.

    A named backend that fails falls back to silence, never to another device
    backend: whoever named one had a reason not to want the others.
    """
    if preference == "auto":
        return ("simpleaudio", "aplay", "silent")
    if preference == "silent":
        return ("silent",)
    return (preference, "silent")


class BackendChain:
    """The backends to try, in order, and the one in use now.

    :meth:`open_next` walks forward only: once a backend has failed it is not
    tried again this session, so a flaky device cannot make every sound pay for
    a failed open (and a notice) over and over.
    """

    def __init__(self, factories: Sequence[BackendFactory]) -> None:
        if not factories:
            raise ValueError("a backend chain needs at least one backend")
        self._factories = list(factories)
        self._next = 0

    @classmethod
    def for_preference(cls, preference: str) -> BackendChain:
        """The chain for a config ``backend`` value; it always ends in silence."""
        return cls([BACKENDS[name] for name in backend_order(preference)])

    def open_next(self) -> tuple[Backend, list[str]]:
        """Open and probe backends in turn; the first that works, and why the others did not.

        If every one fails, a :class:`SilentBackend` stands in, so callers
        always get something that can "play".
        """
        failures: list[str] = []
        while self._next < len(self._factories):
            factory = self._factories[self._next]
            self._next += 1
            try:
                backend = factory()
                probe(backend)
            except BackendError as exc:
                failures.append(str(exc))
                continue
            except Exception as exc:  # a backend bug must not take the session down
                failures.append(f"{getattr(factory, 'name', factory)}: {exc!r}")
                continue
            return backend, failures
        return SilentBackend(), failures


def probe(backend: Backend) -> None:
    """Play an inaudible blip through ``backend``; BackendError if the device is not usable."""
    backend.start(PROBE_SOUND).wait(threading.Event())
