"""Finding routine files in folders (the standard library only).

Kept apart from :mod:`trainer.routine.catalog` so that the picker's first paint
can list and stat the files (for its row cache) without importing YAML or pydantic.
"""

from __future__ import annotations

from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
#: Folders with more files than this are not a routine collection (a mistaken path).
MAX_FILES_PER_FOLDER = 2000


def find_yaml_files(folder: Path) -> list[Path]:
    """YAML files below ``folder``, sorted, skipping hidden files and folders."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.suffix.lower() in YAML_SUFFIXES and path.is_file():
            found.append(path)
            if len(found) > MAX_FILES_PER_FOLDER:
                break
    return found
