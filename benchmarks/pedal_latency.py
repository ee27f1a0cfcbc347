"""Pedal latency: from the mock pin's edge to the session screen redrawn in a real terminal.

**What is run.** The real :class:`~trainer.ui.app.TrainerApp` with ``--pedal
mock`` (a real gpiozero ``Button`` on a ``MockFactory`` pin, the gesture
recognizer and its worker thread, the bridge that posts to Textual) in a tmux
pane, running a session of 1,200 instruction moments: each tap moves on to the
next moment, which also logs the one left to SQLite (a real commit, fsync and
all). A driver thread presses the pin like a foot (``drive_low``, hold,
``drive_high``), waits until the screen has been redrawn, then pauses a random
20-80 ms so that presses land at every phase of Textual's frame timer.

**What is measured**, all with ``time.perf_counter`` in the one process:

* *release*: just before ``pin.drive_high()``, the edge that completes a tap;
* *press*: just before ``pin.drive_low()``;
* *handled*: the session screen's ``take()`` returned: the engine moved on, the
  moment was logged and the widgets were updated;
* *redrawn*: the next screen update after that was handed to the terminal
  (``App._display``; Textual writes it out on its writer thread).

Two configurations:

* **pipeline**: debounce 0 and double tap off, so the recognizer decides at the
  release edge and everything measured is the pipeline itself: gpiozero's
  callback, the recognizer's worker thread, the message post, the engine, the
  SQLite commit, the draw, the compositor and the terminal write.
* **default**: the shipped timings (debounce 30 ms, double tap off). The press
  must hold 30 ms to count, and then the tap fires on the release edge itself
  (see :mod:`trainer.adapters.pedal.recognizer`): nothing is waited for after
  the foot comes up, so what a user feels is the pipeline alone. Its target is
  :data:`DEFAULT_TARGET_MS` from release to redrawn, at the 99th percentile.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import Figure, GcPauses, Stopwatch, app_settings, css_of, percentile, write_routine
from terminal import Tmux, run_child

from trainer.adapters.pedal.settings import PedalSettings
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen

ROUTINE_ID = "pedal-benchmark"
WARMUP_PRESSES = 20
HOLD_SECONDS = {"pipeline": 0.02, "default": 0.1}  # a foot's tap is about 0.1 s
TIMINGS = {
    "pipeline": PedalSettings(mode="mock", debounce=0.0, double_tap=0.0),
    "default": PedalSettings(mode="mock"),
}
PIPELINE_TARGET_MS = 30.0
#: A tap with the shipped timings, release to redrawn (issue 11: "acted on at once").
DEFAULT_TARGET_MS = 50.0
SLOW_MS = 20.0  # a tap whose pipeline took longer is counted, with its likely cause


def routine_text(blocks: int = 6) -> str:
    """200 pedal-advanced instruction moments per block."""
    steps = "".join(
        f"      - {{kind: instruction, name: Step {n}, text: Tap to go on.}}\n" for n in range(200)
    )
    body = "".join(f"  - name: Block {b}\n    steps:\n{steps}" for b in range(blocks))
    return f"title: Pedal benchmark\nsummary: Tap after tap.\nblocks:\n{body}"


class _MeasuredSessionScreen(SessionScreen):
    """The real session screen, noting when each input has been handled."""

    CSS_PATH = css_of(SessionScreen)

    def take(self, action) -> None:
        super().take(action)
        self.app.handled()


class PedalApp(TrainerApp):
    """The trainer in a session, pressed ``presses`` times by a driver thread.

    Writes every press's timestamps to ``out``, then exits.
    """

    CSS_PATH = css_of(TrainerApp)

    def __init__(self, folder: Path, mode: str, presses: int, out: Path) -> None:
        super().__init__(app_settings(folder, pedal=TIMINGS[mode]), start_routine=ROUTINE_ID)
        self.mode, self.presses, self.out = mode, presses, out
        self.redrawn = threading.Event()
        self._awaiting_redraw = False
        self.handled_at = self.redrawn_at = 0.0
        self.commits: Stopwatch | None = None
        self.gc_pauses = GcPauses()

    def after_mount(self) -> None:
        if self.core.store is not None:
            self.commits = Stopwatch(self.core.store, "record_moment")
        threading.Thread(target=self._drive, name="benchmark-foot", daemon=True).start()

    def start_session(self, loaded, offer=None) -> None:
        self.push_screen(_MeasuredSessionScreen(self.core.start(loaded, offer)))

    def handled(self) -> None:
        self.handled_at = time.perf_counter()
        self._awaiting_redraw = True

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if self._awaiting_redraw and renderable is not None:
            self._awaiting_redraw = False
            self.redrawn_at = time.perf_counter()
            self.redrawn.set()

    def _drive(self) -> None:
        time.sleep(1.0)  # let the session screen settle
        pin = self.core.pedal.pedal.pin
        samples, timeouts = [], 0
        for number in range(WARMUP_PRESSES + self.presses):
            sample = self._press(pin, HOLD_SECONDS[self.mode])
            if sample is None:
                timeouts += 1
            elif number >= WARMUP_PRESSES:
                samples.append(sample)
            time.sleep(random.uniform(0.02, 0.08))
        result = {
            "samples": samples,
            "pressed": WARMUP_PRESSES + self.presses,
            "timeouts": timeouts,
            "moments_moved": self.core.session.last.snapshot.index + 1,
            "commits_ms": self.commits.ms if self.commits else [],
            "gc_longest_ms": self.gc_pauses.longest_ms(),
        }
        self.out.write_text(json.dumps(result), encoding="utf-8")
        self.call_from_thread(self.exit)

    def _press(self, pin, hold: float) -> tuple[float, float, float, float, bool] | None:
        """One tap: (press, release, handled, redrawn, a GC ran between release and redraw),
        or None if nothing was drawn."""
        self.redrawn.clear()
        pressed = time.perf_counter()
        pin.drive_low()  # pull-up wiring: pressed pulls the pin to ground
        time.sleep(hold)
        released = time.perf_counter()
        pin.drive_high()
        if not self.redrawn.wait(5.0):
            return None
        during_gc = self.gc_pauses.overlapping(released, self.redrawn_at)
        return pressed, released, self.handled_at, self.redrawn_at, during_gc


def run_in_terminal(tmux: Tmux, mode: str, presses: int) -> dict:
    """Run :class:`PedalApp` in a tmux pane and read back what it measured."""
    with tempfile.TemporaryDirectory(prefix="trainer-pedal-") as tmp:
        folder, out = Path(tmp), Path(tmp, "result.json")
        write_routine(folder, ROUTINE_ID, routine_text())
        args = ["--mode", mode, "--presses", str(presses), "--folder", tmp, "--out", str(out)]
        return run_child(tmux, f"pedal-{mode}", __file__, args, out, 30 + presses * 1.5)


def _ms(samples: list, start: int, end: int) -> list[float]:
    return [(sample[end] - sample[start]) * 1000 for sample in samples]


def measure(tmux: Tmux, quick: bool = False) -> list[Figure]:
    pipeline = run_in_terminal(tmux, "pipeline", 200 if quick else 1000)
    default = run_in_terminal(tmux, "default", 100 if quick else 200)
    # The shipped timings first: that is the headline a user feels.
    return [*_default_figures(default), *_pipeline_figures(pipeline)]


def _lost(result: dict) -> int:
    """Presses that never moved the session on (every press must move it one moment)."""
    return result["pressed"] - result["moments_moved"]


def _pipeline_figures(result: dict) -> list[Figure]:
    samples = result["samples"]
    total = _ms(samples, 1, 3)
    handled = _ms(samples, 1, 2)
    commits = result["commits_ms"]
    label = "pedal pipeline (release -> redrawn)"
    return [
        Figure(f"{label} p50", percentile(total, 0.5), "ms", note=f"{len(total)} taps"),
        Figure(f"{label} p99", percentile(total, 0.99), "ms", "<", PIPELINE_TARGET_MS),
        Figure(f"{label} max", max(total), "ms"),
        Figure("pedal pipeline: of which release -> handled p50", percentile(handled, 0.5), "ms"),
        Figure(
            "pedal pipeline: of which SQLite commit p50",
            percentile(commits, 0.5),
            "ms",
            note=f"p99 {percentile(commits, 0.99):.2f} ms",
        ),
        Figure(
            "pedal pipeline: taps lost",
            _lost(result),
            "",
            "<=",
            0,
            f"{result['timeouts']} not redrawn within 5 s",
        ),
        _slow_figure("pedal pipeline", result, total, SLOW_MS),
    ]


def _slow_figure(label: str, result: dict, latencies: list[float], slow_ms: float) -> Figure:
    """How many taps were slow, and how many of those had a garbage collection in them."""
    slow = [ms > slow_ms for ms in latencies]
    with_gc = sum(
        1 for is_slow, sample in zip(slow, result["samples"], strict=True) if is_slow and sample[4]
    )
    note = f"{with_gc} during a GC pause; longest GC {result['gc_longest_ms']:.0f} ms"
    return Figure(f"{label}: taps over {slow_ms:.0f} ms", sum(slow), "", note=note)


def _default_figures(result: dict) -> list[Figure]:
    samples = result["samples"]
    settings = TIMINGS["default"]
    # With double tap on, a tap waits out the window after the release; off, nothing.
    designed_ms = settings.double_tap * 1000
    from_release = _ms(samples, 1, 3)
    from_press = _ms(samples, 0, 3)
    hold_ms = HOLD_SECONDS["default"] * 1000
    label = "pedal tap, default timings"
    return [
        Figure(
            f"{label}: press -> redrawn p50",
            percentile(from_press, 0.5),
            "ms",
            note=f"{hold_ms:.0f} ms tap, {len(samples)} taps",
        ),
        Figure(f"{label}: release -> redrawn p50", percentile(from_release, 0.5), "ms"),
        Figure(
            f"{label}: release -> redrawn p99",
            percentile(from_release, 0.99),
            "ms",
            "<",
            DEFAULT_TARGET_MS,
            f"designed wait {designed_ms:.0f} ms",
        ),
        Figure(f"{label}: taps lost", _lost(result), "", "<=", 0),
        _slow_figure(label, result, from_release, designed_ms + SLOW_MS),
    ]


def main() -> int:
    """The child run inside the terminal (see :func:`run_in_terminal`)."""
    parser = argparse.ArgumentParser(description="one pedal-latency run (used by run.py)")
    parser.add_argument("--mode", choices=sorted(TIMINGS), required=True)
    parser.add_argument("--presses", type=int, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    PedalApp(args.folder, args.mode, args.presses, args.out).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
