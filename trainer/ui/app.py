"""The trainer's Textual app: picker -> session -> summary, driven by pedal or keys.

Input takes one path whatever its source. The wired pedal posts a
:class:`~trainer.ui.pedal_bridge.PedalGestureMessage` from its own thread; a
key press arrives on the app loop. Both become a gesture or command and go to
the active screen's ``handle_input``; screens that know extra keys (a check's
1/2/3) get ``handle_named_key`` first.

:class:`TrainerApp` is for a person at home; :class:`KioskApp` is the same app
made unattended: no exit keys, an admin PIN, an idle reset, routine folders
watched for changes, and any unexpected error logged and answered by returning
to the picker.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, Static

from trainer.adapters.audio.player import AudioPlayer
from trainer.adapters.pedal.opening import PedalConnection, PedalUnavailable, open_pedal
from trainer.adapters.store.database import SessionStore
from trainer.adapters.store.errors import StoreError
from trainer.adapters.store.members import Member, MemberError
from trainer.adapters.store.recorder import SessionRecorder
from trainer.adapters.store.resume import ResumeOffer, find_resume_offer
from trainer.adapters.systemd_notify import SystemdNotifier
from trainer.capped_files import append_capped
from trainer.engine.plan import Plan, TighterSides, build_plan
from trainer.engine.session import Session
from trainer.engine.soundplan import SessionSounds, plan_sounds
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.catalog import Catalog, LoadedRoutine
from trainer.ui.pedal_bridge import PedalBridge, PedalGestureMessage, RawEdge
from trainer.ui.runner import SessionRunner
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.pedal_test import PedalTestScreen
from trainer.ui.screens.picker import PickerScreen, RoutineChoice
from trainer.ui.screens.prompts import AdminScreen, PinPrompt, ResumePrompt
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen
from trainer.ui.services import AppSettings
from trainer.untrusted_text import clean

log = logging.getLogger(__name__)

#: The kiosk's error log: at most this big (one older copy is kept beside it).
ERROR_LOG_MAX_BYTES = 256_000
#: The same traceback again within this many seconds is counted, not written.
ERROR_REPEAT_SECONDS = 60.0

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


class _Base(Screen[None]):
    """The bottom of the screen stack, under the picker; never seen for long."""

    def compose(self) -> ComposeResult:
        yield Static("")


class TrainerApp(App[int]):
    """The guided-session trainer."""

    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False  # hands-free: nothing to type into

    def __init__(
        self,
        settings: AppSettings | None = None,
        *,
        start_routine: str | None = None,
        pin_factory: Any = None,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.clock: Callable[[], float] = self.settings.clock
        self.start_routine = start_routine
        self.pin_factory = pin_factory
        self.catalog: Catalog = Catalog()
        self.store: SessionStore | None = None
        self.audio: AudioPlayer | None = None
        self.pedal: PedalConnection | None = None
        self.bridge = PedalBridge(self)
        self.notices: list[str] = []  # every notice shown, newest last (for admin and tests)
        self.gestures_handled = 0  # pedal gestures taken from the bridge (tests, benchmarks)
        self.session_screen: SessionScreen | None = None  # the latest session started
        # Recorders with history still waiting for the store (it failed for a while);
        # retried on a timer, so a session's end is saved even after its screen is gone.
        self.recorders: list[SessionRecorder] = []
        self.systemd = SystemdNotifier()  # no-op outside systemd
        #: Whose sessions are recorded and shown; None: a guest (no history, no "last time").
        self.member: Member | None = None

    # -- start and stop -----------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(_Base())
        self.catalog = self.settings.load_catalog()
        self._open_store()
        for service in self.settings.background:
            service.start()
        self._open_audio()
        self._open_pedal()
        self.show_picker()
        self._offer_resume()
        if self.start_routine:
            loaded = self.catalog.find(self.start_routine)
            if loaded is None:
                self.tell(f"No routine '{self.start_routine}'")
            else:
                self.start_session(loaded)
        self.set_interval(1.0, self._retry_history)
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

    def _retry_history(self, force: bool = False) -> None:
        for recorder in list(self.recorders):
            recorder.flush(force=force)
            if recorder.settled and recorder is not self._current_recorder():
                self.recorders.remove(recorder)

    def _current_recorder(self) -> SessionRecorder | None:
        screen = self.session_screen
        return None if screen is None else screen.runner.recorder

    def after_mount(self) -> None:
        """For subclasses: runs once everything is open. (Textual calls every class's
        ``on_mount`` in the MRO, so subclasses hook here instead of overriding it.)"""

    def on_unmount(self) -> None:
        # Quitting on purpose ends a session as abandoned; only a crash or a power
        # cut leaves it "running" for the next start to offer to resume. (The
        # screen stack is already empty here, hence the app's own reference.)
        if self.session_screen is not None:
            self.session_screen.abandon()
        for recorder in self.recorders:  # a last, bounded try for what waits to be saved
            recorder.close()
        if self.pedal is not None:
            self.pedal.close()
        if self.audio is not None:
            self.audio.close()
        if self.store is not None:
            self.store.close()
        for service in self.settings.background:
            service.stop()

    def _open_store(self) -> None:
        try:
            self.store = SessionStore.open(self.settings.database_path)
            self.member = self._home_member(self.store)
        except (StoreError, MemberError) as error:
            self.tell(f"History is off: {error}")

    def _home_member(self, store: SessionStore) -> Member | None:
        """Home mode trains as ``--member`` or the owner; the kiosk overrides this."""
        name = self.settings.member
        return store.roster.get(name) if name else store.roster.owner()

    def _open_audio(self) -> None:
        try:
            self.audio = AudioPlayer.create(
                self.settings.audio,
                notify=self._notice_from_thread,
                on_silent_cue=self._silent_cue_from_thread,
            )
        except Exception as error:  # audio is a nicety; the session runs without it
            log.exception("audio failed to start")
            self.tell(f"Sound is off: {error}")

    def _open_pedal(self) -> None:
        try:
            self.pedal = open_pedal(
                self.settings.pedal,
                self.bridge.post_gesture,
                on_edge=self.bridge.post_edge,  # only shown by the pedal test
                pin_factory=self.pin_factory,
            )
        except PedalUnavailable as error:
            self.tell(f"{error}; using the keyboard")
            return
        if self.pedal.notice:
            self.tell(self.pedal.notice)

    class Notice(Message):
        """A notice from another thread (audio worker), shown on the app loop."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _notice_from_thread(self, message: str) -> None:
        # post_message, unlike call_from_thread, never blocks the audio thread
        # (which the app may be waiting on while it starts).
        self.post_message(self.Notice(message))

    def on_trainer_app_notice(self, message: Notice) -> None:
        self.tell(message.text)

    class SilentCue(Message):
        """A cue nobody could hear (no working sound device)."""

    def _silent_cue_from_thread(self, cue: object) -> None:
        self.post_message(self.SilentCue())

    def on_trainer_app_silent_cue(self, message: SilentCue) -> None:
        # Eyes may be elsewhere, but a flash (and the bell, if wanted) still carries the cue.
        if isinstance(self.screen, SessionScreen):
            self.screen.flash()
        if self.settings.audio.bell:
            self.bell()

    def tell(self, message: str) -> None:
        """Show a notice (plain text, cleaned: it may quote a routine title) and remember it."""
        message = clean(message)
        self.notices.append(message)
        self.notify(message, markup=False, timeout=8)

    # -- input ------------------------------------------------------------------

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        self.gestures_handled += 1
        if isinstance(self.screen, PedalTestScreen):
            self.screen.show_gesture(message.gesture, message.at)
        else:
            self.guarded(self.route, message.gesture)

    def on_raw_edge(self, message: RawEdge) -> None:
        if isinstance(self.screen, PedalTestScreen):
            self.screen.show_edge(message.edge)

    def on_key(self, event: events.Key) -> None:
        self.guarded(self.take_key, event)

    def guarded(self, handler: Callable[..., None], *args: Any) -> None:
        """Run an app-level handler; see :meth:`KioskApp.guarded` for why."""
        handler(*args)

    def take_key(self, event: events.Key) -> None:
        """Keys reach here after the screen had its chance; subclasses override this."""
        if isinstance(self.focused, Input):
            return  # typing a PIN
        if self.pedal is not None and self.pedal.handle_mock_key(event.key):
            event.stop()
            return
        handle_named_key = getattr(self.screen, "handle_named_key", None)
        if handle_named_key is not None and handle_named_key(event.key):
            event.stop()
            return
        action = self.settings.keys.lookup(event.key)
        if action is None:
            return
        event.stop()
        self.route(action)

    def route(self, action: Gesture | Command) -> None:
        """Hand a gesture or command to the active screen."""
        handle_input = getattr(self.screen, "handle_input", None)
        if handle_input is not None:
            handle_input(action)

    # -- flow -------------------------------------------------------------------

    def routine_choices(self) -> list[RoutineChoice]:
        last_done = self._last_done()
        choices = []
        # A coach's assignments (from the fleet server) come first, in the coach's order.
        assigned = self._assigned_routines()
        for loaded in sorted(
            self.catalog.routines.values(),
            key=lambda r: (assigned.get(r.id, len(assigned)), r.routine.title),
        ):
            plan = build_plan(loaded, self.settings.engine.plan)
            choices.append(
                RoutineChoice(
                    loaded,
                    plan.total_estimated_seconds,
                    bool(plan.untimed_count),
                    last_done.get(loaded.id),
                )
            )
        return choices

    def _tighter_sides(self) -> TighterSides:
        """This member's latest check results, for `extra_set: tighter_side` steps."""
        if self.store is None or self.member is None:
            return TighterSides()
        try:
            checks = self.store.checks(who=self.member.id)
        except StoreError:
            return TighterSides()
        return TighterSides.from_results((check.test_id, check.result) for check in checks)

    def _assigned_routines(self) -> dict[str, int]:
        """Routine id -> position among the signed-in member's assigned routines."""
        if self.store is None or self.member is None:
            return {}
        try:
            routines = self.store.assigned_routines(self.member.uid)
        except StoreError:
            return {}
        return {routine: position for position, routine in enumerate(routines)}

    def _last_done(self) -> dict[str, str]:
        if self.store is None or self.member is None:
            return {}
        try:
            sessions = self.store.recent_sessions(limit=200, who=self.member.id)
        except StoreError:
            return {}
        last: dict[str, str] = {}
        for overview in sessions:  # newest first
            session = overview.session
            if session.status == "finished":
                last.setdefault(session.routine_id, session.started_at[:10])
        return last

    def show_picker(self) -> None:
        self.push_screen(PickerScreen(self.routine_choices(), len(self.catalog.bad_files)))

    def on_picker_screen_chosen(self, message: PickerScreen.Chosen) -> None:
        self.start_session(message.routine)

    def plan_sounds(self, plan: Plan) -> SessionSounds:
        """Every sound of ``plan``, laid out with the lengths the player will really play."""
        measure = self.audio.measure if self.audio is not None else None
        return plan_sounds(plan, self.settings.engine.cues, measure)

    def start_session(self, loaded: LoadedRoutine, offer: ResumeOffer | None = None) -> None:
        if offer is not None:
            session = offer.start_engine(self.settings.engine, self.plan_sounds(offer.plan))
            recorder = offer.recorder(self.store) if self.store is not None else None
        else:
            plan = build_plan(loaded, self.settings.engine.plan, self._tighter_sides())
            session = Session(plan, self.settings.engine, sounds=self.plan_sounds(plan))
            recorder = (
                SessionRecorder(self.store, member_id=self.member.id if self.member else None)
                if self.store is not None
                else None
            )
        self._retry_history(force=True)  # an earlier session's waiting end goes first
        if recorder is not None:
            recorder.clock = self.clock  # retries follow the app's clock (tests move it)
            self.recorders.append(recorder)
        runner = SessionRunner(
            session, sound=self.audio, recorder=recorder, notify=self.tell, clock=self.clock
        )
        self.session_screen = SessionScreen(runner)
        self.push_screen(self.session_screen)

    def on_session_screen_ended(self, message: SessionScreen.Ended) -> None:
        earlier = []
        if self.store is not None and self.member is not None:  # a guest has no "last time"
            try:
                session_id = self._current_session_id()
                mine = self.store.checks(who=self.member.id)
                earlier = [c for c in mine if c.session_id != session_id]
            except StoreError:
                earlier = []
        self.switch_screen(SummaryScreen(message.summary, earlier))

    def _current_session_id(self) -> int | None:
        screen = self.screen
        if isinstance(screen, SessionScreen) and screen.runner.recorder is not None:
            return screen.runner.recorder.session_id
        return None

    def action_show_history(self) -> None:
        if self.store is None:
            self.tell("History is off")
            return
        if self.member is None:
            self.tell("Guests have no history: sign in to keep yours")
            return
        who = self.member.id
        try:
            sessions = self.store.recent_sessions(limit=30, who=who)
            checks = self.store.checks(who=who)
        except StoreError as error:
            self.tell(str(error))
            return
        self.push_screen(HistoryScreen(sessions, checks))

    def _offer_resume(self) -> None:
        if self.store is None:
            return
        try:
            found = find_resume_offer(self.store, self.catalog, self.settings.engine.plan)
        except StoreError as error:
            self.tell(str(error))
            return
        if found is None:
            return
        if not isinstance(found, ResumeOffer):
            self.tell(found.reason)
            found.decline(self.store)
            return

        def answered(resume: bool | None) -> None:
            if resume:
                self.start_session(found.routine, found)
            elif self.store is not None:
                found.decline(self.store)

        self.push_screen(ResumePrompt(found.describe()), answered)


