"""The floor of validation: libyaml's C loader and pydantic, nothing else.

What validation cannot go below: no position tracking, no safety checks, no
issues collected, ``use:`` merged by hand; every file must come out valid.
``validation.py`` runs it in-process, and as a command
(``python validation_floor.py FOLDER``) against ``trainer validate FOLDER``, so
both pay for an interpreter and their imports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from trainer import paths
from trainer.routine.models import Routine


def validate_floor(folder: Path) -> int:
    """How many of ``folder``'s files validate (with the bundled exercise library)."""
    library: dict[str, dict[str, object]] = {}
    for path in sorted(paths.BUNDLED_ROUTINES_DIR.rglob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        if isinstance(data, dict) and "exercises" in data:
            library.update(data["exercises"])
    valid = 0
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        for block in data["blocks"]:
            block["steps"] = [
                {**library[step["use"]], **{k: v for k, v in step.items() if k != "use"}}
                if "use" in step
                else step
                for step in block["steps"]
            ]
        Routine.model_validate(data)
        valid += 1
    return valid


if __name__ == "__main__":
    print(f"{validate_floor(Path(sys.argv[1]))} files OK")
