"""Routine text is shown literally: no markup, no actions, no terminal escapes."""

from __future__ import annotations

from pathlib import Path

from support.app import make_settings
from support.clock import FakeClock

from trainer.ui.app import TrainerApp
from trainer.ui.safe_text import clean, plain
from trainer.ui.screens.picker import PickerScreen, RoutineCard
from trainer.ui.screens.session import SessionScreen

HOSTILE = r"""
title: "[@click=app.quit]Quit[/] [blink]me"
summary: "[link=https://example.invalid]click[/link]"
focus: ["[reverse]x"]
blocks:
  - name: "[bold red]Block"
    steps:
      - kind: hold
        name: "[b]Boom[/b] done"
        duration: 20s
        cues:
          - "[@click=app.exit]Tap here"
"""


def test_clean_strips_escapes_and_controls_but_keeps_text():
    assert clean("a\x1b[2Jb\x1b]0;title\x07c\x00d\x9be\tf\ng") == "abcde f\ng"
    assert plain("[b]x[/b]").plain == "[b]x[/b]"
    assert plain(None).plain == ""


async def test_markup_and_escapes_in_a_routine_render_literally(tmp_path: Path, clock: FakeClock):
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "hostile.yaml").write_text(HOSTILE)
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        assert isinstance(app.screen, PickerScreen)
        card = app.screen.query_one(RoutineCard)
        assert "[@click=app.quit]Quit[/] [blink]me" in card.render().plain
        await pilot.click(RoutineCard)  # a click on the chosen card starts it; it does not quit
        await pilot.pause()
        assert app.is_running
        await pilot.press("space")
        assert isinstance(app.screen, SessionScreen)
        step = app.screen.query_one("#step").render().plain
        # (Terminal escapes are refused at load time: tests/hardening/test_control_text.py.)
        assert step == "[b]Boom[/b] done"
        cue = app.screen.query_one("#cue").render().plain
        assert cue == "[@click=app.exit]Tap here"
        where = app.screen.query_one("#where").render().plain
        assert "[bold red]Block" in where
        await pilot.click("#cue")
        await pilot.click("#step")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, SessionScreen)


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b\u202e"


async def test_the_cannot_be_resumed_notice_is_cleaned(tmp_path: Path, clock: FakeClock):
    """A stored title (written by an older version, or another tool) reaches the
    notice that the interrupted session cannot be resumed: it is shown cleaned."""
    from trainer.adapters.store.database import SessionStore

    with SessionStore.open(tmp_path / "history.sqlite3") as store:
        store.start_session(
            routine_id="gone",
            digest="d",
            title=f"Old{ESCAPES}title",
            plan_size=3,
            started_at="2026-01-01T10:00:00+00:00",
        )
    app = TrainerApp(make_settings(tmp_path, clock, folders=[tmp_path]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        notice = next(text for text in app.notices if "no longer available" in text)
        assert "Old" in notice and "title" in notice
        assert clean(notice) == notice and "\x1b" not in notice and "\u202e" not in notice


async def test_the_kiosk_admin_problem_list_is_cleaned(tmp_path: Path, clock: FakeClock):
    """A file name is not checked by the loader; the admin's problem list cleans it."""
    from trainer.core.settings import KioskSettings
    from trainer.ui.kiosk import KioskApp
    from trainer.ui.screens.admin import AdminScreen

    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / f"bad{ESCAPES}.yaml").write_text("title: [unclosed\n")
    settings = make_settings(
        tmp_path, clock, folders=[folder], kiosk=KioskSettings(admin_pin="2468")
    )
    app = KioskApp(settings)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("f12", *"2468", "enter")
        assert isinstance(app.screen, AdminScreen)
        shown = app.screen.query_one("#problems").render()
        text = getattr(shown, "plain", str(shown))
        assert "bad.yaml" in text and "YAML syntax" in text
        assert clean(text) == text
