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

Sixel and Kitty graphics (``textual-image``) were considered and left out: the
figure is a line drawing, and braille already gives 2 x 4 dots a cell, enough
to read from two metres on the kiosk's screen; a bitmap path would add Pillow
and a second renderer to keep in step, its terminal probe at start-up is slow
and unreliable under tmux, and neither the Linux console (the kiosk) nor the
browser mode can show it. Should a smoother picture be wanted, the place is a
fourth glyph set in :mod:`~trainer.pose.render` drawing the same lines.

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
