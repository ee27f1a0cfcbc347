"""The JSON Schema of routine and library files, for editors (yaml-language-server).

pydantic generates the schema from the models; two things are added by hand
because the loader does them before validation: a step may be a reference to a
library exercise (``use: id`` plus overrides, with no ``kind``), and a file may
be either a routine or an exercise library.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from trainer.routine.models import ExerciseLibrary, Routine

SCHEMA_ID = "https://trainer.invalid/routine.schema.json"


def routine_file_schema() -> dict[str, Any]:
    """One schema that accepts a routine file or an exercise library file."""
    schema = TypeAdapter(Routine | ExerciseLibrary).json_schema(ref_template="#/$defs/{model}")
    defs = schema["$defs"]
    step_kinds = sorted(name for name in defs if name.endswith("Step"))
    defs["ExerciseReference"] = {
        "type": "object",
        "title": "ExerciseReference",
        "description": "A library exercise by id, with any of its fields overridden.",
        "required": ["use"],
        "properties": {
            "use": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"},
            **{
                name: field
                for kind in step_kinds
                for name, field in defs[kind].get("properties", {}).items()
                if name != "use"
            },
        },
        "additionalProperties": False,
    }
    # The models accept these shorthands before validation; say so to editors.
    defs["CueObject"] = defs.pop("Cue")
    defs["Cue"] = {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/CueObject"}]}
    defs["Tempo"] = {
        "type": "string",
        "pattern": r"^\s*\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{1,2}(\s*-\s*\d{1,2})?\s*$",
        "description": "seconds down-pause-up(-top), e.g. 3-1-1",
    }
    steps = defs["Block"]["properties"]["steps"]
    steps["items"] = {"anyOf": [steps["items"], {"$ref": "#/$defs/ExerciseReference"}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "trainer routine or exercise library",
        **schema,
    }


def routine_file_schema_json() -> str:
    return json.dumps(routine_file_schema(), indent=2, sort_keys=False)
