"""The trainer's Textual app: picker -> session -> summary, driven by pedal or keys.

The app only shows screens; :class:`~trainer.core.TrainerCore` does the rest
(adapters, routines, sessions, history, the kiosk's rules). Input takes one
path whatever its source: a pedal gesture (posted from the pedal's thread by
the :class:`~trainer.ui.pedal_bridge.PedalBridge`) and a key alike become an
:class:`~trainer.core.actions.Action`, posted to the active screen as a
:class:`~trainer.ui.screens.base.UserInput`.

:class:`TrainerApp` is for a person at home; :class:`~trainer.ui.kiosk.KioskApp`
is the same app made unattended.
"""

from __future__ import annotations

import gc

from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, Static

from trainer.adapters.store.resume import ResumeOffer
from trainer.adapters.systemd_notify import SystemdNotifier
from trainer.core.actions import Action
from trainer.core.adapters import AdapterFactories
from trainer.core.flow import PedalCallbacks, TrainerCore
from trainer.core.kiosk import Idleness
from trainer.core.settings import AppSettings
from trainer.routine.catalog import LoadedRoutine
from trainer.ui.pedal_bridge import EdgesWaiting, PedalBridge, PedalGestureMessage, RawEdges
from trainer.ui.screens.base import CueUnheard, InputScreen, UserInput
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.pedal_test import PedalTestScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.prompts import ResumeChoice, ResumePrompt
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen

#: Readable from two metres: white on black, yellow accents, no subtle greys.
HIGH_CONTRAST = Theme(
    name="trainer-high-contrast",
    primary="#0050c8",
    secondary="#ffd700",
    accent="#ffd700",
    warning="#ffb000",
    error="#ff4040",
    success="#40e040",
    foreground="#ffffff",
    background="#000000",
    surface="#101010",
    panel="#202040",
    dark=True,
)


class BaseScreen(InputScreen, Screen[None]):
    """The bottom of the screen stack, under the picker; never seen for long."""

    def compose(self) -> ComposeResult:
        yield Static("")

    def idleness(self) -> Idleness:
        return Idleness.LOST  # a kiosk left here (the picker gone) resets at once


