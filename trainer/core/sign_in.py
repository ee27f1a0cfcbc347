"""Signing in at the kiosk: a member code, a badge scan, or training as a guest.

Who trains is a :class:`Visitor`: a member (their own history, trends and
"last time") or a guest (recorded without a person: no history, no "last
time", no trend). :class:`Reception` keeps the visitor of the moment and the
rules: a tap of the pedal on the attract screen starts a guest; a code or a
badge signs a member in; the end of the summary and the idle reset sign them
out.

**Codes and badges come in the same way.** A USB RFID/NFC badge reader is a
keyboard: it "types" the card number and Enter in a few tens of
milliseconds. :class:`KeyEntry` collects the characters and, on Enter, tells a
scan from a person by timing: a scan has every key (Enter included) within
``badge_key_gap`` seconds of the one before, which no person typing manages
for four keys and more. The times must be those at which the keys *arrived*
(Textual stamps each key event when its driver reads it), not when a busy
loop got round to them.

Wrong codes count like wrong admin PINs: after three in a row, code sign-in
waits 30 s, then 60 s, ... (a :class:`~trainer.core.admin_pin.Lockout`), so
nobody can walk through the codes to see someone else's history.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from trainer.adapters.store.errors import StoreError
from trainer.adapters.store.members import Member, Roster
from trainer.core.admin_pin import Lockout

log = logging.getLogger(__name__)

#: Characters a badge reader types (decimal or hex card numbers); people type digits.
_ENTRY_CHARACTERS = frozenset("0123456789abcdefABCDEF")
#: A half-typed code older than this is dropped (the last visitor walked off).
STALE_ENTRY_SECONDS = 20.0


@dataclass(frozen=True)
class Scanned:
    """A badge was held to the reader: its number."""

    number: str


@dataclass(frozen=True)
class Typed:
    """A person typed digits and Enter: a member code."""

    code: str


Entry = Scanned | Typed


@dataclass
class KeyEntry:
    """Characters typed (or scanned) and Enter, told apart by timing. See the module doc."""

    #: Longest gap between two keys of a badge scan, in seconds.
    badge_key_gap: float = 0.03
    min_badge_length: int = 4
    max_length: int = 32
    _keys: list[tuple[str, float]] = field(default_factory=list)

    @property
    def typed(self) -> int:
        """How many characters are waiting (shown as dots, never as digits)."""
        return len(self._keys)

    def clear(self) -> None:
        self._keys.clear()

    def key(self, key: str, at: float) -> Entry | None:
        """Take one key (Textual's key name) pressed at ``at``; an :data:`Entry` on Enter.

        Returns None while collecting, and for Enter with nothing collected (a
        tap, for the caller to handle). Keys other than digits, hex letters,
        Enter and Backspace are left to the caller (``key`` returns None and
        the entry is unchanged): check :meth:`takes` first.
        """
        if self._keys and at - self._keys[-1][1] > STALE_ENTRY_SECONDS:
            self._keys.clear()
        if key == "backspace":
            if self._keys:
                self._keys.pop()
            return None
        if key == "enter":
            if not self._keys:
                return None
            keys, self._keys = self._keys, []
            return self._classify(keys, at)
        if len(key) == 1 and key in _ENTRY_CHARACTERS and len(self._keys) < self.max_length:
            self._keys.append((key, at))
        return None

    def takes(self, key: str) -> bool:
        """Whether :meth:`key` consumes ``key`` (Enter only when something was typed)."""
        if key in ("enter", "backspace"):
            return bool(self._keys)
        return len(key) == 1 and key in _ENTRY_CHARACTERS

    def _classify(self, keys: list[tuple[str, float]], enter_at: float) -> Entry:
        text = "".join(character for character, _ in keys)
        times = [at for _, at in keys] + [enter_at]
        fast = all(later - earlier <= self.badge_key_gap for earlier, later in pairwise(times))
        if fast and len(keys) >= self.min_badge_length:
            return Scanned(text.upper())
        return Typed(text)


@dataclass(frozen=True)
class Visitor:
    """Who trains now: a member, or a guest (``member`` None)."""

    member: Member | None
    how: Literal["guest", "code", "badge", "home"]

    @property
    def is_guest(self) -> bool:
        return self.member is None

    @property
    def greeting(self) -> str:
        """Shown to the visitor only: their own name, never anyone else's."""
        return "Training as a guest" if self.member is None else f"Hello, {self.member.name}"


@dataclass(frozen=True)
class SignInRefused:
    """Why a sign-in did not work, as a sentence for the screen."""

    message: str
    locked_for: float = 0.0


class Reception:
    """The visitor of the moment, and the kiosk's sign-in rules (see the module doc)."""

    def __init__(
        self,
        roster: Callable[[], Roster | None],
        clock: Callable[[], float],
        *,
        lockout: Lockout | None = None,
    ) -> None:
        self._roster = roster
        self.lockout = lockout or Lockout(clock)
        self.visitor: Visitor | None = None

    def as_guest(self) -> Visitor:
        self.visitor = Visitor(None, "guest")
        log.info("visitor: a guest")
        return self.visitor

    def sign_in(self, entry: Entry) -> Visitor | SignInRefused:
        """Sign in the member whose code was typed or badge scanned."""
        roster = self._roster()
        if roster is None:
            return SignInRefused("Signing in needs the history, which is off: train as a guest")
        if isinstance(entry, Typed):
            locked = self.lockout.locked_for()
            if locked > 0:
                return SignInRefused(
                    f"Too many wrong codes: try again in {math.ceil(locked)} s", locked
                )
        how: Literal["code", "badge"]
        try:
            if isinstance(entry, Scanned):
                member, how = roster.by_badge(entry.number), "badge"
            else:
                member, how = roster.by_code(entry.code), "code"
        except StoreError as error:
            return SignInRefused(str(error))
        if member is None:
            return self._unknown(entry)
        if how == "code":
            self.lockout.succeeded()
        self.visitor = Visitor(member, how)
        log.info("visitor: member %s signed in by %s", member.uid, how)
        return self.visitor

    def _unknown(self, entry: Entry) -> SignInRefused:
        if isinstance(entry, Scanned):
            log.info("sign-in: unknown badge scanned")
            return SignInRefused("This badge is not registered: ask at the desk")
        delay = self.lockout.failed()
        log.warning("sign-in: wrong member code (%d in a row)", self.lockout.failures)
        if delay:
            return SignInRefused(f"Unknown code: try again in {math.ceil(delay)} s", delay)
        return SignInRefused("Unknown code")

    def sign_out(self, reason: str = "visit over") -> None:
        """Nobody trains now; ``reason`` goes into the log ("visit over", "by hand")."""
        if self.visitor is not None and self.visitor.member is not None:
            log.info("visitor: member %s signed out (%s)", self.visitor.member.uid, reason)
        self.visitor = None
