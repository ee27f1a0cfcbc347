"""The kiosk's unattended rules: when to go back to the picker on its own.

Each screen says how it counts (:class:`Idleness`); :class:`IdleWatch` turns
that, the time since the last input and the ``[kiosk]`` settings into one
answer, :meth:`IdleWatch.reset_due`. It knows nothing of Textual, so the rules
are tested with a plain clock.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time: the picker's first paint needs Idleness alone
    from trainer.core.settings import KioskSettings
    from trainer.engine.snapshot import Snapshot


class Idleness(Enum):
    """How a screen counts towards the kiosk's idle reset."""

    #: The picker itself: there is nothing to reset to.
    HOME = "home"
    #: Something is happening (a hold counting down): never reset.
    BUSY = "busy"
    #: Waiting for a person: reset after ``idle_seconds`` without input.
    WAITING = "waiting"
    #: A session's summary: reset after ``summary_seconds``.
    SUMMARY = "summary"
    #: Not a screen a visitor should ever be left on (an empty base): reset now.
    LOST = "lost"


def session_idleness(snapshot: Snapshot) -> Idleness:
    """A counting moment is busy; a session left paused, ready or waiting is not."""
    from trainer.engine.snapshot import SessionState

    waiting = (
        snapshot.paused
        or snapshot.moment_left is None
        or snapshot.state in (SessionState.READY, SessionState.WAITING, SessionState.ANSWERING)
    )
    return Idleness.WAITING if waiting else Idleness.BUSY


class IdleWatch:
    """Tracks input and screen changes, and says when the kiosk should reset.

    Call :meth:`touch` on every input and whenever another screen comes up (a
    new screen's timeout starts when it is shown).
    """

    def __init__(self, settings: KioskSettings, clock: Callable[[], float]) -> None:
        self._settings = settings
        self._clock = clock
        self._since = clock()

    def touch(self) -> None:
        self._since = self._clock()

    def reset_due(self, idleness: Idleness) -> bool:
        """Whether a screen counting as ``idleness`` has been left long enough."""
        idle = self._clock() - self._since
        match idleness:
            case Idleness.LOST:
                return True
            case Idleness.WAITING:
                return idle >= self._settings.idle_seconds
            case Idleness.SUMMARY:
                # A summary is waiting too: it never outstays idle_seconds.
                limit = min(self._settings.summary_seconds, self._settings.idle_seconds)
                return idle >= limit
            case Idleness.HOME | Idleness.BUSY:
                return False
