"""The summary's words: what happened, praise only when earned, the named time."""

from __future__ import annotations

from trainer.engine.effects import SessionSummary
from trainer.ui.screens.summary import headline, summary_text


def summary(done: int, skipped: int, status: str = "finished") -> SessionSummary:
    return SessionSummary(
        status=status,  # type: ignore[arg-type]
        routine_id="r",
        title="Routine",
        moment_count=30,
        moments_done=done,
        moments_skipped=skipped,
        active_seconds=192,
        paused_seconds=19,
        started_at=0.0,
        ended_at=211.0,
    )


def test_well_done_only_for_a_session_done_in_full():
    assert headline(summary(30, 0)) == "Well done!"
    # "Well done!" used to show with 25 of 30 steps skipped.
    assert headline(summary(5, 25)) == "Finished, with 25 of 30 moments skipped."
    assert headline(summary(0, 30)) == "Finished, with every moment skipped."
    assert headline(summary(5, 0, status="abandoned")) == "Session ended early."


def test_the_time_is_named_active_and_paused():
    text = summary_text(summary(5, 25), []).plain
    assert "Time: active 3:12, paused 0:19" in text
    assert "Moments: 5 of 30 done, 25 skipped" in text
    assert "Well done" not in text


def test_each_phrase_keeps_a_line_so_nothing_breaks_mid_phrase():
    from trainer.adapters.store.database import CheckRow
    from trainer.engine.effects import RecordCheck
    from trainer.routine.models import CheckResult

    check = RecordCheck(
        test="knee-to-wall", result=CheckResult.RIGHT_TIGHTER, rating=7, moment_index=0, at=0.0
    )
    with_check = summary(30, 0).__class__(**{**vars(summary(30, 0)), "checks": (check,)})
    earlier = [CheckRow(1, "knee-to-wall", "left-tighter", 5, "2026-11-01T07:30:00")]
    lines = summary_text(with_check, earlier).plain.splitlines()
    result = next(line for line in lines if line.strip().startswith("knee-to-wall:"))
    comparison = lines[lines.index(result) + 1]
    assert comparison.strip() == "was last time: left tighter (2026-11-01)"
    # The summary box is 72 wide: every line fits its 64 columns of text whole.
    assert max(len(line) for line in lines) <= 64
