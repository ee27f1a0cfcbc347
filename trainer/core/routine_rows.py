"""The picker's rows, and the per-file cache that paints them before anything is validated.

Reading and validating routines needs YAML and pydantic, about half of the
trainer's start-up. The picker does not wait for them: :class:`RoutineRowCache`
keeps, for every routine file found last time, its path, modification time
and size, the rows it gave (title, time, focus) and its problems, under the
program's version. At start the files are listed and stat-ed (no file is
read), and the rows of every file whose path, time and size still match are
shown at once. The catalog is then validated after the first paint; its
rows replace the cached ones and are written back. A changed or new file is
shown once it has been validated again; a removed one is gone.

This module imports the standard library only. A cache that is missing,
unreadable, corrupt or from another version counts as empty; a cache that
cannot be written is skipped. Neither ever stops the trainer.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer import __version__
from trainer.routine.files import MAX_FILES_PER_FOLDER, find_yaml_files

log = logging.getLogger(__name__)

#: Bumped when the layout of the cache file changes.
CACHE_FORMAT = 1
CACHE_NAME = "routine-rows.json"
#: How the rows' times were planned, when with the default options (see ``read``).
DEFAULT_PLAN = "default"
#: A cache bigger than this is not ours (2,000 files a folder at most): ignored.
MAX_CACHE_BYTES = 16_000_000


@dataclass(frozen=True)
class RoutineChoice:
    """One routine as the picker lists it (plain data: a cached row is one too)."""

    id: str
    title: str
    path: Path
    focus: tuple[str, ...]
    estimated_seconds: float
    approximate: bool
    #: The date it was last finished; None: never (or no history).
    last_done: str | None = None


@dataclass(frozen=True)
class CachedRoutines:
    """What the cache holds for the files found now."""

    #: Rows of the files that are unchanged since the cache was written, in picker order.
    choices: list[RoutineChoice]
    #: Problems of those files, as ``trainer validate`` words them.
    problems: list[str]
    #: How many of those files have problems.
    bad_files: int
    #: Every file found is in the cache unchanged, and no other.
    complete: bool


#: Routines with this focus tag are for trying the trainer: the picker lists them first.
DEMO_FOCUS = "demo"


def picker_order(choice: RoutineChoice) -> tuple[bool, str]:
    """The picker's order: a demo first (the routine for trying the pedal), then by title.
    (A coach's assignments go before both: :meth:`TrainerCore.routine_choices`.)"""
    return DEMO_FOCUS not in choice.focus, choice.title


Signature = tuple[int, int]  # modification time (ns), size


def _signature(path: Path) -> Signature | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def signatures(files: Iterable[Path]) -> dict[Path, Signature | None]:
    """Each file's time and size now (None: gone), taken *before* it is validated."""
    return {path: _signature(path) for path in files}


def routine_files(folders: Sequence[Path], files: Sequence[Path] = ()) -> list[Path]:
    """Every file the catalog would read, as it names them (unresolved, first found wins)."""
    found: dict[Path, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in find_yaml_files(folder)[:MAX_FILES_PER_FOLDER]:
                found.setdefault(path.resolve(), path)
    for path in files:
        found.setdefault(path.resolve(), path)
    return list(found.values())


def _row(choice: RoutineChoice) -> dict[str, Any]:
    return {
        "id": choice.id,
        "title": choice.title,
        "focus": list(choice.focus),
        "seconds": choice.estimated_seconds,
        "approximate": choice.approximate,
    }


def _choice(row: Any, path: Path) -> RoutineChoice:
    focus = row["focus"]
    if not isinstance(focus, list):
        raise TypeError("focus")
    return RoutineChoice(
        id=str(row["id"]),
        title=str(row["title"]),
        path=path,
        focus=tuple(str(item) for item in focus),
        estimated_seconds=float(row["seconds"]),
        approximate=bool(row["approximate"]),
    )


class RoutineRowCache:
    """The rows each routine file gave last time, in ``folder`` (see the module's doc)."""

    def __init__(self, folder: Path, version: str = __version__) -> None:
        self.file = folder / CACHE_NAME
        self.version = version

    def _data(self) -> dict[str, Any]:
        try:
            with self.file.open("rb") as handle:
                data = json.loads(handle.read(MAX_CACHE_BYTES + 1))
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != CACHE_FORMAT
            or data.get("version") != self.version
            or not isinstance(data.get("files"), dict)
        ):
            return {}
        return data

    def read(self, files: Iterable[Path], plan: str | None = None) -> CachedRoutines:
        """The cached rows of ``files`` that are unchanged (see :func:`routine_files`).

        ``plan`` names how times were planned (the switch time, say): rows planned
        otherwise count as changed. None (the first paint, before the settings are
        read) takes them as they are: validation corrects them a moment later.
        """
        data = self._data()
        if plan is not None and data.get("plan") != plan:
            data = {}
        entries: dict[str, Any] = data.get("files", {})
        choices: list[RoutineChoice] = []
        others = data.get("other_issues", [])
        problems = [str(issue) for issue in others] if isinstance(others, list) else []
        bad_files = 0
        complete = True
        seen = 0
        for path in files:
            entry = entries.get(str(path))
            signature = _signature(path)
            try:
                if not isinstance(entry, dict) or signature is None:
                    raise KeyError(str(path))
                if (entry["mtime_ns"], entry["size"]) != signature:
                    raise KeyError(str(path))
                rows = [_choice(row, path) for row in entry["routines"]]
                issues = [str(issue) for issue in entry["issues"]]
            except (KeyError, TypeError, ValueError):
                complete = False  # changed, new, or a damaged entry: validated after the paint
                continue
            seen += 1
            choices.extend(rows)
            problems.extend(issues)
            bad_files += bool(issues)
        complete = complete and seen == len(entries)  # a removed file leaves one behind
        choices.sort(key=picker_order)
        return CachedRoutines(choices, problems, bad_files, complete)

    def write(
        self,
        before: dict[Path, Signature | None],
        choices: Iterable[RoutineChoice],
        issues_by_file: dict[Path, list[str]],
        plan: str = "",
    ) -> None:
        """Remember the files of ``before`` (from :func:`signatures`, taken before the
        catalog was loaded) with the rows and problems the catalog gave them.

        A file changed while it was being validated keeps the time and size it had
        before, so the next start validates it again.
        """
        rows: dict[Path, list[dict[str, Any]]] = {}
        for choice in choices:
            rows.setdefault(choice.path, []).append(_row(choice))
        entries = {
            str(path): {
                "mtime_ns": signature[0],
                "size": signature[1],
                "routines": rows.get(path, []),
                "issues": issues_by_file.get(path, []),
            }
            for path, signature in before.items()
            if signature is not None
        }
        others = [
            issue for path, found in issues_by_file.items() if path not in before for issue in found
        ]
        data = {
            "format": CACHE_FORMAT,
            "version": self.version,
            "plan": plan,
            "files": entries,
            "other_issues": others,
        }
        partial = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(data), encoding="utf-8")
            os.replace(partial, self.file)
        except OSError as error:
            log.info("routine row cache not written (%s): the next start validates first", error)
            partial.unlink(missing_ok=True)
