"""``trainer list``: the routines found, with duration and focus; bad files as errors.

Exit status 1 when any file has problems (they are listed after the table), so
a script or the kiosk admin can tell.
"""

from __future__ import annotations

import argparse
import sys

from trainer import paths
from trainer.commands._table import format_table
from trainer.engine.plan import build_plan
from trainer.routine.catalog import load_catalog


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    bundled = paths.BUNDLED_ROUTINES_DIR.resolve()
    rows = []
    for loaded in sorted(catalog.routines.values(), key=lambda loaded: loaded.routine.title):
        plan = build_plan(loaded)
        mine = "" if paths.is_bundled(loaded.path) else " (yours)"
        rows.append(
            [
                loaded.id,
                loaded.routine.title + mine,
                plan.planned_time,
                ", ".join(loaded.routine.focus),
            ]
        )
    if rows:
        print(format_table(["ID", "TITLE", "TIME", "FOCUS"], rows, right={2}))
    else:
        print(f"no routines found (looked in {bundled} and {paths.user_routines_dir()})")
    problems = catalog.issues
    if problems:
        print(f"\n{len(catalog.bad_files)} file(s) with problems (not listed above):")
        for issue in problems:
            print(f"  {issue}")
        print("run `trainer validate PATH` after fixing them", file=sys.stderr)
    return 1 if problems else 0
