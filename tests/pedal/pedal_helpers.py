"""Shared helpers for the pedal tests: a fake clock, a callback sink, edge scripts."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from support.clock import FakeClock as FakeClock  # the suite's one fake clock

from trainer.adapters.pedal import Edge, GestureRecognizer, GestureTimings
from trainer.engine.vocabulary import Gesture

# Generous: these waits end as soon as the awaited thing happens, and only a
# hung thread makes them run out. 10 s once ran out in a full suite run at nice 10
# beside a second suite (the soak test took 4x its usual time in that run).
WAIT = 30.0

__all__ = [
    "WAIT",
    "FakeClock",
    "Scenario",
    "Sink",
    "bounce_train",
    "gestures_of",
    "play",
    "random_scenario",
]


class Sink:
    """Collects a pedal's callbacks and lets a test wait for them without sleeping."""

    def __init__(self) -> None:
        self.gestures: list[Gesture] = []
        self.edges: list[Edge] = []
        self.threads: set[str] = set()
        self._cond = threading.Condition()

    def gesture(self, gesture: Gesture) -> None:
        with self._cond:
            self.gestures.append(gesture)
            self.threads.add(threading.current_thread().name)
            self._cond.notify_all()

    def edge(self, edge: Edge) -> None:
        with self._cond:
            self.edges.append(edge)
            self._cond.notify_all()

    def wait_for_gestures(self, count: int, timeout: float = WAIT) -> list[Gesture]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.gestures) >= count, timeout)
            assert ok, f"waited {timeout} s for {count} gestures, got {self.gestures}"
            return list(self.gestures)

    def wait_for_edges(self, count: int, timeout: float = WAIT) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.edges) >= count, timeout)
            assert ok, f"waited {timeout} s for {count} edges, got {len(self.edges)}"


def play(
    recognizer: GestureRecognizer,
    edges: Iterable[tuple[float, bool]],
    until: float,
    *,
    extra_polls: Sequence[float] = (),
) -> list[tuple[float, Gesture]]:
    """Feed ``edges`` (time, pressed) as a timer thread would, polling at every deadline.

    Returns ``(time it fired, gesture)`` pairs. ``extra_polls`` adds polls at
    arbitrary times too, the way a thread woken early would.
    """
    fired: list[tuple[float, Gesture]] = []
    polls = sorted(extra_polls)
    clock = -float("inf")  # the latest time the recognizer has been told about

    def poll(at: float) -> None:
        nonlocal clock
        # A deadline can lie before the last edge (a timer that waited for a
        # dropout to resolve): it then fires at the first poll after it.
        clock = max(clock, at)
        fired.extend((clock, g) for g in recognizer.poll(clock))

    def catch_up(now: float) -> None:
        while True:
            due = recognizer.deadline()
            spare = polls[0] if polls and polls[0] <= now else None
            if spare is not None and (due is None or spare < due):
                poll(polls.pop(0))
            elif due is not None and due <= now:
                poll(due)
            else:
                return

    for at, pressed in edges:
        catch_up(at)
        clock = max(clock, at)
        fired.extend((clock, g) for g in recognizer.edge(pressed, at))
    catch_up(until)
    return fired


def gestures_of(fired: Iterable[tuple[float, Gesture]]) -> list[Gesture]:
    return [gesture for _at, gesture in fired]


# Scripts of edges ------------------------------------------------------------


def bounce_train(
    rng: random.Random, at: float, pressed: bool, *, max_span: float = 0.020
) -> list[tuple[float, bool]]:
    """The edges of a contact settling to ``pressed`` from time ``at``, lasting <= ``max_span``.

    An odd number of edges (1 to 9) at random spacing, so it ends at ``pressed``.
    """
    count = rng.choice((1, 3, 5, 7, 9))
    offsets = sorted(rng.uniform(0, max_span) for _ in range(count - 1))
    times = [at, *(at + offset for offset in offsets)]
    return [(t, pressed if i % 2 == 0 else not pressed) for i, t in enumerate(times)]


@dataclass
class Scenario:
    """A random series of intended gestures and the bouncy edges that perform them."""

    intended: list[Gesture] = field(default_factory=list)
    edges: list[tuple[float, bool]] = field(default_factory=list)
    end: float = 0.0


def random_scenario(
    rng: random.Random, timings: GestureTimings, gestures: Sequence[Gesture], start: float = 0.0
) -> Scenario:
    """Perform ``gestures`` with realistic, randomly bouncy presses.

    Margins keep every intended gesture unambiguous even after bounce (up to
    20 ms) moves an edge: taps are released well before the long press, a
    double tap's second press lands well inside the window, and whatever
    follows a single tap waits until the window has closed.
    """
    bounce = 0.020
    margin = bounce + 0.040
    scenario = Scenario()
    t = start
    previous: Gesture | None = None

    def press(hold: float) -> None:
        nonlocal t
        scenario.edges.extend(bounce_train(rng, t, True))
        t += hold
        scenario.edges.extend(bounce_train(rng, t, False))

    for gesture in gestures:
        # The gap since the last release: after a single tap it must outlast
        # the double-tap window, otherwise any human gap will do (a tap right
        # after a long press is "during its recovery").
        if previous is Gesture.TAP and timings.double_tap:
            t += rng.uniform(timings.double_tap + margin, timings.double_tap + 1.5)
        else:
            t += rng.uniform(timings.debounce + margin, 1.0)
        tap_hold = (timings.debounce + margin, timings.long_press - margin)
        if gesture is Gesture.TAP:
            press(rng.uniform(*tap_hold))
        elif gesture is Gesture.LONG_PRESS:
            # Sometimes a foot rests on the pedal for minutes.
            longest = 600.0 if rng.random() < 0.05 else 3.0
            press(rng.uniform(timings.long_press + margin, longest))
        else:
            press(rng.uniform(*tap_hold))
            t += rng.uniform(timings.debounce + margin, timings.double_tap - margin)
            press(rng.uniform(timings.debounce + margin, 2.0))  # the second press may linger
        scenario.intended.append(gesture)
        previous = gesture
    scenario.edges.sort(key=lambda edge: edge[0])
    scenario.end = t + 5.0
    return scenario
