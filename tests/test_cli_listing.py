"""`trainer list` and `trainer show` on the bundled routines and on bad user files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.cli import main


def test_list_shows_bundled_routines_with_duration_and_focus(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("knee-valgus-reset"))
    minutes = int(re.search(r"about (\d+):\d\d", row).group(1))
    assert 20 <= minutes <= 25 and "glute-med" in row


def test_list_shows_user_routines_and_names_bad_files(tmp_path: Path, capsys):
    (tmp_path / "mine.yaml").write_text(
        "title: My warm-up\nsummary: s\nfocus: [ankle]\n"
        "blocks: [{name: A, steps: [{kind: hold, name: Calf, duration: 1m, sides: each}]}]\n"
    )
    (tmp_path / "broken.yaml").write_text("title: Broken\nsummary: s\nblocks: [{name: A}]\n")
    assert main(["list", "--routines", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    mine = next(line for line in out.splitlines() if line.startswith("mine"))
    assert "My warm-up (yours)" in mine and "2:05" in mine  # 2 x 1:00 + a 5 s switch
    assert f"{tmp_path / 'broken.yaml'}:3:10: blocks[0].steps: missing required field" in out
    assert "quick-demo" in out  # one bad file hides nothing


def test_show_expands_sides_sets_and_start_times(tmp_path: Path, capsys):
    path = tmp_path / "r.yaml"
    path.write_text(
        "title: T\nsummary: S\nside_order: right-first\nblocks:\n"
        "  - name: Activate\n    steps:\n"
        "      - {kind: hold, name: Plank, duration: 30s, sides: each}\n"
        "      - {kind: reps, name: Squat, reps: 5, sets: 2, tempo: 3-1-1, rest: 20s}\n"
    )
    assert main(["show", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[lines.index(next(line for line in lines if line.startswith("START"))) + 1 :]
    starts = [line.split()[0] for line in table if line.strip()]
    assert starts[:6] == ["0:00", "0:30", "0:35", "1:05", "1:30", "1:50"]
    assert "right" in table[0] and "left" in table[2]  # side_order: right-first
    assert "1/2" in table[3] and "5 reps @ 3-1-1" in table[3] and "2/2" in table[5]
    assert lines[-1].startswith("Total: 2:15 (6 moments")


def test_show_unknown_routine_lists_the_known_ones(capsys):
    assert main(["show", "no-such-routine"]) == 2
    assert "known routines: ankle-release" in capsys.readouterr().err


def test_no_subcommand_means_run(monkeypatch):
    import trainer.commands.run as run_command

    seen = []
    monkeypatch.setattr(run_command, "run", lambda args: seen.append(args) or 0)
    assert main([]) == 0
    assert main(["--pedal", "mock"]) == 0
    assert main(["quick-demo", "--mute"]) == 0
    assert [(a.command, a.routine, a.pedal, a.mute) for a in seen] == [
        ("run", None, None, False),
        ("run", None, "mock", False),
        ("run", "quick-demo", None, True),
    ]


@pytest.mark.parametrize(("command", "what"), [("run", "routine"), ("show", "routine or exercise")])
def test_an_unknown_routine_is_a_usage_error_with_a_suggestion(command, what, capsys):
    # `trainer run nope` used to open the picker with a notice instead.
    assert main([command, "quick-dem"]) == 2
    assert f"trainer {command}: no {what} 'quick-dem'; did you mean 'quick-demo'?" in (
        capsys.readouterr().err
    )
    assert main([command, "nope"]) == 2
    assert "known routines: ankle-release" in capsys.readouterr().err


def test_plain_trainer_with_an_unknown_routine_id_is_the_same_error(capsys):
    assert main(["nope"]) == 2  # `trainer nope` means `trainer run nope`
    assert "trainer run: no routine 'nope'" in capsys.readouterr().err


def test_show_a_misspelt_exercise_does_not_call_it_a_routine(capsys):
    # `trainer show clamshel --picture` said "no routine 'clamshel'; did you mean
    # 'clamshell'?", and clamshell is a library exercise, not a routine.
    assert main(["show", "clamshel", "--picture"]) == 2
    err = capsys.readouterr().err
    assert "no routine or exercise 'clamshel'; did you mean 'clamshell'?" in err
