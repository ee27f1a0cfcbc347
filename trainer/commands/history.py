"""``trainer history``: recent sessions, left/right check trends, and exports.

* ``trainer history`` prints a table of recent sessions: date, routine,
  time (``active 3:12, paused 0:19``, as the app shows it), status and how
  many moments were done and skipped;
* ``--trends`` prints each check's results over time, oldest first, as a
  compact line such as ``aslr  L L = = R`` followed by the dates;
* ``--json`` / ``--csv`` export the same data for other tools (with
  ``--trends``, the check results instead of the sessions);
* ``--member NAME`` keeps to one member's sessions and checks, in the table,
  the trends and every export. Without it everyone's are shown, and sessions
  name their member (empty for a kiosk guest).

With no history yet it says so and exits 0; a database problem is reported on
stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from trainer.adapters.store import (
    EVERYONE,
    CheckRow,
    MemberError,
    SessionOverview,
    SessionStore,
    StoreError,
    Who,
    default_database_path,
)
from trainer.commands._problems import history_problem
from trainer.commands._table import format_table
from trainer.core.wording import check_names, status_word
from trainer.routine.catalog import load_catalog
from trainer.routine.durations import format_session_time
from trainer.routine.models import CheckResult
from trainer.untrusted_text import spreadsheet_safe

NO_HISTORY = "No sessions yet: finish (or start) a session and it will appear here."
NO_CHECKS = "No check results yet: routines with left/right checks record them."

#: Dated results per line under each trend, so 20 results still fit a terminal.
_DATES_PER_LINE = 5
#: One letter per check result in the trend line.


def run(args: argparse.Namespace) -> int:
    path = default_database_path(getattr(args, "data_dir", None))
    limit = args.limit  # 1 or more: the command line refuses anything else
    out = sys.stdout
    if not path.exists():
        return _report_empty(args, out)
    try:
        with SessionStore.open(path, check_writable=False) as store:
            who: Who = EVERYONE
            if getattr(args, "member", None):
                who = store.roster.get(args.member).id
            if args.trends:
                return _trends(args, store.checks(who=who), limit, out)
            overviews = store.recent_sessions(limit, who=who)
            if not overviews:
                return _report_empty(args, out)
            if args.json:
                json.dump(_sessions_json(store, overviews, who), out, indent=2)
                out.write("\n")
            elif args.csv:
                _sessions_csv(store, overviews, who, out)
            else:
                out.write(sessions_table(overviews))
    except (MemberError, StoreError) as error:
        return history_problem("history", error)
    return 0


def _report_empty(args: argparse.Namespace, out: TextIO) -> int:
    """Exports get a valid empty document (and the message on stderr); people get the
    message."""
    message = NO_CHECKS if args.trends else NO_HISTORY
    if args.json:
        json.dump({"tests": {}} if args.trends else [], out)
        out.write("\n")
        print(message, file=sys.stderr)
    elif args.csv:
        csv.writer(out).writerow(_CHECK_COLUMNS if args.trends else _SESSION_COLUMNS)
        print(message, file=sys.stderr)
    else:
        print(message, file=out)
    return 0


# -- sessions ---------------------------------------------------------------------

_SESSION_COLUMNS = (
    "id",
    "started_at",
    "ended_at",
    "routine_id",
    "routine_title",
    "status",
    "duration_seconds",
    "active_seconds",
    "paused_seconds",
    "moments_done",
    "moments_skipped",
    "plan_size",
    "member",
    "member_id",
    "checks",
)


def _session_fields(overview: SessionOverview) -> dict[str, Any]:
    session = overview.session
    return {
        "id": session.id,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "routine_id": session.routine_id,
        "routine_title": session.routine_title,
        "status": session.status,
        "duration_seconds": round(overview.duration_seconds, 1),
        "active_seconds": round(overview.active_seconds, 1),
        "paused_seconds": round(overview.paused_seconds, 1),
        "moments_done": overview.moments_done,
        "moments_skipped": overview.moments_skipped,
        "plan_size": session.plan_size,
        "member": overview.member or "",  # empty: a guest
        "member_id": overview.member_uid or "",  # the member's stable id
    }


def sessions_table(overviews: Sequence[SessionOverview]) -> str:
    """The sessions as an aligned text table, newest first."""
    header: tuple[str, ...] = ("Date", "Routine", "Time", "Status", "Done", "Skipped")
    rows: list[tuple[str, ...]] = [
        (
            _local_time(overview.session.started_at),
            overview.session.routine_title,
            format_session_time(overview.active_seconds, overview.paused_seconds),
            status_word(overview.session.status),
            f"{overview.moments_done}/{overview.session.plan_size}",
            str(overview.moments_skipped),
        )
        for overview in overviews
    ]
    if len({overview.member for overview in overviews}) > 1:  # whose, when it varies
        header += ("Member",)
        rows = [
            (*row, overview.member or "(guest)")
            for row, overview in zip(rows, overviews, strict=True)
        ]
    return format_table(header, rows, right={4, 5}, rule=True) + "\n"


def _sessions_json(
    store: SessionStore, overviews: Sequence[SessionOverview], who: Who
) -> list[Any]:
    exported = []
    for overview in overviews:
        fields = _session_fields(overview)
        session_id = overview.session.id
        fields["routine_digest"] = overview.session.routine_digest
        fields["moments"] = [
            {**vars(row.entry), "finished_at": row.finished_at} for row in store.moments(session_id)
        ]
        fields["checks"] = [_check_fields(c) for c in store.checks(session_id, who=who)]
        exported.append(fields)
    return exported


def _sessions_csv(
    store: SessionStore, overviews: Sequence[SessionOverview], who: Who, out: TextIO
) -> None:
    writer = csv.DictWriter(out, fieldnames=_SESSION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for overview in overviews:
        checks = store.checks(overview.session.id, who=who)
        fields = {**_session_fields(overview), "checks": "; ".join(map(check_summary, checks))}
        writer.writerow(spreadsheet_safe(fields))


# -- trends -----------------------------------------------------------------------

_CHECK_COLUMNS = (
    "test_id",
    "at",
    "result",
    "rating",
    "session_id",
    "left_value",
    "right_value",
    "value",
    "unit",
    "answer",
)


def _check_fields(check: CheckRow) -> dict[str, Any]:
    return {
        "test_id": check.test_id,
        "at": check.at,
        "result": check.result,
        "rating": check.rating,
        "session_id": check.session_id,
        "left_value": check.left_value,
        "right_value": check.right_value,
        "value": check.value,
        "unit": check.unit,
        "answer": check.answer,
    }


def check_summary(check: CheckRow) -> str:
    """One check result in a few words, for a single cell:
    ``aslr: left tighter``, ``knee-to-wall: right tighter, 3/10``, ``lunge: L 9 cm, R 11 cm``."""
    unit = f" {check.unit}" if check.unit and check.unit not in ("score", "choice") else ""
    parts = [check.result.replace("-", " ")] if check.result else []
    if check.left_value is not None or check.right_value is not None:
        parts.append(f"L {_number(check.left_value)}{unit}, R {_number(check.right_value)}{unit}")
    elif check.value is not None:
        parts.append(f"{_number(check.value)}{unit}")
    elif check.answer:
        parts.append(check.answer)
    if check.rating is not None:
        parts.append(f"{check.rating}/10")
    return f"{check.test_id}: {', '.join(parts) or '-'}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _trends(args: argparse.Namespace, checks: list[CheckRow], limit: int, out: TextIO) -> int:
    if not checks:
        return _report_empty(args, out)
    by_test: dict[str, list[CheckRow]] = defaultdict(list)
    for check in checks:
        by_test[check.test_id].append(check)
    latest = {test: rows[-limit:] for test, rows in sorted(by_test.items())}
    if args.json:
        tests = {test: [_check_fields(row) for row in rows] for test, rows in latest.items()}
        json.dump({"tests": tests}, out, indent=2)
        out.write("\n")
    elif args.csv:
        writer = csv.DictWriter(out, fieldnames=_CHECK_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for rows in latest.values():
            writer.writerows(spreadsheet_safe(_check_fields(row)) for row in rows)
    else:
        names = check_names(latest, (loaded.routine for loaded in load_catalog().routines.values()))
        out.write(trends_text({names[test]: rows for test, rows in latest.items()}))
    return 0


def trend_line(checks: Sequence[CheckRow]) -> str:
    """The results as symbols, oldest first: ``L L = = R`` (with ratings: ``L6 L5 =3``)."""
    return " ".join(
        _symbol(check.result) + ("" if check.rating is None else str(check.rating))
        for check in checks
    )


def trends_text(by_name: dict[str, list[CheckRow]]) -> str:
    """Each check's trend line under its name, then the date of each result under it."""
    lines = [
        "Left/right checks, oldest first (L = left tighter, = even, R = right tighter;",
        "a number after the letter is the 0-10 rating)",
        "",
    ]
    width = max(len(name) for name in by_name)
    for name, checks in by_name.items():
        first, last = _local_date(checks[0].at), _local_date(checks[-1].at)
        span = first if first == last else f"{first} to {last}"
        count = f"{len(checks)} check{'s' if len(checks) != 1 else ''}"
        lines.append(f"{name.ljust(width)}  {trend_line(checks)}   ({count}, {span})")
        dated = [f"{_local_date(check.at)} {trend_line([check])}" for check in checks]
        for start in range(0, len(dated), _DATES_PER_LINE):
            lines.append(f"    {'  '.join(dated[start : start + _DATES_PER_LINE])}")
    return "\n".join(lines) + "\n"


# -- formatting -------------------------------------------------------------------


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _symbol(result: str) -> str:
    known = CheckResult.named(result)
    return known.symbol if known is not None else "?"


def _local_date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d")
    except ValueError:
        return iso[:10]
