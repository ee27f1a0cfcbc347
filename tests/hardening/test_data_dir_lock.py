"""One trainer per data folder; the lock never survives its process.

The report: a second ``trainer run`` offered to "resume" the first one's live
session (both then wrote the same row) or marked it interrupted. Here a real
``trainer run`` holds the folder in a pseudo-terminal while a second one is
started against it, then the first is killed with SIGKILL and the folder is
free at once. Variants: a kiosk against a running trainer, a lock held by a
bare process, the lock file left behind, a symlinked lock file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_helpers import Terminal

from trainer.adapters.store import SessionStore
from trainer.adapters.store.lock import LOCK_FILE_NAME, DataDirBusy, DataDirLock
from trainer.commands._app_setup import DATA_DIR_BUSY

HOLDER = """
import sys, time
from pathlib import Path
from trainer.adapters.store.lock import DataDirLock
lock = DataDirLock.acquire(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(600)
"""


def _wait_until(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_a_second_lock_on_the_same_folder_is_refused_and_names_the_holder(tmp_path: Path) -> None:
    with DataDirLock.acquire(tmp_path) as first:
        assert first.held
        with pytest.raises(DataDirBusy, match=rf"process {os.getpid()}.*{tmp_path}"):
            DataDirLock.acquire(tmp_path)
    with DataDirLock.acquire(tmp_path) as again:  # released on exit
        assert again.held


def test_a_lock_file_left_behind_is_not_a_lock(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE_NAME).write_text("99999999 trainer run\n")
    with DataDirLock.acquire(tmp_path) as lock:
        assert lock.held
        assert (tmp_path / LOCK_FILE_NAME).read_text().startswith(f"{os.getpid()} ")


def test_a_symlinked_lock_file_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep me\n")
    (tmp_path / LOCK_FILE_NAME).symlink_to(target)
    with pytest.raises(OSError):
        DataDirLock.acquire(tmp_path)
    assert target.read_text() == "keep me\n"


def test_the_lock_does_not_survive_sigkill(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DataDirBusy, match=f"process {holder.pid}"):
            DataDirLock.acquire(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    with DataDirLock.acquire(tmp_path) as lock:
        assert lock.held


@pytest.fixture
def running_trainer(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    data = tmp_path / "data"
    terminal = Terminal("run", "quick-demo", data=data)
    lock_file = data / LOCK_FILE_NAME
    try:
        holder = f"{terminal.process.pid} "
        _wait_until(
            lambda: lock_file.exists() and lock_file.read_text().startswith(holder),
            "the first trainer to lock its data folder",
        )
        database = data / "history.sqlite3"

        def session_started() -> bool:
            terminal.press(b" ")  # the start screen waits for a tap
            return _running_sessions(database) == 1

        _wait_until(session_started, "the first trainer's session")
        yield terminal, data
    finally:
        terminal.kill()


def _running_sessions(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with SessionStore.open(database, check_writable=False) as store:
            return len(store.running_sessions())
    except Exception:
        return 0


@pytest.mark.parametrize("command", ["run", "kiosk"])
def test_a_second_trainer_is_told_and_touches_nothing(
    running_trainer: tuple[Terminal, Path], command: str
) -> None:
    first, data = running_trainer
    before = (data / "history.sqlite3").read_bytes()
    second = subprocess.run(
        [sys.executable, "-m", "trainer", command, "--pedal", "none", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert second.returncode == DATA_DIR_BUSY
    assert f"another trainer (process {first.process.pid}, `trainer run`)" in second.stderr
    assert str(data) in second.stderr and "--data-dir" in second.stderr
    assert first.process.poll() is None  # the first one runs on
    assert _running_sessions(data / "history.sqlite3") == 1  # not interrupted, not resumed
    assert (data / "history.sqlite3").read_bytes() == before


def test_after_sigkill_the_next_trainer_starts_and_may_resume(
    running_trainer: tuple[Terminal, Path],
) -> None:
    first, data = running_trainer
    first.kill()  # SIGKILL: no clean-up code runs
    second = Terminal("run", data=data)
    try:
        lock_file = data / LOCK_FILE_NAME
        _wait_until(
            lambda: lock_file.read_text().startswith(f"{second.process.pid} "),
            "the second trainer to take the lock",
        )
        assert second.process.poll() is None
        _wait_until(lambda: b"interrupted" in second.output, "the resume offer")
    finally:
        second.kill()
