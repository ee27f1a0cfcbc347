"""The live wiring check behind ``trainer pedal-test``.

:class:`PedalTestScreen` lists, as they happen:

* the pin, its pull resistor and its level right now (or why there is no pin);
* every raw edge, in milliseconds since the test started and since the
  previous edge, with bounce (edges closer than the debounce window) marked;
* the gestures the recognizer made of them;
* the name of every key received, and what it means in the trainer: press a
  USB foot pedal here to learn the name to put in the ``[keys]`` config section;
* a verdict on the debounce and long-press timings (see
  :class:`~trainer.adapters.pedal.WiringCheck`).

:class:`PedalTestApp` hosts it on its own for ``trainer pedal-test``; quit with
``q`` or ``ctrl+c`` (so a USB pedal that types ``q`` ends the test: it could not
work as a pedal key anyway, since ``q`` quits the trainer too).

**Hosting the screen in another app** (the kiosk's admin menu): push
``PedalTestScreen(settings, keymap, leave_exits_app=False)``; ``q`` then pops
it. The screen names keys by itself and keeps them from the app underneath,
but it only sees the pedal if the host feeds it: :meth:`~PedalTestScreen.attach`
the :class:`~trainer.adapters.pedal.PedalConnection` (for the pin line and the
mock keys), and post it what every trainer screen gets: a
:class:`~trainer.ui.screens.base.UserInput` for each gesture, and each
:class:`~trainer.ui.pedal_bridge.RawEdges` batches (the pedal's ``on_edge``
callback going through a :class:`~trainer.ui.pedal_bridge.PedalBridge`, which only
keeps edges while this screen says it is :class:`PedalTestScreen.Showing`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Log, Static

from trainer.adapters.pedal import (
    MOCK_KEYS,
    Edge,
    KeyMap,
    PedalConnection,
    PedalSettings,
    PedalUnavailable,
    WiringCheck,
)
from trainer.adapters.pedal.diagnostics import format_ms
from trainer.core.actions import Action
from trainer.core.adapters import AdapterFactories
from trainer.engine.vocabulary import Gesture
from trainer.ui.pedal_bridge import EdgesWaiting, PedalBridge, PedalGestureMessage, RawEdges
from trainer.ui.screens.base import InputScreen, UserInput

__all__ = ["PedalTestApp", "PedalTestScreen"]

#: The keys that end the test; they are not listed as pedal keys.
QUIT_KEYS = ("q", "ctrl+c")

# Edge lists can grow without end on a chattering line; keep the tail.
_MAX_LOG_LINES = 2000

# How often the pin level is re-read, so a pin that changes without an edge
# callback (a broken interrupt) still shows the truth.
_PIN_REFRESH_SECONDS = 0.25


class _PassiveLog(Log, can_focus=False):
    """A log that never takes focus, so keys it would scroll with (PageDown,
    arrows: what USB pedals often type) reach the pedal test instead."""


class PedalTestScreen(InputScreen, Screen[None]):
    """Shows a pedal's raw edges, gestures, keys and a timing verdict.

    It shows the gestures it is posted as :class:`UserInput`, the raw edges
    posted as :class:`RawEdges`, and every key pressed while it is up.

    :param settings: the settings under test (for the timings and wiring).
    :param keymap: what each key means, to show beside key names.
    :param started_at: the monotonic time edges are measured from.
    """

    CSS_PATH = "pedal_test.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "leave", "Quit")]

    def __init__(
        self,
        settings: PedalSettings,
        keymap: KeyMap,
        *,
        started_at: float | None = None,
        leave_exits_app: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.keymap = keymap
        self.leave_exits_app = leave_exits_app
        self.check = WiringCheck(
            settings.timings, time.monotonic() if started_at is None else started_at
        )
        self.connection: PedalConnection | None = None
        self.gestures: list[Gesture] = []
        self.keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        # markup=False throughout: notices and verdicts quote "[pedal]" and
        # "[keys]", which Textual would otherwise read as style tags.
        yield Static(id="pin", markup=False)
        yield Static(self._describe_timings(), id="timings", markup=False)
        with Horizontal(id="panes"):
            with Vertical(id="edges-pane"):
                yield Label("Raw edges  (ms since start, since previous)", classes="pane-title")
                yield _PassiveLog(id="edges", max_lines=_MAX_LOG_LINES)
            with Vertical(id="side-pane"):
                yield Label("Gestures", classes="pane-title")
                yield _PassiveLog(id="gestures", max_lines=_MAX_LOG_LINES)
                yield Label(
                    "Keys received  (bind them under [keys])", classes="pane-title", markup=False
                )
                yield _PassiveLog(id="keys", max_lines=_MAX_LOG_LINES)
        yield Static(id="verdict", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_pin()
        self._show_verdict()
        self.set_interval(_PIN_REFRESH_SECONDS, self._show_pin)

    def on_key(self, event: events.Key) -> None:
        # Key handlers run before bindings, and nothing here can take focus,
        # so every key (Tab and PageDown included) arrives here first.
        if event.key in QUIT_KEYS:
            return  # left to the bindings
        event.stop()  # a key under test must not also act on the app underneath
        if self.connection is not None:
            self.connection.handle_mock_key(event.key)
        self.show_key(event.key)

    def action_leave(self) -> None:
        """``q``: end the test (the whole app when it is ``trainer pedal-test``)."""
        if self.leave_exits_app:
            self.app.exit()
        else:
            self.dismiss()

    def take(self, action: Action) -> None:
        if action.gesture is not None and action.key is None:
            self.show_gesture(action.gesture, action.at)

    class Showing(Message):
        """The pedal test came to the top (``showing``) or left it: raw edges are
        wanted only meanwhile (the app tells its :class:`PedalBridge`)."""

        def __init__(self, showing: bool) -> None:
            super().__init__()
            self.showing = showing

    def on_screen_resume(self) -> None:
        self.post_message(self.Showing(True))

    def on_screen_suspend(self) -> None:
        self.post_message(self.Showing(False))

    def on_unmount(self) -> None:
        self.post_message(self.Showing(False))

    def on_raw_edges(self, message: RawEdges) -> None:
        self.show_edges(message.edges)

    def attach(self, connection: PedalConnection) -> None:
        """Show ``connection``'s pin (or notice) from now on."""
        self.connection = connection
        if self.is_mounted:
            self._show_pin()

    def show_edge(self, edge: Edge) -> None:
        """List a raw edge and update the bounce statistics and verdict."""
        self.show_edges([edge])

    def show_edges(self, edges: Sequence[Edge]) -> None:
        """List raw edges (a burst of chatter arrives as one batch) and update the
        statistics and verdict once."""
        if not edges:
            return
        records = [self.check.add_edge(edge) for edge in edges]
        lines = [f"{record.number:5}  {record.describe()}" for record in records]
        self.query_one("#edges", Log).write_lines(lines[-_MAX_LOG_LINES:])
        self._show_pin()
        self._show_verdict()

    def show_gesture(self, gesture: Gesture, at: float) -> None:
        """List a recognised gesture."""
        self.gestures.append(gesture)
        line = f"{self.check.since_start(at)}  {gesture.value.replace('_', ' ')}"
        self.query_one("#gestures", Log).write_line(line)
        self._show_verdict()

    def show_key(self, key: str) -> None:
        """List a key name and what it means here."""
        self.keys.append(key)
        self.query_one("#keys", Log).write_line(f"{key:<14} {self._describe_key(key)}")

    # Internals ------------------------------------------------------------

    def _describe_key(self, key: str) -> str:
        if self.connection is not None and self.connection.foot is not None and key in MOCK_KEYS:
            return f"-> simulated {MOCK_KEYS[key].replace('_', ' ')}"
        action = self.keymap.lookup(key)
        if action is None:
            return "(not bound)"
        kind = "gesture" if isinstance(action, Gesture) else "command"
        return f"-> {action.value.replace('_', ' ')} ({kind})"

    def _describe_timings(self) -> str:
        s = self.settings
        double = format_ms(s.double_tap) if s.double_tap else "off (taps are instant)"
        bounce = format_ms(s.bounce) if s.bounce else "off"
        return (
            f"debounce {format_ms(s.debounce)} · long press {format_ms(s.long_press)} · "
            f"double-tap window {double} · gpiozero bounce {bounce}"
        )

    def _show_pin(self) -> None:
        connection = self.connection
        if connection is None:
            text = f"Opening the foot switch ({self.settings.wiring})..."
        elif connection.pedal is None:
            text = connection.notice or "No foot switch: keys only."
        else:
            pedal = connection.pedal
            pull = "pull-up" if self.settings.pull_up else "pull-down"
            level = "HIGH" if pedal.pin_is_high else "LOW"
            state = "pressed" if pedal.is_pressed else "released"
            text = (
                f"Foot switch {self.settings.wiring}, {pull}, via {pedal.factory_name}: "
                f"pin {level}, {state}"
            )
            if connection.notice:
                text = f"{text}\n{connection.notice}"
        self.query_one("#pin", Static).update(text)

    def _show_verdict(self) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update("\n".join([self.check.summary(), *self.check.verdict()]))
        verdict.set_class(not self.check.ok, "warning")


