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
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from trainer.pose.model import Pose
from trainer.routine.durations import (
    DURATION_TEXT_PATTERN,
    MAX_DURATION_SECONDS,
    parse_duration,
)

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_DURATION_SECONDS},
                {"type": "string", "pattern": DURATION_TEXT_PATTERN},
            ],
            "description": "Seconds, or text like 45s, 1m30s, 2m.",
            "examples": ["45s", "1m30s", 90],
        }
    ),
]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
#: A routine, exercise or check id: lower-case letters, digits and dashes.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=ID_PATTERN),
    Field(description="lower-case letters, digits and dashes, e.g. soleus-wall-stretch"),
]

Sides = Literal["each", "left", "right", "both", "alternating"]
Advance = Literal["pedal", "auto"]


class _Model(BaseModel):
    """Shared settings: unknown keys are errors; models are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


RepSelector = Annotated[int, Field(ge=-100, le=100)] | Literal["every", "last"]


class Cue(_Model):
    """A line shown on screen and spoken.

    With ``at`` only, it is said that long into the step (into each set of a reps
    step with a tempo). With ``rep``, it is said as that rep starts (``every``
    rep, rep ``3``, the ``last``, or ``-2`` for the second last), plus ``at``
    seconds into the rep if given; rep cues need a tempo to know when a rep comes.
    """

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    at: Duration | None = None
    rep: RepSelector | None = Field(
        default=None, description="every, last, a rep number, or -N counting from the last"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, data: Any) -> Any:
        # Most cues are a plain line; `- Screw your hips into the ground` is enough.
        return {"text": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _rep_is_not_zero(self) -> Cue:
        if self.rep == 0:
            raise located_error(("rep",), "reps count from 1 (or -1 for the last); 0 is no rep")
        return self

    def reps_said_on(self, reps: int) -> list[int]:
        """The 1-based reps of a ``reps``-rep set this cue is said on."""
        if self.rep is None:
            return []
        if self.rep == "every":
            return list(range(1, reps + 1))
        if self.rep == "last":
            return [reps]
        return [self.rep if self.rep > 0 else reps + 1 + self.rep]


#: Separates a field path from the message in errors raised by model validators,
#: so that the loader can point at the offending field's own line (see
#: :func:`located_error` and ``trainer.routine.catalog``).
LOCATED = "\x1f"


def located_error(loc: tuple[str | int, ...], message: str) -> ValueError:
    """A validation error about the field at ``loc`` below the model raising it."""
    return ValueError(f"{'.'.join(map(str, loc))}{LOCATED}{message}")


_TEMPO = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s*$")

TempoPhaseName = Literal["down", "pause", "up", "top"]
#: The phases of a rep in the order they follow each other, round and round.
TEMPO_CYCLE: tuple[TempoPhaseName, ...] = ("down", "pause", "up", "top")
TempoStart = Literal["down", "up"]


def _tempo_from_mapping(data: dict[str, Any]) -> dict[str, Any]:
    """``{up: 1, hold: 2, down: 3}`` -> phases by name, and the start from the order written.

    ``hold`` is the pause after whichever phase it follows (``top`` after ``up``,
    ``pause`` after ``down``); the phases must follow each other round the cycle
    down -> pause -> up -> top. Other keys pass through for the model to judge.
    """
    result: dict[str, Any] = {}
    order: list[str] = []
    for key, value in data.items():
        name = key
        if key == "hold":
            if not order or order[-1] not in ("down", "up"):
                raise ValueError("`hold` is the pause after `down` or `up`; write it after one")
            name = "pause" if order[-1] == "down" else "top"
        if name in result:
            raise ValueError(f"the {name} phase is given twice")
        result[name] = value
        if name in TEMPO_CYCLE:
            order.append(name)
    if order:
        if order[0] not in ("down", "up"):
            raise ValueError(f"a tempo starts with `down` or `up`, not `{order[0]}`")
        first = TEMPO_CYCLE.index(order[0])
        rotation = TEMPO_CYCLE[first:] + TEMPO_CYCLE[:first]
        if order != sorted(order, key=rotation.index):
            raise ValueError(
                f"tempo phases are out of order; from {order[0]} they go {' -> '.join(rotation)}"
            )
        result.setdefault("start", order[0])
    for name in TEMPO_CYCLE:
        result.setdefault(name, 0)
    return result


class Tempo(_Model):
    """Seconds for each phase of one rep: down, pause at the bottom, up, pause at the top.

    Written ``3-1-1`` (down-pause-up), ``2-0-1-2`` (with a pause at the top), or as a
    mapping in the order the rep runs: ``{up: 1, hold: 2, down: 3}`` starts with the lift.
    """

    down: int = Field(ge=0, le=10)
    pause: int = Field(ge=0, le=10)
    up: int = Field(ge=0, le=10)
    top: int = Field(default=0, ge=0, le=10)
    start: TempoStart | None = Field(
        default=None, description="the phase each rep starts with; a mapping's first phase"
    )

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
        if isinstance(data, dict):
            return _tempo_from_mapping(data)
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

    def phases(self, start: TempoStart = "down") -> tuple[tuple[TempoPhaseName, int], ...]:
        """``(phase, seconds)`` of one rep in the order they run, 0-second phases left out."""
        first = TEMPO_CYCLE.index(self.start or start)
        order = TEMPO_CYCLE[first:] + TEMPO_CYCLE[:first]
        return tuple((name, getattr(self, name)) for name in order if getattr(self, name))

    def __str__(self) -> str:
        if self.start == "up":
            words = {"down": "down", "pause": "hold", "up": "up", "top": "hold"}
            return ", ".join(f"{words[name]} {seconds}" for name, seconds in self.phases())
        base = f"{self.down}-{self.pause}-{self.up}"
        return f"{base}-{self.top}" if self.top else base


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_MEDIA_PATH = re.compile(r"^[\w][\w .,()+-]*(/[\w][\w .,()+-]*)*$")


def is_web_link(media: str) -> bool:
    """True for an ``http(s)://`` link (a phone can open it), False for a path in the folder."""
    return _URL.match(media) is not None


