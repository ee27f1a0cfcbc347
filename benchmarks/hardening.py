"""Issue 19's two load figures: a routine folder of 20,000 files, and 50,000 chatter edges.

* **folder watch**: a 10 ms heartbeat on an asyncio event loop (the one Textual
  runs on) records its longest gap while the routine folders are looked at and
  reloaded after a change, first the old way (list, stat and load on the loop),
  then with :class:`~trainer.adapters.routine_watch.RoutineWatch` (inotify and
  the reload on its own thread). The folder holds 20,000 files, 2 routines
  among them. What matters is the gap, not how long the reload takes.
* **raw pedal edges**: a real Textual app (headless) with a
  :class:`~trainer.ui.pedal_bridge.PedalBridge`; another thread posts 50,000
  edges (a chattering switch) and, halfway, one tap. Figures: messages that
  reached the app's queue, memory allocated meanwhile (tracemalloc), and how
  long the tap waited to be handled; with the pedal test not showing (edges
  dropped at once) and showing (edges coalesced).

    .venv/bin/python benchmarks/hardening.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from common import Figure, format_table, machine
from textual.app import App

from trainer.adapters.pedal.recognizer import Edge
from trainer.adapters.routine_watch import RoutineWatch
from trainer.engine.vocabulary import Gesture
from trainer.routine.catalog import load_catalog
from trainer.ui.pedal_bridge import EdgesWaiting, PedalBridge, PedalGestureMessage

FILES = 20_000
EDGES = 50_000
ROUTINE = """\
title: {title}
summary: Benchmark.
blocks:
  - name: Main
    steps:
      - {{kind: hold, name: Hold, duration: 5s}}
"""


def _folder(root: Path) -> Path:
    folder = root / "routines"
    folder.mkdir()
    for number in range(FILES - 2):
        (folder / f"note-{number:05}.txt").write_text("not a routine")
    for title in ("Alpha", "Beta"):
        (folder / f"{title.lower()}.yaml").write_text(ROUTINE.format(title=title))
    return folder


def _old_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What the kiosk did on its loop at each look (before issue 19)."""
    entries = []
    for path in sorted(folder.rglob("*.y*ml")):
        info = path.stat()
        entries.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(entries)


async def _heartbeat_gaps(work: Callable[[], object], settle: float) -> list[float]:
    """Gaps between 10 ms heartbeats while ``work`` runs (awaited if it returns a
    coroutine), plus ``settle`` seconds."""
    gaps: list[float] = []
    stop = asyncio.Event()

    async def beat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last - 0.01)
            last = now

    beater = asyncio.create_task(beat())
    await asyncio.sleep(0.05)
    result = work()
    if asyncio.iscoroutine(result):
        await result
    await asyncio.sleep(settle)
    stop.set()
    await beater
    return gaps


def _the_old_way(folder: Path, number: int) -> Callable[[], None]:
    def change_and_reload() -> None:
        (folder / "alpha.yaml").write_text(ROUTINE.format(title=f"Alpha {number}"))
        _old_signature(folder)
        load_catalog([folder])

    return change_and_reload


def _with_the_watch(folder: Path, number: int) -> tuple[float, float]:
    """The longest loop gap while the watch notices a change and reloads; the reload's time."""
    arrived = threading.Event()
    watch = RoutineWatch(
        [folder], lambda: load_catalog([folder]), lambda catalog: arrived.set(), poll_seconds=1.0
    )
    watch.start()
    watch.watching.wait(30)

    async def change_and_wait() -> None:
        (folder / "alpha.yaml").write_text(ROUTINE.format(title=f"Alpha new {number}"))
        while not arrived.is_set():
            await asyncio.sleep(0.01)

    try:
        return max(asyncio.run(_heartbeat_gaps(change_and_wait, 0.1))), watch.last_reload_seconds
    finally:
        watch.stop()


def folder_watch(quick: bool) -> list[Figure]:
    # As the app does once started (trainer.ui.app): start-up objects leave the
    # garbage collector's full passes, which otherwise stop every thread.
    gc.freeze()
    rounds = 2 if quick else 5
    on_loop: list[float] = []
    off_loop: list[float] = []
    reload_seconds: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = _folder(Path(scratch))

        for number in range(rounds):
            on_loop.append(max(asyncio.run(_heartbeat_gaps(_the_old_way(folder, number), 0.1))))
        for number in range(rounds):
            gap, seconds = _with_the_watch(folder, number)
            off_loop.append(gap)
            reload_seconds.append(seconds)
    worst_old, worst_new = max(on_loop), max(off_loop)
    return [
        Figure(
            "folder watch, 20,000 files: loop stall, on the loop (old)",
            worst_old * 1000,
            "ms",
            note=f"worst of {rounds}",
        ),
        Figure(
            "folder watch, 20,000 files: loop stall, watch thread",
            worst_new * 1000,
            "ms",
            note=f"worst of {rounds}; reload itself {statistics.median(reload_seconds):.2f} s",
        ),
        Figure(
            "folder watch, 20,000 files: stall, thread / on the loop",
            worst_new / worst_old,
            "x",
            "<=",
            0.25,
            note="side by side, same run",
        ),
    ]


class _EdgeApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.edge_messages = 0
        self.edges = 0
        self.tap_handled_at: float | None = None

    def on_edges_waiting(self, message: EdgesWaiting) -> None:
        self.edge_messages += 1
        self.edges += len(message.take())

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        self.tap_handled_at = time.perf_counter()


async def _flood(wanted: bool) -> tuple[int, int, float, float]:
    app = _EdgeApp()
    async with app.run_test() as pilot:
        bridge = PedalBridge(app, raw_edges_wanted=wanted)
        tap_sent = 0.0
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]

        def chatter() -> None:
            nonlocal tap_sent
            for number in range(EDGES):
                bridge.post_edge(Edge(pressed=number % 2 == 0, at=number * 1e-5))
                if number == EDGES // 2:
                    tap_sent = time.perf_counter()
                    bridge.post_gesture(Gesture.TAP)

        thread = threading.Thread(target=chatter)
        thread.start()
        await asyncio.to_thread(thread.join)
        give_up = time.monotonic() + 30

        def all_in() -> bool:
            arrived = app.edges + bridge.edges_overflowed
            return app.tap_handled_at is not None and (not wanted or arrived >= EDGES)

        while not all_in():
            assert time.monotonic() < give_up
            await pilot.pause(0.01)
        grown = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
        assert app.tap_handled_at is not None
        return bridge.posted, app.edge_messages, grown, app.tap_handled_at - tap_sent


def raw_edges(quick: bool) -> list[Figure]:
    figures = []
    for wanted, where in ((False, "pedal test not showing"), (True, "pedal test showing")):
        posted, edge_messages, grown, tap = asyncio.run(_flood(wanted))
        figures += [
            Figure(
                f"raw edges, 50,000 ({where}): messages to the app",
                posted,
                "",
                "<=",
                1 if not wanted else EDGES / 10,
                note=f"{edge_messages} edge batches; the tap is 1",
            ),
            Figure(f"raw edges, 50,000 ({where}): memory allocated", grown / 1e6, "MB"),
            Figure(f"raw edges, 50,000 ({where}): tap handled after", tap * 1000, "ms"),
        ]
    return figures


def measure(quick: bool) -> list[Figure]:
    return folder_watch(quick) + raw_edges(quick)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    figures = measure(args.quick)
    for key, value in machine().items():
        print(f"{key}: {value}")
    print()
    print(format_table(figures))
    return 0 if all(figure.passed is not False for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
