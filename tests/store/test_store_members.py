"""Members in the history database: the version 2 migration and the roster."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from trainer.adapters.store import EVERYONE, MemberError, SessionStore
from trainer.adapters.store.schema import SCHEMA_VERSION

V1_DATABASE = Path(__file__).parent / "data" / "history-v1.sqlite3"
NOW = "2026-12-02T08:00:00+00:00"


def _dump(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    shutil.copy(V1_DATABASE, path)
    return path


def test_the_fixture_was_made_by_the_version_before_members(v1_copy):
    with sqlite3.connect(v1_copy) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema")}
    assert "members" not in tables


def test_upgrading_keeps_every_session_and_gives_them_to_the_owner(v1_copy):
    sessions, moments, checks = (_dump(v1_copy, t) for t in ("sessions", "moments", "checks"))
    assert len(sessions) == 5 and len(moments) == 15 and len(checks) == 5
    with SessionStore.open(v1_copy) as store:
        assert store.schema_version == SCHEMA_VERSION >= 2
        owner = store.roster.owner()
        assert owner.name == "owner" and owner.is_owner
        assert len(owner.uid) == 36 and owner.uid.count("-") == 4 and owner.uid[14] == "4"
        overviews = store.recent_sessions(limit=100, who=owner.id)
        assert len(overviews) == 5
        assert {o.member for o in overviews} == {"owner"}
        assert store.recent_sessions(limit=100, who=None) == []  # no guests
        assert len(store.checks(who=owner.id)) == 5
        running = store.running_sessions()
        assert [row.member_id for row in running] == [owner.id]
    # Every old column of every row is unchanged; columns were only added
    # (member_id, then the fleet's ulid).
    for table, before in (("sessions", sessions), ("moments", moments), ("checks", checks)):
        width = len(before[0])
        assert [row[:width] for row in _dump(v1_copy, table)] == before


def test_two_databases_get_different_owner_uids(tmp_path):
    uids = set()
    for name in ("a", "b"):
        with SessionStore.open(tmp_path / f"{name}.sqlite3") as store:
            uids.add(store.roster.owner().uid)
    assert len(uids) == 2


def _session(store: SessionStore, member_id: int | None, day: int) -> int:
    session_id = store.start_session(
        routine_id="r",
        digest="d",
        title="R",
        plan_size=1,
        started_at=f"2026-11-{day:02d}T08:00:00+00:00",
        member_id=member_id,
    )
    store.record_check(
        session_id, test_id="aslr", result="even", rating=None, at=f"2026-11-{day:02d}T08:01"
    )
    store.finish_session(session_id, "finished", f"2026-11-{day:02d}T08:02:00+00:00")
    return session_id


def test_each_member_reads_only_their_own_sessions_and_checks(tmp_path):
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        ana = store.roster.add("Ana", code="1234", created_at=NOW)
        ben = store.roster.add("Ben", badge="0004417723", created_at=NOW)
        a1, b1, g1 = (
            _session(store, ana.id, 1),
            _session(store, ben.id, 2),
            _session(store, None, 3),
        )
        assert [o.session.id for o in store.recent_sessions(who=ana.id)] == [a1]
        assert [o.session.id for o in store.recent_sessions(who=ben.id)] == [b1]
        assert [o.session.id for o in store.recent_sessions(who=None)] == [g1]
        assert len(store.recent_sessions(who=EVERYONE)) == 3
        assert [c.session_id for c in store.checks(who=ana.id)] == [a1]
        assert store.checks(b1, who=ana.id) == []
        assert store.roster.session_counts() == {ana.id: 1, ben.id: 1, None: 1}


def test_codes_badges_and_names_are_unique_and_checked(tmp_path):
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        roster = store.roster
        ana = roster.add("  Ana   Lima ", code="1234", badge="00ab12cd", created_at=NOW)
        assert (ana.name, ana.badge) == ("Ana Lima", "00AB12CD")
        assert roster.by_code("1234") == ana and roster.by_badge("00AB12CD") == ana
        assert roster.find("ana lima") == ana
        for bad in (
            lambda: roster.add("ANA LIMA", created_at=NOW),
            lambda: roster.add("Ben", code="1234", created_at=NOW),
            lambda: roster.add("Ben", badge="00ab12cd", created_at=NOW),
            lambda: roster.add("Ben", code="12", created_at=NOW),
            lambda: roster.add("Ben", code="12ab", created_at=NOW),
            lambda: roster.add("Ben", badge="card!", created_at=NOW),
            lambda: roster.add("", created_at=NOW),
            lambda: roster.add("Ben\x1b[2J", created_at=NOW),
            lambda: roster.add("B" * 41, created_at=NOW),
        ):
            with pytest.raises(MemberError):
                bad()
        assert [m.name for m in roster.all()] == ["owner", "Ana Lima"]
        with pytest.raises(MemberError, match="no member called 'Zed'"):
            roster.get("Zed")


def test_rename_set_code_and_badge(tmp_path):
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        roster = store.roster
        ana = roster.add("Ana", created_at=NOW)
        ben = roster.add("Ben", code="5555", created_at=NOW)
        ana = roster.rename(ana, "Anna")
        assert roster.find("Ana") is None and roster.get("anna").uid == ana.uid
        with pytest.raises(MemberError, match="already a member called 'Ben'"):
            roster.rename(ana, "ben")
        assert roster.rename(ben, "BEN").name == "BEN"  # a change of case is fine
        with pytest.raises(MemberError, match="already has that code"):
            roster.set_code(ana, "5555")
        ana = roster.set_code(ana, "7777")
        ana = roster.set_badge(ana, "99887766")
        assert roster.by_code("7777") == ana and roster.by_badge("99887766") == ana
        assert roster.set_code(ana, None).code is None


def test_remove_keeps_history_anonymous_unless_asked_to_delete_it(tmp_path):
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        roster = store.roster
        ana = roster.add("Ana", created_at=NOW)
        ben = roster.add("Ben", created_at=NOW)
        _session(store, ana.id, 1)
        _session(store, ben.id, 2)
        assert roster.remove(ana, delete_history=False) == 0
        assert len(store.recent_sessions(who=None)) == 1  # Ana's session, now nobody's
        assert roster.remove(ben, delete_history=True) == 1
        assert len(store.recent_sessions()) == 1
        assert store.checks(who=None) and len(store.checks()) == 1
        with pytest.raises(MemberError, match="owner"):
            roster.remove(roster.owner(), delete_history=False)


def test_clear_history_deletes_only_that_members_sessions(tmp_path):
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        ana = store.roster.add("Ana", created_at=NOW)
        _session(store, ana.id, 1)
        _session(store, ana.id, 2)
        other = _session(store, None, 3)
        assert store.roster.clear_history(ana) == 2
        assert [o.session.id for o in store.recent_sessions()] == [other]
        assert [c.session_id for c in store.checks()] == [other]
        assert store.roster.find("Ana") is not None
