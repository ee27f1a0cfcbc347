"""``trainer history``: the table, JSON and CSV exports, trends, and no history yet."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest
from store_helpers import open_store

from trainer.adapters.store import MomentEntry, default_database_path
from trainer.cli import main
from trainer.commands.history import run


def args(data_dir, **options) -> argparse.Namespace:
    values = {"json": False, "csv": False, "limit": 20, "trends": False, "data_dir": data_dir}
    return argparse.Namespace(**{**values, **options})


def moment(index: int, skipped: bool = False) -> MomentEntry:
    return MomentEntry(index, f"Step {index}", "hold", "", 1, 30.0, 30.0, 0.0, skipped, False)


@pytest.fixture
def history(tmp_path):
    """Two sessions (one finished, one interrupted part-way) and a few check results."""
    with open_store(default_database_path(tmp_path)) as store:
        first = store.start_session(
            routine_id="ankle-flow",
            digest="d",
            title="Ankle flow",
            plan_size=4,
            started_at="2024-05-01T07:30:00+02:00",
        )
        for index in range(4):
            store.record_moment(
                first, moment(index, skipped=index == 2), finished_at="x", next_index=index + 1
            )
        store.record_check(
            first,
            test_id="aslr",
            result="left-tighter",
            rating=None,
            at="2024-05-01T07:40:00+02:00",
        )
        store.finish_session(first, "finished", "2024-05-01T07:52:30+02:00")
        second = store.start_session(
            routine_id="hip-opener",
            digest="d",
            title="Hip opener",
            plan_size=10,
            started_at="2024-05-03T18:00:00+02:00",
        )
        store.record_moment(
            second, moment(0), finished_at="2024-05-03T18:05:00+02:00", next_index=1
        )
        for day, result, rating in [("05", "even", 4), ("09", "right-tighter", 3)]:
            store.record_check(
                second,
                test_id="aslr",
                result=result,
                rating=None,
                at=f"2024-05-{day}T07:40:00+02:00",
            )
            store.record_check(
                second,
                test_id="knee-to-wall",
                result=result,
                rating=rating,
                at=f"2024-05-{day}T07:41:00+02:00",
            )
        store.mark_interrupted(second)
    return tmp_path


def test_no_history_yet_is_a_friendly_message(tmp_path, capsys):
    assert run(args(tmp_path)) == 0
    assert "No sessions yet" in capsys.readouterr().out
    assert run(args(tmp_path, trends=True)) == 0
    assert "No check results yet" in capsys.readouterr().out
    assert not default_database_path(tmp_path).exists()  # looking does not create it


def test_no_history_exports_are_valid_and_empty(tmp_path, capsys):
    assert run(args(tmp_path, json=True)) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "No sessions yet" in captured.err
    assert run(args(tmp_path, csv=True)) == 0
    assert capsys.readouterr().out.startswith("id,started_at,")


def test_an_empty_database_counts_as_no_history(tmp_path, capsys):
    open_store(default_database_path(tmp_path)).close()
    assert run(args(tmp_path)) == 0
    assert "No sessions yet" in capsys.readouterr().out


def test_table_of_recent_sessions(history, capsys):
    assert run(args(history)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Date", "Routine", "Time", "Status", "Done", "Skipped"]
    # Time is active and paused time, named, as the app shows it: not the wall-clock
    # span (5:00 here, most of it after the crash), which no screen shows.
    assert lines[2].split() == [
        "2024-05-03",
        "18:00",
        "Hip",
        "opener",
        "active",
        "0:30,",
        "paused",
        "0:00",
        "interrupted",
        "1/10",
        "0",
    ]
    assert lines[3].split() == [
        "2024-05-01",
        "07:30",
        "Ankle",
        "flow",
        "active",
        "2:00,",
        "paused",
        "0:00",
        "finished",
        "3/4",
        "1",
    ]
    assert len(lines) == 4


def test_a_session_ended_early_reads_as_in_the_summary(tmp_path, capsys):
    """The summary says "ended early"; the history says the same, never "abandoned"."""
    with open_store(default_database_path(tmp_path)) as store:
        session = store.start_session(
            routine_id="ankle-flow",
            digest="d",
            title="Ankle flow",
            plan_size=4,
            started_at="2024-05-01T07:30:00+02:00",
        )
        store.record_moment(session, moment(0), finished_at="x", next_index=1)
        store.finish_session(session, "abandoned", "2024-05-01T07:35:00+02:00")
    assert run(args(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "ended early" in out and "abandoned" not in out
    assert run(args(tmp_path, csv=True)) == 0  # exports keep the stored code
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["status"] == "abandoned"


def test_limit(history, capsys):
    assert run(args(history, limit=1)) == 0
    assert "Ankle flow" not in capsys.readouterr().out


def test_json_export_has_sessions_moments_and_checks(history, capsys):
    assert run(args(history, json=True)) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert [s["routine_id"] for s in sessions] == ["hip-opener", "ankle-flow"]
    ankle = sessions[1]
    assert ankle["status"] == "finished" and ankle["duration_seconds"] == 1350
    assert (ankle["moments_done"], ankle["moments_skipped"], ankle["plan_size"]) == (3, 1, 4)
    assert [m["moment_index"] for m in ankle["moments"]] == [0, 1, 2, 3]
    assert ankle["moments"][2]["skipped"] is True
    assert ankle["checks"] == [
        {
            "test_id": "aslr",
            "at": "2024-05-01T07:40:00+02:00",
            "result": "left-tighter",
            "rating": None,
            "session_id": ankle["id"],
            "left_value": None,
            "right_value": None,
            "value": None,
            "unit": None,
            "answer": None,
        }
    ]


def test_csv_export(history, capsys):
    assert run(args(history, csv=True)) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["routine_title"], r["status"], r["moments_done"]) for r in rows] == [
        ("Hip opener", "interrupted", "1"),
        ("Ankle flow", "finished", "3"),
    ]


def test_trends(history, capsys):
    assert run(args(history, trends=True)) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "L = left tighter" in lines[0]
    # Each check by the name its routine gives it, not by its test id.
    aslr = next(line for line in lines if line.startswith("Active straight leg raise"))
    assert aslr.split()[4:7] == ["L", "=", "R"]
    assert "3 checks, 2024-05-01 to 2024-05-09" in aslr
    knee = next(line for line in lines if line.startswith("Knee-to-wall ankle test"))
    assert knee.split()[3:5] == ["=4", "R3"]
    assert not any(line.startswith(("aslr", "knee-to-wall")) for line in lines)
    assert "2024-05-05 =4" in out and "2024-05-09 R3" in out


def test_trends_limit_keeps_the_latest(history, capsys):
    assert run(args(history, trends=True, limit=2)) == 0
    lines = capsys.readouterr().out.splitlines()
    aslr = next(line for line in lines if line.startswith("Active straight leg raise"))
    assert aslr.split()[4:6] == ["=", "R"]


def test_trends_json_and_csv(history, capsys):
    assert run(args(history, trends=True, json=True)) == 0
    tests = json.loads(capsys.readouterr().out)["tests"]
    assert [c["result"] for c in tests["aslr"]] == ["left-tighter", "even", "right-tighter"]
    assert run(args(history, trends=True, csv=True)) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5 and rows[0]["test_id"] == "aslr"


def test_a_damaged_database_is_an_error(tmp_path, capsys):
    default_database_path(tmp_path).write_bytes(b"garbage" * 1000)
    assert run(args(tmp_path)) == 1
    assert "damaged" in capsys.readouterr().err


def test_through_the_cli(history, capsys):
    assert main(["history", "--data-dir", str(history), "--limit", "5"]) == 0
    assert "Ankle flow" in capsys.readouterr().out


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_a_limit_below_one_is_refused_not_read_as_one(history, capsys, limit):
    # `--limit 0` and `--limit -3` used to print one row each.
    with pytest.raises(SystemExit) as exit_info:
        main(["history", "--data-dir", str(history), "--limit", limit])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "argument --limit:" in captured.err
    assert ("must be 1 or more" if limit != "many" else "is not a whole number") in captured.err


def test_csv_export_carries_each_sessions_check_results(history, capsys):
    assert run(args(history, csv=True)) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_title = {row["routine_title"]: row["checks"] for row in rows}
    assert by_title["Ankle flow"] == "aslr: left tighter"
    assert by_title["Hip opener"] == (
        "aslr: even; knee-to-wall: even, 4/10; "
        "aslr: right tighter; knee-to-wall: right tighter, 3/10"
    )


def test_a_recorded_check_exports_its_values(tmp_path, capsys):
    with open_store(default_database_path(tmp_path)) as store:
        session = store.start_session(
            routine_id="r", digest="d", title="R", plan_size=1, started_at="2024-05-01T07:30:00"
        )
        store.record_check(
            session,
            test_id="knee-to-wall",
            result="left-tighter",
            rating=None,
            at="2024-05-01T07:31:00",
            values=[("left", 9.0), ("right", 11.5)],
            unit="cm",
        )
    assert run(args(tmp_path, csv=True)) == 0
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["checks"] == "knee-to-wall: left tighter, L 9 cm, R 11.5 cm"
    assert run(args(tmp_path, trends=True, csv=True)) == 0
    check = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (check["left_value"], check["right_value"], check["unit"]) == ("9.0", "11.5", "cm")
