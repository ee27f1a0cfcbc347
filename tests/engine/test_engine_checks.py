"""Answering left/right checks with the pedal alone, or directly from keys."""

from __future__ import annotations

import pytest
from engine_helpers import T0, check, hold, new_driver, plan_of

from trainer.engine.effects import RecordCheck, Speak
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command


def at_answer(*steps):
    """A driver whose session stands in the answer moment of a check."""
    driver = new_driver(plan_of(*steps))
    driver.tap()
    while driver.session.state is not SessionState.ANSWERING:
        deadline = driver.session.next_deadline(driver.now)
        if deadline is None:
            driver.wait(5).tap()
        else:
            driver.at(deadline).tick()
    return driver


def spoken(effects):
    return [e.text for e in effects if isinstance(e, Speak)]


def test_taps_cycle_the_results_and_a_long_press_confirms():
    driver = at_answer(check(), hold("After", 30))
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.answer.stage == "result" and snapshot.answer.result is None
    assert snapshot.legend_text == "tap: next choice  hold: confirm"

    said = [spoken(driver.tap()) for _ in range(4)]
    assert said == [["Left tighter"], ["Even"], ["Right tighter"], ["Left tighter"]]
    driver.tap()  # -> even
    effects = driver.long_press()
    assert RecordCheck("aslr", "even", None, 3, driver.now) in effects
    assert driver.session.state is SessionState.RUNNING and driver.session.index == 4


def test_rating_is_counted_with_taps_after_the_result():
    driver = at_answer(check("knee-to-wall", rating=True))
    driver.tap()
    driver.tap()
    driver.tap()  # right tighter
    assert spoken(driver.long_press()) == ["Right tighter. Rate it from 0 to 10"]
    assert driver.session.state is SessionState.ANSWERING
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.answer.stage == "rating"
    assert snapshot.legend_text == "tap: +1  hold: confirm"
    # The first tap gives 1, so eight taps give 8 (it used to give 0, and 8 taps 7).
    counted = [spoken(driver.tap())[0] for _ in range(13)]
    assert counted == [str(n) for n in range(1, 11)] + ["0", "1", "2"]
    effects = driver.long_press()
    (record,) = [e for e in effects if isinstance(e, RecordCheck)]
    assert (record.test, record.result, record.rating) == ("knee-to-wall", "right-tighter", 2)
    assert driver.session.state is SessionState.FINISHED


def test_a_long_press_before_choosing_only_explains():
    driver = at_answer(check())
    effects = driver.long_press()
    assert spoken(effects) == ["Tap to choose, hold to confirm"]
    assert not any(isinstance(e, RecordCheck) for e in effects)
    assert driver.session.state is SessionState.ANSWERING and not driver.session.paused


def test_back_in_the_rating_stage_returns_to_the_result():
    driver = at_answer(check(rating=True))
    driver.tap()
    driver.long_press()
    driver.tap()
    driver.command(Command.BACK)
    snapshot = driver.session.snapshot(driver.now)
    assert snapshot.answer.stage == "result" and snapshot.answer.rating is None
    assert driver.session.index == 3  # still answering
    driver.command(Command.BACK)  # now it goes back a moment: to the right side's try
    assert driver.session.index == 2 and driver.session.state is SessionState.RUNNING


def test_direct_answer_from_keys():
    driver = at_answer(check(rating=True))
    effects = driver.answer("left-tighter", 7)
    assert RecordCheck("aslr", "left-tighter", 7, 3, driver.now) in effects
    assert driver.session.state is SessionState.FINISHED
    assert driver.finished().summary.checks[0].rating == 7


def test_direct_answer_without_a_rating_asks_for_it():
    driver = at_answer(check(rating=True))
    driver.answer("even")
    assert driver.session.snapshot(driver.now).answer.stage == "rating"
    driver.tap()
    driver.tap()
    (record,) = [e for e in driver.long_press() if isinstance(e, RecordCheck)]
    assert (record.result, record.rating) == ("even", 2)


def test_direct_answers_are_checked_and_ignored_outside_answer_moments():
    driver = at_answer(check(), hold())
    with pytest.raises(ValueError, match="rating must be 0 to 10"):
        driver.answer("even", 11)
    with pytest.raises(ValueError, match="not a check result"):
        driver.answer("sideways")
    driver.answer("even")
    assert driver.answer("left-tighter") == []
    assert len(driver.effects(RecordCheck)) == 1


def test_check_sides_with_a_duration_wait_for_the_pedal_after_the_timer():
    driver = new_driver(plan_of(check(duration=10)))
    driver.tap()
    driver.wait(12).tick()
    assert driver.session.state is SessionState.WAITING
    driver.tap()
    assert driver.session.plan[driver.session.index].kind == "switch"


def test_skip_during_a_check_records_no_result():
    driver = at_answer(check(), hold())
    driver.command(Command.SKIP)
    assert driver.effects(RecordCheck) == []
    assert driver.session.index == 4
    assert driver.records()[-1].skipped and driver.now > T0
