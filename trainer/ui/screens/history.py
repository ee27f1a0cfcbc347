"""Recent sessions and each check's left/right trend."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from trainer.core.actions import Action
from trainer.core.flow import HistoryView
from trainer.core.wording import status_word
from trainer.routine.durations import format_session_time
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import InputScreen
from trainer.ui.widgets.trend import trend_plot


class HistoryScreen(InputScreen, Screen[None]):
    """Recent sessions in a table, and a trend plot per left/right check."""

    DEFAULT_CSS = """
    HistoryScreen { layout: vertical; }
    #note { padding: 0 1; color: $warning; }
    #sessions { height: auto; max-height: 50%; }
    #trends { height: 1fr; padding: 1; }
    #legend { width: 100%; background: $primary; text-style: bold; }
    """
    BINDINGS = [Binding("h", "dismiss", "Back", show=False)]

    def __init__(self, view: HistoryView) -> None:
        super().__init__()
        self.sessions = list(view.sessions)
        self.checks = list(view.checks)
        self.check_names = view.check_names
        self.note = view.note

    def compose(self) -> ComposeResult:
        yield Static(Text("History", style="bold"), id="title")
        if self.note:
            yield Static(Text(self.note, style="italic"), id="note")
        yield DataTable(id="sessions", cursor_type="none", show_cursor=False)
        with VerticalScroll(id="trends"):
            tests = sorted({row.test_id for row in self.checks})
            if not tests:
                yield Static("No left/right checks yet.")
            for test in tests:
                name = self.check_names.get(test, test)
                yield Static(trend_plot(test, self.checks, name), classes="trend")
        yield Static(Text("tap: back", justify="center"), id="legend")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_columns("date", "routine", "time", "status", "done", "skipped")
        for overview in self.sessions:
            session = overview.session
            # Two lines a row, so all six columns fit 80 columns with the time in full.
            active, paused = format_session_time(
                overview.active_seconds, overview.paused_seconds
            ).split(", ")
            table.add_row(
                f"{session.started_at[:10]}\n{session.started_at[11:16]}",
                plain(session.routine_title),
                f"{active}\n{paused}",
                # A session from another kiosk of the fleet says where it was done.
                plain(f"{status_word(session.status)}\nat {session.kiosk}")
                if session.kiosk
                else status_word(session.status),
                str(overview.moments_done),
                str(overview.moments_skipped),
                height=2,
            )
        if not self.sessions:
            table.add_row("no sessions yet", "", "", "", "", "")

    def take(self, action: Action) -> None:
        if action.meaning is not None:
            self.dismiss()
