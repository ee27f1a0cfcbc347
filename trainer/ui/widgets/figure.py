"""The moving figure that shows how an exercise is done (see :mod:`trainer.pose`).

It fills whatever space the layout gives it and redraws only when the picture
changes: a new position in the movement, a new side or a new size. Rendered
frames are cached by :func:`trainer.pose.render.render`, so a rep's second
pass costs nothing but the screen update.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from trainer.pose.model import Pose
from trainer.pose.motion import Position
from trainer.pose.render import Glyphs, Part, Picture, Side, glyphs_for_terminal, render

#: Smallest area worth drawing a person in; below it the widget shows nothing.
MIN_COLUMNS, MIN_ROWS = 10, 5


class Figure(Static):
    """A stick figure in one position; call :meth:`show` as the session moves."""

    DEFAULT_CSS = """
    Figure { width: 1fr; height: 1fr; }
    Figure > .figure--work { color: $accent; text-style: bold; }
    Figure > .figure--body { color: $foreground; }
    Figure > .figure--far { color: $foreground 55%; }
    Figure > .figure--prop { color: $foreground 35%; }
    """
    COMPONENT_CLASSES = {"figure--work", "figure--body", "figure--far", "figure--prop"}

    def __init__(self, *, glyphs: Glyphs | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = glyphs or glyphs_for_terminal()
        self._wanted: tuple[Pose, Side, Position] | None = None
        self._drawn: Picture | None = None

    @property
    def picture(self) -> Picture | None:
        """What is on screen now (None when blank)."""
        return self._drawn

    def show(self, pose: Pose | None, side: str = "", position: Position | None = None) -> None:
        """Draw ``pose`` at ``position`` (its start by default) for ``side``; None clears it."""
        if pose is None:
            self._wanted = None
        else:
            chosen: Side = "right" if side == "right" else "left"
            self._wanted = (pose, chosen, position or Position("start"))
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        width, height = self.content_size
        picture = None
        if self._wanted is not None and width >= MIN_COLUMNS and height >= MIN_ROWS:
            pose, side, at = self._wanted
            picture = render(
                pose, width, height, self.glyphs, side, at.frame, at.towards, at.progress
            )
        if picture is self._drawn:
            return  # the cache hands back the same object for the same picture
        self._drawn = picture
        self.update(self._text(picture) if picture is not None else "")

    def _text(self, picture: Picture) -> Text:
        styles: dict[Part, Style] = {"": Style()}
        if self.glyphs != "console":  # the Linux console: shapes only, no bright colours
            for part in ("work", "body", "far", "prop"):
                styles[part] = self.get_component_rich_style(f"figure--{part}")
        text = Text(no_wrap=True, overflow="crop")
        for index, row in enumerate(picture.rows):
            if index:
                text.append("\n")
            for chunk, part in row:
                text.append(chunk, styles.get(part, Style()))
        return text
