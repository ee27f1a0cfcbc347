"""Every benchmark, one table: each figure, its target, PASS or FAIL.

    .venv/bin/python benchmarks/run.py            # everything (about 7 minutes)
    .venv/bin/python benchmarks/run.py --quick    # fewer repetitions (about 3 minutes)
    .venv/bin/python benchmarks/run.py --only startup,idle

Needs tmux (startup, idle, timer and pedal run the app in a real terminal).
What each figure means and how it is measured: README.md beside this file, and
the docstring of each benchmark's module. Exit status 1 if any target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

import audio_latency
import hardening
import idle_cost
import kiosk_day
import pedal_latency
import startup
import timer_accuracy
import validation
from common import Figure, format_table, machine
from terminal import Tmux

#: name -> (needs a terminal, how to measure)
BENCHMARKS: dict[str, tuple[bool, Callable[..., list[Figure]]]] = {
    "timer": (True, timer_accuracy.measure),
    "pedal": (True, pedal_latency.measure),
    "startup": (True, startup.measure),
    "idle": (True, idle_cost.measure),
    "validation": (False, validation.measure),
    "audio": (False, audio_latency.figures),
    "hardening": (False, hardening.measure),
    "kiosk": (False, kiosk_day.measure),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    figures: list[Figure] = []
    load_before = " ".join(f"{load:.2f}" for load in os.getloadavg())
    with Tmux() as tmux:
        for name in chosen:
            needs_terminal, measure = BENCHMARKS[name]
            started = time.monotonic()
            print(f"running {name}...", file=sys.stderr, flush=True)
            figures += measure(tmux, args.quick) if needs_terminal else measure(args.quick)
            print(f"  {name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    for key, value in machine().items():
        print(f"{key}: {value}")
    print(f"load average at the start (1, 5, 15 min): {load_before}")
    print()
    print(format_table(figures))
    return 1 if any(figure.passed is False for figure in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
