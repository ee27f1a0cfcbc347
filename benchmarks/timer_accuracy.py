"""Timer accuracy: when each cue is actually handed to the sound player, against the plan.

**What is run.** The real :class:`~trainer.ui.app.TrainerApp`, drawing into a
real terminal (a tmux pane), runs a 30-minute all-automatic routine (tempo
reps, holds with timed cues, timed sets, rests, side switches) from the first
tap to the summary screen. Its clock is a
:class:`ScaledClock` running ``speed`` times faster than ``time.monotonic``;
the session screen's deadline timer is scaled to match (``_ScaledSessionScreen``:
a deadline ``d`` session-seconds away is waited for ``d / speed`` real seconds),
so 30 session minutes take 30 real seconds at 60x. Everything else (Textual's
timers and event loop, the core, the engine, the SQLite log) is the real code.

**What is measured.** The sound player is replaced by :class:`CueLog`, which
reads the clock at the moment each ``play()`` / ``speak()`` call arrives. The
*scheduled* time of every cue is worked out independently from the plan:
``session start + planned length of every earlier moment + the cue's offset``.
The cue error is ``actual - scheduled``. At 60x one real millisecond of lateness
is 60 session milliseconds, so errors are divided by ``speed`` to give the
lateness a person would hear at 1x (the event loop is late by real time, not by
session time). Running 60x crowds 60 times more cues into each real second than
a real session has, so this errs on the pessimistic side. A real-time (1x) run of
the routine's first minutes is measured too, as a cross-check needing no scaling.

**Drift** is ``(session end - session start) - planned total`` in session time:
if any moment started at its (late) tick instead of at its deadline, the
lateness would add up here. Every cue of the run must also arrive, in order.

**What dominates** a late cue: the run also times every Textual screen update
(layout, compositing and writing to the terminal, on the same event loop as the
deadline timers). A deadline that falls while one is running waits for it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from common import Figure, Stopwatch, app_settings, css_of, percentile, write_routine
from terminal import Tmux, run_child
from textual.screen import Screen

from trainer.core.actions import Action
from trainer.core.adapters import AdapterFactories
from trainer.engine.effects import SessionStarted
from trainer.engine.plan import Plan
from trainer.engine.soundplan import plan_sounds
from trainer.engine.vocabulary import Gesture, Tone
from trainer.ui import app as app_module
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen

ROUTINE_ID = "timer-benchmark"

_ROUND = """\
  - name: Round {number}
    steps:
      - kind: reps
        name: Glute bridge
        reps: 8
        sets: 3
        tempo: 3-1-1
        rest: 30s
        advance: auto
        sides: each
      - kind: hold
        name: Soleus wall stretch
        sides: each
        duration: 60s
        cues: [Heel down, {{text: Knee over the toes, at: 20s}}]
      - {{kind: hold, name: Couch stretch, sides: each, duration: 45s}}
      - {{kind: rest, duration: 30s}}
      - {{kind: timed, name: Side plank, work: 40s, sets: 2, rest: 20s, sides: each}}
      - kind: hold
        name: Pigeon
        duration: 90s
        cues: [{{text: Breathe, at: 45.5}}]
