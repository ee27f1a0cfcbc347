"""The session screen redraws when what it shows changes, not on a poll (issue 18).

A hold's countdown and the time remaining change together, once a second; a
moving figure is redrawn as it moves; nothing is redrawn while paused or
before the start; a redraw in which only the clock moved draws the same as a
full one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.app import advance, make_settings
from support.clock import FakeClock
from textual.widgets import Static

from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import (
    FIGURE_FRAME_SECONDS,
    REDRAW_MARGIN_SECONDS,
    SessionScreen,
)
from trainer.ui.widgets.countdown import Countdown


def shown(screen: SessionScreen) -> tuple[str, str]:
    left = screen.query_one("#session-left", Static).render()
    return screen.query_one(Countdown).text, str(left)


def redraw_in(screen: SessionScreen) -> float | None:
    return screen.seconds_until_redraw(screen.session.last.snapshot)


# Quick demo (no count-in in tests): welcome, calf stretch left 6 s, switch 5 s,
# right 6 s, tempo squat 3-1-1.
async def test_a_hold_redraws_when_its_second_runs_out(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert redraw_in(screen) is None, "nothing moves before the first tap"
        await pilot.press("space")
        await advance(pilot, app, clock, 1.3)  # 4.7 s left of the hold
        countdown, remaining = shown(screen)
        assert countdown == "0:05"
        assert redraw_in(screen) == pytest.approx(0.7 + REDRAW_MARGIN_SECONDS)
        await advance(pilot, app, clock, 0.6)  # 4.1 s left: nothing shown changed
        assert shown(screen) == (countdown, remaining)
        await advance(pilot, app, clock, 0.1 + REDRAW_MARGIN_SECONDS)
        countdown_now, remaining_now = shown(screen)
        assert countdown_now == "0:04"
        assert remaining_now != remaining, "the time remaining changes with the countdown"


async def test_the_time_remaining_rounds_up_like_the_countdown(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        screen = app.screen
        await pilot.press("space")
        await advance(pilot, app, clock, 0.5)
        snapshot = screen.session.last.snapshot
        after = screen.session.plan.estimated_after(snapshot.index)
        assert snapshot.session_left == pytest.approx(5.5 + after)
        _, remaining = shown(screen)
        whole = int(6 + after)  # 5.5 s left of the hold shows as 0:06 on the countdown
        assert remaining == f"remaining {whole // 60}:{whole % 60:02d}"


async def test_nothing_is_redrawn_while_paused(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        screen = app.screen
        await pilot.press("space")
        await advance(pilot, app, clock, 1.5)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.session.last.snapshot.paused
        assert redraw_in(screen) is None
        assert screen._redraw_timer is None


async def test_a_moving_figure_is_redrawn_as_it_moves(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        screen = app.screen
        await pilot.press("space")
        for seconds in (6, 5, 6, 0.5):  # left, switch, right, half a second down
            await advance(pilot, app, clock, seconds)
        snapshot = screen.session.last.snapshot
        assert snapshot.tempo is not None and snapshot.tempo.phase == "down"
        assert redraw_in(screen) == pytest.approx(FIGURE_FRAME_SECONDS + REDRAW_MARGIN_SECONDS)
        await advance(pilot, app, clock, 2.9)  # in the pause at the bottom: still
        snapshot = screen.session.last.snapshot
        assert snapshot.tempo is not None and snapshot.tempo.phase == "pause"
        left = snapshot.tempo_left or 0.0
        assert redraw_in(screen) == pytest.approx(left + REDRAW_MARGIN_SECONDS)


async def test_a_redraw_of_the_clock_alone_draws_what_a_full_one_would(
    tmp_path: Path, clock: FakeClock
):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        screen = app.screen
        await pilot.press("space")
        for seconds in (6, 5, 6, 0.5):  # into the squats' first rep, on its way down
            await advance(pilot, app, clock, seconds)
        full = screen._drawn_timeless
        await advance(pilot, app, clock, 0.7)  # still on the way down: only the clock moved
        assert screen._drawn_timeless is full, "drawn by the clock-only path"
        ids = ("session-left", "phase", "step", "next", "legend", "cue")
        texts = {i: str(screen.query_one(f"#{i}", Static).render()) for i in ids}
        picture = screen.query_one("#figure").picture
        countdown = screen.query_one(Countdown).text
        screen._drawn_timeless = None  # forget what was drawn: draw it all again
        screen.draw(screen.session.last.snapshot)
        await pilot.pause()
        assert {i: str(screen.query_one(f"#{i}", Static).render()) for i in ids} == texts
        assert screen.query_one("#figure").picture == picture
        assert screen.query_one(Countdown).text == countdown
