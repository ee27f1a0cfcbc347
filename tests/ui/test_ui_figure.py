"""The figure beside the countdown: still in holds, moving with the tempo, mirrored per side."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import app as app_support
from support.app import settle
from support.clock import FakeClock

from trainer.pose.render import Picture
from trainer.ui.app import TrainerApp
from trainer.ui.widgets.figure import Figure

SIZES = {"small": (80, 24), "large": (160, 48)}


def demo_app(tmp_path: Path, clock: FakeClock) -> TrainerApp:
    # Muted, so the flash for an unheard cue cannot race the pictures.
    settings = app_support.make_settings(tmp_path, clock, muted=True)
    return TrainerApp(settings, start_routine="quick-demo")


async def tick(pilot, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    pilot.app.screen.tick()
    await pilot.pause()


def figure_of(pilot) -> Figure:
    return pilot.app.screen.query_one("#figure", Figure)


@pytest.fixture(params=sorted(SIZES))
def size(request) -> tuple[int, int]:
    return SIZES[request.param]


# Quick demo: welcome, calf stretch left 6 s, switch 5 s, right 6 s, tempo squat 3-1-1.
async def _hold_left(pilot, clock: FakeClock) -> None:
    await pilot.press("space")  # start, then past the welcome
    await tick(pilot, clock, 4)


async def _hold_right(pilot, clock: FakeClock) -> None:
    await _hold_left(pilot, clock)
    for seconds in (2, 5, 3):  # end of left, the switch, into the right
        await tick(pilot, clock, seconds)


async def _squat_bottom(pilot, clock: FakeClock) -> None:
    await _hold_right(pilot, clock)
    await tick(pilot, clock, 3)  # the right side ends; the squat starts
    await tick(pilot, clock, 3.5)  # 3 s down, now in the 1 s pause at the bottom


def test_hold_left(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await _hold_left(pilot, clock)
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_hold_right(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await _hold_right(pilot, clock)
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_reps_at_the_bottom(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await _squat_bottom(pilot, clock)
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_linux_console_glyphs(snap_compare, tmp_path, clock, size, monkeypatch):
    monkeypatch.setenv("TERM", "linux")

    async def run_before(pilot):
        await pilot.app.until_ready()
        await _hold_left(pilot, clock)
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def _cells(picture: Picture | None) -> str:
    assert picture is not None, "no figure drawn"
    return picture.text


async def test_the_figure_holds_still_in_a_hold_and_mirrors_on_the_right(tmp_path, clock):
    app = demo_app(tmp_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        assert not figure_of(pilot).display, "no figure for the welcome instruction"
        await pilot.press("space")  # one tap starts, past the welcome
        await tick(pilot, clock, 1)
        left = _cells(figure_of(pilot).picture)
        await tick(pilot, clock, 3)
        assert _cells(figure_of(pilot).picture) == left, "a hold is drawn still"
        await tick(pilot, clock, 2)  # the switch shows the right side, ready
        switch = figure_of(pilot).picture
        assert switch is not None and switch.text != left
        assert switch.mirrored().text == left
        await tick(pilot, clock, 6)  # into the right side's hold
        assert _cells(figure_of(pilot).picture) == switch.text


async def test_the_figure_moves_with_the_tempo(tmp_path, clock):
    app = demo_app(tmp_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        for seconds in (6, 5, 6):
            await tick(pilot, clock, seconds)
        seen = []
        for _ in range(10):  # one 5 s rep, half a second at a time
            await tick(pilot, clock, 0.5)
            seen.append(_cells(figure_of(pilot).picture))
        assert seen[0] != seen[2], "moving down"
        assert seen[6] == seen[7], "still in the pause at the bottom"
        assert seen[6] != seen[0]
        assert seen[9] == seen[0] or seen[9] != seen[6], "back up"


async def test_no_figure_when_the_screen_is_too_small(tmp_path, clock):
    app = demo_app(tmp_path, clock)
    async with app.run_test(size=(56, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await tick(pilot, clock, 1)
        assert not figure_of(pilot).display


ALTERNATING = """\
title: Alternating lunges
summary: Reverse lunges, left and right in turn.
blocks:
  - name: Groove
    steps:
      - {use: reverse-lunge, sides: alternating, reps: 2, sets: 1, tempo: 2-1-1, rest: null}
"""


async def test_an_alternating_set_mirrors_the_figure_rep_by_rep(tmp_path, clock):
    from trainer import paths

    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "alternating-lunges.yaml").write_text(ALTERNATING, encoding="utf-8")
    settings = app_support.make_settings(
        tmp_path, clock, muted=True, folders=[paths.BUNDLED_ROUTINES_DIR, folder]
    )
    app = TrainerApp(settings, start_routine="alternating-lunges")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await tick(pilot, clock, 2.5)  # rep 1 (left side), in the pause at the bottom
        first = figure_of(pilot).picture
        await tick(pilot, clock, 4)  # rep 2 (right side), same moment of the rep
        second = figure_of(pilot).picture
        assert first is not None and second is not None
        assert second.text == first.mirrored().text != first.text


def test_start_strip(snap_compare, tmp_path, clock):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.pause()  # the start-up notice comes up first: then clear it
        await settle(pilot)

    app = demo_app(tmp_path, clock)
    assert snap_compare(app, terminal_size=SIZES["large"], run_before=run_before)


async def test_the_strip_shows_before_the_first_tap_where_there_is_room(tmp_path, clock):
    from trainer.ui.widgets.figure_strip import FigureStrip

    app = demo_app(tmp_path, clock)
    async with app.run_test(size=SIZES["large"]) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        strip = pilot.app.screen.query_one(FigureStrip)
        assert strip.display and len(strip.steps) == 3  # calf stretch, squat, knee-to-wall
        assert not figure_of(pilot).display
        await pilot.press("space")
        assert not strip.display
    app = demo_app(tmp_path, clock)
    async with app.run_test(size=SIZES["small"]) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert not pilot.app.screen.query_one(FigureStrip).display
