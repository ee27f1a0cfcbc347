"""The coach's dashboard queries, on a real server, through a coach role."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from fleet_helpers import FleetServer, seed_member

from trainer.fleet.dashboard import CheckPoint, Dashboard, asymmetry_worsening, pain_rising

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
EVEN, LEFT, RIGHT = "even", "left-tighter", "right-tighter"


@pytest.fixture
def coach(fleet: FleetServer) -> Iterator[Dashboard]:
    """The dashboard on a coach role's connection (closed after the test)."""
    with psycopg.connect(fleet.add("coach")) as connection:
        yield Dashboard(connection, now=NOW)


def test_members_with_last_session_sessions_per_week_and_flags(
    fleet: FleetServer, coach: Dashboard
) -> None:
    steady = seed_member(
        fleet,
        "Alex",
        [
            (days, [("aslr", EVEN, None), ("knee-pain", EVEN, 2)])
            for days in (1, 3, 5, 8, 10, 12, 15, 20, 40)
        ],
        now=NOW,
    )
    worsening = seed_member(
        fleet,
        "Blake",
        [
            (30 - day, [("aslr", result, None), ("knee-pain", EVEN, pain)])
            for day, (result, pain) in enumerate(
                [(EVEN, 1), (EVEN, 1), (LEFT, 2), (LEFT, 3), (RIGHT, 4), (LEFT, 5)]
            )
        ],
        now=NOW,
    )
    dashboard = coach
    members = {member.name: member for member in dashboard.members()}
    assert set(members) == {"Alex", "Blake"}
    alex, blake = members["Alex"], members["Blake"]
    assert alex.id == steady and blake.id == worsening
    assert alex.last_session is not None and (NOW - alex.last_session).days == 1
    assert alex.sessions_per_week == 2.0  # 8 sessions in the last 4 weeks
    assert alex.total_sessions == 9 and alex.flags == ()
    assert blake.flags == ("pain rising", "asymmetry worsening: aslr", "no session in 14 days")


def test_member_page_has_trends_pain_and_recent_sessions(
    fleet: FleetServer, coach: Dashboard
) -> None:
    member = seed_member(
        fleet,
        "Alex",
        [
            (3, [("aslr", LEFT, None), ("knee-pain", EVEN, 4)]),
            (1, [("aslr", EVEN, None), ("knee-pain", EVEN, 2)]),
        ],
        now=NOW,
    )
    page = coach.member_page(member)
    assert [point.result for point in page.checks["aslr"]] == [LEFT, EVEN]  # oldest first
    assert [score for _, score in page.pain] == [4, 2]
    assert [line.kiosk for line in page.sessions] == ["front-desk", "front-desk"]
    assert page.sessions[0].started_at > page.sessions[1].started_at  # newest first


def test_assignments_replace_and_keep_the_coachs_order(
    fleet: FleetServer, coach: Dashboard
) -> None:
    member = seed_member(fleet, "Alex", [], now=NOW)
    dashboard = coach
    dashboard.assign(member, ["squat-groove", "ankle-release"])
    dashboard.assign(member, ["hip-mobility", "squat-groove"])
    assert dashboard.assignments(member) == ["hip-mobility", "squat-groove"]


def test_csv_export_is_spreadsheet_safe(fleet: FleetServer, coach: Dashboard) -> None:
    seed_member(fleet, '=HYPERLINK("x")', [(1, [("aslr", LEFT, None)])], now=NOW)
    seed_member(fleet, "Alex", [(2, [])], now=NOW)
    out = io.StringIO()
    rows = coach.export_csv(out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows == len(table) == 2
    assert {row["member"] for row in table} == {'\'=HYPERLINK("x")', "Alex"}
    assert {row["result"] for row in table} == {"left-tighter", ""}


def test_trend_rules() -> None:
    at = NOW
    points = [CheckPoint(at, result, None) for result in (EVEN, EVEN, EVEN, LEFT, EVEN, RIGHT)]
    assert asymmetry_worsening(points)
    assert not asymmetry_worsening(points[:5])  # too few to tell
    assert not asymmetry_worsening(list(reversed(points)))
    assert pain_rising([1, 1, 2, 2, 3, 3]) and not pain_rising([3, 3, 2, 2, 2, 2])
