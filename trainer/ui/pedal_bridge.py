"""Handing pedal gestures to a Textual app, safely across threads.

A pedal calls back on its own worker thread, and Textual widgets must only be
touched from the app's event loop. The bridge's callbacks therefore do one
thing: post a :class:`~textual.message.Message` to the app with
:meth:`App.post_message <textual.message_pump.MessagePump.post_message>`,
which is thread-safe and never blocks (unlike ``call_from_thread``, which would
stall the pedal's thread until the app got round to it, and deadlock if the
app were waiting for the pedal to close). The app then handles the message on
its own loop like any other event.

How the trainer uses it: :class:`~trainer.ui.app.TrainerApp` gives the
application core a bridge's :meth:`PedalBridge.post_gesture` and
:meth:`PedalBridge.post_edge` as the pedal's callbacks (the core opens the
pedal, see :class:`~trainer.core.adapters.AdapterFactories`); its
``on_pedal_gesture_message`` turns each gesture into an
:class:`~trainer.core.actions.Action` and posts it to the active screen, exactly
as it does for a key.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from textual.app import App
from textual.message import Message

from trainer.adapters.pedal.recognizer import Edge
from trainer.engine.vocabulary import Gesture

__all__ = ["EdgesWaiting", "PedalBridge", "PedalGestureMessage", "RawEdges"]


class PedalGestureMessage(Message):
    """The pedal made a gesture; handled by ``on_pedal_gesture_message``.

    An app may post one itself, for instance for a key that stands in for
    the pedal, so that both reach the same handler.

    :ivar gesture: the :class:`~trainer.engine.vocabulary.Gesture`.
    :ivar at: when it was recognised, in :func:`time.monotonic` seconds
        (now, if not given).
    """

    def __init__(self, gesture: Gesture, at: float | None = None) -> None:
        super().__init__()
        self.gesture = gesture
        self.at = time.monotonic() if at is None else at

    def __repr__(self) -> str:
        return f"PedalGestureMessage({self.gesture!r}, at={self.at:.3f})"


class RawEdges(Message, bubble=False):
    """A batch of the pedal's raw pin changes (chatter included); handled by
    ``on_raw_edges``. The app posts it to the pedal test screen, the only one that
    shows them; it does not bubble, so a screen that does not handle it ignores it.

    :ivar edges: the :class:`~trainer.adapters.pedal.Edge` s, oldest first, each
        stamped with the pedal's clock.
    """

    def __init__(self, edges: Sequence[Edge]) -> None:
        super().__init__()
        self.edges = list(edges)


class EdgesWaiting(Message):
    """Raw edges wait in the bridge: take them all with :meth:`take` (``on_edges_waiting``).

    A chattering switch makes thousands of edges a second; one message stands
    for every edge that arrives until it is handled, so the app's queue never
    holds more than one (50,000 chatter edges were once 50,000 messages).
    """

    def __init__(self, bridge: PedalBridge) -> None:
        super().__init__()
        self.bridge = bridge

    def take(self) -> list[Edge]:
        return self.bridge.take_edges()


class PedalBridge:
    """Pedal callbacks that post messages to ``app``; safe to call from any thread.

    Raw edges are only of use to the pedal test: they are dropped at once unless
    :attr:`raw_edges_wanted` (the app sets it while the pedal test is on screen),
    and then coalesced (see :class:`EdgesWaiting`), keeping at most
    :attr:`MAX_WAITING_EDGES`, the newest.

    :ivar posted: how many messages were queued for the app.
    :ivar dropped: how many were not, because the app was not running
        (starting up or shutting down).
    :ivar edges_ignored: raw edges dropped because nobody wanted them.
    :ivar edges_overflowed: raw edges dropped because too many were waiting.
    """

    MAX_WAITING_EDGES = 10_000

    def __init__(self, app: App[Any], *, raw_edges_wanted: bool = False) -> None:
        self._app = app
        self._count_lock = threading.Lock()
        self.posted = 0
        self.dropped = 0
        self.raw_edges_wanted = raw_edges_wanted
        self._edges: deque[Edge] = deque(maxlen=self.MAX_WAITING_EDGES)
        self._edges_announced = False  # an EdgesWaiting message is on its way
        self._edge_lock = threading.Lock()
        self.edges_ignored = 0
        self.edges_overflowed = 0

    def post_gesture(self, gesture: Gesture) -> None:
        """Deliver ``gesture`` to the app as a :class:`PedalGestureMessage`."""
        self._post(PedalGestureMessage(gesture))

    def post_edge(self, edge: Edge) -> None:
        """Keep a raw ``edge`` for the app (announced by one :class:`EdgesWaiting`), or
        drop it when the pedal test is not showing."""
        if not self.raw_edges_wanted:
            self.edges_ignored += 1
            return
        with self._edge_lock:
            if len(self._edges) == self.MAX_WAITING_EDGES:
                self.edges_overflowed += 1
            self._edges.append(edge)
            if self._edges_announced:
                return
            self._edges_announced = True
        if not self._post(EdgesWaiting(self)):
            with self._edge_lock:
                self._edges_announced = False

    def take_edges(self) -> list[Edge]:
        """Every raw edge waiting, oldest first; the next edge is announced afresh."""
        with self._edge_lock:
            edges = list(self._edges)
            self._edges.clear()
            self._edges_announced = False
        return edges

    def _post(self, message: Message) -> bool:
        try:
            # Before the app runs there is no event loop to hand over to, and
            # its queue must not be touched from another thread.
            queued = self._app.is_running and self._app.post_message(message)
        except RuntimeError:
            # The app's event loop closed between post_message's own check and
            # the hand-over: the app is gone, and so is anyone to tell.
            queued = False
        with self._count_lock:
            if queued:
                self.posted += 1
            else:
                self.dropped += 1
        return bool(queued)
