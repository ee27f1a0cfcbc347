"""Special files never hang the loader: only regular files on real filesystems are read.

The report: as root, ``kmsg.yaml -> /proc/kmsg`` hung ``trainer list`` (and the
kiosk) forever. Variants: a FIFO nobody writes to, a FIFO named explicitly, a
character device that never ends, a kernel file that looks regular.
Every command runs in a child process with a timeout, so a regression fails
instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.routine.issues import RoutineFileError
from trainer.routine.yamlsafe import read_yaml

GOOD = """\
title: Good one
summary: Still listed next to the special files.
blocks:
  - name: Main
    steps:
      - {kind: hold, name: Hold, duration: 5s}
"""


def _trainer(*args: str, routines: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRAINER_ROUTINES_DIR": str(routines)}
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD)
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "status.yaml").symlink_to("/proc/self/status")
    if Path("/proc/kmsg").exists():
        (folder / "kmsg.yaml").symlink_to("/proc/kmsg")
    return folder


def test_list_and_validate_finish_beside_special_files(hostile_folder: Path) -> None:
    listed = _trainer("list", routines=hostile_folder)
    assert "Good one" in listed.stdout
    assert listed.returncode == 1  # the special files are problems, named on the way
    assert "status.yaml" in listed.stdout and "kernel file" in listed.stdout
    # (Pipes and devices are not files to the folder scan: skipped, never opened.)
    checked = _trainer("validate", str(hostile_folder), routines=hostile_folder)
    assert "(1 routine)" in checked.stdout + checked.stderr or "1 routine OK" in checked.stderr


def test_a_fifo_named_on_the_command_line_does_not_hang(hostile_folder: Path) -> None:
    result = _trainer("show", str(hostile_folder / "fifo.yaml"), routines=hostile_folder)
    assert result.returncode == 1
    result = _trainer("validate", str(hostile_folder / "fifo.yaml"), routines=hostile_folder)
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fifo.yaml", "not a regular file (a pipe)"),
        ("zero.yaml", "not a regular file (a character device)"),
        ("status.yaml", "a kernel file"),
    ],
)
def test_the_reader_refuses_special_files(hostile_folder: Path, name: str, expected: str) -> None:
    with pytest.raises(RoutineFileError) as refused:
        read_yaml(hostile_folder / name)
    assert expected in str(refused.value)


@pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/proc/kmsg").exists(), reason="needs root and /proc/kmsg"
)
def test_the_kmsg_symlink_of_the_report_is_refused(hostile_folder: Path) -> None:
    with pytest.raises(RoutineFileError) as refused:
        read_yaml(hostile_folder / "kmsg.yaml")
    message = str(refused.value)
    assert "kernel file" in message or "cannot read the file" in message


def test_a_fifo_with_a_writer_that_never_finishes_is_refused_not_waited_for(
    tmp_path: Path,
) -> None:
    """Even if something holds the pipe open, the reader refuses it at once."""
    fifo = tmp_path / "slow.yaml"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # keeps a writer end open
    try:
        os.write(writer, b"title: x\n")
        with pytest.raises(RoutineFileError, match="a pipe"):
            read_yaml(fifo)
    finally:
        os.close(writer)
