"""The end of a session: time, moments done and skipped, checks against last time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from trainer.adapters.store.database import CheckRow
from trainer.core.actions import Action
from trainer.core.flow import SummaryView
from trainer.core.kiosk import Idleness
from trainer.engine.effects import SessionSummary
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.durations import format_session_time
from trainer.routine.models import CheckResult
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import InputScreen

#: Each check's comparison with last time starts a line of its own, under the result,
#: so a narrow summary never breaks the result or the comparison mid-phrase.
COMPARISON = "\n      "


def headline(summary: SessionSummary) -> str:
    """What happened, in one line: praise only for a session done in full."""
    if summary.status != "finished":
        return "Session ended early."
    skipped = summary.moments_skipped
    if skipped == 0:
        return "Well done!"
    if summary.moments_done == 0:
        return "Finished, with every moment skipped."
    return f"Finished, with {skipped} of {summary.moment_count} moments skipped."


def summary_text(
    summary: SessionSummary,
    earlier_checks: Sequence[CheckRow],
    *,
    compare: bool = True,
    planned_time: str = "",
    check_names: Mapping[str, str] | None = None,
) -> Text:
    """The summary as text; ``earlier_checks`` are results from before this session.

    ``compare`` False (a kiosk guest) leaves out "last time" and "first time";
    ``planned_time`` (the routine's, as the picker showed it) follows the time taken;
    ``check_names`` names each check by its test id.
    """
    names = check_names or {}
    text = Text()
    text.append(f"{headline(summary)}\n\n", style="bold")
    text.append_text(plain(summary.title, "bold"))
    text.append(f"\nTime: {format_session_time(summary.active_seconds, summary.paused_seconds)}")
    if planned_time:
        text.append(f" (planned {planned_time})")
    text.append(
        f"\nMoments: {summary.moments_done} of {summary.moment_count} done, "
        f"{summary.moments_skipped} skipped\n"
    )
    if summary.checks:
        text.append("\nLeft / right checks:\n", style="bold")
    for check in summary.checks:
        earlier = [row for row in earlier_checks if row.test_id == check.test]
        name = names.get(check.test, check.test)
        previous = earlier[-1] if earlier else None
        rating = f" ({check.rating}/10)" if check.rating is not None else ""
        one_number = len(check.values) == 1 and not check.values[0][0]  # e.g. a pain score
        if one_number:  # no left or right to compare: the answer is the result
            text.append_text(plain(f"  {name}: {check.answer}"))
        else:
            answer = f" ({check.answer})" if check.answer else ""
            text.append_text(plain(f"  {name}: {check.result.label}{rating}{answer}"))
        if not compare:
            text.append("\n")
        elif previous is None:
            text.append(f"{COMPARISON}first time\n", style="dim")
        elif one_number:
            text.append(
                f"{COMPARISON}last time: {previous.answer or '-'} ({previous.at[:10]})\n",
                style="dim",
            )
        else:
            stored = CheckResult.named(previous.result)
            before = stored.label if stored is not None else previous.result
            change = "same as" if previous.result == check.result else "was"
            text.append(
                f"{COMPARISON}{change} last time: {before} ({previous.at[:10]})\n", style="dim"
            )
    return text


class SummaryScreen(InputScreen, Screen[None]):
    """Shown when a session ends; any tap returns to the picker."""

    DEFAULT_CSS = """
    SummaryScreen { align: center middle; }
    #summary { width: 72; max-width: 95%; height: auto; max-height: 90%; padding: 1 3;
               border: heavy $success; }
    #summary-text { width: 100%; height: auto; }
    #legend { dock: bottom; width: 100%; background: $primary; text-style: bold; }
    """

    def __init__(self, view: SummaryView) -> None:
        super().__init__()
        self.summary = view.summary
        self.earlier_checks = list(view.earlier_checks)
        self.compare = view.compare
        self.planned_time = view.planned_time
        self.check_names = view.check_names

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            text = summary_text(
                self.summary,
                self.earlier_checks,
                compare=self.compare,
                planned_time=self.planned_time,
                check_names=self.check_names,
            )
            yield Static(text, id="summary-text")
        yield Static(Text("tap: back to the routines", justify="center"), id="legend")

    def take(self, action: Action) -> None:
        if action.means(Gesture.TAP, Gesture.LONG_PRESS, Command.PRIMARY, Command.QUIT):
            self.dismiss()

    def idleness(self) -> Idleness:
        return Idleness.SUMMARY
