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
