"""What `trainer run` and `trainer show` say about a name that is no routine."""

from __future__ import annotations

from collections.abc import Iterable

from trainer.routine.catalog import Catalog
from trainer.routine.errors import did_you_mean

#: Exit status for a name that is no routine: a usage error, as argparse uses.
UNKNOWN_NAME = 2


def unknown_routine(command: str, name: str, catalog: Catalog, extra: Iterable[str] = ()) -> str:
    """``trainer run: no routine 'nope'; did you mean 'x'?`` - or, with no close match,
    the known ids, so the next try can be right. ``extra`` are other names the command
    takes (``trainer show`` also shows library exercises)."""
    known = sorted(catalog.routines)
    others = list(extra)
    hint = did_you_mean(name, [*known, *others])
    if not hint:
        hint = f"; known routines: {', '.join(known) or 'none'}"
    # The suggestion may be an exercise (`show clamshel`): not "no routine" then.
    what = "routine or exercise" if others else "routine"
    return f"trainer {command}: no {what} '{name}'{hint}"
