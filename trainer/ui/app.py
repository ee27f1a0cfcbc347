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

import asyncio
import gc
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, Static

from trainer import paths
from trainer.adapters.systemd_notify import SystemdNotifier
from trainer.core.actions import Action
from trainer.core.kiosk import Idleness
from trainer.core.routine_rows import (
    CachedRoutines,
    RoutineChoice,
    RoutineRowCache,
    routine_files,
)
from trainer.ui.screens.base import CueUnheard, InputScreen, UserInput, guarded
from trainer.ui.screens.picker import PickerScreen

if TYPE_CHECKING:
    # Imported after the first paint (see TrainerApp): the picker paints with
    # Textual and the modules above alone.
    from trainer.adapters.store.resume import ResumeOffer
    from trainer.core.adapters import AdapterFactories
    from trainer.core.flow import TrainerCore
    from trainer.core.settings import AppSettings
    from trainer.routine.catalog import LoadedRoutine
    from trainer.ui.pedal_bridge import EdgesWaiting, PedalBridge, PedalGestureMessage
    from trainer.ui.screens.pedal_test import PedalTestScreen
    from trainer.ui.screens.prompts import ResumeChoice
    from trainer.ui.screens.session import SessionScreen

log = logging.getLogger(__name__)

#: Shown on the picker until the sound and the pedal are open.
STARTING_STATUS = "getting sound and pedal ready..."

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

    The picker paints first, from the rows cached last time
    (:class:`~trainer.core.routine_rows.RoutineRowCache`), with nothing imported
    but Textual and the picker's own modules. After that paint a worker reads
    the settings (when they were not given), validates the routines (their
    rows then replace the cached ones), renders the tones and opens the sound
    and the pedal; the session log opens on the app's loop. :attr:`is_ready`
    turns true, and :meth:`until_ready` returns, once all of that is done;
    tests and benchmarks wait on it. Keys, pedal gestures and a routine chosen
    before then are kept, in order, and handled once ready: a routine never
    starts without its sound.

    :param settings: how to run; None reads them after the first paint with
        ``read_settings`` (``trainer run``), or uses the defaults.
    :param read_settings: reads the settings (config file, environment, flags);
        raising :class:`ValueError` (a :class:`~trainer.config.ConfigError`) ends
        the app with the message in :attr:`start_error`, and exit status 2.
    :param factories: how the core opens its adapters (tests pass fakes).
    """

    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False  # hands-free: nothing to type into
    KIOSK = False

    settings: AppSettings
    core: TrainerCore
    bridge: PedalBridge

    def __init__(
        self,
        settings: AppSettings | None = None,
        *,
        start_routine: str | None = None,
        factories: AdapterFactories | None = None,
        read_settings: Callable[[], AppSettings] | None = None,
    ) -> None:
        super().__init__()
        self.start_routine = start_routine
        #: The latest notice given before the first picker showed (while opening).
        self.opening_notice = ""
        self._factories = factories
        self._read_settings = read_settings
        if settings is not None:
            self._make_core(settings)
        self.systemd = SystemdNotifier()  # no-op outside systemd
        self.gestures_handled = 0  # pedal gestures taken from the bridge (tests, benchmarks)
        #: True once routines, history, sound and pedal are open (see the class's doc).
        self.is_ready = False
        self._ready_event = asyncio.Event()
        self._routines_read = False
        self._waiting: list[Callable[[], None]] = []  # input that came before ready
        self._list_shown = threading.Event()  # the validated rows are on the screen
        # The worker that opens everything after the first paint (joined on unmount).
        self._opener = threading.Thread(
            target=self._open_in_background, name="trainer-open", daemon=True
        )
        self._cached = self._cached_rows(settings)
        #: Why the app could not start (a config error), printed by the command.
        self.start_error: str | None = None

    def _make_core(self, settings: AppSettings) -> TrainerCore:
        from trainer.core.flow import TrainerCore

        self.settings = settings
        self.core = TrainerCore(
            settings,
            notify=self._show_notice,
            kiosk=self.KIOSK,
            factories=self._factories,
            on_status=self._show_status,
        )
        return self.core

    @staticmethod
    def _cached_rows(settings: AppSettings | None) -> CachedRoutines:
        """The rows the routine files gave last time, for the first paint (stat only)."""
        if settings is None:
            files = routine_files(paths.routine_folders())
        else:
            files = routine_files(settings.folders, settings.routine_files)
        return RoutineRowCache(paths.cache_dir()).read(files)

    # -- start and stop -----------------------------------------------------------

    def on_mount(self) -> None:
        self._loop_thread = threading.get_ident()
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(BaseScreen())
        self.show_first_screen()
        # Only once the first screen is on the terminal does the rest begin.
        self.call_after_refresh(self._open_after_paint)

    def show_first_screen(self) -> None:
        """The screen painted before anything is open (a kiosk shows its own when ready)."""
        self.show_picker()

    def _open_after_paint(self) -> None:
        from trainer.ui.pedal_bridge import PedalBridge

        self.bridge = PedalBridge(self)
        self._opener.start()

    # Messages from the opening worker, handled on the app's loop in this order.

    class RoutinesRead(Message):
        """The worker validated the routines (and read the settings, when it had to)."""

    class DevicesOpen(Message):
        """The worker opened the sound and the pedal: what is left opens on the loop."""

    class OpeningFailed(Message):
        """The worker met an unexpected error: handled as any error of the app's."""

        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class StartFailed(Message):
        """The settings could not be read: the app ends with this message."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _open_in_background(self) -> None:
        """The slow part of starting, on a thread (pure work and thread-safe adapters)."""
        try:
            core = getattr(self, "core", None)
            if core is None:
                try:
                    settings = (self._read_settings or _default_settings)()
                except ValueError as error:
                    self.post_message(self.StartFailed(str(error)))
                    return
                core = self._make_core(settings)
            core.open_routines()
            self.post_message(self.RoutinesRead())
            self._list_shown.wait(timeout=5.0)
            from trainer.core.flow import PedalCallbacks

            core.open_devices(
                PedalCallbacks(
                    on_gesture=self.bridge.post_gesture,
                    on_edge=self.bridge.post_edge,
                    notify_from_thread=self._notice_from_thread,
                    on_unheard=self._silent_cue_from_thread,
                )
            )
            # What the loop shows next, imported here rather than there.
            import trainer.ui.screens.prompts
            import trainer.ui.screens.session
            import trainer.ui.screens.summary  # noqa: F401

            self.post_message(self.DevicesOpen())
        except Exception as error:
            self.post_message(self.OpeningFailed(error))

    @guarded
    def on_trainer_app_opening_failed(self, message: OpeningFailed) -> None:
        raise message.error  # a kiosk recovers from it; the home app ends, as on any bug

    def on_trainer_app_start_failed(self, message: StartFailed) -> None:
        self.start_error = message.text
        self.exit(2, return_code=2)

    async def on_trainer_app_routines_read(self, message: RoutinesRead) -> None:
        # SQLite wants the thread that uses the log to open it: this loop.
        self.core.open_history()
        self._routines_read = True
        await self._refresh_pickers_now()
        # The worker opens sound and pedal once the full list is drawn, not while.
        self.call_after_refresh(self._list_shown.set)

    async def _refresh_pickers_now(self) -> None:
        choices, problems = self.routine_rows()
        for screen in self.screen_stack:
            if isinstance(screen, PickerScreen):
                await screen.refresh_choices(
                    choices, problems, self.status_line(), self.keeps_history
                )

    async def on_trainer_app_devices_open(self, message: DevicesOpen) -> None:
        self.is_ready = True
        # The status line: sound and pedal as they really are (drawn before ready is said).
        await self._refresh_pickers_now()
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
        waiting, self._waiting = self._waiting, []
        for handle in waiting:
            handle()
        # Start-up leaves tens of thousands of long-lived objects; freezing them
        # keeps full garbage collections (felt as pedal lag) short from here on.
        self.call_after_refresh(gc.freeze)
        # Waiters resume once the screens pushed above are mounted and drawn.
        self.call_after_refresh(self._ready_event.set)

    async def until_ready(self) -> None:
        """Return once everything is open (see the class's doc)."""
        await self._ready_event.wait()

    def _when_ready(self, handle: Callable[[], None]) -> bool:
        """Keep ``handle`` for when the app is ready; False (and nothing kept) if it is."""
        if self.is_ready:
            return False
        self._waiting.append(handle)
        return True

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
        # A worker still opening things finishes first, so that everything is closed.
        if self._opener.is_alive():
            self._list_shown.set()  # no list to wait for any more
            self._opener.join(timeout=30)
        core = getattr(self, "core", None)
        if core is not None:
            core.close()

    # -- notices from other threads ---------------------------------------------

    class Notice(Message):
        """A notice from another thread (audio worker), shown on the app loop."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class NoticeToShow(Message):
        """A notice the core already took, from another thread: only shown here."""

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

    def on_trainer_app_notice_to_show(self, message: NoticeToShow) -> None:
        self._show_notice(message.text)

    def on_trainer_app_silent_cue(self, message: SilentCue) -> None:
        # Eyes may be elsewhere, but a flash (and the bell, if wanted) still carries the cue.
        self.screen.post_message(CueUnheard())
        if self.settings.audio.bell:
            self.bell()

    def _show_notice(self, message: str) -> None:
        if threading.get_ident() != getattr(self, "_loop_thread", None):
            self.post_message(self.NoticeToShow(message))  # the opening worker's
            return
        # Nothing may cover the exercise, side, time or next-up while a session runs,
        # nor the list on the picker: there the notice goes to the status line instead
        # of a toast. While opening (no picker yet), the picker shows it when it comes.
        from trainer.ui.screens.session import SessionScreen

        screen = self.screen if self.screen_stack else None
        if isinstance(screen, SessionScreen | PickerScreen):
            screen.show_status(self.core.status_line(), message)
        elif screen is None or isinstance(screen, BaseScreen):
            self.opening_notice = message
        else:
            self.notify(message, markup=False, timeout=8)

    def _show_status(self) -> None:
        """Sound or pedal changed (the device was found missing): redraw the status line."""
        if threading.get_ident() != getattr(self, "_loop_thread", None):
            self.call_from_thread(self._show_status)
            return
        from trainer.ui.screens.session import SessionScreen

        screen = self.screen if self.screen_stack else None
        if isinstance(screen, SessionScreen | PickerScreen):
            screen.show_status(self.core.status_line(), screen.notice)

    @property
    def notices(self) -> list[str]:
        """Every notice shown, newest last."""
        return self.core.notices

    # -- input ------------------------------------------------------------------

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        if self._when_ready(lambda: self.on_pedal_gesture_message(message)):
            return
        self.gestures_handled += 1
        self.dispatch(Action(message.gesture, at=message.at))

    def on_edges_waiting(self, message: EdgesWaiting) -> None:
        edges = message.take()
        if edges:
            from trainer.ui.pedal_bridge import RawEdges

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
        if self._when_ready(lambda: self.take_key(event)):
            event.stop()
            return
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

    def routine_rows(self) -> tuple[list[RoutineChoice], int]:
        """The picker's rows and how many files have problems: the cached ones until
        the routines are read."""
        if not self._routines_read:
            return self._cached.choices, self._cached.bad_files
        return self.core.routine_choices(), self.core.problem_count

    def status_line(self) -> str:
        return self.core.status_line() if self.is_ready else STARTING_STATUS

    @property
    def keeps_history(self) -> bool:
        """Whether the picker offers history ("h"): not before ready, nor for a guest."""
        return self.is_ready and self.core.keeps_history

    def show_picker(self) -> None:
        choices, problems = self.routine_rows()
        self.push_screen(
            PickerScreen(
                choices,
                problems,
                self.status_line(),
                keeps_history=self.keeps_history,
                notice=self.opening_notice,
            )
        )

    def on_picker_screen_chosen(self, message: PickerScreen.Chosen) -> None:
        if self._when_ready(lambda: self.on_picker_screen_chosen(message)):
            return
        loaded = self.core.find_routine(message.choice.id)
        if loaded is None:  # gone since the list was drawn
            self.core.tell(f"No routine '{message.choice.title}'")
            self.refresh_picker()
        else:
            self.start_session(loaded)

    def on_picker_screen_quit_asked(self, message: PickerScreen.QuitAsked) -> None:
        self.leave()

    def leave(self) -> None:
        """Quit was asked for on the picker."""
        self.exit()

    def start_session(self, loaded: LoadedRoutine, offer: ResumeOffer | None = None) -> None:
        from trainer.ui.screens.session import SessionScreen

        self.push_screen(SessionScreen(self.core.start(loaded, offer), self.core.status_line()))

    def on_session_screen_ended(self, message: SessionScreen.Ended) -> None:
        from trainer.ui.screens.summary import SummaryScreen

        view = self.core.finish(message.screen.session)
        self.refresh_picker()  # its "last done" now includes this session
        # A kiosk reset may have closed the screen since it ended: then stay put.
        if message.screen is self.screen:
            self.switch_screen(SummaryScreen(view))

    def refresh_picker(self) -> None:
        """Give every picker in the stack the routines (and the status line) as they are now."""
        choices, problems = self.routine_rows()
        status = self.status_line()
        for screen in self.screen_stack:
            if isinstance(screen, PickerScreen):
                self.call_later(
                    screen.refresh_choices, choices, problems, status, self.keeps_history
                )

    def action_show_history(self) -> None:
        if not self.is_ready:
            return
        from trainer.ui.screens.history import HistoryScreen

        view = self.core.history()
        if view is not None:
            self.push_screen(HistoryScreen(view))

    def offer_resume(self) -> None:
        offer = self.core.resume_offer()
        if offer is None:
            return
        from trainer.ui.screens.prompts import ResumePrompt

        def answered(choice: ResumeChoice | None) -> None:
            if choice == "resume":
                self.start_session(offer.routine, offer)
                return
            self.core.decline(offer)  # the one cut short stays as it was, in the history
            if choice == "fresh":  # the same routine from its beginning
                self.start_session(offer.routine)

        self.push_screen(ResumePrompt(offer.describe()), answered)


def _default_settings() -> AppSettings:
    from trainer.core.settings import AppSettings

    return AppSettings()