def _check_media(value: str) -> str:
    """A link shown as a QR code (never fetched), or a file path inside the routines folder."""
    if is_web_link(value):
        return value
    if "://" in value or value.startswith(("/", "~", "\\")) or ".." in value.split("/"):
        raise ValueError(
            f"'{value}' is neither a web link (https://...) nor a path inside the routines "
            "folder (like media/bridge.mp4)"
        )
    if not _MEDIA_PATH.match(value):
        raise ValueError(f"'{value}' is not a plain file path; use letters, digits, - _ . and /")
    return value


Media = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_check_media),
    Field(
        description="a picture or video for a phone: an https:// link or a path inside the "
        "routines folder; shown as a QR code, never fetched by the trainer"
    ),
]
ExerciseKind = Literal["hold", "reps", "timed", "rest", "instruction", "check"]


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
        description="each = left then right (in the block's or routine's side_order); both = "
        "no split; alternating = left, right, left... rep by rep (reps steps only)",
    )
    cues: list[Cue] = Field(default_factory=list, max_length=20)
    pose: Pose | None = Field(
        default=None, description="a figure showing how (joint-angle keyframes; routines/README.md)"
    )
    switch: Duration | None = Field(
        default=None, description="seconds to change sides in this step (overrides the setting)"
    )
    equipment: list[ShortText] = Field(
        default_factory=list, max_length=10, description="what this exercise needs"
    )
    media: Media | None = None
    also_as: list[ExerciseKind] = Field(
        default_factory=list,
        max_length=5,
        description="in a library: other kinds a routine may `use:` this exercise as",
    )

    @property
    def side_names(self) -> tuple[str, ...]:
        """The sides this step runs on, in order, before the routine's side order."""
        return {
            "each": ("left", "right"),
            "left": ("left",),
            "right": ("right",),
        }.get(self.sides, ("",))

    @model_validator(mode="after")
    def _cue_times_fit(self) -> _StepBase:
        if self.sides == "alternating" and self.kind != "reps":  # type: ignore[attr-defined]
            raise located_error(
                ("sides",), "alternating sides change rep by rep, so only reps steps have them"
            )
        for index, cue in enumerate(self.cues):
            problem = self._cue_problem(cue)
            if problem is not None:
                field, message = problem
                raise located_error(("cues", index, field), message)
        return self

    def _cue_problem(self, cue: Cue) -> tuple[str, str] | None:
        """What is wrong with when ``cue`` is said, as (field, message), or None."""
        if cue.rep is not None:
            return "rep", f"cues on a rep need a reps step with a tempo; this is a {self.kind} step"  # type: ignore[attr-defined]
        if cue.at is None:
            return None
        span = self.cue_span()
        if span is None:
            return "at", (
                "timed cues only work on steps with a clock: hold, timed, rest, reps with a "
                f"tempo and check with a duration; this {self.kind} step has none"  # type: ignore[attr-defined]
            )
        if cue.at >= span:
            return "at", f"{cue.at:g}s is not within the step's {span:g}s"
        return None

    def cue_span(self) -> float | None:
        """Seconds within which ``at`` cues must fall (per side and set), or None."""
        return None


