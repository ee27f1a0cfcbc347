"""Builders for routines in code, and a driver that runs a session on a fake clock."""

from __future__ import annotations

import random
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
from trainer.engine.plan import Plan, PlanOptions, build_plan
from trainer.engine.session import Session
from trainer.engine.settings import CueRules, EngineSettings
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.models import Routine

T0 = 1000.0  # sessions start at a non-zero monotonic time, as real clocks do


def routine(*steps: dict[str, Any], side_order: str = "left-first", **extra: Any) -> Routine:
    """A one-block routine of the given step dicts."""
    return Routine.model_validate(
        {
            "id": "test-routine",
            "title": "Test routine",
            "summary": "For tests.",
            "side_order": side_order,
            "blocks": [{"name": "Main", "steps": list(steps)}],
            **extra,
        }
    )


def hold(name: str = "Hold", duration: float = 45, **fields: Any) -> dict[str, Any]:
    return {"kind": "hold", "name": name, "duration": duration, **fields}


def reps(name: str = "Reps", count: int = 5, **fields: Any) -> dict[str, Any]:
    return {"kind": "reps", "name": name, "reps": count, **fields}


def rest(duration: float = 20, **fields: Any) -> dict[str, Any]:
    return {"kind": "rest", "duration": duration, **fields}


def timed(name: str = "Plank", work: float = 30, **fields: Any) -> dict[str, Any]:
    return {"kind": "timed", "name": name, "work": work, **fields}


def instruction(text: str = "Get a mat.", **fields: Any) -> dict[str, Any]:
    return {"kind": "instruction", "name": "Setup", "text": text, **fields}


def check(test: str = "aslr", **fields: Any) -> dict[str, Any]:
    return {"kind": "check", "name": "Leg raise", "test": test, **fields}


def thirty_minute_routine() -> Routine:
    """About 30 minutes of auto-advancing work: holds, tempo reps, timed sets, rests."""
    cycle = [
        hold(
            "Soleus wall stretch", 60, sides="each", cues=["Heel down", {"text": "Knee", "at": 20}]
        ),
        hold("Couch stretch", 45, sides="each"),
        rest(30),
        reps("Glute bridge", 8, sets=3, tempo="3-1-1", rest=30, advance="auto", sides="each"),
        timed("Side plank", 40, sets=2, rest=20, sides="each"),
        hold("Pigeon", 90, cues=[{"text": "Breathe", "at": 45.5}]),
    ]
    return routine(*(cycle * 2), hold("Childs pose", 120))


def plan_of(*steps: dict[str, Any], options: PlanOptions | None = None, **extra: Any) -> Plan:
    return build_plan(routine(*steps, **extra), options)


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

    def _keep(self, effects: Iterable[Effect]) -> list[Effect]:
        effects = list(effects)
        self.log.extend(Emitted(self.now, effect) for effect in effects)
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


#: Settings without the lead-in, so a moment's work starts the moment it is entered
#: and times in these tests read straight off the plan (the lead-in has its own tests).
NO_LEAD_IN = EngineSettings(cues=CueRules(count_in_seconds=0))


def new_driver(plan: Plan, settings: EngineSettings | None = None, **kwargs: Any) -> Driver:
    return Driver(Session(plan, settings or NO_LEAD_IN, **kwargs))


def jittery(seed: int, most: float) -> Callable[[], float]:
    generator = random.Random(seed)
    return lambda: generator.uniform(0.0, most)
