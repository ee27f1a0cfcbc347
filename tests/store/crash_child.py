"""Child process for the crash test: runs a routine through engine + recorder for real.

Usage: python crash_child.py ROUTINE_DIR DATABASE SPEED

The clock is ``time.monotonic()`` sped up SPEED times, and the loop sleeps until
each ``next_deadline()`` exactly as the app would with set_timer. The parent
kills this process with SIGKILL part-way through.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from trainer.adapters.store import SessionRecorder, SessionStore
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.vocabulary import Gesture
from trainer.routine.catalog import load_catalog


def main(routine_dir: str, database: str, speed: float) -> None:
    loaded = load_catalog([Path(routine_dir)]).routines["crash-test"]
    plan = build_plan(loaded)
    store = SessionStore.open(Path(database))
    recorder = SessionRecorder(store)
    session = Session(plan)
    began = time.monotonic()

    def clock() -> float:
        return began + (time.monotonic() - began) * speed

    recorder.handle(session.gesture(Gesture.TAP, clock()))
    while not session.state.ended:
        deadline = session.next_deadline(clock())
        if deadline is None:
            recorder.handle(session.gesture(Gesture.TAP, clock()))
            continue
        delay = (deadline - clock()) / speed
        if delay > 0:
            time.sleep(delay)
        recorder.handle(session.tick(clock()))
    print("finished", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
