"""The routine format as pydantic models.

A routine is a list of blocks (Release, Mobilise, Activate, Groove, Check...),
each a list of steps. A step is one of six kinds, told apart by ``kind``:

=============  ==============================================================
``hold``       a timed hold, e.g. a 45 s soleus wall stretch
``reps``       reps x sets, optional tempo (``3-1-1`` = 3 s down, 1 s pause,
               1 s up) and rest between sets
``timed``      a timed effort: work for N seconds (optionally several sets)
``rest``       a rest
``instruction``  text that waits for the pedal
``check``      a left/right assessment answered "left tighter / even / right
               tighter", optionally with a 0-10 rating
=============  ==============================================================

Models are strict about names (unknown keys are errors, with a did-you-mean) and
forgiving about shapes where that is safe (a cue may be a plain string; a
duration may be ``45s``, ``1m30s`` or ``90``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from trainer.pose.model import Pose
from trainer.routine.durations import MAX_DURATION_SECONDS, parse_duration

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_DURATION_SECONDS},
                {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*(ms|h|m|s)?\s*)+$"},
            ],
            "description": "Seconds, or text like 45s, 1m30s, 2m.",
            "examples": ["45s", "1m30s", 90],
        }
    ),
]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$"),
    Field(description="lower-case letters, digits and dashes, e.g. soleus-wall-stretch"),
]

Sides = Literal["each", "left", "right", "both"]
Advance = Literal["pedal", "auto"]


class _Model(BaseModel):
    """Shared settings: unknown keys are errors; models are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Cue(_Model):
    """A line shown on screen and spoken; with ``at``, only at that time into the step."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    at: Duration | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, data: Any) -> Any:
        # Most cues are a plain line; `- Screw your hips into the ground` is enough.
        return {"text": data} if isinstance(data, str) else data


#: Separates a field path from the message in errors raised by model validators,
#: so that the loader can point at the offending field's own line (see
#: :func:`located_error` and ``trainer.routine.catalog``).
LOCATED = "\x1f"


def located_error(loc: tuple[str | int, ...], message: str) -> ValueError:
    """A validation error about the field at ``loc`` below the model raising it."""
    return ValueError(f"{'.'.join(map(str, loc))}{LOCATED}{message}")


_TEMPO = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s*$")


class Tempo(_Model):
    """Seconds for each phase of one rep: down, pause at the bottom, up, pause at the top."""

    down: int = Field(ge=0, le=10)
    pause: int = Field(ge=0, le=10)
    up: int = Field(ge=0, le=10)
    top: int = Field(default=0, ge=0, le=10)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            match = _TEMPO.match(data)
            if not match:
                raise ValueError(
                    f"'{data}' is not a tempo; write down-pause-up seconds like 3-1-1 "
                    "(or 3-1-1-0 with a pause at the top)"
                )
            down, pause, up, top = match.groups()
            return {"down": down, "pause": pause, "up": up, "top": top or 0}
        return data

    @model_validator(mode="after")
    def _not_all_zero(self) -> Tempo:
        if self.seconds_per_rep == 0:
            raise ValueError("a tempo needs at least one phase longer than 0 seconds")
        return self

    @property
    def seconds_per_rep(self) -> int:
        return self.down + self.pause + self.up + self.top

    @property
    def phase_count(self) -> int:
        """Phases of one rep that last more than 0 seconds (the ones counted aloud)."""
        return sum(1 for length in (self.down, self.pause, self.up, self.top) if length)

    def __str__(self) -> str:
        base = f"{self.down}-{self.pause}-{self.up}"
        return f"{base}-{self.top}" if self.top else base


class _StepBase(_Model):
    """Fields every step has."""

    #: Step kinds that run on a clock; only these may place cues with ``at``.
    timed: ClassVar[bool] = False

    name: ShortText
    use: Identifier | None = Field(
        default=None, description="id of an exercise in the library this step starts from"
    )
    how: LongText | None = Field(default=None, description="how to do it, in plain words")
    sides: Sides = Field(
        default="both",
        description="each = left then right (in the routine's side_order); both = no split",
    )
    cues: list[Cue] = Field(default_factory=list, max_length=20)
    pose: Pose | None = Field(
        default=None, description="a figure showing how (joint-angle keyframes; routines/README.md)"
    )

    @property
    def side_names(self) -> tuple[str, ...]:
        """The sides this step runs on, in order, before the routine's side order."""
        return {"each": ("left", "right"), "left": ("left",), "right": ("right",)}.get(
            self.sides, ("",)
        )

    @model_validator(mode="after")
    def _cue_times_fit(self) -> _StepBase:
        span = self.cue_span()
        for index, cue in enumerate(self.cues):
            if cue.at is None:
                continue
            if span is None:
                raise located_error(
                    ("cues", index, "at"),
                    "timed cues only work on hold, timed, rest and check steps with a "
                    f"duration; this is a {self.kind} step",  # type: ignore[attr-defined]
                )
            if cue.at >= span:
                raise located_error(
                    ("cues", index, "at"), f"{cue.at:g}s is not within the step's {span:g}s"
                )
        return self

    def cue_span(self) -> float | None:
        """Seconds within which ``at`` cues must fall (per side and set), or None."""
        return None


