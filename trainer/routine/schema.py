"""The JSON Schema of routine and library files, for editors (yaml-language-server).

pydantic generates the schema from the models; what the loader does before
validation is added by hand, so that the schema accepts what ``trainer
validate`` accepts:

* a step may be a reference to a library exercise (``use: id`` plus overrides,
  with or without a ``kind``), and ``use`` lists the library's ids so editors
  complete them;
* a file may be either a routine or an exercise library;
* shorthands: a cue may be plain text, a tempo ``3-1-1`` or a mapping in the
  order the rep runs, reps a range ``8-12``;
* the loader reads every value as text and converts it where a field wants a
  number or yes/no, so the schema takes ``"10"`` for an integer and ``yes``,
  ``on``, ``no`` ... for true/false, as pydantic does.

What the schema cannot say (a timed cue within its step's duration, a text
duration under an hour, an exercise id that a library really defines, rules
between fields) is left to ``trainer validate``; tests/routine/test_schema_agreement.py
lists each such case.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter

from trainer.routine.models import ID_PATTERN, STEP_MODELS, ExerciseLibrary, Routine

SCHEMA_ID = "https://trainer.invalid/routine.schema.json"

#: Text pydantic reads as true or false (lax mode), in any letter case.
_BOOL_WORDS = ("0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y", "yes")
_INT_TEXT = r"^\s*[-+]?\d+\s*$"
_NUMBER_TEXT = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"
_TEMPO_TEXT = r"^\s*\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{1,2}(\s*-\s*\d{1,2})?\s*$"
_PHASE = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": 10},
        {"type": "string", "pattern": r"^\s*(10|\d)\s*$"},
    ]
}


def routine_file_schema(exercise_ids: Iterable[str] = ()) -> dict[str, Any]:
    """One schema that accepts a routine file or an exercise library file.

    With ``exercise_ids``, ``use:`` must be one of them (editors complete them).
    """
    schema = TypeAdapter(Routine | ExerciseLibrary).json_schema(ref_template="#/$defs/{model}")
    defs = schema["$defs"]
    _accept_text_scalars(schema)
    step_kinds = sorted(name for name in defs if name.endswith("Step"))
    ids = sorted(set(exercise_ids))
    use: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}
    if ids:
        use = {"enum": ids, "description": "an exercise of the library"}
    defs["ExerciseReference"] = {
        "type": "object",
        "title": "ExerciseReference",
        "description": "A library exercise by id, with any of its fields overridden. "
        "`kind` changes the kind where the exercise allows it (its `also_as`).",
        "required": ["use"],
        "properties": {
            "use": use,
            **{
                name: field
                for kind in step_kinds
                for name, field in defs[kind].get("properties", {}).items()
                if name not in ("use", "kind")
            },
            "kind": {"enum": sorted(STEP_MODELS)},
        },
        "additionalProperties": False,
    }
    # The models accept these shorthands before validation; say so to editors.
    defs["CueObject"] = defs.pop("Cue")
    defs["Cue"] = {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/CueObject"}]}
    defs["Tempo"] = {
        "description": "seconds down-pause-up(-top), e.g. 3-1-1, or the phases in the order a "
        "rep runs, e.g. {up: 1, hold: 2, down: 3}",
        "anyOf": [
            {"type": "string", "pattern": _TEMPO_TEXT},
            {
                "type": "object",
                "properties": {
                    **{name: _PHASE for name in ("down", "pause", "up", "top", "hold")},
                    "start": {"enum": ["down", "up"]},
                },
                "additionalProperties": False,
                "minProperties": 1,
            },
        ],
    }
    steps = defs["Block"]["properties"]["steps"]
    steps["items"] = {"anyOf": [steps["items"], {"$ref": "#/$defs/ExerciseReference"}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "trainer routine or exercise library",
        **schema,
    }


def _accept_text_scalars(node: Any) -> None:
    """Let integer, number and boolean fields also take the text the loader converts."""
    if isinstance(node, list):
        for item in node:
            _accept_text_scalars(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _accept_text_scalars(value)
    kind = node.get("type")
    text: dict[str, Any] | None = None
    if kind == "boolean":
        text = {"type": "string", "pattern": "^(?i:" + "|".join(_BOOL_WORDS) + ")$"}
    elif kind == "integer":
        text = {"type": "string", "pattern": _INT_TEXT}
    elif kind == "number" and "exclusiveMinimum" not in node:  # durations say text themselves
        text = {"type": "string", "pattern": _NUMBER_TEXT}
    elif kind == "string" and not {"pattern", "enum", "const", "format"} & set(node):
        # Free text: `rpe: 7` or `name: 2024` is a number to an editor, text to the loader.
        node["type"] = ["string", "number", "boolean"]
    if text is not None:
        typed = {key: node.pop(key) for key in list(node) if key not in _ANNOTATIONS}
        node["anyOf"] = [typed, text]


_ANNOTATIONS = frozenset({"title", "description", "default", "examples"})


def routine_file_schema_json(exercise_ids: Iterable[str] = ()) -> str:
    return json.dumps(routine_file_schema(exercise_ids), indent=2, sort_keys=False)
