"""What waits to be played, and the rules for sounds asked for while another plays.

A :class:`SoundRequest` is the audio layer's own word for "make this sound":
one tone, or one line of speech already rendered. (A *cue* is the routine's
coaching line; a *planned sound* is the engine's, see
:mod:`trainer.engine.soundplan`.)

The overlap policy
------------------
Sounds are played one at a time, in the order they were asked for, by one
worker thread. When they pile up (a spoken line is still playing when the
next pip is due) these rules decide, in this order:

1. **Nothing playing is cut short.** Speech is never stopped mid-word, nor a
   chime mid-ring, by a newer request. Only muting and closing stop sound.
2. **A request that would start too late is dropped, not played late.** Each
   request has a *freshness*: how long after it was asked for it may still begin.
   A countdown pip or a tempo tick is about *now*: heard 300 ms late it would
   mislead, so it has :data:`TIMING_TONE_FRESHNESS`. Other tones mark a moment
   but tolerate :data:`TONE_FRESHNESS`; speech is information, still useful
   within :data:`SPEECH_FRESHNESS`.
3. **A newer identical request replaces the waiting one.** A second PIP, or the
   same sentence again, removes the queued copy and joins at the back: one
   sound, at the newest time, never a stutter of duplicates.
4. **The queue is bounded** (:data:`MAX_WAITING`); past it the oldest waiting
   request is dropped, so a runaway caller cannot build up minutes of backlog.

Every request that is dropped or replaced is reported to ``on_discard`` so the
player can keep count (and :meth:`drain` can know when all is quiet).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.adapters.audio.pcm import Pcm
from trainer.engine.vocabulary import Tone

TIMING_TONES = frozenset({Tone.PIP, Tone.TEMPO})
TIMING_TONE_FRESHNESS = 0.25
TONE_FRESHNESS = 2.0
SPEECH_FRESHNESS = 5.0
MAX_WAITING = 16


@dataclass(frozen=True, eq=False)
class SoundRequest:
    """One request to make a sound: a tone, or a line of speech already rendered.

    ``requested_at`` is on the :func:`time.monotonic` clock; ``pcm`` is None for
    tones, whose buffers come from the tone cache when they are about to play.
    """

    tone: Tone | None
    text: str | None
    requested_at: float
    pcm: Pcm | None = field(default=None, repr=False)

    @classmethod
    def of_tone(cls, tone: Tone, requested_at: float) -> SoundRequest:
        return cls(tone=tone, text=None, requested_at=requested_at)

    @classmethod
    def of_speech(cls, text: str, pcm: Pcm, requested_at: float) -> SoundRequest:
        return cls(tone=None, text=text, requested_at=requested_at, pcm=pcm)

    @property
    def freshness(self) -> float:
        """Seconds after ``requested_at`` this request may still start (rule 2)."""
        if self.tone is None:
            return SPEECH_FRESHNESS
        return TIMING_TONE_FRESHNESS if self.tone in TIMING_TONES else TONE_FRESHNESS

    def is_stale(self, now: float) -> bool:
        return now - self.requested_at > self.freshness

    def same_sound_as(self, other: SoundRequest) -> bool:
        """Whether ``other`` would sound the same (rule 3)."""
        return self.tone == other.tone and self.text == other.text


class SoundQueue:
    """A thread-safe queue applying the overlap policy; see the module docstring.

    ``clock`` is injectable so the policy can be tested without sleeping.
    """

    def __init__(
        self,
        on_discard: Callable[[SoundRequest], None] = lambda request: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._waiting: deque[SoundRequest] = deque()
        self._on_discard = on_discard
        self._clock = clock
        self._changed = threading.Condition()
        self._closed = False

    def put(self, request: SoundRequest) -> None:
        """Queue ``request``, replacing a waiting identical one; never blocks."""
        discarded: list[SoundRequest] = []
        with self._changed:
            if self._closed:
                discarded.append(request)
            else:
                for waiting in [w for w in self._waiting if w.same_sound_as(request)]:
                    self._waiting.remove(waiting)
                    discarded.append(waiting)
                self._waiting.append(request)
                while len(self._waiting) > MAX_WAITING:
                    discarded.append(self._waiting.popleft())
                self._changed.notify()
        self._discard(discarded)

    def get(self, timeout: float | None = None) -> SoundRequest | None:
        """The next request still fresh enough to play, waiting for one if need be.

        None once the queue is closed, or when ``timeout`` passes first.
        """
        deadline = None if timeout is None else self._clock() + timeout
        while True:
            discarded: list[SoundRequest] = []
            request: SoundRequest | None = None
            with self._changed:
                if self._closed:
                    return None
                while self._waiting and request is None:
                    waiting = self._waiting.popleft()
                    if waiting.is_stale(self._clock()):
                        discarded.append(waiting)
                    else:
                        request = waiting
                if request is None and not discarded:
                    remaining = None if deadline is None else deadline - self._clock()
                    if remaining is not None and remaining <= 0:
                        return None
                    self._changed.wait(remaining)
            # Stale requests are reported before waiting for more: a drop must be
            # counted at once, or drain() hangs until the next request comes.
            self._discard(discarded)
            if request is not None:
                return request

    def close(self) -> None:
        """Drop everything waiting and wake the worker so it can exit."""
        with self._changed:
            self._closed = True
            discarded = list(self._waiting)
            self._waiting.clear()
            self._changed.notify_all()
        self._discard(discarded)

    def __len__(self) -> int:
        with self._changed:
            return len(self._waiting)

    def _discard(self, requests: list[SoundRequest]) -> None:
        # Outside the lock: the callback may take locks of its own.
        for request in requests:
            self._on_discard(request)
