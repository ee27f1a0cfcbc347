"""``trainer members`` and ``trainer history --member``: the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from trainer.adapters.store import SessionStore, default_database_path
from trainer.cli import main


def trainer(capsys, *words: str) -> tuple[int, str, str]:
    code = main(list(words))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path):
    return tmp_path


def test_add_list_rename_code_badge_remove(capsys, data):
    assert trainer(capsys, "members", "add", "Ana", "--code", "1234", "--data-dir", str(data)) == (
        0,
        "Added Ana (signs in with a code)\n",
        "",
    )
    code, out, _ = trainer(
        capsys, "members", "add", "Ben", "--badge", "0004417723", "--data-dir", str(data)
    )
    assert code == 0 and "badge 0004417723" in out
    code, out, _ = trainer(capsys, "members", "list", "--data-dir", str(data))
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "CODE", "BADGE", "SESSIONS", "ID"]
    assert lines[1].startswith("owner (owner)")
    assert lines[2].split()[:4] == ["Ana", "set", "-", "0"]
    assert lines[3].split()[:4] == ["Ben", "-", "0004417723", "0"]
    assert "1234" not in out  # codes are never printed back
    assert trainer(capsys, "members", "rename", "ana", "Anna", "--data-dir", str(data))[0] == 0
    assert trainer(capsys, "members", "code", "Ben", "9876", "--data-dir", str(data))[0] == 0
    assert trainer(capsys, "members", "badge", "Ben", "--clear", "--data-dir", str(data))[0] == 0
    with SessionStore.open(default_database_path(data)) as store:
        ben = store.roster.get("ben")
        assert (ben.code, ben.badge) == ("9876", None)
        assert store.roster.find("Anna") is not None
    code, out, _ = trainer(capsys, "members", "remove", "Anna", "--data-dir", str(data))
    assert code == 0 and "Removed Anna" in out


@pytest.mark.parametrize(
    "words, message",
    [
        (("add", "Ana", "--code", "12"), "4 to 12 digits"),
        (("add", "Ana", "--code", "2222"), "already has that code"),
        (("add", "ben"), "already a member called 'Ben'"),
        (("rename", "Zed", "Z"), "no member called 'Zed' (members: owner, Ben)"),
        (("remove", "owner"), "rename it instead"),
    ],
)
def test_bad_requests_exit_2_with_a_message_and_change_nothing(capsys, data, words, message):
    trainer(capsys, "members", "add", "Ben", "--code", "2222", "--data-dir", str(data))
    with SessionStore.open(default_database_path(data)) as store:
        before = store.roster.all()
    code, out, err = trainer(capsys, "members", *words, "--data-dir", str(data))
    assert code == 2 and out == ""
    assert err.startswith("trainer members: ") and message in err
    with SessionStore.open(default_database_path(data)) as store:
        assert store.roster.all() == before


def _seed(data) -> None:
    with SessionStore.open(default_database_path(data)) as store:
        ana = store.roster.add("Ana", code="1111", created_at="2026-11-01T00:00:00+00:00")
        for day, member in ((1, ana.id), (2, None), (3, store.roster.owner().id)):
            session = store.start_session(
                routine_id="r",
                digest="d",
                title=f"Day {day}",
                plan_size=1,
                started_at=f"2026-11-0{day}T08:00:00+00:00",
                member_id=member,
            )
            store.record_check(
                session, test_id="aslr", result="even", rating=None, at=f"2026-11-0{day}T08:01"
            )
            store.finish_session(session, "finished", f"2026-11-0{day}T08:05:00+00:00")


def test_history_names_members_and_keeps_to_one_with_member(capsys, data):
    _seed(data)
    code, out, _ = trainer(capsys, "history", "--data-dir", str(data))
    assert code == 0 and "Member" in out.splitlines()[0]
    assert [line.split()[-1] for line in out.splitlines()[2:]] == ["owner", "(guest)", "Ana"]
    code, out, _ = trainer(capsys, "history", "--member", "ana", "--data-dir", str(data))
    assert "Day 1" in out and "Day 2" not in out and "Day 3" not in out
    assert "Member" not in out  # one member: no column


def test_every_export_honours_the_member(capsys, data):
    _seed(data)
    _, out, _ = trainer(capsys, "history", "--json", "--member", "Ana", "--data-dir", str(data))
    exported = json.loads(out)
    assert [s["routine_title"] for s in exported] == ["Day 1"]
    assert exported[0]["member"] == "Ana" and len(exported[0]["member_id"]) == 36
    assert len(exported[0]["checks"]) == 1
    _, out, _ = trainer(capsys, "history", "--csv", "--member", "owner", "--data-dir", str(data))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["routine_title"], r["member"]) for r in rows] == [("Day 3", "owner")]
    _, out, _ = trainer(capsys, "history", "--csv", "--data-dir", str(data))
    assert [r["member"] for r in csv.DictReader(io.StringIO(out))] == ["owner", "", "Ana"]
    _, out, _ = trainer(
        capsys, "history", "--trends", "--json", "--member", "Ana", "--data-dir", str(data)
    )
    assert [c["session_id"] for c in json.loads(out)["tests"]["aslr"]] == [1]
    _, out, _ = trainer(
        capsys, "history", "--trends", "--csv", "--member", "Ana", "--data-dir", str(data)
    )
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1


def test_history_and_run_refuse_an_unknown_member(capsys, data):
    _seed(data)
    code, out, err = trainer(capsys, "history", "--member", "Zed", "--data-dir", str(data))
    assert code == 2 and out == "" and "no member called 'Zed'" in err
    code, out, err = trainer(
        capsys, "run", "--member", "Zed", "--pedal", "none", "--data-dir", str(data)
    )
    assert code == 2 and "no member called 'Zed'" in err and "trainer members add" in err
