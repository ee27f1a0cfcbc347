"""The audio layer's front door: :class:`AudioPlayer`.

Usage (the application core opens it this way, see
:func:`trainer.core.adapters.open_audio_player`)::

    player = AudioPlayer.create(
        AudioSettings.from_config(config),
        notify=show_notice_later,             # called on the player's threads
        on_unheard=lambda request: flash_later(),
    )
    player.play(Tone.START)
    player.speak("Pigeon stretch, left side")
    ...
    player.close()

Nothing here ever blocks its caller on sound. :meth:`~AudioPlayer.play` and
:meth:`~AudioPlayer.speak` only queue a request and return; two threads of
the player's own do the rest:

* the **audio worker** owns the backend: it opens one at start (see
  :class:`~trainer.adapters.audio.backends.BackendChain`), then plays the
  :class:`~trainer.adapters.audio.sound_queue.SoundRequest` objects one by one
  under the overlap policy of :mod:`trainer.adapters.audio.sound_queue`. If a
  backend fails mid-session it moves on to the next (ending, at worst, in
  silence), replays the sound there if it is still fresh, and says so in one
  notice. It never lets an exception out: a broken speaker must not end a
  session.
* the **speech renderer** turns text into PCM with espeak-ng (slow the first
  time, cached after), so rendering a new sentence never delays a pip.

Callbacks (``notify``, ``on_unheard``) run on those threads, never on the
caller's: the Textual app hands them over to its loop with ``post_message``
(never ``call_from_thread``, which would block the audio thread).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from trainer.adapters.audio.backends import (
    Backend,
    BackendChain,
    BackendError,
    BackendFactory,
    SilentBackend,
)
from trainer.adapters.audio.measure import AudioMeasure
from trainer.adapters.audio.pcm import Pcm
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.audio.sound_queue import SoundQueue, SoundRequest
from trainer.adapters.audio.speech import EspeakSpeech, SpeechError, speech_cache_dir
from trainer.adapters.audio.tones import render_tone
from trainer.engine.vocabulary import Tone

Notify = Callable[[str], None]
UnheardHook = Callable[[SoundRequest], None]

#: How long :meth:`AudioPlayer.create` waits for the first backend to be chosen.
STARTUP_TIMEOUT_SECONDS = 5.0
#: How long :meth:`AudioPlayer.close` waits for each thread to finish.
CLOSE_TIMEOUT_SECONDS = 3.0
#: Sounds kept in :attr:`AudioPlayer.started` (a long session's worth).
STARTED_KEPT = 20_000

log = logging.getLogger(__name__)

#: Said when no sound device works; ALSA's own words go to the log and to
#: :attr:`AudioPlayer.startup_failures` (``trainer audio-test`` prints them).
NO_SOUND_DEVICE_NOTICE = "No sound device: cues will flash on screen."

SPEECH_MISSING_NOTICE = (
    "espeak-ng is not installed, so cues will not be spoken (tones still play). "
    "Install it with: sudo apt install espeak-ng"
)


class SpeechRenderer(Protocol):
    """What the player needs from a speech synthesiser (EspeakSpeech, or a test double)."""

    def render(self, text: str) -> Pcm | None: ...

    def set_volume(self, volume: float) -> None: ...


class AudioPlayer:
    """Plays tones and spoken cues without ever blocking the caller; see the module docstring.

    Build one with :meth:`create`; call :meth:`close` when the app exits.
    """

    def __init__(
        self,
        settings: AudioSettings,
        chain: BackendChain,
        speech: SpeechRenderer | None,
        notify: Notify | None,
        on_unheard: UnheardHook | None,
        startup_notices: Sequence[str] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._chain = chain
        self._notices = _Notices(notify)
        self._on_unheard = on_unheard
        self._outstanding = _Outstanding()
        self._queue = SoundQueue(on_discard=lambda request: self._outstanding.end(), clock=clock)
        self._backend: Backend | None = None
        self._ready = threading.Event()
        # Set to cut the sound now playing short (mute, close). The lock makes
        # "check muted, then clear stop" atomic against "set muted, set stop".
        self._stop = threading.Event()
        self._state_lock = threading.Lock()
        self._muted = settings.muted
        self._closed = False
        self._worker = threading.Thread(target=self._run_worker, name="trainer-audio", daemon=True)
        self._renderer = (
            _RendererThread(self, speech) if speech is not None and settings.speech else None
        )
        # Said from the worker once it is running, so every callback comes from one place.
        self._startup_notices = tuple(startup_notices)
        #: Why each backend tried at start failed, in the devices' own words.
        self.startup_failures: tuple[str, ...] = ()
        self._speech = speech if settings.speech else None
        self._started: deque[tuple[float, Tone | str]] = deque(maxlen=STARTED_KEPT)
        self.measure = AudioMeasure(settings, self._speech, audible=self._audible)
        """How long each sound lasts as this player plays it (for the sound planner)."""

    # -- construction ---------------------------------------------------------

    @classmethod
    def create(
        cls,
        settings: AudioSettings,
        notify: Notify | None = None,
        *,
        on_unheard: UnheardHook | None = None,
        backends: Sequence[BackendFactory] | None = None,
        speech: SpeechRenderer | Literal["espeak-ng"] | None = "espeak-ng",
        startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> AudioPlayer:
        """Start a player: pick a backend (waiting up to ``startup_timeout``), warm the caches.

        ``notify(message)`` receives every notice (a backend that failed, speech
        that is unavailable); ``on_unheard(request)`` is called for each sound that
        could not be heard because no sound device works, so the UI can flash it
        (and ring the terminal bell, if the user wants that).

        ``backends`` and ``speech`` replace the real ones (tests, benchmarks).
        ``clock`` times each request's freshness; a test that checks *what* plays,
        not *when*, passes a frozen one, so a loaded machine cannot make its
        requests stale.
        """
        if backends:
            chain = BackendChain(backends)
        else:
            chain = BackendChain.for_preference(settings.backend)
        startup_notices: list[str] = []
        if speech == "espeak-ng":
            speech = None
            if settings.speech:
                speech = EspeakSpeech.find(
                    voice=settings.voice,
                    rate=settings.rate,
                    volume=settings.volume,
                    cache_dir=speech_cache_dir(),
                )
                if speech is None:
                    startup_notices.append(SPEECH_MISSING_NOTICE)
        player = cls(settings, chain, speech, notify, on_unheard, startup_notices, clock)
        player._worker.start()
        if player._renderer is not None:
            player._renderer.start()
        player._ready.wait(startup_timeout)
        return player

    # -- what the app calls -----------------------------------------------------

    def play(self, tone: Tone, *, late_by: float = 0.0) -> None:
        """Queue ``tone`` and return at once. Ignored while muted or after :meth:`close`.

        ``late_by`` is how many seconds ago the sound was due (the engine's
        ``PlayTone.due`` against the engine's own clock); it counts towards the
        request's freshness, so a tick that reaches us late is not played later still.
        """
        requested_at = self._clock() - max(0.0, late_by)
        if not self._accepting():
            return
        self._outstanding.begin()
        self._queue.put(SoundRequest.of_tone(Tone(tone), requested_at))

    def speak(self, text: str, *, late_by: float = 0.0) -> None:
        """Queue ``text`` to be spoken and return at once (``late_by`` as for :meth:`play`).

        Ignored while muted, after :meth:`close`, when speech is off in the
        config or when espeak-ng is missing (a notice said so at start).
        """
        now = self._clock() - max(0.0, late_by)
        if self._renderer is None:
            return
        # Under the lock so a request can never slip in behind close()'s stop marker.
        with self._state_lock:
            if not self._accepting():
                return
            self._outstanding.begin()
            self._renderer.submit(text, now)

    @property
    def muted(self) -> bool:
        """Muted (``[audio] muted``, ``--mute``, or the kiosk admin): nothing is played."""
        return self._muted

    def set_sound(self, volume: float, muted: bool) -> None:
        """Change the volume and mute while running (the kiosk admin, mid-session).

        The same player goes on: a session under way keeps its sound. Muting cuts
        the sound now playing short and drops what is asked for until unmuted;
        tones and speech asked for from now on play at ``volume``.
        """
        settings = self._settings.model_copy(update={"volume": volume, "muted": muted})
        with self._state_lock:
            self._settings = settings
            self._muted = muted
            if muted:
                self._stop.set()
        if self._speech is not None:
            self._speech.set_volume(volume)

    @property
    def backend_name(self) -> str:
        """``simpleaudio``, ``aplay`` or ``silent``; ``starting`` until the first is chosen."""
        backend = self._backend
        return backend.name if backend is not None else "starting"

    def _audible(self) -> bool:
        """Whether a sound made now could be heard (for measuring: never render in vain)."""
        return not (self._muted or self._closed or self.is_silent)

    @property
    def is_silent(self) -> bool:
        """True when no sound can be heard whatever we do: the UI should flash cues instead."""
        backend = self._backend
        return backend is not None and backend.is_silent

    @property
    def started(self) -> list[tuple[float, Tone | str]]:
        """The player's own record: ``(time.monotonic() it started, tone or text)``, oldest first.

        Stamped just before the sound is handed to the device, so it says when
        each sound began playing, not when it was asked for.
        """
        return list(self._started)

    @property
    def notices(self) -> tuple[str, ...]:
        """Every notice so far, oldest first (the same ones ``notify`` was given)."""
        return self._notices.all()

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued sound has played or been dropped; False on timeout."""
        return self._outstanding.wait_idle(timeout)

    def close(self) -> None:
        """Stop the sound, drop the queue and end both threads; safe to call twice."""
        with self._state_lock:
            if self._closed:
                return
            self._closed = True
            self._stop.set()
        if self._renderer is not None:
            self._renderer.stop()
        self._queue.close()
        if self._renderer is not None:
            self._renderer.join(CLOSE_TIMEOUT_SECONDS)
        self._worker.join(CLOSE_TIMEOUT_SECONDS)
        if not self._worker.is_alive() and self._backend is not None:
            _quietly(self._backend.close)

    def __enter__(self) -> AudioPlayer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the audio worker thread --------------------------------------------------

    def _accepting(self) -> bool:
        return not (self._muted or self._closed)

    def _run_worker(self) -> None:
        try:
            self._start_backend()
        except Exception as exc:  # a bug while starting must still leave a usable player
            self._backend = SilentBackend()
            self._notices.add(f"Sound could not start ({exc!r}); carrying on silently.")
        finally:
            self._ready.set()
        # After ready, so the app's start does not wait for it: render every tone
        # now, so the first tone of each kind is instant.
        # A request waiting meanwhile goes first (what is left renders when played).
        if self._backend is not None and not self._backend.is_silent:
            for tone in Tone:
                if len(self._queue):
                    break
                render_tone(tone, self._settings.volume)
        while (request := self._queue.get()) is not None:
            try:
                self._play(request)
            except Exception as exc:  # a bug here must cost one sound, never the session
                self._notices.once("worker-bug", f"Audio error, one sound was skipped: {exc!r}")
            finally:
                self._outstanding.end()

    def _start_backend(self) -> None:
        backend, failures = self._chain.open_next()
        self._backend = backend
        for notice in self._startup_notices:
            self._notices.add(notice)
        # The devices' own words (ALSA's) are for the log and `trainer audio-test`.
        self.startup_failures = tuple(failures)
        if failures:
            log.info("sound devices that did not work: %s", "; ".join(failures))
        if failures and backend.is_silent:
            self._notices.add(NO_SOUND_DEVICE_NOTICE)
        elif failures:
            self._notices.add(f"Playing sound with {backend.name} (another device did not work).")

    def _play(self, request: SoundRequest) -> None:
        if request.pcm is not None:
            pcm = request.pcm
        else:
            assert request.tone is not None, "a request is a tone or already rendered speech"
            pcm = render_tone(request.tone, self._settings.volume)
        while True:
            with self._state_lock:
                if self._muted or self._closed:
                    return
                self._stop.clear()
            backend = self._backend
            assert backend is not None, "the worker opens a backend before it plays"
            if backend.is_silent:
                if self._on_unheard is not None:
                    _quietly(self._on_unheard, request)
                return
            try:
                started_at = time.monotonic()
                playback = backend.start(pcm)
                self._started.append((started_at, request.tone or request.text or ""))
                playback.wait(self._stop)
                return
            except BackendError as exc:
                reason = str(exc)
            except Exception as exc:  # e.g. an unexpected error inside simpleaudio
                reason = f"{backend.name}: {exc!r}"
            self._fall_back(reason)
            if request.is_stale(self._clock()):
                return

    def _fall_back(self, reason: str) -> None:
        failed = self._backend
        if failed is not None:
            _quietly(failed.close)
        backend, failures = self._chain.open_next()
        self._backend = backend
        reasons = "; ".join([reason, *failures])
        if backend.is_silent:
            self._notices.add(
                f"Sound stopped working ({reasons}). "
                "Carrying on silently: each cue will show on screen."
            )
        else:
            self._notices.add(f"Sound stopped working ({reasons}). Switched to {backend.name}.")

    # -- used by the speech renderer thread -------------------------------------------

    def _speech_unheard(self, text: str, requested_at: float) -> bool:
        """Queue a line for the silent backend (which shows it) without rendering it."""
        return self._speech_rendered(text, _UNHEARD, requested_at)

    def _speech_rendered(self, text: str, pcm: Pcm | None, requested_at: float) -> bool:
        """Queue a rendered line; True if it was handed on (and so will be counted out later)."""
        if pcm is None or not self._accepting():
            return False
        self._queue.put(SoundRequest.of_speech(text, pcm, requested_at))
        return True


#: The sound of a line nobody will hear: the silent backend never plays it.
_UNHEARD = Pcm(b"", 22050)


class _RendererThread:
    """Renders queued text to speech one line at a time, off the audio worker.

    A part of :class:`AudioPlayer` split out for readability: it reports
    through the player's notices and counter.
    """

    def __init__(self, player: AudioPlayer, speech: SpeechRenderer) -> None:
        self._player = player
        self._speech = speech
        self._requests: queue.SimpleQueue[tuple[str, float] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="trainer-speech", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, text: str, requested_at: float) -> None:
        self._requests.put((text, requested_at))

    def stop(self) -> None:
        self._requests.put(None)

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        player = self._player
        while (request := self._requests.get()) is not None:
            text, requested_at = request
            handed_on = False
            try:
                if player.is_silent:  # nobody will hear it: flash it, never render it
                    handed_on = player._speech_unheard(text, requested_at)
                else:
                    pcm = self._speech.render(text)
                    handed_on = player._speech_rendered(text, pcm, requested_at)
            except SpeechError as exc:
                player._notices.once("speech-failed", f"A cue could not be spoken: {exc}")
            except Exception as exc:
                player._notices.once("speech-bug", f"A cue could not be spoken: {exc!r}")
            finally:
                if not handed_on:
                    player._outstanding.end()
        # Whatever is still queued after the stop marker will never be rendered.
        while True:
            try:
                if self._requests.get_nowait() is not None:
                    player._outstanding.end()
            except queue.Empty:
                break


class _Notices:
    """Collects notices and passes each to the app's callback exactly once."""

    def __init__(self, callback: Notify | None) -> None:
        self._callback = callback
        self._lock = threading.Lock()
        self._messages: list[str] = []
        self._topics: set[str] = set()

    def add(self, message: str) -> None:
        with self._lock:
            self._messages.append(message)
        if self._callback is not None:
            _quietly(self._callback, message)

    def once(self, topic: str, message: str) -> None:
        """Add ``message`` only the first time ``topic`` comes up (repeated failures)."""
        with self._lock:
            if topic in self._topics:
                return
            self._topics.add(topic)
        self.add(message)

    def all(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._messages)


class _Outstanding:
    """Counts requests not yet played or dropped, so :meth:`AudioPlayer.drain` can wait."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = threading.Condition()

    def begin(self) -> None:
        with self._idle:
            self.count += 1

    def end(self) -> None:
        with self._idle:
            self.count -= 1
            if self.count <= 0:
                self._idle.notify_all()

    def wait_idle(self, timeout: float | None) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self.count <= 0, timeout)


def _quietly(function: Callable[..., object], *args: object) -> None:
    """Call an app callback or a cleanup step; its failure must not stop the audio thread."""
    with contextlib.suppress(Exception):
        function(*args)
