"""A problem found in a routine file, pinned to a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple


class Position(NamedTuple):
    """Where a YAML node starts: 1-based line and column in ``path``.

    A named tuple rather than a dataclass: the reader makes one for every key and
    value of every file, and tuples are the cheapest immutable records.
    """

    path: Path
    line: int
    column: int


@dataclass(frozen=True)
class Issue:
    """One mistake: ``file:line:col: field.path: message``.

    ``field`` is the dotted path of the offending field (``blocks[0].steps[2].duration``),
    empty for problems with the file as a whole. A ``warning`` (a trap: valid,
    but probably not meant) never stops a file from loading; it prints as
    ``file:line:col: field: warning: message``.
    """

    path: Path
    line: int
    column: int
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    @classmethod
    def at(
        cls,
        position: Position,
        field: str,
        message: str,
        severity: Literal["error", "warning"] = "error",
    ) -> Issue:
        return cls(position.path, position.line, position.column, field, message, severity)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.line, self.column, self.field)


class RoutineFileError(Exception):
    """A file could not be read as data at all; carries the one issue that says why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue
