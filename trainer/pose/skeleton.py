"""From joint angles to a placed, projected stick figure.

The skeleton is built in three dimensions (so the same anatomical angles work in
every view) and projected orthographically onto the view's plane. Body frame:
x forward, y up, z to the right; lengths are in centimetres for a 170 cm
adult. The projection is chosen so that the left side, which poses are written
for, faces the viewer in the side view.

A :class:`Scene` holds everything that stays the same while one pose animates:
the point that stays put, the props (floor, wall, step, ball) and the bounds
that every frame of the movement fits in, so the drawing never jumps or
rescales mid-rep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import get_args

from trainer.pose.model import (
    KEYFRAME_NAMES,
    AnchorPoint,
    KeyframeName,
    Pose,
    ResolvedKeyframe,
)

# Segment lengths (cm). Standing height: 7 + 42 + 43 + 50 + 6 + 22 = 170.
HIP_HALF_WIDTH = 9.0
SHOULDER_HALF_WIDTH = 17.0
SHOULDER_DROP = 4.0
TRUNK = 50.0
NECK = 6.0
HEAD_RADIUS = 11.0
THIGH = 43.0
SHIN = 42.0
ANKLE_HEIGHT = 7.0
HEEL_BACK = 6.0
TOE_FORWARD = 19.0
UPPER_ARM = 30.0
FOREARM = 38.0  # with the hand
#: How far the edge of a step is from the points standing on it (the ball of the foot).
STEP_EDGE = 7.0
STEP_DEPTH = 35.0

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]
Point = tuple[float, float]

#: The bones, each with the part of the body it belongs to (for the working limb).
BONES: tuple[tuple[str, str, str], ...] = (
    ("pelvis", "neck", "trunk"),
    ("left-hip", "right-hip", "trunk"),
    ("neck", "left-shoulder", "trunk"),
    ("neck", "right-shoulder", "trunk"),
    ("left-hip", "left-knee", "left-leg"),
    ("left-knee", "left-ankle", "left-leg"),
    ("left-ankle", "left-heel", "left-leg"),
    ("left-heel", "left-toe", "left-leg"),
    ("right-hip", "right-knee", "right-leg"),
    ("right-knee", "right-ankle", "right-leg"),
    ("right-ankle", "right-heel", "right-leg"),
    ("right-heel", "right-toe", "right-leg"),
    ("left-shoulder", "left-elbow", "left-arm"),
    ("left-elbow", "left-hand", "left-arm"),
    ("right-shoulder", "right-elbow", "right-arm"),
    ("right-elbow", "right-hand", "right-arm"),
)
#: Points tried, in this order, as the one that stays put when a pose names none.
ANCHOR_CANDIDATES: tuple[AnchorPoint, ...] = get_args(AnchorPoint)


def _rx(degrees: float) -> Matrix:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(degrees: float) -> Matrix:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(degrees: float) -> Matrix:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Matrix, b: Matrix) -> Matrix:
    rows = tuple(
        tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3)
    )
    return rows  # type: ignore[return-value]


def _apply(m: Matrix, v: Vector) -> Vector:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def body_points(frame: ResolvedKeyframe) -> dict[str, Vector]:
    """Every joint of ``frame`` in 3D, the pelvis at the origin."""
    body = frame.body
    upright = _mul(_ry(body["heading"]), _rz(-body["lean"]))
    root = _mul(_mul(upright, _rx(body["tilt"])), _ry(body["turn"]))
    trunk = _mul(_mul(root, _rz(-body["spine"])), _rx(body["side_bend"]))
    neck = _apply(trunk, (0.0, TRUNK, 0.0))
    points: dict[str, Vector] = {
        "pelvis": (0.0, 0.0, 0.0),
        "neck": neck,
        "head": _add(neck, _apply(_mul(trunk, _rz(-body["neck"])), (0.0, NECK + HEAD_RADIUS, 0.0))),
    }
    for side, sign in (("left", 1.0), ("right", -1.0)):
        angles = frame.left if side == "left" else frame.right
        hip = _apply(root, (0.0, 0.0, -sign * HIP_HALF_WIDTH))
        thigh = _mul(
            _mul(_mul(root, _rz(angles["hip"])), _rx(sign * angles["hip_out"])),
            _ry(sign * angles["hip_turn"]),
        )
        knee = _add(hip, _apply(thigh, (0.0, -THIGH, 0.0)))
        shin = _mul(thigh, _rz(-angles["knee"]))
        ankle = _add(knee, _apply(shin, (0.0, -SHIN, 0.0)))
        foot = _mul(shin, _rz(angles["ankle"]))
        shoulder = _add(neck, _apply(trunk, (0.0, -SHOULDER_DROP, -sign * SHOULDER_HALF_WIDTH)))
        upper = _mul(_mul(trunk, _rz(angles["shoulder"])), _rx(sign * angles["shoulder_out"]))
        elbow = _add(shoulder, _apply(upper, (0.0, -UPPER_ARM, 0.0)))
        hand = _add(elbow, _apply(_mul(upper, _rz(angles["elbow"])), (0.0, -FOREARM, 0.0)))
        points.update(
            {
                f"{side}-hip": hip,
                f"{side}-knee": knee,
                f"{side}-ankle": ankle,
                f"{side}-calf": _add(knee, _apply(shin, (0.0, -SHIN * 0.6, 0.0))),
                f"{side}-thigh": _add(hip, _apply(thigh, (0.0, -THIGH * 0.55, 0.0))),
                f"{side}-heel": _add(ankle, _apply(foot, (-HEEL_BACK, -ANKLE_HEIGHT, 0.0))),
                f"{side}-toe": _add(ankle, _apply(foot, (TOE_FORWARD, -ANKLE_HEIGHT, 0.0))),
                f"{side}-shoulder": shoulder,
                f"{side}-elbow": elbow,
                f"{side}-hand": hand,
            }
        )
    return points


def project(points: dict[str, Vector], view: str) -> tuple[dict[str, Point], dict[str, float]]:
    """Screen x (right), y (up) and depth (towards the viewer) of each point."""
    flat: dict[str, Point] = {}
    depth: dict[str, float] = {}
    for name, (x, y, z) in points.items():
        if view == "side":  # looking at the left side: the figure faces screen-left
            flat[name], depth[name] = (-x, y), -z
        elif view == "front":  # facing the person: their left is on screen-right
            flat[name], depth[name] = (-z, y), x
        else:  # from above, forward is screen-up
            flat[name], depth[name] = (z, x), y
    return flat, depth


@dataclass(frozen=True)
class Figure2D:
    """One frame of the figure, placed in the scene (cm; floor at y = 0)."""

    points: dict[str, Point]
    depth: dict[str, float]

    def bones(self) -> list[tuple[Point, Point, str, float]]:
        """Each bone's ends, its part and its depth, farthest first."""
        found = [
            (self.points[a], self.points[b], part, (self.depth[a] + self.depth[b]) / 2)
            for a, b, part in BONES
        ]
        return sorted(found, key=lambda bone: bone[3])

    def extent(self) -> tuple[float, float, float, float]:
        xs = [x for x, _ in self.points.values()]
        ys = [y for _, y in self.points.values()]
        hx, hy = self.points["head"]
        return (
            min(*xs, hx - HEAD_RADIUS),
            min(*ys, hy - HEAD_RADIUS),
            max(*xs, hx + HEAD_RADIUS),
            max(*ys, hy + HEAD_RADIUS),
        )


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float


