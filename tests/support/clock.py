"""The one fake clock of the test suite."""

from __future__ import annotations

import threading


class FakeClock:
    """A monotonic clock that only moves when told to; safe to read from any thread.

    Call it for the time; :meth:`advance` moves it (and returns the new time).
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    @property
    def now(self) -> float:
        return self()

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now
