"""Driving the session engine by hand on a fake clock: :class:`Driver`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from trainer.engine.effects import (
    Effect,
    MomentStarted,
    PlayTone,
    RecordMoment,
    SessionFinished,
    Speak,
)
from trainer.engine.session import Session
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command, Gesture

T0 = 1000.0  # sessions start at a non-zero monotonic time, as real clocks do


@dataclass
class Emitted:
    """An effect and the clock reading of the event that produced it."""

    now: float
    effect: Effect


CUE_TYPES = (PlayTone, Speak)


@dataclass
class Driver:
    """Feeds a session events on a fake clock and keeps every effect it returns."""

    session: Session
    now: float = T0
    log: list[Emitted] = field(default_factory=list)
    #: Also hands every batch of effects here (a recorder's ``handle``, say).
    feed: Callable[[list[Effect]], object] | None = None

    def _keep(self, effects: Iterable[Effect]) -> list[Effect]:
        effects = list(effects)
        self.log.extend(Emitted(self.now, effect) for effect in effects)
        if self.feed is not None:
            self.feed(effects)
        return effects

    def at(self, now: float) -> Driver:
        self.now = now
        return self

    def wait(self, seconds: float) -> Driver:
        self.now += seconds
        return self

    def tick(self) -> list[Effect]:
        return self._keep(self.session.tick(self.now))

    def gesture(self, gesture: Gesture) -> list[Effect]:
        return self._keep(self.session.gesture(gesture, self.now))

    def tap(self) -> list[Effect]:
        return self.gesture(Gesture.TAP)

    def long_press(self) -> list[Effect]:
        return self.gesture(Gesture.LONG_PRESS)

    def double_tap(self) -> list[Effect]:
        return self.gesture(Gesture.DOUBLE_TAP)

    def command(self, command: Command) -> list[Effect]:
        return self._keep(self.session.command(command, self.now))

    def answer(self, result: str, rating: int | None = None) -> list[Effect]:
        return self._keep(self.session.answer(result, self.now, rating))  # type: ignore[arg-type]

    def run_to_end(
        self,
        jitter: Callable[[], float] = lambda: 0.0,
        pedal_after: float = 4.0,
        max_events: int = 100_000,
    ) -> None:
        """Tick at each deadline (+ jitter); tap pedal moments and answer checks."""
        for _ in range(max_events):
            state = self.session.state
            if state.ended:
                return
            if state is SessionState.READY:
                self.tap()
                continue
            if state is SessionState.ANSWERING:
                self.wait(pedal_after).answer("even", 5)
                continue
            deadline = self.session.next_deadline(self.now)
            if deadline is None:  # pedal-only moment, or waiting for a tap
                self.wait(pedal_after).tap()
            else:
                self.at(max(self.now, deadline) + jitter()).tick()
        raise AssertionError("the session did not finish")

    # -- reading the log ----------------------------------------------------------

    def effects(self, *types: type) -> list[Any]:
        return [item.effect for item in self.log if isinstance(item.effect, types)]

    def cues(self) -> list[Emitted]:
        return [item for item in self.log if isinstance(item.effect, CUE_TYPES)]

    def records(self) -> list[RecordMoment]:
        return self.effects(RecordMoment)

    def starts(self) -> list[MomentStarted]:
        return self.effects(MomentStarted)

    def finished(self) -> SessionFinished:
        (finished,) = self.effects(SessionFinished)
        return finished
