"""Finding, reading and validating routine and exercise-library files.

A folder of routines may hold two kinds of YAML file, told apart by their
top-level key:

* a **routine** has ``blocks:``;
* an **exercise library** has ``exercises:``, a mapping of id to step, which
  routines reference with ``use: id`` and override field by field.

:func:`load_catalog` reads the bundled routines and the user's folder; every
problem becomes an :class:`~trainer.routine.issues.Issue` attached to the file it
was found in, and a bad file never stops the others from loading.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from trainer import paths
from trainer.routine.errors import did_you_mean, issues_from_validation
from trainer.routine.issues import Issue, RoutineFileError
from trainer.routine.models import Routine, Step
from trainer.routine.yamlsafe import MarkedDict, MarkedList, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")
#: Folders with more files than this are not a routine collection (a mistaken path).
MAX_FILES_PER_FOLDER = 2000
_STEP_ADAPTER: TypeAdapter[Step] = TypeAdapter(Step)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class LoadedRoutine:
    """A valid routine, where it came from, and a digest of its resolved content.

    The digest covers library exercises too, so a session log can tell that a
    routine changed even when only a shared exercise did.
    """

    routine: Routine
    path: Path
    digest: str

    @property
    def id(self) -> str:
        assert self.routine.id is not None
        return self.routine.id


@dataclass(frozen=True)
class _LibraryEntry:
    raw: MarkedDict
    kind: str
    path: Path


@dataclass
class Catalog:
    """Everything found: good routines by id, and issues by file."""

    routines: dict[str, LoadedRoutine] = field(default_factory=dict)
    issues_by_file: dict[Path, list[Issue]] = field(default_factory=dict)
    library: dict[str, _LibraryEntry] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [issue for issues in self.issues_by_file.values() for issue in issues]

    @property
    def bad_files(self) -> list[Path]:
        return [path for path, issues in self.issues_by_file.items() if issues]

    def find(self, name: str) -> LoadedRoutine | None:
        """A routine by id, or by the path of its file."""
        if name in self.routines:
            return self.routines[name]
        wanted = Path(name).expanduser().resolve()
        return next((r for r in self.routines.values() if r.path.resolve() == wanted), None)

    def _add_issues(self, path: Path, issues: Iterable[Issue]) -> None:
        self.issues_by_file.setdefault(path, []).extend(issues)


def default_folders() -> list[Path]:
    """The bundled routines, then the user's folder (later folders win on id clashes)."""
    return [paths.BUNDLED_ROUTINES_DIR, paths.user_routines_dir()]


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


def load_catalog(folders: Sequence[Path] | None = None, files: Sequence[Path] = ()) -> Catalog:
    """Load every routine and library in ``folders`` (default: bundled + user) and ``files``."""
    catalog = Catalog()
    all_files: list[Path] = []
    for folder in default_folders() if folders is None else folders:
        if folder.is_dir():
            found = find_yaml_files(folder)
            if len(found) > MAX_FILES_PER_FOLDER:
                catalog._add_issues(
                    folder,
                    [
                        Issue(
                            folder,
                            1,
                            1,
                            "",
                            (
                                f"more than {MAX_FILES_PER_FOLDER} YAML files; only the first "
                                f"{MAX_FILES_PER_FOLDER} were read"
                            ),
                        )
                    ],
                )
                found = found[:MAX_FILES_PER_FOLDER]
            all_files.extend(found)
    all_files.extend(path for path in files if path not in all_files)
    catalog.files = all_files

    routine_files: list[tuple[Path, MarkedDict]] = []
    for path in all_files:
        catalog.issues_by_file.setdefault(path, [])
        try:
            data = read_yaml(path)
        except RoutineFileError as error:
            catalog._add_issues(path, [error.issue])
            continue
        if not isinstance(data, MarkedDict):
            position = getattr(data, "position", None)
            line, column = (position.line, position.column) if position else (1, 1)
            catalog._add_issues(
                path,
                [
                    Issue(
                        path,
                        line,
                        column,
                        "",
                        (
                            "expected a routine (a mapping with title, summary and blocks) or an "
                            "exercise library (a mapping with exercises)"
                        ),
                    )
                ],
            )
        elif "exercises" in data and "blocks" not in data:
            catalog._add_issues(path, _load_library(path, data, catalog.library))
        else:
            routine_files.append((path, data))

    for path, data in routine_files:
        loaded, issues = _load_routine(path, data, catalog.library)
        if loaded is not None:
            clash = catalog.routines.get(loaded.id)
            if clash is not None and clash.path.parent == path.parent:
                issues.append(
                    Issue.at(
                        data.value_positions.get("id", data.position),
                        "id",
                        f"routine id '{loaded.id}' is already used by {clash.path}; rename one",
                    )
                )
            else:
                catalog.routines[loaded.id] = loaded  # a user routine replaces a bundled one
        catalog._add_issues(path, issues)
    return catalog


def load_routine_file(
    path: Path, folders: Sequence[Path] | None = None
) -> tuple[LoadedRoutine | None, list[Issue]]:
    """Load one routine file, resolving ``use:`` against the libraries in ``folders``."""
    catalog = load_catalog(folders, files=[path])
    loaded = catalog.find(str(path))
    return loaded, catalog.issues_by_file.get(path, [])