class _WorkStep(_StepBase):
    """Fields of the steps where the user works: sets, rest between them, setup, effort."""

    sets: int = Field(default=1, ge=1, le=10)
    rest: Duration | None = Field(default=None, description="rest between sets")
    setup: Duration | None = Field(
        default=None, description="time to get into position before the first set"
    )
    rpe: ShortText | None = Field(
        default=None, description="effort to aim for, e.g. 7 or 6-7 (rate of perceived exertion)"
    )
    load: ShortText | None = Field(default=None, description="weight or band, e.g. 10 kg, red band")
    extra_set: Literal["tighter_side"] | None = Field(
        default=None,
        description="tighter_side: one more set on the side the latest check found tighter",
    )
    tighter_by: Identifier | None = Field(
        default=None, description="the check (its test id) that decides; default: the latest"
    )

    @model_validator(mode="after")
    def _extra_set_needs_sides(self) -> _WorkStep:
        if self.extra_set is not None and self.sides != "each":
            raise located_error(
                ("extra_set",), "an extra set on the tighter side needs a step with sides: each"
            )
        if self.tighter_by is not None and self.extra_set is None:
            raise located_error(("tighter_by",), "tighter_by goes with extra_set: tighter_side")
        return self


class HoldStep(_WorkStep):
    """Hold a position for ``duration`` (per side when ``sides: each``), ``sets`` times."""

    kind: Literal["hold"]
    duration: Duration
    advance: Advance = "auto"

    def cue_span(self) -> float | None:
        return self.duration


_REP_RANGE = re.compile(r"^\s*(\d{1,3})\s*(?:-|to)\s*(\d{1,3})\s*$")


