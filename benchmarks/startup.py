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

**Warm and cold cache.** The picker paints from the rows the routine files
gave last time (:class:`trainer.core.routine_rows.RoutineRowCache`), so a
*warm* start (no routine changed since the last one) is timed to the first
routine's title. A *cold* start is the first after a routine changed: before
each cold run a routine in the user's folder is rewritten (a new title, so a new
size and time), and two times are taken in that run: to the first title (the
unchanged routines, from the cache) and to the changed routine's new title (the
full list, once everything is validated). Warm, cold and bare-Textual runs
alternate, so load hits all three alike.

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
COLD_TITLE_TARGET = 1.5  # issue 18: cold cache (a routine changed), to the first title
COLD_LIST_TARGET = 2.5  # ...and to the full list (the changed routine validated)
#: The user routine rewritten before each cold run (sorts last on the picker).
CHANGED_ID = "zz-changed"


def environment(home: Path) -> dict[str, str]:
    """The variables both programs get: every folder they may use is below ``home``."""
    env = alsa_file_environment(home)
    names = ("HOME", "XDG_CONFIG_HOME", "TRAINER_DATA_DIR")
    folders = {name: str(home / name.lower()) for name in ("XDG_DATA_HOME", "XDG_STATE_HOME")}
    return {**{name: env[name] for name in names}, **folders, "XDG_CACHE_HOME": str(home)}


def time_to_text(tmux: Tmux, name: str, command: list[str], env: dict, text: str) -> float:
    """Seconds from launching ``command`` in a new pane until ``text`` shows on it."""
    return time_to_texts(tmux, name, command, env, [text])[0]


def time_to_texts(
    tmux: Tmux, name: str, command: list[str], env: dict, texts: list[str]
) -> list[float]:
    """Seconds from launching ``command`` until each of ``texts`` shows, in turn."""
    started = time.perf_counter()
    tmux.start(name, command, env)
    elapsed = []
    for text in texts:
        shown = tmux.wait_for(name, text, timeout=60)
        elapsed.append(time.perf_counter() - started)
        if not shown:
            screen = tmux.capture(name)
            tmux.kill(name)
            raise RuntimeError(f"{command[0]} never showed {text!r}:\n{screen}")
    tmux.kill(name)
    time.sleep(0.3)  # let the program exit before the next one starts
    return elapsed


def change_a_routine(home: Path, number: int) -> str:
    """Rewrite the user's routine with a new title (new size and time); that title."""
    title = f"Zz changed {number:03d}"
    folder = home / "data" / "routines"  # the user routines below TRAINER_DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{CHANGED_ID}.yaml").write_text(
        f"id: {CHANGED_ID}\ntitle: {title}\nsummary: changed before each cold start\n"
        "blocks:\n  - name: A\n    steps:\n      - {kind: hold, name: Calf, duration: 30s}\n",
        encoding="utf-8",
    )
    return title


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
        Figure(f"{label} imports", phases["imports"], "ms", note="before the first paint"),
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
    times: dict[str, list[float]] = {"trainer": [], "hello": [], "cold": [], "cold_list": []}
    with tempfile.TemporaryDirectory(prefix="trainer-startup-") as tmp:
        env = environment(Path(tmp))
        title = change_a_routine(Path(tmp), 0)
        phases = phase_breakdown(env, 1 if quick else 3)
        for number in range(runs + 1):
            # Warm: nothing changed since the last start (the warm-up run fills the cache).
            seconds = time_to_text(tmux, "startup-trainer", trainer, env, PICKER_TEXT)
            if number > 0:  # the first of each warms up
                times["trainer"].append(seconds * 1000)
            seconds = time_to_text(tmux, "startup-hello", hello, env, HELLO_TEXT)
            if number > 0:
                times["hello"].append(seconds * 1000)
            title = change_a_routine(Path(tmp), number + 1)
            first, full = time_to_texts(tmux, "startup-cold", trainer, env, [PICKER_TEXT, title])
            if number > 0:
                times["cold"].append(first * 1000)
                times["cold_list"].append(full * 1000)
    trainer_ms, hello_ms = median(times["trainer"]), median(times["hello"])
    cold_ms, cold_list_ms = median(times["cold"]), median(times["cold_list"])
    return [
        Figure("startup: trainer to a title, median", trainer_ms, "ms", note=f"{runs} runs"),
        Figure("startup: bare Textual app, median", hello_ms, "ms", note=f"{runs} runs"),
        Figure(
            "startup: trainer / bare Textual",
            trainer_ms / hello_ms,
            "x",
            "<=",
            RATIO_TARGET,
            "warm cache, ratio of medians",
        ),
        Figure("startup, cold cache: to a title, median", cold_ms, "ms", note="a routine changed"),
        Figure("startup, cold cache: to the full list, median", cold_list_ms, "ms"),
        Figure(
            "startup, cold cache: title / bare Textual",
            cold_ms / hello_ms,
            "x",
            "<=",
            COLD_TITLE_TARGET,
            "ratio of medians",
        ),
        Figure(
            "startup, cold cache: full list / bare Textual",
            cold_list_ms / hello_ms,
            "x",
            "<=",
            COLD_LIST_TARGET,
            "the changed routine shown",
        ),
        *_breakdown_figures(phases),
    ]
