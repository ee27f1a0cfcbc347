"""Carrying out a session's effects: sound, the session log, and what to show.

The engine (:class:`trainer.engine.session.Session`) is pure; this runner feeds
it and hands each effect to the adapter that owns it. A failing adapter never
stops the session: while the store fails, the recorder keeps what it could not
write and saves it when the store recovers (see
:class:`~trainer.adapters.store.recorder.SessionRecorder`); the screen is told
when saving starts waiting and when it has caught up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from trainer.adapters.store.recorder import SessionRecorder
from trainer.engine.effects import (
    Effect,
    PlayTone,
    SessionFinished,
    SessionSummary,
    ShowMoment,
    Speak,
)
from trainer.engine.session import Session
from trainer.engine.snapshot import Snapshot
from trainer.engine.vocabulary import Command, Gesture, Tone
from trainer.routine.models import CheckResult


class Sound(Protocol):
    """The part of :class:`~trainer.adapters.audio.player.AudioPlayer` a session uses."""

    def play(self, tone: Tone, late_by: float = 0.0) -> None: ...
    def speak(self, text: str, late_by: float = 0.0) -> None: ...


class SessionRunner:
    """One session: the engine, its sound and its recorder, fed from the UI loop."""

    def __init__(
        self,
        session: Session,
        *,
        sound: Sound | None,
        recorder: SessionRecorder | None,
        notify: Callable[[str], None],
        clock: Callable[[], float],
    ) -> None:
        self.session = session
        self.sound = sound
        self.recorder = recorder
        if recorder is not None:
            recorder.listener = notify
        self.clock = clock
        self._notify = notify
        self.summary: SessionSummary | None = None
        self.spoken: list[str] = []  # the latest spoken lines, for the screen when silent

    def start(self) -> Snapshot:
        """The READY picture, with its greeting said."""
        now = self.clock()
        self._carry_out(self.session.greeting(now))
        return self.session.snapshot(now)

    def tick(self) -> list[Effect]:
        return self._carry_out(self.session.tick(self.clock()))

    def gesture(self, gesture: Gesture) -> list[Effect]:
        return self._carry_out(self.session.gesture(gesture, self.clock()))

    def command(self, command: Command) -> list[Effect]:
        return self._carry_out(self.session.command(command, self.clock()))

    def answer(self, result: CheckResult, rating: int | None = None) -> list[Effect]:
        return self._carry_out(self.session.answer(result, self.clock(), rating))

    def snapshot(self) -> Snapshot:
        return self.session.snapshot(self.clock())

    def next_deadline(self) -> float | None:
        """Seconds from now until the engine next needs a tick, or None."""
        now = self.clock()
        deadline = self.session.next_deadline(now)
        return None if deadline is None else max(0.0, deadline - now)

    def _carry_out(self, effects: Iterable[Effect]) -> list[Effect]:
        effects = list(effects)
        now = self.clock()
        for effect in effects:
            match effect:
                # `late_by` lets the player drop a cue too stale to help (a busy Pi).
                case PlayTone(tone=tone, due=due) if self.sound is not None:
                    self.sound.play(tone, late_by=now - due)
                case Speak(text=text, due=due):
                    self.spoken = [*self.spoken[-4:], text]
                    if self.sound is not None:
                        self.sound.speak(text, late_by=now - due)
                case SessionFinished(summary=summary):
                    self.summary = summary
                case ShowMoment():
                    pass
        self._record(effects)
        return effects

    def _record(self, effects: list[Effect]) -> None:
        if self.recorder is not None:
            self.recorder.handle(effects)  # never raises: it waits and retries instead
