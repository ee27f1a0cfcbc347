"""Validation: 1,000 generated routine files, checked in-process and by ``trainer validate``.

The files are generated (seeded, so every run sees the same ones) to look like
real routines: 2-4 blocks of 3-8 steps of every kind, with cues, tempos, sets,
sides and ``use:`` of the bundled exercise library (so library resolution is
paid for too). Each must come out valid.

* **in-process**: :func:`trainer.routine.catalog.load_catalog` over the bundled
  folder and the generated one, against the floor (:mod:`validation_floor`:
  libyaml's C loader and pydantic, nothing else) in the same process, median of 3;
* **failing files**: a tenth of the files, each with one mistake, per file;
* **command**: the installed ``trainer validate FOLDER`` as a user runs it,
  interpreter start and imports included, against the floor as a command
  (``python validation_floor.py FOLDER``), alternating, median of 3: *new files*
  (never validated: every routine's sound is planned) and *again* (as a coach
  validates the same folder again: the sound plans are kept); and once, the
  *first on a machine*, when espeak-ng renders every line it has not measured.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
import time
from pathlib import Path

from common import VENV_BIN, Figure, median
from validation_floor import validate_floor

from trainer import paths
from trainer.commands._sound_cache import CACHE_FILE as SOUND_CACHE_FILE
from trainer.routine.catalog import load_catalog

FILES = 1000
TARGET_SECONDS = 2.0
#: Issue 18: at most this much slower than libyaml's C loader + pydantic alone.
FLOOR_RATIO_TARGET = 1.4
#: Bundled library exercises, each with an override that suits its kind.
LIBRARY = {
    "calf-wall-stretch": "duration: 40s",
    "figure-four-stretch": "duration: 45s",
    "clamshell": "sets: 2",
    "tempo-squat": "reps: 6",
}


def _step(rng: random.Random, number: int) -> str:
    kind = rng.choice(["hold", "reps", "timed", "rest", "instruction", "use", "check"])
    name = f"Step {number}"
    if kind == "hold":
        cues = "[Breathe out, {text: Sink a little deeper, at: 10s}]"
        return f"{{kind: hold, name: {name}, sides: each, duration: 30s, cues: {cues}}}"
    if kind == "reps":
        return f"{{kind: reps, name: {name}, reps: 8, sets: 2, tempo: 3-1-1, rest: 30s}}"
    if kind == "timed":
        return f"{{kind: timed, name: {name}, work: 40s, sets: 2, rest: 20s, sides: each}}"
    if kind == "rest":
        return "{kind: rest, duration: 20s}"
    if kind == "instruction":
        return f"{{kind: instruction, name: {name}, text: Get a mat and a band.}}"
    if kind == "check":
        return "{use: knee-to-wall, duration: 10s}"
    exercise = rng.choice(sorted(LIBRARY))
    return f"{{use: {exercise}, {LIBRARY[exercise]}}}"


def routine_text(rng: random.Random, number: int) -> str:
    lines = [
        f"title: Generated routine {number}",
        "summary: A generated routine for the validation benchmark.",
        "focus: [ankle, hip]",
        "blocks:",
    ]
    for block in range(rng.randint(2, 4)):
        lines += [f"  - name: Block {block}", "    steps:"]
        lines += [f"      - {_step(rng, step)}" for step in range(rng.randint(3, 8))]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int = FILES) -> None:
    rng = random.Random(8)
    for number in range(count):
        (folder / f"generated-{number:04}.yaml").write_text(routine_text(rng, number))


def time_in_process(folder: Path) -> float:
    started = time.perf_counter()
    catalog = load_catalog([paths.BUNDLED_ROUTINES_DIR, folder])
    elapsed = time.perf_counter() - started
    generated = [r for r in catalog.routines.values() if r.path.parent == folder]
    if len(generated) != FILES or catalog.issues:
        raise RuntimeError(f"{len(generated)} valid; first issues: {catalog.issues[:3]}")
    return elapsed


def time_command(folder: Path, home: Path) -> float:
    """``trainer validate FOLDER`` as a user runs it, with ``home`` as its home folder."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    return _time_run([str(VENV_BIN / "trainer"), "validate", str(folder)], env)


