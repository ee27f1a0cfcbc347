"""``trainer show ROUTINE``: the expanded timeline, every step, set and side with start times.

With ``--sound`` it prints the planned sound instead: each moment's sounds with
start and end times, and every cue moved, shortened or left out, with the
reason (see :mod:`trainer.commands.sound`).

Times marked ``~`` are estimates for moments that end on the pedal (reps
without a tempo, instructions, check answers). Each step with a pose is then
drawn from start to end, and each ``media:`` web link as a QR code for a phone
(``--no-picture`` leaves the figures and codes out).

``trainer show EXERCISE`` prints one library exercise: what it is, how to do
it, its cues and (unless ``--no-picture``) its figure, both sides.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from trainer.commands._routine_names import UNKNOWN_NAME, unknown_routine
from trainer.commands._table import format_table
from trainer.commands.pictures import exercise_figures, routine_figures
from trainer.core.media import ansi_lines, phone_link, qr_code, qr_glyphs_for_terminal
from trainer.engine.plan import Moment, build_plan
from trainer.routine.catalog import default_folders, library_beside, load_catalog
from trainer.routine.durations import format_duration
from trainer.routine.models import CheckStep, HoldStep, RepsStep, Step, TimedStep
from trainer.untrusted_text import CleaningStream


def run(args: argparse.Namespace) -> int:
    as_path = Path(args.routine)
    names_a_file = as_path.suffix.lower() in (".yaml", ".yml")
    files = [as_path] if names_a_file and as_path.is_file() else []
    catalog = load_catalog(
        [*default_folders(), *(f for p in files for f in library_beside(p))], files
    )
    loaded = catalog.find(args.routine)
    exercise = catalog.exercise(args.routine) if loaded is None else None
    if exercise is not None:
        return _show_exercise(args.routine, exercise, getattr(args, "picture", None) is not False)
    if loaded is None:
        for issue in catalog.issues_by_file.get(as_path, []):
            print(issue, file=sys.stderr)
        if files:
            return 1  # a routine file with mistakes: they were just listed
        if names_a_file:
            print(
                f"trainer show: {as_path}: no routine file there (missing, or not a regular file)",
                file=sys.stderr,
            )
            return 1
        print(unknown_routine("show", args.routine, catalog, catalog.library), file=sys.stderr)
        return UNKNOWN_NAME
    plan = build_plan(loaded)
    routine = loaded.routine
    if getattr(args, "sound", False):
        from trainer.commands.sound import print_sound, sound_setup

        print(f"{routine.title} ({loaded.id})")
        print_sound(plan, sound_setup())
        return 0
    print(f"{routine.title} ({loaded.id})")
    print(routine.summary)
    if routine.all_equipment:
        print(f"Equipment: {', '.join(routine.all_equipment)}")
    print(f"Safety: {routine.safety}\n")
    rows = []
    for moment in plan:
        sets = f"{moment.set_number}/{moment.set_count}" if moment.set_count > 1 else ""
        if moment.round_count > 1:
            sets = f"R{moment.round_number}/{moment.round_count} {sets}".strip()
        rows.append(_row(moment, sets))
    headers = ["START", "BLOCK", "STEP", "SIDE", "SET", "DETAIL", "TIME", "ENDS ON"]
    print(format_table(headers, rows, right={0, 6}))
    print(
        f"\nTotal: {plan.planned_time} ({len(plan)} moments, {plan.untimed_count} end on the pedal)"
    )
    pictures = getattr(args, "picture", None) is not False
    media = {step.name: step.media for step in routine.steps if step.media}
    for name, link in media.items():  # shown, never fetched
        print(f"Media for {name}: {link}")
        if pictures:
            _print_media_code(link)
    for note in plan.notes:
        print(note)
    if pictures:
        for line in routine_figures(routine.steps):
            print(line)
    return 0


def _print_media_code(media: str) -> None:
    """A web link as a QR code for a phone, painted dark on light on a terminal.

    Into a file or a pipe it is plain text whose drawn characters are the dark
    modules (as on paper). A path in the routines folder gets no code: a phone
    cannot open a file on the trainer (routines/README.md).
    """
    link = phone_link(media)
    if link is None:
        print("  (a file in the routines folder: no QR code, a phone cannot open it)")
        return
    code = qr_code(link, qr_glyphs_for_terminal())
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        print(*code.lines, sep="\n")
        return
    # Only blocks and the colours chosen here, no routine text: past the CLI's escape
    # filter, which would strip the colours (and leave a dark terminal's light-on-dark).
    out = sys.stdout
    raw = out.stream if isinstance(out, CleaningStream) else out
    sys.stdout.flush()
    raw.write("".join(f"{line}\n" for line in ansi_lines(code)))
    raw.flush()


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


def _row(moment: Moment, sets: str) -> list[str]:
    step = moment.step
    details = []
    if moment.reps_text and moment.is_work:
        each = " each side" if step.sides == "alternating" else ""
        details.append(f"{moment.reps_text} reps{each}")
    if isinstance(step, RepsStep) and step.tempo is not None and moment.is_work:
        start = " from up" if step.first_phase == "up" and step.tempo.start is None else ""
        details.append(f"@ {step.tempo}{start}")
    if isinstance(step, HoldStep | RepsStep | TimedStep) and moment.is_work:
        details += [f"RPE {step.rpe}" if step.rpe else "", step.load or ""]
    if moment.kind == "answer" and isinstance(step, CheckStep):
        details = [_answer_detail(step)]
    side = "alternating" if step.sides == "alternating" and moment.is_work else moment.side
    estimate = "" if moment.planned_seconds is not None else "~"
    return [
        format_duration(moment.start_offset),
        moment.block,
        moment.title,
        side,
        sets,
        " ".join(detail for detail in details if detail),
        estimate + format_duration(moment.estimated_seconds),
        "pedal" if moment.advance == "pedal" else "",
    ]


def _answer_detail(step: CheckStep) -> str:
    record = step.record
    if record is None:
        return "answer L / = / R" + (" + 0-10" if step.rating else "")
    if record.choices is not None:
        span = " / ".join(record.choices)
    else:
        span = f"{record.format(record.lowest)}-{record.format(record.highest)} {record.unit}"
    return f"answer {span}" + (" per side" if record.per_side else "")
