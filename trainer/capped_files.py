"""Files the trainer writes on its own must never fill the disk.

A kiosk runs unattended for weeks: an error repeating every frame once wrote
67 kB/s to the error log, and the speech cache filled a small card before the
history database did. Everything the trainer writes unasked goes through here:

* :func:`append_capped` appends to a log, rotating it to ``NAME.1`` (the one
  older copy kept) when it would pass ``max_bytes``, and dropping copies older
  than ``max_age`` days;
* :func:`prune_folder` keeps a cache folder under a size and an age, removing
  the least recently used files first (a cache hit should :func:`touch` its file).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

DAY = 24 * 3600.0


def append_capped(
    path: Path, text: str, *, max_bytes: int, max_age: float = 30 * DAY, now: float | None = None
) -> None:
    """Append ``text`` to ``path``; at most about ``2 * max_bytes`` on disk in all.

    Raises OSError like ``open`` would (callers that must never fail suppress it).
    """
    data = text.encode("utf-8", "replace")[-max_bytes:]  # one huge entry keeps its end
    older = path.with_name(path.name + ".1")
    drop_if_older(older, max_age, now)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = 0
    if size and size + len(data) > max_bytes:
        os.replace(path, older)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        handle.write(data)


def prune_folder(
    folder: Path,
    *,
    max_bytes: int,
    max_age: float,
    suffix: str = "",
    now: float | None = None,
) -> int:
    """Remove files (ending in ``suffix``) older than ``max_age`` seconds, then the least
    recently used until the rest fit in ``max_bytes``. Returns how many were removed."""
    now = time.time() if now is None else now
    entries: list[tuple[float, int, Path]] = []
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                if not entry.name.endswith(suffix) or not entry.is_file(follow_symlinks=False):
                    continue
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, Path(entry.path)))
    except OSError:
        return 0
    entries.sort()  # oldest first
    total = sum(size for _, size, _ in entries)
    removed = 0
    for mtime, size, path in entries:
        if now - mtime <= max_age and total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
            total -= size
    return removed


def drop_if_older(path: Path, max_age: float, now: float | None = None) -> None:
    """Remove ``path`` if it was last changed more than ``max_age`` seconds ago."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):
        if now - path.stat().st_mtime > max_age:
            path.unlink()


def touch(path: Path) -> None:
    """Mark ``path`` as just used (for :func:`prune_folder`'s least-recently-used order)."""
    with contextlib.suppress(OSError):
        os.utime(path)
