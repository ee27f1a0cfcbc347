"""Routine files, catalogs and stores for the session-log tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from support.routines import write_routine as write_routine_text

from trainer.adapters.store import SessionStore
from trainer.routine.catalog import Catalog, load_catalog

ROUTINE_ID = "crash-test"


def routine_data(steps: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Crash test",
        "summary": "A routine for session-log tests.",
        "blocks": [{"name": "Main", "steps": steps or default_steps()}],
        **extra,
    }


def default_steps() -> list[dict[str, Any]]:
    """Forty-odd short auto moments, with side switches and a rest."""
    steps: list[dict[str, Any]] = []
    for number in range(12):
        steps.append({"kind": "hold", "name": f"Hold {number}", "duration": 2, "sides": "each"})
        if number % 4 == 3:
            steps.append({"kind": "rest", "duration": 2})
    return steps


def write_routine(folder: Path, data: dict[str, Any] | None = None) -> Path:
    text = yaml.safe_dump(data or routine_data(), sort_keys=False)
    return write_routine_text(folder, text, f"{ROUTINE_ID}.yaml")


def catalog_of(folder: Path) -> Catalog:
    catalog = load_catalog([folder])
    assert not catalog.issues, catalog.issues
    return catalog


def open_store(path: Path, **kwargs: Any) -> SessionStore:
    return SessionStore.open(path, **kwargs)
