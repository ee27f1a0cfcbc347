"""Guidance for someone listening, not watching: start screen, lead-in, how, block notes,
and ending a session with the pedal alone. Driven by the real mock pedal where the
pedal matters, on a fake clock."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from support.app import Foot, advance, make_settings, pedal_on, settle
from support.clock import FakeClock

from trainer.adapters.store.database import SessionStore
from trainer.engine.snapshot import SessionState
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen


def text_of(app: TrainerApp, widget_id: str) -> str:
    widget = app.screen.query_one(f"#{widget_id}")
    return widget.render().plain if widget.display else ""


BUNDLED = sorted(path.stem for path in (Path(__file__).parents[2] / "routines").glob("*.yaml"))


def screen_text(app: TrainerApp) -> str:
    """What the terminal shows, row after row (from the SVG screenshot's text)."""
    svg = app.export_screenshot(simplify=True)
    return "".join(html.unescape(part) for part in re.findall(r"<text[^>]*>(.*?)</text>", svg))


def squeezed(text: str) -> str:
    """Text without spaces and box lines, so words wrapped over rows still match."""
    return re.sub(r"[\s\u2500-\u257f]", "", text)


def snapshot_of(app: TrainerApp):
    assert isinstance(app.screen, SessionScreen)
    return app.screen.session.last.snapshot


async def test_the_start_screen_shows_the_safety_note_and_one_tap_starts(
    tmp_path: Path, clock: FakeClock
):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="ankle-release")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.app.until_ready()
        start = text_of(app, "start")
        assert start.startswith("Ankle release")
        assert "Planned time: about" in start and "You need: wall" in start
        assert "Safety: Get cleared by a physiotherapist" in start
        assert "Shoes off" in start  # the opening instruction, which the tap passes
        assert text_of(app, "countdown") == ""  # nothing else competes with it
        assert snapshot_of(app).state is SessionState.READY
        await pilot.press("space")  # one tap: acknowledged, the first exercise starts
        assert snapshot_of(app).state is SessionState.RUNNING
        assert text_of(app, "start") == ""
        # The first block's note shows as its work begins, the how under the name.
        assert text_of(app, "note").startswith("Soft tissue first")
        assert text_of(app, "how").startswith("Stand by a wall")


@pytest.mark.parametrize("routine_id", BUNDLED)
async def test_the_whole_safety_note_is_on_an_80x24_start_screen(
    tmp_path: Path, clock: FakeClock, routine_id: str
):
    # A hands-free user cannot scroll: at 80x24 the start text was cut off before
    # (or in the middle of) the safety note in five of the seven bundled routines.
    app = TrainerApp(make_settings(tmp_path, clock), start_routine=routine_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert app.screen.query_one("#start").display
        safety = app.screen.session.plan.routine.safety
        assert squeezed(f"Safety: {safety}") in squeezed(screen_text(app))


async def test_the_how_stays_in_view_through_the_step_and_the_lead_in_counts_down(
    tmp_path: Path, clock: FakeClock
):
    app = TrainerApp(make_settings(tmp_path, clock, count_in=3), start_routine="quick-demo")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")  # one tap starts, past the welcome
        snapshot = snapshot_of(app)
        assert snapshot.lead_in_left is not None  # name, side, "three, two, one, go"
        assert "get ready" in text_of(app, "phase")
        how = text_of(app, "how")
        assert how.startswith("Hands on a wall")
        await advance(pilot, app, clock, snapshot.lead_in_left + 3)
        assert snapshot_of(app).lead_in_left is None
        assert snapshot_of(app).moment_left == 3  # 3 s of the 6 s hold are gone
        assert text_of(app, "how") == how  # still there while working
        assert text_of(app, "cue")  # with the cue said most recently


async def test_ending_a_session_by_pedal_alone_is_confirmed_and_logged_as_ended_early(
    tmp_path: Path, clock: FakeClock
):
    pedal_clock = FakeClock()
    app = TrainerApp(
        make_settings(tmp_path, clock, pedal="mock"),
        start_routine="quick-demo",
        factories=pedal_on(pedal_clock),
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.until_ready()
        foot = Foot(pilot, app, pedal_clock)
        await foot.tap()  # start
        await foot.tap()  # past the welcome
        await advance(pilot, app, clock, 2)
        await foot.long_press()  # pause: the menu opens on "resume"
        assert snapshot_of(app).pause_menu.highlighted == "resume"
        for _ in range(4):
            await foot.tap()
        assert snapshot_of(app).pause_menu.highlighted == "end session"
        assert "End session" in text_of(app, "paused-text")
        await foot.long_press()  # asks once more
        assert snapshot_of(app).pause_menu.confirming_end
        assert "End the session?" in text_of(app, "paused-text")
        await foot.long_press()  # ended
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "ended early" in app.screen.query_one("#summary-text").render().plain.lower()
    store = SessionStore.open(tmp_path / "history.sqlite3")
    (overview,) = store.recent_sessions()
    assert overview.session.status == "abandoned"  # shown as "ended early"
    store.close()


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("routine_id", BUNDLED)
async def test_the_start_box_keeps_its_border_on_a_small_screen(
    tmp_path: Path, clock: FakeClock, routine_id: str, size: tuple[int, int]
):
    # At 80x24 a long summary pushed the start box's bottom border off the screen:
    # the summary now gives way, cut short with "…".
    app = TrainerApp(make_settings(tmp_path, clock), start_routine=routine_id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        start = app.screen.query_one("#start")
        assert start.display
        assert app.screen.query_one("#main").region.contains_region(start.region)
        assert start.region.height <= size[1]
        text = start.render()
        assert text.plain.startswith(app.screen.session.plan.title)
        # Every row of the text inside the box: what did not fit was cut short with "…".
        rows = text.wrap(start.content_region.width)
        assert len(rows) <= start.content_region.height
