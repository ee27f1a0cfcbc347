"""Kiosk settings: the ``[kiosk]`` config section.

A kiosk runs unattended on a gym floor. Nothing a passer-by presses may exit
it; an admin opens the admin screen with a key and a PIN::

    [kiosk]
    admin_key = "f12"        # opens the PIN prompt
    admin_pin = "2468"       # digits only; change it!
    idle_seconds = 300       # back to the picker after this long without input
    summary_seconds = 90     # how long the summary stays up
    reload_seconds = 5       # how often routine folders are checked for changes
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from trainer.config import ConfigError


@dataclass(frozen=True)
class KioskSettings:
    admin_key: str = "f12"
    admin_pin: str = "2468"
    idle_seconds: float = 300.0
    summary_seconds: float = 90.0
    reload_seconds: float = 5.0

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> KioskSettings:
        known = {field.name: field for field in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in section.items():
            if key not in known:
                raise ConfigError(f"[kiosk] {key}: unknown setting (known: {', '.join(known)})")
            if key in ("admin_key", "admin_pin"):
                values[key] = str(raw).strip()
            else:
                if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
                    raise ConfigError(f"[kiosk] {key}: expected a number of seconds above 0")
                values[key] = float(raw)
        settings = cls(**values)
        if not settings.admin_pin.isdigit() or not 4 <= len(settings.admin_pin) <= 12:
            raise ConfigError("[kiosk] admin_pin: expected 4 to 12 digits")
        return settings
