"""How big a routine becomes when a session expands it, counted without expanding it.

A routine file of a hundred kilobytes may describe a session of millions of
moments (7 blocks x 180 steps x 10 sets x 2 sides x 100 reps of tempo), so the
size of the expansion is a property of the *routine*, checked when it is loaded:
a routine over any limit below is refused with a message naming the limit, and
nothing downstream (``trainer list``, the kiosk's picker, a session) ever builds
its plan.

The counts are exact for work, rest and answer moments and tempo phases, and an
upper bound for side switches (the trainer's ``switch_seconds`` may be 0, which
drops them). The counting costs one pass over the steps, whatever they say.

>>> from trainer.routine.models import Routine
>>> routine = Routine.model_validate({"title": "T", "summary": "S", "blocks": [
...     {"name": "A", "steps": [{"kind": "hold", "name": "H", "duration": 30, "sides": "each"}]}]})
>>> expansion_of(routine)
Expansion(moments=3, planned_seconds=60.0, tempo_phases=0)
"""

from __future__ import annotations

from typing import NamedTuple

from trainer.routine.models import CheckStep, HoldStep, RepsStep, RestStep, Routine, Step, TimedStep

#: Most moments (holds, sets, sides, rests, switches, answers) one routine may expand to.
#: The longest bundled routine has under 150; a plan of 2,000 moments takes about a
#: millisecond per hundred moments to build.
MAX_MOMENTS = 2_000
#: Most seconds on the clock one routine may plan (holds, timed work, rests, tempo sets).
MAX_PLANNED_SECONDS = 3 * 3600.0
#: Most spoken or sounded tempo phases ("down", "hold", "up") in one routine.
MAX_TEMPO_PHASES = 20_000


class Expansion(NamedTuple):
    """What a routine expands to: moments, seconds on the clock, tempo phases."""

    moments: int
    planned_seconds: float
    #: Tempo phases, plus the cues said on reps (``rep:`` cues, alternating sides).
    tempo_phases: int

    def __add__(self, other: object) -> Expansion:
        assert isinstance(other, Expansion)
        return Expansion(
            self.moments + other.moments,
            self.planned_seconds + other.planned_seconds,
            self.tempo_phases + other.tempo_phases,
        )

    def times(self, count: int) -> Expansion:
        return Expansion(
            self.moments * count, self.planned_seconds * count, self.tempo_phases * count
        )

    def over_limits(self) -> list[str]:
        """A sentence per limit this expansion breaks (empty when within every limit)."""
        problems = []
        if self.moments > MAX_MOMENTS:
            problems.append(
                f"this routine expands to {self.moments:,} moments (sets, sides, rests and "
                f"switches), more than the limit of {MAX_MOMENTS:,}; split it into shorter routines"
            )
        if self.planned_seconds > MAX_PLANNED_SECONDS:
            problems.append(
                f"this routine plans {self.planned_seconds / 3600:.1f} hours on the clock, more "
                f"than the limit of {MAX_PLANNED_SECONDS / 3600:g} hours; check sets, rests and "
                "durations for typos"
            )
        if self.tempo_phases > MAX_TEMPO_PHASES:
            problems.append(
                f"this routine has {self.tempo_phases:,} tempo phases and rep cues to count out, "
                f"more than the limit of {MAX_TEMPO_PHASES:,}; use fewer reps or sets with a tempo"
            )
        return problems


def expansion_of(routine: Routine) -> Expansion:
    """The size of ``routine``'s session plan."""
    total = Expansion(0, 0.0, 0)
    for block in routine.blocks:
        one_round = Expansion(0, 0.0, 0)
        for step in block.steps:
            one_round = one_round + step_expansion(step)
        rest = block.rest_between_rounds
        rests = Expansion(block.rounds - 1, (block.rounds - 1) * rest, 0) if rest else None
        total = total + one_round.times(block.rounds) + (rests or Expansion(0, 0.0, 0))
    return total


def step_expansion(step: Step) -> Expansion:
    """The size of one step's share of the plan (one round of its block)."""
    sides = len(step.side_names)
    if isinstance(step, CheckStep):
        # try each side, a switch between sides, then one answer
        if not step.tries_sides:
            return Expansion(1, 0.0, 0)
        planned = (step.duration or 0.0) * sides
        return Expansion(sides + (sides - 1) + 1, planned, 0)
    is_work = isinstance(step, HoldStep | RepsStep | TimedStep)
    sets = step.sets if is_work else 1  # type: ignore[union-attr]
    rest = (step.rest or 0.0) if is_work else 0.0  # type: ignore[union-attr]
    setup = (step.setup or 0.0) if is_work else 0.0  # type: ignore[union-attr]
    extra = 1 if is_work and step.extra_set else 0  # type: ignore[union-attr]
    rests = sets - 1 + extra if rest else 0
    works = sets * sides + extra
    switches = sets * (sides - 1)
    timed_events = 0
    if isinstance(step, HoldStep | RestStep):
        work_seconds = step.duration
    elif isinstance(step, TimedStep):
        work_seconds = step.work
    elif isinstance(step, RepsStep):
        work_seconds = step.cue_span() or 0.0
        if step.tempo is not None:
            reps = step.reps_per_set
            per_set = reps * step.tempo.phase_count
            per_set += sum(len(cue.reps_said_on(reps)) for cue in step.cues if cue.rep)
            per_set += reps - 1 if step.sides == "alternating" else 0
            timed_events = per_set * works
    else:
        work_seconds = 0.0
    return Expansion(
        works + switches + rests + (1 if setup else 0),
        works * work_seconds + rests * rest + setup,
        timed_events,
    )
