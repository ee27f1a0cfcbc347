"""The pure gesture recognizer, driven with exact timestamps (no threads, no sleeps)."""

from __future__ import annotations

import pytest
from pedal_helpers import gestures_of, play

from trainer.adapters.pedal import GestureRecognizer, GestureTimings
from trainer.adapters.pedal.recognizer import DEFAULT_TIMINGS
from trainer.engine.vocabulary import Gesture

#: Double tap switched on (the shipped default until taps were made instant).
TIMINGS = GestureTimings(debounce=0.03, long_press=0.8, double_tap=0.35)
INSTANT_TAPS = GestureTimings(debounce=0.03, long_press=0.8, double_tap=0)

TAP, DOUBLE, LONG = Gesture.TAP, Gesture.DOUBLE_TAP, Gesture.LONG_PRESS


def tap(at: float, hold: float = 0.15) -> list[tuple[float, bool]]:
    return [(at, True), (at + hold, False)]


def chatter(at: float, pressed: bool, gaps: list[float]) -> list[tuple[float, bool]]:
    """Edges at ``at`` and then after each gap, alternating, ending at ``pressed``."""
    assert len(gaps) % 2 == 0, "an even number of gaps ends at the new level"
    edges, t = [(at, pressed)], at
    for i, gap in enumerate(gaps):
        t += gap
        edges.append((t, pressed if i % 2 == 1 else not pressed))
    return edges


# Taps and double taps ----------------------------------------------------------


def test_a_tap_fires_when_the_double_tap_window_closes():
    fired = play(GestureRecognizer(TIMINGS), tap(1.0, hold=0.15), until=5.0)
    assert fired == [(pytest.approx(1.15 + 0.35), TAP)]


def test_the_shipped_defaults_make_taps_instant():
    assert DEFAULT_TIMINGS == INSTANT_TAPS
    assert not DEFAULT_TIMINGS.double_tap_enabled


def test_with_double_tap_off_a_tap_fires_on_the_release_edge_itself():
    recognizer = GestureRecognizer(INSTANT_TAPS)
    assert recognizer.edge(True, 1.0) == []
    assert recognizer.poll(1.1) == []  # the press is confirmed at 1.03
    assert recognizer.edge(False, 1.15) == [TAP]  # no wait at all
    assert recognizer.deadline() is None


def test_an_instant_tap_needs_a_confirmed_press():
    # Down for 20 ms only: shorter than the debounce, so a spike, not a tap.
    fired = play(GestureRecognizer(INSTANT_TAPS), tap(1.0, hold=0.02), until=5.0)
    assert fired == []


@pytest.mark.parametrize(
    "gaps",
    [
        [0.001, 0.001],
        [0.0005, 0.003, 0.0002, 0.006, 0.001, 0.004],
        [0.019, 0.0005],
        [0.002] * 10,
    ],
)
def test_release_chatter_after_an_instant_tap_adds_nothing(gaps):
    edges = [*chatter(1.0, True, gaps), *chatter(1.2, False, gaps)]
    fired = play(GestureRecognizer(INSTANT_TAPS), edges, until=5.0)
    assert fired == [(pytest.approx(1.2), TAP)]


def test_a_dropout_while_held_fires_one_tap_and_never_a_second_gesture():
    # The contact opens for 10 ms during a hold: with instant taps that reads as
    # the tap; the press that continues is spent, so neither a second tap nor a
    # long press follows, however long it is held.
    edges = [(1.0, True), (1.4, False), (1.41, True), (3.5, False)]
    assert gestures_of(play(GestureRecognizer(INSTANT_TAPS), edges, until=9.0)) == [TAP]


def test_a_fresh_press_after_the_release_window_is_a_new_gesture():
    edges = [*tap(1.0), (1.25, True), (2.5, False)]
    assert gestures_of(play(GestureRecognizer(INSTANT_TAPS), edges, until=9.0)) == [TAP, LONG]


