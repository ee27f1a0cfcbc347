"""What every benchmark shares: figures with targets, percentiles, the machine, the app setup.

A benchmark module exposes ``measure(options) -> list[Figure]``; ``run.py``
collects the figures of all of them into one table.
"""

from __future__ import annotations

import datetime
import gc
import inspect
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.settings import PedalSettings
from trainer.core.settings import AppSettings

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"

_COMPARE = {
    "<": lambda value, limit: value < limit,
    "<=": lambda value, limit: value <= limit,
}


@dataclass(frozen=True)
class Figure:
    """One measured number and, if it has one, its target (``value op limit``).

    A figure with no ``op`` is reported for information (the table shows ``info``).
    """

    name: str
    value: float
    unit: str
    op: str | None = None
    limit: float | None = None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.op is None or self.limit is None:
            return None
        return _COMPARE[self.op](self.value, self.limit)

    @property
    def target(self) -> str:
        if self.op is None:
            return "-"
        return f"{self.op} {_number(self.limit)} {self.unit}".rstrip()

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "info"}[self.passed]


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def format_table(figures: Sequence[Figure]) -> str:
    """The figures as a fixed-width text table (also valid Markdown)."""
    rows = [("figure", "value", "target", "result", "note")]
    rows += [
        (f.name, f"{_number(f.value)} {f.unit}".rstrip(), f.target, f.verdict, f.note)
        for f in figures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append(
            "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        )
        if number == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.99 is p99) of a non-empty sample."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def machine() -> dict[str, str]:
    """The facts about this machine that the figures depend on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Model")):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "load average (1, 5, 15 min)": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def app_settings(
    folder: Path, *, pedal: PedalSettings | None = None, clock=None, **extra
) -> AppSettings:
    """Settings for an app run inside ``folder``: its own database and routines, no sound.

    Sound is silent because audio is measured on its own (``audio_latency.py``):
    the app only queues cues, so a real device would not change what the app does.
    """
    routines = folder / "routines"
    routines.mkdir(parents=True, exist_ok=True)
    fields = {
        "audio": AudioSettings(backend="silent", speech=False),
        "pedal": pedal or PedalSettings(mode="none"),
        "database": folder / "history.sqlite3",
        "routine_folders": (routines,),
        "log_dir": folder / "logs",
        **extra,
    }
    if clock is not None:
        fields["clock"] = clock
    return AppSettings(**fields)


class Stopwatch:
    """Durations (ms) of every call to one method: to see what takes the time.

    Only for benchmark child processes, which exist for one run: it replaces
    the method on ``owner`` (a class, or one object) for good.
    """

    def __init__(self, owner: object, name: str) -> None:
        self.ms: list[float] = []
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.ms.append((time.perf_counter() - start) * 1000)

        setattr(owner, name, timed)


class GcPauses:
    """Every garbage collection from now on: (start, end) ``perf_counter`` times.

    A full (generation 2) collection of an app this size stops the event loop
    for tens of milliseconds, so it is the first suspect for an outlier.
    """

    def __init__(self) -> None:
        self.spans: list[tuple[float, float]] = []
        self._started = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.spans.append((self._started, time.perf_counter()))

    def overlapping(self, start: float, end: float) -> bool:
        return any(began < end and ended > start for began, ended in self.spans)

    def longest_ms(self) -> float:
        return max(((end - start) * 1000 for start, end in self.spans), default=0.0)


def css_of(cls: type) -> Path:
    """``cls.CSS_PATH`` made absolute.

    Textual reads a class's ``CSS_PATH`` relative to the module that defines the
    subclass, so a benchmark's subclass of an app or screen must name the original.
    """
    return Path(inspect.getfile(cls)).with_name(cls.CSS_PATH)


def write_routine(folder: Path, routine_id: str, text: str) -> Path:
    """Write a routine file into ``folder/routines`` (as :func:`app_settings` reads it)."""
    path = folder / "routines" / f"{routine_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
