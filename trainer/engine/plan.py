"""A routine expanded into the flat, immutable list of *moments* a session walks through.

A routine says "soleus stretch, 45 s, each side" once; a session needs every
thing the user will actually do, in order, with its timing. :func:`build_plan`
expands each step by **set x side** and inserts the moments in between:

==============  =============================================================
``hold``        one side (or both) of a hold step
``reps``        one set on one side of a reps step
``timed``       one set on one side of a timed step
``rest``        a rest *step* written in the routine
``instruction`` text that waits for the pedal
``check``       trying one side of a left/right check
``answer``      answering the check ("left tighter / even / right tighter")
``set-rest``    the rest between two sets of a reps or timed step
``switch``      a short pause to change sides (``PlanOptions.switch_seconds``, or
                the step's own ``switch:``)
``setup``       time to get into position before a step's first set (``setup:``)
``round-rest``  the rest between two rounds of a block (``rest_between_rounds:``)
==============  =============================================================

A block with ``rounds: 3`` repeats its steps three times; an ``alternating``
reps step is one moment per set whose tempo phases say "left" and "right" rep
by rep.

Sets come first, then sides: a 3-set, two-sided reps step runs
``set 1 left, switch, set 1 right, rest, set 2 left, ...`` so that one side
works while the other recovers.

Every :class:`Moment` knows its *planned* duration (``None`` when only the pedal
ends it, e.g. an instruction or reps without a tempo) and an *estimated* one that
is always a number, so the plan can tell how long the whole session will take::

    plan = build_plan(catalog.find("ankle-flow"))
    for moment in plan:
        print(format_duration(moment.start_offset), moment.title, moment.side)
    print("about", format_duration(plan.total_estimated_seconds))

The plan is pure data: the session engine (:mod:`trainer.engine.session`) walks
it, and ``trainer show`` prints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from trainer.routine.catalog import LoadedRoutine
from trainer.routine.durations import format_planned_time
from trainer.routine.expansion import expansion_of
from trainer.routine.models import (
    Block,
    CheckStep,
    HoldStep,
    InstructionStep,
    RepsStep,
    RestStep,
    Routine,
    Step,
    TempoPhaseName,
    TimedStep,
)

MomentKind = Literal[
    "hold",
    "reps",
    "timed",
    "rest",
    "instruction",
    "check",
    "answer",
    "set-rest",
    "switch",
    "setup",
    "round-rest",
]

#: Moments that only move the user between two pieces of work.
TRANSITION_KINDS: frozenset[str] = frozenset({"switch", "set-rest", "setup", "round-rest"})
#: Moments where the user is exercising (or testing) rather than resting or reading.
WORK_KINDS: frozenset[str] = frozenset({"hold", "reps", "timed", "check"})


@dataclass(frozen=True)
class PlanOptions:
    """How a routine is expanded, and the guesses used for moments without a clock.

    The estimates only feed "time left" and the timeline's start times; they
    never end a moment.
    """

    #: Seconds to change sides between the two sides of a step; 0 means no
    #: separate moment (the second side starts straight away, announced).
    switch_seconds: float = 5.0
    #: A reps set without a tempo is guessed at this many seconds per rep...
    seconds_per_untimed_rep: float = 3.0
    #: ...plus this much to get in and out of position.
    untimed_set_overhead: float = 5.0
    instruction_seconds: float = 10.0
    #: Trying one side of a check that has no duration.
    check_side_seconds: float = 20.0
    answer_seconds: float = 10.0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")


@dataclass(frozen=True)
class PlannedCue:
    """A coaching line of a step; ``offset`` is seconds into the moment, or None.

    A cue without an offset is said as the moment starts and shown throughout.
    """

    text: str
    offset: float | None = None


#: What the screen shows for each tempo phase, and what is said aloud.
TEMPO_WORDS: dict[str, str] = {"down": "down", "pause": "hold", "up": "up", "top": "hold"}


@dataclass(frozen=True)
class TempoPhase:
    """One timed phase of one rep: e.g. rep 2, ``down``, from 5 s for 3 s."""

    rep: int
    phase: TempoPhaseName
    offset: float
    length: float
    #: "left" or "right" for the reps of an alternating set, else "".
    side: str = ""

    @property
    def end(self) -> float:
        return self.offset + self.length

    @property
    def word(self) -> str:
        """The spoken word: "down", "hold" or "up"."""
        return TEMPO_WORDS[self.phase]


@dataclass(frozen=True)
class Moment:
    """One thing the user does, start to finish; the unit the engine times and logs.

    ``step`` is the routine's own model, for anything the screen wants to show
    beyond these fields (``how``, an instruction's ``text``, a check's question).
    """

    index: int
    block: str
    block_index: int
    step: Step
    #: Position of ``step`` among all steps of the routine (0-based).
    step_index: int
    kind: MomentKind
    #: What the screen puts in large type: the step name, "Rest", "Switch sides".
    title: str
    #: "left", "right", or "" when the moment is not one-sided.
    side: str
    set_number: int
    set_count: int
    #: Seconds on the clock; None when only the pedal ends the moment.
    planned_seconds: float | None
    #: Planned seconds, or a guess for pedal-only moments; used for totals.
    estimated_seconds: float
    #: ``auto``: the next moment starts at the deadline; ``pedal``: wait for a tap.
    advance: Literal["auto", "pedal"]
    #: Seconds from the start of the session, if every moment took its estimate.
    start_offset: float
    #: Said as the moment starts ("Glute bridge, 10 reps, left side"); may be "".
    announcement: str
    #: True when this moment is where the user changes to the other side.
    switches_side: bool
    cues: tuple[PlannedCue, ...] = ()
    tempo: tuple[TempoPhase, ...] = ()
    #: Reps counted in the set (both sides' for alternating sets), for reps moments.
    reps: int | None = None
    #: The reps as the routine says them: "10", "8 to 12"; "" for other moments.
    reps_text: str = ""
    round_number: int = 1
    round_count: int = 1

    @property
    def is_timed(self) -> bool:
        """True when a clock runs during this moment."""
        return self.planned_seconds is not None

    @property
    def is_transition(self) -> bool:
        """A switch or set-rest moment, which "back" steps over."""
        return self.kind in TRANSITION_KINDS

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    @property
    def end_offset(self) -> float:
        return self.start_offset + self.estimated_seconds

    def tempo_at(self, elapsed: float) -> TempoPhase | None:
        """The tempo phase running ``elapsed`` seconds into the moment, if any."""
        for phase in self.tempo:
            if phase.offset <= elapsed < phase.end:
                return phase
        return None


@dataclass(frozen=True)
class Plan:
    """Every moment of a session in order, and the totals ``trainer show`` prints.

    Index it like a tuple (``plan[3]``, ``len(plan)``, ``for moment in plan``).
    """

    routine: Routine
    #: The routine's id, "" for an anonymous in-memory routine.
    routine_id: str
    #: :attr:`LoadedRoutine.digest`, "" when built from a bare :class:`Routine`.
    digest: str
    moments: tuple[Moment, ...]
    options: PlanOptions
    _remaining_after: tuple[float, ...] = field(repr=False, compare=False, default=())
    #: Said when the session starts, e.g. about an extra set on the tighter side.
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.moments)

    def __iter__(self) -> Iterator[Moment]:
        return iter(self.moments)

    def __getitem__(self, index: int) -> Moment:
        return self.moments[index]

    @property
    def title(self) -> str:
        return self.routine.title

    @property
    def total_planned_seconds(self) -> float:
        """Seconds on the clock: timed moments only (pedal-only moments count 0)."""
        return sum(moment.planned_seconds or 0.0 for moment in self.moments)

    @property
    def total_estimated_seconds(self) -> float:
        """Expected session length, with guesses for pedal-only moments."""
        return sum(moment.estimated_seconds for moment in self.moments)

    @property
    def planned_time(self) -> str:
        """The plan's time as every screen and listing shows it: ``about 1:09``."""
        return format_planned_time(self.total_estimated_seconds, bool(self.untimed_count))

    @property
    def untimed_count(self) -> int:
        """How many moments wait for the pedal with no clock (their time is a guess)."""
        return sum(1 for moment in self.moments if not moment.is_timed)

    def estimated_after(self, index: int) -> float:
        """Estimated seconds of every moment after ``index`` (0 after the last)."""
        if index + 1 >= len(self._remaining_after):
            return 0.0
        return self._remaining_after[index + 1]

    def step_start(self, index: int) -> int:
        """Index of the first moment of the step that moment ``index`` belongs to."""
        step_index = self.moments[index].step_index
        while index > 0 and self.moments[index - 1].step_index == step_index:
            index -= 1
        return index

    def next_step_start(self, index: int) -> int:
        """Index of the first moment after ``index``'s step (``len(plan)`` at the end)."""
        step_index = self.moments[index].step_index
        while index < len(self.moments) and self.moments[index].step_index == step_index:
            index += 1
        return index

    def previous_stop(self, index: int) -> int:
        """Where "back" goes from ``index``: the previous moment, stepping over transitions.

        From the first moment, "back" restarts it.
        """
        target = index - 1
        while target > 0 and self.moments[target].is_transition:
            target -= 1
        return max(target, 0)


