"""Warnings for routines that are valid but almost certainly not what the coach meant.

A trap never stops a routine from loading; ``trainer validate`` prints it as a
warning so the coach can look. Each trap names the field it is about:

* ``rest`` written on a step with one set: there is no second set to rest before,
  so the rest would never happen;
* ``rest_between_rounds`` on a block of one round, for the same reason;
* a hold longer than 10 minutes: ``45m`` is nearly always ``45s``.

Only what the routine file itself says is judged: a ``rest`` inherited from a
library exercise whose sets the routine cut to one is the routine's choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trainer.routine.durations import format_duration
from trainer.routine.issues import Issue
from trainer.routine.models import HoldStep, RepsStep, Routine, TimedStep
from trainer.routine.yamlsafe import MarkedDict, MarkedList

#: Holds longer than this are probably a unit typo (minutes written for seconds).
LONG_HOLD_SECONDS = 600.0


@dataclass(frozen=True)
class _Trap:
    """A trap in the model: the block (and step) it is in, and the key it is about."""

    block_index: int
    step_index: int | None
    key: str
    field: str
    message: str


def trap_warnings(routine: Routine, data: MarkedDict, path: Path) -> list[Issue]:
    """Warnings about ``routine``, pointing into ``data`` (the file's raw, merged mapping)."""
    warnings: list[Issue] = []
    blocks = data.get("blocks")
    for trap in _traps(routine):
        raw = _item(blocks, trap.block_index)
        if raw is not None and trap.step_index is not None:
            raw = _item(raw.get("steps"), trap.step_index)
        if raw is not None:
            warnings += _warn(raw, trap.key, path, trap.field, trap.message)
    return warnings


def may_have_traps(routine: Routine) -> bool:
    """Whether :func:`trap_warnings` could find anything (it needs the marked data to tell)."""
    return next(_traps(routine), None) is not None


def _traps(routine: Routine) -> Iterator[_Trap]:
    for block_index, block in enumerate(routine.blocks):
        where = f"blocks[{block_index}]"
        if block.rounds == 1 and block.rest_between_rounds:
            yield _Trap(
                block_index,
                None,
                "rest_between_rounds",
                f"{where}.rest_between_rounds",
                "a block of one round has no rest between rounds; add `rounds:` or remove it",
            )
        for step_index, step in enumerate(block.steps):
            field = f"{where}.steps[{step_index}]"
            if isinstance(step, HoldStep | RepsStep | TimedStep) and step.sets == 1 and step.rest:
                yield _Trap(
                    block_index,
                    step_index,
                    "rest",
                    f"{field}.rest",
                    "rest is the rest between sets, and this step has one set, so it never "
                    "happens; add `sets:`, or use a rest step",
                )
            if isinstance(step, HoldStep) and step.duration > LONG_HOLD_SECONDS:
                yield _Trap(
                    block_index,
                    step_index,
                    "duration",
                    f"{field}.duration",
                    f"a hold of {format_duration(step.duration)} is over "
                    f"{LONG_HOLD_SECONDS / 60:g} minutes; did you mean seconds (45s, not 45m)?",
                )


def _item(container: object, index: int) -> MarkedDict | None:
    if isinstance(container, MarkedList) and index < len(container):
        item = container[index]
        return item if isinstance(item, MarkedDict) else None
    return None


def _warn(raw: MarkedDict, key: str, path: Path, field: str, message: str) -> list[Issue]:
    position = raw.value_positions.get(key)
    if position is None or position.path != path:
        return []  # inherited from a library: not what this file says
    return [Issue.at(position, field, message, severity="warning")]
