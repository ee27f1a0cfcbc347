"""Picking a routine, with the pedal alone or with keys and mouse.

Pedal: tap = next routine (the list wraps round), long press = start; a double
tap (only when the pedal's double-tap window is on) = previous.
Keys: up/down (or j/k) choose, Enter (or →) starts, Space moves on like a tap;
mouse: click to choose, click the chosen one again to start.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from trainer.core.actions import Action
from trainer.core.kiosk import Idleness
from trainer.core.routine_rows import RoutineChoice
from trainer.engine.vocabulary import Command, Gesture
from trainer.paths import is_bundled
from trainer.routine.durations import format_planned_time
from trainer.ui import memory
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import InputScreen

LEGEND = "tap: next   hold: START"
KEY_HELP = "↑/↓ choose · Enter start"
#: Only for someone whose sessions are kept (not a kiosk guest, not with history off).
HISTORY_KEY_HELP = " · h history"


class RoutineCard(Static):
    """One routine in the list; click to choose, click again to start."""

    def __init__(
        self, choice: RoutineChoice, index: int, title_width: int = 0, *, last_done: bool = True
    ) -> None:
        super().__init__(self._render_choice(choice, title_width, last_done), classes="card")
        self.choice = choice
        self.index = index

    @staticmethod
    def title_of(choice: RoutineChoice) -> str:
        """The title as listed: marked "(yours)" unless it ships with the trainer."""
        mine = "" if is_bundled(choice.path) else " (yours)"
        return choice.title + mine

    @classmethod
    def _render_choice(cls, choice: RoutineChoice, title_width: int, last_done: bool) -> Text:
        """One line, in columns: title, planned time, last done (for someone whose
        sessions are kept), focus.

        One line a routine, so every routine fits an 80x24 screen at once.
        """
        duration = format_planned_time(choice.estimated_seconds, choice.approximate)
        text = Text()
        text.append_text(plain(cls.title_of(choice).ljust(title_width), "bold"))
        text.append(f"  {duration:>11}", style="bold")
        if last_done:
            text.append(f"  last done {choice.last_done or 'never':<10}", style="dim")
        text.append("  ")
        text.append_text(plain(", ".join(choice.focus)))
        return text

    def on_click(self, event: events.Click) -> None:
        screen = self.screen
        if isinstance(screen, PickerScreen):
            if screen.selected == self.index:
                screen.start_selected()
            else:
                screen.select(self.index)


class PickerScreen(InputScreen, Screen[None]):
    """The list of routines. Posts :class:`Chosen` when one is started, :class:`QuitAsked`
    for quit."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("down,j", "move(1)", "Next", show=False),
        Binding("right", "start", "Start", show=False),
        Binding("h", "app.show_history", "History", show=False),
    ]

    class Chosen(Message):
        """A routine was started; the app finds it by ``choice.id``."""

        def __init__(self, choice: RoutineChoice) -> None:
            super().__init__()
            self.choice = choice

    class QuitAsked(Message):
        """Quit was pressed on the picker (the app decides whether that exits)."""

    def __init__(
        self,
        choices: list[RoutineChoice],
        problems: int = 0,
        status: str = "",
        *,
        greeting: str | None = None,
        keeps_history: bool = True,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.choices = choices
        self.problems = problems
        self.status = status  # sound and pedal (with the simulated pedal's keys)
        #: The latest notice, under the status: nothing covers the list.
        self.notice = notice
        #: False for a kiosk guest (or with history off): no "h history", no "last done".
        self.keeps_history = keeps_history
        self.selected = 0
        #: Who trains, at a kiosk ("Hello, Ana"): shown to that visitor only, above the list.
        self.greeting = greeting

    def compose(self) -> ComposeResult:
        title = Text("Pick a routine", style="bold")
        if self.greeting:
            title = Text.assemble(plain(self.greeting, "bold"), "  ·  ", title)
        yield Static(title, id="title")
        # Not focusable: it would take the arrow keys for scrolling, and the
        # selection (kept visible by select()) is what they should move.
        with VerticalScroll(id="cards", can_focus=False):
            width = max((len(RoutineCard.title_of(c)) for c in self.choices), default=0)
            for index, choice in enumerate(self.choices):
                yield RoutineCard(choice, index, width, last_done=self.keeps_history)
            if not self.choices:
                yield Static("No routines found. Put routine files in the routines folder.")
            yield from self.more_cards()
        if self.problems:
            yield Static(
                f"{self.problems} routine file(s) have problems (see `trainer validate`)",
                id="problems",
            )
        key_help = KEY_HELP + (HISTORY_KEY_HELP if self.keeps_history else "")
        yield Static(Text(key_help, justify="center"), id="keys")
        yield Static(self._status_text(), id="status")
        yield Static(Text(LEGEND, justify="center"), id="legend")

    def show_status(self, status: str, notice: str = "") -> None:
        """The state of sound and pedal, and the latest notice under it."""
        self.status, self.notice = status, notice
        if self.is_mounted:
            self.query_one("#status", Static).update(self._status_text())

    def _status_text(self) -> Text:
        return plain("\n".join(line for line in (self.status, self.notice) if line))

    def on_mount(self) -> None:
        self.select(self.selected)

    def on_screen_resume(self) -> None:
        # Back on the picker (start, a session or summary closed, a kiosk reset):
        # nobody waits on the screen, so tidy the heap once it is drawn.
        self.app.call_after_refresh(memory.settle)

    def more_cards(self) -> Iterator[Widget]:
        """Cards after the routines' (class ``card``, so the selection moves onto them);
        composed with the list, so a new list keeps them."""
        return iter(())

    async def refresh_choices(
        self,
        choices: list[RoutineChoice],
        problems: int,
        status: str | None = None,
        keeps_history: bool | None = None,
    ) -> None:
        """Show a new list (routine files changed, or validated after the first paint),
        status line and history offer, keeping the selection where it can."""
        status = self.status if status is None else status
        keeps = self.keeps_history if keeps_history is None else keeps_history
        now = (choices, problems, status, keeps)
        if now == (self.choices, self.problems, self.status, self.keeps_history):
            return  # the cached rows were right
        chosen = self.selected_routine
        self.choices, self.problems, self.status, self.keeps_history = now
        ids = [choice.id for choice in choices]
        self.selected = ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0
        await self.recompose()
        self.select(self.selected)

    def select(self, index: int) -> None:
        # Every card in the list, in order: the routines (and what a subclass adds).
        cards = list(self.query("#cards > .card"))
        if not cards:
            return
        self.selected = index % len(cards)
        for position, card in enumerate(cards):
            card.set_class(position == self.selected, "selected")
        cards[self.selected].scroll_visible(animate=False)

    def action_move(self, step: int) -> None:
        self.select(self.selected + step)

    def action_start(self) -> None:
        self.start_selected()

    def start_selected(self) -> None:
        if self.choices:
            self.post_message(self.Chosen(self.choices[self.selected]))

    def take(self, action: Action) -> None:
        if action.key == "enter":  # Enter starts here, although elsewhere it is the pedal's tap
            self.start_selected()
        elif action.means(Gesture.TAP, Command.PRIMARY):
            self.action_move(1)
        elif action.means(Gesture.DOUBLE_TAP, Command.BACK):
            self.action_move(-1)
        elif action.means(Gesture.LONG_PRESS):
            self.start_selected()
        elif action.means(Command.QUIT):
            self.post_message(self.QuitAsked())

    def idleness(self) -> Idleness:
        return Idleness.HOME

    @property
    def selected_routine(self) -> RoutineChoice | None:
        return self.choices[self.selected] if self.choices else None