@dataclass(frozen=True)
class TighterSides:
    """Which side the latest checks found tighter, for ``extra_set: tighter_side``.

    Built when a session starts from the user's check results, oldest first::

        TighterSides.from_results([("aslr", "left-tighter"), ("knee-to-wall", "right-tighter")])

    ``latest`` is the side of the newest result that found one side tighter;
    ``by_test`` the newest such side per test id ("even" clears a test's side).
    """

    latest: str | None = None
    by_test: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_results(cls, results: Iterable[tuple[str, str]]) -> TighterSides:
        latest: str | None = None
        by_test: dict[str, str | None] = {}
        for test, result in results:
            side = {"left-tighter": "left", "right-tighter": "right"}.get(result)
            by_test[test] = side
            latest = side if side is not None or result == "even" else latest
        return cls(latest, tuple((test, side) for test, side in by_test.items() if side))

    def side_for(self, test: str | None) -> str | None:
        """The tighter side by ``test``'s latest result, or by the latest of all (None)."""
        if test is None:
            return self.latest
        return dict(self.by_test).get(test)


def build_plan(
    source: LoadedRoutine | Routine,
    options: PlanOptions | None = None,
    tighter: TighterSides | None = None,
) -> Plan:
    """Expand a routine (as loaded from the catalog, or built in code) into a :class:`Plan`.

    ``tighter`` resolves ``extra_set: tighter_side``: without it (or without a
    check that found a side tighter) such steps get no extra set.
    """
    if isinstance(source, LoadedRoutine):
        routine, routine_id, digest = source.routine, source.id, source.digest
    else:
        routine, routine_id, digest = source, source.id or "", ""
    options = options or PlanOptions()
    # A loaded routine was checked by the catalog; one built in code is checked here,
    # before anything is built, so no routine can cost unbounded time or memory.
    too_big = expansion_of(routine).over_limits()
    if too_big:
        raise ValueError("; ".join(too_big))
    builder = _PlanBuilder(routine, options, tighter or TighterSides())
    first_step_index = 0
    for block_index, block in enumerate(routine.blocks):
        builder.add_block(block_index, block, first_step_index)
        first_step_index += len(block.steps)
    moments = tuple(builder.moments)
    remaining: list[float] = [0.0] * (len(moments) + 1)
    for index in range(len(moments) - 1, -1, -1):
        remaining[index] = remaining[index + 1] + moments[index].estimated_seconds
    return Plan(
        routine, routine_id, digest, moments, options, tuple(remaining), tuple(builder.notes)
    )


