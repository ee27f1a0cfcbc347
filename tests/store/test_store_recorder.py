"""The recorder (engine effects -> session log) and resume offers, in one process."""

from __future__ import annotations

import sqlite3

import pytest
from store_helpers import ROUTINE_ID, catalog_of, open_store, routine_data, write_routine
from support.engine import Driver

from trainer.adapters.store import (
    ResumeOffer,
    ResumeRefusal,
    SessionRecorder,
    find_resume_offer,
)
from trainer.engine.effects import Effect
from trainer.engine.plan import PlanOptions, build_plan
from trainer.engine.session import Session
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command, Gesture

T0 = 500.0

CHECK_STEPS = [
    {"kind": "hold", "name": "Soleus", "duration": 10, "sides": "each"},
    {"kind": "check", "name": "Leg raise", "test": "aslr", "rating": True},
    {"kind": "hold", "name": "Pigeon", "duration": 20},
]


class Run(Driver):
    """An engine wired to a recorder, on a fake clock (the suite's engine driver)."""

    def __init__(self, session: Session, recorder: SessionRecorder, now: float = T0):
        super().__init__(session, now, feed=recorder.handle)
        self.recorder = recorder

    def tap(self, after: float = 0.0) -> list[Effect]:  # type: ignore[override]
        return self.wait(after).gesture(Gesture.TAP)

    def tick_to_next(self) -> list[Effect]:
        deadline = self.session.next_deadline(self.now)
        assert deadline is not None
        return self.at(max(self.now, deadline)).tick()

    def until_index(self, index: int) -> None:
        while self.session.index < index:
            if self.session.next_deadline(self.now) is None:
                self.tap(3)
            else:
                self.tick_to_next()

    def to_end(self) -> None:
        while not self.session.state.ended:
            if self.session.state is SessionState.ANSWERING:
                self.wait(2).answer("left-tighter", 6)
            elif self.session.next_deadline(self.now) is None:
                self.tap(3)
            else:
                self.tick_to_next()


@pytest.fixture
def setup(tmp_path):
    folder = tmp_path / "routines"
    write_routine(folder, routine_data(CHECK_STEPS))
    catalog = catalog_of(folder)
    store = open_store(tmp_path / "history.sqlite3")
    yield folder, catalog, store
    store.close()


def fresh_run(catalog, store):
    plan = build_plan(catalog.routines[ROUTINE_ID])
    recorder = SessionRecorder(store, wall_clock=lambda: "2024-05-01T07:00:00+00:00")
    return Run(Session(plan), recorder)


def test_a_whole_session_is_logged(setup):
    _folder, catalog, store = setup
    run = fresh_run(catalog, store)
    assert store.recent_sessions() == []  # nothing until the first tap
    run.tap()
    (session_row,) = store.running_sessions()
    assert (session_row.routine_id, session_row.plan_size) == (ROUTINE_ID, 8)
    assert session_row.routine_digest == catalog.routines[ROUTINE_ID].digest
    run.to_end()
    row = store.session(session_row.id)
    assert (row.status, row.current_moment) == ("finished", 8)
    assert [m.entry.moment_index for m in store.moments(row.id)] == list(range(8))
    assert [(c.test_id, c.result, c.rating) for c in store.checks(row.id)] == [
        ("aslr", "left-tighter", 6)
    ]
    (overview,) = store.recent_sessions()
    assert (overview.moments_done, overview.moments_skipped) == (8, 0)


def test_quit_marks_the_session_abandoned(setup):
    _folder, catalog, store = setup
    run = fresh_run(catalog, store)
    run.tap()
    run.tick_to_next()
    run.feed(run.session.command(Command.QUIT, run.now + 1))
    (overview,) = store.recent_sessions()
    assert overview.session.status == "abandoned" and overview.session.ended_at is not None


def test_quitting_before_the_first_tap_logs_nothing(setup):
    _folder, catalog, store = setup
    run = fresh_run(catalog, store)
    run.feed(run.session.command(Command.QUIT, T0))
    assert store.recent_sessions() == []


