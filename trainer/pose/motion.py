"""Where in its movement the figure is, from the step's kind and the clock.

The figure moves with the count: in a rep's ``down`` it travels from ``start``
to ``bottom``, stays there for the ``pause``, travels back during ``up`` and
rests at ``start`` for the ``top``. A hold stands still in its ``hold``
keyframe. Steps without a tempo (reps counted by the pedal, timed efforts,
checks) loop through the movement at an easy :data:`DEFAULT_CYCLE`.

Progress is rounded to :data:`FRAMES_PER_PHASE` steps so rendered frames can be
cached and a screen redraws only when the picture really changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.pose.model import KeyframeName, Pose

#: Seconds for each phase of an untempoed rep: down, pause, up, top.
DEFAULT_CYCLE: tuple[tuple[str, float], ...] = (
    ("down", 1.5),
    ("pause", 0.75),
    ("up", 1.5),
    ("top", 0.75),
)
FRAMES_PER_PHASE = 12


@dataclass(frozen=True)
class Position:
    """Keyframe ``frame``, ``progress`` of the way to ``towards`` (if moving)."""

    frame: KeyframeName
    towards: KeyframeName | None = None
    progress: float = 0.0


def _eased(fraction: float) -> float:
    """Smooth start and stop, rounded for the frame cache."""
    fraction = min(max(fraction, 0.0), 1.0)
    eased = fraction * fraction * (3 - 2 * fraction)
    return round(eased * FRAMES_PER_PHASE) / FRAMES_PER_PHASE


def still(pose: Pose, kind: str) -> Position:
    """The picture that stands for the whole exercise (a hold's hold, a rep's start)."""
    if kind == "hold" and pose.keyframes.hold is not None:
        return Position("hold")
    return Position("start")


def in_phase(pose: Pose, phase: str, fraction: float) -> Position:
    """The figure ``fraction`` (0..1) through tempo phase ``phase`` (down/pause/up/top)."""
    far: KeyframeName | None = (
        "bottom"
        if pose.keyframes.bottom is not None
        else ("hold" if pose.keyframes.hold is not None else None)
    )
    if far is None:
        return Position("start")
    if phase == "down":
        return _between("start", far, _eased(fraction))
    if phase == "pause":
        return Position(far)
    if phase == "up":
        return _between(far, "start", _eased(fraction))
    return Position("start")


def looping(pose: Pose, elapsed: float) -> Position:
    """The figure ``elapsed`` seconds into a movement with no tempo of its own."""
    cycle = sum(length for _, length in DEFAULT_CYCLE)
    into = elapsed % cycle
    for phase, length in DEFAULT_CYCLE:
        if into < length:
            return in_phase(pose, phase, into / length)
        into -= length
    return Position("start")


def _between(a: KeyframeName, b: KeyframeName, progress: float) -> Position:
    if progress <= 0:
        return Position(a)
    if progress >= 1:
        return Position(b)
    return Position(a, b, progress)


def for_moment(
    pose: Pose,
    kind: str,
    *,
    running: bool,
    phase: str | None = None,
    phase_fraction: float = 0.0,
    elapsed: float = 0.0,
) -> Position:
    """Where the figure is for a moment of kind ``kind`` (hold, reps, timed, check).

    ``running`` is False before the clock starts and after it ran out (the
    figure then stands at its still picture); ``phase`` and ``phase_fraction``
    are the tempo phase under way for reps with a tempo; ``elapsed`` is the
    time into the moment, for movements without a tempo.
    """
    if kind == "hold" or not running:
        return still(pose, kind)
    if phase is not None:
        return in_phase(pose, phase, phase_fraction)
    return looping(pose, elapsed)