def spoken_seconds(seconds: float) -> str:
    """``90`` -> "1 minute 30 seconds": durations as they sound when read aloud."""
    whole = max(1, round(seconds))
    minutes, secs = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts)


def tempo_phases(step: RepsStep, side_order: tuple[str, ...] = ()) -> tuple[TempoPhase, ...]:
    """The timed phases of every rep of one set (empty without a tempo).

    Each rep starts at the step's first phase (``down`` unless the tempo says
    ``up`` first). In an alternating set, reps take ``side_order``'s sides in turn.
    """
    if step.tempo is None:
        return ()
    lengths = step.tempo.phases(step.first_phase)
    alternating = step.sides == "alternating"
    sides = side_order or ("left", "right")
    phases = []
    offset = 0.0
    for rep in range(1, step.reps_per_set + 1):
        side = sides[(rep - 1) % 2] if alternating else ""
        for name, length in lengths:
            phases.append(TempoPhase(rep, name, offset, float(length), side))
            offset += length
    return tuple(phases)


def rep_cues(step: RepsStep, side_order: tuple[str, ...] = ()) -> tuple[PlannedCue, ...]:
    """A step's cues timed into one set: ``rep:`` cues at their reps, ``at:`` cues as given.

    Alternating sets also say the side as each rep starts.
    """
    cues: list[PlannedCue] = []
    per_rep = float(step.tempo.seconds_per_rep) if step.tempo is not None else 0.0
    for cue in step.cues:
        if cue.rep is None:
            cues.append(PlannedCue(cue.text, cue.at))
            continue
        for rep in cue.reps_said_on(step.reps_per_set):
            cues.append(PlannedCue(cue.text, (rep - 1) * per_rep + (cue.at or 0.0)))
    if step.sides == "alternating" and step.tempo is not None:
        sides = side_order or ("left", "right")
        for rep in range(2, step.reps_per_set + 1):
            side = sides[(rep - 1) % 2]
            cues.append(PlannedCue(side.capitalize(), (rep - 1) * per_rep))
    return tuple(cues)


