"""Idle cost: CPU and memory while a 90 s hold counts down, in a real terminal.

The installed ``trainer run idle-hold --pedal none`` runs in a tmux pane (ALSA
routed to a file, as for the startup figures), starts the hold with a Space
key, and from 10 s into the hold is watched for ``window`` seconds (60 s, 20 s
with ``--quick``; the hold's halfway chime falls inside). Two more trainers
run beside it over the same window: the same hold drawn with its exercise
figure (the calf wall stretch: a still picture), and a tempo squat whose
figure moves with every phase of every rep (3-1-1, redrawn as the count
moves), so the figure's cost reads as the difference from the plain hold.

Over that window: CPU time divided by wall time, as % of one core, where CPU
time is each thread's own run time from ``/proc/PID/task/TID/schedstat``
(nanoseconds, read every second so a thread that ends keeps what it used)
plus what the children it waited for used (``/proc/PID/stat``; that file
alone counts in 10 ms ticks, a sixth of the bare app's whole use over 20 s);
and from ``/proc/PID/status`` the largest ``VmRSS`` seen in once-a-second
samples. A bare Textual app redrawing a countdown once a second
(``hello_app.py --ticking``) runs in another pane over the same window, as
the floor any Textual app with a timer pays; the target is on the trainer's
CPU over that. The 1-minute load average before and after the window is in
the ratio's note: on a shared machine compare ratios within one run, and
repeat when the load is high. The screen is read before and after, to be
sure the countdown really was running.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from common import VENV_BIN, Figure, write_routine
from hello_app import TEXT as HELLO_TEXT
from startup import environment
from terminal import Tmux

#: Issue 18: idle CPU during a countdown against a bare Textual app with a ticking timer.
RATIO_TARGET = 1.3

ROUTINE = """\
title: Idle hold
summary: One long hold, to watch the app while it counts down.
blocks:
  - name: Hold
    steps:
      - {kind: hold, name: Couch stretch, duration: 90s}
"""
FIGURE_ROUTINES = {
    "idle-figure-hold": """\
title: Idle hold with a figure
summary: The same hold, drawn with its exercise figure.
blocks:
  - name: Hold
    steps:
      - {use: calf-wall-stretch, sides: left, duration: 90s, cues: []}
""",
    "idle-figure-reps": """\
title: Idle reps with a moving figure
summary: Slow squats whose figure moves with the count.
blocks:
  - name: Reps
    steps:
      - {use: tempo-squat, reps: 20, sets: 1, rest: null, tempo: 3-1-1, advance: auto, cues: []}
""",
    "idle-plain-reps": """\
title: Idle reps without a figure
summary: The same squats with no pose, to tell the figure's cost from the count's.
blocks:
  - name: Reps
    steps:
      - {kind: reps, name: Squat, reps: 20, tempo: 3-1-1, advance: auto}
""",
}
CPU_TARGET = 3.0  # % of one core
#: What drawing the figure may add to the plain hold's CPU (% of one core).
FIGURE_CPU_TARGET = 1.0
RSS_TARGET = 80.0  # MB


def children_cpu_seconds(pid: int) -> float:
    """User + system time of the children ``pid`` waited for (espeak-ng), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cutime, cstime = (int(value) for value in fields[13:15])
    return (cutime + cstime) / os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds(pid: int) -> dict[str, float]:
    """Run time of each thread of ``pid`` so far, in seconds (nanosecond counters)."""
    times = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            times[task.name] = int((task / "schedstat").read_text().split()[0]) / 1e9
        except (OSError, IndexError, ValueError):
            continue  # the thread ended meanwhile
    return times


