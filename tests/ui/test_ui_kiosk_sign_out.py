"""A member signs out by hand on the kiosk's picker, by pedal or key, and the next
visitor sees nothing of theirs."""

from __future__ import annotations

import logging
from pathlib import Path

from support.app import Foot, make_settings, pedal_on
from support.clock import FakeClock

from trainer.adapters.store.database import SessionStore
from trainer.core.sign_in import Scanned
from trainer.ui.kiosk import KioskApp, KioskPickerScreen
from trainer.ui.screens.attract import AttractScreen
from trainer.ui.screens.history import HistoryScreen

ROUTINE = """\
title: Calf only
summary: A short one.
blocks:
  - name: Release
    steps:
      - {kind: hold, name: Calf, duration: 30s}
"""
BADGE = "0004417723"


def kiosk_with_ana(
    tmp_path: Path, clock: FakeClock, pedal: str = "none", pedal_clock: FakeClock | None = None
) -> KioskApp:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "calf.yaml").write_text(ROUTINE)
    store = SessionStore.open(tmp_path / "history.sqlite3")
    ana = store.roster.add("Ana", badge=BADGE, created_at="2026-01-01T08:00:00")
    session = store.start_session(  # Ana trained before: her picker shows when
        routine_id="calf",
        digest="d",
        title="Calf only",
        plan_size=1,
        started_at="2026-01-01T08:00:00",
        member_id=ana.id,
    )
    store.finish_session(session, "finished", "2026-01-01T08:01:00")
    store.close()
    factories = pedal_on(pedal_clock) if pedal_clock is not None else None
    return KioskApp(
        make_settings(tmp_path, clock, pedal=pedal, folders=[folder]), factories=factories
    )


async def scan_badge(pilot) -> None:
    # As the attract screen posts a scan (key timing has tests of its own).
    assert isinstance(pilot.app.screen, AttractScreen)
    pilot.app.screen.post_message(AttractScreen.SignIn(Scanned(BADGE)))
    await pilot.pause()


def cards(app: KioskApp) -> list[str]:
    return [str(card.render()) for card in app.screen.query("#cards > .card")]


async def test_a_member_signs_out_with_the_pedal_and_the_next_visitor_sees_nothing(
    tmp_path: Path, clock: FakeClock, caplog
):
    caplog.set_level(logging.INFO)
    pedal_clock = FakeClock()
    app = kiosk_with_ana(tmp_path, clock, pedal="mock", pedal_clock=pedal_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        await scan_badge(pilot)
        picker = app.screen
        assert isinstance(picker, KioskPickerScreen) and picker.greeting == "Hello, Ana"
        assert "Calf only" in cards(app)[0] and "last done never" not in cards(app)[0]
        assert cards(app)[-1].startswith("Sign out")
        foot = Foot(pilot, app, pedal_clock)
        await foot.tap()  # past the routine, to the sign-out card
        assert picker.selected == 1
        await foot.long_press()  # hold: sign out
        assert isinstance(app.screen, AttractScreen)
        assert app.core.member is None and app.desk.visitor is None
        assert "signed out (by hand, on the picker)" in caplog.text
        await foot.tap()  # the next visitor, a guest
        assert isinstance(app.screen, KioskPickerScreen)
        assert app.screen.greeting == "Training as a guest"
        assert "last done" not in cards(app)[0]  # not Ana's last time: a guest has none
        assert not app.screen.query("#sign-out")  # a guest has nothing to sign out of


async def test_esc_signs_a_member_out_and_a_new_member_sees_only_their_own(
    tmp_path: Path, clock: FakeClock
):
    app = kiosk_with_ana(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        await scan_badge(pilot)
        assert isinstance(app.screen, KioskPickerScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AttractScreen) and app.core.member is None
        await pilot.press("space")  # a guest
        await pilot.pause()
        assert "last done" not in cards(app)[0]  # a guest has no "last done", so none of Ana's
        await pilot.press("h")  # history: none for a guest, so nothing of Ana's either
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_routines_reloaded_while_the_sign_out_card_is_chosen(
    tmp_path: Path, clock: FakeClock
):
    app = kiosk_with_ana(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        await scan_badge(pilot)
        picker = app.screen
        assert isinstance(picker, KioskPickerScreen)
        await pilot.press("space")  # the sign-out card
        assert picker.on_sign_out_card and picker.selected_routine is None
        await picker.refresh_choices(app.core.routine_choices(), 0)  # the folder watch
        await pilot.pause()
        assert cards(app)[-1].startswith("Sign out") and len(cards(app)) == 2
        assert app.recovered_errors == 0