class RepsStep(_WorkStep):
    """``reps`` repetitions (or a range, ``8-12``), ``sets`` times, with an optional tempo."""

    kind: Literal["reps"]
    reps: Annotated[
        int,
        Field(ge=1, le=100),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": 100},
                    {"type": "string", "pattern": r"^\s*\d{1,3}\s*$"},
                    {"type": "string", "pattern": r"^\s*\d{1,3}\s*(-|to)\s*\d{1,3}\s*$"},
                ],
                "description": "reps per set (per side), or a range like 8-12 (counted to the top)",
            }
        ),
    ]
    reps_min: int | None = Field(
        default=None, ge=1, le=100, description="the low end of a range; write reps: 8-12"
    )
    tempo: Tempo | None = Field(
        default=None,
        description="seconds down-pause-up(-top), e.g. 3-1-1, or {up: 1, hold: 2, down: 3}",
        examples=["3-1-1", "2-0-2-1"],
    )
    start: TempoStart | None = Field(
        default=None, description="the tempo phase each rep starts with: down (default) or up"
    )
    advance: Advance = Field(
        default="pedal",
        description="pedal: tap when the set is done; auto: move on when the tempo says the "
        "set is over (needs a tempo)",
    )

    @model_validator(mode="before")
    @classmethod
    def _rep_range(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("reps"), str):
            match = _REP_RANGE.match(data["reps"])
            if match:
                low, high = int(match.group(1)), int(match.group(2))
                if low >= high:
                    raise located_error(
                        ("reps",), f"'{data['reps']}' is not a range; write the lower number first"
                    )
                return {**data, "reps": high, "reps_min": low}
        return data

    @model_validator(mode="after")
    def _auto_needs_tempo(self) -> RepsStep:
        if self.advance == "auto" and self.tempo is None:
            raise ValueError("advance: auto on a reps step needs a tempo to know when a set ends")
        if self.start is not None and self.tempo is None:
            raise located_error(("start",), "start: says where a tempo begins; give a tempo too")
        if self.start and self.tempo and self.tempo.start and self.start != self.tempo.start:
            raise located_error(
                ("start",),
                f"the tempo is written starting with {self.tempo.start}, not {self.start}",
            )
        if self.reps_min is not None and self.reps_min >= self.reps:
            raise located_error(("reps_min",), f"reps_min must be below reps ({self.reps})")
        return self

    @property
    def first_phase(self) -> TempoStart:
        """Where each rep's count starts: "down" unless the tempo or ``start:`` says "up"."""
        if self.tempo is not None and self.tempo.start is not None:
            return self.tempo.start
        return self.start or "down"

    @property
    def reps_per_set(self) -> int:
        """Reps counted in one set: both sides' when alternating, else the top of the range."""
        return self.reps * 2 if self.sides == "alternating" else self.reps

    @property
    def reps_text(self) -> str:
        """``10`` or ``8 to 12``."""
        return f"{self.reps_min} to {self.reps}" if self.reps_min else str(self.reps)

    def cue_span(self) -> float | None:
        if self.tempo is None:
            return None
        return float(self.reps_per_set * self.tempo.seconds_per_rep)

    def _cue_problem(self, cue: Cue) -> tuple[str, str] | None:
        if cue.rep is None:
            return super()._cue_problem(cue)
        if self.tempo is None:
            return "rep", "cues on a rep need a tempo to know when the rep comes; add a tempo"
        if isinstance(cue.rep, int) and abs(cue.rep) > self.reps_per_set:
            return "rep", f"rep {cue.rep} is not within the set's {self.reps_per_set} reps"
        if cue.at is not None and cue.at >= self.tempo.seconds_per_rep:
            return "at", (
                f"{cue.at:g}s is not within one rep's {self.tempo.seconds_per_rep}s "
                "(with rep:, at counts from the start of the rep)"
            )
        return None


class TimedStep(_WorkStep):
    """Work for ``work`` seconds (e.g. a side plank), ``sets`` times with ``rest`` between."""

    kind: Literal["timed"]
    work: Duration
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


class CheckResult(StrEnum):
    """A left/right check's answer, and every way it is written.

    The value (``"left-tighter"``) is what the log stores; :attr:`label` is
    said and shown ("left tighter"), :attr:`short` fits a chart's margin
    ("L tighter") and :attr:`symbol` a table cell ("L").
    """

    LEFT_TIGHTER = "left-tighter"
    EVEN = "even"
    RIGHT_TIGHTER = "right-tighter"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    @property
    def short(self) -> str:
        return {"left-tighter": "L tighter", "right-tighter": "R tighter"}.get(self.value, "even")

    @property
    def symbol(self) -> str:
        return {"left-tighter": "L", "right-tighter": "R"}.get(self.value, "=")

    @classmethod
    def named(cls, value: str) -> CheckResult | None:
        """The result a stored value names, or None for one this version does not know."""
        try:
            return cls(value)
        except ValueError:
            return None


