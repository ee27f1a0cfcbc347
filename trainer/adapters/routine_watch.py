"""Watching the routine folders off the event loop, and reloading them there too.

A kiosk picks up routine files added, changed or removed while it runs. Listing
and stat-ing every file on the UI's event loop stalled it 0.45-0.75 s at each
look with 20,000 files in a folder. :class:`RoutineWatch` instead runs on its
own thread: it waits on inotify through ``watchfiles`` (no polling, nothing
done while nothing changes), and when something did change it loads the new
catalog on that thread as well, then hands the finished catalog to
``on_change`` (which must be thread-safe: the app posts it to its loop).

Folders that do not exist yet (a user routines folder never made, a pack not
yet synced) are looked for every ``poll_seconds``; a folder that appears,
disappears or whose symlink is swapped (routine packs switch atomically that
way) restarts the watch and counts as a change. Where inotify is not available
``watchfiles`` polls instead (``force_polling``), still on this thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

from trainer.routine.catalog import Catalog

log = logging.getLogger(__name__)

#: Changes closer together than this are one reload (a pack of files copied in).
DEBOUNCE_MS = 400

Layout = tuple[tuple[Path, Path | None], ...]


def _layout(folders: Sequence[Path]) -> Layout:
    """Each folder with where it really is now (None: missing)."""
    return tuple((folder, folder.resolve() if folder.is_dir() else None) for folder in folders)


def _interesting(change: watchfiles.Change, path: str) -> bool:
    """Routine files, and anything removed (a deleted folder takes its files with it);
    never hidden files such as editors' swap files or a pack's partial download."""
    name = Path(path).name
    if name.startswith("."):
        return False
    return change == watchfiles.Change.deleted or name.lower().endswith((".yaml", ".yml"))


def _fingerprint(catalog: Catalog) -> tuple[object, ...]:
    """What the picker and the admin show of a catalog: a reload that changes none
    of it is not passed on."""
    routines = sorted(
        (key, loaded.digest, str(loaded.path)) for key, loaded in catalog.routines.items()
    )
    return (tuple(routines), tuple(str(issue) for issue in catalog.issues))


class RoutineWatch:
    """A thread that reloads the catalog when the routine folders change.

    ``load`` builds a catalog (the app's own loader); ``on_change`` receives each
    new one, on this thread, when it differs from ``initial`` and the ones
    before. Once the watch is in place the folders are read once more, so a
    change made while it was starting is not missed. :attr:`reloads` and
    :attr:`last_reload_seconds` are for tests and benchmarks.
    """

    def __init__(
        self,
        folders: Sequence[Path],
        load: Callable[[], Catalog],
        on_change: Callable[[Catalog], None],
        *,
        initial: Catalog | None = None,
        poll_seconds: float = 5.0,
        force_polling: bool | None = None,
    ) -> None:
        self._folders = list(folders)
        self._load = load
        self._on_change = on_change
        self._last = None if initial is None else _fingerprint(initial)
        self._poll_ms = max(50, int(poll_seconds * 1000))
        self._force_polling = force_polling
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trainer-routine-watch", daemon=True)
        self.reloads = 0
        self.last_reload_seconds = 0.0
        self.watching = threading.Event()  # set once the first watch is in place (tests)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._watch(_layout(self._folders))
            except Exception:  # a watch that fails must not end the kiosk's reloads
                log.exception("watching the routine folders failed; looking again shortly")
                self._stop.wait(self._poll_ms / 1000)

    def _watch(self, layout: Layout) -> None:
        """Reload on every change until the folders' layout changes (then return)."""
        existing = [str(real) for _, real in layout if real is not None]
        if not existing:
            self._reload()  # (every folder gone: nothing to offer any more)
            self.watching.set()
            while not self._stop.wait(self._poll_ms / 1000):
                if _layout(self._folders) != layout:
                    return
            return
        first = True
        for changes in watchfiles.watch(
            *existing,
            watch_filter=_interesting,
            debounce=DEBOUNCE_MS,
            step=50,
            stop_event=self._stop,
            rust_timeout=self._poll_ms,
            yield_on_timeout=True,
            raise_interrupt=False,
            force_polling=self._force_polling,
            ignore_permission_denied=True,
        ):
            # The Rust side keeps watching while this runs, so nothing is missed.
            if first or changes:
                first = False
                self._reload()
                self.watching.set()
            if _layout(self._folders) != layout:
                self._reload()
                return

    def _reload(self) -> None:
        started = time.monotonic()
        try:
            catalog = self._load()
        except Exception:
            log.exception("reloading the routine folders failed")
            return
        self.last_reload_seconds = time.monotonic() - started
        self.reloads += 1
        fingerprint = _fingerprint(catalog)
        if fingerprint != self._last and not self._stop.is_set():
            self._last = fingerprint
            self._on_change(catalog)
