"""A left/right trend plot for one check, drawn in text.

The check's name on a line of its own (a long name never pushes the plot off a
narrow screen), then three lanes (LEFT tighter / even / RIGHT tighter), one
column per session, oldest on the left, so drifting towards "even" is visible
at a glance::

    Active straight leg raise
     L tighter │ ● ●
          even │     ● ●
     R tighter │         ●
               └ 2026-11-01 … 2026-11-05
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from trainer.adapters.store.database import CheckRow
from trainer.routine.models import CHECK_RESULTS
from trainer.ui.safe_text import plain

MAX_COLUMNS = 20


def trend_plot(test_id: str, rows: Sequence[CheckRow], name: str = "") -> Text:
    """The plot of the last :data:`MAX_COLUMNS` results of ``test_id``, headed by the
    check's ``name`` (its id when it has none)."""
    recent = [row for row in rows if row.test_id == test_id][-MAX_COLUMNS:]
    text = Text()
    text.append_text(plain(name or test_id, "bold"))
    text.append("\n")
    for lane in CHECK_RESULTS:
        text.append(f"{lane.short:>10} │")
        for row in recent:
            if row.result == lane:
                mark = str(row.rating) if row.rating is not None and row.rating < 10 else "●"
                text.append(f" {mark}", style="bold")
            else:
                text.append("  ")
        text.append("\n")
    first = recent[0].at[:10] if recent else ""
    last = recent[-1].at[:10] if recent else ""
    text.append(f"{'':>10} └ {first}{' … ' + last if last != first else ''}")
    return text
