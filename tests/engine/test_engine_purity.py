"""The engine stays pure: no UI, GPIO, audio or database code inside it."""

from __future__ import annotations

import ast
from pathlib import Path

import trainer.engine

FORBIDDEN = ("textual", "gpiozero", "lgpio", "simpleaudio", "sqlite3", "time", "asyncio")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_engine_modules_import_no_adapters_and_read_no_clock():
    folder = Path(trainer.engine.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert len(modules) >= 9
    for module in modules:
        bad = imported_modules(module) & set(FORBIDDEN)
        assert not bad, f"{module.name} imports {bad}"
