"""Which figure the session screen shows, and where in its movement (no Textual).

The screen draws the step's pose beside the countdown (see
:class:`~trainer.ui.widgets.figure.Figure`); this module decides what that is
from a :class:`~trainer.engine.snapshot.Snapshot` alone:

* a work moment with a pose: the pose, moving with the tempo phase (or looping
  at an easy pace without a tempo), still in a hold, before the clock starts,
  when time is up and while paused;
* a switch, a rest between sets or a rest step: the next moment's figure,
  standing ready, on the side that comes next;
* anything else (instructions, a check's answer, steps without a pose): none.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.snapshot import SessionState, Snapshot
from trainer.pose.model import Pose
from trainer.pose.motion import MOVING, Position, for_moment, still


@dataclass(frozen=True)
class FigureView:
    """Draw ``pose`` at ``position`` for ``side`` ("left", "right" or "").

    ``moving``: the picture changes with time alone (a rep's way down or up, or
    a movement without a tempo), so the screen must redraw it as time passes.
    """

    pose: Pose
    side: str
    position: Position
    moving: bool = False


def figure_for(snapshot: Snapshot) -> FigureView | None:
    """The figure to show for ``snapshot``, or None."""
    moment = snapshot.moment
    pose: Pose | None = getattr(moment.step, "pose", None) if moment.is_work else None
    if pose is None:
        upcoming = snapshot.next_moment
        between = moment.is_transition or moment.kind == "rest"
        if not between or upcoming is None or not upcoming.is_work:
            return None
        ready: Pose | None = getattr(upcoming.step, "pose", None)
        if ready is None:
            return None
        return FigureView(ready, upcoming.side, still(ready, upcoming.kind))
    if snapshot.answer is not None:
        return None
    tempo, left = snapshot.tempo, snapshot.tempo_left
    fraction = 1 - (left or 0) / tempo.length if tempo and tempo.length else 0.0
    running = snapshot.state is SessionState.RUNNING and not snapshot.paused
    position = for_moment(
        pose,
        moment.kind,
        running=running,
        phase=tempo.phase if tempo else None,
        phase_fraction=fraction,
        rep=tempo.rep if tempo else 1,
        elapsed=snapshot.moment_elapsed,
    )
    # An alternating set changes side rep by rep.
    side = tempo.side if tempo is not None and tempo.side else moment.side
    moving = (
        running
        and snapshot.lead_in_left is None  # the count-in: the clock has not started
        and moment.kind != "hold"
        and (tempo is None or tempo.phase in MOVING)
    )
    return FigureView(pose, side, position, moving)
