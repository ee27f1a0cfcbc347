"""The moving figure that shows how an exercise is done (see :mod:`trainer.pose`).

It fills whatever space the layout gives it and repaints only when the picture
changes: a new position in the movement, a new side or a new size. Rendered
pictures are cached by :func:`trainer.pose.render.render`, and the styled lines
of each picture here, so a rep's second pass costs only the repaint (the line
API: no layout, no Rich rendering).
"""

from __future__ import annotations

from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from textual.events import Resize
from textual.strip import Strip
from textual.widget import Widget

from trainer.pose.model import Pose
from trainer.pose.motion import Position
from trainer.pose.render import Glyphs, Part, Picture, Side, glyphs_for_terminal, render

#: Smallest area worth drawing a person in; below it the widget shows nothing.
MIN_COLUMNS, MIN_ROWS = 10, 5
ABOVE_CAPTION = "(seen from above)"
#: Styled pictures kept (a rep of one exercise at one size is about 30).
CACHED_PICTURES = 96
_PARTS: tuple[Part, ...] = ("work", "body", "far", "prop")


class Figure(Widget):
    """A stick figure in one position; call :meth:`show` as the session moves."""

    DEFAULT_CSS = """
    Figure { width: 1fr; height: 1fr; }
    Figure > .figure--work { color: $accent; text-style: bold; }
    Figure > .figure--body { color: $foreground; }
    Figure > .figure--far { color: $foreground 55%; }
    Figure > .figure--prop { color: $foreground 35%; }
    """
    COMPONENT_CLASSES = {f"figure--{part}" for part in _PARTS}

    def __init__(self, *, glyphs: Glyphs | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs: Glyphs = glyphs or glyphs_for_terminal()
        self._wanted: tuple[Pose, Side, Position] | None = None
        self._drawn: Picture | None = None
        self._lines: list[Strip] = []
        self._styled: OrderedDict[Picture, list[Strip]] = OrderedDict()

    @property
    def picture(self) -> Picture | None:
        """What is on screen now (None when blank)."""
        return self._drawn

    def show(self, pose: Pose | None, side: str = "", position: Position | None = None) -> None:
        """Draw ``pose`` at ``position`` (its start by default) for ``side``; None clears it."""
        if pose is None:
            self._wanted = None
        else:
            at = position or Position("start")
            self._wanted = (pose, at.side(side), at)
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styled.clear()  # a theme change: colour the pictures again
        self._drawn = None
        self._draw()

    def _draw(self) -> None:
        width, height = self.content_size
        picture = None
        if self._wanted is not None and width >= MIN_COLUMNS and height >= MIN_ROWS:
            pose, side, at = self._wanted
            # Seen from above there is no floor to read the picture by: say so below it.
            rows = height - 1 if pose.view == "above" else height
            picture = render(
                pose, width, rows, self.glyphs, side, at.frame, at.towards, at.progress
            )
        if picture is self._drawn:
            return  # the render cache hands back the same object for the same picture
        self._drawn = picture
        self._lines = self._strips(picture) if picture is not None else []
        if picture is not None and self._wanted is not None and self._wanted[0].view == "above":
            caption = ABOVE_CAPTION.center(width)[:width]
            style = self.get_component_rich_style("figure--prop")
            self._lines = [*self._lines, Strip([Segment(caption, style)])]
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y < len(self._lines):
            return self._lines[y].adjust_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def _strips(self, picture: Picture) -> list[Strip]:
        cached = self._styled.get(picture)
        if cached is not None:
            self._styled.move_to_end(picture)
            return cached
        base = self.rich_style
        styles: dict[Part, Style] = {"": base}
        for part in _PARTS:
            # The Linux console: shapes only (its bright colours do not render).
            styles[part] = (
                base
                if self.glyphs == "console"
                else self.get_component_rich_style(f"figure--{part}")
            )
        strips = [
            Strip([Segment(text, styles.get(part, base)) for text, part in row])
            for row in picture.rows
        ]
        self._styled[picture] = strips
        if len(self._styled) > CACHED_PICTURES:
            self._styled.popitem(last=False)
        return strips
