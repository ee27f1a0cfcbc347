"""A kiosk's link to the fleet while the trainer runs: the sync thread and the pack folder.

The trainer starts one :class:`FleetLink` when a fleet server is configured
(a DSN in ``--dsn``/``$TRAINER_FLEET_DSN``/``fleet.dsn``); without one, nothing
of the fleet is loaded. The link runs :class:`~trainer.fleet.sync.SyncWorker`
on its own daemon thread, so the UI and the pedal never wait for the network,
and :meth:`describe` gives the admin screen one line: the routine pack in use,
the last good sync, and what waits to be sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from trainer.fleet.connection import server_name
from trainer.fleet.packs import PackFolder
from trainer.fleet.sync import LocalReplica, SyncWorker

#: Seconds between passes: a new routine pack reaches the kiosk within a minute.
SYNC_INTERVAL = 30.0


class FleetLink:
    """Start with :meth:`start`, stop with :meth:`stop`; both are safe to repeat."""

    def __init__(
        self,
        dsn: str,
        open_local: Callable[[], LocalReplica],
        packs_dir: Path,
        *,
        interval: float = SYNC_INTERVAL,
    ) -> None:
        self.dsn = dsn
        self.packs = PackFolder(packs_dir)
        self._open_local = open_local
        self._interval = interval
        self._worker: SyncWorker | None = None

    def start(self) -> None:
        if self._worker is None:
            self._worker = SyncWorker(
                self.dsn, self._open_local, open_packs=lambda: self.packs, interval=self._interval
            )
            self._worker.start()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop(timeout=5.0)
            self._worker = None

    def nudge(self) -> None:
        """Sync soon: a session just ended."""
        if self._worker is not None:
            self._worker.nudge()

    def describe(self) -> str:
        """One line for the admin screen."""
        version = self.packs.installed_version()
        pack = f"routine pack {version}" if version else "no routine pack yet"
        fleet = f"Fleet ({server_name(self.dsn)})"
        status = self._worker.status if self._worker is not None else None
        if status is None:
            return f"{fleet}: {pack}; sync not running"
        if status.last_error:
            state = f"server unreachable ({status.last_error}); {status.pending} rows wait"
        elif status.last_success is None:
            state = "first sync running"
        else:
            state = f"synced {time.strftime('%H:%M', time.localtime(status.last_success))}"
            state += f", {status.pending} rows wait" if status.pending else ""
        problem = f"; {status.pack_problem.splitlines()[0]}" if status.pack_problem else ""
        return f"{fleet}: {pack}; {state}{problem}"
