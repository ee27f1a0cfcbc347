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

from pathlib import Path

from trainer.routine.durations import format_duration
from trainer.routine.issues import Issue
from trainer.routine.models import HoldStep, RepsStep, Routine, TimedStep
from trainer.routine.yamlsafe import MarkedDict, MarkedList

#: Holds longer than this are probably a unit typo (minutes written for seconds).
LONG_HOLD_SECONDS = 600.0


def trap_warnings(routine: Routine, data: MarkedDict, path: Path) -> list[Issue]:
    """Warnings about ``routine``, pointing into ``data`` (the file's raw, merged mapping)."""
    warnings: list[Issue] = []
    blocks = data.get("blocks")
    for block_index, block in enumerate(routine.blocks):
        raw_block = _item(blocks, block_index)
        where = f"blocks[{block_index}]"
        if block.rounds == 1 and block.rest_between_rounds and raw_block is not None:
            warnings += _warn(
                raw_block,
                "rest_between_rounds",
                path,
                f"{where}.rest_between_rounds",
                "a block of one round has no rest between rounds; add `rounds:` or remove it",
            )
        raw_steps = raw_block.get("steps") if raw_block is not None else None
        for step_index, step in enumerate(block.steps):
            raw = _item(raw_steps, step_index)
            if raw is None:
                continue
            field = f"{where}.steps[{step_index}]"
            if isinstance(step, HoldStep | RepsStep | TimedStep) and step.sets == 1 and step.rest:
                warnings += _warn(
                    raw,
                    "rest",
                    path,
                    f"{field}.rest",
                    "rest is the rest between sets, and this step has one set, so it never "
                    "happens; add `sets:`, or use a rest step",
                )
            if isinstance(step, HoldStep) and step.duration > LONG_HOLD_SECONDS:
                warnings += _warn(
                    raw,
                    "duration",
                    path,
                    f"{field}.duration",
                    f"a hold of {format_duration(step.duration)} is over "
                    f"{LONG_HOLD_SECONDS / 60:g} minutes; did you mean seconds (45s, not 45m)?",
                )
    return warnings


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
