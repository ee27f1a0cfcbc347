"""``trainer validate PATH...``: check routine files and folders.

Prints every problem as ``file:line:col: field.path: message``, one per line,
then a summary. Exit status 1 if any problem was found, else 0. Traps (valid,
but probably not meant, such as a rest on a one-set step) print as
``file:line:col: field.path: warning: message`` and do not change the status.
Routines may ``use:`` exercises from the bundled library, the user's library and
any library inside the given folders.

With ``--watch``, the paths are checked again whenever a YAML file under them
changes (polled twice a second, so it works on any filesystem and editor), until
Ctrl-C.

Routines whose cues cannot all be heard as written (a cue left out or shortened
because speech does not fit, an ``at:`` cue moved off its time) get
``file:line:col: warning: ...`` lines too; see ``trainer show ROUTINE --sound``.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from trainer.routine.catalog import (
    MAX_FILES_PER_FOLDER,
    Catalog,
    LoadedRoutine,
    default_folders,
    find_yaml_files,
    library_beside,
    load_catalog,
)
from trainer.routine.issues import Issue

#: Seconds between two looks at the watched files.
WATCH_INTERVAL = 0.5


def _within(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


def validate(paths: Sequence[Path]) -> int:
    """Check ``paths`` once and print the outcome; the exit status."""
    missing = [path for path in paths if not path.exists()]
    for path in missing:
        print(f"{path}: no such file or folder", file=sys.stderr)
    given = [path for path in paths if path.exists()]
    files = [path for path in given if path.is_file()]
    # A lone file may `use:` exercises from the library folder beside it.
    beside = [folder for path in files for folder in library_beside(path)]
    folders = [*default_folders(), *beside, *(path for path in given if path.is_dir())]
    catalog = load_catalog(folders, files)
    # What was loaded lives until the report is made: frozen, the collector need not
    # scan it all again for nothing (a full collection took a third as long as
    # loading 1,000 files). Unfrozen after, so --watch leaves nothing behind.
    gc.freeze()
    try:
        return _report(given, missing, catalog)
    finally:
        gc.unfreeze()


def _report(given: Sequence[Path], missing: Sequence[Path], catalog: Catalog) -> int:
    """Print what ``catalog`` found in the ``given`` paths; the exit status."""
    roots = [path.resolve() for path in given]
    links = _links_leaving([path for path in given if path.is_dir()])
    targets = {link.path.resolve() for link in links}
    checked = [path for path in catalog.files if _within(path, roots) or path.resolve() in targets]
    problems = [issue for path in checked for issue in catalog.issues_by_file.get(path, [])]
    warnings = [issue for path in checked for issue in catalog.warnings_by_file.get(path, [])]
    warnings += links
    for issue in sorted([*problems, *warnings], key=lambda issue: issue.sort_key):
        print(issue)
    checked_set = set(checked)
    checked_routines = [
        loaded for loaded in catalog.routines.values() if loaded.path in checked_set
    ]
    libraries = sorted({entry.source.path for entry in catalog.library.values()})
    sound_lines = _sound_warnings(checked_routines, libraries)
    for line in sound_lines:
        print(line)
    bad = sum(1 for path in checked if catalog.issues_by_file.get(path))
    routines = len(checked_routines)
    if not checked:
        print("no routine files (*.yaml, *.yml) found", file=sys.stderr)
        return 1
    noun = "file" if len(checked) == 1 else "files"
    warning_count = len(warnings) + len(sound_lines)
    warned = f", {_count(warning_count, 'warning')}" if warning_count else ""
    if problems:
        print(
            f"{_count(len(problems), 'problem')} in {bad} of {len(checked)} {noun}; "
            f"{_count(routines, 'routine')} OK{warned}",
            file=sys.stderr,
        )
    else:
        print(f"{len(checked)} {noun} OK ({_count(routines, 'routine')}{warned})")
    return 1 if problems or missing else 0


def _links_leaving(folders: Sequence[Path]) -> list[Issue]:
    """A warning for each YAML file in ``folders`` that links to a file outside its folder.

    Such a file is checked (the catalog reads it, as ``list`` and the kiosk do),
    but it is said, one line a file, since copying the folder does not take it along.
    """
    warnings = []
    for folder in folders:
        root = folder.resolve()
        for path in find_yaml_files(folder)[:MAX_FILES_PER_FOLDER]:
            if path.is_symlink() and not _within(path, [root]):
                message = (
                    f"a link to {path.resolve()}, outside {folder}: checked, but a copy "
                    "of the folder will not hold it"
                )
                warnings.append(Issue(path, 1, 1, "", message, severity="warning"))
    return warnings


def _sound_warnings(routines: Sequence[LoadedRoutine], libraries: Sequence[Path]) -> list[str]:
    """Warnings for cues that cannot all be heard as written (see trainer.commands.sound)."""
    if not routines:
        return []
    from trainer.commands._sound_cache import SoundWarningCache
    from trainer.commands.sound import placed_warnings, plan_warnings, sound_setup
    from trainer.engine.plan import build_plan

    setup = sound_setup()
    # Planning is most of validate's time; a routine planned before with the same
    # settings and code is not planned again (see trainer.commands._sound_cache).
    cache = SoundWarningCache(setup.identity)
    lines: list[str] = []
    for loaded in sorted(routines, key=lambda loaded: str(loaded.path)):
        key = cache.key(loaded.digest)
        warnings = cache.get(key)
        if warnings is None:
            warnings = plan_warnings(build_plan(loaded), setup)
            cache.put(key, warnings)
        lines += placed_warnings(warnings, loaded.path, libraries)
    cache.save()
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def snapshot(paths: Sequence[Path]) -> dict[Path, tuple[int, int]]:
    """Size and modification time of every YAML file under ``paths``."""
    seen: dict[Path, tuple[int, int]] = {}
    for path in paths:
        for file in find_yaml_files(path) if path.is_dir() else [path]:
            try:
                stat = file.stat()
            except OSError:
                continue  # gone between listing and looking: the next look tells
            seen[file] = (stat.st_mtime_ns, stat.st_size)
    return seen


def watch(
    paths: Sequence[Path],
    sleep: Callable[[float], None] = time.sleep,
    looks: int | None = None,
) -> int:
    """Validate now and again after every change, for ``looks`` looks (None: until Ctrl-C)."""
    status = validate(paths)
    print(f"watching {len(snapshot(paths))} file(s); Ctrl-C to stop", file=sys.stderr)
    before = snapshot(paths)
    while looks is None or looks > 0:
        sleep(WATCH_INTERVAL)
        looks = None if looks is None else looks - 1
        now = snapshot(paths)
        if now != before:
            before = now
            print(f"\n-- {time.strftime('%H:%M:%S')}: changed; checking again", file=sys.stderr)
            sys.stdout.flush()
            status = validate(paths)
    return status


def run(args: argparse.Namespace) -> int:
    if getattr(args, "watch", False):
        return watch(args.paths)
    return validate(args.paths)
