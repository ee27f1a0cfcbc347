"""Where the foot switch is and how it is timed: :class:`PedalSettings`.

Every setting has a default that suits the reference wiring, a normally-open
momentary foot switch between BCM 17 and GND with the Pi's internal pull-up.
Each can be overridden, the later source winning:

==================  ====================  ============================  ==============
setting             ``[pedal]`` key       environment variable          command line
==================  ====================  ============================  ==============
mode                ``mode``              ``TRAINER_PEDAL``             ``--pedal``
pin (BCM number)    ``pin``               ``TRAINER_PEDAL_PIN``         ``--pin``
pull resistor       ``pull``              ``TRAINER_PEDAL_PULL``
hardware bounce     ``bounce``            ``TRAINER_PEDAL_BOUNCE``
debounce            ``debounce``          ``TRAINER_PEDAL_DEBOUNCE``
long press          ``long_press``        ``TRAINER_PEDAL_LONG_PRESS``
double-tap window   ``double_tap``        ``TRAINER_PEDAL_DOUBLE_TAP``
==================  ====================  ============================  ==============

Durations are in seconds. ``mode`` is one of:

* ``auto`` (default): use the GPIO pin if this machine has GPIO, otherwise run
  on the keyboard alone and say so;
* ``gpio``: use the GPIO pin, and fail loudly if it cannot be had;
* ``mock``: a simulated pin, pressed from the keyboard, that runs the real
  pedal code (see :mod:`trainer.adapters.pedal.mock`);
* ``none``: keyboard only.

``pull = "up"`` (default) expects the switch to connect the pin to GND;
``pull = "down"`` expects it to connect the pin to 3V3. ``bounce`` is handed to
gpiozero (and, on a Pi, to the GPIO driver) and is off by default, because the
recognizer's own ``debounce`` already filters chatter; raise it only for a long,
noisy cable. See :mod:`trainer.adapters.pedal.recognizer` for what
``debounce``, ``long_press`` and ``double_tap`` do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from trainer.adapters.pedal.recognizer import DEFAULT_TIMINGS, GestureTimings
from trainer.config import ConfigError
from trainer.routine.errors import did_you_mean

__all__ = ["ENV_VARS", "MODES", "PULLS", "PedalSettings", "PedalSettingsError"]

MODES = ("auto", "gpio", "mock", "none")
PULLS = ("up", "down")

#: The environment variable for each setting.
ENV_VARS = {
    "mode": "TRAINER_PEDAL",
    "pin": "TRAINER_PEDAL_PIN",
    "pull": "TRAINER_PEDAL_PULL",
    "bounce": "TRAINER_PEDAL_BOUNCE",
    "debounce": "TRAINER_PEDAL_DEBOUNCE",
    "long_press": "TRAINER_PEDAL_LONG_PRESS",
    "double_tap": "TRAINER_PEDAL_DOUBLE_TAP",
}

#: The command-line option (argparse destination -> flag) for the settings that have one.
CLI_OPTIONS = {"mode": ("pedal", "--pedal"), "pin": ("pin", "--pin")}

# BCM numbers of the GPIO lines on the 40-pin header (0 and 1 are the HAT
# EEPROM lines, usable but unusual, so they are allowed).
_PIN_RANGE = range(0, 28)

# (lowest, highest) accepted value of each duration, in seconds. The limits
# are generous; they only catch typos such as milliseconds written as seconds.
_DURATION_LIMITS = {
    "bounce": (0.0, 0.1),
    "debounce": (0.0, 0.2),
    "long_press": (0.2, 10.0),
    "double_tap": (0.0, 2.0),
}


class PedalSettingsError(ConfigError):
    """A pedal setting has a bad value; the message names the setting and where it came from."""


@dataclass(frozen=True)
class PedalSettings:
    """How to find and time the foot switch. Build one with :meth:`from_sources`."""

    mode: str = "auto"
    pin: int = 17
    pull: str = "up"
    bounce: float | None = None
    debounce: float = DEFAULT_TIMINGS.debounce
    long_press: float = DEFAULT_TIMINGS.long_press
    double_tap: float = DEFAULT_TIMINGS.double_tap

    def __post_init__(self) -> None:
        # Direct construction is checked as strictly as the parsed sources.
        for name in ("mode", "pin", "pull", *_DURATION_LIMITS):
            _check(name, getattr(self, name), "PedalSettings")
        if self.long_press <= self.debounce:
            raise PedalSettingsError(
                f"pedal long_press ({self.long_press:g} s) must be longer than "
                f"debounce ({self.debounce:g} s)"
            )
        if self.double_tap and self.double_tap <= self.debounce:
            raise PedalSettingsError(
                f"pedal double_tap ({self.double_tap:g} s) must be 0 (off) or longer than "
                f"debounce ({self.debounce:g} s)"
            )

    @classmethod
    def from_sources(
        cls,
        config_section: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        cli_args: Any = None,
    ) -> PedalSettings:
        """Merge the defaults, the ``[pedal]`` config section, the environment and the CLI.

        :param config_section: ``load_config().section("pedal")``.
        :param env: usually :data:`os.environ`.
        :param cli_args: the :class:`argparse.Namespace` (its ``pedal`` and
            ``pin`` attributes are used when not ``None``), or ``None``.
        :raises PedalSettingsError: naming the first bad setting and its source.
        """
        values: dict[str, Any] = {}
        for key, raw in (config_section or {}).items():
            if key not in ENV_VARS:
                known = ", ".join(ENV_VARS)
                hint = did_you_mean(key, ENV_VARS)
                raise PedalSettingsError(f"[pedal] {key}: unknown setting{hint} (known: {known})")
            values[key] = _parse(key, raw, f"[pedal] {key} in the config file")
        for key, var in ENV_VARS.items():
            raw = (env or {}).get(var, "").strip()
            if raw:
                values[key] = _parse(key, raw, var)
        for key, (dest, flag) in CLI_OPTIONS.items():
            raw = getattr(cli_args, dest, None)
            if raw is not None:
                values[key] = _parse(key, raw, flag)
        return cls(**values)

    @property
    def timings(self) -> GestureTimings:
        """The durations the gesture recognizer needs."""
        return GestureTimings(
            debounce=self.debounce, long_press=self.long_press, double_tap=self.double_tap
        )

    @property
    def pull_up(self) -> bool:
        """``True`` when the switch pulls the pin to GND (the internal pull-up is on)."""
        return self.pull == "up"

    @property
    def wiring(self) -> str:
        """Where the switch goes, for people: ``"BCM 17 to GND"``."""
        return f"BCM {self.pin} to {'GND' if self.pull_up else '3V3'}"

    def with_mode(self, mode: str) -> PedalSettings:
        """A copy with another ``mode`` (e.g. after falling back to the keyboard)."""
        return replace(self, mode=mode)


# Parsing -----------------------------------------------------------------


def _parse(name: str, raw: Any, source: str) -> Any:
    """Turn one raw value (TOML value, env string or CLI value) into a checked setting."""
    parser = _PARSERS[name]
    value = parser(raw, source)
    _check(name, value, source)
    return value


def _parse_choice(raw: Any, source: str) -> str:
    if not isinstance(raw, str):
        raise PedalSettingsError(f"{source}: expected a word in quotes, got {raw!r}")
    return raw.strip().lower()


def _parse_pin(raw: Any, source: str) -> int:
    if isinstance(raw, bool):  # bool is an int subclass; `pin = true` is a mistake
        raise PedalSettingsError(f"{source}: expected a BCM pin number, got {raw!r}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip().upper()
        # Accept the names people copy from pinout diagrams: "GPIO17", "BCM17".
        for prefix in ("GPIO", "BCM"):
            text = text.removeprefix(prefix)
        if text.isdigit():
            return int(text)
    raise PedalSettingsError(f"{source}: {raw!r} is not a BCM pin number (like 17)")


def _parse_seconds(raw: Any, source: str) -> float:
    if isinstance(raw, bool):
        if raw is False:  # `double_tap = false` reads naturally as "off"
            return 0.0
        raise PedalSettingsError(f"{source}: expected a number of seconds, got {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip().lower()
        if text in ("off", "none", "false"):
            return 0.0
        try:
            value = float(text.removesuffix("s"))
        except ValueError:
            raise PedalSettingsError(
                f"{source}: {raw!r} is not a number of seconds (like 0.8)"
            ) from None
    else:
        raise PedalSettingsError(f"{source}: expected a number of seconds, got {raw!r}")
    if not math.isfinite(value):
        raise PedalSettingsError(f"{source}: {raw!r} is not a number of seconds (like 0.8)")
    return value


def _parse_bounce(raw: Any, source: str) -> float | None:
    seconds = _parse_seconds(raw, source)
    return seconds or None  # 0 means "off", which gpiozero spells None


_PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "mode": _parse_choice,
    "pin": _parse_pin,
    "pull": _parse_choice,
    "bounce": _parse_bounce,
    "debounce": _parse_seconds,
    "long_press": _parse_seconds,
    "double_tap": _parse_seconds,
}


def _check(name: str, value: Any, source: str) -> None:
    """Raise :class:`PedalSettingsError` unless ``value`` is in range for setting ``name``."""
    if name == "mode" and value not in MODES:
        raise PedalSettingsError(f"{source}: pedal mode {value!r} is not one of {', '.join(MODES)}")
    if name == "pull" and value not in PULLS:
        raise PedalSettingsError(f"{source}: pedal pull {value!r} is not one of {', '.join(PULLS)}")
    if name == "pin" and (isinstance(value, bool) or value not in _PIN_RANGE):
        raise PedalSettingsError(
            f"{source}: pedal pin {value!r} is not a BCM GPIO number from 0 to 27"
        )
    if name in _DURATION_LIMITS and value is not None:
        low, high = _DURATION_LIMITS[name]
        if not low <= value <= high:
            raise PedalSettingsError(
                f"{source}: pedal {name} {value:g} s is outside {low:g} to {high:g} seconds"
            )
