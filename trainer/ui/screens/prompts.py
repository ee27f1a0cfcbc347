"""Small question screens: resume an interrupted session; the kiosk admin PIN and menu."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from trainer.core.actions import Action
from trainer.engine.vocabulary import Command, Gesture
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import InputScreen

PROMPT_CSS = """
NAME { align: center middle; background: $background 70%; }
NAME > Vertical { width: 72; max-width: 95%; height: auto; max-height: 95%; padding: 1 3;
                  border: heavy $warning; background: $surface; }
NAME > Vertical > * { width: 100%; height: auto; }
NAME .legend { text-style: bold; margin-top: 1; }
"""


class ResumePrompt(InputScreen, ModalScreen[bool]):
    """Offer to resume an interrupted session: tap = resume, hold = start fresh."""

    DEFAULT_CSS = PROMPT_CSS.replace("NAME", "ResumePrompt")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("An earlier session was interrupted.", style="bold"))
            yield Static(plain(self.question))
            yield Static(Text("tap / Enter: resume    hold / Esc: start fresh"), classes="legend")

    def take(self, action: Action) -> None:
        if action.key in ("enter", "space") or action.means(Gesture.TAP, Command.PRIMARY):
            self.dismiss(True)
        elif action.means(Gesture.LONG_PRESS, Command.PAUSE, Command.QUIT, Gesture.DOUBLE_TAP):
            self.dismiss(False)


class PinPrompt(InputScreen, ModalScreen[bool]):
    """The kiosk admin PIN; dismisses with True when it is right.

    It answers once: a second Enter typed before it has gone (F12, PIN, Enter,
    Enter) must not dismiss whatever screen is under it.
    """

    DEFAULT_CSS = PROMPT_CSS.replace("NAME", "PinPrompt")
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, pin: str) -> None:
        super().__init__()
        self._pin = pin
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Admin PIN (Esc to cancel)")
            yield Input(password=True, max_length=12, id="pin")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._answer(event.value == self._pin)

    def action_cancel(self) -> None:
        self._answer(False)

    def take(self, action: Action) -> None:
        if action.key == "escape":
            self._answer(False)

    def _answer(self, ok: bool) -> None:
        if not self._answered:
            self._answered = True
            self.dismiss(ok)


ADMIN_CHOICES = {
    "1": ("exit", "Exit the kiosk"),
    "2": ("reload", "Reload routines"),
    "3": ("pedal_test", "Pedal test"),
    "4": ("back", "Back to the routines"),
}


class AdminScreen(InputScreen, ModalScreen[str]):
    """Kiosk admin: exit, reload, bad routine files, pedal test. Dismisses with the choice."""

    DEFAULT_CSS = (
        PROMPT_CSS.replace("NAME", "AdminScreen")
        + """
    #problems { color: $error; max-height: 12; overflow-y: auto; }
    """
    )

    def __init__(self, problems: list[str], notes: list[str]) -> None:
        super().__init__()
        self.problems = problems
        self.notes = notes
        self._chosen = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Kiosk admin", style="bold"))
            for key, (_, label) in ADMIN_CHOICES.items():
                yield Static(f"{key}  {label}")
            text = "\n".join(self.problems) if self.problems else "All routine files OK."
            yield Static(plain(text), id="problems")
            for note in self.notes:
                yield Static(plain(note), classes="note")

    def take(self, action: Action) -> None:
        # Only keys: the pedal does nothing here, admins use the keyboard.
        if action.key in ADMIN_CHOICES:
            self._choose(ADMIN_CHOICES[action.key][0])
        elif action.key == "escape":
            self._choose("back")

    def _choose(self, choice: str) -> None:
        if not self._chosen:
            self._chosen = True
            self.dismiss(choice)
