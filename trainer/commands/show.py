"""``trainer show ROUTINE``: the expanded timeline, every step, set and side with start times.

Times marked ``~`` are estimates for moments that end on the pedal (reps
without a tempo, instructions, check answers). Each step with a pose is then
drawn from start to end (``--no-picture`` leaves the figures out).

``trainer show EXERCISE`` prints one library exercise: what it is, how to do
it, its cues and (unless ``--no-picture``) its figure, both sides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.commands._table import format_table
from trainer.commands.pictures import exercise_figures, routine_figures
from trainer.engine.plan import build_plan
from trainer.routine.catalog import default_folders, load_catalog
from trainer.routine.durations import format_duration
from trainer.routine.models import Step


def run(args: argparse.Namespace) -> int:
    as_path = Path(args.routine)
    files = [as_path] if as_path.suffix.lower() in (".yaml", ".yml") and as_path.is_file() else []
    catalog = load_catalog(default_folders(), files)
    loaded = catalog.find(args.routine)
    exercise = catalog.exercise(args.routine) if loaded is None else None
    if exercise is not None:
        return _show_exercise(args.routine, exercise, getattr(args, "picture", None) is not False)
    if loaded is None:
        for issue in catalog.issues_by_file.get(as_path, []):
            print(issue, file=sys.stderr)
        if not files:
            known = ", ".join(sorted(catalog.routines)) or "none"
            print(f"no routine '{args.routine}'; known routines: {known}", file=sys.stderr)
        return 1
    plan = build_plan(loaded)
    routine = loaded.routine
    print(f"{routine.title} ({loaded.id})")
    print(routine.summary)
    if routine.equipment:
        print(f"Equipment: {', '.join(routine.equipment)}")
    print(f"Safety: {routine.safety}\n")
    rows = []
    for moment in plan:
        estimate = "" if moment.planned_seconds is not None else "~"
        sets = f"{moment.set_number}/{moment.set_count}" if moment.set_count > 1 else ""
        detail = f"{moment.reps} reps" if moment.reps else ""
        if moment.tempo:
            detail += f" @ {moment.step.tempo}"  # type: ignore[union-attr]
        if moment.kind == "answer":
            detail = "answer L / = / R"
        rows.append(
            [
                format_duration(moment.start_offset),
                moment.block,
                moment.title,
                moment.side,
                sets,
                detail,
                estimate + format_duration(moment.estimated_seconds),
                "pedal" if moment.advance == "pedal" else "",
            ]
        )
    headers = ["START", "BLOCK", "STEP", "SIDE", "SET", "REPS", "TIME", "ENDS ON"]
    print(format_table(headers, rows, right={0, 6}))
    approximate = "about " if plan.untimed_count else ""
    print(
        f"\nTotal: {approximate}{format_duration(plan.total_estimated_seconds)} "
        f"({len(plan)} moments, {plan.untimed_count} end on the pedal)"
    )
    if getattr(args, "picture", None) is not False:
        for line in routine_figures(routine.steps):
            print(line)
    return 0


def _show_exercise(exercise_id: str, step: Step, picture: bool) -> int:
    """One library exercise: name, kind, how, cues and its figure."""
    sides = {"each": "each side", "left": "left side", "right": "right side"}.get(step.sides, "")
    print(f"{step.name} ({exercise_id}: {step.kind}{f', {sides}' if sides else ''})")
    how = getattr(step, "how", None)
    if how:
        print(how)
    for cue in step.cues:
        print(f"  - {cue.text}")
    if picture:
        lines = exercise_figures(step)
        print("", *(lines or ["(no pose to draw)"]), sep="\n")
    return 0
