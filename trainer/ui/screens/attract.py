"""The kiosk's attract screen: what an idle kiosk shows, and where every visit starts.

One large line ("Step on the pedal to start"), the routines, and the safety
note, readable from a few metres. A pedal tap (or Space/Enter) starts as a
guest; a member types their code and Enter, or holds their badge to the
reader (see :class:`~trainer.core.sign_in.KeyEntry`). Typed digits show as
dots, never as digits. The screen posts :class:`GuestStart` or
:class:`SignIn`; the app answers a refused sign-in with :meth:`refuse`.

Member names are listed only when ``[kiosk] show_member_names = true``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from trainer.core.actions import Action
from trainer.core.kiosk import Idleness
from trainer.core.sign_in import Entry, KeyEntry
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.durations import format_planned_time
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import InputScreen

HEADLINE = "Step on the pedal to start"
MEMBERS_HINT = "Members: type your code and Enter, or hold your badge to the reader"


@dataclass(frozen=True)
class AttractRoutine:
    title: str
    estimated_seconds: float
    approximate: bool


class AttractScreen(InputScreen, Screen[None]):
    """The idle kiosk. Posts :class:`GuestStart` or :class:`SignIn`."""

    DEFAULT_CSS = """
    AttractScreen { align: center middle; background: $background; }
    AttractScreen > Vertical { width: 100%; height: auto; max-height: 100%; }
    AttractScreen #headline {
        width: 100%; height: 5; content-align: center middle; text-style: bold;
        background: $secondary; color: $background; border: heavy $secondary;
    }
    AttractScreen #members { width: 100%; margin-top: 1; text-align: center; }
    AttractScreen #entry { width: 100%; height: 1; text-align: center; text-style: bold;
                           color: $accent; }
    AttractScreen #routines { width: 100%; margin-top: 1; text-align: center; }
    AttractScreen #names { width: 100%; text-align: center; color: $text-muted; }
    AttractScreen #safety { width: 100%; margin-top: 1; padding: 0 2; text-align: center;
                            color: $warning; }
    """

    class GuestStart(Message):
        """A tap: train as a guest."""

    class SignIn(Message):
        """A code typed or a badge scanned."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self,
        routines: Sequence[AttractRoutine],
        safety: str,
        *,
        entry: KeyEntry | None = None,
        member_names: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.routines = list(routines)
        self.safety = safety
        self.entry = entry or KeyEntry()
        self.member_names = list(member_names) if member_names is not None else None
        self.message = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(HEADLINE.upper(), justify="center"), id="headline")
            yield Static(Text(MEMBERS_HINT, justify="center"), id="members")
            yield Static("", id="entry")
            if self.member_names:
                names = plain("Members: " + ", ".join(self.member_names))
                names.justify = "center"
                yield Static(names, id="names")
            yield Static(self._routines_text(), id="routines")
            safety = plain(self.safety)
            safety.justify = "center"
            yield Static(safety, id="safety")

    async def refresh_routines(self, routines: Sequence[AttractRoutine]) -> None:
        """Show a new list (routine files changed)."""
        self.routines = list(routines)
        self.query_one("#routines", Static).update(self._routines_text())

    def _routines_text(self) -> Text:
        text = Text(justify="center")
        if not self.routines:
            text.append("No routines yet: the admin can add them.")
            return text
        for index, routine in enumerate(self.routines):
            if index:
                text.append("   ·   ")
            text.append_text(plain(routine.title, "bold"))
            text.append(f" {format_planned_time(routine.estimated_seconds, routine.approximate)}")
        return text

    # -- input --------------------------------------------------------------------

    def idleness(self) -> Idleness:
        return Idleness.HOME

    def take(self, action: Action) -> None:
        """A pedal gesture or a mapped key (the app hands typed characters to :meth:`take_key`)."""
        if action.key is not None and self.take_key(action.key, action.at):
            return
        self.take_meaning(action.meaning)

    def take_key(self, key: str, at: float) -> bool:
        """A key typed (or scanned) that arrived at ``at``; True when the screen used it."""
        if not self.entry.takes(key):
            return False
        result = self.entry.key(key, at)
        if result is not None:
            self.post_message(self.SignIn(result))
            self.message = "Signing in..."
        else:
            self.message = ""
        self._show_entry()
        return True

    def take_meaning(self, meaning: Gesture | Command | None) -> None:
        """A pedal gesture or mapped key: a tap starts as a guest."""
        if meaning in (Gesture.TAP, Command.PRIMARY, Gesture.LONG_PRESS):
            self.entry.clear()
            self.post_message(self.GuestStart())

    def refuse(self, message: str) -> None:
        """A sign-in did not work: say why, where the dots were."""
        self.message = message
        self._show_entry()

    def _show_entry(self) -> None:
        dots = "●" * self.entry.typed
        shown = self.message or (f"Code: {dots}" if dots else "")
        self.query_one("#entry", Static).update(Text(shown, justify="center"))
