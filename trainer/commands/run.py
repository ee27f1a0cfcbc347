"""``trainer run [ROUTINE]`` (and plain ``trainer``): the trainer for one person."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from trainer.adapters.store import MemberError, SessionStore, StoreError
from trainer.commands._app_setup import (
    DATA_DIR_BUSY,
    app_settings,
    hold_data_dir,
    log_to_file,
    stdin_problem,
)
from trainer.commands._console import ui_on_terminal
from trainer.commands._routine_names import UNKNOWN_NAME, unknown_routine
from trainer.routine.catalog import (
    YAML_SUFFIXES,
    default_folders,
    library_beside,
    load_catalog,
    load_routine_file,
)
from trainer.ui.app import TrainerApp


def run(args: argparse.Namespace) -> int:
    settings = app_settings(args)
    if settings is None or not _member_exists(settings.member, settings.database_path):
        return 2
    routine_file = _routine_file(args.routine)
    if routine_file is not None:
        # A coach's preview: the file is checked first, so its mistakes print here
        # (line by line, as `trainer validate` does) instead of in a notice.
        folders = settings.routine_folders or tuple(default_folders())
        folders = (*folders, *library_beside(routine_file))
        loaded, issues = load_routine_file(routine_file, list(folders))
        for issue in issues:
            print(issue, file=sys.stderr)
        if loaded is None:
            print(f"trainer run: {routine_file} cannot be run; fix it first", file=sys.stderr)
            return 1
        settings = replace(settings, routine_folders=folders, routine_files=(routine_file,))
    elif args.routine is not None:
        # Checked here, not in the app: a typo deserves a command-line answer, not a picker.
        catalog = load_catalog(settings.folders, files=list(settings.routine_files))
        if catalog.find(args.routine) is None:
            print(unknown_routine("run", args.routine, catalog), file=sys.stderr)
            return UNKNOWN_NAME
    lock = hold_data_dir(settings)
    if lock is None:
        return DATA_DIR_BUSY
    problem = stdin_problem("run")
    if problem is not None:
        lock.release()
        print(problem, file=sys.stderr)
        return 2
    with lock, ui_on_terminal() as journal:
        log_to_file(journal)
        result = TrainerApp(settings, start_routine=args.routine).run()
    return result or 0


def _routine_file(name: str | None) -> Path | None:
    """``name`` as a routine file path (``trainer run path/to/file.yaml``), or None for an id."""
    if name is None or Path(name).suffix.lower() not in YAML_SUFFIXES:
        return None
    return Path(name)


def _member_exists(name: str | None, database: Path) -> bool:
    """``--member NAME`` names a member; otherwise say so (before the screen starts)."""
    if name is None:
        return True
    try:
        with SessionStore.open(database, check_writable=False) as store:
            store.roster.get(name)
    except MemberError as error:
        print(f"trainer run: {error}; add one with: trainer members add NAME", file=sys.stderr)
        return False
    except StoreError:
        pass  # the app reports the history problem itself and runs without it
    return True
