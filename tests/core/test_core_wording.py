"""Words shared by every screen and listing: session statuses and check names."""

from __future__ import annotations

from trainer.core.wording import check_names, status_word
from trainer.routine.models import Routine


def routine(*checks: tuple[str, str]) -> Routine:
    steps = [{"kind": "check", "test": test, "name": name} for test, name in checks]
    return Routine.model_validate(
        {"title": "T", "summary": "s", "blocks": [{"name": "Check", "steps": steps}]}
    )


def test_a_session_ended_early_is_never_called_abandoned():
    assert status_word("abandoned") == "ended early"
    assert [status_word(s) for s in ("finished", "interrupted")] == ["finished", "interrupted"]


def test_checks_are_named_by_their_routines_and_never_read_alike():
    routines = [
        routine(("aslr", "Active straight leg raise"), ("ktw", "Knee to wall")),
        routine(("ktw-after", "Knee to wall"), ("aslr", "Another name")),
    ]
    names = check_names(["aslr", "ktw", "ktw-after", "gone", "aslr"], routines)
    assert names == {
        "aslr": "Active straight leg raise",  # the first routine's name wins
        "ktw": "Knee to wall (ktw)",  # one name, two tests: each says which
        "ktw-after": "Knee to wall (ktw-after)",
        "gone": "gone",  # no routine has it any more: its id
    }
    assert check_names(["ktw"], routines) == {"ktw": "Knee to wall"}