"""


def routine_text(rounds: int = 2) -> str:
    """About 15 minutes of automatic moments per round; tempo reps (dense cues) first."""
    head = (
        "title: Timer benchmark\n"
        "summary: Automatic holds, tempo reps, timed sets and rests, for timing.\n"
        "blocks:\n"
    )
    closing = (
        "  - name: Cool down\n"
        "    steps:\n"
        "      - {kind: hold, name: Child's pose, duration: 120s}\n"
    )
    return head + "".join(_ROUND.format(number=n + 1) for n in range(rounds)) + closing


class ScaledClock:
    """A monotonic clock that runs ``speed`` times faster than ``time.monotonic``."""

    def __init__(self, speed: float, start: float = 1000.0) -> None:
        self.speed = speed
        self._start = start
        self._real_start = time.monotonic()

    def __call__(self) -> float:
        return self._start + (time.monotonic() - self._real_start) * self.speed


@dataclass
class CueLog:
    """Stands in for the sound player; notes the clock when each cue arrives."""

    clock: ScaledClock
    cues: list[tuple[str, float]] = field(default_factory=list)
    measure: None = None  # the sound plan estimates lengths

    def play(self, tone: Tone, *, late_by: float = 0.0) -> None:
        self.cues.append((tone.value, self.clock()))

    def speak(self, text: str, *, late_by: float = 0.0) -> None:
        self.cues.append((text, self.clock()))

    def close(self) -> None:
        """Nothing to release."""


def scaled_screen(speed: float) -> type[SessionScreen]:
    """The real session screen, with its engine-deadline timer waiting ``1 / speed``.

    A deadline already due gives a delay of exactly 0, and Textual (8.2) never
    fires ``set_timer(0)`` (its timer task dies dividing by zero), so the real
    screen would freeze there. Such delays are counted (a figure of their own)
    and waited 1 ms instead, so the run can go on and be timed.
    """

    class _ScaledSessionScreen(SessionScreen):
        CSS_PATH = css_of(SessionScreen)
        zero_delays = 0

        def set_timer(self, delay, *args, **kwargs):
            if kwargs.get("name") == "engine-deadline":
                if delay <= 0:
                    type(self).zero_delays += 1
                delay = max(delay / speed, 0.001)
            return super().set_timer(delay, *args, **kwargs)

    return _ScaledSessionScreen


def expected_cues(plan: Plan, start: float, rules) -> list[tuple[str, float]]:
    """Every cue of an all-automatic ``plan`` with its scheduled time, in emission order."""
    cues = []
    moment_start = start
    sounds = plan_sounds(plan, rules)
    for moment in plan.moments:
        planned = sounds[moment.index]
        moment_start += planned.lead_in
        for cue in planned.sounds:
            name = cue.tone.value if cue.tone is not None else cue.text
            cues.append((name, moment_start + cue.start))
        moment_start += moment.planned_seconds
    if rules.session_complete:
        cues.append((Tone.SESSION_COMPLETE.value, moment_start))
        cues.append(("Session complete. Well done.", moment_start))
    return cues


@dataclass(frozen=True)
class TimerRun:
    """What one run found: each cue's lateness in real ms, in order, and the drift."""

    speed: float
    errors_ms: list[float]
    drift_ms: float | None  # session ms; None when the run stopped before the end
    missing: int  # cues expected but not heard, or heard out of order
    render_ms: list[float] = field(default_factory=list)  # every screen update
    zero_delays: int = 0  # deadline timers asked for with delay 0 (see scaled_screen)


def compare(plan: Plan, started: float, ended: float | None, heard, rules, speed) -> TimerRun:
    """Match the cues heard against the plan's schedule, one for one and in order."""
    expected = expected_cues(plan, started, rules)
    if ended is None:  # stopped early: only what was due by the last cue heard counts
        expected = expected[: len(heard)]
    errors, missing = [], max(0, len(expected) - len(heard))
    for (name, scheduled), (heard_name, at) in zip(expected, heard, strict=False):
        if name == heard_name:
            errors.append((at - scheduled) * 1000 / speed)
        else:
            missing += 1
    drift = None if ended is None else ((ended - started) - plan.total_planned_seconds) * 1000
    return TimerRun(speed, errors, drift, missing)


