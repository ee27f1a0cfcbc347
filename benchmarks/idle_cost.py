"""Idle cost: CPU and memory while a 60 s hold counts down, in a real terminal.

The installed ``trainer run idle-hold --pedal none`` runs in a tmux pane (ALSA
routed to a file, as for the startup figures), starts the hold with a Space
key, and from 10 s into the hold is watched for ``window`` seconds (20 s; the
hold's halfway chime falls inside). Over that window, from ``/proc/PID/stat``:
user + system CPU time (all threads, and any child it waited for) divided by
wall time, as % of one core; and from ``/proc/PID/status`` the largest
``VmRSS`` seen in once-a-second samples. A bare Textual app runs in another
pane over the same window, as the floor any Textual app pays. The screen is
read before and after, to be sure the countdown really was running.
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

ROUTINE = """\
title: Idle hold
summary: One long hold, to watch the app while it counts down.
blocks:
  - name: Hold
    steps:
      - {kind: hold, name: Couch stretch, duration: 60s}
"""
CPU_TARGET = 3.0  # % of one core
RSS_TARGET = 80.0  # MB


def cpu_seconds(pid: int) -> float:
    """User + system time of ``pid`` (and its waited-for children), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def watch(pids: dict[str, int], seconds: float) -> dict[str, tuple[float, float]]:
    """(CPU % of one core, largest RSS in MB) of each process over ``seconds``."""
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    largest = {name: rss_mb(pid) for name, pid in pids.items()}
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        time.sleep(1.0)
        for name, pid in pids.items():
            largest[name] = max(largest[name], rss_mb(pid))
    wall = time.monotonic() - started
    return {
        name: ((cpu_seconds(pid) - cpu_before[name]) / wall * 100, largest[name])
        for name, pid in pids.items()
    }


def measure(tmux: Tmux, quick: bool = False) -> list[Figure]:
    window = 10.0 if quick else 20.0
    with tempfile.TemporaryDirectory(prefix="trainer-idle-") as tmp:
        folder = Path(tmp)
        write_routine(folder, "idle-hold", ROUTINE)
        env = {**environment(folder), "TRAINER_ROUTINES_DIR": str(folder / "routines")}
        trainer = [str(VENV_BIN / "trainer"), "run", "idle-hold", "--pedal", "none"]
        hello = [sys.executable, str(Path(__file__).with_name("hello_app.py"))]
        tmux.start("idle-trainer", trainer, env)
        tmux.start("idle-hello", hello, env)
        try:
            result = _watch_hold(tmux, window)
        finally:
            tmux.kill("idle-trainer")
            tmux.kill("idle-hello")
    (cpu, rss), (hello_cpu, hello_rss) = result["trainer"], result["hello"]
    note = f"over {window:.0f} s of a 60 s hold"
    return [
        Figure("idle: trainer CPU, counting down", cpu, "%", "<=", CPU_TARGET, note),
        Figure("idle: trainer RSS, counting down", rss, "MB", "<=", RSS_TARGET),
        Figure("idle: bare Textual CPU, same window", hello_cpu, "%"),
        Figure("idle: bare Textual RSS, same window", hello_rss, "MB"),
    ]


def _watch_hold(tmux: Tmux, window: float) -> dict[str, tuple[float, float]]:
    if not (
        tmux.wait_for("idle-trainer", "tap to start") and tmux.wait_for("idle-hello", HELLO_TEXT)
    ):
        raise RuntimeError(f"the idle run did not start:\n{tmux.capture('idle-trainer')}")
    tmux.send_keys("idle-trainer", "Space")
    time.sleep(10.0)
    before = tmux.capture("idle-trainer")
    pids = {"trainer": tmux.pane_pid("idle-trainer"), "hello": tmux.pane_pid("idle-hello")}
    result = watch(pids, window)
    if tmux.capture("idle-trainer") == before:
        raise RuntimeError(f"the hold was not counting down:\n{before}")
    return result
