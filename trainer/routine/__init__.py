"""The routine file format: models, loading and validation.

Coaches write routines as YAML; :func:`load_catalog` reads a set of folders and
returns every good routine plus a precise, line-numbered :class:`Issue` for
every mistake, so one bad file never hides the good ones.
"""

from typing import TYPE_CHECKING

from trainer.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from trainer.routine.catalog import Catalog, LoadedRoutine, load_catalog, load_routine_file
    from trainer.routine.issues import Issue
    from trainer.routine.models import (
        Block,
        CheckStep,
        Cue,
        HoldStep,
        InstructionStep,
        RepsStep,
        RestStep,
        Routine,
        Step,
        Tempo,
        TimedStep,
    )

# Imported when first asked for, so importing one module of this package does
# not import them all (trainer.lazy_exports).
__getattr__ = lazy_exports(
    __name__,
    {
        "Catalog": "trainer.routine.catalog",
        "LoadedRoutine": "trainer.routine.catalog",
        "load_catalog": "trainer.routine.catalog",
        "load_routine_file": "trainer.routine.catalog",
        "Issue": "trainer.routine.issues",
        "Block": "trainer.routine.models",
        "CheckStep": "trainer.routine.models",
        "Cue": "trainer.routine.models",
        "HoldStep": "trainer.routine.models",
        "InstructionStep": "trainer.routine.models",
        "RepsStep": "trainer.routine.models",
        "RestStep": "trainer.routine.models",
        "Routine": "trainer.routine.models",
        "Step": "trainer.routine.models",
        "Tempo": "trainer.routine.models",
        "TimedStep": "trainer.routine.models",
    },
)

__all__ = [
    "Block",
    "Catalog",
    "CheckStep",
    "Cue",
    "HoldStep",
    "InstructionStep",
    "Issue",
    "LoadedRoutine",
    "RepsStep",
    "RestStep",
    "Routine",
    "Step",
    "Tempo",
    "TimedStep",
    "load_catalog",
    "load_routine_file",
]