class TimerApp(TrainerApp):
    """The trainer, which starts the benchmark routine by itself, taps once, and writes
    a :class:`TimerRun` to ``out`` when the session ends or ``seconds`` (real) have passed."""

    CSS_PATH = css_of(TrainerApp)

    def __init__(
        self, folder: Path, speed: float, seconds: float | None, out: Path, renders: Stopwatch
    ) -> None:
        self.scaled_clock = ScaledClock(speed)
        self.cue_log = CueLog(self.scaled_clock)
        factories = AdapterFactories(open_audio=lambda settings, notify, silent: self.cue_log)
        super().__init__(app_settings(folder, clock=self.scaled_clock), factories=factories)
        self.speed, self.seconds, self.out, self.renders = speed, seconds, out, renders
        self._started: float | None = None
        self._stop_at = 0.0
        self._reported = False

    def after_mount(self) -> None:
        routine = self.core.find_routine(ROUTINE_ID)
        assert routine is not None
        self.start_session(routine)
        self.set_interval(0.02, self._poll)

    def _poll(self) -> None:
        screen = self.screen
        if self._started is None:
            if isinstance(screen, SessionScreen) and screen.is_mounted:
                self._tap(screen)
        elif isinstance(screen, SummaryScreen) or time.monotonic() > self._stop_at:
            self._report(screen.summary.ended_at if isinstance(screen, SummaryScreen) else None)

    def _tap(self, screen: SessionScreen) -> None:
        self.cue_log.cues.clear()  # the greeting, said before the first tap, is not scheduled
        step = screen.session.handle(Action(Gesture.TAP))
        screen.show(step)
        self.plan = screen.session.plan
        self._started = next(e.at for e in step.effects if isinstance(e, SessionStarted))
        seconds = self.seconds or self.plan.total_planned_seconds / self.speed + 30
        self._stop_at = time.monotonic() + seconds

    def _report(self, ended: float | None) -> None:
        if self._reported:
            return
        self._reported = True
        rules = self.settings.engine.cues
        run = compare(self.plan, self._started, ended, self.cue_log.cues, rules, self.speed)
        zero_delays = getattr(app_module.SessionScreen, "zero_delays", 0)
        run = replace(run, render_ms=self.renders.ms, zero_delays=zero_delays)
        self.out.write_text(json.dumps(asdict(run)), encoding="utf-8")
        self.exit()


def run_in_terminal(tmux: Tmux, speed: float, seconds: float | None = None) -> TimerRun:
    """Run :class:`TimerApp` in a tmux pane (a real terminal) and read back its result."""
    with tempfile.TemporaryDirectory(prefix="trainer-timer-") as tmp:
        folder, out = Path(tmp), Path(tmp, "result.json")
        write_routine(folder, ROUTINE_ID, routine_text())
        args = ["--speed", str(speed), "--folder", tmp, "--out", str(out)]
        args += ["--seconds", str(seconds)] if seconds else []
        timeout = (seconds or 1800 / speed) + 120
        result = run_child(tmux, f"timer-{speed:g}x", __file__, args, out, timeout)
        return TimerRun(**result)


def measure(tmux: Tmux, quick: bool = False) -> list[Figure]:
    real_seconds = 20 if quick else 90
    fast = run_in_terminal(tmux, 60.0)
    real = run_in_terminal(tmux, 1.0, real_seconds)
    return [
        *_figures(fast, "timer, 30 min at 60x"),
        *_figures(real, f"timer, {real_seconds} s at 1x"),
    ]


def _figures(run: TimerRun, label: str) -> list[Figure]:
    errors, renders = run.errors_ms, run.render_ms
    figures = [
        Figure(
            f"{label}: cue error p50", percentile(errors, 0.5), "ms", note=f"{len(errors)} cues"
        ),
        Figure(f"{label}: cue error p99", percentile(errors, 0.99), "ms", "<=", 5),
        Figure(f"{label}: cue error max", max(errors), "ms", "<=", 5),
        Figure(f"{label}: cues missing or out of order", run.missing, "", "<=", 0),
        Figure(f"{label}: deadline timers set to 0 s", run.zero_delays, "", "<=", 0, "never fire"),
    ]
    if run.drift_ms is not None:
        figures.append(
            Figure(f"{label}: drift at end", abs(run.drift_ms), "ms", "<", 0.001, "session time")
        )
    if renders:
        note = f"{len(renders)} updates, p50 {percentile(renders, 0.5):.2f} ms"
        figures.append(Figure(f"{label}: screen update max", max(renders), "ms", note=note))
    return figures


def main() -> int:
    """The child run inside the terminal (see :func:`run_in_terminal`)."""
    parser = argparse.ArgumentParser(description="one timer-accuracy run (used by run.py)")
    parser.add_argument("--speed", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    # This process exists for this one run: the app builds its session screens
    # from this module-level name, so swap in the scaled one here.
    app_module.SessionScreen = scaled_screen(args.speed)
    renders = Stopwatch(Screen, "_on_timer_update")  # Textual's periodic screen update
    TimerApp(args.folder, args.speed, args.seconds, args.out, renders).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
