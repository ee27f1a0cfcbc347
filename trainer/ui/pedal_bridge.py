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
from typing import Any

from textual.app import App
from textual.message import Message

from trainer.adapters.pedal.recognizer import Edge
from trainer.engine.vocabulary import Gesture

__all__ = ["PedalBridge", "PedalGestureMessage", "RawEdge"]


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


class RawEdge(Message, bubble=False):
    """The pedal's pin changed (chatter included); handled by ``on_raw_edge``.

    Only the pedal test shows them; it does not bubble, so a screen that does
    not handle it ignores it.

    :ivar edge: the :class:`~trainer.adapters.pedal.Edge`, stamped with the pedal's clock.
    """

    def __init__(self, edge: Edge) -> None:
        super().__init__()
        self.edge = edge


class PedalBridge:
    """Pedal callbacks that post messages to ``app``; safe to call from any thread.

    :ivar posted: how many messages were queued for the app.
    :ivar dropped: how many were not, because the app was not running
        (starting up or shutting down).
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._count_lock = threading.Lock()
        self.posted = 0
        self.dropped = 0

    def post_gesture(self, gesture: Gesture) -> None:
        """Deliver ``gesture`` to the app as a :class:`PedalGestureMessage`."""
        self._post(PedalGestureMessage(gesture))

    def post_edge(self, edge: Edge) -> None:
        """Deliver a raw ``edge`` to the app as a :class:`RawEdge`."""
        self._post(RawEdge(edge))

    def _post(self, message: Message) -> None:
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
