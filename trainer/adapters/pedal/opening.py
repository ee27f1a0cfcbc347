"""From settings to a working pedal: :func:`open_pedal` and :class:`PedalConnection`.

:func:`open_pedal` is the one place that decides, from ``settings.mode``,
whether there is a pedal at all:

* ``gpio``: a :class:`GpioPedal` on the configured pin, or
  :class:`PedalUnavailable` saying why not;
* ``auto``: the same, but when it cannot be had (a laptop, CI, a pin in use)
  the trainer runs on the keyboard alone and :attr:`PedalConnection.notice`
  says so, and where the pedal would be, in one line for the screen;
* ``mock``: a :class:`GpioPedal` on a ``MockFactory`` pin plus a
  :class:`~trainer.adapters.pedal.mock.MockFoot` pressed from the keyboard;
* ``none``: keyboard only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trainer.adapters.pedal.gpio import EdgeCallback, GestureCallback, GpioPedal
from trainer.adapters.pedal.mock import MOCK_HELP, MockFoot
from trainer.adapters.pedal.settings import PedalSettings

__all__ = ["PedalConnection", "PedalUnavailable", "open_pedal"]

log = logging.getLogger(__name__)

#: The keys that stand in for the pedal, named in notices.
KEYBOARD_HINT = "use Space/Enter"


class PedalUnavailable(RuntimeError):
    """``--pedal gpio`` was asked for, but the pin cannot be used; the message says why."""


@dataclass
class PedalConnection:
    """What :func:`open_pedal` made: keep it while the app runs, then :meth:`close` it.

    :ivar settings: the settings it was opened with.
    :ivar mode: what is actually running: ``"gpio"``, ``"mock"`` or ``"none"``
        (``"auto"`` resolves to ``"gpio"`` or ``"none"``).
    :ivar pedal: the pedal, or ``None`` when running on the keyboard alone.
    :ivar foot: the simulated foot in ``mock`` mode, else ``None``.
    :ivar notice: one line for the user when the pedal is not the real one
        (keyboard only, or simulated), else ``None``.
    """

    settings: PedalSettings
    mode: str
    pedal: GpioPedal | None = None
    foot: MockFoot | None = None
    notice: str | None = None

    def handle_mock_key(self, key: str) -> bool:
        """In ``mock`` mode, play the pedal move bound to ``key``; ``True`` if it was one.

        Call it first from the app's key handler so ``p`` presses the
        simulated pedal rather than anything else.
        """
        return self.foot is not None and self.foot.press_key(key)

    def close(self) -> None:
        """Stop the simulated foot, then release the pin and the pedal's thread."""
        if self.foot is not None:
            self.foot.close()
        if self.pedal is not None:
            self.pedal.close()


def open_pedal(
    settings: PedalSettings,
    on_gesture: GestureCallback,
    *,
    on_edge: EdgeCallback | None = None,
    pin_factory: Any = None,
    clock: Callable[[], float] = time.monotonic,
) -> PedalConnection:
    """Open the pedal ``settings.mode`` asks for; callbacks as for :class:`GpioPedal`.

    :param pin_factory: for ``gpio`` and ``auto`` only; ``None`` lets gpiozero
        find this machine's GPIO (``mock`` always makes its own ``MockFactory``).
    :raises PedalUnavailable: in ``gpio`` mode, when the pin cannot be used.
    """
    if settings.mode == "none":
        return PedalConnection(
            settings, "none", notice=f"Foot switch off (--pedal none); {KEYBOARD_HINT}."
        )
    if settings.mode == "mock":
        return _open_mock(settings, on_gesture, on_edge=on_edge, clock=clock)
    try:
        pedal = GpioPedal(
            settings, on_gesture, on_edge=on_edge, pin_factory=pin_factory, clock=clock
        )
    except Exception as exc:
        reason = _describe_failure(exc)
        if settings.mode == "gpio":
            raise PedalUnavailable(
                f"cannot use the foot switch ({settings.wiring}): {reason}"
            ) from exc
        log.info("no foot switch: %s", reason)
        return PedalConnection(settings, "none", notice=_fallback_notice(settings, exc, reason))
    return PedalConnection(settings, "gpio", pedal=pedal)


def _open_mock(
    settings: PedalSettings,
    on_gesture: GestureCallback,
    *,
    on_edge: EdgeCallback | None,
    clock: Callable[[], float],
) -> PedalConnection:
    from gpiozero.pins.mock import MockFactory

    pedal = GpioPedal(settings, on_gesture, on_edge=on_edge, pin_factory=MockFactory(), clock=clock)
    foot = MockFoot(pedal.pin, pull_up=settings.pull_up, long_press=settings.long_press)
    notice = f"Simulated foot switch ({settings.wiring}): {MOCK_HELP}."
    return PedalConnection(settings, "mock", pedal=pedal, foot=foot, notice=notice)


def _is_no_gpio(exc: Exception) -> bool:
    from gpiozero.exc import BadPinFactory

    return isinstance(exc, BadPinFactory)


def _describe_failure(exc: Exception) -> str:
    if _is_no_gpio(exc):
        return "no GPIO found on this machine"
    return str(exc) or type(exc).__name__


def _fallback_notice(settings: PedalSettings, exc: Exception, reason: str) -> str:
    if _is_no_gpio(exc):
        return f"No GPIO found: the foot switch ({settings.wiring}) is off; {KEYBOARD_HINT}."
    return f"Foot switch ({settings.wiring}) unavailable: {reason}; {KEYBOARD_HINT}."
