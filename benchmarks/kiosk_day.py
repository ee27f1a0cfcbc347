"""A simulated kiosk day: the longest full garbage collection and RSS after 24 hours.

Runs the soak test's scripted visitors (tests/reliability/test_soak.py: finish,
walk away, never start, leave the summary up, nobody; two visits an hour, on a
fake clock) against the real KioskApp for 24 simulated hours, in a fresh
process with a private home, then reports:

* the process's RSS (``VmRSS``) at the end of the day;
* the longest full (generation 2) collection, the worst of those the day ran on
  its own after its first hour and of five ``gc.collect()`` at the end. Nothing
  is cleared or frozen by the benchmark first: what the app keeps is measured.

A full collection stops the event loop; the app keeps it short by emptying
Textual's style cache and freezing the heap each time the picker shows
(trainer.ui.memory). Run on its own: ``.venv/bin/python benchmarks/kiosk_day.py``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, VENV_BIN, Figure

HOURS = int(os.environ.get("HOURS", 24))
RSS_LIMIT_MB = 70.0
GC_LIMIT_MS = 15.0


def measure(quick: bool = False) -> list[Figure]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "XDG_DATA_HOME": f"{home}/data"}
        env.update({"XDG_CONFIG_HOME": f"{home}/config", "XDG_CACHE_HOME": f"{home}/cache"})
        for name in ("TRAINER_ROUTINES_DIR", "TRAINER_DATA_DIR", "TRAINER_CONFIG"):
            env.pop(name, None)
        done = subprocess.run(
            [str(VENV_BIN / "python"), __file__, "--json", home],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    day = f"{HOURS} simulated hours, {result['visits']} visits"
    return [
        Figure("kiosk day: RSS after 24 h", result["rss_mb"], "MB", "<=", RSS_LIMIT_MB, day),
        Figure(
            "kiosk day: longest full GC after 24 h",
            result["gc_max_ms"],
            "ms",
            "<=",
            GC_LIMIT_MS,
            f"{result['gc_count']} automatic after hour 1, and gc.collect() at the end",
        ),
        Figure(
            "kiosk day: picker settle (clear cache, collect young)",
            result["settle_ms"],
            "ms",
            note=f"median of {result['settles']}, picker drawn",
        ),
        Figure(
            "kiosk day: idle-reset thaw (whole heap)",
            result["thaw_ms"],
            "ms",
            note=f"median of {result['thaws']}, nobody there",
        ),
    ]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def simulate(folder: Path) -> dict[str, object]:
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "reliability")]
    from support.app import make_settings
    from support.clock import FakeClock
    from test_soak import Day, write_routine

    from trainer import paths
    from trainer.core.settings import KioskSettings
    from trainer.ui import memory
    from trainer.ui.kiosk import KioskApp

    write_routine(folder / "routines", "short-one", "Short one")
    write_routine(folder / "routines", "other-one", "Other one")
    clock = FakeClock()
    settings = make_settings(
        folder,
        clock,
        pedal="mock",
        folders=[paths.BUNDLED_ROUTINES_DIR, folder / "routines"],
        kiosk=KioskSettings(idle_seconds=300),
    )
    automatic: list[float] = []  # full collections the interpreter chose to run
    chosen: dict[str, list[float]] = {"settle": [], "thaw": []}  # the app's own
    inside = [False]
    started = [0.0]

    def note(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2 or inside[0]:
            return
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            automatic.append((time.perf_counter() - started[0]) * 1000)

    def timed(name: str) -> None:
        original = getattr(memory, name)

        def run() -> None:
            inside[0], start = True, time.perf_counter()
            try:
                original()
            finally:
                chosen[name].append((time.perf_counter() - start) * 1000)
                inside[0] = False

        setattr(memory, name, run)

    timed("settle")
    timed("thaw")
    app = KioskApp(settings)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.until_ready()
        day = Day(pilot, app, clock)
        await day.hour()
        gc.callbacks.append(note)
        for name in chosen:
            chosen[name].clear()
        for _ in range(HOURS - 1):
            await day.hour()
        gc.callbacks.remove(note)
        at_end = []
        for _ in range(5):
            start = time.perf_counter()
            gc.collect()
            at_end.append((time.perf_counter() - start) * 1000)
        return {
            "rss_mb": rss_mb(),
            "gc_max_ms": max([*automatic, *at_end]),
            "gc_count": len(automatic),
            "gc_end_ms": sorted(at_end)[2],
            "settle_ms": sorted(chosen["settle"])[len(chosen["settle"]) // 2],
            "settles": len(chosen["settle"]),
            "thaw_ms": sorted(chosen["thaw"])[len(chosen["thaw"]) // 2],
            "thaws": len(chosen["thaw"]),
            "tracked": len(gc.get_objects()),
            "visits": len(day.visits),
        }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--json"]:
        print(json.dumps(asyncio.run(simulate(Path(sys.argv[2])))))
    else:
        for figure in measure():
            print(f"{figure.name}: {figure.value:.1f} {figure.unit} ({figure.note})")
