"""A pretend foot for a pretend pin: try the real pedal code without hardware.

With ``--pedal mock`` the trainer builds a real :class:`~trainer.adapters.pedal.GpioPedal`
on a :class:`gpiozero.pins.mock.MockFactory` pin and a :class:`MockFoot` that
moves that pin the way a foot on a bouncy switch would. Terminals report a key
once when it is pressed and never when it is released, so a key cannot be held
like a pedal; instead each key plays a whole press:

=======  ===================================================================
key      what the foot does
=======  ===================================================================
``p``    a tap: contacts chatter, the pedal is held ~120 ms, chatter, release
``o``    a long press: held ``long_press`` + 0.4 s (``P`` does the same)
``u``    presses and keeps holding (a stuck pedal); ``u`` again releases
=======  ===================================================================

``p``, ``o`` and ``u`` sit together and mean nothing else anywhere in the app
(``h`` is the picker's history, ``j``/``k`` list keys, ``i`` and ``m`` the kiosk
admin's), so a simulated press never does something else too.

Press ``p`` twice quickly for a double tap. The moves are queued and played in
order on the foot's own thread, with real sleeps, so they reach gpiozero's
``Button`` exactly like edges from a real pin do.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = ["MOCK_HELP", "MOCK_KEYS", "MockFoot", "chatter"]

#: Key name -> the :class:`MockFoot` method it plays.
MOCK_KEYS = {"p": "tap", "o": "long_press", "P": "long_press", "u": "toggle_hold"}

#: The same, for people (the status line and the notice show it). Short enough that
#: the session's status line, with "sound: no device (cues flash)" before it, fits 80
#: columns; ``u`` holds the pedal down and, pressed again, lets it go.
MOCK_HELP = "p tap, o long press, u hold"

# One step of a foot's script: drive the pin to "pressed" (True) or
# "released" (False), then wait this many seconds.
Step = tuple[bool, float]


def chatter(pressed: bool, *, edges: int = 5, spacing: float = 0.0015) -> list[Step]:
    """The steps of a contact settling into ``pressed``: it flips ``edges`` times.

    ``edges`` is odd so the contact ends where it is going; with the defaults
    the whole train lasts about 6 ms, typical of a cheap microswitch.
    """
    if edges % 2 == 0:
        raise ValueError("chatter needs an odd number of edges to end at the new level")
    return [(pressed if i % 2 == 0 else not pressed, spacing) for i in range(edges)]


class MockFoot:
    """Plays presses on a gpiozero mock pin from a thread of its own.

    :param pin: a ``MockPin`` (for example ``GpioPedal.pin`` under ``MockFactory``).
    :param pull_up: ``True`` when pressing pulls the pin low (the default wiring).
    :param long_press: the pedal's long-press threshold, so a long press
        outlasts it comfortably.
    :param pass_time: makes a step's wait pass instead of sleeping through it:
        a test hands one that moves the pedal's fake clock, so every edge lands
        at its exact time however busy the machine is. ``None``: real sleeps.
    """

    #: How long a tap is held and how long the foot rests after each press.
    TAP_HOLD = 0.12
    REST = 0.12

    def __init__(
        self,
        pin: Any,
        *,
        pull_up: bool = True,
        long_press: float = 0.8,
        pass_time: Callable[[float], None] | None = None,
    ) -> None:
        self._pin = pin
        self._pass_time = pass_time
        self._pull_up = pull_up
        self._long_hold = long_press + 0.4
        self._holding = False
        self._moves: queue.SimpleQueue[Sequence[Step] | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trainer-pedal-mock", daemon=True)
        self._thread.start()

    def press_key(self, key: str) -> bool:
        """Play the move bound to ``key`` in :data:`MOCK_KEYS`; ``False`` if it has none."""
        method = MOCK_KEYS.get(key)
        if method is None:
            return False
        getattr(self, method)()
        return True

    def tap(self) -> None:
        """Queue a tap."""
        self.play([*chatter(True), (True, self.TAP_HOLD), *chatter(False), (False, self.REST)])

    def long_press(self) -> None:
        """Queue a press held past the long-press threshold."""
        self.play([*chatter(True), (True, self._long_hold), *chatter(False), (False, self.REST)])

    def toggle_hold(self) -> None:
        """Queue pressing and holding on (a stuck pedal), or releasing a held one."""
        self._holding = not self._holding
        if self._holding:
            self.play(chatter(True))
        else:
            # A foot takes a moment to come back; without the rest, a tap
            # queued next would start inside the release's debounce window.
            self.play([*chatter(False), (False, self.REST)])

    def play(self, steps: Iterable[Step]) -> None:
        """Queue any script of ``(pressed, then_wait_seconds)`` steps."""
        self._moves.put(list(steps))

    def close(self) -> None:
        """Stop playing (mid-move if need be) and end the thread."""
        self._stop.set()
        self._moves.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(5.0)

    def _run(self) -> None:
        while (steps := self._moves.get()) is not None:
            for pressed, wait in steps:
                if self._stop.is_set():
                    return
                self._drive(pressed)
                if self._pass_time is not None:
                    self._pass_time(wait)
                elif self._stop.wait(wait):
                    return

    def _drive(self, pressed: bool) -> None:
        if pressed == self._pull_up:  # pressed with a pull-up, or released with a pull-down
            self._pin.drive_low()
        else:
            self._pin.drive_high()
