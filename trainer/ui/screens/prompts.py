"""Small question screens: resume an interrupted session; the kiosk admin PIN and menu."""

from __future__ import annotations

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
