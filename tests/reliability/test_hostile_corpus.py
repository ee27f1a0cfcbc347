"""The hostile-input corpus, through ``trainer validate`` and through a running kiosk.

The corpus is every case of ``tests/routine/test_hostile_input.py`` (memory
bombs, unsafe tags, huge and deeply nested files, bad encodings) plus every
deliberately broken file of ``tests/routine/broken/``. Both ways in must end
without a traceback, a hang or unbounded memory:

* ``trainer validate`` runs in a child process with a 2 GB address-space limit
  and a timeout, and must name every file;
* the kiosk finds the files dropped into its routines folder while it runs
  (its folder watch reloads), lists them as problems for the admin, keeps
  offering the good routine, and stays usable; the reload's peak Python memory
  is measured with tracemalloc, and a watchdog fails the run if it hangs.
"""

from __future__ import annotations

import faulthandler
import resource
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

from reliability_helpers import choose, live, press, run_to_end, write_routine
from routine.test_broken_corpus import expectations
from routine.test_hostile_input import HOSTILE
from support.app import make_settings, until
from support.clock import FakeClock

from trainer.ui.kiosk import KioskApp
from trainer.ui.screens.admin import AdminScreen
from trainer.ui.screens.picker import PickerScreen

BROKEN = Path(__file__).resolve().parent.parent / "routine" / "broken"
MEMORY_LIMIT = 2 * 1024**3  # address space for the validate child
PEAK_LIMIT = 64 * 1024 * 1024  # Python memory while the kiosk reloads
HANG_SECONDS = 120  # the watchdog: far beyond any reload, short of CI's patience


def is_trap(path: Path) -> bool:
    """A trap file only warns: it is a valid routine, so it is not part of the corpus."""
    return all(": warning: " in expected for expected in expectations(path))


def write_corpus(folder: Path) -> list[Path]:
    """Every hostile and broken file (and the broken files' exercise library) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (content, _) in HOSTILE.items():
        path = folder / f"hostile-{name}.yaml"
        path.write_bytes(content)
        written.append(path)
    for source in sorted(path for path in BROKEN.glob("*.yaml") if not is_trap(path)):
        written.append(Path(shutil.copy(source, folder / f"broken-{source.name}")))
    shutil.copytree(BROKEN / "exercises", folder / "exercises")
    return written


def all_read(app: KioskApp, corpus: list[Path]) -> bool:
    """Whether the kiosk's catalog has every corpus file in it, as a routine or a problem."""
    catalog = app.core.catalog
    seen = set(catalog.issues_by_file) | {loaded.path for loaded in catalog.routines.values()}
    return all(path in seen for path in corpus)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_validate_names_every_file_of_the_corpus_within_bounds(tmp_path: Path):
    corpus = write_corpus(tmp_path / "corpus")
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "validate", str(tmp_path / "corpus")],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    named = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert named == {str(path) for path in corpus}
    assert f"in {len(corpus)} of {len(corpus) + 1} files" in result.stderr  # + the library


async def test_kiosk_takes_the_corpus_dropped_in_while_it_runs(tmp_path: Path, clock: FakeClock):
    folder = tmp_path / "routines"
    write_routine(folder, "good-one", "Good one")
    app = KioskApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        before = app.core.catalog
        corpus = write_corpus(folder)
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=sys.__stderr__)
        tracemalloc.start()
        try:
            # The folder watch reloads on its own thread, then hands the catalog over.
            await until(pilot, lambda: all_read(app, corpus), HANG_SECONDS)
            await live(pilot, app, clock, 10)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            faulthandler.cancel_dump_traceback_later()
        assert app.core.catalog is not before, "the reload happened outside the measurement"
        assert peak < PEAK_LIMIT, f"the reload peaked at {peak / 1e6:.0f} MB"
        await press(pilot, "space")  # a guest: the picker
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert [choice.title for choice in picker.choices] == ["Good one"]
        assert picker.problems == len(corpus)
        await press(pilot, "f12", *"2468", "enter")
        assert isinstance(app.screen, AdminScreen)
        named = {problem.split(":", 1)[0] for problem in app.screen.problems}
        assert named == {str(path) for path in corpus}
        await press(pilot, "escape")
        await choose(pilot, app, "Good one")  # still usable
        await run_to_end(pilot, app, clock)
        assert app.screen.summary.status == "finished"
        assert app.recovered_errors == 0
    assert not (tmp_path / "logs" / "errors.log").exists()
