"""Finding routine files in folders (the standard library only).

Kept apart from :mod:`trainer.routine.catalog` so that the picker's first paint
can list and stat the files (for its row cache) without importing YAML or pydantic.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
#: Folders with more files than this are not a routine collection (a mistaken path).
MAX_FILES_PER_FOLDER = 2000
#: A folder walk looks at no more entries than this (files of any kind and folders).
MAX_ENTRIES_PER_FOLDER = 20 * MAX_FILES_PER_FOLDER


def find_yaml_files(folder: Path) -> list[Path]:
    """YAML files below ``folder``, sorted, skipping hidden files and folders.

    At most ``MAX_FILES_PER_FOLDER + 1`` (one more than may be read says there
    are too many), found by looking at no more than
    :data:`MAX_ENTRIES_PER_FOLDER` entries.
    """
    return walk_yaml_files(folder)[0]


def walk_yaml_files(folder: Path) -> tuple[list[Path], bool]:
    """:func:`find_yaml_files`, and whether the walk stopped at its entry limit.

    Depth first, each folder's entries sorted by name: the order ``sorted()``
    gives whole paths, so the walk can stop as soon as it has one file too many
    instead of listing and sorting a mistaken path (a home folder) to the end.
    Linked folders are not entered (``Path.rglob`` did not either); linked files
    are listed.
    """
    found: list[Path] = []
    budget = MAX_ENTRIES_PER_FOLDER

    def listing(path: Path) -> Iterator[os.DirEntry[str]]:
        nonlocal budget
        try:
            with os.scandir(path) as entries:
                listed = list(itertools.islice(entries, budget + 1))
        except OSError:
            return iter(())  # unreadable: as if empty
        budget -= len(listed)
        return iter(sorted(listed, key=lambda entry: entry.name))

    walking = [listing(folder)]  # the folders being walked, the innermost last
    while walking:
        if budget < 0:
            return found, True
        entry = next(walking[-1], None)
        if entry is None:
            walking.pop()
        elif entry.name.startswith("."):
            continue
        elif _is_folder(entry):
            walking.append(listing(Path(entry.path)))
        elif Path(entry.name).suffix.lower() in YAML_SUFFIXES and _is_file(entry):
            found.append(Path(entry.path))
            if len(found) > MAX_FILES_PER_FOLDER:
                break
    return found, False


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
