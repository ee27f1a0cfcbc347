"""Whether a visit counts as done is the engine's rule, kept in the ``done`` column
(schema version 6), and the history's queries read the column instead of repeating it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from trainer.adapters.store import EVERYONE, MomentEntry, SessionStore
from trainer.adapters.store.database import moment_entry
from trainer.adapters.store.schema import SCHEMA_VERSION

#: Made by main before the column existed (see make_history_v5.py beside it).
V5_DATABASE = Path(__file__).parent / "data" / "history-v5.sqlite3"


@pytest.fixture
def v5_copy(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    shutil.copy(V5_DATABASE, path)
    return path


def _moments(path: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute("SELECT * FROM moments ORDER BY id").fetchall()


def test_the_fixture_was_made_before_the_done_column(v5_copy: Path):
    with sqlite3.connect(v5_copy) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 5
        columns = [row[1] for row in connection.execute("PRAGMA table_info(moments)")]
    assert "skipped" in columns and "done" not in columns


def test_the_migration_fills_done_for_every_old_row_by_the_engines_rule(v5_copy: Path):
    before = [(row["moment_index"], row["skipped"], row["went_back"]) for row in _moments(v5_copy)]
    with SessionStore.open(v5_copy) as store:
        assert store.schema_version == SCHEMA_VERSION >= 6
    rows = _moments(v5_copy)
    assert [(row["moment_index"], row["skipped"], row["went_back"]) for row in rows] == before
    assert [bool(row["done"]) for row in rows] == [moment_entry(row).done for row in rows]
    assert [row["done"] for row in rows[:9]] == [1, 0, 1, 1, 0, 0, 1, 0, 1]


def test_the_history_reads_the_same_totals_after_the_migration(v5_copy: Path):
    with SessionStore.open(v5_copy) as store:
        guest, member = store.recent_sessions(who=EVERYONE)
        # Moments 0, 1, 2 and 4 were done in the end (1 and 2 after going back); 3 was skipped.
        assert (member.moments_done, member.moments_skipped) == (4, 1)
        assert (guest.moments_done, guest.moments_skipped) == (2, 0)
        assert store.completed_moments(member.session.id) == [0, 1, 2, 4]


def test_a_new_row_keeps_what_the_engine_said(tmp_path: Path):
    def visit(index: int, *, skipped: bool = False, went_back: bool = False) -> MomentEntry:
        return MomentEntry(index, "Pigeon", "hold", "left", 1, 30.0, 30.0, 0.0, skipped, went_back)

    path = tmp_path / "history.sqlite3"
    with SessionStore.open(path) as store:
        session = store.start_session(
            routine_id="r", digest="d", title="R", plan_size=3, started_at="2026-12-02T08:00+00:00"
        )
        for n, entry in enumerate([visit(0), visit(1, skipped=True), visit(2, went_back=True)]):
            store.record_moment(session, entry, finished_at="2026-12-02T08:01+00:00", next_index=n)
        assert store.completed_moments(session) == [0]
    assert [row["done"] for row in _moments(path)] == [1, 0, 0]
