"""What a first-hour user hit on the screens (issue 12), each pinned by a test."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from support.app import advance, make_settings, settle
from support.clock import FakeClock
from textual.widgets import Static

from trainer.adapters.store.database import SessionStore
from trainer.core.settings import KioskSettings
from trainer.engine.plan import build_plan
from trainer.routine.catalog import load_catalog
from trainer.routine.durations import format_when
from trainer.ui.app import TrainerApp
from trainer.ui.kiosk import KioskApp
from trainer.ui.screens.picker import PickerScreen, RoutineCard
from trainer.ui.screens.prompts import ResumePrompt
from trainer.ui.screens.session import BADGE_TWICE_FROM_ROWS, SessionScreen
from trainer.ui.screens.summary import SummaryScreen
from trainer.ui.widgets.countdown import Countdown


def text_of(app: TrainerApp, widget_id: str) -> str:
    widget = app.screen.query_one(f"#{widget_id}", Static)
    return str(widget.render())


async def test_the_header_says_remaining_and_notices_go_to_the_status_line(
    tmp_path: Path, clock: FakeClock
):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        assert isinstance(app.screen, SessionScreen)
        assert text_of(app, "session-left").startswith("remaining ")  # not "left" beside LEFT
        toasts = len(app._notifications)
        app.core.tell("History waits to be saved")
        await pilot.pause()
        assert len(app._notifications) == toasts, "no toast over a session"
        status = text_of(app, "status")
        assert "sound:" in status and "History waits to be saved" in status


async def test_paused_keeps_name_side_and_time_in_view(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await advance(pilot, app, clock, 2)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#paused").display
        assert "PAUSED" in text_of(app, "paused-text")
        for widget_id in ("step", "side", "countdown"):
            widget = screen.query_one(f"#{widget_id}")
            assert widget.display and widget.region.height > 0, widget_id
            assert not widget.region.overlaps(screen.query_one("#paused").region), widget_id


async def test_q_asks_before_ending_a_session(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await pilot.press("q")
        assert isinstance(app.screen, SessionScreen), "one q must not end it"
        assert "End the session?" in text_of(app, "status")
        await pilot.press("x")  # anything else: keep going
        assert "End the session?" not in text_of(app, "status")
        await pilot.press("q", "q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_q_ends_a_paused_kiosk_session_as_its_pause_box_says(
    tmp_path: Path, clock: FakeClock
):
    settings = make_settings(tmp_path, clock, kiosk=KioskSettings())
    app = KioskApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")  # a guest, past the attract screen
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        app.start_session(app.core.find_routine("quick-demo"))
        await pilot.pause()
        await pilot.press("space")
        await pilot.press("q")
        assert "End the session?" not in text_of(app, "status"), "q does nothing while running"
        await pilot.press("escape")  # pause: the box offers "q end session"
        await pilot.press("q")
        assert "End the session?" in text_of(app, "status")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


def test_the_resume_time_reads_like_speech():
    now = datetime(2026, 11, 5, 9, 0)
    assert format_when("2026-11-05T07:30:00+01:00", now.astimezone()) == "today at 07:30"
    assert format_when("2026-11-04T18:05:00", now) == "yesterday at 18:05"
    assert format_when("2026-11-02T09:00:00", now) == "Monday at 09:00"
    assert format_when("2026-10-01T09:00:00", now) == "1 Oct 2026 at 09:00"
    assert format_when("garbage", now) == "garbage"


async def test_start_fresh_restarts_the_routine_and_the_prompt_shows_a_human_time(
    tmp_path: Path, clock: FakeClock
):
    settings = make_settings(tmp_path, clock)
    loaded = load_catalog(settings.folders).routines["quick-demo"]
    with SessionStore.open(tmp_path / "history.sqlite3") as store:
        store.start_session(  # a session a crash left running, an hour ago
            routine_id="quick-demo",
            digest=loaded.digest,
            title="Quick demo",
            plan_size=len(build_plan(loaded, settings.engine.plan)),
            started_at=datetime.now().astimezone().replace(hour=0, minute=5).isoformat(),
        )
    app = TrainerApp(make_settings(tmp_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert isinstance(app.screen, ResumePrompt)
        question = app.screen.question
        assert "Resume Quick demo from today at 00:05 at " in question
        await pilot.press("f")  # start fresh
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.plan.routine_id == "quick-demo"
        assert app.screen.session.last.snapshot.index == 0


async def test_last_done_updates_in_the_picker_and_own_routines_are_marked(
    tmp_path: Path, clock: FakeClock
):
    folder = tmp_path / "mine"
    folder.mkdir()
    demo = Path(__file__).resolve().parents[2] / "routines"
    source = next(demo.rglob("quick-demo.yaml"))
    (folder / "my-demo.yaml").write_text(source.read_text().replace("Quick demo", "My demo", 1))
    settings = make_settings(
        tmp_path, clock, folders=[*make_settings(tmp_path, clock).folders, folder]
    )
    app = TrainerApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        titles = [RoutineCard.title_of(choice) for choice in picker.choices]
        assert "My demo (yours)" in titles and "Quick demo" in titles
        # Every routine is on screen at 80x24.
        cards = list(picker.query(RoutineCard))
        assert all(card.region.height == 1 for card in cards)
        assert all(picker.query_one("#cards").region.contains_region(c.region) for c in cards)
        app.start_session(app.core.find_routine("quick-demo"))
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("space")
        for _ in range(40):
            if isinstance(app.screen, SummaryScreen):
                break
            await pilot.press("s")  # skip step by step to the end
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        demo_choice = next(c for c in picker.choices if c.id == "quick-demo")
        assert demo_choice.last_done == datetime.now().strftime("%Y-%m-%d")


@pytest.mark.parametrize(
    ("size", "mode"),
    [((240, 67), "blocks"), ((160, 48), "blocks"), ((80, 24), "digits"), ((60, 14), "plain")],
)
async def test_the_countdown_and_badge_grow_with_the_screen(
    tmp_path: Path, clock: FakeClock, size: tuple[int, int], mode: str
):
    # At 200x60 the 3-row countdown used to sit in empty space.
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=size) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await pilot.pause()
        countdown = app.screen.query_one(Countdown)
        assert countdown.mode == mode
        _width, height = size
        if mode == "blocks":
            digits = countdown.query_one("#blocks")
            assert digits.region.height >= height / 3  # a third of the screen at least
            assert digits.region.width <= countdown.region.width  # whole, never cut
            assert "█" in str(digits.render())
            badge = app.screen.query_one("#side")
            # Twice the small badge on a TV; on a smaller big screen the name needs the room.
            assert badge.region.height >= (12 if height >= BADGE_TWICE_FROM_ROWS else 7)
        elif mode == "digits":
            assert countdown.query_one("#digits").region.height == 3
        else:
            assert str(countdown.query_one("#plain").render()) == countdown.text


async def test_the_simulated_pedal_keys_fit_the_status_line_at_80_columns(
    tmp_path: Path, clock: FakeClock
):
    # ./scripts/start on a box with no GPIO and no sound device: the line a new user
    # reads to learn the pedal keys must not be cut at 80x24 ("..., i" and no more).
    app = TrainerApp(make_settings(tmp_path, clock, pedal="mock"), start_routine="quick-demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        assert isinstance(app.screen, SessionScreen)
        status = app.screen.query_one("#status", Static)
        line = text_of(app, "status")
        assert "simulated pedal:" in line and "cues flash" in line
        assert len(line) <= status.content_region.width, line


LONG_BLOCK = """\
title: Long names
summary: s
blocks:
  - name: A block whose name goes on and on well past any header's width at all
    steps:
      - {kind: hold, name: Hold, duration: 30s, sides: each}
