"""What the session engine is fed: clock ticks, pedal gestures, commands and check answers.

Every event carries ``now``, the current time in seconds on a *monotonic* clock
(``time.monotonic()`` in the app, a plain number in tests). The engine never
reads a clock itself; that is what makes it exact and testable.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.models import CheckResult


@dataclass(frozen=True)
class Tick:
    """Time has passed: fire due cues and end moments whose deadline is reached."""

    now: float


@dataclass(frozen=True)
class GesturePressed:
    """A pedal gesture; the engine's :class:`~trainer.engine.settings.GestureMap` gives it
    meaning."""

    gesture: Gesture
    now: float


@dataclass(frozen=True)
class CommandGiven:
    """A named command, usually from a key."""

    command: Command
    now: float


@dataclass(frozen=True)
class CheckAnswered:
    """A whole check answer at once (from keys), instead of cycling with the pedal.

    Without a ``rating`` on a check that asks for one, the engine goes on to ask
    for the rating.
    """

    result: CheckResult
    now: float
    rating: int | None = None
    #: A ``record`` check's answers by side ("" for one answer); result and rating unused.
    values: tuple[tuple[str, float], ...] = ()


Event = Tick | GesturePressed | CommandGiven | CheckAnswered
