"""Words every screen and listing shares, so a thing reads the same everywhere.

* :func:`status_word` - how a session ended, in words ("ended early", not the
  stored code "abandoned"); exports keep the codes.
* :func:`check_names` - each check's name as its routine gives it, for the
  summary, the trend view and ``trainer history --trends`` (results are stored
  under the check's ``test`` id, which is no name for a person).
"""

from __future__ import annotations

from collections.abc import Iterable

from trainer.routine.models import CheckStep, Routine

#: The stored status codes that read differently to a person.
_STATUS_WORDS = {"abandoned": "ended early"}


def status_word(status: str) -> str:
    """``abandoned`` -> ``ended early``; the other statuses are words already."""
    return _STATUS_WORDS.get(status, status)


def check_names(test_ids: Iterable[str], routines: Iterable[Routine]) -> dict[str, str]:
    """A name for each of ``test_ids``: the name of the check step that records it
    (the first routine that has one wins); the id itself when no routine does.

    Two ids whose checks share a name (a routine's cold check and the same check
    after the work, under ids of their own) get the id after the name, so no two
    trends read alike.
    """
    wanted = list(dict.fromkeys(test_ids))
    found: dict[str, str] = {}
    for routine in routines:
        for step in routine.steps:
            if isinstance(step, CheckStep) and step.test in wanted:
                found.setdefault(step.test, step.name)
    names = {test: found.get(test, test) for test in wanted}
    shared = [name for name in names.values() if list(names.values()).count(name) > 1]
    return {
        test: f"{name} ({test})" if name in shared and name != test else name
        for test, name in names.items()
    }
