"""The history database: schema and migrations, durability settings, and clear errors."""

from __future__ import annotations

import os
import sqlite3

import pytest
from store_helpers import open_store

from trainer.adapters.store import MomentEntry, SessionStore, StoreError, default_database_path
from trainer.adapters.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate


def entry(index: int, **fields) -> MomentEntry:
    values = {
        "moment_index": index,
        "step_name": f"Step {index}",
        "kind": "hold",
        "side": "left",
        "set_number": 1,
        "planned_seconds": 30.0,
        "actual_seconds": 30.0,
        "paused_seconds": 0.0,
        "skipped": False,
        "went_back": False,
        **fields,
    }
    return MomentEntry(**values)


def new_session(store: SessionStore, **fields) -> int:
    values = {
        "routine_id": "r",
        "digest": "d1",
        "title": "R",
        "plan_size": 10,
        "started_at": "2024-05-01T07:30:00+02:00",
        **fields,
    }
    return store.start_session(**values)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "history.sqlite3"


def test_default_path_is_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "d"))
    assert default_database_path() == tmp_path / "d" / "history.sqlite3"
    assert default_database_path(tmp_path) == tmp_path / "history.sqlite3"


def test_a_new_database_is_migrated_from_empty(db_path):
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        tables = {
            row[0]
            for row in store.connection.execute("SELECT name FROM sqlite_schema WHERE type='table'")
        }
        assert {"sessions", "moments", "checks"} <= tables
        assert store.connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    # Opening again finds it current and changes nothing.
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_migrations_run_one_version_at_a_time(db_path, monkeypatch):
    db_path.parent.mkdir()
    connection = sqlite3.connect(db_path, isolation_level=None)
    extra = ("ALTER TABLE sessions ADD COLUMN note TEXT",)
    monkeypatch.setattr("trainer.adapters.store.schema.MIGRATIONS", (*MIGRATIONS, extra))
    monkeypatch.setattr("trainer.adapters.store.schema.SCHEMA_VERSION", len(MIGRATIONS) + 1)
    assert migrate(connection, db_path) == 0
    assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    columns = [row[1] for row in connection.execute("PRAGMA table_info(sessions)")]
    assert "note" in columns


def test_wal_journal_and_full_sync(db_path):
    with open_store(db_path) as store:
        assert store.journal_mode == "wal"
        assert store.connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_each_moment_is_visible_to_another_connection_at_once(db_path):
    with open_store(db_path) as store:
        session_id = new_session(store)
        reader = sqlite3.connect(db_path)
        for index in range(3):
            store.record_moment(
                session_id,
                entry(index),
                finished_at="2024-05-01T07:31:00+02:00",
                next_index=index + 1,
            )
            count, position = reader.execute(
                "SELECT (SELECT count(*) FROM moments), current_moment FROM sessions"
            ).fetchone()
            assert (count, position) == (index + 1, index + 1)
        reader.close()


def test_session_lifecycle_and_reads(db_path):
    with open_store(db_path) as store:
        first = new_session(store)
        store.record_moment(first, entry(0), finished_at="2024-05-01T07:31:00+02:00", next_index=1)
        store.record_moment(
            first, entry(1, skipped=True, actual_seconds=2), finished_at="t", next_index=2
        )
        store.record_check(first, test_id="aslr", result="even", rating=4, at="2024-05-01T07:32")
        assert [s.id for s in store.running_sessions()] == [first]
        second = new_session(store, started_at="2024-05-02T07:30:00+02:00")
        # Starting a new session marks the old running one interrupted.
        assert store.session(first).status == "interrupted"
        store.finish_session(second, "finished", "2024-05-02T07:45:00+02:00")
        overviews = store.recent_sessions(10)
        assert [o.session.id for o in overviews] == [second, first]
        assert overviews[0].duration_seconds == 15 * 60
        assert (overviews[1].moments_done, overviews[1].moments_skipped) == (1, 1)
        assert store.completed_moments(first) == [0]
        assert [(c.test_id, c.result, c.rating) for c in store.checks()] == [("aslr", "even", 4)]
        assert store.moments(first)[1].entry == entry(1, skipped=True, actual_seconds=2)


def test_read_only_database_is_a_clear_error(db_path):
    with open_store(db_path) as store:
        new_session(store)
    os.chmod(db_path, 0o444)

    def read_only(path, **kwargs):
        # As root, file permissions are not enforced; open it read-only the way
        # SQLite falls back to when it cannot open the file for writing.
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, **kwargs)

    connect = read_only if os.geteuid() == 0 else sqlite3.connect
    with pytest.raises(StoreError) as caught:
        SessionStore.open(db_path, connect=connect)
    assert caught.value.reason == "read-only"
    assert "is read-only" in str(caught.value) and str(db_path) in str(caught.value)
    # Reading is still possible.
    with SessionStore.open(db_path, connect=connect, check_writable=False) as store:
        assert len(store.recent_sessions()) == 1


def test_locked_database_is_a_clear_error_and_loses_nothing(db_path):
    with open_store(db_path, timeout=0.05) as store:
        session_id = new_session(store)
        store.record_moment(session_id, entry(0), finished_at="t", next_index=1)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError) as caught:
            store.record_moment(session_id, entry(1), finished_at="t", next_index=2)
        assert caught.value.reason == "locked"
        assert "locked by another program" in str(caught.value)
        other.execute("ROLLBACK")
        other.close()
        # The store still works, and the earlier moment is there.
        store.record_moment(session_id, entry(1), finished_at="t", next_index=2)
        assert [m.entry.moment_index for m in store.moments(session_id)] == [0, 1]


def test_disk_full_keeps_the_rows_already_written(db_path):
    with open_store(db_path) as store:
        session_id = new_session(store)
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        store.connection.execute(f"PRAGMA max_page_count = {pages + 1}")  # room for a few rows
        written = 0
        with pytest.raises(StoreError) as caught:
            for index in range(10_000):
                big = entry(index, step_name="x" * 400)
                store.record_moment(session_id, big, finished_at="t", next_index=index + 1)
                written += 1
        assert caught.value.reason == "full"
        assert "disk holding" in str(caught.value) and "are kept" in str(caught.value)
        assert written > 0
    with open_store(db_path) as store:
        assert len(store.moments(session_id)) == written
        assert store.session(session_id).current_moment == written


def test_damaged_file_is_reported_and_left_alone(db_path):
    db_path.parent.mkdir()
    garbage = b"this is not a database " * 200
    db_path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        SessionStore.open(db_path)
    assert caught.value.reason == "damaged"
    assert "Move it aside" in str(caught.value)
    assert db_path.read_bytes() == garbage


def test_someone_elses_sqlite_file_is_refused(db_path):
    db_path.parent.mkdir()
    foreign = sqlite3.connect(db_path)
    foreign.execute("CREATE TABLE photos (id INTEGER)")
    foreign.commit()
    foreign.close()
    with pytest.raises(StoreError, match="not a trainer history"):
        SessionStore.open(db_path)


def test_a_newer_schema_is_refused(db_path):
    with open_store(db_path) as store:
        store.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer version of trainer") as caught:
        SessionStore.open(db_path)
    assert caught.value.reason == "too-new"


def test_unusable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as caught:
        SessionStore.open(blocker / "history.sqlite3")
    assert caught.value.reason == "cannot-open"
    assert str(blocker) in str(caught.value)