"""


async def test_a_long_block_name_never_pushes_the_step_counter_out(
    tmp_path: Path, clock: FakeClock
):
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "long-names.yaml").write_text(LONG_BLOCK)
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]), start_routine="long-names")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        counter = screen.query_one("#counter")
        assert "1/" in text_of(app, "counter")
        assert counter.region.right <= 80 and counter.region.width >= len("  ·  1/3")
        assert screen.query_one("#where").region.height == 1
        assert screen.query_one("#session-left").region.right <= 80


async def test_at_60x20_the_answer_box_keeps_its_border(tmp_path: Path, clock: FakeClock):
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        for _ in range(40):  # on through the routine to the check's answer
            snapshot = app.screen.session.last.snapshot
            if snapshot.answer is not None:
                break
            await advance(pilot, app, clock, 20)
            await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        answer = screen.query_one("#answer")
        assert answer.display and answer.region.height >= 4  # question, choices, hint + border
        body = screen.query_one("#body").region
        assert body.contains_region(answer.region), (answer.region, body)


async def test_the_picker_shows_pedal_and_sound_in_its_status_line_not_a_toast(
    tmp_path: Path, clock: FakeClock
):
    app = TrainerApp(make_settings(tmp_path, clock, pedal="mock"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any(notice.startswith("Simulated foot switch") for notice in app.notices)
        assert not app._notifications, "a toast covers the list"
        status = text_of(app, "status")
        assert "simulated pedal: p tap" in status and "sound: " in status
        # After a session (whose screen's CSS gives its own status line one row), a
        # later notice goes there too, on a line of its own under the state.
        app.start_session(app.core.find_routine("quick-demo"))
        await pilot.pause()
        await pilot.press("space", "q", "q")  # ended early: the summary
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        app.core.tell("History is off: disk full")
        await pilot.pause()
        assert not app._notifications
        assert text_of(app, "status").splitlines()[-1] == "History is off: disk full"
        assert app.screen.query_one("#status").region.height == 2


async def test_the_planned_time_reads_the_same_on_picker_start_and_summary(
    tmp_path: Path, clock: FakeClock
):
    app = TrainerApp(make_settings(tmp_path, clock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.until_ready()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        card = next(c for c in picker.query(RoutineCard) if c.choice.id == "quick-demo")
        routine = app.core.find_routine("quick-demo")
        assert routine is not None
        planned = build_plan(routine, app.settings.engine.plan).planned_time
        assert planned == "about 1:09"
        assert planned in card.render().plain
        app.start_session(routine)
        await pilot.pause()
        assert f"Planned time: {planned} (9 moments)" in text_of(app, "start")
        await pilot.press("space")
        for _ in range(40):
            if isinstance(app.screen, SummaryScreen):
                break
            await pilot.press("s")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert f"(planned {planned})" in text_of(app, "summary-text")


async def test_the_trend_view_names_each_check(tmp_path: Path, clock: FakeClock):
    with SessionStore.open(tmp_path / "history.sqlite3") as store:
        session = store.start_session(
            routine_id="quick-demo", digest="d", title="Quick demo", plan_size=9,
            started_at="2026-11-01T07:30:00", member_id=store.roster.owner().id,
        )  # fmt: skip
        for test in ("knee-to-wall", "knee-to-wall-demo", "gone-check"):
            store.record_check(
                session, test_id=test, result="even", rating=None, at="2026-11-01T07:35:00"
            )
        store.finish_session(session, "abandoned", "2026-11-01T07:40:00")
    app = TrainerApp(make_settings(tmp_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("h")
        await pilot.pause()
        plots = [str(w.render()) for w in app.screen.query(".trend")]
        names = sorted(plot.splitlines()[0] for plot in plots)
        # By name; a check no routine has any more keeps its id.
        assert names == ["Knee-to-wall ankle test", "Knee-to-wall ankle test, demo", "gone-check"]
        table = app.screen.query_one("#sessions")
        assert "ended early" in str(table.get_row_at(0)) and "abandoned" not in str(
            table.get_row_at(0)
        )


@pytest.mark.parametrize(("size", "big"), [((240, 67), True), ((160, 48), True), ((80, 24), False)])
async def test_the_exercise_name_grows_with_the_screen(
    tmp_path: Path, clock: FakeClock, size: tuple[int, int], big: bool
):
    # On a TV across a gym the time, the side and the name must be the biggest things
    # there: the countdown and the badge grew, the name stayed one plain row.
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")
    async with app.run_test(size=size) as pilot:
        await pilot.press("space")  # Calf wall stretch, straight knee: LEFT
        await settle(pilot)
        screen = app.screen
        step = screen.query_one("#step")
        drawn = str(step.render())
        if big:
            assert set(drawn) & set("█▀▄") and step.region.height >= 4  # block letters
            for other in ("how", "cue", "phase"):
                assert step.region.height > screen.query_one(f"#{other}").region.height
        else:
            assert drawn == "Calf wall stretch, straight knee"
        # The name, the side, the time and the rest of the middle column are whole.
        middle = screen.query_one("#main")
        for child in middle.children:
            if child.display:
                assert middle.region.contains_region(child.region), child.id


async def test_the_home_picker_offers_history_once_ready(tmp_path: Path, clock: FakeClock):
    """The first paint (from the cache) cannot know yet whether history is kept; once the
    app is ready the keys line offers it and the rows say when each was last done."""
    app = TrainerApp(make_settings(tmp_path, clock))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert "h history" in text_of(app, "keys")
        assert all("last done" in card.render().plain for card in app.screen.query(RoutineCard))
