"""Each routine's sound warnings, kept between runs of ``trainer validate``.

Planning a routine's sound (expanding it, then laying out every moment) costs
several times more than reading and validating its file: for 1,000 routines,
about 6 s against 1 s. A coach validates the same folder again and again (and
``--watch`` does after every save), and the warnings are a pure function of:

* the routine, resolved: its digest covers the library exercises it uses;
* the rules and the measure (:attr:`~trainer.commands.sound.SoundSetup.identity`:
  the ``[engine]`` and ``[audio]`` settings, espeak-ng or estimated lengths;
  spoken lengths come from espeak-ng's own durations cache either way);
* the code that plans: a digest of its source files.

All of these make the key, so a change to any of them plans again. What is
kept is each warning before it is placed; where it points (file:line:col) is
worked out from the files every time, since moving text changes no digest.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from trainer import __version__, paths
from trainer.commands.sound import SoundWarning

#: The file, in :func:`trainer.paths.cache_dir`.
CACHE_FILE = "sound-warnings.json"
#: Routines remembered; the least recently validated are forgotten first.
MAX_ROUTINES = 5000
#: What is read when the key says the planning code may have changed.
_PLANNING_CODE = ("engine", "routine", "commands/sound.py", "adapters/audio")


@functools.cache
def _code_digest() -> str:
    """A digest of the planning code's sources (the version alone misses a changed checkout)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for part in _PLANNING_CODE:
        where = package / part
        for source in sorted(where.rglob("*.py")) if where.is_dir() else [where]:
            with contextlib.suppress(OSError):
                digest.update(source.relative_to(package).as_posix().encode())
                digest.update(source.read_bytes())
    return digest.hexdigest()


class SoundWarningCache:
    """Warnings by key, read from and written back to :data:`CACHE_FILE`."""

    def __init__(self, identity: str, folder: Path | None = None) -> None:
        self._path = (folder or paths.cache_dir()) / CACHE_FILE
        self._identity = f"{_code_digest()}\n{identity}"
        self._entries: dict[str, list[list[str | None]]] = {}
        self._changed = False
        with contextlib.suppress(OSError, ValueError):
            entries = json.loads(self._path.read_text(encoding="utf-8"))
            if isinstance(entries, dict):
                self._entries = entries

    def key(self, digest: str) -> str:
        return hashlib.sha256(f"{self._identity}\n{digest}".encode()).hexdigest()

    def get(self, key: str) -> list[SoundWarning] | None:
        kept = self._entries.pop(key, None)
        if not (isinstance(kept, list) and all(map(_is_warning, kept))):
            return None  # not what this version writes: plan again
        warnings = [SoundWarning(*fields) for fields in kept]  # type: ignore[arg-type]
        self._entries[key] = kept  # the most recently used last
        self._changed = True
        return warnings

    def put(self, key: str, warnings: list[SoundWarning]) -> None:
        self._entries[key] = [[w.title, w.description, w.cue_text, w.step_name] for w in warnings]
        self._changed = True

    def save(self) -> None:
        """Write the entries back (the newest :data:`MAX_ROUTINES`); a cache that cannot
        be written is no error."""
        if not self._changed:
            return
        entries = dict(list(self._entries.items())[-MAX_ROUTINES:])
        with contextlib.suppress(OSError):
            self._path.parent.mkdir(parents=True, exist_ok=True)
            handle, partial = tempfile.mkstemp(dir=self._path.parent, suffix=".partial")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    json.dump(entries, file, separators=(",", ":"))
                os.replace(partial, self._path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(partial)


def _is_warning(fields: object) -> bool:
    return (
        isinstance(fields, list)
        and len(fields) == 4
        and all(isinstance(field, str) for field in fields[:2] + fields[3:])
        and (fields[2] is None or isinstance(fields[2], str))
    )