class KioskApp(TrainerApp):
    """The trainer for an unattended gym floor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin_exited = False
        self._idle_since = 0.0
        self._folder_signature: tuple = ()
        self._watched_screen: Screen[Any] | None = None
        self.recovered_errors = 0
        self._last_error, self._last_error_at, self._error_repeats = "", 0.0, 0

    def _home_member(self, store: SessionStore) -> Member | None:
        return None  # everyone at a kiosk is a guest until they sign in

    def _offer_resume(self) -> None:
        # The next person at a kiosk is a stranger: an interrupted session is
        # closed, never offered to them.
        if self.store is None:
            return
        try:
            for session in self.store.running_sessions():
                self.store.mark_interrupted(session.id)
        except StoreError as error:
            self.tell(str(error))

    def after_mount(self) -> None:
        self._idle_since = self.clock()
        self._folder_signature = self._signature()
        self.set_interval(self.settings.kiosk.reload_seconds, self._watch)

    # Nothing a passer-by presses may exit or suspend the kiosk.
    async def action_quit(self) -> None:
        if self.admin_exited:
            self.exit(0)

    def action_help_quit(self) -> None:
        pass

    def action_suspend_process(self) -> None:
        pass

    def action_command_palette(self) -> None:
        pass

    def route(self, action: Gesture | Command) -> None:
        self._idle_since = self.clock()
        if action is Command.QUIT and not isinstance(self.screen, SessionScreen):
            return
        super().route(action)

    def take_key(self, event: events.Key) -> None:
        self._idle_since = self.clock()
        if event.key == self.settings.kiosk.admin_key:
            event.stop()
            self._ask_pin()
            return
        if event.key in ("ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "q"):
            event.stop()
            return
        super().take_key(event)

    def guarded(self, handler: Callable[..., None], *args: Any) -> None:
        # An exception escaping an app-level handler would stop the app's own
        # message loop for good; catch it here and recover like any other error.
        try:
            handler(*args)
        except Exception as error:
            self._handle_exception(error)

    def _ask_pin(self) -> None:
        if isinstance(self.screen, PinPrompt | AdminScreen):
            return

        def checked(ok: bool | None) -> None:
            if ok:
                problems = [str(issue) for issue in self.catalog.issues]
                status = [service.describe() for service in self.settings.background]
                notes = [*status, *self.notices[-5:]]
                self.push_screen(AdminScreen(problems, notes), self._admin_choice)
            else:
                self.tell("Wrong PIN")

        self.push_screen(PinPrompt(self.settings.kiosk.admin_pin), checked)

    def _admin_choice(self, choice: str | None) -> None:
        if choice == "exit":
            self.admin_exited = True
            self.exit(0)
        elif choice == "reload":
            self.reload_routines()
        elif choice == "pedal_test":
            screen = PedalTestScreen(self.settings.pedal, self.settings.keys, leave_exits_app=False)
            if self.pedal is not None:
                screen.attach(self.pedal)
            self.push_screen(screen)

    # -- unattended care -----------------------------------------------------------

    def _signature(self) -> tuple:
        entries = []
        for folder in self.settings.folders_to_watch():
            if folder.is_dir():
                for path in sorted(folder.rglob("*.y*ml")):
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    entries.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(entries)

    def _watch(self) -> None:
        if self.screen is not self._watched_screen:
            # A new screen (a summary, say) counts as activity: its timeout starts now.
            self._watched_screen = self.screen
            self._idle_since = self.clock()
        signature = self._signature()
        if signature != self._folder_signature:
            self._folder_signature = signature
            self.reload_routines()
        idle = self.clock() - self._idle_since
        kiosk = self.settings.kiosk
        limit = (
            kiosk.summary_seconds if isinstance(self.screen, SummaryScreen) else kiosk.idle_seconds
        )
        if idle >= limit and self._is_idle_screen():
            self.reset_to_picker()

    def _is_idle_screen(self) -> bool:
        screen = self.screen
        if isinstance(screen, SessionScreen):
            # A counting hold is not idle; a session left paused or waiting is.
            snapshot = screen.runner.snapshot()
            return (
                snapshot.paused
                or snapshot.moment_left is None
                or snapshot.state.value in ("ready", "waiting", "answering")
            )
        return not isinstance(screen, PickerScreen | _Base)

    def reload_routines(self) -> None:
        self.catalog = self.settings.load_catalog()
        choices, problems = self.routine_choices(), len(self.catalog.bad_files)
        for screen in self.screen_stack:  # also a picker waiting under a session
            if isinstance(screen, PickerScreen):
                self.call_later(screen.refresh_choices, choices, problems)

    def reset_to_picker(self) -> None:
        """Clear every screen above the base and show a fresh picker."""
        self._idle_since = self.clock()
        for screen in self.screen_stack[1:]:
            if isinstance(screen, SessionScreen):
                screen.abandon()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.show_picker()

    def _handle_exception(self, error: Exception) -> None:
        # Log it and carry on from the picker; the kiosk must never exit on a bug.
        self.recovered_errors += 1
        log.error("unexpected error in the kiosk", exc_info=error)
        self._log_error(error)
        try:
            self.call_later(self.reset_to_picker)
        except Exception:  # the app itself is going down: let Textual do so
            super()._handle_exception(error)

    def _log_error(self, error: Exception) -> None:
        import traceback

        text = "".join(traceback.format_exception(error))
        now = time.monotonic()
        if text == self._last_error and now - self._last_error_at < ERROR_REPEAT_SECONDS:
            self._error_repeats += 1  # a bug repeating every frame is written once a minute
            return
        if self._error_repeats:
            text = f"(the previous error repeated {self._error_repeats} more times)\n{text}"
        self._last_error, self._last_error_at, self._error_repeats = text, now, 0
        with contextlib.suppress(OSError):
            append_capped(self.settings.error_log, text + "\n", max_bytes=ERROR_LOG_MAX_BYTES)