def _load_library(path: Path, data: MarkedDict, library: dict[str, _LibraryEntry]) -> list[Issue]:
    issues: list[Issue] = []
    for key in data:
        if key != "exercises":
            issues.append(
                Issue.at(
                    data.key_positions[key],
                    key,
                    (
                        f"unknown field '{key}' in an exercise library; a library holds only "
                        "`exercises:`"
                    ),
                )
            )
    exercises = data["exercises"]
    if not isinstance(exercises, MarkedDict) or not exercises:
        return [
            *issues,
            Issue.at(
                data.value_positions["exercises"],
                "exercises",
                ("expected a mapping of exercise ids to exercises"),
            ),
        ]
    for exercise_id, raw in exercises.items():
        where = ("exercises", exercise_id)
        if not _ID.match(exercise_id):
            issues.append(
                Issue.at(
                    exercises.key_positions[exercise_id],
                    f"exercises.{exercise_id}",
                    f"'{exercise_id}' is not a valid id; use lower-case letters, digits and dashes",
                )
            )
            continue
        if not isinstance(raw, MarkedDict):
            issues.append(
                Issue.at(
                    exercises.value_positions[exercise_id],
                    f"exercises.{exercise_id}",
                    "expected a mapping describing the exercise",
                )
            )
            continue
        if "use" in raw:
            issues.append(
                Issue.at(
                    raw.key_positions["use"],
                    f"exercises.{exercise_id}.use",
                    "a library exercise cannot `use:` another; write it out in full",
                )
            )
            continue
        try:
            _STEP_ADAPTER.validate_python(raw)
        except ValidationError as error:
            issues.extend(issues_from_validation(error, raw, None, where))
            continue
        existing = library.get(exercise_id)
        if existing is not None and existing.path.parent == path.parent:
            issues.append(
                Issue.at(
                    exercises.key_positions[exercise_id],
                    f"exercises.{exercise_id}",
                    f"exercise id '{exercise_id}' is already defined in {existing.path}",
                )
            )
            continue
        library[exercise_id] = _LibraryEntry(raw, str(raw["kind"]), path)
    return issues


def _load_routine(
    path: Path, data: MarkedDict, library: dict[str, _LibraryEntry]
) -> tuple[LoadedRoutine | None, list[Issue]]:
    issues: list[Issue] = []
    unresolved: set[tuple[int, int]] = set()
    blocks = data.get("blocks")
    if isinstance(blocks, MarkedList):
        for block_index, block in enumerate(blocks):
            steps = block.get("steps") if isinstance(block, MarkedDict) else None
            if not isinstance(steps, MarkedList):
                continue
            for step_index, step in enumerate(steps):
                if not (isinstance(step, MarkedDict) and "use" in step):
                    continue
                merged, problem = _resolve_use(step, library)
                if merged is None:
                    field_name = f"blocks[{block_index}].steps[{step_index}].use"
                    issues.append(Issue.at(step.value_positions["use"], field_name, problem))
                    unresolved.add((block_index, step_index))
                else:
                    steps[step_index] = merged
    if "id" not in data:
        data = _with_default_id(data, path)
    try:
        routine = Routine.model_validate(data)
    except ValidationError as error:
        for issue in issues_from_validation(error, data, Routine):
            # A step whose `use:` failed already has its issue; don't pile on.
            if not any(issue.field.startswith(f"blocks[{b}].steps[{s}]") for b, s in unresolved):
                issues.append(issue)
        return None, sorted(issues, key=lambda issue: issue.sort_key)
    if issues:
        return None, issues
    digest = hashlib.sha256(routine.model_dump_json().encode()).hexdigest()
    return LoadedRoutine(routine, path, digest), []


def _resolve_use(
    step: MarkedDict, library: dict[str, _LibraryEntry]
) -> tuple[MarkedDict | None, str]:
    """The library exercise named by ``use:`` with ``step``'s fields laid over it."""
    exercise_id = step["use"]
    if not isinstance(exercise_id, str):
        return None, "expected the id of a library exercise"
    entry = library.get(exercise_id)
    if entry is None:
        hint = did_you_mean(exercise_id, library) or (
            " (no exercise library was found)" if not library else ""
        )
        return None, f"unknown exercise '{exercise_id}'{hint}"
    if "kind" in step and step["kind"] != entry.kind:
        return None, (
            f"'{exercise_id}' is a {entry.kind} step; a routine cannot change its kind "
            f"to {step['kind']} (write a new step instead)"
        )
    merged = MarkedDict.empty_at(step.position)
    merged.copy_from(entry.raw)
    merged.copy_from(step)
    return merged, ""


def _with_default_id(data: MarkedDict, path: Path) -> MarkedDict:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:64] or "routine"
    with_id = MarkedDict.empty_at(data.position)
    with_id.copy_from(data)
    with_id["id"] = slug
    with_id.key_positions["id"] = with_id.value_positions["id"] = data.position
    return with_id
