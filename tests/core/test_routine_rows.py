"""The picker's per-file row cache: what is shown before anything is validated."""

from __future__ import annotations

import os
from pathlib import Path

from support.clock import FakeClock

from trainer.core.flow import TrainerCore
from trainer.core.routine_rows import RoutineRowCache, routine_files
from trainer.core.settings import AppSettings


def write_routine(path: Path, routine_id: str, *, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"id: {routine_id}\ntitle: {title}\nsummary: s\nblocks:\n  - name: A\n    steps:\n"
        "      - {kind: hold, name: One, duration: 10s}\n",
        encoding="utf-8",
    )
    return path


def _core(folder: Path, cache: Path) -> TrainerCore:
    settings = AppSettings(routine_folders=(folder,), clock=FakeClock())
    core = TrainerCore(settings, notify=lambda message: None)
    core.row_cache = RoutineRowCache(cache)
    return core


def _titles(cache: Path, folder: Path, version: str = "0.1.0") -> list[str]:
    return [c.title for c in RoutineRowCache(cache, version).read(routine_files([folder])).choices]


def test_rows_of_unchanged_files_come_from_the_cache(tmp_path: Path):
    folder, cache = tmp_path / "routines", tmp_path / "cache"
    write_routine(folder / "one.yaml", "one", title="One")
    write_routine(folder / "two.yaml", "two", title="Two")
    (folder / "bad.yaml").write_text("title: [unclosed\n")
    _core(folder, cache).open_routines()

    found = RoutineRowCache(cache).read(routine_files([folder]))
    assert [c.title for c in found.choices] == ["One", "Two"]
    assert found.complete and found.bad_files == 1
    assert any("bad.yaml" in problem for problem in found.problems)
    one = found.choices[0]
    assert (one.id, one.path, one.estimated_seconds > 0) == ("one", folder / "one.yaml", True)


def test_a_changed_file_waits_for_validation_and_a_removed_one_is_gone(tmp_path: Path):
    folder, cache = tmp_path / "routines", tmp_path / "cache"
    write_routine(folder / "one.yaml", "one", title="One")
    write_routine(folder / "two.yaml", "two", title="Two")
    _core(folder, cache).open_routines()

    write_routine(folder / "one.yaml", "one", title="One, longer now")  # size changes
    (folder / "two.yaml").unlink()
    write_routine(folder / "three.yaml", "three", title="Three")
    found = RoutineRowCache(cache).read(routine_files([folder]))
    assert found.choices == [] and not found.complete

    _core(folder, cache).open_routines()  # validated again: rows written back
    assert _titles(cache, folder) == ["One, longer now", "Three"]


def test_a_touched_file_with_the_same_size_is_validated_again(tmp_path: Path):
    folder, cache = tmp_path / "routines", tmp_path / "cache"
    path = write_routine(folder / "one.yaml", "one", title="One")
    _core(folder, cache).open_routines()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert _titles(cache, folder) == []


def test_another_version_or_a_damaged_cache_counts_as_empty(tmp_path: Path):
    folder, cache = tmp_path / "routines", tmp_path / "cache"
    write_routine(folder / "one.yaml", "one", title="One")
    _core(folder, cache).open_routines()
    assert _titles(cache, folder, version="0.0.9") == []

    cache_file = cache / "routine-rows.json"
    good = cache_file.read_text()
    for damaged in (
        good[: len(good) // 2],
        "[]",
        '{"format": 1}',
        "\x00\xff",
        good.replace('"seconds": ', '"seconds": "x", "y": '),
    ):
        cache_file.write_text(damaged, encoding="utf-8", errors="surrogateescape")
        assert _titles(cache, folder) == [], damaged
    cache_file.unlink()
    cache_file.mkdir()  # unreadable: a folder where the file should be
    assert _titles(cache, folder) == []
    core = _core(folder, cache)
    core.open_routines()  # cannot write it either: the routines load all the same
    assert list(core.catalog.routines) == ["one"]


def test_the_kiosk_watch_and_reload_write_the_cache_too(tmp_path: Path):
    folder, cache = tmp_path / "routines", tmp_path / "cache"
    write_routine(folder / "one.yaml", "one", title="One")
    core = _core(folder, cache)
    core.open_routines()
    write_routine(folder / "two.yaml", "two", title="Two")
    core.reload()  # the admin's reload; the folder watch loads through the same method
    assert _titles(cache, folder) == ["One", "Two"]


LIST_PROBE = """
import sys
from trainer.cli import main
code = main(["list"])
heavy = ("yaml", "pydantic", "trainer.routine.catalog")
print("HEAVY:", [name for name in heavy if name in sys.modules])
sys.exit(code)
"""


def test_trainer_list_reads_the_cache_while_nothing_changed(tmp_path: Path):
    import subprocess
    import sys

    folder = tmp_path / "routines"
    env = {**os.environ, "TRAINER_ROUTINES_DIR": str(folder)}
    write_routine(folder / "one.yaml", "one", title="One of mine")
    (folder / "bad.yaml").write_text("title: [unclosed\n")

    def listing() -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-c", LIST_PROBE], env=env, capture_output=True, text=True, timeout=60
        )
        return done.returncode, done.stdout

    cold = listing()  # validates, and writes the cache
    warm = listing()
    assert cold[0] == warm[0] == 1  # bad.yaml, from the cache the second time
    assert "HEAVY: ['yaml', 'pydantic', 'trainer.routine.catalog']" in cold[1]
    assert "HEAVY: []" in warm[1]
    assert cold[1].split("HEAVY")[0] == warm[1].split("HEAVY")[0]  # the same table and problems
    assert "One of mine (yours)" in warm[1] and "bad.yaml" in warm[1]

    write_routine(folder / "one.yaml", "one", title="One, renamed")
    changed = listing()
    assert "One, renamed (yours)" in changed[1] and "One of mine" not in changed[1]
    assert "HEAVY: ['yaml'" in changed[1]
