"""``trainer validate PATH...``: check routine files and folders.

Prints every problem as ``file:line:col: field.path: message``, one per line,
then a summary. Exit status 1 if any problem was found, else 0. Routines may
``use:`` exercises from the bundled library, the user's library and any library
inside the given folders.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.routine.catalog import default_folders, load_catalog


def _within(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


def run(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        print(f"{path}: no such file or folder", file=sys.stderr)
    given = [path for path in args.paths if path.exists()]
    files = [path for path in given if path.is_file()]
    # A lone file may `use:` exercises from the library folder beside it.
    beside = [path.parent / "exercises" for path in files if path.parent.name != "exercises"]
    folders = [*default_folders(), *beside, *(path for path in given if path.is_dir())]
    catalog = load_catalog(folders, files)

    roots = [path.resolve() for path in given]
    checked = [path for path in catalog.files if _within(path, roots)]
    problems = [issue for path in checked for issue in catalog.issues_by_file.get(path, [])]
    for issue in problems:
        print(issue)
    bad = sum(1 for path in checked if catalog.issues_by_file.get(path))
    routines = sum(1 for loaded in catalog.routines.values() if _within(loaded.path, roots))
    if not checked:
        print("no routine files (*.yaml, *.yml) found", file=sys.stderr)
        return 1
    noun = "file" if len(checked) == 1 else "files"
    if problems:
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {bad} of "
            f"{len(checked)} {noun}; {routines} routine{'s' if routines != 1 else ''} OK",
            file=sys.stderr,
        )
    else:
        print(f"{len(checked)} {noun} OK ({routines} routine{'s' if routines != 1 else ''})")
    return 1 if problems or missing else 0
