"""The adapter that writes the engine's ``Record*`` effects into the session log.

The engine stays pure: it only *describes* what happened. Hand every list of
effects it returns to :meth:`SessionRecorder.handle` and the recorder writes the
ones it knows (other effects pass by untouched)::

    recorder = SessionRecorder(store)                 # a new session
    recorder = offer.recorder(store)                  # or a resumed one
    for effects in ...:
        recorder.handle(effects)                      # may raise StoreError

Each finished moment is committed on its own, before the next is written. If the
store fails (disk full, database locked) :meth:`handle` still tries the rest of
the batch, then raises the first :class:`~trainer.adapters.store.errors.StoreError`;
the session itself can carry on, and the screen should say that history is not
being saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from trainer.adapters.store.database import SessionStore, moment_entry, wall_clock_now
from trainer.adapters.store.errors import StoreError
from trainer.engine.effects import (
    Effect,
    RecordCheck,
    RecordMoment,
    SessionFinished,
    SessionStarted,
)


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
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.member_id = member_id  # whose session a new one is; None: a guest's
        self._wall_clock = wall_clock

    def handle(self, effects: Iterable[Effect]) -> None:
        """Write the effects this recorder knows; raise the first failure at the end.

        A failed write does not stop the later ones in the same batch (the
        session's end should still be logged after one moment failed to save).
        """
        failure: StoreError | None = None
        for effect in effects:
            try:
                self._write(effect)
            except StoreError as error:
                failure = failure or error
        if failure is not None:
            raise failure

    def _write(self, effect: Effect) -> None:
        match effect:
            case SessionStarted():
                self._started(effect)
            case RecordMoment():
                self._moment(effect)
            case RecordCheck():
                self._check(effect)
            case SessionFinished():
                self._finished(effect)
            case _:
                pass  # screen and audio effects are not ours

    def _started(self, effect: SessionStarted) -> None:
        if self.session_id is not None:
            self.store.resume_session(self.session_id, effect.start_index)
            return
        self.session_id = self.store.start_session(
            routine_id=effect.routine_id,
            digest=effect.digest,
            title=effect.title,
            plan_size=effect.plan_size,
            started_at=self._wall_clock(),
            start_index=effect.start_index,
            member_id=self.member_id,
        )

    def _moment(self, effect: RecordMoment) -> None:
        if self.session_id is None:
            return  # never started: nothing to attach the moment to
        entry = moment_entry(vars(effect))
        self.store.record_moment(
            self.session_id, entry, finished_at=self._wall_clock(), next_index=effect.next_index
        )

    def _check(self, effect: RecordCheck) -> None:
        if self.session_id is None:
            return
        self.store.record_check(
            self.session_id,
            test_id=effect.test,
            result=effect.result,
            rating=effect.rating,
            at=self._wall_clock(),
        )

    def _finished(self, effect: SessionFinished) -> None:
        if self.session_id is None:
            return  # quit before the first tap: there is no session to close
        self.store.finish_session(self.session_id, effect.summary.status, self._wall_clock())
