"""Home mode keeps members apart: the owner by default, ``--member NAME`` switches."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from support.app import make_settings
from support.clock import FakeClock

from trainer.adapters.store import SessionStore
from trainer.ui.app import TrainerApp
from trainer.ui.kiosk import KioskApp
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.session import SessionScreen


async def _start_and_record(app: TrainerApp) -> int | None:
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("space")  # the first tap starts the session: it is logged
        await pilot.pause()
        return app.screen.session.session_id


async def test_sessions_are_the_owners_unless_another_member_is_named(
    tmp_path: Path, clock: FakeClock
):
    settings = make_settings(tmp_path, clock)
    with SessionStore.open(settings.database_path) as store:
        ana = store.roster.add("Ana", created_at="2026-12-01T00:00:00+00:00")
        owner = store.roster.owner()
    owners = await _start_and_record(TrainerApp(settings, start_routine="quick-demo"))
    anas = await _start_and_record(
        TrainerApp(replace(settings, member="ana"), start_routine="quick-demo")
    )
    with SessionStore.open(settings.database_path) as store:
        assert [o.session.id for o in store.recent_sessions(who=owner.id)] == [owners]
        assert [o.session.id for o in store.recent_sessions(who=ana.id)] == [anas]


async def test_the_history_screen_shows_only_the_members_own_sessions(
    tmp_path: Path, clock: FakeClock
):
    settings = make_settings(tmp_path, clock)
    with SessionStore.open(settings.database_path) as store:
        store.roster.add("Ana", created_at="2026-12-01T00:00:00+00:00")
    await _start_and_record(TrainerApp(settings, start_routine="quick-demo"))  # the owner's
    app = TrainerApp(replace(settings, member="Ana"))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.sessions == [] and app.screen.checks == []


async def test_a_kiosk_guest_has_no_history(tmp_path: Path, clock: FakeClock):
    settings = make_settings(tmp_path, clock)
    await _start_and_record(TrainerApp(settings, start_routine="quick-demo"))  # the owner's
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "h")  # a tap: a guest; then the history key
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        assert app.notices[-1] == "Guests have no history: sign in to keep yours"