class Scene:
    """A pose's keyframes placed on the floor, with its props and overall bounds."""

    #: Interpolation steps sampled between keyframes to find the bounds.
    SAMPLES = 8

    def __init__(self, pose: Pose) -> None:
        self.pose = pose
        self.view = pose.view
        self.keyframes = pose.resolved()
        self.supports = self._support_heights()
        # Height above the floor is y in the side and front views; from above,
        # look from the side to find what touches the floor.
        upright = "side" if self.view == "above" else self.view
        raw = {name: project(body_points(frame), upright) for name, frame in self.keyframes.items()}
        self.anchor: str = pose.anchor or self._grounded_point(raw)
        # A named anchor stays put up and down too (a pelvis on the floor while the
        # knees lift), never pushing a limb through the floor; otherwise each frame
        # rests its lowest point on the floor.
        self._pinned_height: float | None = None
        if pose.anchor is not None and self.view != "above":
            flat, _ = self._projected(self.keyframes["start"])
            self._pinned_height = flat[pose.anchor][1] - self._lowest(flat)

    # -- frames -------------------------------------------------------------------

    def frame(self, a: KeyframeName, b: KeyframeName | None = None, t: float = 0.0) -> Figure2D:
        """The figure ``t`` (0..1) of the way from keyframe ``a`` to ``b``, placed."""
        first = self.keyframes.get(a, self.keyframes["start"])
        angles = first if b is None or t <= 0 else first.blend(self.keyframes.get(b, first), t)
        return self._place(*self._projected(angles))

    def _projected(self, frame: ResolvedKeyframe) -> tuple[dict[str, Point], dict[str, float]]:
        return project(body_points(frame), self.view)

    def _place(self, flat: dict[str, Point], depth: dict[str, float]) -> Figure2D:
        ax, ay = flat[self.anchor]
        if self.view == "above":
            dx, dy = -ax, -ay
        elif self._pinned_height is not None:
            # Pinned, unless that would push a limb through the floor.
            dx, dy = -ax, max(self._pinned_height - ay, -self._lowest(flat))
        else:
            dx, dy = -ax, -self._lowest(flat)
        return Figure2D({name: (x + dx, y + dy) for name, (x, y) in flat.items()}, depth)

    def _lowest(self, flat: dict[str, Point]) -> float:
        """How far down to move the figure so it rests on the floor or its props."""
        heights = [y - self.supports.get(name, 0.0) for name, (_, y) in flat.items()]
        heights.append(flat["head"][1] - HEAD_RADIUS)
        return min(heights)

    def _support_heights(self) -> dict[str, float]:
        supports: dict[str, float] = {}

        def hold_up(point: str, height: float) -> None:
            names = (
                [point.replace("-foot", "-heel"), point.replace("-foot", "-toe")]
                if point.endswith("-foot")
                else [point]
            )
            supports.update(dict.fromkeys(names, height))

        if self.pose.step is not None:
            for point in self.pose.step.under:
                hold_up(point, self.pose.step.height)
        if self.pose.ball is not None:
            hold_up(self.pose.ball.under, self.pose.ball.size)
        return supports

    def _grounded_point(
        self, raw: dict[KeyframeName, tuple[dict[str, Point], dict[str, float]]]
    ) -> str:
        """The candidate that stays lowest (on the floor or its prop) in every keyframe."""

        def worst_height(name: str) -> float:
            return max(
                flat[name][1] - self.supports.get(name, 0.0) - self._lowest(flat)
                for flat, _ in raw.values()
            )

        return min(ANCHOR_CANDIDATES, key=lambda name: round(worst_height(name), 1))

    # -- the whole movement ---------------------------------------------------------

    def frames_sampled(self) -> list[Figure2D]:
        """Every keyframe and the in-betweens a rep passes through."""
        frames = [self.frame(name) for name in self.keyframes]
        for name in self.keyframes:
            if name != "start":
                frames += [
                    self.frame("start", name, step / self.SAMPLES)
                    for step in range(1, self.SAMPLES)
                ]
        return frames

    @cached_property
    def wall_x(self) -> float | None:
        """Where the wall stands: touching the furthest point ahead or behind."""
        if self.pose.wall is None:
            return None
        extents = [frame.extent() for frame in self.frames_sampled()]
        # Poses face screen-left in the side view: "ahead" is the smallest x.
        if self.pose.wall == "ahead":
            return min(extent[0] for extent in extents)
        return max(extent[2] for extent in extents)

    @cached_property
    def step_box(self) -> Box | None:
        """The step, its edge under the supported points on the side towards the body."""
        if self.pose.step is None:
            return None
        start = self.frame("start")
        xs = [start.points[name][0] for name in self.supports if name in start.points]
        body_side = start.points["pelvis"][0] - sum(xs) / len(xs)
        if body_side > 0:
            left, right = min(xs) - STEP_DEPTH, max(xs) + STEP_EDGE
        else:
            left, right = min(xs) - STEP_EDGE, max(xs) + STEP_DEPTH
        if len(xs) == 1 or abs(max(xs) - min(xs)) > STEP_EDGE:
            # A foot seen side-on: the edge is under the ball of the foot, not its heel.
            if body_side > 0:
                right = min(xs) + STEP_EDGE
            else:
                left = max(xs) - STEP_EDGE
        return Box(left, 0.0, right, self.pose.step.height)

    @cached_property
    def bounds(self) -> Box:
        """A box every frame of the movement and every prop fits in."""
        extents = [frame.extent() for frame in self.frames_sampled()]
        left = min(extent[0] for extent in extents)
        bottom = min(extent[1] for extent in extents)
        right = max(extent[2] for extent in extents)
        top = max(extent[3] for extent in extents)
        if self.step_box is not None:
            left, right = min(left, self.step_box.left), max(right, self.step_box.right)
        if self.wall_x is not None:
            left, right = min(left, self.wall_x - 4), max(right, self.wall_x + 4)
            top = max(top, 150.0)
        if self.view != "above":
            bottom = min(bottom, 0.0)
        return Box(left, bottom, right, top)

    def ball_at(self, figure: Figure2D) -> tuple[Point, float] | None:
        """Centre and radius of the ball or roller under its point in ``figure``."""
        if self.pose.ball is None:
            return None
        name = self.pose.ball.under.replace("-foot", "-heel")
        x, y = figure.points[name]
        if self.pose.ball.under.endswith("-foot"):
            x = (x + figure.points[name.replace("-heel", "-toe")][0]) / 2
        radius = self.pose.ball.size / 2
        return (x, y - radius), radius


__all__ = ["KEYFRAME_NAMES", "Box", "Figure2D", "Scene", "body_points", "project"]
