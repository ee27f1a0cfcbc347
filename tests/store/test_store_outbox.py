"""ULIDs and the sync outbox: every write queues its row in the same transaction."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from trainer.adapters.store import MomentEntry, SessionStore, StoreError
from trainer.adapters.store.schema import _CREATE_V1
from trainer.adapters.store.ulid import new_ulid, ulid_time

ULID = re.compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}")
ENTRY = MomentEntry(0, "Calf", "hold", "left", 1, 30.0, 30.5, 0.0, False, False)


def write_session(store: SessionStore) -> int:
    session = store.start_session(
        routine_id="r", digest="d", title="R", plan_size=2, started_at="2026-01-01T10:00:00+00:00"
    )
    store.record_moment(session, ENTRY, finished_at="2026-01-01T10:00:30+00:00", next_index=1)
    store.record_check(
        session, test_id="aslr", result="even", rating=2, at="2026-01-01T10:01:00+00:00"
    )
    store.finish_session(session, "finished", "2026-01-01T10:02:00+00:00")
    return session


def test_ulids_are_well_formed_unique_and_carry_their_time() -> None:
    ids = {new_ulid(1_700_000_000.123) for _ in range(2000)}
    assert len(ids) == 2000
    assert all(ULID.fullmatch(ulid) for ulid in ids)
    assert {ulid_time(ulid) for ulid in ids} == {1_700_000_000.123}
    assert new_ulid(1.0) < new_ulid(2.0)  # sorts by time


def test_every_write_is_queued_with_the_row_as_it_is_at_push_time(tmp_path: Path) -> None:
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        write_session(store)
        batch = store.outbox_batch(100)
        kinds = [kind for _, kind, _ in batch]
        # start, moment, check, finish: the session is queued again when it changes.
        assert kinds == ["session", "moment", "check", "session"]
        session_row = batch[0][2]
        assert ULID.fullmatch(session_row["ulid"])
        assert session_row["status"] == "finished"  # read now, not when queued
        assert batch[1][2]["session_ulid"] == session_row["ulid"]
        assert batch[2][2]["test_id"] == "aslr"
        assert store.outbox_size() == 4
        store.acknowledge([seq for seq, _, _ in batch[:3]])
        assert [kind for _, kind, _ in store.outbox_batch(100)] == ["session"]


def test_starting_a_session_queues_the_one_it_interrupts(tmp_path: Path) -> None:
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        first = store.start_session(
            routine_id="r", digest="d", title="R", plan_size=2, started_at="t"
        )
        store.acknowledge(seq for seq, _, _ in store.outbox_batch(100))
        store.start_session(routine_id="r", digest="d", title="R", plan_size=2, started_at="t")
        rows = [row for _, kind, row in store.outbox_batch(100) if kind == "session"]
        assert {row["id"]: row["status"] for row in rows}[first] == "interrupted"


def test_a_failed_write_queues_nothing(tmp_path: Path) -> None:
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        session = store.start_session(
            routine_id="r", digest="d", title="R", plan_size=2, started_at="t"
        )
        before = store.outbox_size()
        store.connection.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON checks BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
        with pytest.raises(StoreError):
            store.record_check(session, test_id="aslr", result="even", rating=None, at="t")
        assert store.outbox_size() == before


def test_deleted_rows_come_back_empty_so_they_can_be_acknowledged(tmp_path: Path) -> None:
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        write_session(store)
        store.connection.execute("DELETE FROM sessions")
        assert {kind: row for _, kind, row in store.outbox_batch(100)} == {
            "session": {},
            "moment": {},
            "check": {},
        }


def test_upgrading_an_old_history_gives_every_row_a_ulid_and_queues_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for statement in _CREATE_V1:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    for number in range(3):
        old.execute(
            "INSERT INTO sessions (routine_id, routine_digest, routine_title, started_at, status,"
            " plan_size) VALUES ('r', 'd', 'R', ?, 'finished', 1)",
            (f"2025-01-0{number + 1}T10:00:00+00:00",),
        )
        old.execute(
            "INSERT INTO moments (session_id, moment_index, step_name, kind, actual_seconds,"
            " finished_at) VALUES (?, 0, 'Calf', 'hold', 30, 't')",
            (number + 1,),
        )
    old.close()
    with SessionStore.open(path) as store:
        batch = store.outbox_batch(100)
        assert [kind for _, kind, _ in batch] == ["session"] * 3 + ["moment"] * 3
        ulids = [row["ulid"] for _, _, row in batch]
        assert len(set(ulids)) == 6 and all(ULID.fullmatch(ulid) for ulid in ulids)
        assert len(store.recent_sessions()) == 3
