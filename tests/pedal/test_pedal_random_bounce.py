"""Randomised bounce trains: every intended gesture comes out once, nothing else does.

Both tests are deterministic (a fixed seed; Hypothesis derandomised), so a
failure reproduces every time and names the trial.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pedal_helpers import gestures_of, play, random_scenario

from trainer.adapters.pedal import GestureRecognizer, GestureTimings
from trainer.adapters.pedal.recognizer import DEFAULT_TIMINGS
from trainer.engine.vocabulary import Gesture

TIMINGS = [
    GestureTimings(debounce=0.03, long_press=0.8, double_tap=0.35),  # double tap on
    GestureTimings(debounce=0.025, long_press=0.5, double_tap=0.3),  # a quick foot
    GestureTimings(debounce=0.04, long_press=1.5, double_tap=0.6),  # a slow foot
]
INSTANT_TAPS = GestureTimings(debounce=0.03, long_press=0.8, double_tap=0)
assert INSTANT_TAPS == DEFAULT_TIMINGS  # the shipped defaults


def test_1000_random_bouncy_presses_give_exactly_one_gesture_each():
    rng = random.Random(20240517)
    presses = misses = extras = 0
    for trial in range(1000):
        timings = TIMINGS[trial % len(TIMINGS)]
        intended = rng.choice(list(Gesture))
        scenario = random_scenario(rng, timings, [intended])
        # Half the trials also poll at random moments, as a thread woken early would.
        polls = [rng.uniform(0, scenario.end) for _ in range(rng.choice((0, 20)))]
        fired = gestures_of(
            play(GestureRecognizer(timings), scenario.edges, scenario.end, extra_polls=polls)
        )
        presses += 1
        misses += intended not in fired
        extras += max(0, len(fired) - 1)
        assert fired == [intended], f"trial {trial}: {scenario.edges} gave {fired}"
    assert (presses, misses, extras) == (1000, 0, 0)


def test_1000_random_bouncy_presses_at_the_shipped_defaults_never_double_advance():
    rng = random.Random(20261202)
    for trial in range(1000):
        intended = rng.choice((Gesture.TAP, Gesture.LONG_PRESS))
        scenario = random_scenario(rng, DEFAULT_TIMINGS, [intended])
        polls = [rng.uniform(0, scenario.end) for _ in range(rng.choice((0, 20)))]
        fired = gestures_of(
            play(
                GestureRecognizer(DEFAULT_TIMINGS), scenario.edges, scenario.end, extra_polls=polls
            )
        )
        assert fired == [intended], f"trial {trial}: {scenario.edges} gave {fired}"


def test_random_bouncy_sequences_with_instant_taps():
    rng = random.Random(7)
    for trial in range(200):
        intended = [rng.choice((Gesture.TAP, Gesture.LONG_PRESS)) for _ in range(5)]
        scenario = random_scenario(rng, INSTANT_TAPS, intended)
        fired = gestures_of(play(GestureRecognizer(INSTANT_TAPS), scenario.edges, scenario.end))
        assert fired == intended, f"trial {trial}: {scenario.edges}"


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    intended=st.lists(st.sampled_from(list(Gesture)), min_size=1, max_size=8),
    timings=st.sampled_from(TIMINGS),
    rng=st.randoms(use_true_random=False),
)
def test_any_sequence_of_bouncy_gestures_comes_out_as_intended(intended, timings, rng):
    scenario = random_scenario(rng, timings, intended)
    fired = gestures_of(play(GestureRecognizer(timings), scenario.edges, scenario.end))
    assert fired == intended