class PedalTestApp(App[None]):
    """A tiny app that runs :class:`PedalTestScreen` against the configured pedal.

    :param settings: which pedal to open (``--pedal mock`` works without hardware).
    :param keymap: the key map, to name what each key means.
    :param factories: how the pedal is opened (tests may pass their own).
    """

    TITLE = "trainer pedal-test"
    # The command palette would take ctrl+p, and every key should be testable.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        settings: PedalSettings,
        keymap: KeyMap | None = None,
        *,
        factories: AdapterFactories | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.keymap = keymap or KeyMap()
        self.factories = factories or AdapterFactories()
        self.bridge = PedalBridge(self, raw_edges_wanted=True)  # the test is all there is
        self.connection: PedalConnection | None = None
        self.test_screen = PedalTestScreen(settings, self.keymap)

    async def on_mount(self) -> None:
        await self.push_screen(self.test_screen)  # composed before anything is shown on it
        try:
            self.connection = self.factories.open_pedal(
                self.settings, self.bridge.post_gesture, self.bridge.post_edge
            )
        except PedalUnavailable as exc:
            self.exit(return_code=1, message=f"trainer pedal-test: {exc}")
            return
        self.test_screen.attach(self.connection)

    def on_unmount(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def on_edges_waiting(self, message: EdgesWaiting) -> None:
        edges = message.take()
        if edges:
            self.test_screen.post_message(RawEdges(edges))

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        self.test_screen.post_message(UserInput(Action(message.gesture, at=message.at)))
