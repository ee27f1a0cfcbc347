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

The ``[pedal]`` section is read like every other (a strict pydantic model; see
:mod:`trainer.config`); ``bounce`` and ``double_tap`` also take ``false`` for
off. An environment variable or flag is text, so :func:`overlay_value` reads
it as people write it (``GPIO27``, ``0.8s``, ``off``) before the same model
checks it; a problem with it names the variable or flag it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from trainer.adapters.pedal.recognizer import DEFAULT_TIMINGS, GestureTimings
from trainer.config import ConfigError, ConfigProblem, problems_of

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


def _seconds(default: float | None, low: float, high: float, *, off: bool = False) -> Any:
    """A duration setting from ``low`` to ``high`` seconds (``off``: false turns it off)."""
    meaning = f"seconds from {low:g} to {high:g}" + (", or false (off)" if off else "")
    return Field(default, ge=low, le=high, allow_inf_nan=False, description=meaning)


class PedalSettingsError(ConfigError):
    """A pedal setting has a bad value; each problem names the setting and where it came from."""


class PedalSettings(BaseModel):
    """How to find and time the foot switch: the ``[pedal]`` section, with
    :meth:`from_sources` laying the environment and the command line over it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    mode: Literal["auto", "gpio", "mock", "none"] = Field(
        "auto", description=f"one of {', '.join(MODES)}"
    )
    # BCM numbers of the GPIO lines on the 40-pin header (0 and 1 are the HAT
    # EEPROM lines, usable but unusual, so they are allowed).
    pin: int = Field(17, ge=0, le=27, description="a BCM GPIO number from 0 to 27, like 17")
    pull: Literal["up", "down"] = Field("up", description=f"one of {', '.join(PULLS)}")
    # The limits are generous; they only catch typos such as milliseconds written as seconds.
    bounce: float | None = _seconds(None, 0, 0.1, off=True)
    debounce: float = _seconds(DEFAULT_TIMINGS.debounce, 0, 0.2)
    long_press: float = _seconds(DEFAULT_TIMINGS.long_press, 0.2, 10)
    double_tap: float = _seconds(DEFAULT_TIMINGS.double_tap, 0, 2, off=True)

    @field_validator("bounce", mode="before")
    @classmethod
    def _bounce_off(cls, value: Any) -> Any:
        # 0 and false mean "off", which gpiozero spells None.
        return None if value is False or (type(value) in (int, float) and value == 0) else value

    @field_validator("double_tap", mode="before")
    @classmethod
    def _double_tap_off(cls, value: Any) -> Any:
        return 0.0 if value is False else value  # `double_tap = false` reads naturally as "off"

    @model_validator(mode="after")
    def _timings_fit_together(self) -> PedalSettings:
        if self.long_press <= self.debounce:
            raise ValueError(
                f"long_press ({self.long_press:g} s) must be longer than "
                f"debounce ({self.debounce:g} s)"
            )
        if self.double_tap and self.double_tap <= self.debounce:
            raise ValueError(
                f"double_tap ({self.double_tap:g} s) must be 0 (off) or longer than "
                f"debounce ({self.debounce:g} s)"
            )
        return self

    @classmethod
    def from_sources(
        cls,
        config_section: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        cli_args: Any = None,
    ) -> PedalSettings:
        """The defaults, the ``[pedal]`` config section, the environment and the CLI, in
        that order, the later winning.

        :param config_section: ``load_config().section("pedal")``.
        :param env: usually :data:`os.environ`.
        :param cli_args: the :class:`argparse.Namespace` (its ``pedal`` and
            ``pin`` attributes are used when not ``None``), or ``None``.
        :raises PedalSettingsError: naming every bad setting and, for one that came
            from the environment or a flag, which.
        """
        if config_section is not None and not isinstance(config_section, Mapping):
            raise PedalSettingsError([ConfigProblem("pedal", "", "must be a table of settings")])
        values: dict[str, Any] = dict(config_section or {})
        sources: dict[str, str] = {}  # key -> the variable or flag its value came from
        for key, var in ENV_VARS.items():
            text = (env or {}).get(var, "").strip()
            if text:
                values[key], sources[key] = overlay_value(key, text), var
        for key, (dest, flag) in CLI_OPTIONS.items():
            given = getattr(cli_args, dest, None)
            if given is not None:
                values[key], sources[key] = overlay_value(key, str(given)), flag
        try:
            return cls.model_validate(values)
        except ValidationError as invalid:
            problems = [
                problem._replace(message=f"{problem.message} (from {sources[problem.key]})")
                if problem.key in sources
                else problem
                for problem in problems_of(invalid, "pedal", cls)
            ]
            raise PedalSettingsError(problems) from None

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
        return self.model_validate({**self.model_dump(), "mode": mode})


def overlay_value(key: str, text: str) -> Any:
    """An environment variable's or flag's ``text`` as the ``[pedal]`` value it stands for.

    People copy pin names from pinout diagrams (``GPIO17``, ``BCM17``) and write
    seconds with a unit (``0.8s``) or as ``off``. Text that reads as nothing
    sensible is passed on unchanged, for the model to refuse with its reason.
    """
    word = text.strip().lower()
    if key in ("mode", "pull"):
        return word
    if key == "pin":
        number = word.upper().removeprefix("GPIO").removeprefix("BCM")
        return int(number) if number.isdigit() else text
    if word in ("off", "none", "false"):
        return 0.0
    try:
        return float(word.removesuffix("s"))
    except ValueError:
        return text