def test_an_interrupted_session_is_offered_for_resume_and_finishes_in_the_same_row(setup):
    _folder, catalog, store = setup
    run = fresh_run(catalog, store)
    run.tap()
    run.until_index(4)  # moments 0-3 done (soleus L, switch, R, check left)
    # ...and the process dies here: no finish, no quit.

    offer = find_resume_offer(store, catalog)
    assert isinstance(offer, ResumeOffer)
    assert offer.moment_index == 4 and offer.completed == (0, 1, 2, 3)
    assert "Leg raise, right side" not in offer.describe()  # moment 4 is the switch
    assert "moment 5 of 8" in offer.describe()

    session = Session(offer.plan, start_index=offer.moment_index)
    assert session.state is SessionState.READY and session.index == 4
    resumed = Run(session, SessionRecorder(store, session_id=offer.session.id), now=9000.0)
    resumed.tap()
    resumed.to_end()
    (overview,) = store.recent_sessions()
    assert overview.session.id == offer.session.id and overview.session.status == "finished"
    indices = [m.entry.moment_index for m in store.moments(offer.session.id)]
    assert indices == list(range(8))  # nothing lost, nothing repeated
    assert find_resume_offer(store, catalog) is None


def test_resume_is_refused_when_the_routine_changed(setup):
    folder, catalog, store = setup
    run = fresh_run(catalog, store)
    run.tap()
    run.until_index(2)
    changed = [dict(CHECK_STEPS[0], duration=15), *CHECK_STEPS[1:]]
    write_routine(folder, routine_data(changed))
    refusal = find_resume_offer(store, catalog_of(folder))
    assert isinstance(refusal, ResumeRefusal)
    assert "was changed since the session started" in refusal.reason
    store.mark_interrupted(refusal.session.id)
    assert store.running_sessions() == []
    assert store.recent_sessions()[0].session.status == "interrupted"


def test_resume_is_refused_when_the_routine_is_gone(setup, tmp_path):
    _folder, catalog, store = setup
    run = fresh_run(catalog, store)
    run.tap()
    empty = tmp_path / "empty"
    empty.mkdir()
    refusal = find_resume_offer(store, catalog_of(empty))
    assert isinstance(refusal, ResumeRefusal)
    assert f"'{ROUTINE_ID}'" in refusal.reason and "no longer available" in refusal.reason


def test_resume_is_refused_when_plan_settings_changed(setup):
    _folder, catalog, store = setup
    fresh_run(catalog, store).tap()
    refusal = find_resume_offer(store, catalog, PlanOptions(switch_seconds=0))
    assert isinstance(refusal, ResumeRefusal) and "[engine] settings changed" in refusal.reason


def test_declining_an_offer_marks_it_interrupted(setup):
    _folder, catalog, store = setup
    fresh_run(catalog, store).tap()
    offer = find_resume_offer(store, catalog)
    assert isinstance(offer, ResumeOffer)
    store.mark_interrupted(offer.session.id)
    assert find_resume_offer(store, catalog) is None


def test_a_store_failure_keeps_the_records_and_saves_them_when_it_recovers(tmp_path):
    folder = tmp_path / "routines"
    write_routine(folder, routine_data(CHECK_STEPS))
    catalog = catalog_of(folder)
    database = tmp_path / "history.sqlite3"
    with open_store(database, timeout=0.05) as store:
        run = fresh_run(catalog, store)
        heard: list[str] = []
        run.recorder.listener = heard.append
        run.tap()
        blocker = sqlite3.connect(database, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        run.until_index(2)  # moments end and cannot be saved: no error reaches the engine
        assert run.recorder.pending == 2 and run.recorder.outage is not None
        assert run.recorder.outage.reason == "locked"
        assert len(heard) == 1 and "locked" in heard[0]
        blocker.execute("ROLLBACK")
        blocker.close()
        run.recorder.flush(force=True)
        assert run.recorder.pending == 0 and heard[-1].startswith("Session history saved again")
        session_id = store.running_sessions()[0].id
        assert [m.entry.moment_index for m in store.moments(session_id)] == [0, 1]
