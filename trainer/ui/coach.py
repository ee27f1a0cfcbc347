"""The coach dashboard: members, their left/right trends and pain, flags, assignments.

A thin Textual app over the queries of :mod:`trainer.fleet.dashboard`, which the
``trainer coach`` command builds and hands in (this module never opens a
database). Every query runs on a worker thread so a slow server never freezes
the screen. The same app is served to a browser by ``trainer coach --serve``.

Keys: Enter or a click opens a member, ``a`` goes to the routine picker (space,
Enter or a click ticks a routine of the newest pack; the "Assign" button saves
the ticked ones, in the order ticked), ``e`` exports CSV, ``r`` reloads, ``q``
quits. Member names and routine titles are untrusted text: they are shown
through :func:`~trainer.ui.safe_text.plain`, never as markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Label,
    SelectionList,
    Sparkline,
    Static,
)

from trainer.ui.safe_text import plain

if TYPE_CHECKING:
    from trainer.fleet.dashboard import MemberOverview, MemberPage

#: One letter per left/right check result in a trend line.
RESULT_MARKS = {
    "left-tighter": ("L", "bold cyan"),
    "even": ("=", "dim"),
    "right-tighter": ("R", "bold magenta"),
}


class CoachData(Protocol):
    """What the dashboard needs (a :class:`trainer.fleet.dashboard.Dashboard`)."""

    def members(self) -> list[MemberOverview]: ...

    def member_page(self, member_id: str, *, sessions: int = 20) -> MemberPage: ...

    def assign(self, member_id: str, routine_ids: Sequence[str]) -> None: ...

    def assignments(self, member_id: str) -> list[str]: ...

    def routines(self) -> list[tuple[str, str]]: ...

    def export_csv(self, out: io.StringIO, member_id: str | None = None) -> int: ...


def short_flags(flags: Sequence[str]) -> str:
    """The member list's compact form of the flags (the member page spells them out)."""
    marks = []
    for flag in flags:
        if flag.startswith("pain"):
            marks.append("pain↑")
        elif flag.startswith("asymmetry"):
            marks.append("L/R↑")
        elif flag.startswith("no session"):
            marks.append("idle")
    return " ".join(marks)


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "never"


def trend_line(results: Sequence[str]) -> Text:
    """``L L = R`` with each result coloured (left cyan, right magenta, even dim)."""
    line = Text()
    for result in results:
        mark, style = RESULT_MARKS.get(result, ("?", ""))
        line.append(mark + " ", style=style)
    return line


