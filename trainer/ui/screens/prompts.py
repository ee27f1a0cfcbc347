"""Small question screens: resume an interrupted session; the kiosk admin PIN and menu."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

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


ResumeChoice = Literal["resume", "fresh", "list"]
#: The prompt's choices in order, each with its label and its own key.
RESUME_CHOICES: dict[ResumeChoice, tuple[str, str]] = {
    "resume": ("Resume", "r"),
    "fresh": ("Start it fresh", "f"),
    "list": ("Back to the list", "esc"),
}


class ResumePrompt(InputScreen, ModalScreen[ResumeChoice]):
    """Offer to resume an interrupted session, start it afresh, or go back to the list.

    Pedal: tap = next choice, hold = choose (as the pause menu). Keys: Enter
    chooses the highlighted one; r, f and Esc choose theirs at once.
    """

    DEFAULT_CSS = PROMPT_CSS.replace("NAME", "ResumePrompt")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question
        self.highlighted: ResumeChoice = "resume"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("An earlier session was interrupted.", style="bold"))
            yield Static(plain(self.question))
            yield Static(self._choices_text(), id="choices", classes="legend")
            yield Static(Text("tap: next choice   hold / Enter: choose"), classes="legend")

    def _choices_text(self) -> Text:
        text = Text()
        for choice, (label, key) in RESUME_CHOICES.items():
            style = "reverse bold" if choice == self.highlighted else ""
            text.append(f" {label} ", style=style)
            text.append(f" {key}   ", style="dim")
        return text

    def _move(self, step: int) -> None:
        order = list(RESUME_CHOICES)
        self.highlighted = order[(order.index(self.highlighted) + step) % len(order)]
        self.query_one("#choices", Static).update(self._choices_text())

    def take(self, action: Action) -> None:
        by_key: dict[str | None, ResumeChoice] = {"r": "resume", "f": "fresh", "escape": "list"}
        if action.key in by_key:
            self.dismiss(by_key[action.key])
        elif action.key == "enter" or action.means(Gesture.LONG_PRESS):
            self.dismiss(self.highlighted)
        elif action.means(Gesture.TAP, Command.PRIMARY):
            self._move(1)
        elif action.means(Gesture.DOUBLE_TAP, Command.BACK):
            self._move(-1)
        elif action.means(Command.QUIT):
            self.dismiss("list")
