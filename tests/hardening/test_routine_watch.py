"""The routine folder watch runs off the event loop and never misses a change.

The report: with 20,000 files in a routines folder the kiosk listed and stat-ed
all of them on its event loop at every look, stalling the UI 0.45-0.75 s each
time. :class:`RoutineWatch` waits on inotify on its own thread and reloads there.
Here: the changes it must see (added, changed, removed, a folder that appears,
a pack symlink swapped), the ones it must not act on (hidden files, other
files), and, in the app, that the event loop keeps running while 20,000 files
are reloaded (responsiveness compared with the reload's own length, not a
wall-clock threshold; the figures are in benchmarks/hardening.py).
"""

from __future__ import annotations

import itertools
import queue
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.app import make_settings, until
from support.clock import FakeClock

from trainer.adapters.routine_watch import RoutineWatch
from trainer.routine.catalog import Catalog, load_catalog
from trainer.ui.kiosk import KioskApp

ROUTINE = """\
title: {title}
summary: Watch test.
blocks:
  - name: Main
    steps:
      - {{kind: hold, name: Hold, duration: 5s}}
"""


class _Watched:
    def __init__(self, folders: list[Path]) -> None:
        self.catalogs: queue.Queue[Catalog] = queue.Queue()
        self.watch = RoutineWatch(
            folders,
            lambda: load_catalog(folders),
            self.catalogs.put,
            initial=load_catalog(folders),  # what the app showed at start
            poll_seconds=0.2,
        )

    def next_titles(self, timeout: float = 30.0) -> set[str]:
        catalog = self.catalogs.get(timeout=timeout)
        return {loaded.routine.title for loaded in catalog.routines.values()}

    def nothing_for(self, seconds: float) -> bool:
        try:
            self.catalogs.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[_Watched, Path, Path]]:
    folder, later = tmp_path / "routines", tmp_path / "pack"
    folder.mkdir()
    (folder / "one.yaml").write_text(ROUTINE.format(title="One"))
    watched = _Watched([folder, later])
    watched.watch.start()
    assert watched.watch.watching.wait(30)
    try:
        yield watched, folder, later
    finally:
        watched.watch.stop()


def test_added_changed_and_removed_files_reload(watched: tuple[_Watched, Path, Path]) -> None:
    watch, folder, _ = watched
    (folder / "two.yaml").write_text(ROUTINE.format(title="Two"))
    assert watch.next_titles() == {"One", "Two"}
    (folder / "two.yaml").write_text(ROUTINE.format(title="Two, changed"))
    assert watch.next_titles() == {"One", "Two, changed"}
    (folder / "two.yaml").unlink()
    assert watch.next_titles() == {"One"}


def test_a_folder_that_appears_later_is_picked_up(watched: tuple[_Watched, Path, Path]) -> None:
    watch, _, later = watched
    later.mkdir()
    (later / "three.yaml").write_text(ROUTINE.format(title="Three"))
    titles = watch.next_titles()
    while "Three" not in titles:  # the folder, then its file, may be two reloads
        titles = watch.next_titles()
    assert titles == {"One", "Three"}


def test_a_swapped_pack_symlink_reloads(tmp_path: Path) -> None:
    first, second, link = tmp_path / "v1", tmp_path / "v2", tmp_path / "current"
    for folder, title in ((first, "Version one"), (second, "Version two")):
        folder.mkdir()
        (folder / "pack.yaml").write_text(ROUTINE.format(title=title))
    link.symlink_to(first)
    watched = _Watched([link])
    watched.watch.start()
    try:
        assert watched.watch.watching.wait(30)
        swap = tmp_path / "swap"
        swap.symlink_to(second)
        swap.replace(link)  # atomically, as pack sync does
        assert watched.next_titles() == {"Version two"}
    finally:
        watched.watch.stop()


def test_hidden_and_other_files_do_not_reload(watched: tuple[_Watched, Path, Path]) -> None:
    watch, folder, _ = watched
    (folder / ".one.yaml.swp").write_text("editor")
    (folder / "notes.txt").write_text("not a routine")
    (folder / ".partial-download.yaml").write_text("half")
    assert watch.nothing_for(1.5)
    assert watch.watch.reloads == 1  # only the read made once the watch was in place


def test_stopping_is_prompt_and_final(tmp_path: Path) -> None:
    watched = _Watched([tmp_path])
    watched.watch.start()
    assert watched.watch.watching.wait(30)
    started = time.monotonic()
    watched.watch.stop()
    assert not watched.watch._thread.is_alive()
    (tmp_path / "late.yaml").write_text(ROUTINE.format(title="Late"))
    assert watched.nothing_for(0.5)
    assert time.monotonic() - started < 30


def test_a_change_while_the_watch_starts_is_not_missed(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(ROUTINE.format(title="One"))
    watched = _Watched([tmp_path])
    watched.watch.start()
    (tmp_path / "two.yaml").write_text(ROUTINE.format(title="Two"))  # no waiting
    try:
        assert watched.next_titles() == {"One", "Two"}
    finally:
        watched.watch.stop()


async def test_twenty_thousand_files_do_not_stall_the_kiosk(
    tmp_path: Path, clock: FakeClock
) -> None:
    """The report's folder, in the real kiosk: the loop keeps beating while the watch
    reloads. Compared with the reload's own length (measured by the watch), not with
    a fixed time, so a loaded machine slows both alike."""
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "one.yaml").write_text(ROUTINE.format(title="One"))
    for number in range(20_000):
        (folder / f"note-{number:05}.txt").write_text("not a routine")
    app = KioskApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        watch = app.core.routine_watch
        assert watch is not None
        await until(pilot, watch.watching.is_set)
        beats: list[float] = []
        app.set_interval(0.01, lambda: beats.append(time.perf_counter()))
        await pilot.pause(0.1)
        reloads = watch.reloads
        started = time.perf_counter()
        (folder / "two.yaml").write_text(ROUTINE.format(title="Two"))
        await until(pilot, lambda: "two" in app.core.catalog.routines)
        assert watch.reloads > reloads  # the reload ran on the watch's thread
        during = [beat for beat in beats if beat >= started]
        gaps = [later - earlier for earlier, later in itertools.pairwise(during)]
        assert len(during) >= 3, "the event loop did not run while the folder was reloaded"
        assert max(gaps) < watch.last_reload_seconds, (max(gaps), watch.last_reload_seconds)
        await until(pilot, lambda: len(app.screen.routines) == 2)  # the attract screen's list
        assert [routine.title for routine in app.screen.routines] == ["One", "Two"]
