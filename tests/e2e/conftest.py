"""What the end-to-end tests share: the installed command's environment, and the
terminals a test opens (closed after it, whatever happened)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.terminal import ROUTINE, Terminal


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """The variables ``trainer`` runs with: its folders in ``tmp_path``, a routines
    folder holding :data:`ROUTINE`, and a config with silent sound and a 1 s switch."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "tiny.yaml").write_text(ROUTINE)
    config = tmp_path / "config.toml"
    config.write_text('[engine]\nswitch_seconds = 1\n\n[audio]\nbackend = "silent"\n')
    return {
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "TRAINER_DATA_DIR": str(tmp_path / "data"),
        "TRAINER_ROUTINES_DIR": str(routines),
        "TRAINER_CONFIG": str(config),
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Append each :class:`Terminal` opened; they are all closed after the test."""
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()
