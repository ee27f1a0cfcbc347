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

Each table is a pydantic model (:class:`EngineSection`, :class:`GestureMap`,
:class:`CueRules`): unknown keys, wrong types, ``nan``/``inf`` and numbers
outside sane ranges are refused, all at once, as one
:class:`trainer.config.ConfigError` naming each table and key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trainer.config import Config, ConfigError, read_section
from trainer.engine.plan import PlanOptions
from trainer.engine.vocabulary import Command, Gesture

TempoCues = Literal["speak", "tone", "off"]

#: How every config section's model is read: typos and wrong types are errors.
SECTION_MODEL = ConfigDict(extra="forbid", strict=True, frozen=True)
_COMMANDS = ", ".join([*(command.value for command in Command), "none"])


class GestureMap(BaseModel):
    """Which command each pedal gesture gives; None leaves the gesture unused.

    The default: tap = primary (start / done / next), long press = pause, and
    nothing on the double tap, which the pedal does not produce unless its
    window is switched on (``[pedal] double_tap``): taps are instant, and back,
    restart, skip and end session are in the pause menu
    (:mod:`trainer.engine.pausemenu`). While a check is being answered or the
    session is paused the *commands* change meaning (primary cycles the
    choices, pause confirms), so whatever gesture gives them works those too.
    """

    model_config = SECTION_MODEL

    tap: Command | None = Field(Command.PRIMARY, description=f"one of {_COMMANDS}")
    double_tap: Command | None = Field(None, description=f"one of {_COMMANDS}")
    long_press: Command | None = Field(Command.PAUSE, description=f"one of {_COMMANDS}")

    @field_validator("tap", "double_tap", "long_press", mode="before")
    @classmethod
    def _command_named(cls, value: Any) -> Any:
        # The file names commands as words; "none" leaves the gesture unused.
        if value == "none":
            return None
        if isinstance(value, str) and value in {command.value for command in Command}:
            return Command(value)
        return value

    def command_for(self, gesture: Gesture) -> Command | None:
        command: Command | None = getattr(self, gesture.value)
        return command

    def gestures_for(self, command: Command) -> tuple[Gesture, ...]:
        return tuple(gesture for gesture in Gesture if self.command_for(gesture) is command)


class CueRules(BaseModel):
    """Which sounds and spoken lines the engine schedules in each moment (``[engine.cues]``)."""

    model_config = SECTION_MODEL

    start_tone: bool = True
    end_tone: bool = True
    #: Halfway chime on timed work at least this long; 0 turns it off.
    halfway_min_seconds: float = Field(
        30.0, ge=0, le=3600, allow_inf_nan=False, description="a number of seconds from 0 to 3600"
    )
    #: How many pips count down to the end (3 = at 3, 2 and 1 s left); 0 turns them off.
    countdown_pips: int = Field(3, ge=0, le=10, description="a whole number from 0 to 10")
    countdown_min_seconds: float = Field(
        10.0, ge=0, le=3600, allow_inf_nan=False, description="a number of seconds from 0 to 3600"
    )
    switch_sides: bool = True
    tempo: TempoCues = Field("speak", description="one of speak, tone, off")
    speak_announcements: bool = True
    speak_cues: bool = True
    session_complete: bool = True
    #: Seconds of spoken count-in ("three, two, one, go") before each hold, set and
    #: check, after its name and side; 0 turns the lead-in off.
    count_in_seconds: int = Field(3, ge=0, le=10, description="a whole number from 0 to 10")
    #: Name the next exercise during rests and side switches.
    next_up: bool = True
    #: Read each step's ``how`` on its first side (set from ``[audio] speak_how``).
    speak_how: bool = False


class EngineSection(BaseModel):
    """The ``[engine]`` table as written: its own key and its two sub-tables."""

    model_config = SECTION_MODEL

    switch_seconds: float = Field(
        PlanOptions().switch_seconds,
        ge=0,
        le=600,
        allow_inf_nan=False,
        description="a number of seconds from 0 to 600",
    )
    gestures: GestureMap = Field(default_factory=GestureMap)
    cues: CueRules = Field(default_factory=CueRules)


@dataclass(frozen=True)
class EngineSettings:
    """Everything the engine can be told: gestures, cues and how plans are built."""

    gestures: GestureMap = field(default_factory=GestureMap)
    cues: CueRules = field(default_factory=CueRules)
    plan: PlanOptions = field(default_factory=PlanOptions)

    @classmethod
    def from_config(cls, config: Config) -> EngineSettings:
        """Settings from the ``[engine]`` section of a loaded config file."""
        try:
            return cls.from_section(config.section("engine"))
        except ConfigError as error:
            raise error.at(config.path) from None

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> EngineSettings:
        """Settings from one ``[engine]`` table; raises :class:`ConfigError`."""
        read = read_section(EngineSection, "engine", section, ConfigError)
        return cls(read.gestures, read.cues, PlanOptions(switch_seconds=read.switch_seconds))