@dataclass
class _PlanBuilder:
    """Appends moments one step at a time, keeping the running start offset."""

    routine: Routine
    options: PlanOptions
    tighter: TighterSides = field(default_factory=TighterSides)
    moments: list[Moment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _offset: float = 0.0

    def add_block(self, block_index: int, block: Block, first_step_index: int) -> None:
        order = _side_order(block.side_order or self.routine.side_order)
        for round_number in range(1, block.rounds + 1):
            if round_number > 1 and block.rest_between_rounds:
                last = len(block.steps) - 1
                here = _StepContext(
                    block_index,
                    block.name,
                    first_step_index + last,
                    block.steps[last],
                    ("",),
                    order,
                    round_number,
                    block.rounds,
                )
                self._add_round_rest(here, round_number, block.rounds, block.rest_between_rounds)
            for offset, step in enumerate(block.steps):
                sides = step.side_names
                if len(sides) > 1:
                    sides = order
                here = _StepContext(
                    block_index,
                    block.name,
                    first_step_index + offset,
                    step,
                    sides,
                    order,
                    round_number,
                    block.rounds,
                    opens_round=block.rounds > 1 and offset == 0,
                )
                self.add_step(here)

    def add_step(self, here: _StepContext) -> None:
        step = here.step
        if isinstance(step, CheckStep):
            self._add_check(here, step)
            return
        sets = step.sets if isinstance(step, HoldStep | RepsStep | TimedStep) else 1
        set_rest = step.rest if isinstance(step, HoldStep | RepsStep | TimedStep) else None
        if isinstance(step, HoldStep | RepsStep | TimedStep) and step.setup:
            self._add_setup(here, step.setup)
        for set_number in range(1, sets + 1):
            if set_number > 1 and set_rest:
                self._add_set_rest(here, set_number, sets, set_rest)
            for side_number, side in enumerate(here.sides):
                if side_number > 0:
                    self._add_switch(here, side, set_number, sets)
                first_of_step = set_number == 1 and side_number == 0
                first_of_set = side_number == 0
                self._add_work(here, side, set_number, sets, first_of_step, first_of_set)
        if isinstance(step, HoldStep | RepsStep | TimedStep) and step.extra_set:
            self._add_extra_set(here, step, sets, set_rest)

    def _add_extra_set(
        self,
        here: _StepContext,
        step: HoldStep | RepsStep | TimedStep,
        sets: int,
        rest: float | None,
    ) -> None:
        side = self.tighter.side_for(step.tighter_by)
        if side is None:
            return  # no check has found a side tighter yet
        if rest:
            self._add_set_rest(here, sets + 1, sets + 1, rest)
        planned, estimate = self._durations(step)
        by = f" on the {step.tighter_by.replace('-', ' ')} check" if step.tighter_by else ""
        note = f"Your {side} side was tighter{by} last time: one extra set on the {side}"
        if note not in self.notes:
            self.notes.append(note)
        self._append(
            here,
            kind=step.kind,
            title=step.name,
            side=side,
            set_number=sets + 1,
            set_count=sets + 1,
            planned_seconds=planned,
            estimated_seconds=estimate,
            advance=step.advance,
            announcement=f"One extra set, {side} side, your tighter side",
            switches_side=False,
            **_work_timing(step, here.order),
        )

    def _append(self, here: _StepContext, **fields: object) -> None:
        moment = Moment(
            index=len(self.moments),
            block=here.block,
            block_index=here.block_index,
            step=here.step,
            step_index=here.step_index,
            start_offset=self._offset,
            round_number=here.round_number,
            round_count=here.round_count,
            **fields,  # type: ignore[arg-type]
        )
        self.moments.append(moment)
        self._offset += moment.estimated_seconds

    def _switch_seconds(self, step: Step) -> float:
        return step.switch if step.switch is not None else self.options.switch_seconds

    def _add_work(
        self,
        here: _StepContext,
        side: str,
        set_number: int,
        sets: int,
        first_of_step: bool,
        first_of_set: bool,
    ) -> None:
        step = here.step
        planned, estimate = self._durations(step)
        switch_now = not first_of_set and self._switch_seconds(step) == 0
        alternating = step.sides == "alternating"
        if first_of_step:
            reps = ""
            if isinstance(step, RepsStep):
                reps = f"{step.reps_text} reps" + (" each side" if alternating else "")
            announcement = _joined(
                f"Round {here.round_number} of {here.round_count}" if here.opens_round else "",
                step.name,
                reps,
                f"set 1 of {sets}" if sets > 1 else "",
                f"{side} side" if side else "",
                f"alternating, {here.order[0]} first" if alternating else "",
            )
            if isinstance(step, InstructionStep):
                announcement = f"{announcement}. {step.text}"
        elif first_of_set:
            announcement = _joined(
                f"Set {set_number} of {sets}",
                f"{side} side" if side else "",
                f"{here.order[0]} first" if alternating else "",
            )
        elif switch_now:
            announcement = f"Switch to the {side} side"
        else:
            announcement = ""  # the switch moment just announced the side
        self._append(
            here,
            kind=step.kind,
            title=step.name,
            side=side,
            set_number=set_number,
            set_count=sets,
            planned_seconds=planned,
            estimated_seconds=estimate,
            advance=step.advance,
            announcement=announcement,
            switches_side=switch_now,
            **_work_timing(step, here.order),
        )

    def _durations(self, step: Step) -> tuple[float | None, float]:
        """Planned seconds (None = pedal only) and the estimate used for totals."""
        options = self.options
        planned: float | None
        if isinstance(step, HoldStep | RestStep):
            planned = step.duration
        elif isinstance(step, TimedStep):
            planned = step.work
        elif isinstance(step, RepsStep):
            planned = step.cue_span()
        elif isinstance(step, CheckStep):
            planned = step.duration
        else:
            planned = None
        if planned is not None:
            return planned, planned
        if isinstance(step, RepsStep):
            guess = step.reps_per_set * options.seconds_per_untimed_rep
            return None, guess + options.untimed_set_overhead
        if isinstance(step, CheckStep):
            return None, options.check_side_seconds
        return None, options.instruction_seconds

    def _add_check(self, here: _StepContext, step: CheckStep) -> None:
        if step.tries_sides:
            for side_number, side in enumerate(here.sides):
                if side_number > 0:
                    self._add_switch(here, side, 1, 1)
                self._add_work(here, side, 1, 1, side_number == 0, side_number == 0)
        self._append(
            here,
            kind="answer",
            title=step.name,
            side="",
            set_number=1,
            set_count=1,
            planned_seconds=None,
            estimated_seconds=self.options.answer_seconds,
            advance="pedal",
            announcement=answer_question(step),
            switches_side=False,
        )

    def _add_switch(self, here: _StepContext, side: str, set_number: int, sets: int) -> None:
        seconds = self._switch_seconds(here.step)
        if seconds <= 0:
            return
        self._append(
            here,
            kind="switch",
            title="Switch sides",
            side=side,
            set_number=set_number,
            set_count=sets,
            planned_seconds=seconds,
            estimated_seconds=seconds,
            advance="auto",
            announcement=f"Switch to the {side} side",
            switches_side=True,
        )

    def _add_set_rest(self, here: _StepContext, set_number: int, sets: int, rest: float) -> None:
        words = f"Rest for {spoken_seconds(rest)}"
        self._add_pause(here, "set-rest", "Rest", words, rest, set_number, sets)

    def _add_setup(self, here: _StepContext, seconds: float) -> None:
        step = here.step
        words = f"Get into position for {step.name}"
        self._add_pause(here, "setup", "Get into position", words, seconds)

    def _add_round_rest(
        self, here: _StepContext, round_number: int, rounds: int, rest: float
    ) -> None:
        words = f"Rest for {spoken_seconds(rest)}, then round {round_number} of {rounds}"
        title = f"Rest before round {round_number} of {rounds}"
        self._add_pause(here, "round-rest", title, words, rest)

    def _add_pause(
        self,
        here: _StepContext,
        kind: MomentKind,
        title: str,
        words: str,
        seconds: float,
        set_number: int = 1,
        set_count: int = 1,
    ) -> None:
        self._append(
            here,
            kind=kind,
            title=title,
            side="",
            set_number=set_number,
            set_count=set_count,
            planned_seconds=seconds,
            estimated_seconds=seconds,
            advance="auto",
            announcement=words,
            switches_side=False,
        )


def answer_question(step: CheckStep) -> str:
    """What the answer moment of a check asks, aloud and on screen."""
    record = step.record
    if record is None or "question" in step.model_fields_set:
        return step.question
    if record.choices is not None:
        return f"{step.name}: choose for each side" if record.per_side else f"{step.name}: choose"
    if record.unit == "score":
        return f"{step.name}, 0 to 10"
    each = " for each side" if record.per_side else ""
    return f"{step.name}{each}, in {record.unit_words}"


def _work_timing(step: Step, order: tuple[str, str]) -> dict[str, object]:
    """The cue, tempo and rep fields of a work moment of ``step``."""
    if isinstance(step, RepsStep):
        return {
            "cues": rep_cues(step, order),
            "tempo": tempo_phases(step, order),
            "reps": step.reps_per_set,
            "reps_text": step.reps_text,
        }
    return {"cues": tuple(PlannedCue(cue.text, cue.at) for cue in step.cues)}


def _side_order(order: str) -> tuple[str, str]:
    return ("right", "left") if order == "right-first" else ("left", "right")


@dataclass(frozen=True)
class _StepContext:
    block_index: int
    block: str
    step_index: int
    step: Step
    sides: tuple[str, ...]
    order: tuple[str, str] = ("left", "right")
    round_number: int = 1
    round_count: int = 1
    #: The first step of a round of a block with several rounds ("Round 2 of 3").
    opens_round: bool = False


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)
