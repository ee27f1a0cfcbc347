"""A step's media link on the session screen: a QR code a phone reads, never over the
name, side or countdown, and gone where it does not fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from support.app import make_settings
from support.clock import FakeClock
from support.qr import cells_of_strips, modules_from_cells, write_png, zbar_read
from textual.geometry import Region

from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen
from trainer.ui.widgets.figure import Figure
from trainer.ui.widgets.media_code import MediaCode

LINK = "https://example.org/calf-stretch"
LONG_LINK = "https://videos.example.com/coach/knees/calf-stretch-against-the-wall-knee-straight-v2"


def _routine(tmp_path: Path, media: str) -> Path:
    path = tmp_path / "media.yaml"
    path.write_text(
        "title: Media\nsummary: One stretch with a video.\nsafety: Stop on sharp pain.\n"
        "blocks:\n  - name: Knees\n    steps:\n"
        "      - use: calf-wall-stretch\n"
        f"        media: {media}\n"
        "      - kind: hold\n        name: Plain hold\n        duration: 20s\n"
    )
    return path


async def _running(pilot, app: TrainerApp) -> SessionScreen:
    await pilot.pause()
    await pilot.press("space")  # start: the wall sit runs
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SessionScreen)
    return screen


def _region(screen: SessionScreen, selector: str) -> Region:
    return screen.query_one(selector).region


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_code_scans_and_leaves_name_side_and_time_whole(
    tmp_path: Path, clock: FakeClock, size: tuple[int, int]
):
    routine = _routine(tmp_path, LINK)
    settings = replace(make_settings(tmp_path, clock), routine_files=(routine,))
    app = TrainerApp(settings, start_routine=str(routine))
    async with app.run_test(size=size) as pilot:
        screen = await _running(pilot, app)
        media = screen.query_one(MediaCode)
        assert media.display and media.code is not None
        shown = media.region
        assert shown.height == media.code.height + 1  # the whole code and its caption
        for selector in ("#step", "#countdown", "#phase", "#where", "#session-left"):
            region = _region(screen, selector)
            assert region.width and not region.overlaps(shown), selector
        app.save_screenshot(str(tmp_path / "media.svg"))
        code = media.code
        # What the widget draws on screen, cell by cell (the caption is the last line).
        strips = media.render_lines(Region(0, 0, code.width, code.height))
        modules = modules_from_cells([row[: code.width] for row in cells_of_strips(strips)])
        assert modules[: code.modules] == [list(row) for row in code.matrix]
        png = write_png(modules, tmp_path / "screen-code.png")
        assert zbar_read(png) == LINK
        if size == (160, 48):  # room for the figure too
            assert screen.query_one(Figure).display


async def test_a_code_too_big_for_the_screen_is_not_drawn(tmp_path: Path, clock: FakeClock):
    routine = _routine(tmp_path, LONG_LINK)
    settings = replace(make_settings(tmp_path, clock), routine_files=(routine,))
    app = TrainerApp(settings, start_routine=str(routine))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _running(pilot, app)
        assert not screen.query_one(MediaCode).display
        assert screen.query_one(Figure).display  # the figure keeps its room
    app = TrainerApp(settings, start_routine=str(routine))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _running(pilot, app)
        assert screen.query_one(MediaCode).display


async def test_a_path_in_the_folder_and_the_next_step_show_no_code(
    tmp_path: Path, clock: FakeClock
):
    routine = _routine(tmp_path, "media/calf-stretch.mp4")
    settings = replace(make_settings(tmp_path, clock), routine_files=(routine,))
    app = TrainerApp(settings, start_routine=str(routine))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _running(pilot, app)
        assert not screen.query_one(MediaCode).display  # a phone cannot open a file here


async def test_the_code_goes_while_paused_and_with_its_step(tmp_path: Path, clock: FakeClock):
    routine = _routine(tmp_path, LINK)
    settings = replace(make_settings(tmp_path, clock), routine_files=(routine,))
    app = TrainerApp(settings, start_routine=str(routine))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _running(pilot, app)
        media = screen.query_one(MediaCode)
        assert media.display
        await pilot.press("escape")  # pause
        await pilot.pause()
        assert screen.session.last.snapshot.paused and not media.display
        await pilot.press("escape")  # resume
        await pilot.pause()
        assert media.display
        await pilot.press("s")  # skip to the plain hold
        await pilot.pause()
        assert screen.session.last.snapshot.moment.title == "Plain hold"
        assert not media.display
