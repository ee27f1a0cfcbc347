"""`trainer show ROUTINE --sound` and the sound warnings of `trainer validate`."""

from __future__ import annotations

import json
from pathlib import Path

from trainer import cli, paths
from trainer.commands import sound
from trainer.commands._sound_cache import CACHE_FILE

CRAMPED = """\
title: Cramped
summary: Too much to say in too little time.
blocks:
  - name: Main
    steps:
      - kind: rest
        duration: 4s
        cues:
          - Take a long slow breath in through your nose and let it all the way out
          - Roll your shoulders back and down and shake out both of your legs
      - kind: hold
        name: Wall sit
        duration: 20s
        cues:
          - {text: Press your lower back flat against the wall behind you now, at: 19s}
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "cramped.yaml"
    path.write_text(CRAMPED)
    return path


def test_show_sound_prints_the_timeline_and_every_change(tmp_path, capsys):
    path = write(tmp_path)
    assert cli.main(["show", str(path), "--sound"]) == 0
    out = capsys.readouterr().out
    assert "Sound, planned with" in out
    assert '"three"' in out and '"go"' in out  # the wall sit's lead-in
    assert "left out cue" in out and "no " in out  # the rest cannot say it all
    assert "moved key cue" in out  # the at: 19s cue does not fit before the end
    assert out.rstrip().splitlines()[-1].endswith("left out")


def test_show_sound_for_a_bundled_routine_leaves_nothing_out(capsys):
    assert cli.main(["show", "quick-demo", "--sound"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1].endswith(", 0 shortened, 0 left out")
    assert '"down"' in out and '"three"' in out


def test_validate_warns_with_file_line_and_column_but_passes(tmp_path, capsys):
    path = write(tmp_path)
    assert cli.main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if ": warning: " in line]
    assert warnings, out
    lines = CRAMPED.splitlines()
    for warning in warnings:
        where = warning.split(": warning: ")[0]
        file, line, column = where.rsplit(":", 2)
        assert file == str(path)
        assert 1 <= int(line) <= len(lines) and int(column) >= 1
    roll = next(w for w in warnings if "Roll your shoulders" in w)
    assert roll.startswith(f"{path}:10:13: warning: Rest: left out")
    assert any("Press your lower back" in w and "moved" in w for w in warnings)
    assert "warning" in out.splitlines()[-1]  # the summary counts them


def test_validate_of_the_bundled_routines_has_no_sound_warnings(capsys):
    routines = Path(__file__).resolve().parents[1] / "routines"
    assert cli.main(["validate", str(routines)]) == 0
    assert ": warning: " not in capsys.readouterr().out


def test_a_warning_about_a_library_cue_points_into_the_library(tmp_path, capsys):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "mine.yaml").write_text(
        "exercises:\n"
        "  wall-sit:\n"
        "    kind: hold\n"
        "    name: Wall sit\n"
        "    duration: 4s\n"
        "    cues:\n"
        "      - {text: Press your lower back flat against the wall behind you"
        " and keep both knees right over your ankles, at: 3s}\n"
    )
    routine = tmp_path / "uses.yaml"
    routine.write_text(
        "title: Uses\nsummary: s\nblocks:\n  - name: Main\n    steps:\n      - use: wall-sit\n"
    )
    assert cli.main(["validate", str(tmp_path)]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if ": warning: " in line]
    assert any(
        w.startswith(f"{tmp_path / 'exercises' / 'mine.yaml'}:7:16: warning:") for w in warnings
    ), warnings


def _warnings(capsys) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if ": warning: " in line]


def test_validate_again_reuses_the_plan_and_places_warnings_afresh(tmp_path, capsys, monkeypatch):
    """A routine planned before is not planned again; its warnings follow the text."""
    path = write(tmp_path)
    assert cli.main(["validate", str(path)]) == 0
    first = _warnings(capsys)
    assert first

    def never(*args, **kwargs):
        raise AssertionError("planned again")

    monkeypatch.setattr(sound, "plan_warnings", never)
    assert cli.main(["validate", str(path)]) == 0
    assert _warnings(capsys) == first
    path.write_text("# two lines\n# on top\n" + CRAMPED)  # the same routine, moved down
    assert cli.main(["validate", str(path)]) == 0
    moved = _warnings(capsys)
    assert [w.split(": warning: ")[1] for w in moved] == [w.split(": warning: ")[1] for w in first]
    roll = next(w for w in moved if "Roll your shoulders" in w)
    assert roll.startswith(f"{path}:12:13: warning: Rest: left out")  # was line 10


def test_a_changed_routine_or_setting_is_planned_again(tmp_path, capsys, monkeypatch):
    path = write(tmp_path)
    assert cli.main(["validate", str(path)]) == 0
    first = _warnings(capsys)
    path.write_text(CRAMPED.replace("duration: 4s", "duration: 40s"))  # room to say it all
    assert cli.main(["validate", str(path)]) == 0
    assert not any("Roll your shoulders" in w for w in _warnings(capsys))
    path.write_text(CRAMPED)
    config = tmp_path / "config.toml"
    config.write_text("[engine.cues]\nspeak_cues = false\n")
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    assert cli.main(["validate", str(path)]) == 0
    assert first and not _warnings(capsys)  # cues not spoken: none of them left out


def test_a_damaged_warning_cache_is_planned_anew(tmp_path, capsys):
    path = write(tmp_path)
    assert cli.main(["validate", str(path)]) == 0
    first = _warnings(capsys)
    cache = paths.cache_dir() / CACHE_FILE
    for damage in ("{not json", '{"x": 1}', "[]", json.dumps({"k": [[1, 2, 3, 4]]})):
        cache.write_text(damage)
        assert cli.main(["validate", str(path)]) == 0
        assert _warnings(capsys) == first
    assert json.loads(cache.read_text())  # written back whole
