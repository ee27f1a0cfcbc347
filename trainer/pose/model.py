"""Poses as data: a small skeleton described by joint angles, checked against human ranges.

An exercise's ``pose:`` gives up to three keyframes of one person:

``start``   where each rep starts (the top), or where you set up for a hold;
``bottom``  the far end of a rep, reached at the end of the tempo's "down";
``hold``    the position a hold step holds (a hold shows it still).

A keyframe names joint angles in degrees. Anything it leaves out is 0 in
``start`` (standing tall, arms by the sides) and, in later keyframes, whatever
``start`` said, so a keyframe only lists what moves. Angles follow the
anatomy, so they mean the same thing in every view:

* the whole body: ``lean`` tips it forward from upright (90 = face down,
  -90 = on your back), ``turn`` rolls it about its own long axis (with
  ``lean: 90``, ``turn: 90`` lies on the right side), ``tilt`` tips it sideways
  (a dropped hip) and ``heading`` turns it about the vertical (to lay a lying
  body across the view from above); ``spine`` bends the trunk forward from the pelvis and
  ``side_bend`` sideways, ``neck`` bends the head from the trunk;
* each of ``left`` and ``right``: ``hip`` (flexion +, extension -), ``hip_out``
  (abduction +), ``hip_turn`` (external rotation +), ``knee`` (flexion),
  ``ankle`` (dorsiflexion +, pointing the toes -), ``shoulder`` (flexion +),
  ``shoulder_out`` (abduction +), ``elbow`` (flexion).

Poses are written for the left side: ``working: [left-leg]`` marks the limb the
side named on screen means, and the right side is drawn as the mirror image.

This module is pure data and validation; :mod:`trainer.pose.skeleton` turns a
keyframe into points and :mod:`trainer.pose.render` into characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

#: Separates a field path from the message in errors raised by model validators,
#: so the routine loader can point at the field's own line (the same convention as
#: ``trainer.routine.models.LOCATED``, defined here so this package stands alone).
LOCATED = "\x1f"

#: Human ranges of motion in degrees (low, high), generous enough for stretches.
#: Sources agree within a few degrees (AAOS normal values); the limits here are
#: the ends a flexible adult reaches, not averages.
BODY_RANGES: dict[str, tuple[float, float]] = {
    "lean": (-180.0, 180.0),
    "turn": (-180.0, 180.0),
    "tilt": (-90.0, 90.0),
    "heading": (-180.0, 180.0),
    "spine": (-30.0, 90.0),
    "side_bend": (-40.0, 40.0),
    "neck": (-60.0, 70.0),
}
LIMB_RANGES: dict[str, tuple[float, float]] = {
    "hip": (-30.0, 140.0),
    "hip_out": (-30.0, 80.0),
    "hip_turn": (-45.0, 90.0),
    "knee": (0.0, 160.0),
    "ankle": (-50.0, 45.0),
    "shoulder": (-60.0, 180.0),
    "shoulder_out": (-30.0, 180.0),
    "elbow": (0.0, 150.0),
}
#: What each angle is, for error messages and the README.
ANGLE_MEANINGS: dict[str, str] = {
    "lean": "whole-body tilt forward from upright",
    "turn": "whole-body roll about its long axis",
    "tilt": "whole-body tilt sideways, right side down (+)",
    "heading": "whole-body turn about the vertical, to the left (+)",
    "spine": "trunk flexion (+) / extension (-)",
    "side_bend": "trunk side bend to the right (+) / left (-)",
    "neck": "neck flexion (+) / extension (-)",
    "hip": "hip flexion (+) / extension (-)",
    "hip_out": "hip abduction (+) / adduction (-)",
    "hip_turn": "hip external (+) / internal (-) rotation",
    "knee": "knee flexion",
    "ankle": "ankle dorsiflexion (+) / plantarflexion (-)",
    "shoulder": "shoulder flexion (+) / extension (-)",
    "shoulder_out": "shoulder abduction (+) / adduction (-)",
    "elbow": "elbow flexion",
}

View = Literal["side", "front", "above"]
Limb = Literal["left-leg", "right-leg", "left-arm", "right-arm"]
#: Points a prop can hold up (``-foot`` is the heel and the toe together).
SupportPoint = Literal[
    "left-foot",
    "right-foot",
    "left-heel",
    "right-heel",
    "left-toe",
    "right-toe",
    "left-calf",
    "right-calf",
    "left-thigh",
    "right-thigh",
    "left-knee",
    "right-knee",
    "left-hand",
    "right-hand",
    "pelvis",
]
#: Points the figure can be pinned at (the one that stays put while it moves), in
#: the order they are tried when a pose names none (``skeleton.ANCHOR_CANDIDATES``).
AnchorPoint = Literal[
    "left-heel",
    "right-heel",
    "left-toe",
    "right-toe",
    "left-knee",
    "right-knee",
    "pelvis",
    "left-hand",
    "right-hand",
    "left-elbow",
    "right-elbow",
    "head",
    "neck",
]


def _angle(value: Any) -> Any:
    # The YAML reader keeps every scalar as text; "90" and "-12.5" are angles.
    if isinstance(value, str):
        try:
            number = float(value.strip().removesuffix("°"))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValueError(f"'{value}' is not an angle; write degrees like 90 or -15")
        return number
    return value


Angle = Annotated[float | None, BeforeValidator(_angle)]


def _as_list(value: Any) -> Any:
    # `working: left-leg` is as good as `working: [left-leg]`.
    return [value] if isinstance(value, str) else value


def _one_or_more(names: tuple[str, ...]) -> WithJsonSchema:
    """Schema for a field that takes one name or a list of them."""
    one = {"enum": list(names)}
    return WithJsonSchema({"anyOf": [one, {"type": "array", "items": one, "maxItems": 4}]})


def _located(loc: tuple[str | int, ...], message: str) -> ValueError:
    return ValueError(f"{'.'.join(map(str, loc))}{LOCATED}{message}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_ranges(model: BaseModel, ranges: dict[str, tuple[float, float]]) -> None:
    for name, (low, high) in ranges.items():
        value = getattr(model, name)
        if value is not None and not low <= value <= high:
            raise _located(
                (name,),
                f"{value:g}° is outside the human range for {ANGLE_MEANINGS[name]} "
                f"({low:g} to {high:g})",
            )


class LimbAngles(_Model):
    """The joint angles of one side of the body; a missing angle keeps its earlier value."""

    hip: Angle = None
    hip_out: Angle = None
    hip_turn: Angle = None
    knee: Angle = None
    ankle: Angle = None
    shoulder: Angle = None
    shoulder_out: Angle = None
    elbow: Angle = None

    @model_validator(mode="after")
    def _in_human_range(self) -> LimbAngles:
        _check_ranges(self, LIMB_RANGES)
        return self


class Keyframe(_Model):
    """One position of the whole body."""

    lean: Angle = None
    turn: Angle = None
    tilt: Angle = None
    heading: Angle = None
    spine: Angle = None
    side_bend: Angle = None
    neck: Angle = None
    left: LimbAngles = LimbAngles()
    right: LimbAngles = LimbAngles()

    @model_validator(mode="after")
    def _in_human_range(self) -> Keyframe:
        _check_ranges(self, BODY_RANGES)
        return self

    def over(self, base: ResolvedKeyframe) -> ResolvedKeyframe:
        """Every angle, taking those this keyframe leaves out from ``base``."""

        def pick(mine: float | None, theirs: float) -> float:
            return theirs if mine is None else mine

        def limb(mine: LimbAngles, theirs: dict[str, float]) -> dict[str, float]:
            return {name: pick(getattr(mine, name), theirs[name]) for name in LIMB_RANGES}

        return ResolvedKeyframe(
            body={name: pick(getattr(self, name), base.body[name]) for name in BODY_RANGES},
            left=limb(self.left, base.left),
            right=limb(self.right, base.right),
        )


@dataclass(frozen=True)
class ResolvedKeyframe:
    """A keyframe with every angle filled in (what the skeleton is built from)."""

    body: dict[str, float]
    left: dict[str, float]
    right: dict[str, float]

    NEUTRAL: ClassVar[ResolvedKeyframe]

    def blend(self, other: ResolvedKeyframe, t: float) -> ResolvedKeyframe:
        """The keyframe ``t`` of the way (0..1) from this one to ``other``."""

        def mix(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
            return {name: a[name] + (b[name] - a[name]) * t for name in a}

        return ResolvedKeyframe(
            body=mix(self.body, other.body),
            left=mix(self.left, other.left),
            right=mix(self.right, other.right),
        )


ResolvedKeyframe.NEUTRAL = ResolvedKeyframe(
    body=dict.fromkeys(BODY_RANGES, 0.0),
    left=dict.fromkeys(LIMB_RANGES, 0.0),
    right=dict.fromkeys(LIMB_RANGES, 0.0),
)

KeyframeName = Literal["start", "bottom", "hold"]
KEYFRAME_NAMES: tuple[KeyframeName, ...] = ("start", "bottom", "hold")


class Keyframes(_Model):
    """``start`` is required; ``bottom`` and ``hold`` repeat it except where they say."""

    start: Keyframe
    bottom: Keyframe | None = None
    hold: Keyframe | None = None


class StepBox(_Model):
    """A step or box under some points of the body (e.g. the ball of a foot)."""

    height: float = Field(default=20.0, gt=0, le=80, description="centimetres")
    under: Annotated[tuple[SupportPoint, ...], _one_or_more(get_args(SupportPoint))] = Field(
        min_length=1, max_length=4
    )

    @model_validator(mode="before")
    @classmethod
    def _under_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and "under" in data:
            data = {**data, "under": _as_list(data["under"])}
        return data


class Ball(_Model):
    """A ball or foam roller under one point of the body (the point rests on top)."""

    size: float = Field(default=8.0, gt=0, le=40, description="diameter in centimetres")
    under: SupportPoint


class Pose(_Model):
    """How to draw an exercise: a view, the props, the working limb and its keyframes."""

    view: View = Field(default="side", description="side, front or above")
    working: Annotated[tuple[Limb, ...], _one_or_more(get_args(Limb))] = Field(
        default=(),
        max_length=4,
        description="the limbs the named side means, written for the left side",
    )
    anchor: AnchorPoint | None = Field(
        default=None,
        description="the point that stays put, across and up-down (default: whatever stays "
        "on the floor, with each frame resting on its lowest point)",
    )
    wall: Literal["ahead", "behind"] | None = Field(
        default=None, description="a wall just touched by the furthest point ahead or behind"
    )
    step: StepBox | None = None
    ball: Ball | None = None
    alternate: bool = Field(
        default=False,
        description="each rep ends on the other side: up returns to the mirror image of "
        "start (90/90 switches)",
    )
    keyframes: Keyframes

    @model_validator(mode="before")
    @classmethod
    def _working_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and "working" in data:
            data = {**data, "working": _as_list(data["working"])}
        return data

    @model_validator(mode="after")
    def _props_fit_the_view(self) -> Pose:
        if self.wall is not None and self.view != "side":
            raise _located(("wall",), "a wall can only be drawn in the side view")
        if self.step is not None and self.view == "above":
            raise _located(("step",), "a step cannot be seen from above; use the side view")
        return self

    def resolved(self) -> dict[KeyframeName, ResolvedKeyframe]:
        """Every keyframe given, with every angle filled in."""
        start = self.keyframes.start.over(ResolvedKeyframe.NEUTRAL)
        frames: dict[KeyframeName, ResolvedKeyframe] = {"start": start}
        later: tuple[tuple[KeyframeName, Keyframe | None], ...] = (
            ("bottom", self.keyframes.bottom),
            ("hold", self.keyframes.hold),
        )
        for name, keyframe in later:
            if keyframe is not None:
                frames[name] = keyframe.over(start)
        return frames
