"""Routine text is shown literally: no markup, no actions, no terminal escapes."""

from __future__ import annotations

from pathlib import Path

from ui_helpers import FakeClock, make_settings

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
        name: "[b]Boom[/b] \e[2J\e]0;pwned\a done"
        duration: 20s
        cues:
          - "[@click=app.exit]Tap here\e[31m"
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
        assert isinstance(app.screen, PickerScreen)
        card = app.screen.query_one(RoutineCard)
        assert "[@click=app.quit]Quit[/] [blink]me" in card.render().plain
        await pilot.click(RoutineCard)  # a click on the chosen card starts it; it does not quit
        await pilot.pause()
        assert app.is_running
        await pilot.press("space")
        assert isinstance(app.screen, SessionScreen)
        step = app.screen.query_one("#step").render().plain
        assert step == "[b]Boom[/b]  done"  # the escapes and the BEL are gone
        cue = app.screen.query_one("#cue").render().plain
        assert cue == "[@click=app.exit]Tap here"
        where = app.screen.query_one("#where").render().plain
        assert "[bold red]Block" in where
        await pilot.click("#cue")
        await pilot.click("#step")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, SessionScreen)
