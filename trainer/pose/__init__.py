"""Figures that show how an exercise is done, drawn from pose data in the terminal.

Layers, each usable alone (none imports Textual, and nothing here imports the
routine format, which imports :class:`Pose` for the ``pose:`` field):

* :mod:`~trainer.pose.model`: the ``pose:`` data (view, props, working limb,
  keyframes of joint angles) and its validation against human ranges;
* :mod:`~trainer.pose.skeleton`: angles to a 3D skeleton, projected and placed
  on the floor, with the props;
* :mod:`~trainer.pose.motion`: which keyframes, and how far between them, for a
  tempo phase or a moment of a hold;
* :mod:`~trainer.pose.render`: a cached picture in braille, half blocks or the
  Linux console's few glyphs.

Example::

    picture = render(pose, 30, 12, "braille", "right", "start", "bottom", 0.5)
    print(picture.text)
"""

from trainer.pose.model import Keyframe, LimbAngles, Pose
from trainer.pose.motion import Position, in_phase, looping, still
from trainer.pose.render import Glyphs, Picture, glyphs_for_terminal, render

__all__ = [
    "Glyphs",
    "Keyframe",
    "LimbAngles",
    "Picture",
    "Pose",
    "Position",
    "glyphs_for_terminal",
    "in_phase",
    "looping",
    "render",
    "still",
]
