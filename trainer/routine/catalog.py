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

import contextlib
import functools
import gc
import hashlib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from trainer import paths
from trainer.routine.errors import did_you_mean, indentation_hint, issues_from_validation
from trainer.routine.expansion import expansion_of
from trainer.routine.files import MAX_ENTRIES_PER_FOLDER, walk_yaml_files
from trainer.routine.files import MAX_FILES_PER_FOLDER as MAX_FILES_PER_FOLDER
from trainer.routine.files import YAML_SUFFIXES as YAML_SUFFIXES
from trainer.routine.files import find_yaml_files as find_yaml_files
from trainer.routine.issues import Issue, Position, RoutineFileError
from trainer.routine.models import ID_PATTERN, STEP_MODELS, Routine, Step
from trainer.routine.traps import may_have_traps, trap_warnings
from trainer.routine.yamlsafe import MAX_FILE_BYTES, MarkedDict, MarkedList, read_yaml

_STEP_ADAPTER: TypeAdapter[Step] = TypeAdapter(Step)
_ID = re.compile(ID_PATTERN)


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
class _Source:
    """A file to load, and the folder it was found under (for id clashes)."""

    path: Path
    origin: Path


@dataclass
class _Broken:
    """A library exercise that failed to load, and the routine steps that use it."""

    path: Path
    position: Position
    users: list[tuple[Path, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _LibraryEntry:
    raw: MarkedDict
    kind: str
    source: _Source


@dataclass
class Catalog:
    """Everything found: good routines by id, and issues by file."""

    routines: dict[str, LoadedRoutine] = field(default_factory=dict)
    issues_by_file: dict[Path, list[Issue]] = field(default_factory=dict)
    #: Traps in files that load anyway (see :mod:`trainer.routine.traps`).
    warnings_by_file: dict[Path, list[Issue]] = field(default_factory=dict)
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

    def exercise(self, exercise_id: str) -> Step | None:
        """A good library exercise by id, as a step; None if there is none."""
        entry = self.library.get(exercise_id)
        return None if entry is None else _STEP_ADAPTER.validate_python(entry.raw)

    def _add_issues(self, path: Path, issues: Iterable[Issue]) -> None:
        self.issues_by_file.setdefault(path, []).extend(issues)


def default_folders() -> list[Path]:
    """The bundled routines, the coach's pack (on a fleet kiosk), then the user's folder.

    Later folders win on id clashes: a pack overrides bundled routines, and a
    routine the box's owner put in the user folder overrides both.
    """
    return paths.routine_folders()


def _discover(folders: Sequence[Path], files: Sequence[Path], catalog: Catalog) -> list[_Source]:
    """Every YAML file once (by resolved path), with the folder it was found under."""
    sources: dict[Path, _Source] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        found, cut_short = walk_yaml_files(folder)
        if len(found) > MAX_FILES_PER_FOLDER:
            message = f"more than {MAX_FILES_PER_FOLDER} YAML files; only the first were read"
            catalog._add_issues(folder, [Issue(folder, 1, 1, "", message)])
            found = found[:MAX_FILES_PER_FOLDER]
        elif cut_short:
            message = (
                f"more than {MAX_ENTRIES_PER_FOLDER} files and folders; only the YAML files "
                "among the first were read"
            )
            catalog._add_issues(folder, [Issue(folder, 1, 1, "", message)])
        origin = folder.resolve()
        for path in found:
            sources.setdefault(path.resolve(), _Source(path, origin))
    for path in files:
        sources.setdefault(path.resolve(), _Source(path, path.resolve().parent))
    return list(sources.values())


def load_catalog(folders: Sequence[Path] | None = None, files: Sequence[Path] = ()) -> Catalog:
    """Load every routine and library in ``folders`` (default: bundled + user) and ``files``.

    Within one folder an id must be unique; across folders a later folder's
    routine or exercise replaces an earlier one's (the user's over the bundled).
    """
    catalog = Catalog()
    sources = _discover(default_folders() if folders is None else folders, files, catalog)
    catalog.files = [source.path for source in sources]

    with _collector_paused():
        _load_sources(sources, catalog)
    return catalog


def _load_sources(sources: Sequence[_Source], catalog: Catalog) -> None:
    """Libraries first, then routines; the work of :func:`load_catalog`.

    Every file is read the quick way (plain data, see :func:`read_yaml`) and a
    routine that loads cleanly from it is done. A file with anything to report,
    and every library (whose exercises keep their positions for the routines
    that use them), is read again the careful way, with positions, and judged by
    the same code as before, so every issue still names its line and column.
    """
    routine_files: list[tuple[_Source, dict[str, Any]]] = []
    broken: dict[str, _Broken] = {}
    for source in sources:
        path = source.path
        catalog.issues_by_file.setdefault(path, [])
        data = _read(path, catalog, marked=False)
        if not isinstance(data, dict) or _is_library(data):
            # Read with positions: a library's exercises keep theirs for the
            # routines that use them; anything else is refused where it stands.
            data = data if data is _UNREADABLE else _read(path, catalog)
        if data is _UNREADABLE:
            continue
        if not isinstance(data, dict):
            position = getattr(data, "position", None) or Position(path, 1, 1)
            catalog._add_issues(path, [Issue.at(position, "", _NOT_A_ROUTINE)])
        elif isinstance(data, MarkedDict) and _is_library(data):
            catalog._add_issues(path, _load_library(source, data, catalog.library, broken))
        else:
            routine_files.append((source, data))

    origins: dict[str, Path] = {}
    for source, data in routine_files:
        quick = not isinstance(data, MarkedDict)
        loaded = _quick_routine(source.path, data, catalog) if quick else None
        issues: list[Issue] = []
        if loaded is None:
            marked = data if isinstance(data, MarkedDict) else _read(source.path, catalog)
            if not isinstance(marked, MarkedDict):
                continue  # changed since the quick read, and now unreadable: issue added
            data = marked
            loaded, issues, warnings = _load_routine(source.path, marked, catalog.library, broken)
            catalog.warnings_by_file[source.path] = warnings
        if loaded is not None:
            clash = catalog.routines.get(loaded.id)
            if clash is not None and origins[loaded.id] == source.origin:
                position = _position_of_id(source.path, data)
                message = f"routine id '{loaded.id}' is already used by {clash.path}; rename one"
                issues.append(Issue.at(position, "id", message))
            else:
                catalog.routines[loaded.id] = loaded
                origins[loaded.id] = source.origin
        catalog._add_issues(source.path, issues)
    _name_the_users_of_broken_exercises(catalog, broken)


_UNREADABLE = object()


def _is_library(data: dict[str, Any]) -> bool:
    return "exercises" in data and "blocks" not in data


def _read(path: Path, catalog: Catalog, *, marked: bool = True) -> Any:
    """``path``'s data (see :func:`read_yaml`), or :data:`_UNREADABLE` with the issue added."""
    try:
        return read_yaml(path, marked=marked)
    except RoutineFileError as error:
        catalog._add_issues(path, [_with_indentation_hint(error.issue)])
        return _UNREADABLE


def _position_of_id(path: Path, data: dict[str, Any]) -> Position:
    if not isinstance(data, MarkedDict):
        try:
            data = read_yaml(path)
        except RoutineFileError:
            return Position(path, 1, 1)
        if not isinstance(data, MarkedDict):
            return Position(path, 1, 1)
    return data.value_positions.get("id", data.position)


_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a catalog loads.

    Loading builds a few hundred thousand objects that all stay alive (the
    routines), which makes the collector scan the growing heap again and again
    for nothing: with 1,000 routine files that was over half of the loading
    time. What loading builds holds no reference cycles to leave behind, so
    nothing is lost; the collector is back on (if it was on) as soon as the
    last concurrent load ends.
    """
    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_enabled:
                gc.enable()


def _with_indentation_hint(issue: Issue) -> Issue:
    if not issue.message.startswith("YAML syntax"):
        return issue
    try:
        with issue.path.open("rb") as handle:  # a regular file: read_yaml checked it
            text = handle.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return issue
    hint = indentation_hint(text, issue.line)
    return replace(issue, message=issue.message + hint) if hint else issue


def _name_the_users_of_broken_exercises(catalog: Catalog, broken: dict[str, _Broken]) -> None:
    """Say in a bad library exercise's own issues which routines use it."""
    for exercise_id, entry in broken.items():
        if not entry.users:
            continue
        users = ", ".join(sorted({f"{path.name}:{line}" for path, line in entry.users}))
        issues = catalog.issues_by_file.get(entry.path, [])
        for index, issue in enumerate(issues):
            if issue.field.startswith(f"exercises.{exercise_id}"):
                issues[index] = replace(issue, message=f"{issue.message} (used by {users})")


_NOT_A_ROUTINE = (
    "expected a routine (a mapping with title, summary and blocks) or an "
    "exercise library (a mapping with exercises)"
)


def library_beside(path: Path) -> list[Path]:
    """The ``exercises/`` folder beside a lone routine file, which it may ``use:``."""
    folder = path.parent / "exercises"
    return [folder] if path.parent.name != "exercises" and folder.is_dir() else []


def load_routine_file(
    path: Path, folders: Sequence[Path] | None = None
) -> tuple[LoadedRoutine | None, list[Issue]]:
    """Load one routine file, resolving ``use:`` against the libraries in ``folders``."""
    catalog = load_catalog(folders, files=[path])
    loaded = catalog.find(str(path))
    return loaded, catalog.issues_by_file.get(path, [])


def _load_library(
    source: _Source,
    data: MarkedDict,
    library: dict[str, _LibraryEntry],
    broken: dict[str, _Broken],
) -> list[Issue]:
    """Add the good exercises of one library file to ``library``; return the problems."""
    issues = [
        Issue.at(
            data.key_positions[key],
            key,
            f"unknown field '{key}' in an exercise library; a library holds only `exercises:`",
        )
        for key in data
        if key != "exercises"
    ]
    exercises = data["exercises"]
    if not isinstance(exercises, MarkedDict) or not exercises:
        message = "expected a mapping of exercise ids to exercises"
        return [*issues, Issue.at(data.value_positions["exercises"], "exercises", message)]
    for exercise_id, raw in exercises.items():
        field_name = f"exercises.{exercise_id}"
        existing = library.get(exercise_id)
        problem = None
        if not _ID.match(exercise_id):
            problem = "is not a valid id; use lower-case letters, digits and dashes"
            position = exercises.key_positions[exercise_id]
        elif not isinstance(raw, MarkedDict):
            problem = "should be a mapping describing the exercise"
            position = exercises.value_positions[exercise_id]
        elif "use" in raw:
            problem = "cannot `use:` another exercise; write it out in full"
            position = raw.key_positions["use"]
        elif existing is not None and existing.source.origin == source.origin:
            problem = f"is already defined in {existing.source.path}"
            position = exercises.key_positions[exercise_id]
        if problem is not None:
            issues.append(Issue.at(position, field_name, f"'{exercise_id}' {problem}"))
            continue
        try:
            _STEP_ADAPTER.validate_python(raw)
        except ValidationError as error:
            issues.extend(issues_from_validation(error, raw, None, ("exercises", exercise_id)))
            position = exercises.key_positions[exercise_id]
            broken.setdefault(exercise_id, _Broken(source.path, position))
            continue
        library[exercise_id] = _LibraryEntry(raw, str(raw["kind"]), source)
    return issues


def _load_routine(
    path: Path,
    data: MarkedDict,
    library: dict[str, _LibraryEntry],
    broken: dict[str, _Broken],
) -> tuple[LoadedRoutine | None, list[Issue], list[Issue]]:
    """The routine in ``data`` if valid, its errors, and its warnings (traps)."""
    issues: list[Issue] = []
    unresolved: set[tuple[int, int]] = set()
    for block_index, steps, step_index in _steps_that_use(data):
        step = steps[step_index]
        merged, problem = _resolve_use(step, library, broken)
        if merged is None:
            where = f"blocks[{block_index}].steps[{step_index}]"
            issues.append(Issue.at(step.value_positions["use"], f"{where}.use", problem))
            issues += _unknown_fields(step, where)
            unresolved.add((block_index, step_index))
        else:
            steps[step_index] = merged
    if "id" not in data:
        data = _with_default_id(data, path)
    try:
        routine = Routine.model_validate(data)
    except ValidationError as error:
        for issue in issues_from_validation(error, data, Routine):
            # A step whose `use:` failed already has its issues; don't pile on.
            if not any(issue.field.startswith(f"blocks[{b}].steps[{s}]") for b, s in unresolved):
                issues.append(_naming_the_user(issue, path, data))
        issues += _cue_issues_hidden_by_field_errors(issues, data)
        return None, sorted(issues, key=lambda issue: issue.sort_key), []
    if issues:
        return None, issues, []
    too_big = expansion_of(routine).over_limits()
    if too_big:
        position = data.value_positions.get("blocks", data.position)
        return None, [Issue.at(position, "blocks", problem) for problem in too_big], []
    return LoadedRoutine(routine, path, _digest(routine)), [], trap_warnings(routine, data, path)


def _digest(routine: Routine) -> str:
    return hashlib.sha256(routine.model_dump_json().encode()).hexdigest()


def _steps_that_use(data: dict[str, Any]) -> Iterator[tuple[int, list[Any], int]]:
    """Each step with ``use:`` as (its block's index, its list of steps, its index there)."""
    blocks = data.get("blocks")
    for block_index, block in enumerate(blocks if isinstance(blocks, list) else ()):
        steps = block.get("steps") if isinstance(block, dict) else None
        if not isinstance(steps, list):
            continue
        for step_index, step in enumerate(steps):
            if isinstance(step, dict) and "use" in step:
                yield block_index, steps, step_index


def _quick_routine(path: Path, data: dict[str, Any], catalog: Catalog) -> LoadedRoutine | None:
    """The routine in plain ``data`` when it loads with nothing to say; None otherwise.

    None sends the file the careful way (:func:`_load_routine`), which finds
    and places whatever there is to say: a ``use:`` that does not resolve, a
    validation error, limits exceeded, or a possible trap (whose warning needs
    positions). The routine it returns is the one that way would return.
    """
    for _, steps, step_index in _steps_that_use(data):
        step = steps[step_index]
        exercise_id = step["use"]
        entry = catalog.library.get(exercise_id) if isinstance(exercise_id, str) else None
        if entry is None:
            return None
        keys, _ = _inherited_keys(exercise_id, entry, step)
        if keys is None:
            return None
        steps[step_index] = {**{key: entry.raw[key] for key in keys}, **step}
    if "id" not in data:
        data = {**data, "id": _default_id(path)}
    try:
        routine = Routine.model_validate(data)
    except ValidationError:
        return None
    if expansion_of(routine).over_limits() or may_have_traps(routine):
        return None
    catalog.warnings_by_file[path] = []
    return LoadedRoutine(routine, path, _digest(routine))


_STEP_FIELDS = frozenset(name for model in STEP_MODELS.values() for name in model.model_fields)
_STEP_AT = re.compile(r"^blocks\[(\d+)\]\.steps\[(\d+)\]")


def _cue_issues_hidden_by_field_errors(issues: list[Issue], data: MarkedDict) -> list[Issue]:
    """When's of cues in steps that failed for another reason, so they come in the same pass.

    pydantic checks a step's cues against its duration only once every field of
    the step is valid; a coach fixing a typo would then meet the cue error next
    time. Here the fields that do validate are taken one by one and the cue rule
    of the step's own model (:meth:`_cue_problem`) is applied to them.
    """
    failed = {match.groups() for issue in issues if (match := _STEP_AT.match(issue.field))}
    found: list[Issue] = []
    for block_index, step_index in sorted(failed):
        try:
            raw = data["blocks"][int(block_index)]["steps"][int(step_index)]
            model = STEP_MODELS[raw["kind"]]
        except (KeyError, IndexError, TypeError):
            continue
        where = f"blocks[{block_index}].steps[{step_index}]"
        if any(issue.field.startswith(f"{where}.cues") for issue in issues):
            continue  # the cues already have their say
        step = model.model_construct(**_fields_that_validate(model, raw))
        cues = raw.get("cues")
        for index, cue in enumerate(getattr(step, "cues", [])):
            try:
                problem = step._cue_problem(cue)
            except (AttributeError, TypeError):
                continue  # a field the rule needs did not validate: nothing to compare with
            if problem is not None and isinstance(cues, MarkedList):
                node = cues[index]
                field, message = problem
                position = (
                    node.value_positions.get(field, cues.item_positions[index])
                    if isinstance(node, MarkedDict)
                    else cues.item_positions[index]
                )
                found.append(Issue.at(position, f"{where}.cues[{index}].{field}", message))
    return found


@functools.cache  # a handful of (model, field) pairs: built once, not once per bad step
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    field_type: Any = info.annotation
    if info.metadata:
        field_type = Annotated.__class_getitem__((field_type, *info.metadata))  # type: ignore[attr-defined]
    return TypeAdapter(field_type)


def _fields_that_validate(model: type[BaseModel], raw: MarkedDict) -> dict[str, Any]:
    """The fields of ``raw`` that are valid on their own, validated as ``model`` would."""
    values: dict[str, Any] = {}
    for name in model.model_fields:
        if name not in raw:
            continue
        adapter = _field_adapter(model, name)
        try:
            values[name] = adapter.validate_python(raw[name])
        except ValidationError:
            continue
    return values


def _unknown_fields(step: MarkedDict, where: str) -> list[Issue]:
    """Misspelt fields of a step whose ``use:`` failed, so they show in the same pass."""
    return [
        Issue.at(
            step.key_positions[key],
            f"{where}.{key}",
            f"unknown field '{key}'{did_you_mean(key, _STEP_FIELDS)}",
        )
        for key in step
        if key not in _STEP_FIELDS
    ]


def _naming_the_user(issue: Issue, path: Path, data: MarkedDict) -> Issue:
    """An issue found in a library file says which step of this routine pulled it in."""
    match = _STEP_AT.match(issue.field)
    if issue.path == path or match is None:
        return issue
    try:
        step = data["blocks"][int(match.group(1))]["steps"][int(match.group(2))]
        position = step.value_positions["use"]
    except (KeyError, IndexError, TypeError, AttributeError):
        return issue
    users = f"library exercise '{step['use']}' as used by {path}:{position.line}"
    return replace(issue, message=f"{issue.message} (in {users})")


def _resolve_use(
    step: MarkedDict, library: dict[str, _LibraryEntry], broken: dict[str, _Broken]
) -> tuple[MarkedDict | None, str]:
    """The library exercise named by ``use:`` with ``step``'s fields laid over it."""
    exercise_id = step["use"]
    if not isinstance(exercise_id, str):
        return None, "expected the id of a library exercise"
    entry = library.get(exercise_id)
    if entry is None and exercise_id in broken:
        bad = broken[exercise_id]
        bad.users.append((step.position.path, step.value_positions["use"].line))
        return None, (
            f"exercise '{exercise_id}' has problems in its library file "
            f"({bad.path}:{bad.position.line}); fix them there"
        )
    if entry is None:
        hint = did_you_mean(exercise_id, library) or (
            " (no exercise library was found)" if not library else ""
        )
        return None, f"unknown exercise '{exercise_id}'{hint}"
    keys, problem = _inherited_keys(exercise_id, entry, step)
    if keys is None:
        return None, problem
    merged = MarkedDict.empty_at(step.position)
    merged.copy_from(entry.raw, keys)
    merged.copy_from(step)
    return merged, ""


def _inherited_keys(
    exercise_id: str, entry: _LibraryEntry, step: dict[str, Any]
) -> tuple[list[str] | None, str]:
    """The fields of library exercise ``entry`` that ``step`` takes on, or None and why not."""
    kind = step.get("kind", entry.kind)
    if kind == entry.kind:
        return list(entry.raw), ""
    allowed = _also_as(entry.raw)
    if kind not in allowed:
        also = f"; it may be used as: {', '.join(allowed)}" if allowed else ""
        return None, (
            f"'{exercise_id}' is a {entry.kind} step and cannot be used as {kind}{also} "
            f"(a library lists the other kinds an exercise allows in `also_as:`)"
        )
    # Keep what the new kind understands (name, how, cues, sides...), drop the rest.
    fields = STEP_MODELS[str(kind)].model_fields if kind in STEP_MODELS else {}
    return [key for key in entry.raw if key in fields and key != "also_as"], ""


def _also_as(raw: MarkedDict) -> list[str]:
    kinds = raw.get("also_as")
    return [str(kind) for kind in kinds] if isinstance(kinds, list) else []


def _default_id(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:64] or "routine"


def _with_default_id(data: MarkedDict, path: Path) -> MarkedDict:
    with_id = MarkedDict.empty_at(data.position)
    with_id.copy_from(data)
    with_id["id"] = _default_id(path)
    with_id.key_positions["id"] = with_id.value_positions["id"] = data.position
    return with_id
