"""The engine's settings: what each pedal gesture means, which cues sound, plan options.

All of them come from the ``[engine]`` section of the config file; every setting
has a default, so an empty section (or no file) gives the standard behaviour::

    [engine]
    switch_seconds = 5          # time to change sides; 0 = no separate moment

    [engine.gestures]           # primary, back, pause, skip, restart_step, quit or none
    tap = "primary"
    long_press = "pause"        # and, while paused, "do this choice" (the pause menu)
    double_tap = "none"         # only with [pedal] double_tap > 0, e.g. "back"

    [engine.cues]
    start_tone = true
    end_tone = true
    halfway_min_seconds = 30    # halfway chime on holds at least this long (0 = never)
    countdown_pips = 3          # 3-2-1 pips before the end...
    countdown_min_seconds = 10  # ...of timed moments at least this long
    switch_sides = true         # tone + "Switch to the left side"
    tempo = "speak"             # speak / tone / off: "down", "hold", "up" on each rep
    speak_announcements = true  # step names, sets and sides as each starts
    speak_cues = true           # the routine's coaching cues
    session_complete = true
    count_in_seconds = 3        # lead-in: name, side, "three, two, one, go"; 0 = off
    next_up = true              # name the next exercise in rests and side switches

Mistakes raise :class:`trainer.config.ConfigError` naming the setting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

from trainer.config import Config, ConfigError
from trainer.engine.plan import PlanOptions
from trainer.engine.vocabulary import Command, Gesture

TempoCues = Literal["speak", "tone", "off"]
_Settings = TypeVar("_Settings")


@dataclass(frozen=True)
class GestureMap:
    """Which command each pedal gesture gives; None leaves the gesture unused.

    The default: tap = primary (start / done / next), long press = pause, and
    nothing on the double tap, which the pedal does not produce unless its
    window is switched on (``[pedal] double_tap``): taps are instant, and back,
    restart, skip and end session are in the pause menu
    (:mod:`trainer.engine.pausemenu`). While a check is being answered or the
    session is paused the *commands* change meaning (primary cycles the
    choices, pause confirms), so whatever gesture gives them works those too.
    """

    tap: Command | None = Command.PRIMARY
    double_tap: Command | None = None
    long_press: Command | None = Command.PAUSE

    def command_for(self, gesture: Gesture) -> Command | None:
        command: Command | None = getattr(self, gesture.value)
        return command

    def gestures_for(self, command: Command) -> tuple[Gesture, ...]:
        return tuple(gesture for gesture in Gesture if self.command_for(gesture) is command)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], where: str) -> GestureMap:
        known = {gesture.value for gesture in Gesture}
        choices = ", ".join([*(command.value for command in Command), "none"])
        chosen: dict[str, Command | None] = {}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(
                    f"{where}: unknown gesture '{key}'; use {', '.join(sorted(known))}"
                )
            if value == "none":
                chosen[key] = None
                continue
            try:
                chosen[key] = Command(value)
            except ValueError:
                raise ConfigError(
                    f"{where}: {key} = {value!r} is not a command; use one of {choices}"
                ) from None
        return cls(**chosen)


@dataclass(frozen=True)
class CueRules:
    """Which sounds and spoken lines the engine schedules in each moment."""

    start_tone: bool = True
    end_tone: bool = True
    #: Halfway chime on timed work at least this long; 0 turns it off.
    halfway_min_seconds: float = 30.0
    #: How many pips count down to the end (3 = at 3, 2 and 1 s left); 0 turns them off.
    countdown_pips: int = 3
    countdown_min_seconds: float = 10.0
    switch_sides: bool = True
    tempo: TempoCues = "speak"
    speak_announcements: bool = True
    speak_cues: bool = True
    session_complete: bool = True
    #: Seconds of spoken count-in ("three, two, one, go") before each hold, set and
    #: check, after its name and side; 0 turns the lead-in off.
    count_in_seconds: int = 3
    #: Name the next exercise during rests and side switches.
    next_up: bool = True


@dataclass(frozen=True)
class EngineSettings:
    """Everything the engine can be told: gestures, cues and how plans are built."""

    gestures: GestureMap = field(default_factory=GestureMap)
    cues: CueRules = field(default_factory=CueRules)
    plan: PlanOptions = field(default_factory=PlanOptions)

    @classmethod
    def from_config(cls, config: Config) -> EngineSettings:
        """Settings from the ``[engine]`` section of a loaded config file."""
        where = f"{config.path}: [engine]" if config.path else "[engine]"
        return cls.from_section(config.section("engine"), where)

    @classmethod
    def from_section(cls, section: Mapping[str, Any], where: str = "[engine]") -> EngineSettings:
        plan_fields = {"switch_seconds"}
        tables = {"gestures", "cues"}
        for key in section:
            if key not in plan_fields | tables:
                expected = ", ".join(sorted(plan_fields | {f"[engine.{t}]" for t in tables}))
                raise ConfigError(f"{where}: unknown setting '{key}'; expected {expected}")
        gestures = GestureMap.from_mapping(_table(section, "gestures", where), f"{where}.gestures")
        cues = _dataclass_from(CueRules, _table(section, "cues", where), f"{where}.cues")
        plan = _dataclass_from(
            PlanOptions, {k: v for k, v in section.items() if k in plan_fields}, where
        )
        return cls(gestures, cues, plan)


def _table(section: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    value = section.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: '{name}' must be a table, written [engine.{name}]")
    return value


def _dataclass_from(kind: type[_Settings], values: Mapping[str, Any], where: str) -> _Settings:
    """Build ``kind`` from config values, checking names and types against its fields."""
    fields = {f.name: f for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    defaults = kind()
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(f"{where}: unknown setting '{key}'; expected {', '.join(fields)}")
        default = getattr(defaults, key)
        checked[key] = _checked_value(key, value, default, fields[key].type, where)
    try:
        return kind(**checked)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None


def _checked_value(key: str, value: Any, default: Any, annotation: Any, where: str) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key} must be true or false, got {value!r}")
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{where}: {key} must be a number of 0 or more, got {value!r}")
        if isinstance(default, int) and value != int(value):
            raise ConfigError(f"{where}: {key} must be a whole number, got {value!r}")
        return type(default)(value)
    if annotation == "TempoCues":
        allowed = get_args(TempoCues)
        if value not in allowed:
            raise ConfigError(f"{where}: {key} must be one of {', '.join(allowed)}, got {value!r}")
    return value