CHECK_RESULTS: tuple[CheckResult, ...] = tuple(CheckResult)

Unit = Literal["cm", "mm", "inches", "degrees", "finger-widths", "score", "seconds", "reps", "kg"]
#: How each unit is said aloud (espeak-ng reads "cm" as letters).
UNIT_WORDS: dict[str, str] = {
    "cm": "centimetres",
    "mm": "millimetres",
    "inches": "inches",
    "degrees": "degrees",
    "finger-widths": "finger widths",
    "score": "out of 10",
    "seconds": "seconds",
    "reps": "reps",
    "kg": "kilograms",
}
_UNIT_RANGES: dict[str, tuple[float, float, int]] = {
    # unit: (default lowest, default highest, default decimals)
    "cm": (0, 100, 1),
    "mm": (0, 1000, 0),
    "inches": (0, 40, 1),
    "degrees": (0, 180, 0),
    "finger-widths": (0, 20, 1),
    "score": (0, 10, 0),
    "seconds": (0, 600, 0),
    "reps": (0, 100, 0),
    "kg": (0, 500, 1),
}


class CheckRecord(_Model):
    """What a check records: a number with a unit, or one of a few choices.

    One answer for the check (a pain score), or one per side tried (``per_side``),
    from which the tighter side follows (``tighter: lower`` for knee-to-wall).
    """

    unit: Unit | None = None
    choices: list[ShortText] | None = Field(
        default=None, min_length=2, max_length=8, description="answers to pick from, in order"
    )
    per_side: bool = Field(default=False, description="an answer for each side tried")
    min: float | None = Field(default=None, ge=-10_000, le=10_000, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=-10_000, le=10_000, allow_inf_nan=False)
    decimals: int | None = Field(default=None, ge=0, le=2)
    tighter: Literal["lower", "higher"] = Field(
        default="lower",
        description="per side: which answer means the tighter side (knee-to-wall: lower; "
        "choices: higher means later in the list)",
    )

    @model_validator(mode="after")
    def _one_kind_of_answer(self) -> CheckRecord:
        if (self.unit is None) == (self.choices is None):
            raise ValueError("a record needs a `unit:` for a number or `choices:` to pick from")
        if self.choices is not None and (
            self.min is not None or self.max is not None or self.decimals is not None
        ):
            raise ValueError("min, max and decimals are for numbers; choices have none")
        if self.lowest >= self.highest:
            raise located_error(
                ("max",), f"max ({self.highest:g}) must be above min ({self.lowest:g})"
            )
        if (self.highest - self.lowest) * 10**self.places > 100_000:
            raise located_error(("max",), "that range and decimals give more than 100,000 answers")
        return self

    @property
    def lowest(self) -> float:
        if self.min is not None:
            return self.min
        return 0.0 if self.unit is None else _UNIT_RANGES[self.unit][0]

    @property
    def highest(self) -> float:
        if self.choices is not None:
            return float(len(self.choices) - 1)
        if self.max is not None:
            return self.max
        return 1.0 if self.unit is None else _UNIT_RANGES[self.unit][1]

    @property
    def places(self) -> int:
        if self.decimals is not None:
            return self.decimals
        return 0 if self.unit is None else _UNIT_RANGES[self.unit][2]

    @property
    def unit_words(self) -> str:
        return "" if self.unit is None else UNIT_WORDS[self.unit]

    def format(self, value: float) -> str:
        """How an answer reads: ``7.5`` in this record's decimals, or the choice's text."""
        if self.choices is not None:
            return self.choices[int(value)]
        return f"{value:.{self.places}f}"

    def spoken(self, value: float) -> str:
        """How an answer sounds: "7.5 centimetres", "3 out of 10", "painful"."""
        if self.choices is not None:
            return self.format(value)
        return f"{self.format(value)} {self.unit_words}"


