"""What every trainer screen shares: one input message, and how it counts for the kiosk.

The app turns every key and every pedal gesture into one
:class:`~trainer.core.actions.Action` and posts it to the active screen as a
:class:`UserInput`. A screen reacts in :meth:`InputScreen.take` (the default
ignores it) and says in :meth:`InputScreen.idleness` how it counts towards the
kiosk's idle reset. Neither message bubbles: a screen that does not handle it
simply ignores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.message import Message
from textual.screen import Screen

from trainer.core.actions import Action
from trainer.core.kiosk import Idleness


@dataclass
class UserInput(Message, bubble=False):
    """A key or pedal gesture, for the active screen."""

    action: Action


class CueUnheard(Message, bubble=False):
    """A sound cue nobody could hear (no working sound device): show it instead."""


class InputScreen:
    """Mixed into every trainer screen (before Textual's ``Screen``/``ModalScreen``)."""

    def on_user_input(self, message: UserInput) -> None:
        self.take(message.action)

    def take(self, action: Action) -> None:
        """React to a key or pedal gesture; the default ignores it."""

    def idleness(self) -> Idleness:
        """How this screen counts for the kiosk's idle reset; by default, it waits for input."""
        return Idleness.WAITING


def top_input_screen(app: App[Any]) -> InputScreen | None:
    """The screen on top of the stack, if it is a trainer screen."""
    stack: list[Screen[Any]] = app.screen_stack
    top = stack[-1] if stack else None
    return top if isinstance(top, InputScreen) else None
