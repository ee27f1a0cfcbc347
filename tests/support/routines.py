"""Writing routine files for a test."""

from __future__ import annotations

from pathlib import Path


def write_routine(folder: Path, text: str, name: str = "routine.yaml") -> Path:
    """Write ``text`` to ``folder/name`` (making the folder) and return the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
