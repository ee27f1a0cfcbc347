"""The pause menu: the pedal's way to the rare actions (back, restart, skip, end session).

A tap is the only instant gesture (see :mod:`trainer.adapters.pedal.recognizer`
for why the double tap is off by default), so everything a user does rarely
lives behind a long press. While paused the pedal becomes a two-button menu,
the same way a check's answer moment works:

* **tap**: the next choice, said aloud ("Back. Hold to choose.");
* **long press**: do the choice just heard.

The choices, in order: resume, back, restart step, skip step, end session. The
menu opens on *resume*, so a long press to pause and another to resume work as
they always did. *End session* asks once more ("End the session? Hold to end,
tap to keep going.") because it cannot be undone; a tap there returns to
*resume*. A session ended this way is logged as ended early (``abandoned``).

Keys (``b``, ``r``, ``s``, ``q``) still give their commands directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trainer.engine.vocabulary import Command


class PauseChoice(StrEnum):
    RESUME = "resume"
    BACK = "back"
    RESTART_STEP = "restart step"
    SKIP_STEP = "skip step"
    END_SESSION = "end session"


#: What each choice does, as an engine command.
CHOICE_COMMANDS: dict[PauseChoice, Command] = {
    PauseChoice.RESUME: Command.PAUSE,
    PauseChoice.BACK: Command.BACK,
    PauseChoice.RESTART_STEP: Command.RESTART_STEP,
    PauseChoice.SKIP_STEP: Command.SKIP,
    PauseChoice.END_SESSION: Command.QUIT,
}
PAUSED_LINE = "Paused. Hold to resume, tap for more choices."
CONFIRM_END_LINE = "End the session? Hold to end, tap to keep going."


@dataclass(frozen=True)
class PauseMenuView:
    """The menu as the screen draws it."""

    choices: tuple[PauseChoice, ...]
    highlighted: PauseChoice
    #: True while "end session" waits for its second long press.
    confirming_end: bool


class PauseMenu:
    """The choice in progress while one pause lasts."""

    def __init__(self) -> None:
        self.highlighted = PauseChoice.RESUME
        self.confirming_end = False

    @property
    def view(self) -> PauseMenuView:
        return PauseMenuView(tuple(PauseChoice), self.highlighted, self.confirming_end)

    def cycle(self) -> str:
        """A tap: the next choice (or, while confirming the end, back to resume)."""
        if self.confirming_end:
            self.confirming_end = False
            self.highlighted = PauseChoice.RESUME
            return "Not ended. Resume: hold to choose."
        choices = list(PauseChoice)
        self.highlighted = choices[(choices.index(self.highlighted) + 1) % len(choices)]
        return f"{self.highlighted.capitalize()}. Hold to choose."

    def choose(self) -> tuple[Command | None, str | None]:
        """A long press: the command to carry out (None: ask first) and what to say."""
        if self.highlighted is PauseChoice.END_SESSION and not self.confirming_end:
            self.confirming_end = True
            return None, CONFIRM_END_LINE
        return CHOICE_COMMANDS[self.highlighted], None
