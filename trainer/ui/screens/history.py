"""Recent sessions and each check's left/right trend."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from trainer.adapters.store.database import CheckRow, SessionOverview
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.durations import format_duration
from trainer.ui.safe_text import plain
from trainer.ui.widgets.trend import trend_plot


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen { layout: vertical; }
    #sessions { height: auto; max-height: 50%; }
    #trends { height: 1fr; padding: 1; }
    #legend { width: 100%; background: $primary; text-style: bold; }
    """
    BINDINGS = [Binding("h", "dismiss", "Back", show=False)]

    def __init__(self, sessions: Sequence[SessionOverview], checks: Sequence[CheckRow]) -> None:
        super().__init__()
        self.sessions = list(sessions)
        self.checks = list(checks)

    def compose(self) -> ComposeResult:
        yield Static(Text("History", style="bold"), id="title")
        yield DataTable(id="sessions", cursor_type="none", show_cursor=False)
        with VerticalScroll(id="trends"):
            tests = sorted({row.test_id for row in self.checks})
            if not tests:
                yield Static("No left/right checks yet.")
            for test in tests:
                yield Static(trend_plot(test, self.checks), classes="trend")
        yield Static(Text("tap: back", justify="center"), id="legend")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_columns("date", "routine", "time", "status", "done", "skipped")
        for overview in self.sessions:
            session = overview.session
            table.add_row(
                session.started_at[:16].replace("T", " "),
                plain(session.routine_title),
                format_duration(overview.active_seconds),
                session.status,
                str(overview.moments_done),
                str(overview.moments_skipped),
            )
        if not self.sessions:
            table.add_row("no sessions yet", "", "", "", "", "")

    def handle_input(self, action: Gesture | Command) -> None:
        self.dismiss()

    def action_dismiss(self) -> None:
        self.dismiss()
