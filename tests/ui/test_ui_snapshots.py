"""How each screen looks, at 80x24 (the smallest supported), 160x48 and a 240x67 TV.

Run `pytest tests/ui/test_ui_snapshots.py --snapshot-update` after a deliberate
change to the looks, and review the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import app as app_support
from support.app import settle
from support.clock import FakeClock

from trainer import paths
from trainer.adapters.store.database import MomentEntry, SessionStore
from trainer.core.settings import KioskSettings
from trainer.ui.app import TrainerApp

SIZES = {"small": (80, 24), "large": (160, 48), "tv": (240, 67)}


def make_settings(*args, **kwargs):
    # Muted: a cue nobody hears flashes the screen at a moment set by the audio
    # thread, which would make the pictures race.
    return app_support.make_settings(*args, muted=True, **kwargs)


def quick_demo_app(tmp_path: Path, clock: FakeClock) -> TrainerApp:
    return TrainerApp(make_settings(tmp_path, clock), start_routine="quick-demo")


def seed_history(database: Path) -> None:
    """Three finished sessions of the owner on fixed dates, each with two checks."""
    store = SessionStore.open(database)
    owner = store.roster.owner().id
    results = [("left-tighter", "left-tighter"), ("left-tighter", "even"), ("even", "even")]
    for day, (aslr, knee) in enumerate(results, start=1):
        started = f"2026-11-0{day}T07:30:00"
        session = store.start_session(
            routine_id="left-right-check",
            digest="0" * 64,
            title="Left/right check",
            plan_size=10,
            started_at=started,
            member_id=owner,
        )
        store.record_moment(
            session,
            MomentEntry(0, "ASLR", "check", "left", 1, 20.0, 21.5, 0.0, False, False),
            finished_at=f"2026-11-0{day}T07:31:00",
            next_index=1,
        )
        store.record_check(
            session, test_id="aslr", result=aslr, rating=None, at=f"2026-11-0{day}T07:32:00"
        )
        store.record_check(
            session,
            test_id="knee-to-wall",
            result=knee,
            rating=day + 4,
            at=f"2026-11-0{day}T07:33:00",
        )
        store.finish_session(session, "finished", f"2026-11-0{day}T07:40:00")
    store.close()


async def tick(pilot, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    pilot.app.screen.tick()
    await pilot.pause()


@pytest.fixture(params=sorted(SIZES))
def size(request) -> tuple[int, int]:
    return SIZES[request.param]


def test_picker(snap_compare, tmp_path, clock, size):
    app = TrainerApp(make_settings(tmp_path, clock))
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_session_hold_with_side(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("space")  # one tap starts, past the welcome
        await tick(pilot, clock, 4)  # a timed cue is due at 3 s
        await settle(pilot)

    assert snap_compare(quick_demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_session_reps_with_tempo(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("space")
        for seconds in (6, 5, 6, 6.5):  # left, switch, right, then into rep 2
            await tick(pilot, clock, seconds)
        await settle(pilot)

    assert snap_compare(quick_demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_session_paused(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("space")
        await tick(pilot, clock, 2)
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(quick_demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


async def _to_the_check_answer(pilot, clock: FakeClock) -> None:
    await pilot.press("space")
    for seconds in (6, 5, 6, 15):
        await tick(pilot, clock, seconds)
    await pilot.press("space")  # squats done
    await tick(pilot, clock, 6)
    await pilot.press("space")
    await tick(pilot, clock, 5)
    await tick(pilot, clock, 6)
    await pilot.press("space")


def test_check_answer(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await _to_the_check_answer(pilot, clock)
        await pilot.press("space", "space")  # cycle to "even"
        await settle(pilot)

    assert snap_compare(quick_demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_summary(snap_compare, tmp_path, clock, size):
    async def run_before(pilot):
        await pilot.app.until_ready()
        await _to_the_check_answer(pilot, clock)
        await pilot.press("3")  # right tighter, straight from the keys
        await settle(pilot)

    assert snap_compare(quick_demo_app(tmp_path, clock), terminal_size=size, run_before=run_before)


def test_history(snap_compare, tmp_path, clock, size):
    seed_history(tmp_path / "history.sqlite3")

    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("h")
        await settle(pilot)

    app = TrainerApp(make_settings(tmp_path, clock))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_kiosk_admin(snap_compare, tmp_path, clock, size, monkeypatch):
    from trainer.ui.kiosk import KioskApp

    monkeypatch.chdir(tmp_path)  # problems name files relative to here: stable across runs
    folder = Path("routines")
    folder.mkdir()
    (folder / "bad.yaml").write_text("title: x\nsumary: y\n")

    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("f12", *"2468", "enter")
        await settle(pilot)

    settings = make_settings(tmp_path, clock, folders=[folder], kiosk=KioskSettings())
    assert snap_compare(KioskApp(settings), terminal_size=size, run_before=run_before)


def test_start_screen(snap_compare, tmp_path, clock, size):
    """Before the first tap: title, summary, time, equipment and the safety note."""
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="ankle-release")

    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.pause(0.2)  # the start-up notice arrives after the first frame
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_block_note_and_how_in_view(snap_compare, tmp_path, clock, size):
    """A block's first moment shows the block's note; the how stays under the name."""
    app = TrainerApp(make_settings(tmp_path, clock), start_routine="ankle-release")

    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("space")  # acknowledge the start screen: the first step begins
        await tick(pilot, clock, 2)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_kiosk_attract(snap_compare, tmp_path, clock, size):
    from trainer.ui.kiosk import KioskApp

    async def run_before(pilot):
        await pilot.app.until_ready()
        await pilot.press("4", "8")  # a code being typed: dots, never digits
        await settle(pilot)

    settings = make_settings(tmp_path, clock, kiosk=KioskSettings())
    assert snap_compare(KioskApp(settings), terminal_size=size, run_before=run_before)


BUNDLED_ROUTINES = sorted(path.stem for path in paths.BUNDLED_ROUTINES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("start_size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("routine_id", BUNDLED_ROUTINES)
def test_start_screen_fits(snap_compare, tmp_path, clock, routine_id, start_size):
    """Every bundled routine's start box whole, border and all, on small screens."""
    app = TrainerApp(make_settings(tmp_path, clock), start_routine=routine_id)

    async def run_before(pilot):
        await pilot.pause(0.2)
        await settle(pilot)

    assert snap_compare(app, terminal_size=start_size, run_before=run_before)