def test_two_quick_taps_are_one_double_tap_fired_on_the_second_press():
    edges = tap(1.0) + tap(1.4)  # released at 1.15, pressed again 250 ms later
    fired = play(GestureRecognizer(TIMINGS), edges, until=5.0)
    assert fired == [(pytest.approx(1.4 + 0.03), DOUBLE)]


def test_holding_the_second_press_of_a_double_tap_adds_nothing():
    edges = [*tap(1.0), (1.4, True), (4.0, False)]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=9.0)) == [DOUBLE]


def test_with_double_tap_off_two_quick_taps_are_two_taps():
    edges = tap(1.0) + tap(1.4)
    assert gestures_of(play(GestureRecognizer(INSTANT_TAPS), edges, until=5.0)) == [TAP, TAP]


def test_taps_further_apart_than_the_window_are_separate_taps():
    edges = tap(1.0) + tap(1.6) + tap(2.2)  # each 450 ms after the last release
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [TAP, TAP, TAP]


def test_a_second_press_starting_just_inside_the_window_is_a_double_tap():
    # The window closes at 1.5; the press starts at 1.49 but is only
    # confirmed (debounced) at 1.52, after the window: it still counts.
    edges = [*tap(1.0), (1.49, True), (1.7, False)]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [DOUBLE]


def test_a_second_press_just_after_the_window_is_a_new_tap():
    edges = [*tap(1.0), *tap(1.51)]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [TAP, TAP]


# Long press ----------------------------------------------------------------------


def test_a_long_press_fires_once_at_the_threshold_while_still_held():
    recognizer = GestureRecognizer(TIMINGS)
    assert recognizer.edge(True, 1.0) == []
    for now in (1.1, 1.5, 1.79):
        assert recognizer.poll(now) == []
    assert recognizer.deadline() == pytest.approx(1.8)
    assert recognizer.poll(1.8) == [LONG]
    assert recognizer.is_pressed  # the foot is still down: the user felt it fire
    assert recognizer.poll(3.0) == []
    assert recognizer.edge(False, 3.0) == []
    assert recognizer.poll(9.0) == []


def test_a_press_released_just_before_the_threshold_is_a_tap():
    edges = tap(1.0, hold=0.79)
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [TAP]


def test_a_press_held_exactly_to_the_threshold_is_a_long_press():
    edges = tap(1.0, hold=0.8)
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [LONG]


def test_a_stuck_pedal_gives_one_long_press_in_ten_minutes_then_recovers():
    recognizer = GestureRecognizer(TIMINGS)
    recognizer.edge(True, 0.0)
    fired = []
    for second in range(1, 601):  # a timer thread polling every second for ten minutes
        fired += recognizer.poll(float(second))
    assert fired == [LONG]
    assert recognizer.deadline() is None  # nothing left to time: no repeats
    assert recognizer.is_pressed
    after = play(recognizer, [(600.5, False), *tap(601.0)], until=610.0)
    assert gestures_of(after) == [TAP]


def test_a_tap_during_a_long_press_recovery_is_not_lost():
    # Held 2 s, released with chatter, and tapped again 60 ms after the chatter ends.
    edges = [
        (1.0, True),
        *chatter(3.0, False, [0.002, 0.005, 0.004, 0.006]),  # settles released at 3.017
        *tap(3.077, hold=0.12),
    ]
    fired = play(GestureRecognizer(TIMINGS), edges, until=9.0)
    assert gestures_of(fired) == [LONG, TAP]


def test_a_long_press_right_after_a_tap_window_is_still_a_long_press():
    edges = [*tap(1.0), (1.6, True), (3.0, False)]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=9.0)) == [TAP, LONG]


# Chatter and interference -------------------------------------------------------------


