"""Everything the screen needs to draw a session at one instant, and the pedal legend.

A :class:`Snapshot` is an immutable picture computed by
:meth:`trainer.engine.session.Session.snapshot` for a given ``now``; the
application core takes one after every event and tick it feeds the engine, and
that is what the screen draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trainer.engine.answering import AnswerView
from trainer.engine.pausemenu import PauseChoice, PauseMenuView
from trainer.engine.plan import Moment, TempoPhase
from trainer.engine.settings import GestureMap
from trainer.engine.vocabulary import Command, Gesture


class SessionState(StrEnum):
    """Where the session is; ``paused`` is a separate flag on the snapshot."""

    READY = "ready"  # showing the first (or resumed) moment; a tap starts the clock
    RUNNING = "running"  # a moment is under way
    WAITING = "waiting"  # a pedal-advance moment's timer ran out; a tap moves on
    ANSWERING = "answering"  # a check's answer moment (taps cycle, long press confirms)
    FINISHED = "finished"
    ABANDONED = "abandoned"

    @property
    def ended(self) -> bool:
        return self in (SessionState.FINISHED, SessionState.ABANDONED)


#: How each gesture is written in the legend.
GESTURE_WORDS: dict[Gesture, str] = {
    Gesture.TAP: "tap",
    Gesture.LONG_PRESS: "hold",
    Gesture.DOUBLE_TAP: "double",
}


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: this gesture, giving this command, does this now."""

    gesture: Gesture
    command: Command
    meaning: str

    def __str__(self) -> str:
        return f"{GESTURE_WORDS[self.gesture]}: {self.meaning}"


@dataclass(frozen=True)
class Snapshot:
    """The session at one instant."""

    state: SessionState
    paused: bool
    moment: Moment
    moment_count: int
    #: Seconds into the current moment, excluding pauses (0 in READY).
    moment_elapsed: float
    #: Seconds left on the moment's clock; None for pedal-only moments. Never negative.
    moment_left: float | None
    #: Estimated seconds to the end of the session, including guesses for pedal moments.
    session_left: float
    #: Seconds spent in moments so far, excluding pauses.
    session_active: float
    #: The tempo phase under way (rep n, "down" for 3 s...), for reps with a tempo.
    tempo: TempoPhase | None
    #: Seconds left in that tempo phase.
    tempo_left: float | None
    next_moment: Moment | None
    legend: tuple[LegendItem, ...]
    #: The coaching cue said most recently in this moment, to highlight.
    cue_text: str | None
    answer: AnswerView | None
    #: The pause menu while paused (tap: next choice, long press: do it).
    pause_menu: PauseMenuView | None = None
    #: Seconds until the work starts while the lead-in (name, side, count-in) runs.
    lead_in_left: float | None = None

    @property
    def index(self) -> int:
        return self.moment.index

    @property
    def legend_text(self) -> str:
        """The legend on one line, e.g. ``tap: done  hold: pause  double: back``."""
        return "  ".join(str(item) for item in self.legend)


def command_meaning(
    command: Command,
    state: SessionState,
    paused: bool,
    moment: Moment,
    answer: AnswerView | None,
    pause_menu: PauseMenuView | None = None,
) -> str | None:
    """What ``command`` would do right now, in a word or two; None if nothing.

    While paused, the pedal's commands work the pause menu (see
    :mod:`trainer.engine.pausemenu`): primary moves to the next choice, pause
    does the highlighted one.
    """
    if state.ended:
        return None
    if paused and pause_menu is not None and command in (Command.PRIMARY, Command.PAUSE):
        if pause_menu.confirming_end:
            return "keep going" if command is Command.PRIMARY else "END SESSION"
        if command is Command.PRIMARY:
            return "more choices"
        return str(pause_menu.highlighted) + (
            "..." if pause_menu.highlighted is PauseChoice.END_SESSION else ""
        )
    if state is SessionState.READY:
        return {Command.PRIMARY: "start", Command.QUIT: "quit"}.get(command)
    if state is SessionState.ANSWERING and answer is not None:
        rating = answer.stage != "result"
        by_stage = {"result": "next choice", "rating": "+1", "value": "next", "tenths": "+0.1"}
        return {
            Command.PRIMARY: by_stage[answer.stage],
            Command.PAUSE: "confirm",
            Command.BACK: "change answer" if rating else "back",
            Command.SKIP: "skip check",
            Command.RESTART_STEP: "restart check",
            Command.QUIT: "quit",
        }.get(command)
    primary = "resume" if paused else _primary_meaning(state, moment)
    return {
        Command.PRIMARY: primary,
        Command.PAUSE: "resume" if paused else "pause",
        Command.BACK: "back",
        Command.SKIP: "skip step",
        Command.RESTART_STEP: "restart step",
        Command.QUIT: "quit",
    }.get(command)


def _primary_meaning(state: SessionState, moment: Moment) -> str:
    if state is SessionState.WAITING or moment.kind == "instruction":
        return "next"
    if moment.kind in ("rest", "set-rest", "switch", "setup", "round-rest"):
        return "skip rest"
    return "done"


def build_legend(
    gestures: GestureMap,
    state: SessionState,
    paused: bool,
    moment: Moment,
    answer: AnswerView | None,
    pause_menu: PauseMenuView | None = None,
) -> tuple[LegendItem, ...]:
    """The legend for the pedal: each mapped gesture and what it does now."""
    items = []
    for gesture in (Gesture.TAP, Gesture.LONG_PRESS, Gesture.DOUBLE_TAP):
        command = gestures.command_for(gesture)
        if command is None:
            continue
        meaning = command_meaning(command, state, paused, moment, answer, pause_menu)
        if meaning is not None:
            items.append(LegendItem(gesture, command, meaning))
    return tuple(items)