def _time_run(command: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds ``command`` took; it must say that every file is OK."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or f"{FILES} files OK" not in done.stdout:
        raise RuntimeError(f"{command} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def time_floor(folder: Path) -> float:
    """The floor in-process (see :mod:`validation_floor`)."""
    started = time.perf_counter()
    valid = validate_floor(folder)
    elapsed = time.perf_counter() - started
    if valid != FILES:
        raise RuntimeError(f"floor: {valid} valid")
    return elapsed


def time_floor_command(folder: Path) -> float:
    """The floor as a command: an interpreter, its imports, then :func:`validate_floor`."""
    floor = Path(__file__).with_name("validation_floor.py")
    return _time_run([str(VENV_BIN / "python"), str(floor), str(folder)])


def break_files(folder: Path, broken: Path) -> int:
    """Copies of the first tenth of the files, each with one mistake (a duration that
    is not one), for the cost of a file that fails."""
    broken.mkdir()
    count = 0
    for path in sorted(folder.glob("*.yaml"))[: FILES // 10]:
        text = path.read_text(encoding="utf-8")
        if "duration: " in text:
            (broken / path.name).write_text(
                text.replace("duration: ", "duration: ten parsecs ", 1), encoding="utf-8"
            )
            count += 1
    return count


def time_failing(broken: Path, count: int) -> float:
    started = time.perf_counter()
    catalog = load_catalog([broken])
    elapsed = time.perf_counter() - started
    if len(catalog.bad_files) != count:
        raise RuntimeError(f"{len(catalog.bad_files)} of {count} broken files refused")
    return elapsed


def measure(quick: bool = False) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="trainer-validate-") as tmp:
        folder = Path(tmp, "routines")
        folder.mkdir()
        generate(folder)
        broken = Path(tmp, "broken")
        count = break_files(folder, broken)
        home = Path(tmp, "home")
        home.mkdir()
        # A new machine: every spoken line espeak-ng has not measured is rendered once.
        first = time_command(folder, home)
        sound_cache = home / ".cache" / "trainer" / SOUND_CACHE_FILE
        time_floor_command(folder)  # the floor's bytecode written too
        in_process, floor, failing, floor_command, new, again = [], [], [], [], [], []
        for _ in range(3):  # alternating, so the machine's load hits each alike
            floor_command.append(time_floor_command(folder))
            sound_cache.unlink()  # files never validated before: their sound is planned
            new.append(time_command(folder, home))
            again.append(time_command(folder, home))  # as a coach validates again
            in_process.append(time_in_process(folder))
            floor.append(time_floor(folder))
            failing.append(time_failing(broken, count))
    note = f"{FILES} files, median of 3"
    return [
        Figure("validate: floor, libyaml C + pydantic", median(floor), "s", note=note),
        Figure(
            "validate: load_catalog / floor",
            median(in_process) / median(floor),
            "x",
            "<=",
            FLOOR_RATIO_TARGET,
            "in-process, same run, alternating",
        ),
        Figure(
            "validate: failing files, per file",
            median(failing) / count * 1000,
            "ms",
            note=f"{count} files with one mistake each, median of 3; a passing file "
            f"{median(in_process) / FILES * 1000:.2f} ms",
        ),
        Figure(
            "validate: load_catalog in-process", median(in_process), "s", "<", TARGET_SECONDS, note
        ),
        Figure("validate: floor as a command", median(floor_command), "s", note=note),
        Figure(
            "validate: `trainer validate DIR` again / floor",
            median(again) / median(floor_command),
            "x",
            "<=",
            FLOOR_RATIO_TARGET,
            f"{median(again):.2f} s; commands both, alternating",
        ),
        Figure(
            "validate: `trainer validate DIR` new files / floor",
            median(new) / median(floor_command),
            "x",
            "<=",
            FLOOR_RATIO_TARGET,
            f"{median(new):.2f} s; sound planned, spoken lengths known",
        ),
        Figure(
            "validate: `trainer validate DIR`, first on a machine",
            first,
            "s",
            note="once; espeak-ng renders the lines it never measured",
        ),
    ]
