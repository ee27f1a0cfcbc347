"""The fleet inside the trainer: the sync thread, the admin line, the coach's assignments."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fleet_helpers import FleetServer, assert_exactly_once, train

sys.path.insert(0, str(Path(__file__).parent.parent / "ui"))
from support.app import make_settings
from support.clock import FakeClock

from trainer.adapters.store import SessionStore
from trainer.cli import build_parser
from trainer.commands._app_setup import app_settings
from trainer.fleet.link import FleetLink
from trainer.ui.app import TrainerApp


def test_no_server_means_no_fleet_at_all(tmp_path: Path) -> None:
    settings = app_settings(build_parser().parse_args(["run", "--data-dir", str(tmp_path)]))
    assert settings is not None and settings.background == ()


def test_a_configured_server_adds_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_FLEET_DSN", "host=/nowhere dbname=x user=k password=p")
    settings = app_settings(build_parser().parse_args(["run", "--data-dir", str(tmp_path)]))
    assert settings is not None
    (link,) = settings.background
    assert isinstance(link, FleetLink)
    assert link.describe() == "Fleet (x@/nowhere): no routine pack yet; sync not running"


@pytest.mark.postgres
async def test_the_app_syncs_on_its_own_thread(fleet: FleetServer, tmp_path: Path) -> None:
    kiosk = fleet.kiosk(tmp_path)
    link = FleetLink(kiosk.dsn, kiosk.open_store, tmp_path / "packs", interval=0.1)
    settings = replace(make_settings(tmp_path, FakeClock()), background=(link,))
    app = TrainerApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        assert app.core.store is not None
        train(app.core.store, sessions=2, moments=3)  # as the recorder would, on the UI thread
        deadline = time.monotonic() + 30
        while fleet.rows("SELECT count(*) FROM fleet.sessions") != [(2,)]:
            assert time.monotonic() < deadline, "the app never synced"
            await pilot.pause(0.1)
        while "synced" not in link.describe():
            assert time.monotonic() < deadline
            await pilot.pause(0.1)
    assert_exactly_once(fleet, kiosk)
    assert link._worker is None  # stopped with the app


async def test_the_coachs_assignments_come_first_in_the_picker(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, FakeClock())
    with SessionStore.open(settings.database_path) as store:
        owner = store.roster.owner()
        store.replace_assignments([(owner.uid, "squat-groove", 0), (owner.uid, "ankle-release", 1)])
    app = TrainerApp(settings)
    async with app.run_test():
        await app.until_ready()
        order = [choice.id for choice in app.core.routine_choices()]
    assert order[:2] == ["squat-groove", "ankle-release"]
    titles = [choice.title for choice in app.core.routine_choices()[2:]]
    assert titles == sorted(titles)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(None, "python"), ("binary", "binary")],
    ids=["the system's libpq", "PSYCOPG_IMPL wins"],
)
def test_the_kiosk_uses_the_systems_libpq_when_there_is_one(
    chosen: str | None, expected: str
) -> None:
    """Debian's libpq5 shares OpenSSL with Python's hashlib: less memory for the sync
    thread than psycopg-binary's own copies (benchmarks/fleet_scale.py measures both)."""
    import ctypes.util
    import os
    import subprocess

    if ctypes.util.find_library("pq") is None:
        pytest.skip("no system libpq (Debian's libpq5 comes with postgresql)")
    environment = {key: value for key, value in os.environ.items() if key != "PSYCOPG_IMPL"}
    if chosen is not None:
        environment["PSYCOPG_IMPL"] = chosen
    probe = (
        "from trainer.commands._app_setup import prefer_system_libpq\n"
        "prefer_system_libpq()\n"
        "import psycopg\n"
        "print(psycopg.pq.__impl__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == expected
