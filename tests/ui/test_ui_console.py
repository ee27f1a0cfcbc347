"""The Linux console (TERM=linux): plain digits instead of box-drawing ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.app import advance, make_settings
from support.clock import FakeClock
from textual.widgets import Digits, Static

from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import MIN_TIMER_SECONDS
from trainer.ui.widgets.countdown import Countdown


@pytest.mark.parametrize(("term", "big"), [("linux", False), ("xterm-256color", True)])
async def test_countdown_falls_back_to_plain_text_on_the_linux_console(
    term: str, big: bool, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TERM", term)
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await advance(pilot, app, clock, 1.5)
        countdown = app.screen.query_one(Countdown)
        assert countdown.text == "0:05"
        assert countdown.mode == ("digits" if big else "plain")
        assert countdown.query_one("#digits", Digits).display is big
        if not big:
            assert countdown.query_one("#plain", Static).render().plain == "0:05"


async def test_cues_flash_the_screen_and_ring_the_bell_when_nothing_can_be_heard(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    from dataclasses import replace

    settings = make_settings(tmp_path, clock)
    settings = replace(settings, audio=settings.audio.model_copy(update={"bell": True}))
    app = TrainerApp(settings, start_routine="quick-demo")
    rings = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")  # the hold starts: a start tone nobody hears
        for _ in range(100):
            if rings:
                break
            await pilot.pause(0.02)
        assert app.core.audio is not None and app.core.audio.is_silent
        assert rings and app.screen.has_class("flash")


async def test_the_highlighted_answer_follows_each_tap(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        for seconds in (6, 5, 6, 15):  # both calf sides, then the squats' tempo runs out
            await advance(pilot, app, clock, seconds)
        await pilot.press("space")
        await advance(pilot, app, clock, 6)
        await pilot.press("space")
        await advance(pilot, app, clock, 5)
        await advance(pilot, app, clock, 6)
        await pilot.press("space")  # the check's answer moment

        def highlighted() -> list[str]:
            content = app.screen.query_one("#answer").render()
            return [
                content.plain[span.start : span.end].strip()
                for span in content.spans
                if getattr(span.style, "reverse", False)
            ]

        assert highlighted() == []
        await pilot.press("space")
        assert highlighted() == ["1 LEFT TIGHTER"]
        await pilot.press("space")
        assert highlighted() == ["2 EVEN"]


async def test_a_deadline_already_passed_still_ticks_the_session(tmp_path: Path, clock: FakeClock):
    # The clock passed the hold's end before the screen scheduled its next tick
    # (a GC pause, a slow commit): the tick must still come, without any input.
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        assert app.screen.session.last.snapshot.moment.side == "left"
        clock.advance(7)  # the 6 s hold is over
        app.screen._schedule_tick(0.0)  # what a step taken at that moment asks for
        timer = app.screen._deadline_timer
        # Textual never fires set_timer(0): the screen must ask for a little more.
        assert timer is not None and timer._interval >= MIN_TIMER_SECONDS
        for _ in range(50):
            await pilot.pause(0.02)
            if app.screen.session.last.snapshot.moment.kind == "switch":
                break
        assert app.screen.session.last.snapshot.moment.kind == "switch"


async def test_arrow_keys_move_the_picker_selection(tmp_path: Path, clock: FakeClock):
    from trainer.ui.screens.picker import PickerScreen

    app = TrainerApp(make_settings(tmp_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("down", "down")
        assert app.screen.selected == 2
        await pilot.press("up")
        assert app.screen.selected == 1
        await pilot.press("enter")  # Quick demo comes first, then by title
        assert app.screen.session.plan.routine_id == "ankle-release"
