"""Turning a foot switch's raw edges into gestures: tap, long press (and, if wanted, double tap).

:class:`GestureRecognizer` is a pure state machine. It owns no threads and never
reads a clock: it is fed timestamped edges (:meth:`~GestureRecognizer.edge`) and
asked to catch up with time (:meth:`~GestureRecognizer.poll`), and it tells its
owner when it next needs the time (:meth:`~GestureRecognizer.deadline`). That
makes every timing rule below testable to the microsecond without sleeping.

Why a tap is instant, and where "back" went
-------------------------------------------
The person using the trainer has their hands on the floor and their eyes on
their knee: the pedal is their only control, and a pedal that answers a third
of a second late feels broken (they tap again, and skip a step). A double tap
costs every single tap the whole double-tap window, because a tap cannot be
acted on until it is certain no second tap follows. So the shipped default is
``double_tap = 0``: **a tap acts the moment the foot comes up**.

"Back" was the double tap's job. Two ways were weighed:

* act on the first tap and let a quick second tap *undo* it. Every advance
  would then start a moment (its announcement, its clock, a log entry) that a
  second tap retracts a fraction of a second later: the voice would say the
  next exercise and then take it back, and a user who taps twice to get past a
  rest quickly, or a worn switch that bounces past the debounce, would be
  pulled backwards. For someone not looking at the screen that is the most
  confusing thing the pedal could do.
* move "back" into the pause menu. A long press pauses (as before); while
  paused, taps step through spoken choices (resume, back, restart step, skip
  step, end session) and a long press does the one just heard. Rare,
  deliberate actions cost two gestures; the common one, "done / next", costs
  one and is instant. **This is the one the trainer uses** (see
  :mod:`trainer.engine.pausemenu`).

Double tap still works for anyone who sets ``double_tap`` to a window (then
taps wait for it, as the rules below say).

The rules, in the order the signal meets them
---------------------------------------------
Debounce
    A mechanical contact chatters for a few milliseconds when it closes or
    opens. A new press only counts once it has *held* for ``debounce``
    seconds; it then counts from the moment it started (so debouncing delays
    the gesture, never the measured hold). A train of chatter whose edges are
    each closer together than ``debounce`` therefore changes nothing, and
    neither does a short spike of interference on an idle line.

Instant release (``double_tap = 0``)
    A press that has been confirmed has proven it is a foot, so its *first*
    release edge ends it at once: the tap fires on that edge, with no wait.
    For ``debounce`` seconds after it, the contact's release chatter is
    ignored. If the contact closes again inside that window and stays closed,
    it was a dropout rather than a release; the tap has already fired, so the
    rest of that press is *spent* and fires nothing: a bouncing or flaky
    pedal can never advance twice for one press.

Long press
    A press still held ``long_press`` seconds after it started fires
    :attr:`~Gesture.LONG_PRESS` at that moment, while the foot is still down,
    so the user feels it happen. It fires once: a pedal held for ten minutes
    (stuck, or a foot resting on it) gives one long press and then nothing
    until it is released; the next press after that is a fresh gesture.

Tap and double tap (``double_tap > 0``)
    A press released before ``long_press`` is a tap. The release must hold
    for ``debounce`` (a brief dropout while held does not split a press), and
    then the recognizer waits ``double_tap`` seconds after the release:
    a second press starting inside that window fires
    :attr:`~Gesture.DOUBLE_TAP` straight away (when it goes *down*, not when
    it comes up, and however long it is then held); if the window closes
    with no second press, :attr:`~Gesture.TAP` fires then. So with double tap
    on, a single tap costs ``double_tap`` seconds of latency.

A pedal already held when the recognizer starts (see :meth:`reset`) is treated
like a stuck one: nothing fires until it is released.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from trainer.engine.vocabulary import Gesture

__all__ = ["DEFAULT_TIMINGS", "Edge", "GestureRecognizer", "GestureTimings"]


@dataclass(frozen=True, slots=True)
class Edge:
    """One raw change of the foot switch: ``pressed`` or released, ``at`` a monotonic time."""

    pressed: bool
    at: float


@dataclass(frozen=True, slots=True)
class GestureTimings:
    """The three durations (seconds) that shape the gestures; see the module docstring.

    :param debounce: how long a new level must hold before it counts.
    :param long_press: how long a press must be held to fire a long press.
    :param double_tap: how long after a tap's release a second press still
        makes a double tap; ``0`` (the default) turns double tap off and makes
        taps instant.
    """

    debounce: float = 0.03
    long_press: float = 0.8
    double_tap: float = 0.0

    @property
    def double_tap_enabled(self) -> bool:
        return self.double_tap > 0


DEFAULT_TIMINGS = GestureTimings()


class _Phase(Enum):
    IDLE = auto()  # released, nothing pending
    DOWN = auto()  # first press held; becomes a long press if held long enough
    TAP_PENDING = auto()  # a tap was released; waiting out the double-tap window
    SPENT = auto()  # held after its gesture already fired: wait for release


class GestureRecognizer:
    """Recognises tap, double tap and long press from a pedal's raw edges.

    Feed it every raw edge, in order, with :meth:`edge`; call :meth:`poll` no
    later than :meth:`deadline` (and as often as you like besides). Both
    return the gestures that became due, oldest first. Times are seconds on
    any monotonic clock; a time earlier than one already seen is taken as
    "now" so a late callback cannot make time run backwards.

    >>> r = GestureRecognizer(GestureTimings(debounce=0.03, long_press=0.8, double_tap=0))
    >>> r.edge(True, 10.0), r.edge(False, 10.2), r.poll(10.3)
    ([], [<Gesture.TAP: 'tap'>], [])

    :param timings: the durations to use (:data:`DEFAULT_TIMINGS` by default).
    :param pressed: whether the pedal is already down at ``now``.
    :param now: the time the recognizer starts at.
    """

    def __init__(
        self,
        timings: GestureTimings = DEFAULT_TIMINGS,
        *,
        pressed: bool = False,
        now: float = 0.0,
    ) -> None:
        self.timings = timings
        self.reset(pressed=pressed, now=now)

    def reset(self, *, pressed: bool = False, now: float = 0.0) -> None:
        """Forget everything; the pedal is ``pressed`` (or not) as of ``now``.

        A pedal that is down at the start was not seen going down, so it is
        treated as stuck: it fires nothing until it has been released.
        """
        self._now = now
        self._raw = pressed  # the level of the last edge, chatter and all
        self._raw_since = now  # when that level began
        self._stable = pressed  # the debounced level
        self._phase = _Phase.SPENT if pressed else _Phase.IDLE
        self._down_at = now  # when the current press (debounced) began
        self._up_at = now  # when the last tap (debounced) was released
        self._instant_release_at: float | None = None  # the edge an instant tap fired on

    @property
    def is_pressed(self) -> bool:
        """The debounced state of the pedal: ``True`` while it is (confirmed) down."""
        return self._stable

    def edge(self, pressed: bool, at: float) -> list[Gesture]:
        """Report that the raw level became ``pressed`` (or released) at time ``at``.

        Returns the gestures that fell due before this edge. An edge that
        repeats the current level (a missed edge in between) is ignored.
        """
        at = max(at, self._now)
        fired = self.poll(at)
        if pressed == self._raw:
            return fired
        self._raw = pressed
        self._raw_since = at
        instant = not self.timings.double_tap_enabled
        if instant and not pressed and self._stable and self._phase is _Phase.DOWN:
            # A confirmed press's first release: the tap is certain now.
            self._stable = False
            self._phase = _Phase.IDLE
            self._instant_release_at = at
            fired.append(Gesture.TAP)
        return fired

    def poll(self, now: float) -> list[Gesture]:
        """Catch up with time ``now``: return every gesture due by then, oldest first."""
        fired: list[Gesture] = []
        while (due := self.deadline()) is not None and due <= now:
            self._now = max(self._now, due)
            gesture = self._fire_due_event()
            if gesture is not None:
                fired.append(gesture)
        self._now = max(self._now, now)
        return fired

    def deadline(self) -> float | None:
        """The time by which :meth:`poll` must next be called, or ``None`` if nothing is pending.

        While a new level is still settling, only its settling matters: a
        timer that depends on the level (the long press needs the pedal down,
        the double-tap window needs it up) waits until the level is known.
        """
        if self._raw != self._stable:
            return self._raw_since + self.timings.debounce
        if self._phase is _Phase.DOWN:
            return self._down_at + self.timings.long_press
        if self._phase is _Phase.TAP_PENDING:
            return self._up_at + self.timings.double_tap
        return None

    # Internals ------------------------------------------------------------

    def _fire_due_event(self) -> Gesture | None:
        if self._raw != self._stable:
            # The new level has held for the whole debounce window: it counts,
            # and it counts from when it began.
            self._stable = self._raw
            if self._stable:
                return self._on_press(self._raw_since)
            return self._on_release(self._raw_since)
        if self._phase is _Phase.DOWN:
            self._phase = _Phase.SPENT
            return Gesture.LONG_PRESS
        if self._phase is _Phase.TAP_PENDING:
            self._phase = _Phase.IDLE
            return Gesture.TAP
        raise AssertionError(f"no event is due in phase {self._phase}")  # pragma: no cover

    def _on_press(self, at: float) -> Gesture | None:
        released = self._instant_release_at
        self._instant_release_at = None
        if released is not None and at - released < self.timings.debounce:
            # The contact closed again inside the release's chatter window and
            # stayed closed: a dropout, not a new press. Its tap already fired.
            self._phase = _Phase.SPENT
            return None
        if self._phase is _Phase.TAP_PENDING:
            # deadline() kept the window open while this press settled, so it
            # began inside the window: the second half of a double tap.
            self._phase = _Phase.SPENT
            return Gesture.DOUBLE_TAP
        self._phase = _Phase.DOWN
        self._down_at = at
        return None

    def _on_release(self, at: float) -> Gesture | None:
        if self._phase is not _Phase.DOWN:
            # A long press, a double tap or a pedal held at start: already spent.
            self._phase = _Phase.IDLE
            return None
        if self.timings.double_tap_enabled:
            self._phase = _Phase.TAP_PENDING
            self._up_at = at
            return None
        self._phase = _Phase.IDLE
        return Gesture.TAP
