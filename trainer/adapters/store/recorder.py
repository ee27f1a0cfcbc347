"""The adapter that writes the engine's ``Record*`` effects into the session log.

The engine stays pure: it only *describes* what happened. Hand every list of
effects it returns to :meth:`SessionRecorder.handle` and the recorder writes the
ones it knows (other effects pass by untouched)::

    recorder = SessionRecorder(store)                 # a new session
    recorder = SessionRecorder(store, session_id=offer.session.id)  # or a resumed one
    for effects in ...:
        recorder.handle(effects)                      # never raises; see below

Each finished moment is committed on its own, in the order it happened. A
store that fails for a while (another program holds the write lock, the disk
is full, a USB stick dropped out) never stops recording: what could not be
written waits in memory, in order, and is retried with back-off (0.5 s
doubling to 15 s, each retry waiting at most 0.1 s for a lock so the screen
never stalls), then written as soon as the store recovers. :meth:`flush` retries
(the app calls it on a timer, so the end of a session is saved even after its
screen is gone) and :meth:`close` makes a last, bounded attempt at exit. The
``listener`` hears, in words for the screen, when saving starts waiting and when
it has caught up. Only a process that dies while the store is down loses the
waiting records, and then the session row is still ``running`` at the last
saved moment, so it can be resumed.

A record the store refuses for good (a damaged database, a newer schema) is
dropped with a message instead of blocking the ones behind it.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable

from trainer.adapters.store.database import SessionStore, wall_clock_now
from trainer.adapters.store.errors import StoreError
from trainer.engine.effects import (
    Effect,
    RecordCheck,
    RecordMoment,
    SessionFinished,
    SessionStarted,
)

log = logging.getLogger(__name__)

#: Failures that pass (a lock released, space freed, a disk back): retried.
TRANSIENT_REASONS = frozenset({"locked", "full", "disk-error", "read-only", "cannot-open"})
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 15.0
#: While retrying, a write waits at most this long for another program's lock.
RETRY_BUSY_TIMEOUT = 0.1
#: Records kept in memory at most (a session has at most 2,000 moments).
MAX_PENDING = 20_000
_RECORDED = (SessionStarted, RecordMoment, RecordCheck, SessionFinished)


class SessionRecorder:
    """Writes one session's effects to ``store``.

    ``member_id`` says whose a new session is (None: a guest's). ``session_id``
    is given when resuming: the existing session row is reused, keeping every
    moment already logged. ``wall_clock`` returns the ISO time
    stamped on rows (the engine only knows monotonic time).
    """

    def __init__(
        self,
        store: SessionStore,
        *,
        session_id: int | None = None,
        member_id: int | None = None,
        wall_clock: Callable[[], str] = wall_clock_now,
        clock: Callable[[], float] = time.monotonic,
        listener: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.member_id = member_id  # whose session a new one is; None: a guest's
        self._wall_clock = wall_clock
        self.clock = clock
        self.listener = listener
        # Each record with the wall time it happened at (not the time it is written).
        self._pending: deque[tuple[Effect, str]] = deque()
        self.outage: StoreError | None = None  # the failure saving is waiting on
        self._retry_at = 0.0
        self._delay = FIRST_RETRY_SECONDS
        self.finished = False  # the session's end is written
        self.written = 0  # records written (tests, benchmarks)

    @property
    def pending(self) -> int:
        """Records waiting in memory for the store."""
        return len(self._pending)

    @property
    def settled(self) -> bool:
        """Nothing waits to be written."""
        return not self._pending

    def handle(self, effects: Iterable[Effect]) -> None:
        """Queue the effects this recorder writes, then write whatever is due."""
        for effect in effects:
            if isinstance(effect, _RECORDED):
                if len(self._pending) >= MAX_PENDING:
                    dropped, _ = self._pending.popleft()
                    log.error("session history backlog full; dropped %r", dropped)
                self._pending.append((effect, self._wall_clock()))
        self.flush()

    def flush(self, *, force: bool = False) -> None:
        """Write the waiting records in order, unless a retry is not due yet (``force``
        tries anyway). Never raises: failures go to the ``listener``."""
        if not self._pending:
            return
        if self.outage is not None and not force and self.clock() < self._retry_at:
            return
        retrying = self.outage is not None
        while self._pending:
            effect, at = self._pending[0]
            try:
                if retrying:
                    with self.store.busy_timeout(RETRY_BUSY_TIMEOUT):
                        self._write(effect, at)
                else:
                    self._write(effect, at)
            except StoreError as error:
                if error.reason in TRANSIENT_REASONS:
                    self._wait(error)
                    return
                self._pending.popleft()
                log.error("session history dropped a record it cannot save: %s", error)
                self._tell(f"Session history could not save a record: {error}")
                continue
            self._pending.popleft()
            self.written += 1
        if self.outage is not None:
            self.outage = None
            self._delay = FIRST_RETRY_SECONDS
            log.info("session history caught up")
            self._tell("Session history saved again: nothing was lost.")

    def close(self, *, within: float = 3.0) -> bool:
        """Last attempts (at exit) to write what waits, for at most ``within`` seconds.
        True if everything was written."""
        deadline = self.clock() + within
        while self._pending:
            self.flush(force=True)
            if not self._pending or self.clock() >= deadline:
                break
            time.sleep(min(0.2, max(0.0, deadline - self.clock())))
        if self._pending:
            log.error(
                "session history: %d record(s) could not be saved before exit; the session "
                "stays resumable from its last saved moment",
                len(self._pending),
            )
        return not self._pending

    def _wait(self, error: StoreError) -> None:
        first = self.outage is None
        self.outage = error
        self._retry_at = self.clock() + self._delay
        self._delay = min(self._delay * 2, MAX_RETRY_SECONDS)
        if first:
            log.warning("session history waiting: %s", error)
            self._tell(
                f"Session history is waiting: {error} Nothing is lost: it is kept and "
                "saved as soon as it can be."
            )

    def _tell(self, message: str) -> None:
        if self.listener is not None:
            self.listener(message)

    def _write(self, effect: Effect, at: str) -> None:
        match effect:
            case SessionStarted():
                self._started(effect, at)
            case RecordMoment():
                self._moment(effect, at)
            case RecordCheck():
                self._check(effect, at)
            case SessionFinished():
                self._finished(effect, at)
            case _:
                pass  # screen and audio effects are not ours

    def _started(self, effect: SessionStarted, at: str) -> None:
        if self.session_id is not None:
            self.store.resume_session(self.session_id, effect.start_index)
            return
        self.session_id = self.store.start_session(
            routine_id=effect.routine_id,
            digest=effect.digest,
            title=effect.title,
            plan_size=effect.plan_size,
            started_at=at,
            start_index=effect.start_index,
            member_id=self.member_id,
        )

    def _moment(self, effect: RecordMoment, at: str) -> None:
        if self.session_id is None:
            return  # never started: nothing to attach the moment to
        self.store.record_moment(
            self.session_id, effect, finished_at=at, next_index=effect.next_index
        )

    def _check(self, effect: RecordCheck, at: str) -> None:
        if self.session_id is None:
            return
        self.store.record_check(
            self.session_id,
            test_id=effect.test,
            result=effect.result,
            rating=effect.rating,
            at=at,
            values=effect.values,
            unit=effect.unit,
            answer=effect.answer,
        )

    def _finished(self, effect: SessionFinished, at: str) -> None:
        if self.session_id is None:
            return  # quit before the first tap: there is no session to close
        self.store.finish_session(self.session_id, effect.summary.status, at)
        self.finished = True
