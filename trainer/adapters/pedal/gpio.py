"""A foot switch on a GPIO pin: :class:`GpioPedal`.

gpiozero's :class:`~gpiozero.Button` watches the pin and calls
``when_pressed`` / ``when_released`` on a thread of its own (lgpio's callback
thread on a Pi 5 running Bookworm; the caller's thread for a mock pin).
:class:`GpioPedal` timestamps those edges, feeds them to a
:class:`~trainer.adapters.pedal.recognizer.GestureRecognizer` under a lock, and
runs one worker thread that wakes at the recognizer's deadlines (to fire long
presses and close double-tap windows) and delivers every result.

All callbacks are made from that one worker thread, in the order things
happened, and never while the lock is held; so a slow callback delays later
gestures but cannot lose them, and a callback may call :meth:`GpioPedal.close`.
A callback must not touch a user interface directly: see
:mod:`trainer.ui.pedal_bridge` for handing them to Textual.

gpiozero is imported when a pedal is made, not when this module is, so
commands that never use the pedal do not pay for it, and nothing here imports
a Raspberry Pi-only module: gpiozero picks its pin factory (lgpio, RPi.GPIO,
...) itself, or is handed one, such as
:class:`gpiozero.pins.mock.MockFactory` in tests.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable
from typing import Any

from trainer.adapters.pedal.recognizer import Edge, GestureRecognizer
from trainer.adapters.pedal.settings import PedalSettings
from trainer.engine.vocabulary import Gesture

__all__ = ["EdgeCallback", "GestureCallback", "GpioPedal"]

log = logging.getLogger(__name__)

GestureCallback = Callable[[Gesture], None]
EdgeCallback = Callable[[Edge], None]

# See the Button(...) call.
_BUTTON_HOLD_TIME = 0.05

# How long close() waits for the worker to finish a callback in progress.
_CLOSE_TIMEOUT = 5.0


class GpioPedal:
    """A foot switch on a GPIO pin that reports gestures to ``on_gesture``.

    :param settings: the pin, pull and timings (``settings.mode`` is ignored).
    :param on_gesture: called with each :class:`Gesture`, from the worker thread.
    :param on_edge: if given, also called with every raw :class:`Edge`
        (chatter included) from the worker thread, before any gesture that
        edge leads to; for wiring checks.
    :param pin_factory: a gpiozero pin factory; ``None`` lets gpiozero choose.
    :param clock: the monotonic clock edges are timestamped with. Tests pass
        a fake one and call :meth:`wake` after moving it.
    :raises gpiozero.GPIOZeroError: (or another error from the pin factory)
        when the pin cannot be had; :func:`~trainer.adapters.pedal.open_pedal`
        turns that into a notice or a clear error.
    """

    def __init__(
        self,
        settings: PedalSettings,
        on_gesture: GestureCallback,
        *,
        on_edge: EdgeCallback | None = None,
        pin_factory: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        from gpiozero import Button
        from gpiozero.exc import PinFactoryFallback

        self.settings = settings
        self._on_gesture = on_gesture
        self._on_edge = on_edge
        self._clock = clock
        self._cond = threading.Condition()
        self._outbox: deque[Gesture | Edge] = deque()
        self._closed = False
        with warnings.catch_warnings():
            # gpiozero warns once per factory it tries and fails on the way to
            # one that works; on a terminal UI those warnings are just noise.
            warnings.simplefilter("ignore", PinFactoryFallback)
            self._button = Button(
                settings.pin,
                pull_up=settings.pull_up,
                bounce_time=settings.bounce,
                # Button's own hold timer is unused (the recognizer times long
                # presses), but while the pedal is down its thread sleeps
                # hold_time and close() waits for it; keep that wait short.
                hold_time=_BUTTON_HOLD_TIME,
                pin_factory=pin_factory,
            )
        try:
            # Holding the lock while the callbacks are attached makes an edge
            # that arrives meanwhile wait for the recognizer, which starts from
            # the level read under the same lock, so nothing is half-seen.
            with self._cond:
                self._button.when_pressed = self._pressed
                self._button.when_released = self._released
                self._recognizer = GestureRecognizer(
                    settings.timings, pressed=self._button.is_pressed, now=clock()
                )
            self._worker = threading.Thread(
                target=self._run, name=f"trainer-pedal-gpio{settings.pin}", daemon=True
            )
            self._worker.start()
        except BaseException:
            self._button.close()
            raise

    # Public API -----------------------------------------------------------

    @property
    def is_pressed(self) -> bool:
        """Whether the pedal is down, debounced."""
        with self._cond:
            return self._recognizer.is_pressed

    @property
    def pin_is_high(self) -> bool:
        """The raw electrical level of the pin: high is released with a pull-up."""
        return bool(self._button.pin.state)

    @property
    def pin(self) -> Any:
        """gpiozero's pin object (a ``MockPin`` under ``MockFactory``)."""
        return self._button.pin

    @property
    def factory_name(self) -> str:
        """The pin factory in use, e.g. ``"LGPIOFactory"`` or ``"MockFactory"``."""
        return type(self._button.pin_factory).__name__

    def wake(self) -> None:
        """Make the worker look at the clock now (needed only with a fake clock)."""
        with self._cond:
            self._cond.notify_all()

    def close(self) -> None:
        """Release the pin and stop the worker thread; pending gestures are dropped.

        Safe to call more than once and from a callback.
        """
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._outbox.clear()
            self._cond.notify_all()
        self._button.when_pressed = None
        self._button.when_released = None
        self._button.close()
        if threading.current_thread() is not self._worker:
            self._worker.join(_CLOSE_TIMEOUT)

    def __enter__(self) -> GpioPedal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<GpioPedal {self.settings.wiring} via {self.factory_name}>"

    # gpiozero's thread ------------------------------------------------------

    def _pressed(self) -> None:
        self._edge(True)

    def _released(self) -> None:
        self._edge(False)

    def _edge(self, pressed: bool) -> None:
        with self._cond:
            if self._closed:
                return
            # Stamped here rather than with the factory's ticks: lgpio's ticks
            # are not time.monotonic(), and the deadlines must share one clock.
            now = self._clock()
            self._outbox.extend(self._recognizer.edge(pressed, now))
            if self._on_edge is not None:
                self._outbox.append(Edge(pressed, now))
            self._cond.notify_all()

    # The worker thread ----------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                batch = self._wait_for_work()
                if batch is None:
                    return
            for item in batch:
                self._deliver(item)

    def _wait_for_work(self) -> list[Gesture | Edge] | None:
        """Sleep until there is something to deliver (``None`` once closed). Lock held."""
        while not self._outbox:
            if self._closed:
                return None
            due = self._recognizer.deadline()
            now = self._clock()
            if due is None:
                self._cond.wait()
            elif due <= now:
                self._outbox.extend(self._recognizer.poll(now))
            else:
                self._cond.wait(due - now)
        if self._closed:
            return None
        batch = list(self._outbox)
        self._outbox.clear()
        return batch

    def _deliver(self, item: Gesture | Edge) -> None:
        try:
            if isinstance(item, Edge):
                if self._on_edge is not None:
                    self._on_edge(item)
            else:
                self._on_gesture(item)
        except Exception:
            # One failing callback must not stop the pedal for the session.
            log.exception("pedal callback failed for %r", item)
