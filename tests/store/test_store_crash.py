"""A real crash: SIGKILL a process mid-session, then resume from the log it left."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import ROUTINE_ID, catalog_of, open_store, routine_data, write_routine

from trainer.adapters.store import ResumeOffer, ResumeRefusal, SessionRecorder, find_resume_offer
from trainer.engine.session import Session
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Gesture

CHILD = Path(__file__).with_name("crash_child.py")
REPO = Path(__file__).resolve().parents[2]
MOMENTS_BEFORE_KILL = 6
SPEED = 25.0  # a 2 s hold takes 80 ms of real time


def moments_logged(database: Path) -> int:
    """Count logged moments through a separate connection, as another program would."""
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as reader:
            return reader.execute("SELECT count(*) FROM moments").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


@pytest.fixture
def crashed(tmp_path):
    """A routine folder and a database left behind by a SIGKILLed session."""
    folder = tmp_path / "routines"
    write_routine(folder)
    database = tmp_path / "data" / "history.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(folder), str(database), str(SPEED)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while moments_logged(database) < MOMENTS_BEFORE_KILL:
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the child never logged enough moments"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return folder, database


def test_a_killed_session_resumes_where_it_was_with_nothing_lost(crashed):
    folder, database = crashed
    catalog = catalog_of(folder)
    with open_store(database) as store:
        (session,) = store.running_sessions()  # still "running": it never got to say otherwise
        logged = [row.entry for row in store.moments(session.id)]
        done = len(logged)
        assert done >= MOMENTS_BEFORE_KILL
        assert [entry.moment_index for entry in logged] == list(range(done))
        assert all(entry.actual_seconds == entry.planned_seconds for entry in logged)
        assert session.current_moment == done  # moved in the same commit as each moment

        offer = find_resume_offer(store, catalog)
        assert isinstance(offer, ResumeOffer)
        assert offer.moment_index == done and offer.completed == tuple(range(done))
        assert offer.session.id == session.id

        # Resume and finish on a fake clock: the log ends complete, in the same row.
        engine = Session(offer.plan, start_index=offer.moment_index)
        assert engine.state is SessionState.READY and engine.index == done
        recorder = SessionRecorder(store, session_id=offer.session.id)
        now = 10_000.0
        recorder.handle(engine.gesture(Gesture.TAP, now))
        while not engine.state.ended:
            now = engine.next_deadline(now)
            recorder.handle(engine.tick(now))
        finished = store.session(session.id)
        assert (finished.status, finished.current_moment) == ("finished", len(offer.plan))
        indices = [row.entry.moment_index for row in store.moments(session.id)]
        assert indices == list(range(len(offer.plan)))


def test_a_killed_session_of_a_changed_routine_is_refused(crashed):
    folder, database = crashed
    data = routine_data()
    data["blocks"][0]["steps"][0]["duration"] = 3  # edit the routine after the crash
    write_routine(folder, data)
    with open_store(database) as store:
        refusal = find_resume_offer(store, catalog_of(folder))
        assert isinstance(refusal, ResumeRefusal)
        assert f"'{ROUTINE_ID}'" in refusal.reason and "was changed" in refusal.reason
        # Refusing loses nothing: the moments stay in the history.
        assert len(store.moments(refusal.session.id)) >= MOMENTS_BEFORE_KILL
