"""``trainer list``: the routines found, with duration and focus; bad files as errors.

Exit status 1 when any file has problems (they are listed after the table), so
a script or the kiosk admin can tell.

When no routine file changed since they were last validated (by the app, the
kiosk's folder watch or this command), the rows come from the per-file cache
(:class:`~trainer.core.routine_rows.RoutineRowCache`) and nothing is parsed;
otherwise the routines are validated again and the cache written back.
"""

from __future__ import annotations

import argparse
import sys

from trainer import paths
from trainer.commands._table import format_table
from trainer.core.routine_rows import DEFAULT_PLAN, RoutineRowCache, routine_files
from trainer.routine.durations import format_planned_time


def run(args: argparse.Namespace) -> int:
    folders = paths.routine_folders()
    cache = RoutineRowCache(paths.cache_dir())
    cached = cache.read(routine_files(folders), plan=DEFAULT_PLAN)
    if cached.complete:
        choices, problems, bad_files = cached.choices, cached.problems, cached.bad_files
    else:
        from trainer.core.adapters import load_routines
        from trainer.core.flow import choices_of, load_remembered
        from trainer.engine.plan import PlanOptions

        options = PlanOptions()  # the defaults: this command reads no config
        catalog, planned = load_remembered(load_routines, folders, (), cache, options)
        choices = planned if planned is not None else choices_of(catalog, options)
        problems = [str(issue) for issue in catalog.issues]
        bad_files = len(catalog.bad_files)
    bundled = paths.BUNDLED_ROUTINES_DIR.resolve()
    rows = []
    for choice in sorted(choices, key=lambda choice: choice.title):
        mine = "" if paths.is_bundled(choice.path) else " (yours)"
        rows.append(
            [
                choice.id,
                choice.title + mine,
                format_planned_time(choice.estimated_seconds, choice.approximate),
                ", ".join(choice.focus),
            ]
        )
    if rows:
        print(format_table(["ID", "TITLE", "TIME", "FOCUS"], rows, right={2}))
    else:
        print(f"no routines found (looked in {bundled} and {paths.user_routines_dir()})")
    if problems:
        print(f"\n{bad_files} file(s) with problems (not listed above):")
        for issue in problems:
            print(f"  {issue}")
        print("run `trainer validate PATH` after fixing them", file=sys.stderr)
    return 1 if problems else 0
