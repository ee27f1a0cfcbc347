"""The kiosk's admin PIN rules: which PINs are allowed, and the lockout after wrong tries.

:func:`pin_problem` says why a PIN cannot guard a kiosk (the example PIN
printed in the README, too short, all one digit, a straight run like 1234).

:class:`PinGuard` checks tries. The :attr:`~PinGuard.lock_after`-th wrong PIN
in a row (the 3rd by default) and every wrong one after it lock the prompt for
a delay that doubles each time (30 s, 60 s, 120 s, ... up to ``max_lockout``). While locked,
*every* PIN is refused, the right one too, and the try is not counted; the
right PIN after the delay opens the admin screen and clears the count. Ten
guesses then take about ten minutes instead of ten seconds, and a passer-by
can never lock the admin out for longer than ``max_lockout``.

:class:`AdminPin` is the PIN itself: the config's ``[kiosk] admin_pin``, unless
one was changed on the admin screen (stored hashed in the data folder, which
the kiosk can write while the config cannot).

Nothing here knows Textual or the clock's source: tests pass a fake clock.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trainer.adapters.store.pin_file import pin_matches, read_pin_file, write_pin_file

log = logging.getLogger("trainer.kiosk.admin")

#: The PIN the README shows as an example: never accepted on a kiosk.
EXAMPLE_PIN = "2468"
#: The admin PIN's wrong tries and lockout, kept in the data folder across restarts.
LOCKOUT_FILE_NAME = "admin-pin-lockout.json"
PIN_LENGTHS = range(4, 13)


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a kiosk's admin PIN, as a sentence; None when it can."""
    if not pin:
        return "no admin PIN is set"
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        return "the admin PIN must be 4 to 12 digits"
    if pin == EXAMPLE_PIN:
        return f"the admin PIN is still the documented example ({EXAMPLE_PIN})"
    if len(set(pin)) == 1 or pin in "0123456789012" or pin in "9876543210987":
        return f"the admin PIN {pin} is too easy to guess (one digit, or a straight run)"
    return None


@dataclass(frozen=True)
class PinVerdict:
    """The answer to one try at the PIN."""

    accepted: bool
    #: Seconds before another try is taken (0: now).
    locked_for: float = 0.0
    #: Wrong tries in a row so far (0 after an accepted PIN).
    wrong_tries: int = 0
    #: The try came while locked: it was not checked at all.
    refused_while_locked: bool = False

    @property
    def message(self) -> str:
        """What the PIN prompt shows."""
        if self.accepted:
            return "PIN accepted"
        wait = f"try again in {math.ceil(self.locked_for)} s"
        if self.refused_while_locked:
            return f"Locked after {self.wrong_tries} wrong PINs: {wait}"
        if self.locked_for > 0:
            return f"Wrong PIN ({self.wrong_tries} in a row): {wait}"
        return "Wrong PIN"