class TrainerApp(App[int]):
    """The guided-session trainer.

    :param factories: how the core opens its adapters (tests pass fakes).
    """

    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False  # hands-free: nothing to type into
    KIOSK = False

    def __init__(
        self,
        settings: AppSettings | None = None,
        *,
        start_routine: str | None = None,
        factories: AdapterFactories | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.start_routine = start_routine
        self.core = TrainerCore(
            self.settings,
            notify=self._show_notice,
            kiosk=self.KIOSK,
            factories=factories,
            on_status=self._show_status,
        )
        #: The latest notice given before the first picker showed (while opening).
        self.opening_notice = ""
        self.bridge = PedalBridge(self)
        self.systemd = SystemdNotifier()  # no-op outside systemd
        self.gestures_handled = 0  # pedal gestures taken from the bridge (tests, benchmarks)

    # -- start and stop -----------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(BaseScreen())
        self.core.open(
            PedalCallbacks(
                on_gesture=self.bridge.post_gesture,
                on_edge=self.bridge.post_edge,
                notify_from_thread=self._notice_from_thread,
                on_unheard=self._silent_cue_from_thread,
            )
        )
        self.show_picker()
        self.offer_resume()
        if self.start_routine:
            loaded = self.core.find_routine(self.start_routine)
            if loaded is None:
                self.core.tell(f"No routine '{self.start_routine}'")
            else:
                self.start_session(loaded)
        self.set_interval(1.0, self.core.retry_history)
        self._start_watchdog()
        self.after_mount()
        # Start-up leaves tens of thousands of long-lived objects; freezing them
        # keeps full garbage collections (felt as pedal lag) short from here on.
        self.call_after_refresh(gc.freeze)

    def _start_watchdog(self) -> None:
        """Under systemd with ``WatchdogSec=``: ping from this event loop, so a hung UI
        stops the pings and systemd restarts it (see trainer.adapters.systemd_notify)."""
        interval = self.systemd.ping_interval
        if interval is not None:
            self.systemd.ping()
            self.set_interval(interval, self.systemd.ping)
        self.systemd.ready()

    def after_mount(self) -> None:
        """For subclasses: runs once everything is open. (Textual calls every class's
        ``on_mount`` in the MRO, so subclasses hook here instead of overriding it.)"""

    def on_unmount(self) -> None:
        self.core.close()

    # -- notices from other threads ---------------------------------------------

    class Notice(Message):
        """A notice from another thread (audio worker), shown on the app loop."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class SilentCue(Message):
        """A cue nobody could hear (no working sound device)."""

    def _notice_from_thread(self, message: str) -> None:
        # post_message, unlike call_from_thread, never blocks the audio thread
        # (which the app may be waiting on while it starts).
        self.post_message(self.Notice(message))

    def _silent_cue_from_thread(self) -> None:
        self.post_message(self.SilentCue())

    def on_trainer_app_notice(self, message: Notice) -> None:
        self.core.tell(message.text)

    def on_trainer_app_silent_cue(self, message: SilentCue) -> None:
        # Eyes may be elsewhere, but a flash (and the bell, if wanted) still carries the cue.
        self.screen.post_message(CueUnheard())
        if self.settings.audio.bell:
            self.bell()

    def _show_notice(self, message: str) -> None:
        # Nothing may cover the exercise, side, time or next-up while a session runs,
        # nor the list on the picker: there the notice goes to the status line instead
        # of a toast. While opening (no picker yet), the picker shows it when it comes.
        screen = self.screen if self.screen_stack else None
        if isinstance(screen, SessionScreen | PickerScreen):
            screen.show_status(self.core.status_line(), message)
        elif screen is None or isinstance(screen, BaseScreen):
            self.opening_notice = message
        else:
            self.notify(message, markup=False, timeout=8)

    def _show_status(self) -> None:
        """Sound or pedal changed (the device was found missing): redraw the status line."""
        screen = self.screen if self.screen_stack else None
        if isinstance(screen, SessionScreen | PickerScreen):
            screen.show_status(self.core.status_line(), screen.notice)

    @property
    def notices(self) -> list[str]:
        """Every notice shown, newest last."""
        return self.core.notices

    # -- input ------------------------------------------------------------------

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        self.gestures_handled += 1
        self.dispatch(Action(message.gesture, at=message.at))

    def on_edges_waiting(self, message: EdgesWaiting) -> None:
        edges = message.take()
        if edges:
            self.screen.post_message(RawEdges(edges))  # only the pedal test shows them

    def on_pedal_test_screen_showing(self, message: PedalTestScreen.Showing) -> None:
        # Raw edges cost a message each: kept only while someone looks at them.
        self.bridge.raw_edges_wanted = message.showing

    def on_key(self, event: events.Key) -> None:
        # Textual calls every class's on_key in the MRO: subclasses override take_key.
        self.take_key(event)

    def take_key(self, event: events.Key) -> None:
        """Keys reach here after the screen and its widgets had their chance."""
        if isinstance(self.focused, Input):
            return  # typing a PIN
        action = self.core.action_for_key(event.key)
        if action is None:  # the simulated pedal took the key
            event.stop()
            return
        if action.meaning is not None:
            event.stop()
        self.dispatch(action)

    def dispatch(self, action: Action) -> None:
        """Hand an input to the active screen (the one path for keys and gestures)."""
        self.core.idle.touch()
        self.screen.post_message(UserInput(action))

    # -- flow -------------------------------------------------------------------

    def show_picker(self) -> None:
        self.push_screen(
            PickerScreen(
                self.core.routine_choices(),
                self.core.problem_count,
                self.core.status_line(),
                keeps_history=self.core.keeps_history,
                notice=self.opening_notice,
            )
        )

    def on_picker_screen_chosen(self, message: PickerScreen.Chosen) -> None:
        self.start_session(message.routine)

    def on_picker_screen_quit_asked(self, message: PickerScreen.QuitAsked) -> None:
        self.leave()

    def leave(self) -> None:
        """Quit was asked for on the picker."""
        self.exit()

    def start_session(self, loaded: LoadedRoutine, offer: ResumeOffer | None = None) -> None:
        self.push_screen(SessionScreen(self.core.start(loaded, offer), self.core.status_line()))

    def on_session_screen_ended(self, message: SessionScreen.Ended) -> None:
        view = self.core.finish(message.screen.session)
        self.refresh_picker()  # its "last done" now includes this session
        # A kiosk reset may have closed the screen since it ended: then stay put.
        if message.screen is self.screen:
            self.switch_screen(SummaryScreen(view))

    def refresh_picker(self) -> None:
        """Give every picker in the stack the routines as they are now."""
        choices, problems = self.core.routine_choices(), self.core.problem_count
        for screen in self.screen_stack:
            if isinstance(screen, PickerScreen):
                self.call_later(screen.refresh_choices, choices, problems)

    def action_show_history(self) -> None:
        view = self.core.history()
        if view is not None:
            self.push_screen(HistoryScreen(view))

    def offer_resume(self) -> None:
        offer = self.core.resume_offer()
        if offer is None:
            return

        def answered(choice: ResumeChoice | None) -> None:
            if choice == "resume":
                self.start_session(offer.routine, offer)
                return
            self.core.decline(offer)  # the one cut short stays as it was, in the history
            if choice == "fresh":  # the same routine from its beginning
                self.start_session(offer.routine)

        self.push_screen(ResumePrompt(offer.describe()), answered)