class HoldStep(_StepBase):
    """Hold a position for ``duration`` (per side when ``sides: each``)."""

    kind: Literal["hold"]
    duration: Duration
    advance: Advance = "auto"

    def cue_span(self) -> float | None:
        return self.duration


class RepsStep(_StepBase):
    """``reps`` repetitions, ``sets`` times, with an optional tempo and rest between sets."""

    kind: Literal["reps"]
    reps: int = Field(ge=1, le=100)
    sets: int = Field(default=1, ge=1, le=10)
    tempo: Tempo | None = Field(
        default=None,
        description="seconds down-pause-up(-top), e.g. 3-1-1",
        examples=["3-1-1", "2-0-2-1"],
    )
    rest: Duration | None = Field(default=None, description="rest between sets")
    advance: Advance = Field(
        default="pedal",
        description="pedal: tap when the set is done; auto: move on when the tempo says the "
        "set is over (needs a tempo)",
    )

    @model_validator(mode="after")
    def _auto_needs_tempo(self) -> RepsStep:
        if self.advance == "auto" and self.tempo is None:
            raise ValueError("advance: auto on a reps step needs a tempo to know when a set ends")
        return self


class TimedStep(_StepBase):
    """Work for ``work`` seconds (e.g. a side plank), ``sets`` times with ``rest`` between."""

    kind: Literal["timed"]
    work: Duration
    sets: int = Field(default=1, ge=1, le=10)
    rest: Duration | None = Field(default=None, description="rest between sets")
    advance: Advance = "auto"

    def cue_span(self) -> float | None:
        return self.work


class RestStep(_StepBase):
    """A rest; the name defaults to "Rest"."""

    kind: Literal["rest"]
    name: ShortText = "Rest"
    duration: Duration
    advance: Advance = "auto"

    def cue_span(self) -> float | None:
        return self.duration


class InstructionStep(_StepBase):
    """Text to read; waits for the pedal."""

    kind: Literal["instruction"]
    text: LongText
    advance: Literal["pedal"] = "pedal"


CheckResult = Literal["left-tighter", "even", "right-tighter"]
CHECK_RESULTS: tuple[CheckResult, ...] = ("left-tighter", "even", "right-tighter")


class CheckStep(_StepBase):
    """A left/right assessment such as the active straight leg raise.

    Each side is tried (for ``duration`` if given, otherwise until the pedal),
    then the answer is one of "left tighter / even / right tighter", optionally
    with a 0-10 rating. ``test`` names the assessment so results can be compared
    over time.
    """

    kind: Literal["check"]
    test: Identifier
    sides: Sides = "each"
    duration: Duration | None = Field(default=None, description="time to try each side")
    question: ShortText = "Which side felt tighter?"
    rating: bool = Field(default=False, description="also ask for a 0-10 rating")
    rating_question: ShortText = Field(
        default="Rate it from 0 to 10", description="what the 0-10 rating means for this test"
    )
    advance: Advance = "pedal"

    def cue_span(self) -> float | None:
        return self.duration


Step = Annotated[
    HoldStep | RepsStep | TimedStep | RestStep | InstructionStep | CheckStep,
    Field(discriminator="kind"),
]

STEP_MODELS: dict[str, type[_StepBase]] = {
    "hold": HoldStep,
    "reps": RepsStep,
    "timed": TimedStep,
    "rest": RestStep,
    "instruction": InstructionStep,
    "check": CheckStep,
}


class Block(_Model):
    """A named group of steps, e.g. "Release" or "Activate"."""

    name: ShortText
    note: LongText | None = None
    steps: list[Step] = Field(min_length=1, max_length=200)


DEFAULT_SAFETY = (
    "Move within a comfortable range. Stop if you feel sharp or increasing pain. "
    "This is general exercise guidance, not medical advice."
)


class Routine(_Model):
    """A whole session: what it is for, what it needs, and its blocks of steps."""

    format: Literal[1] = Field(default=1, description="format version; 1 for now")
    id: Identifier | None = Field(default=None, description="defaults to the file name")
    title: ShortText
    summary: LongText
    focus: list[ShortText] = Field(
        default_factory=list,
        max_length=12,
        description="focus tags, e.g. ankle, hip, glute-med, squat-pattern",
    )
    equipment: list[ShortText] = Field(default_factory=list, max_length=20)
    safety: LongText = DEFAULT_SAFETY
    side_order: Literal["left-first", "right-first"] = "left-first"
    blocks: list[Block] = Field(min_length=1, max_length=50)

    @property
    def steps(self) -> list[Step]:
        return [step for block in self.blocks for step in block.steps]


class ExerciseLibrary(_Model):
    """A library file: shared exercises that routines reference with ``use: id``."""

    exercises: dict[Identifier, Step] = Field(min_length=1, max_length=500)
