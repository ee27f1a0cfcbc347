"""A store that fails for a while never stops recording, and nothing is lost.

The report: another process held the write lock for 3 s, the app stopped
recording for the rest of the session ("Session history stopped"), 5 of 7 later
moments were never logged and the session stayed ``running``; a full disk did
the same after space was freed. Here the competitor is a real second process
holding SQLite's write lock, and the full disk is a real, tiny tmpfs filled to
the last byte. Variants: the outage spans the session's end, the lock returns
while records wait, and the process "dies" while the disk is full (the session
is then resumable at its last saved moment).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.adapters.store import ResumeOffer, SessionRecorder, SessionStore, find_resume_offer
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.vocabulary import Gesture
from trainer.routine.catalog import Catalog, load_catalog

ROUTINE = """\
title: Outage test
summary: Many short moments.
blocks:
  - name: Main
    steps:
{steps}"""

HOLD_THE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


def _catalog(folder: Path, moments: int = 20) -> Catalog:
    folder.mkdir(parents=True, exist_ok=True)
    steps = "".join(
        f"      - {{kind: instruction, name: Step {n:02}, text: Tap on.}}\n" for n in range(moments)
    )
    (folder / "outage-test.yaml").write_text(ROUTINE.format(steps=steps))
    catalog = load_catalog([folder])
    assert not catalog.issues, catalog.issues
    return catalog


class _Run:
    """The engine feeding a recorder, one tap per moment, on the real clock."""

    def __init__(self, catalog: Catalog, store: SessionStore) -> None:
        self.session = Session(build_plan(catalog.routines["outage-test"]))
        self.heard: list[str] = []
        self.recorder = SessionRecorder(store, listener=self.heard.append)
        self.now = 1000.0

    def tap(self) -> None:
        self.now += 2
        self.recorder.handle(self.session.gesture(Gesture.TAP, self.now))

    def to_end(self) -> None:
        while not self.session.state.ended:
            self.tap()


def _rows(database: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


def _wait_settled(recorder: SessionRecorder, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while recorder.pending:
        assert time.monotonic() < deadline, f"{recorder.pending} records never saved"
        recorder.flush()
        time.sleep(0.05)


def test_a_three_second_lock_by_another_process_loses_nothing(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path / "routines")
    database = tmp_path / "history.sqlite3"
    with SessionStore.open(database) as store:
        run = _Run(catalog, store)
        for _ in range(5):
            run.tap()
        other = subprocess.Popen(
            [sys.executable, "-c", HOLD_THE_LOCK, str(database), "3"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        most_pending = 0
        while other.poll() is None:  # the session goes on while the lock is held
            run.tap()
            most_pending = max(most_pending, run.recorder.pending)
            time.sleep(0.2)
        # Not pending now: a loaded machine can take a while to end the other process
        # after it let go, and taps meanwhile save what waited.
        assert most_pending > 0, "the lock was never felt"
        assert "locked by another program" in run.heard[0]
        run.to_end()
        _wait_settled(run.recorder)
        # Said once, whether a tap saved it all while the other process was ending or after.
        assert run.heard[1:] == ["Session history saved again: nothing was lost."]
    moments = _rows(database, "SELECT moment_index FROM moments ORDER BY id")
    assert [index for (index,) in moments] == list(range(20))  # all, in order, once
    assert _rows(database, "SELECT status, current_moment FROM sessions") == [("finished", 20)]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB filesystem (tmpfs), mounted for the test; needs root."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0777", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the filesystem holding ``folder`` to the last byte; return the filler."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(descriptor)
    assert os.statvfs(folder).f_bavail == 0
    return filler


def test_a_full_disk_keeps_the_records_and_saves_them_once_space_is_freed(
    tmp_path: Path, tiny_disk: Path
) -> None:
    catalog = _catalog(tmp_path / "routines", moments=40)
    database = tiny_disk / "history.sqlite3"
    with SessionStore.open(database) as store:
        run = _Run(catalog, store)
        for _ in range(5):
            run.tap()
        filler = _fill(tiny_disk)
        run.to_end()  # the session's end happens while the disk is full
        assert run.recorder.pending > 0 and run.recorder.outage is not None
        assert run.recorder.outage.reason == "full"
        assert len(run.heard) == 1 and "is full" in run.heard[0]
        filler.unlink()
        _wait_settled(run.recorder)
    moments = _rows(database, "SELECT moment_index FROM moments ORDER BY id")
    assert [index for (index,) in moments] == list(range(40))
    assert _rows(database, "SELECT status FROM sessions") == [("finished",)]
    assert _rows(database, "PRAGMA integrity_check") == [("ok",)]


def test_dying_while_the_disk_is_full_leaves_a_resumable_session(
    tmp_path: Path, tiny_disk: Path
) -> None:
    catalog = _catalog(tmp_path / "routines", moments=40)
    database = tiny_disk / "history.sqlite3"
    store = SessionStore.open(database)
    run = _Run(catalog, store)
    for _ in range(6):
        run.tap()
    filler = _fill(tiny_disk)
    for _ in range(10):
        run.tap()
    assert run.recorder.pending > 0
    store.close()  # the process ends here: what waited in memory is gone
    filler.unlink()
    with SessionStore.open(database) as reopened:
        offer = find_resume_offer(reopened, catalog)
        assert isinstance(offer, ResumeOffer)
        saved = _rows(database, "SELECT count(*) FROM moments")[0][0]
        assert offer.moment_index == saved  # picks up right after the last saved moment
