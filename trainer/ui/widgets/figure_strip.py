"""A row of small still figures, one per exercise: what a routine will ask of you.

Each exercise that has a pose appears once, in order, drawn at the moment that
tells it apart (:func:`trainer.pose.motion.emblem`) with its name below. The row
scrolls sideways when it is wider than the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.containers import HorizontalScroll, Vertical
from textual.widgets import Static

from trainer.pose.motion import emblem
from trainer.routine.models import Step
from trainer.ui.safe_text import plain
from trainer.ui.widgets.figure import Figure


def posed_steps(steps: Iterable[Step]) -> list[Step]:
    """Each step with a pose once (by name and library id), in order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for step in steps:
        key = (step.name, step.use or "")
        if step.pose is not None and key not in seen:
            seen.add(key)
            found.append(step)
    return found


class FigureStrip(HorizontalScroll):
    """The figures of ``steps`` side by side, each with its name."""

    DEFAULT_CSS = """
    FigureStrip { height: 12; width: 100%; align-horizontal: center; }
    FigureStrip > .strip-cell { width: 22; height: 100%; padding: 0 1; }
    FigureStrip > .strip-cell > Figure { height: 1fr; }
    FigureStrip > .strip-cell > .strip-name {
        height: 2; width: 100%; text-align: center; color: $text-muted;
    }
    """

    def __init__(self, steps: Sequence[Step], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.steps = posed_steps(steps)

    def compose(self) -> ComposeResult:
        for step in self.steps:
            with Vertical(classes="strip-cell"):
                yield Figure()
                yield Static(plain(step.name), classes="strip-name")

    def on_mount(self) -> None:
        for figure, step in zip(self.query(Figure), self.steps, strict=True):
            assert step.pose is not None
            figure.show(step.pose, "left", emblem(step.pose, step.kind))