class CheckStep(_StepBase):
    """A left/right assessment such as the active straight leg raise.

    Each side is tried (for ``duration`` if given, otherwise until the pedal),
    then the answer is one of "left tighter / even / right tighter", optionally
    with a 0-10 rating. With ``record``, the answer is a number instead: one per
    side (``per_side: true``, the tighter side follows from the numbers) or one
    for the check (a pain score). ``test`` names the assessment so results can be
    compared over time.
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
    record: CheckRecord | None = Field(
        default=None, description="record a number (per side, or one) with a unit"
    )
    advance: Advance = "pedal"

    @model_validator(mode="before")
    @classmethod
    def _one_number_checks_both(cls, data: Any) -> Any:
        # A pain score is one number for the whole check: nothing to try side by side.
        record = data.get("record") if isinstance(data, dict) else None
        one_number = isinstance(record, dict) and str(record.get("per_side", "false")).lower() in (
            "false",
            "no",
        )
        if one_number and "sides" not in data:
            return {**data, "sides": "both"}
        return data

    @model_validator(mode="after")
    def _answer_fits_the_sides(self) -> CheckStep:
        per_side = self.record is not None and self.record.per_side
        if self.sides in ("left", "right") and self.record is None:
            raise located_error(
                ("sides",),
                f"a check on the {self.sides} side only cannot ask which side is tighter; test "
                "both sides (sides: each) or record a number (record: {unit: cm})",
            )
        if per_side and self.sides == "both":
            raise located_error(
                ("record", "per_side"), "a number per side needs the sides tried: sides: each"
            )
        if self.record is not None and self.rating:
            raise located_error(("rating",), "a check records a number or a rating, not both")
        return self

    @property
    def tries_sides(self) -> bool:
        """False for a check that is only answered (one number, no time to try anything)."""
        return not (self.record is not None and self.sides == "both" and self.duration is None)

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

SideOrder = Literal["left-first", "right-first"]


class Block(_Model):
    """A named group of steps, e.g. "Release" or "Activate", run ``rounds`` times."""

    name: ShortText
    note: LongText | None = None
    steps: list[Step] = Field(min_length=1, max_length=200)
    rounds: int = Field(default=1, ge=1, le=10, description="run the block's steps this many times")
    rest_between_rounds: Duration | None = Field(
        default=None, description="rest after each round but the last"
    )
    side_order: SideOrder | None = Field(
        default=None, description="this block's order of sides (default: the routine's)"
    )


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
    equipment: list[ShortText] = Field(
        default_factory=list,
        max_length=20,
        description="anything beyond what the steps list; the steps' equipment is added",
    )
    safety: LongText = DEFAULT_SAFETY
    side_order: SideOrder = "left-first"
    blocks: list[Block] = Field(min_length=1, max_length=50)

    @property
    def steps(self) -> list[Step]:
        return [step for block in self.blocks for step in block.steps]

    @property
    def all_equipment(self) -> list[str]:
        """The routine's equipment then every step's, each item once: spellings that
        differ only in case, a plural "s" or "(optional)" are one item (the first
        spelling kept, but needed rather than optional if any step needs it)."""
        seen: dict[str, str] = {}
        for item in [*self.equipment, *(i for step in self.steps for i in step.equipment)]:
            key = _equipment_key(item)
            first = seen.setdefault(key, item)
            if _is_optional(first) and not _is_optional(item):
                seen[key] = item
        return list(seen.values())


_OPTIONAL = "(optional)"


def _is_optional(item: str) -> bool:
    return item.casefold().rstrip().endswith(_OPTIONAL)


def _equipment_key(item: str) -> str:
    """``Kettlebell or dumbbells (optional)`` -> ``kettlebell or dumbbell``."""
    text = item.casefold().strip()
    text = text.removesuffix(_OPTIONAL).strip()
    words = [
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in text.split()
    ]
    return " ".join(words)


class ExerciseLibrary(_Model):
    """A library file: shared exercises that routines reference with ``use: id``."""

    exercises: dict[Identifier, Step] = Field(min_length=1, max_length=500)
