"""The routine file format: models, loading and validation.

Coaches write routines as YAML; :func:`load_catalog` reads a set of folders and
returns every good routine plus a precise, line-numbered :class:`Issue` for
every mistake, so one bad file never hides the good ones.
"""

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
