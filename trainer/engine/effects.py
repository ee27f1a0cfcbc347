"""What the session engine asks the outside world to do, as plain frozen values.

The engine returns a list of these from every event; adapters act on the ones
they care about and ignore the rest (the screen draws
:meth:`Session.snapshot <trainer.engine.session.Session.snapshot>` after each event):

* audio: :class:`PlayTone` and :class:`Speak`;
* the session log: :class:`SessionStarted`, :class:`RecordMoment`,
  :class:`RecordCheck` and :class:`SessionFinished` (see
  :class:`trainer.adapters.store.SessionRecorder`).

Cue effects carry ``due``, the exact monotonic time they were scheduled for. It
equals the event's ``now`` when ticks come on time; after a late tick (the Pi
was busy) it is earlier, and an audio adapter may choose to drop sounds that are
too stale to be useful. The engine itself never drops a cue: each scheduled cue
of a moment is emitted exactly once per visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from trainer.engine.vocabulary import Tone
from trainer.routine.models import CheckResult


@dataclass(frozen=True)
class PlayTone:
    tone: Tone
    due: float


@dataclass(frozen=True)
class Speak:
    text: str
    due: float


@dataclass(frozen=True)
class MomentStarted:
    """A visit to moment ``index`` began at ``at``; ``visit`` counts visits in this session."""

    index: int
    at: float
    visit: int


@dataclass(frozen=True)
class SessionStarted:
    """The user tapped to begin (at ``start_index``, which is > 0 when resuming)."""

    routine_id: str
    digest: str
    title: str
    plan_size: int
    start_index: int
    at: float


@dataclass(frozen=True)
class MomentEntry:
    """What is logged about one visit to a moment: the session log's row, and the
    part of :class:`RecordMoment` that is kept (the store reads it back as this)."""

    moment_index: int
    step_name: str
    kind: str
    side: str
    set_number: int
    planned_seconds: float | None
    actual_seconds: float
    paused_seconds: float
    skipped: bool
    went_back: bool

    @property
    def done(self) -> bool:
        """The moment was completed, rather than skipped or left by going back.

        The one statement of this rule: the session's tally counts by it, and the
        store writes it with each row (its ``done`` column) for the history's queries.
        """
        return not (self.skipped or self.went_back)


@dataclass(frozen=True)
class RecordMoment(MomentEntry):
    """One visit to a moment ended; log it (it *is* the :class:`MomentEntry` to log).

    ``actual_seconds`` excludes paused time; ``actual + paused == at - started_at``.
    ``next_index`` is where the session goes next (``plan_size`` when it ends),
    which is where a resumed session would pick up.
    """

    started_at: float
    at: float
    next_index: int


@dataclass(frozen=True)
class RecordCheck:
    """A left/right check was answered.

    A check with ``record:`` also carries its answers, ``(("left", 7.5),
    ("right", 9.0))`` or ``(("", 3.0),)``, in ``unit`` (a choice's index for a
    check with choices, whose ``unit`` is "choice").
    """

    test: str
    result: CheckResult
    rating: int | None
    moment_index: int
    at: float
    values: tuple[tuple[str, float], ...] = ()
    unit: str = ""
    #: The answers as said: "Left 7.5 centimetres, Right 9 centimetres".
    answer: str = ""


@dataclass(frozen=True)
class SessionSummary:
    """How a session went, for the closing screen and the log."""

    status: Literal["finished", "abandoned"]
    routine_id: str
    title: str
    moment_count: int
    moments_done: int
    moments_skipped: int
    #: Seconds spent in moments, excluding pauses.
    active_seconds: float
    paused_seconds: float
    #: Monotonic times; ``started_at`` is None when the session never started.
    started_at: float | None
    ended_at: float
    checks: tuple[RecordCheck, ...] = ()


@dataclass(frozen=True)
class SessionFinished:
    """The session ended, completed or quit (see ``summary.status``)."""

    summary: SessionSummary


Effect = (
    PlayTone | Speak | MomentStarted | SessionStarted | RecordMoment | RecordCheck | SessionFinished
)