class Lockout:
    """Counts failures in a row; from the ``lock_after``-th on, each locks for a doubling delay.

    Shared by the admin PIN and the members' sign-in codes. With a ``state_file``
    the count and the lockout outlive a restart (pulling the plug must not reset
    them): the end of the lockout is kept as wall-clock time, since the
    monotonic ``clock`` starts again at boot. A Pi has no real-time clock, so a
    lockout read back is never longer than ``max_lockout``, whatever the wall
    clock did meanwhile. A file that cannot be read counts as no failures; one
    that cannot be written is logged, and the lockout holds in memory.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        lock_after: int = 3,
        first_lockout: float = 30.0,
        max_lockout: float = 600.0,
        state_file: Path | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self.lock_after = lock_after
        self.first_lockout = first_lockout
        self.max_lockout = max(max_lockout, first_lockout)
        self.failures = 0
        self._locked_until = -math.inf
        self._state_file = state_file
        self._wall_clock = wall_clock
        self._load()

    def _load(self) -> None:
        if self._state_file is None:
            return
        try:
            state = json.loads(self._state_file.read_text(encoding="utf-8"))
            failures = int(state["failures"])
            wall_until = float(state["locked_until"])
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, KeyError) as error:
            log.warning(
                "lockout state %s unreadable (%s): starting from none", self._state_file, error
            )
            return
        self.failures = max(0, failures)
        left = wall_until - self._wall_clock()
        if math.isfinite(left) and left > 0:
            self._locked_until = self._clock() + min(left, self.max_lockout)

    def _save(self) -> None:
        if self._state_file is None:
            return
        left = self.locked_for()
        state = {
            "failures": self.failures,
            "locked_until": self._wall_clock() + left if left else 0,
        }
        partial = self._state_file.with_name(self._state_file.name + ".partial")
        try:
            partial.write_text(json.dumps(state), encoding="utf-8")
            os.replace(partial, self._state_file)
        except OSError as error:
            log.warning("lockout state not saved to %s: %s", self._state_file, error)
            with contextlib.suppress(OSError):
                partial.unlink()

    def locked_for(self) -> float:
        """Seconds left before a try is taken (0: not locked)."""
        return max(0.0, self._locked_until - self._clock())

    def lockout_after(self, failures: int) -> float:
        """The delay the ``failures``-th failure in a row sets off (0: none)."""
        beyond = failures - self.lock_after
        if beyond < 0:
            return 0.0
        # Capped before exponentiating: no overflow however long someone keeps trying.
        return float(min(self.max_lockout, self.first_lockout * 2 ** min(beyond, 32)))

    def failed(self) -> float:
        """Count a failure; returns the delay it set off (0: none)."""
        self.failures += 1
        delay = self.lockout_after(self.failures)
        if delay:
            self._locked_until = self._clock() + delay
        self._save()
        return delay

    def succeeded(self) -> None:
        if self.failures:
            self.failures = 0
            self._save()


class PinGuard:
    """Checks admin PIN tries against ``is_right`` and enforces the growing :class:`Lockout`."""

    def __init__(
        self,
        is_right: Callable[[str], bool],
        clock: Callable[[], float],
        *,
        lock_after: int = 3,
        first_lockout: float = 30.0,
        max_lockout: float = 600.0,
        state_file: Path | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        """``state_file`` keeps the wrong tries and the lockout across restarts (see
        :class:`Lockout`)."""
        self._is_right = is_right
        self.lockout = Lockout(
            clock,
            lock_after=lock_after,
            first_lockout=first_lockout,
            max_lockout=max_lockout,
            state_file=state_file,
            wall_clock=wall_clock,
        )

    @property
    def wrong_tries(self) -> int:
        return self.lockout.failures

    def locked_for(self) -> float:
        return self.lockout.locked_for()

    def lockout_after(self, wrong_tries: int) -> float:
        return self.lockout.lockout_after(wrong_tries)

    def try_pin(self, entered: str) -> PinVerdict:
        """Check one try; every refusal is logged (a warning), never the PIN typed."""
        locked = self.lockout.locked_for()
        if locked > 0:
            log.warning("admin PIN: refused, locked for %d s more", math.ceil(locked))
            return PinVerdict(False, locked, self.wrong_tries, refused_while_locked=True)
        if self._is_right(entered):
            self.lockout.succeeded()
            log.info("admin PIN: accepted")
            return PinVerdict(True)
        delay = self.lockout.failed()
        if delay:
            log.warning("admin PIN: wrong (%d in a row): locked for %d s", self.wrong_tries, delay)
        else:
            log.warning("admin PIN: wrong (%d in a row)", self.wrong_tries)
        return PinVerdict(False, delay, self.wrong_tries)


def same_pin(expected: str) -> Callable[[str], bool]:
    """A check for a plain PIN, in constant time."""
    return lambda entered: hmac.compare_digest(entered.encode(), expected.encode())


class AdminPin:
    """The kiosk's admin PIN: one changed on the admin screen wins over the config's."""

    def __init__(self, config_pin: str, pin_file: Path) -> None:
        self.config_pin = config_pin
        self.pin_file = pin_file

    def _stored(self) -> str | None:
        return read_pin_file(self.pin_file)

    @property
    def source(self) -> str:
        """Where the PIN in force comes from, for messages."""
        return str(self.pin_file) if self._stored() else "[kiosk] admin_pin in the config file"

    def problem(self) -> str | None:
        """Why the kiosk must not start with this PIN (None: it may)."""
        if self._stored() is not None:
            return None  # checked by :meth:`change` when it was set
        return pin_problem(self.config_pin)

    def matches(self, entered: str) -> bool:
        stored = self._stored()
        if stored is not None:
            return pin_matches(stored, entered)
        return bool(self.config_pin) and same_pin(self.config_pin)(entered)

    def change(self, new_pin: str) -> None:
        """Make ``new_pin`` the PIN.

        :raises ValueError: the PIN is not allowed (the message says why).
        :raises OSError: the data folder cannot be written.
        """
        problem = pin_problem(new_pin)
        if problem is not None:
            raise ValueError(problem)
        write_pin_file(self.pin_file, new_pin)
