"""`trainer run path/to/file.yaml`: a coach previews one routine file straight away."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ui_helpers import FakeClock, make_settings

from trainer.cli import main
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen

COACH = Path(__file__).parents[1] / "routines_content" / "coach" / "hinge-circuit.yaml"


async def test_a_routine_file_runs_straight_from_its_path(tmp_path: Path, clock: FakeClock):
    settings = replace(make_settings(tmp_path, clock), routine_files=(COACH,))
    app = TrainerApp(settings, start_routine=str(COACH))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        snapshot = app.screen.runner.snapshot()
        assert snapshot.moment.title == "Single-leg Romanian deadlift"
        assert snapshot.moment.round_count == 3


def test_a_broken_file_is_refused_before_any_screen(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "draft.yaml"
    path.write_text(
        "title: Draft\nsummary: S\nblocks:\n  - name: A\n    steps:\n      - kind: hold\n"
    )
    assert main(["run", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:6:9: blocks[0].steps[0]" in err
    assert "cannot be run; fix it first" in err
