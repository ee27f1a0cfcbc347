"""Test-wide isolation (no test reads or writes the real home, config or data folders),
and the fixtures every folder shares. Helpers live in the ``support`` package."""

from __future__ import annotations

import pytest
from support.clock import FakeClock


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in ("TRAINER_ROUTINES_DIR", "TRAINER_DATA_DIR", "TRAINER_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def clock() -> FakeClock:
    """A fake monotonic clock at 1000 s, moved by hand."""
    return FakeClock()
