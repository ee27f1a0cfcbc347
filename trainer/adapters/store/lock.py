"""One trainer per data folder: an advisory lock held for the life of the process.

Two trainers on one data folder corrupt each other: the second offers to
"resume" the first one's live session (both then write the same session row)
or marks it interrupted. :meth:`DataDirLock.acquire` takes an exclusive
``flock`` on ``trainer.lock`` in the folder, without waiting; a second process
gets :class:`DataDirBusy`, whose message names the holder.

The kernel drops a ``flock`` when the last descriptor of the open file goes,
so the lock never outlives its process, even one killed with SIGKILL or a
power cut: there is no stale lock to clean up. The descriptor is close-on-exec,
so helpers the trainer starts (espeak-ng, aplay) never keep it alive.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

LOCK_FILE_NAME = "trainer.lock"


class DataDirBusy(Exception):
    """Another live process holds the data folder; the message says which and what to do."""


class DataDirLock:
    """The held lock on one data folder; :meth:`release` (or process exit) lets it go."""

    def __init__(self, folder: Path, descriptor: int | None) -> None:
        self.folder = folder
        self._descriptor: int | None = descriptor

    @classmethod
    def acquire(cls, folder: Path) -> DataDirLock:
        """Lock ``folder`` (created if missing) or raise :class:`DataDirBusy` at once."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOCK_FILE_NAME
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(descriptor)
            os.close(descriptor)
            raise DataDirBusy(
                f"another trainer{holder} is using the data folder {folder}; "
                "close it first, or give this one its own --data-dir"
            ) from None
        except BaseException:
            os.close(descriptor)
            raise
        # Who holds it, for the next process's message (the lock is the flock, not this).
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()} {' '.join(_command())}\n".encode(), 0)
        return cls(folder, descriptor)

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing drops the flock
            self._descriptor = None

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _command() -> list[str]:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "trainer"
    return [name if name != "__main__.py" else "trainer", *sys.argv[1:2]]


def _read_holder(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    pid, _, command = text.partition(" ")
    if not pid.isdigit():
        return ""
    return f" (process {pid}, `{command}`)" if command else f" (process {pid})"