class CpuWatch:
    """CPU time of one process from now on: its threads' and its waited-for children's."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._start = thread_cpu_seconds(pid)
        self._last = dict(self._start)
        self._children = children_cpu_seconds(pid)

    def sample(self) -> None:
        """Read the threads again (a thread that ends keeps its last reading)."""
        self._last.update(thread_cpu_seconds(self.pid))

    def seconds(self) -> float:
        self.sample()
        threads = sum(used - self._start.get(tid, 0.0) for tid, used in self._last.items())
        return threads + children_cpu_seconds(self.pid) - self._children


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def watch(pids: dict[str, int], seconds: float) -> dict[str, tuple[float, float]]:
    """(CPU % of one core, largest RSS in MB) of each process over ``seconds``."""
    cpu = {name: CpuWatch(pid) for name, pid in pids.items()}
    largest = {name: rss_mb(pid) for name, pid in pids.items()}
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        time.sleep(1.0)
        for name, pid in pids.items():
            cpu[name].sample()
            largest[name] = max(largest[name], rss_mb(pid))
    used = {name: watch.seconds() for name, watch in cpu.items()}
    wall = time.monotonic() - started
    return {name: (used[name] / wall * 100, largest[name]) for name in pids}


def measure(tmux: Tmux, quick: bool = False) -> list[Figure]:
    window = 20.0 if quick else 60.0
    with tempfile.TemporaryDirectory(prefix="trainer-idle-") as tmp:
        folder = Path(tmp)
        write_routine(folder, "idle-hold", ROUTINE)
        for routine_id, text in FIGURE_ROUTINES.items():
            write_routine(folder, routine_id, text)
        env = {**environment(folder), "TRAINER_ROUTINES_DIR": str(folder / "routines")}
        hello = [sys.executable, str(Path(__file__).with_name("hello_app.py")), "--ticking"]
        runs = {"idle-trainer": "idle-hold", **{name: name for name in FIGURE_ROUTINES}}
        for session, routine_id in runs.items():
            # Each its own data folder: one trainer per data folder may run at a time.
            data = folder / f"data-{session}"
            data.mkdir()
            trainer = [str(VENV_BIN / "trainer"), "run", routine_id, "--pedal", "none"]
            tmux.start(session, trainer, {**env, "TRAINER_DATA_DIR": str(data)})
        tmux.start("idle-hello", hello, env)
        try:
            result = _watch_hold(tmux, window, list(runs))
        finally:
            for session in [*runs, "idle-hello"]:
                tmux.kill(session)
    load = result.pop("load")
    (cpu, rss), (hello_cpu, hello_rss) = result["idle-trainer"], result["hello"]
    still_cpu, _ = result["idle-figure-hold"]
    moving_cpu, moving_rss = result["idle-figure-reps"]
    plain_reps_cpu, _ = result["idle-plain-reps"]
    note = f"over {window:.0f} s of a 90 s hold"
    return [
        Figure("idle: trainer CPU, counting down", cpu, "%", "<=", CPU_TARGET, note),
        Figure("idle: trainer RSS, counting down", rss, "MB", "<=", RSS_TARGET),
        Figure("idle: trainer CPU, hold with its figure", still_cpu, "%", "<=", CPU_TARGET),
        Figure(
            "idle: trainer CPU, figure moving (reps)",
            moving_cpu,
            "%",
            "<=",
            CPU_TARGET,
            "tempo squat 3-1-1, same window",
        ),
        Figure("idle: trainer CPU, same reps, no figure", plain_reps_cpu, "%", "<=", CPU_TARGET),
        Figure(
            "idle: figure still, added to the hold",
            still_cpu - cpu,
            "%",
            "<=",
            FIGURE_CPU_TARGET,
            "hold with figure minus plain hold",
        ),
        Figure(
            "idle: figure moving, added to the reps",
            moving_cpu - plain_reps_cpu,
            "%",
            "<=",
            FIGURE_CPU_TARGET,
            "reps with figure minus the same reps without",
        ),
        Figure("idle: trainer RSS, figure moving", moving_rss, "MB", "<=", RSS_TARGET),
        Figure("idle: bare Textual CPU, ticking, same window", hello_cpu, "%"),
        Figure(
            "idle: trainer / bare Textual ticking, CPU",
            cpu / hello_cpu if hello_cpu else float("inf"),
            "x",
            "<=",
            RATIO_TARGET,
            f"both redraw a countdown once a second; load {load[0]:.2f} -> {load[1]:.2f}",
        ),
        Figure("idle: bare Textual RSS, same window", hello_rss, "MB"),
    ]


def _watch_hold(tmux: Tmux, window: float, sessions: list[str]) -> dict[str, tuple[float, float]]:
    for session in sessions:
        if not tmux.wait_for(session, "tap to start"):
            raise RuntimeError(f"{session} did not start:\n{tmux.capture(session)}")
    if not tmux.wait_for("idle-hello", HELLO_TEXT):
        raise RuntimeError("the bare Textual app did not start")
    for session in sessions:
        tmux.send_keys(session, "Space")
    time.sleep(10.0)
    before = {session: tmux.capture(session) for session in sessions}
    pids = {session: tmux.pane_pid(session) for session in sessions}
    pids["hello"] = tmux.pane_pid("idle-hello")
    load_before = os.getloadavg()[0]
    result: dict[str, tuple[float, float]] = watch(pids, window)
    result["load"] = (load_before, os.getloadavg()[0])  # 1-minute load average
    for session in sessions:
        after = tmux.capture(session)
        if after == before[session]:
            raise RuntimeError(f"{session} was not counting down:\n{after}")
        if "figure" in session and not any(0x2801 <= ord(c) <= 0x28FF for c in after):
            raise RuntimeError(f"{session} drew no figure:\n{after}")
    return result
