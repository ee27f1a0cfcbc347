"""What a person did, as one value: :class:`Action`.

Every input becomes an :class:`Action` before anything acts on it, whatever its
source: the wired pedal (a gesture recognised on the pedal's thread), a USB
pedal or a keyboard (a key the :class:`~trainer.adapters.pedal.keys.KeyMap`
gives a meaning). Screens and the core therefore handle one type, and a key
that stands in for the pedal behaves exactly like the pedal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from trainer.engine.vocabulary import Command, Gesture

Meaning = Gesture | Command


@dataclass(frozen=True)
class Action:
    """One input.

    :ivar meaning: the gesture or command it stands for; None for a key with no
        binding (a screen may still want it: ``1`` answers a check).
    :ivar key: the key's Textual name when it came from a keyboard, else None.
    :ivar at: when it happened, in :func:`time.monotonic` seconds.
    """

    meaning: Meaning | None
    key: str | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def gesture(self) -> Gesture | None:
        return self.meaning if isinstance(self.meaning, Gesture) else None

    @property
    def command(self) -> Command | None:
        return self.meaning if isinstance(self.meaning, Command) else None

    def means(self, *meanings: Meaning) -> bool:
        """Whether this action is any of ``meanings``."""
        return self.meaning is not None and self.meaning in meanings