@pytest.mark.parametrize(
    "gaps",
    [
        [],  # a clean contact
        [0.001, 0.001],
        [0.0005, 0.003, 0.0002, 0.006, 0.001, 0.004],
        [0.019, 0.0005],  # one long bounce, still inside 20 ms
        [0.0001, 0.0199],  # re-closes just before 20 ms
        [0.002] * 10,  # a ten-bounce train lasting 20 ms
    ],
)
def test_chatter_up_to_20_ms_on_both_edges_makes_one_tap(gaps):
    edges = [*chatter(1.0, True, gaps), *chatter(1.2, False, gaps)]
    fired = play(GestureRecognizer(TIMINGS), edges, until=5.0)
    assert gestures_of(fired) == [TAP]


@pytest.mark.parametrize("gaps", [[0.001, 0.002], [0.004, 0.0005, 0.01, 0.002]])
def test_chatter_on_a_double_tap_makes_one_double_tap(gaps):
    edges = [
        *chatter(1.0, True, gaps),
        *chatter(1.15, False, gaps),
        *chatter(1.4, True, gaps),
        *chatter(1.55, False, gaps),
    ]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [DOUBLE]


def test_chatter_while_releasing_a_long_press_adds_nothing():
    edges = [(1.0, True), *chatter(2.5, False, [0.001, 0.015, 0.003, 0.0004])]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [LONG]


def test_a_spike_on_an_idle_line_is_ignored():
    edges = [(1.0, True), (1.001, False), (2.0, True), (2.029, False)]
    recognizer = GestureRecognizer(TIMINGS)
    assert play(recognizer, edges, until=5.0) == []
    assert not recognizer.is_pressed


def test_a_brief_dropout_while_held_does_not_split_the_press():
    edges = [(1.0, True), (1.4, False), (1.41, True), (2.5, False)]
    assert gestures_of(play(GestureRecognizer(TIMINGS), edges, until=5.0)) == [LONG]


def test_a_dropout_across_the_threshold_delays_the_long_press_but_keeps_it():
    # At 1.8 the contact is open; it closes again 10 ms later, so the press
    # never ended and the long press fires once the dropout is known to be one.
    recognizer = GestureRecognizer(TIMINGS)
    edges = [(1.0, True), (1.795, False), (1.805, True), (3.0, False)]
    fired = play(recognizer, edges, until=5.0)
    assert fired == [(pytest.approx(1.805), LONG)]


def test_an_edge_that_repeats_the_level_is_ignored():
    edges = [(1.0, True), (1.05, True), (1.2, False), (1.3, False)]
    assert gestures_of(play(GestureRecognizer(INSTANT_TAPS), edges, until=5.0)) == [TAP]


# Bookkeeping --------------------------------------------------------------------------


def test_nothing_is_pending_when_idle():
    recognizer = GestureRecognizer(TIMINGS)
    assert recognizer.deadline() is None
    assert recognizer.poll(100.0) == []


def test_a_pedal_held_at_start_fires_nothing_until_released():
    recognizer = GestureRecognizer(TIMINGS, pressed=True, now=10.0)
    assert recognizer.is_pressed
    fired = play(recognizer, [(20.0, False), *tap(21.0)], until=30.0)
    assert gestures_of(fired) == [TAP]


def test_time_running_backwards_is_taken_as_now():
    recognizer = GestureRecognizer(INSTANT_TAPS)
    recognizer.edge(True, 5.0)
    recognizer.poll(5.1)
    # A late callback with a stale timestamp: released "at 5.1", which is when
    # the tap fires (the press was confirmed at 5.03).
    assert recognizer.edge(False, 4.0) == [TAP]
    assert recognizer.poll(5.14) == []


def test_polling_at_odd_times_does_not_change_the_outcome():
    edges = [*tap(1.0), *tap(1.4), *tap(3.0), (4.0, True), (5.5, False)]
    extra = [1.01, 1.16, 1.2, 1.42, 1.44, 2.99, 3.2, 3.49, 3.5, 3.51, 4.79, 4.8, 4.81]
    plain = play(GestureRecognizer(TIMINGS), edges, until=9.0)
    busy = play(GestureRecognizer(TIMINGS), edges, until=9.0, extra_polls=extra)
    assert gestures_of(busy) == gestures_of(plain) == [DOUBLE, TAP, LONG]
