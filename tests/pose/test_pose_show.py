"""`trainer show` draws figures, and routines/README.md documents the skeleton truthfully."""

from __future__ import annotations

import re

import pytest
import yaml

from trainer import paths
from trainer.cli import main
from trainer.commands.pictures import exercise_figures
from trainer.pose.model import ANGLE_MEANINGS, BODY_RANGES, LIMB_RANGES, Pose
from trainer.routine.catalog import load_catalog

README = paths.BUNDLED_ROUTINES_DIR / "README.md"
BRAILLE = re.compile("[\u2801-\u28ff]")


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TRAINER_PLAIN_DIGITS", raising=False)
    monkeypatch.delenv("TRAINER_FIGURE_GLYPHS", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


def test_show_exercise_prints_its_figure_on_both_sides(capsys):
    assert main(["show", "split-squat", "--picture"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Split squat (split-squat: reps, each side)")
    assert "start (left)" in out and "bottom (right)" in out
    assert "The heavier leg is the side named on screen" in out
    assert BRAILLE.search(out)


def test_show_exercise_without_picture_is_text_only(capsys):
    assert main(["show", "split-squat", "--no-picture"]) == 0
    out = capsys.readouterr().out
    assert "Screw your front foot in" in out
    assert not BRAILLE.search(out)


def test_show_on_the_linux_console_uses_its_glyphs(capsys, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    assert main(["show", "half-kneeling-hip-flexor"]) == 0
    out = capsys.readouterr().out
    assert not BRAILLE.search(out)
    assert "█" in out and "░" in out


def test_show_routine_draws_each_posed_step_once(capsys):
    assert main(["show", "knee-valgus-reset"]) == 0
    out = capsys.readouterr().out
    catalog = load_catalog([paths.BUNDLED_ROUTINES_DIR])
    steps = catalog.routines["knee-valgus-reset"].routine.steps
    figures = out.split("Total:", 1)[1]
    for step in steps:
        if step.pose is not None:
            assert f"\n{step.name}\nstart" in figures
    assert BRAILLE.search(figures)
    assert main(["show", "knee-valgus-reset", "--no-picture"]) == 0
    assert not BRAILLE.search(capsys.readouterr().out)


def test_show_unknown_name_still_fails(capsys):
    assert main(["show", "no-such-thing"]) == 2
    assert "no routine or exercise 'no-such-thing'" in capsys.readouterr().err


def test_readme_angle_table_matches_the_code():
    text = README.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (-?\d+) to (-?\d+) \|$", text, re.MULTILINE)
    documented = {name: (meaning.strip(), float(lo), float(hi)) for name, meaning, lo, hi in rows}
    expected = {
        name: (ANGLE_MEANINGS[name], low, high)
        for name, (low, high) in {**BODY_RANGES, **LIMB_RANGES}.items()
    }
    assert documented == expected


def test_readme_worked_example_is_the_bundled_split_squat_and_its_figure():
    text = README.read_text(encoding="utf-8")
    section = text.split("### Worked example: the split squat", 1)[1]
    example = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])
    catalog = load_catalog([paths.BUNDLED_ROUTINES_DIR])
    step = catalog.exercise("split-squat")
    assert step is not None
    assert Pose.model_validate(example["split-squat"]["pose"]) == step.pose
    figure = section.split("```text\n", 1)[1].split("```", 1)[0].rstrip("\n").split("\n")
    assert figure == exercise_figures(step, 96, "braille")
