"""Startup: ``trainer`` to an interactive picker, against a bare Textual app, in a real terminal.

Both programs run in tmux panes of the same size. The clock starts just before
``tmux new-session`` and stops when ``capture-pane`` first shows the text
("Pick a routine", or the hello app's line). The screen is polled every few
milliseconds (each poll runs the tmux client), so both pay the same polling
cost. Runs alternate (trainer, hello, trainer, ...) so that changes in the
machine's load hit both alike; each figure is the median of its runs, and the
target is on the ratio of the medians.

The clock stops at the first routine's title ("Ankle release"), not the header.
The trainer's bytecode is compiled first (``compileall``), as an installed
package's is. At least 15 alternating runs, even with ``--quick``.

The trainer runs as installed, ``.venv/bin/trainer run --pedal auto`` (the Pi's
default; with no GPIO here it falls back to keys and says so), with
``HOME``, the XDG folders and ``TRAINER_DATA_DIR`` in a temporary folder, and
ALSA's default device routed to a file: real libasound and simpleaudio, as on
a Pi with a sound card (this machine has none), so the audio startup is paid as
it would be there. One unmeasured run of each comes first, so the history
database exists (as on every start but the very first) and both programs find
their files in the page cache.

To show what dominates, :mod:`startup_phases` times the trainer's imports and
each of its opening steps in fresh processes (reported for information).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audio_latency import alsa_file_environment
from common import ROOT, VENV_BIN, Figure, median
from hello_app import TEXT as HELLO_TEXT
from terminal import Tmux

#: A routine's title on the picker (the first in the list), not just the header.
PICKER_TEXT = "Ankle release"
#: At least this many alternating runs of each, even with ``--quick``.
RUNS = 15
RATIO_TARGET = 1.4  # issue 18: warm cache, to a painted routine title


def environment(home: Path) -> dict[str, str]:
    """The variables both programs get: every folder they may use is below ``home``."""
    env = alsa_file_environment(home)
    names = ("HOME", "XDG_CONFIG_HOME", "TRAINER_DATA_DIR")
    folders = {name: str(home / name.lower()) for name in ("XDG_DATA_HOME", "XDG_STATE_HOME")}
    return {**{name: env[name] for name in names}, **folders, "XDG_CACHE_HOME": str(home)}


def time_to_text(tmux: Tmux, name: str, command: list[str], env: dict, text: str) -> float:
    """Seconds from launching ``command`` in a new pane until ``text`` shows on it."""
    started = time.perf_counter()
    tmux.start(name, command, env)
    shown = tmux.wait_for(name, text, timeout=60)
    elapsed = time.perf_counter() - started
    screen = tmux.capture(name)
    tmux.kill(name)
    time.sleep(0.3)  # let the program exit before the next one starts
    if not shown:
        raise RuntimeError(f"{command[0]} never showed {text!r}:\n{screen}")
    return elapsed


def phase_breakdown(env: dict[str, str], runs: int = 3) -> dict[str, float]:
    """Medians (ms) of what :mod:`startup_phases` finds, each part in fresh processes."""
    script = str(Path(__file__).with_name("startup_phases.py"))
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        for extra in ([], ["--textual"]):
            done = subprocess.run(
                [sys.executable, script, *extra],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=True,
            )
            for name, value in json.loads(done.stdout).items():
                found.setdefault(name, []).append(value)
    return {name: median(values) for name, values in found.items()}


def _breakdown_figures(phases: dict[str, float]) -> list[Figure]:
    label = "startup: of which"
    return [
        Figure(f"{label} imports", phases["imports"], "ms", note="trainer run's modules"),
        Figure(f"{label} imports, bare Textual", phases["textual_imports"], "ms"),
        Figure(f"{label} audio open", phases["open_audio"], "ms", note="AudioPlayer.create"),
        Figure(f"{label} routine catalog", phases["load_catalog"], "ms"),
        Figure(f"{label} picker", phases["show_picker"], "ms"),
    ]


def measure(tmux: Tmux, quick: bool = False) -> list[Figure]:
    runs = RUNS
    # --pedal auto is the Pi's default (here it finds no GPIO and says so).
    trainer = [str(VENV_BIN / "trainer"), "run", "--pedal", "auto"]
    # Bytecode precompiled, as an installed package's is.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "trainer")], check=True)
    hello = [sys.executable, str(Path(__file__).with_name("hello_app.py"))]
    times: dict[str, list[float]] = {"trainer": [], "hello": []}
    with tempfile.TemporaryDirectory(prefix="trainer-startup-") as tmp:
        env = environment(Path(tmp))
        phases = phase_breakdown(env, 1 if quick else 3)
        for number in range(runs + 1):
            for name, command, text in (
                ("trainer", trainer, PICKER_TEXT),
                ("hello", hello, HELLO_TEXT),
            ):
                seconds = time_to_text(tmux, f"startup-{name}", command, env, text)
                if number > 0:  # the first of each warms up
                    times[name].append(seconds * 1000)
    trainer_ms, hello_ms = median(times["trainer"]), median(times["hello"])
    return [
        Figure("startup: trainer to a title, median", trainer_ms, "ms", note=f"{runs} runs"),
        Figure("startup: bare Textual app, median", hello_ms, "ms", note=f"{runs} runs"),
        Figure(
            "startup: trainer / bare Textual",
            trainer_ms / hello_ms,
            "x",
            "<=",
            RATIO_TARGET,
            "ratio of medians",
        ),
        *_breakdown_figures(phases),
    ]
