"""`trainer schema` says what `trainer validate` says, on both corpora.

Files are read the way an editor's YAML 1.2 language server reads them (``yes``
stays text, ``10`` is a number) and checked with a real JSON Schema validator.
Every valid file (bundled routines and libraries, the coach routines, the
format tour) passes the schema; every broken file the schema can judge fails
it. The few mistakes only the loader can see are listed with the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from trainer.cli import main
from trainer.routine.catalog import default_folders, load_catalog
from trainer.routine.issues import RoutineFileError
from trainer.routine.schema import routine_file_schema
from trainer.routine.yamlsafe import read_yaml

TESTS = Path(__file__).parents[1]
BROKEN = TESTS / "routine" / "broken"
VALID_FOLDERS = [
    default_folders()[0],
    TESTS / "routines_content" / "coach",
    TESTS / "routine" / "valid",
]

#: Broken files the schema cannot judge, and why only the loader can.
LOADER_ONLY = {
    "absurd-duration": "a text duration over 1 hour ('45m' meant as 45s)",
    "cue-too-late": "a timed cue must fall within its step's duration",
    "rep-cue-beyond-reps": "a rep cue must name a rep the set has",
    "rep-cue-without-tempo": "a rep cue needs the step's tempo",
    "tempo-phase-out-of-range": "a text tempo's phases are checked as numbers (11 > 10)",
    "tempo-out-of-order": "the order of a tempo mapping's phases",
    "check-one-side-asks-which": "sides and record together decide what a check may ask",
    "override-changes-kind": "the kinds a library exercise allows (its also_as)",
    "timed-cue-on-reps": "an at: cue on a reps step needs the step's tempo",
    "rep-range-backwards": "the low end of a range comes first",
    "media-outside-folder": "a media path must stay inside the routines folder",
    "alternating-hold": "alternating sides only on reps steps",
    "library-error-named": "the error is inside a library file the routine uses",
}

_INT = re.compile(r"[-+]?\d+")
_FLOAT = re.compile(r"[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?")


def as_yaml12(value: Any) -> Any:
    """Plain data as a YAML 1.2 core-schema reader (yaml-language-server) would type it."""
    if isinstance(value, dict):
        return {key: as_yaml12(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_yaml12(item) for item in value]
    if isinstance(value, str):
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


def _validator() -> jsonschema.Draft202012Validator:
    ids = load_catalog(VALID_FOLDERS).library
    schema = routine_file_schema(ids)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


VALID_FILES = sorted(path for folder in VALID_FOLDERS for path in folder.rglob("*.yaml"))


def test_valid_corpus_loads_cleanly():
    catalog = load_catalog(VALID_FOLDERS)
    assert catalog.issues == []
    assert {"hinge-circuit", "ankle-recheck", "format-v2"} <= set(catalog.routines)


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda path: path.stem)
def test_schema_accepts_every_valid_file(path: Path):
    data = as_yaml12(read_yaml(path))
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in _validator().iter_errors(data)
    ]
    assert errors == []


BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda path: path.stem)
def test_schema_rejects_what_validate_rejects(path: Path, capsys):
    status = main(["validate", str(path)])  # the validator's side
    out = capsys.readouterr().out
    try:
        data = read_yaml(path)
    except RoutineFileError:
        assert status == 1
        return  # not data at all: no schema gets to see it
    accepted = not list(_validator().iter_errors(as_yaml12(data)))
    if path.stem.startswith("trap-"):  # a trap is valid, with a warning
        assert status == 0 and ": warning: " in out
        assert accepted, f"the schema refuses {path.name}, which validate accepts"
        return
    assert status == 1
    if path.stem in LOADER_ONLY:
        assert accepted, f"{path.stem} is listed as loader-only, but the schema rejects it"
    else:
        assert not accepted, f"the schema accepts {path.name}, which validate refuses"


def test_use_lists_the_library_ids():
    schema = routine_file_schema(["glute-bridge", "knee-to-wall"])
    reference = schema["$defs"]["ExerciseReference"]["properties"]
    assert reference["use"] == {
        "enum": ["glute-bridge", "knee-to-wall"],
        "description": "an exercise of the library",
    }
    assert reference["kind"]["enum"] == ["check", "hold", "instruction", "reps", "rest", "timed"]


def test_schema_command_lists_bundled_exercise_ids(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    ids = schema["$defs"]["ExerciseReference"]["properties"]["use"]["enum"]
    assert {"single-leg-rdl", "glute-bridge", "knee-to-wall", "soleus-wall-stretch"} <= set(ids)


@pytest.mark.parametrize(
    ("snippet", "both_accept"),
    [
        ("{use: glute-bridge, kind: reps, reps: 12}", True),
        ("{kind: check, test: aslr, name: A, rating: yes}", True),
        ("{kind: check, test: aslr, name: A, rating: maybe}", False),
        ("{kind: hold, name: H, duration: 45 secs}", False),
        ("{kind: hold, name: H, duration: 45S}", True),
        ("{kind: hold, name: H, duration: 1m 30s}", True),
        ("{kind: hold, name: H, duration: 1 2}", False),
        ("{kind: reps, name: R, reps: 8-12}", True),
        ("{kind: reps, name: R, reps: '10'}", True),
        ("{kind: reps, name: R, reps: 10, tempo: {up: 1, hold: 2, down: 3}}", True),
        ("{kind: reps, name: R, reps: 10, tempo: {up: 1, hold: 11}}", False),
        ("{kind: reps, name: R, reps: 10, tempo: 3-1-1, sets: 3, rest: 20s}", True),
    ],
)
def test_schema_and_validator_agree_on_edge_cases(
    snippet: str, both_accept: bool, tmp_path: Path, capsys
):
    path = tmp_path / "edge.yaml"
    path.write_text(f"title: T\nsummary: S\nblocks:\n  - name: A\n    steps:\n      - {snippet}\n")
    validates = main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    accepted = not list(_validator().iter_errors(as_yaml12(read_yaml(path))))
    assert (validates, accepted) == (both_accept, both_accept), out
