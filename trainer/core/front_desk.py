"""The kiosk's front desk: who trains now, the admin PIN, and the admin's actions.

One :class:`FrontDesk` per kiosk app ties the kiosk rules together, without
Textual:

* **who trains**: :meth:`as_guest`, :meth:`sign_in` (a code or a badge, through
  :class:`~trainer.core.sign_in.Reception`) and :meth:`sign_out` set the
  trainer's ``member``, which decides whose sessions are recorded and shown
  (None: a guest, with no history, trend or "last time");
* **the admin PIN**: :attr:`pin_guard` checks tries with the growing lockout
  against :attr:`admin_pin` (the config's PIN, or one changed on the kiosk);
* **the admin's actions**: :meth:`admin` gives the
  :class:`~trainer.core.admin.KioskAdmin` that carries them out and logs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from trainer.adapters.store.database import SessionStore, wall_clock_now
from trainer.adapters.store.errors import StoreError
from trainer.adapters.store.members import Member, Roster
from trainer.adapters.store.pin_file import PIN_FILE_NAME
from trainer.core.admin import OVERRIDES_NAME, KioskAdmin, KioskControls, KioskOverrides
from trainer.core.admin_pin import LOCKOUT_FILE_NAME, AdminPin, Lockout, PinGuard
from trainer.core.sign_in import Entry, KeyEntry, Reception, SignInRefused, Visitor

log = logging.getLogger(__name__)


class Trainer(Protocol):
    """What the desk needs of the trainer: its history, and whose sessions it records."""

    store: SessionStore | None
    member: Member | None

    def follow_member(self, member: Member) -> None:
        """``member`` signed in: their sessions at other kiosks should come here."""
        ...


@dataclass(frozen=True)
class DeskSettings:
    """The ``[kiosk]`` settings the desk uses."""

    admin_pin: str
    show_member_names: bool = False
    pin_lockout_seconds: float = 30.0
    pin_lockout_max_seconds: float = 600.0
    badge_key_gap: float = 0.03


class FrontDesk:
    """See the module docstring. ``data_dir`` holds the history, a changed PIN and overrides."""

    def __init__(
        self,
        trainer: Trainer,
        settings: DeskSettings,
        *,
        data_dir: Path,
        clock: Callable[[], float],
    ) -> None:
        self._trainer = trainer
        self.settings = settings
        self.data_dir = data_dir
        first, most = settings.pin_lockout_seconds, settings.pin_lockout_max_seconds
        code_lockout = Lockout(clock, first_lockout=first, max_lockout=most)
        self.reception = Reception(self._roster, clock, lockout=code_lockout)
        self.admin_pin = AdminPin(settings.admin_pin, data_dir / PIN_FILE_NAME)
        self.pin_guard = PinGuard(
            self.admin_pin.matches,
            clock,
            first_lockout=first,
            max_lockout=most,
            state_file=data_dir / LOCKOUT_FILE_NAME,  # a restart must not reset it
        )
        self.entry = KeyEntry(badge_key_gap=settings.badge_key_gap)
        self.overrides_path = data_dir / OVERRIDES_NAME
        self.overrides = KioskOverrides.load(self.overrides_path)

    def _roster(self) -> Roster | None:
        store = self._trainer.store
        return store.roster if store is not None else None

    # -- who trains -----------------------------------------------------------------

    @property
    def visitor(self) -> Visitor | None:
        return self.reception.visitor

    def as_guest(self) -> Visitor:
        self._trainer.member = None
        return self.reception.as_guest()

    def sign_in(self, entry: Entry) -> Visitor | SignInRefused:
        result = self.reception.sign_in(entry)
        if isinstance(result, Visitor):
            self._trainer.member = result.member
            if result.member is not None:
                self._trainer.follow_member(result.member)
        return result

    def sign_out(self, reason: str = "visit over") -> None:
        """The visit is over (the summary's end, the idle reset, the member's own
        sign-out on the picker): nobody trains now. ``reason`` goes into the log."""
        self.reception.sign_out(reason)
        self.entry.clear()
        self._trainer.member = None

    def member_names(self) -> list[str] | None:
        """Names the attract screen may list: only with ``show_member_names = true``."""
        roster = self._roster()
        if not self.settings.show_member_names or roster is None:
            return None
        try:
            return [member.name for member in roster.all() if not member.is_owner]
        except StoreError:
            return None

    # -- the admin ------------------------------------------------------------------

    def admin(
        self, controls: KioskControls, *, volume: float, muted: bool, idle: float
    ) -> KioskAdmin:
        """The admin's actions on this kiosk (``volume``, ``muted``, ``idle``: in force now)."""
        return KioskAdmin(
            controls=controls,
            roster=self._roster,
            admin_pin=self.admin_pin,
            overrides_path=self.overrides_path,
            volume=volume,
            muted=muted,
            idle_seconds=idle,
            wall_clock=wall_clock_now,
        )
