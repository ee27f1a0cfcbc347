"""What ``trainer pedal-test`` measures: :class:`WiringCheck`.

A pure record of the raw edges a pedal produced, with the numbers someone
wiring a foot switch wants: how much the contacts bounce compared with the
debounce window, and how long their taps are held compared with the
long-press threshold. It only counts and formats; the screen shows it.

An edge is *bounce* when it comes less than ``debounce`` after the previous
edge: exactly the edges the recognizer ignores. A run of edges with bounce
between them is one *settled* change, which counts from its first edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainer.adapters.pedal.recognizer import Edge, GestureTimings

__all__ = ["EdgeRecord", "WiringCheck", "format_ms"]

# A measurement within this fraction of its limit is "too close": real
# presses vary, and the next one may cross it.
_SAFETY_FRACTION = 0.75


def format_ms(seconds: float) -> str:
    """``0.0123`` -> ``"12.3 ms"``; ``0.812`` -> ``"812 ms"``."""
    ms = seconds * 1000
    return f"{ms:.1f} ms" if abs(ms) < 100 else f"{ms:.0f} ms"


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    """One raw edge as the pedal test lists it."""

    number: int
    pressed: bool
    since_start: float  # seconds since the test started
    delta: float | None  # seconds since the previous edge, None for the first
    is_bounce: bool

    def describe(self) -> str:
        """One aligned line: ``"   1234.5 ms  press    +12.3 ms  bounce"``."""
        what = "press  " if self.pressed else "release"
        delta = "" if self.delta is None else f"+{format_ms(self.delta)}"
        bounce = "  bounce" if self.is_bounce else ""
        return f"{self.since_start * 1000:9.1f} ms  {what}  {delta:>10}{bounce}".rstrip()


class WiringCheck:
    """Collects raw edges and judges the timings against them.

    :param timings: the debounce and long-press settings being checked.
    :param started_at: the monotonic time the test started (edges are shown
        as milliseconds since then).
    """

    def __init__(self, timings: GestureTimings, started_at: float) -> None:
        self.timings = timings
        self.started_at = started_at
        self.edge_count = 0
        self.bounce_count = 0
        self.max_bounce: float | None = None  # the widest gap still counted as bounce
        self.closest_settled: float | None = None  # the narrowest gap not counted as bounce
        self._tap_holds: list[float] = []  # settled press-to-release times under long_press
        self._last: Edge | None = None
        self._run_started_at = started_at  # when the current run of bouncing edges began
        self._settled_pressed = False
        self._pressed_since = started_at

    def add_edge(self, edge: Edge) -> EdgeRecord:
        """Record ``edge`` and return how it should be listed."""
        delta = None if self._last is None else edge.at - self._last.at
        is_bounce = delta is not None and delta < self.timings.debounce
        if delta is not None and is_bounce:
            self.bounce_count += 1
            self.max_bounce = delta if self.max_bounce is None else max(self.max_bounce, delta)
        else:
            if self._last is not None:
                self._settle(self._last.pressed, self._run_started_at)
            if delta is not None:
                self.closest_settled = (
                    delta if self.closest_settled is None else min(self.closest_settled, delta)
                )
            self._run_started_at = edge.at
        self._last = edge
        self.edge_count += 1
        return EdgeRecord(
            number=self.edge_count,
            pressed=edge.pressed,
            since_start=edge.at - self.started_at,
            delta=delta,
            is_bounce=is_bounce,
        )

    def since_start(self, at: float) -> str:
        """``at`` as shown in the lists: milliseconds since the test started."""
        return f"{(at - self.started_at) * 1000:9.1f} ms"

    def summary(self) -> str:
        """The counts: ``"12 edges, 8 of them bounce (closer than 30.0 ms)"``."""
        return (
            f"{self.edge_count} edges, {self.bounce_count} of them bounce "
            f"(closer than {format_ms(self.timings.debounce)})"
        )

    def verdict(self) -> list[str]:
        """A few lines judging the debounce and long-press timings."""
        return [line for line, _ok in self._judgements()]

    @property
    def ok(self) -> bool:
        """``False`` when any line of the :meth:`verdict` suggests a change."""
        return all(ok for _line, ok in self._judgements())

    def tap_holds(self) -> list[float]:
        """How long each settled press that was shorter than the long press was held."""
        holds = list(self._tap_holds)
        # A run of edges is only known to be over when the next run starts;
        # count a trailing release now, so the verdict covers the tap just made.
        if self._last is not None and not self._last.pressed and self._settled_pressed:
            hold = self._run_started_at - self._pressed_since
            if hold < self.timings.long_press:
                holds.append(hold)
        return holds

    # Internals ------------------------------------------------------------

    def _settle(self, pressed: bool, at: float) -> None:
        """A run of edges ended at level ``pressed``; it began at ``at``."""
        if pressed and not self._settled_pressed:
            self._pressed_since = at
        elif not pressed and self._settled_pressed:
            hold = at - self._pressed_since
            if hold < self.timings.long_press:
                self._tap_holds.append(hold)
        self._settled_pressed = pressed

    def _judgements(self) -> list[tuple[str, bool]]:
        if self._last is None:
            return [("No edges yet: press the foot switch.", True)]
        return [*self._judge_debounce(), *self._judge_long_press()]

    def _judge_debounce(self) -> list[tuple[str, bool]]:
        debounce = format_ms(self.timings.debounce)
        judgements = []
        if self.max_bounce is None:
            judgements.append(
                (f"No bounce seen in {self.edge_count} edges, debounce {debounce}: OK", True)
            )
        elif self.max_bounce < self.timings.debounce * _SAFETY_FRACTION:
            judgements.append(
                (f"Bounce seen up to {format_ms(self.max_bounce)}, debounce {debounce}: OK", True)
            )
        else:
            judgements.append(
                (
                    f"Bounce seen up to {format_ms(self.max_bounce)}, debounce {debounce}: "
                    f"too close, try [pedal] debounce = {_suggest(self.max_bounce * 2, 0.2)}",
                    False,
                )
            )
        closest = self.closest_settled
        if closest is not None and closest < 2 * self.timings.debounce:
            judgements.append(
                (
                    f"Two edges {format_ms(closest)} apart counted as separate moves: if the "
                    f"pedal moved only once, try [pedal] debounce = {_suggest(closest * 1.5, 0.2)}",
                    False,
                )
            )
        return judgements

    def _judge_long_press(self) -> list[tuple[str, bool]]:
        holds = self.tap_holds()
        if not holds:
            return []
        longest = max(holds)
        long_press = self.timings.long_press
        line = f"Longest tap held {format_ms(longest)}, long press at {format_ms(long_press)}"
        if longest < long_press * _SAFETY_FRACTION:
            return [(f"{line}: OK", True)]
        return [
            (f"{line}: too close, try [pedal] long_press = {_suggest(longest * 1.5, 10.0)}", False)
        ]


def _suggest(seconds: float, highest: float) -> str:
    """A round setting at least ``seconds``: up to the next 10 ms, at most ``highest``."""
    # Rounded first so that float noise (0.06 as 0.0600000001) does not add 10 ms.
    return f"{min(math.ceil(round(seconds * 100, 6)) / 100, highest):g}"
