"""Small question screens: resume an interrupted session; the kiosk admin PIN and menu."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from trainer.engine.vocabulary import Command, Gesture
from trainer.ui.safe_text import plain

PROMPT_CSS = """
NAME { align: center middle; background: $background 70%; }
NAME > Vertical { width: 72; max-width: 95%; height: auto; max-height: 95%; padding: 1 3;
                  border: heavy $warning; background: $surface; }
NAME > Vertical > * { width: 100%; height: auto; }
NAME .legend { text-style: bold; margin-top: 1; }
"""


class ResumePrompt(ModalScreen[bool]):
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

    def handle_named_key(self, key: str) -> bool:
        if key in ("enter", "space"):
            self.dismiss(True)
            return True
        return False

    def handle_input(self, action: Gesture | Command) -> None:
        if action in (Gesture.TAP, Command.PRIMARY):
            self.dismiss(True)
        elif action in (Gesture.LONG_PRESS, Command.PAUSE, Command.QUIT, Gesture.DOUBLE_TAP):
            self.dismiss(False)


class PinPrompt(ModalScreen[bool]):
    """The kiosk admin PIN; dismisses with True when it is right."""

    DEFAULT_CSS = PROMPT_CSS.replace("NAME", "PinPrompt")

    def __init__(self, pin: str) -> None:
        super().__init__()
        self._pin = pin

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Admin PIN (Esc to cancel)")
            yield Input(password=True, max_length=12, id="pin")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value == self._pin)

    def handle_named_key(self, key: str) -> bool:
        if key == "escape":
            self.dismiss(False)
            return True
        return False


ADMIN_CHOICES = {
    "1": ("exit", "Exit the kiosk"),
    "2": ("reload", "Reload routines"),
    "3": ("pedal_test", "Pedal test"),
    "4": ("back", "Back to the routines"),
}


class AdminScreen(ModalScreen[str]):
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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Kiosk admin", style="bold"))
            for key, (_, label) in ADMIN_CHOICES.items():
                yield Static(f"{key}  {label}")
            text = "\n".join(self.problems) if self.problems else "All routine files OK."
            yield Static(plain(text), id="problems")
            for note in self.notes:
                yield Static(plain(note), classes="note")

    def handle_named_key(self, key: str) -> bool:
        if key in ADMIN_CHOICES:
            self.dismiss(ADMIN_CHOICES[key][0])
            return True
        if key == "escape":
            self.dismiss("back")
            return True
        return False

    def handle_input(self, action: Gesture | Command) -> None:
        pass  # the pedal does nothing here: admins use the keyboard
