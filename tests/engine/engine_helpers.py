"""Builders for routines in code, and a driver that runs a session on a fake clock."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

# The engine driver is shared with the store's tests; these names stay importable here.
from support.engine import CUE_TYPES as CUE_TYPES
from support.engine import T0 as T0
from support.engine import Driver as Driver
from support.engine import Emitted as Emitted

from trainer.engine.plan import Plan, PlanOptions, build_plan
from trainer.engine.session import Session
from trainer.engine.settings import CueRules, EngineSettings
from trainer.routine.models import Routine


def routine(*steps: dict[str, Any], side_order: str = "left-first", **extra: Any) -> Routine:
    """A one-block routine of the given step dicts."""
    return Routine.model_validate(
        {
            "id": "test-routine",
            "title": "Test routine",
            "summary": "For tests.",
            "side_order": side_order,
            "blocks": [{"name": "Main", "steps": list(steps)}],
            **extra,
        }
    )


def hold(name: str = "Hold", duration: float = 45, **fields: Any) -> dict[str, Any]:
    return {"kind": "hold", "name": name, "duration": duration, **fields}


def reps(name: str = "Reps", count: int = 5, **fields: Any) -> dict[str, Any]:
    return {"kind": "reps", "name": name, "reps": count, **fields}


def rest(duration: float = 20, **fields: Any) -> dict[str, Any]:
    return {"kind": "rest", "duration": duration, **fields}


def timed(name: str = "Plank", work: float = 30, **fields: Any) -> dict[str, Any]:
    return {"kind": "timed", "name": name, "work": work, **fields}


def instruction(text: str = "Get a mat.", **fields: Any) -> dict[str, Any]:
    return {"kind": "instruction", "name": "Setup", "text": text, **fields}


def check(test: str = "aslr", **fields: Any) -> dict[str, Any]:
    return {"kind": "check", "name": "Leg raise", "test": test, **fields}


def thirty_minute_routine() -> Routine:
    """About 30 minutes of auto-advancing work: holds, tempo reps, timed sets, rests."""
    cycle = [
        hold(
            "Soleus wall stretch", 60, sides="each", cues=["Heel down", {"text": "Knee", "at": 20}]
        ),
        hold("Couch stretch", 45, sides="each"),
        rest(30),
        reps("Glute bridge", 8, sets=3, tempo="3-1-1", rest=30, advance="auto", sides="each"),
        timed("Side plank", 40, sets=2, rest=20, sides="each"),
        hold("Pigeon", 90, cues=[{"text": "Breathe", "at": 45.5}]),
    ]
    return routine(*(cycle * 2), hold("Childs pose", 120))


def plan_of(*steps: dict[str, Any], options: PlanOptions | None = None, **extra: Any) -> Plan:
    return build_plan(routine(*steps, **extra), options)


#: Settings without the lead-in, so a moment's work starts the moment it is entered
#: and times in these tests read straight off the plan (the lead-in has its own tests).
NO_LEAD_IN = EngineSettings(cues=CueRules(count_in_seconds=0))


def new_driver(plan: Plan, settings: EngineSettings | None = None, **kwargs: Any) -> Driver:
    return Driver(Session(plan, settings or NO_LEAD_IN, **kwargs))


def jittery(seed: int, most: float) -> Callable[[], float]:
    generator = random.Random(seed)
    return lambda: generator.uniform(0.0, most)
