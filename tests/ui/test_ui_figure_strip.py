"""The strip of exercise figures (for the start screen)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from trainer import paths
from trainer.routine.catalog import load_catalog
from trainer.routine.models import Step
from trainer.ui.widgets.figure import Figure
from trainer.ui.widgets.figure_strip import FigureStrip, posed_steps

CATALOG = load_catalog([paths.BUNDLED_ROUTINES_DIR])


#: Library exercises under fixed names, so the picture does not follow content edits.
SNAPSHOT_STEPS = {
    "tempo-squat": "Squat",
    "split-squat": "Split squat",
    "calf-wall-stretch": "Calf stretch",
    "clamshell": "Clamshell",
    "ninety-ninety-hold": "90/90 hold",
}


def _library_steps() -> list[Step]:
    steps = []
    for exercise_id, name in SNAPSHOT_STEPS.items():
        step = CATALOG.exercise(exercise_id)
        assert step is not None, exercise_id
        steps.append(step.model_copy(update={"name": name}))
    return steps


class StripApp(App[None]):
    def __init__(self, steps: list[Step]) -> None:
        super().__init__()
        self.steps = steps

    def compose(self) -> ComposeResult:
        yield FigureStrip(self.steps)


def test_each_posed_exercise_once_in_order():
    steps = CATALOG.routines["knee-valgus-reset"].routine.steps
    posed = posed_steps(steps)
    assert posed and all(step.pose is not None for step in posed)
    names = [step.name for step in posed]
    assert len(names) == len(set(names))
    assert names == [step.name for step in steps if step.pose is not None and step in posed]


async def test_the_strip_draws_every_figure():
    app = StripApp(list(CATALOG.routines["knee-valgus-reset"].routine.steps))
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        figures = list(app.query(Figure))
        strip = app.query_one(FigureStrip)
        assert len(figures) == len(strip.steps) > 2
        visible = [figure for figure in figures if figure.region.width]
        assert visible and all(figure.picture is not None for figure in visible)
        pictures = {figure.picture.text for figure in visible if figure.picture is not None}
        assert len(pictures) == len(visible), "every exercise looks different"


def test_strip_snapshot(snap_compare):
    assert snap_compare(StripApp(_library_steps()), terminal_size=(120, 14))


async def test_a_figure_seen_from_above_says_so():
    step = CATALOG.exercise("adductor-rock-backs")
    assert step is not None and step.pose is not None and step.pose.view == "above"
    app = StripApp([step])
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        figure = app.query_one(Figure)
        last = figure.render_line(figure.content_size.height - 1).text
        assert "(seen from above)" in last
        assert figure.picture is not None
        assert figure.picture.height == figure.content_size.height - 1
