"""``trainer run [ROUTINE]`` (and plain ``trainer``): the trainer for one person."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import paths
from trainer.commands._app_setup import (
    DATA_DIR_BUSY,
    app_settings,
    hold_data_dir,
    hold_folder,
    log_to_file,
    read_app_settings,
    stdin_problem,
)
from trainer.commands._console import ui_on_terminal
from trainer.routine.files import YAML_SUFFIXES
from trainer.ui.app import TrainerApp

if TYPE_CHECKING:
    from trainer.adapters.store.lock import DataDirLock


def run(args: argparse.Namespace) -> int:
    plain_start = args.routine is None and getattr(args, "member", None) is None
    if plain_start and stdin_problem("run") is None:
        # The usual start: the picker paints first and the settings are read after
        # it; a mistake in them ends the app and is printed then.
        lock = hold_folder(paths.data_dir())
        if lock is None:
            return DATA_DIR_BUSY
        return _run_app(lock, TrainerApp(read_settings=lambda: read_app_settings(args)))
    settings = app_settings(args)
    if settings is None or not _member_exists(settings.member, settings.database_path):
        return 2
    routine_file = _routine_file(args.routine)
    if routine_file is not None:
        from trainer.routine.catalog import default_folders, library_beside, load_routine_file

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
        from trainer.commands._routine_names import UNKNOWN_NAME, unknown_routine
        from trainer.routine.catalog import load_catalog

        # Checked here, not in the app: a typo deserves a command-line answer, not a picker.
        catalog = load_catalog(settings.folders, files=list(settings.routine_files))
        if catalog.find(args.routine) is None:
            print(unknown_routine("run", args.routine, catalog), file=sys.stderr)
            return UNKNOWN_NAME
    lock = hold_data_dir(settings)
    if lock is None:
        return DATA_DIR_BUSY
    return _run_app(lock, TrainerApp(settings, start_routine=args.routine))


def _run_app(lock: DataDirLock, app: TrainerApp) -> int:
    """Run ``app`` on this terminal, holding ``lock``; its exit status."""
    problem = stdin_problem("run")
    if problem is not None:
        lock.release()
        print(problem, file=sys.stderr)
        return 2
    with lock, ui_on_terminal() as journal:
        log_to_file(journal)
        result = app.run()
    if app.start_error is not None:
        print(f"trainer: {app.start_error}", file=sys.stderr)
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
    from trainer.adapters.store import MemberError, SessionStore, StoreError

    try:
        with SessionStore.open(database, check_writable=False) as store:
            store.roster.get(name)
    except MemberError as error:
        print(f"trainer run: {error}; add one with: trainer members add NAME", file=sys.stderr)
        return False
    except StoreError:
        pass  # the app reports the history problem itself and runs without it
    return True
