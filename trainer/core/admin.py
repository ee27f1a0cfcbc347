"""The kiosk admin's actions, without Textual; each one is logged with its outcome.

The admin screen only draws and asks; everything it changes goes through
:class:`KioskAdmin`: sound (volume, mute), the idle time, members (add, set a
code, register a badge, clear one member's history), the PIN, reloading the
routines. Each call returns an :class:`AdminOutcome` (shown on the screen) and
writes one log line, ``admin <action>: ok|failed: <what happened>``, which the
kiosk sends to its log file and the journal (both time-stamped). Members appear
in the log by their stable id, not their name.

Sound and idle time changed here are kept in ``kiosk-admin.json`` in the data
folder (the kiosk cannot write its config file), so they survive a restart.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from trainer.adapters.store.errors import StoreError
from trainer.adapters.store.members import Member, MemberError, Roster, clean_name
from trainer.core.admin_pin import AdminPin

log = logging.getLogger("trainer.kiosk.admin")

OVERRIDES_NAME = "kiosk-admin.json"
VOLUME_STEP = 0.1
#: The idle times the admin screen steps through, in seconds.
IDLE_CHOICES = (60.0, 120.0, 180.0, 300.0, 600.0, 900.0)


@dataclass(frozen=True)
class AdminOutcome:
    ok: bool
    message: str


@dataclass(frozen=True)
class KioskOverrides:
    """What the admin changed at the kiosk; None: the config's value holds."""

    volume: float | None = None
    muted: bool | None = None
    idle_seconds: float | None = None

    @classmethod
    def load(cls, path: Path) -> KioskOverrides:
        """The saved overrides; a missing or damaged file counts as none (and is logged)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as error:
            log.warning("ignoring %s: %s", path, error)
            return cls()
        values: dict[str, Any] = {}
        if isinstance(data.get("volume"), int | float) and 0 <= data["volume"] <= 1:
            values["volume"] = float(data["volume"])
        if isinstance(data.get("muted"), bool):
            values["muted"] = data["muted"]
        if isinstance(data.get("idle_seconds"), int | float) and data["idle_seconds"] > 0:
            values["idle_seconds"] = float(data["idle_seconds"])
        return cls(**values)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        values = {key: value for key, value in vars(self).items() if value is not None}
        temporary.write_text(json.dumps(values, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, path)


class KioskControls(Protocol):
    """What the admin changes in the running kiosk (the app provides it)."""

    def apply_sound(self, volume: float, muted: bool) -> None: ...

    def apply_idle_seconds(self, seconds: float) -> None: ...

    def reload_routines(self) -> str:
        """Reload the routine folders; returns a sentence such as "6 routines, 1 bad file"."""
        ...


class KioskAdmin:
    """Carries out and logs the admin screen's actions."""

    def __init__(
        self,
        *,
        controls: KioskControls,
        roster: Callable[[], Roster | None],
        admin_pin: AdminPin,
        overrides_path: Path,
        volume: float,
        muted: bool,
        idle_seconds: float,
        wall_clock: Callable[[], str],
    ) -> None:
        self._controls = controls
        self._roster = roster
        self.admin_pin = admin_pin
        self._overrides_path = overrides_path
        self.volume = volume
        self.muted = muted
        self.idle_seconds = idle_seconds
        self._wall_clock = wall_clock
        #: (time, action, outcome) of this run's admin actions, newest last.
        self.history: list[tuple[str, str, AdminOutcome]] = []

    # -- sound and idle time ----------------------------------------------------

    def change_volume(self, steps: int) -> AdminOutcome:
        self.volume = round(min(1.0, max(0.0, self.volume + steps * VOLUME_STEP)), 2)
        self._controls.apply_sound(self.volume, self.muted)
        return self._save_and_log("volume", f"volume {round(self.volume * 100)}%")

    def toggle_mute(self) -> AdminOutcome:
        self.muted = not self.muted
        self._controls.apply_sound(self.volume, self.muted)
        return self._save_and_log("mute", "sound off" if self.muted else "sound on")

    def next_idle_time(self) -> AdminOutcome:
        """Step the idle time to the next of :data:`IDLE_CHOICES` (round to the first)."""
        later = [choice for choice in IDLE_CHOICES if choice > self.idle_seconds]
        self.idle_seconds = later[0] if later else IDLE_CHOICES[0]
        self._controls.apply_idle_seconds(self.idle_seconds)
        return self._save_and_log("idle time", f"idle reset after {self.idle_seconds:.0f} s")

    def _save_and_log(self, action: str, message: str) -> AdminOutcome:
        overrides = KioskOverrides(self.volume, self.muted, self.idle_seconds)
        try:
            overrides.save(self._overrides_path)
        except OSError as error:
            return self._record(
                action, False, f"{message} until restart (not saved: {error.strerror})"
            )
        return self._record(action, True, message)

    # -- members ------------------------------------------------------------------

    def members(self) -> list[Member]:
        roster = self._roster()
        if roster is None:
            return []
        try:
            return roster.all()
        except StoreError as error:
            self._record("members", False, str(error))
            return []

    def add_member(self, name: str) -> AdminOutcome:
        def add(roster: Roster) -> str:
            member = roster.add(clean_name(name), created_at=self._wall_clock())
            return f"added member {member.uid}"

        return self._with_roster("add member", add, shown=f"Added {' '.join(name.split())}")

    def set_code(self, member: Member, code: str) -> AdminOutcome:
        def set_code(roster: Roster) -> str:
            roster.set_code(member, code)
            return f"code set for member {member.uid}"

        return self._with_roster("set code", set_code, shown=f"Code set for {member.name}")

    def register_badge(self, member: Member, number: str) -> AdminOutcome:
        def register(roster: Roster) -> str:
            updated = roster.set_badge(member, number)
            return f"badge {updated.badge} registered to member {member.uid}"

        return self._with_roster(
            "register badge", register, shown=f"Badge registered to {member.name}"
        )

    def clear_history(self, member: Member) -> AdminOutcome:
        deleted = 0

        def clear(roster: Roster) -> str:
            nonlocal deleted
            deleted = roster.clear_history(member)
            return f"deleted {deleted} session(s) of member {member.uid}"

        outcome = self._with_roster("clear history", clear, shown="")
        if outcome.ok:
            return replace(outcome, message=f"Deleted {deleted} session(s) of {member.name}")
        return outcome

    def _with_roster(
        self, action: str, change: Callable[[Roster], str], shown: str
    ) -> AdminOutcome:
        roster = self._roster()
        if roster is None:
            return self._record(action, False, "the history is off, so members cannot change")
        try:
            logged = change(roster)
        except (MemberError, StoreError) as error:
            return self._record(action, False, str(error))
        self._record(action, True, logged)
        return AdminOutcome(True, shown or logged)

    # -- PIN, routines, exit -----------------------------------------------------

    def change_pin(self, new_pin: str, repeated: str) -> AdminOutcome:
        if new_pin != repeated:
            return self._record("change PIN", False, "the two PINs differ; nothing changed")
        try:
            self.admin_pin.change(new_pin)
        except ValueError as error:
            return self._record("change PIN", False, f"{error}; nothing changed")
        except OSError as error:
            return self._record("change PIN", False, f"cannot save it: {error.strerror}")
        return self._record("change PIN", True, "PIN changed")

    def reload_routines(self) -> AdminOutcome:
        return self._record("reload routines", True, self._controls.reload_routines())

    def note(self, action: str, ok: bool, message: str) -> AdminOutcome:
        """Log an action carried out elsewhere (signing in, the pedal test, exit)."""
        return self._record(action, ok, message)

    def _record(self, action: str, ok: bool, message: str) -> AdminOutcome:
        outcome = AdminOutcome(ok, message)
        self.history.append((self._wall_clock(), action, outcome))
        if ok:
            log.info("admin %s: ok: %s", action, message)
        else:
            log.warning("admin %s: failed: %s", action, message)
        return outcome
