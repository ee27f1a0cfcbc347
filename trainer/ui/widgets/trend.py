"""A left/right trend plot for one check, drawn in text.

Three lanes (LEFT tighter / even / RIGHT tighter), one column per session,
oldest on the left, so drifting towards "even" is visible at a glance::

    aslr   L tighter  ● ●
           even           ● ●
           R tighter          ●
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from trainer.adapters.store.database import CheckRow
from trainer.routine.models import CHECK_RESULTS

MAX_COLUMNS = 20


def trend_plot(test_id: str, rows: Sequence[CheckRow]) -> Text:
    """The plot of the last :data:`MAX_COLUMNS` results of ``test_id``."""
    recent = [row for row in rows if row.test_id == test_id][-MAX_COLUMNS:]
    text = Text()
    name_width = max(len(test_id), 6)
    for lane_index, lane in enumerate(CHECK_RESULTS):
        name = test_id if lane_index == 0 else ""
        text.append(f"{name:<{name_width}}  ", style="bold")
        text.append(f"{lane.short:>9} │")
        for row in recent:
            if row.result == lane:
                mark = str(row.rating) if row.rating is not None and row.rating < 10 else "●"
                text.append(f" {mark}", style="bold")
            else:
                text.append("  ")
        text.append("\n")
    first = recent[0].at[:10] if recent else ""
    last = recent[-1].at[:10] if recent else ""
    text.append(f"{'':<{name_width}}  {'':>9} └ {first}{' … ' + last if last != first else ''}")
    return text
