"""Where in its movement the figure is, from the step's kind and the clock.

The figure moves with the count: in a rep's ``down`` it travels from ``start``
to ``bottom``, stays there for the ``pause``, travels back during ``up`` and
rests at ``start`` for the ``top``. A pose with ``alternate`` (90/90 switches)
comes back up into the mirror image of ``start``, so every other rep runs
mirrored. A hold stands still in its ``hold``
keyframe. Steps without a tempo (reps counted by the pedal, timed efforts,
checks) loop through the movement at an easy :data:`DEFAULT_CYCLE`.

Progress is rounded to :data:`FRAMES_PER_PHASE` steps so rendered frames can be
cached and a screen redraws only when the picture really changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from trainer.pose.model import KeyframeName, Pose
from trainer.pose.render import Side

#: Seconds for each phase of an untempoed rep: down, pause, up, top.
DEFAULT_CYCLE: tuple[tuple[str, float], ...] = (
    ("down", 1.5),
    ("pause", 0.75),
    ("up", 1.5),
    ("top", 0.75),
)
FRAMES_PER_PHASE = 8
#: The phases in which the figure travels (in the others it stands still).
MOVING = frozenset({"down", "up"})


@dataclass(frozen=True)
class Position:
    """Keyframe ``frame``, ``progress`` of the way to ``towards`` (if moving).

    ``mirrored`` draws it for the other side (an alternating pose's every other
    half rep).
    """

    frame: KeyframeName
    towards: KeyframeName | None = None
    progress: float = 0.0
    mirrored: bool = False

    def side(self, side: str) -> Side:
        """The side to draw for a moment on ``side`` ("left", "right" or "")."""
        right = side == "right"
        return "right" if right != self.mirrored else "left"


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


def in_phase(pose: Pose, phase: str, fraction: float, rep: int = 1) -> Position:
    """The figure ``fraction`` (0..1) through ``phase`` (down/pause/up/top) of ``rep``."""
    position = _in_phase(pose, phase, fraction)
    if not pose.alternate:
        return position
    # Reps alternate sides: the way down starts on the rep's side, the way up ends
    # on the other (the bottom is the middle, where the two meet).
    flipped = (rep % 2 == 0) != (phase in ("up", "top"))
    return replace(position, mirrored=flipped)


def _in_phase(pose: Pose, phase: str, fraction: float) -> Position:
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
    rep, into = int(elapsed // cycle) + 1, elapsed % cycle
    for phase, length in DEFAULT_CYCLE:
        if into < length:
            return in_phase(pose, phase, into / length, rep)
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
    rep: int = 1,
    elapsed: float = 0.0,
) -> Position:
    """Where the figure is for a moment of kind ``kind`` (hold, reps, timed, check).

    ``running`` is False before the clock starts and after it ran out (the
    figure then stands at its still picture); ``phase`` and ``phase_fraction``
    are the tempo phase under way for reps with a tempo, ``rep`` its rep; ``elapsed`` is the
    time into the moment, for movements without a tempo.
    """
    if kind == "hold" or not running:
        return still(pose, kind)
    if phase is not None:
        return in_phase(pose, phase, phase_fraction, rep)
    return looping(pose, elapsed)


def emblem(pose: Pose, kind: str) -> Position:
    """The one still picture that tells the exercise apart (for a strip of many).

    A hold's hold; otherwise the far end of the movement (a squat's bottom says
    more than its standing start), or ``start`` when that is all there is.
    """
    if kind == "hold":
        if pose.keyframes.hold is not None:
            return Position("hold")
        return Position("start")
    if pose.keyframes.bottom is not None:
        return Position("bottom")
    if pose.keyframes.hold is not None:
        return Position("hold")
    return Position("start")