class CoachApp(App[None]):
    """Members on the left; the chosen member's trends, pain and sessions on the right."""

    TITLE = "trainer coach"
    CSS = """
    #members { width: 60; }
    #detail { padding: 0 1; }
    #detail Label.heading { text-style: bold; margin-top: 1; }
    #flags { color: $error; }
    #pain { height: 4; margin-right: 2; }
    #assign { height: auto; max-height: 12; margin-top: 1; }
    #assign-save { margin-top: 1; }
    """
    BINDINGS = [
        Binding("a", "assign", "Assign routines"),
        Binding("e", "export", "Export CSV"),
        Binding("r", "reload", "Reload"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, data: CoachData) -> None:
        super().__init__()
        self.data = data
        self.member_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Static("Choose a member on the left.", id="title")
                yield Static("", id="flags")
                yield Label("Left/right checks (oldest → newest)", classes="heading")
                yield Static("", id="trends")
                yield Label("Pain (0-10)", classes="heading")
                yield Sparkline([], id="pain")
                yield Static("", id="pain-values")
                yield Label("Recent sessions", classes="heading")
                yield Static("", id="sessions")
                yield Label("Assigned routines (shown first in their picker)", classes="heading")
                yield Static("", id="assigned")
                yield SelectionList[str](id="assign")
                yield Button("Assign the ticked routines", id="assign-save", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_columns("Member", "Last session", "/week", "Flags")
        self.action_reload()

    # -- members ----------------------------------------------------------------

    def action_reload(self) -> None:
        self._load_members()
        if self.member_id is not None:
            self._load_member(self.member_id)

    @work(thread=True, exclusive=True, group="members")
    def _load_members(self) -> None:
        try:
            members = self.data.members()
        except Exception as error:  # the server went away: say so, keep the app
            self._report(error)
            return
        self.call_from_thread(self._show_members, members)

    def _show_members(self, members: list[MemberOverview]) -> None:
        table = self.query_one("#members", DataTable)
        table.clear()
        for member in members:
            flags = Text(short_flags(member.flags), style="red")
            table.add_row(
                plain(member.name),
                _when(member.last_session),
                f"{member.sessions_per_week:.1f}",
                flags,
                key=member.id,
            )
        self.sub_title = f"{len(members)} member{'' if len(members) == 1 else 's'}"

    @on(DataTable.RowSelected, "#members")
    @on(DataTable.RowHighlighted, "#members")
    def _member_chosen(self, event: DataTable.RowSelected | DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.member_id = str(event.row_key.value)
            self._load_member(self.member_id)

    # -- one member -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="member")
    def _load_member(self, member_id: str) -> None:
        try:
            page = self.data.member_page(member_id)
            assigned = self.data.assignments(member_id)
            routines = self.data.routines()
        except Exception as error:
            self._report(error)
            return
        self.call_from_thread(self._show_member, page, assigned, routines)

    def _show_member(
        self, page: MemberPage, assigned: list[str], routines: list[tuple[str, str]]
    ) -> None:
        member = page.member
        title = plain(member.name, "bold")
        title.append(
            f"   last session {_when(member.last_session)} · "
            f"{member.sessions_per_week:.1f} sessions/week · {member.total_sessions} in all"
        )
        self.query_one("#title", Static).update(title)
        self.query_one("#flags", Static).update("  ".join(f"⚑ {flag}" for flag in member.flags))
        trends = Text()
        for test_id, points in sorted(page.checks.items()):
            trends.append_text(plain(f"{test_id:<22}"))
            trends.append_text(trend_line([point.result for point in points[-30:]]))
            last = points[-1]
            if last.left_value is not None and last.right_value is not None:
                unit = f" {last.unit}" if last.unit else ""
                trends.append_text(
                    plain(f"  last L {last.left_value:g} / R {last.right_value:g}{unit}")
                )
            trends.append(f"  ({len(points)}, last {_when(last.at)})\n")
        self.query_one("#trends", Static).update(trends or "no left/right checks yet")
        scores = [score for _, score in page.pain]
        self.query_one("#pain", Sparkline).data = scores[-60:] if scores else [0]
        self.query_one("#pain-values", Static).update(
            " ".join(str(score) for score in scores[-30:]) if scores else "no pain scores yet"
        )
        sessions = Text()
        for line in page.sessions:
            sessions.append(f"{_when(line.started_at)}  ")
            sessions.append_text(plain(f"{line.routine_title:<28.28}"))
            sessions.append(f"  {line.status:<11} {line.moments:>3} moments  ")
            sessions.append_text(plain(line.kiosk, "dim"))
            sessions.append("\n")
        self.query_one("#sessions", Static).update(sessions or "no sessions yet")
        self.query_one("#assigned", Static).update(
            plain(", ".join(assigned)) if assigned else plain("none")
        )
        self._fill_picker(assigned, routines)

    def _fill_picker(self, assigned: list[str], routines: list[tuple[str, str]]) -> None:
        """The newest pack's routines to tick, the assigned ones first and ticked."""
        titles = dict(routines)
        picker = self.query_one("#assign", SelectionList)
        picker.clear_options()
        for routine_id in assigned:
            title = titles.get(routine_id, "not in the newest pack")
            picker.add_option((plain(f"{title} ({routine_id})"), routine_id, True))
        picker.add_options(
            (plain(f"{title} ({routine_id})"), routine_id, False)
            for routine_id, title in routines
            if routine_id not in assigned
        )
        self.query_one("#assign-save", Button).disabled = picker.option_count == 0
        if not routines:
            self.query_one("#assigned", Static).update(
                plain(f"{', '.join(assigned) or 'none'} (no routine pack yet: trainer publish DIR)")
            )

    # -- actions ----------------------------------------------------------------

    def action_assign(self) -> None:
        if self.member_id is None:
            self.notify("Choose a member first.", severity="warning")
            return
        picker = self.query_one("#assign", SelectionList)
        if picker.highlighted is None and picker.option_count:
            picker.highlighted = 0  # space ticks at once, no arrow key first
        picker.focus()

    @on(Button.Pressed, "#assign-save")
    def _assign_pressed(self) -> None:
        if self.member_id is None:
            self.notify("Choose a member first.", severity="warning")
            return
        # In the order ticked: what stayed ticked of the old assignment first.
        routines = [str(value) for value in self.query_one("#assign", SelectionList).selected]
        self._assign(self.member_id, routines)

    @work(thread=True, group="assign")
    def _assign(self, member_id: str, routines: list[str]) -> None:
        try:
            self.data.assign(member_id, routines)
        except Exception as error:
            self._report(error)
            return
        self.call_from_thread(
            self.notify, f"Assigned {len(routines)} routines; kiosks get them on their next sync."
        )
        self._load_member(member_id)

    def action_export(self) -> None:
        self._export()

    @work(thread=True, group="export")
    def _export(self) -> None:
        out = io.StringIO()
        try:
            rows = self.data.export_csv(out)
        except Exception as error:
            self._report(error)
            return
        name = f"trainer-coach-{datetime.now():%Y%m%d-%H%M}.csv"
        # In a terminal this saves to the downloads folder; in a browser it downloads.
        self.call_from_thread(self.deliver_text, io.StringIO(out.getvalue()), save_filename=name)
        self.call_from_thread(self.notify, f"Exported {rows} rows to {name}.")

    def _report(self, error: Exception) -> None:
        """From a worker thread: show what failed, in one line, without any password."""
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        self.call_from_thread(self.notify, f"Server: {first_line}", severity="error", timeout=10)
