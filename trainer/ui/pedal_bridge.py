"""Handing pedal gestures to a Textual app, safely across threads.

A pedal calls back on its own worker thread, and Textual widgets must only be
touched from the app's event loop. The bridge's callbacks therefore do one
thing: post a :class:`~textual.message.Message` to the app with
:meth:`App.post_message <textual.message_pump.MessagePump.post_message>`,
which is thread-safe and never blocks (unlike ``call_from_thread``, which would
stall the pedal's thread until the app got round to it, and deadlock if the
app were waiting for the pedal to close). The app then handles the message on
its own loop like any other event.

Use it from an app like this::

    from trainer.ui.pedal_bridge import PedalGestureMessage, connect_pedal

    class TrainerApp(App):
        def on_mount(self) -> None:
            # After mount, so the event loop is running when the first gesture comes.
            self.pedal = connect_pedal(self, self.pedal_settings)
            if self.pedal.notice:
                self.notify(self.pedal.notice)

        def on_unmount(self) -> None:
            self.pedal.close()

        def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
            ...  # message.gesture is a Gesture; update widgets freely here

        def on_key(self, event: events.Key) -> None:
            if self.pedal.handle_mock_key(event.key):  # --pedal mock: 'p' taps
                return
            action = self.keymap.lookup(event.key)  # a Gesture, a Command or None
            ...

Messages go to the app itself (they do not reach screens on their own); an
app that wants a screen to react can forward them or call the screen.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from textual.app import App
from textual.message import Message

from trainer.adapters.pedal.opening import PedalConnection, open_pedal
from trainer.adapters.pedal.recognizer import Edge
from trainer.adapters.pedal.settings import PedalSettings
from trainer.engine.vocabulary import Gesture

__all__ = ["PedalBridge", "PedalGestureMessage", "RawEdge", "connect_pedal"]


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


class RawEdge(Message):
    """The pedal's pin changed (chatter included); handled by ``on_raw_edge``.

    Only posted when asked for (``raw_edges=True``), for wiring checks.

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


def connect_pedal(
    app: App[Any],
    settings: PedalSettings,
    *,
    raw_edges: bool = False,
    pin_factory: Any = None,
) -> PedalConnection:
    """Open the pedal ``settings`` describe and post its gestures to ``app``.

    Call it once the app is running (in ``on_mount``) and :meth:`close
    <trainer.adapters.pedal.PedalConnection.close>` the result in
    ``on_unmount``. With ``raw_edges=True`` every pin edge is posted too, as
    a :class:`RawEdge`.

    :raises trainer.adapters.pedal.PedalUnavailable: in ``gpio`` mode, when the
        pin cannot be used (``auto`` mode falls back to keyboard-only instead,
        see ``PedalConnection.notice``).
    """
    bridge = PedalBridge(app)
    return open_pedal(
        settings,
        bridge.post_gesture,
        on_edge=bridge.post_edge if raw_edges else None,
        pin_factory=pin_factory,
    )
