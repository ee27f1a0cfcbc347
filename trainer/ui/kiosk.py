"""The trainer for an unattended gym floor: :class:`KioskApp`.

The same app as :class:`~trainer.ui.app.TrainerApp`, made unattended: nothing
a passer-by presses exits it, an admin key and PIN open the admin screen, the
routine folders are watched for changes, an idle kiosk returns to the attract
screen on its own (the rules are :class:`trainer.core.kiosk.IdleWatch`'s), and
an unexpected error in a screen is logged and answered by returning there
(:meth:`KioskApp.recover`, called by :func:`~trainer.ui.screens.base.guarded`).

Every visit starts on the :class:`~trainer.ui.screens.attract.AttractScreen`:
a pedal tap trains as a guest, a code or a badge signs a member in (the rules
are :class:`trainer.core.front_desk.FrontDesk`'s); the picker, history and
summary then show that visitor's own data only. The summary's end and the idle
reset sign the visitor out and return to the attract screen.

However input arrives (a burst of Enters at the PIN prompt, say), the kiosk is
never left without its attract screen: the periodic check resets from any
screen, including a bare base screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from trainer.core.actions import Action
from trainer.core.admin import OVERRIDES_NAME, KioskAdmin, KioskOverrides
from trainer.core.front_desk import DeskSettings, FrontDesk
from trainer.core.kiosk import Idleness, IdleWatch
from trainer.core.routine_rows import RoutineChoice
from trainer.core.settings import AppSettings
from trainer.core.sign_in import Visitor
from trainer.engine.vocabulary import Command
from trainer.routine.catalog import Catalog
from trainer.routine.models import DEFAULT_SAFETY
from trainer.ui import memory
from trainer.ui.app import BaseScreen, TrainerApp
from trainer.ui.screens import picker
from trainer.ui.screens.admin import AdminScreen, MembersScreen, NewPinScreen, PinPrompt
from trainer.ui.screens.attract import AttractRoutine, AttractScreen
from trainer.ui.screens.base import guarded, top_input_screen
from trainer.ui.screens.pedal_test import PedalTestScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen

log = logging.getLogger(__name__)

#: The last card of a member's picker.
SIGN_OUT_CARD = "Sign out   (hold here, or Esc)"

#: Keys a kiosk swallows: nothing a passer-by presses may exit or suspend it.
KIOSK_SWALLOWED_KEYS = ("ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "q")


def with_admin_overrides(settings: AppSettings) -> AppSettings:
    """``settings`` with what the admin changed at the kiosk (sound, idle time) applied."""
    overrides = KioskOverrides.load(settings.database_path.parent / OVERRIDES_NAME)
    audio, kiosk = settings.audio, settings.kiosk
    if overrides.volume is not None:
        audio = audio.model_copy(update={"volume": overrides.volume})
    if overrides.muted is not None:
        audio = audio.model_copy(update={"muted": overrides.muted})
    if overrides.idle_seconds is not None:
        kiosk = kiosk.model_copy(update={"idle_seconds": overrides.idle_seconds})
    return replace(settings, audio=audio, kiosk=kiosk)


class SignOutCard(Static):
    """The last card of a member's picker: hold the pedal on it (or click it) to sign out."""

    def __init__(self) -> None:
        super().__init__(Text(SIGN_OUT_CARD, style="bold"), classes="card", id="sign-out")

    def on_click(self, event: events.Click) -> None:
        screen = self.screen
        if isinstance(screen, KioskPickerScreen):
            screen.sign_out()


class KioskPickerScreen(PickerScreen):
    """The picker at a kiosk: left alone, it times out back to the attract screen.

    A signed-in member can sign out by hand, so the next person sees nothing of
    theirs: a "Sign out" card ends the list (tap to it, hold to sign out, as a
    routine is started), and Esc signs out from anywhere in the list.
    """

    # Textual reads a relative CSS_PATH beside the subclass's module: name the picker's.
    CSS_PATH = str(Path(picker.__file__).with_name("picker.tcss"))

    class SignOutAsked(Message):
        """The member on the picker asked to sign out."""

    def __init__(self, *args: Any, can_sign_out: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_sign_out = can_sign_out

    def more_cards(self) -> Iterator[Widget]:
        if self.can_sign_out:
            yield SignOutCard()

    def sign_out(self) -> None:
        self.post_message(self.SignOutAsked())

    @property
    def on_sign_out_card(self) -> bool:
        return self.can_sign_out and self.selected == len(self.choices)

    @property
    def selected_routine(self) -> RoutineChoice | None:
        return None if self.on_sign_out_card else super().selected_routine

    def start_selected(self) -> None:
        if self.on_sign_out_card:
            self.sign_out()
        else:
            super().start_selected()

    def take(self, action: Action) -> None:
        if self.can_sign_out and action.means(Command.PAUSE):  # Esc: leave
            self.sign_out()
        else:
            super().take(action)

    def idleness(self) -> Idleness:
        return Idleness.WAITING


class KioskApp(TrainerApp):
    """The trainer for an unattended gym floor."""

    KIOSK = True

    def __init__(self, settings: AppSettings | None = None, **kwargs: Any) -> None:
        super().__init__(with_admin_overrides(settings or AppSettings()), **kwargs)
        kiosk = self.settings.kiosk
        self.desk = FrontDesk(
            self.core,
            DeskSettings(
                admin_pin=kiosk.admin_pin,
                show_member_names=kiosk.show_member_names,
                pin_lockout_seconds=kiosk.pin_lockout_seconds,
                pin_lockout_max_seconds=kiosk.pin_lockout_max_seconds,
                badge_key_gap=kiosk.badge_key_gap,
            ),
            data_dir=self.settings.database_path.parent,
            clock=self.settings.clock,
        )
        self.admin: KioskAdmin = self.desk.admin(
            self,
            volume=self.settings.audio.volume,
            muted=self.settings.audio.muted,
            idle=kiosk.idle_seconds,
        )
        self.admin_exited = False
        self._watched: object = None
        self._pin_open = False
        self._thaw_due = False  # the next quiet check collects the whole heap
        self.recovered_errors = 0
        self.routine_reloads = 0  # catalogs taken from the folder watch (tests, benchmarks)

    class RoutinesReloaded(Message):
        """The folder watch (on its own thread) read the routine folders afresh."""

        def __init__(self, catalog: Catalog) -> None:
            super().__init__()
            self.catalog = catalog

    def show_first_screen(self) -> None:
        pass  # the attract screen comes once everything is open (after_mount)

    def after_mount(self) -> None:
        self.show_picker()
        self.core.idle.touch()
        self.set_interval(self.settings.kiosk.reload_seconds, self.check_unattended)
        self.core.watch_routines(self._routines_reloaded_from_thread)

    def _routines_reloaded_from_thread(self, catalog: Catalog) -> None:
        # On the watch's thread: post_message is thread-safe and hands it to this loop.
        self.post_message(self.RoutinesReloaded(catalog))

    def on_kiosk_app_routines_reloaded(self, message: RoutinesReloaded) -> None:
        self.core.use_catalog(message.catalog)
        self.routine_reloads += 1
        self.refresh_picker()

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

    def leave(self) -> None:
        pass  # only the admin screen exits a kiosk

    @guarded
    def take_key(self, event: events.Key) -> None:
        self.core.idle.touch()
        if event.key == self.settings.kiosk.admin_key:
            event.stop()
            self.ask_pin()
            return
        if event.key in KIOSK_SWALLOWED_KEYS and not self._pause_menu_quit(event.key):
            event.stop()
            return
        # Codes and badge scans are told apart by when each key *arrived*: the
        # time Textual stamped on the event, not when the loop got round to it.
        screen = self.screen
        if isinstance(screen, AttractScreen | MembersScreen) and screen.take_key(
            event.key, event.time
        ):
            event.stop()
            return
        super().take_key(event)

    def _pause_menu_quit(self, key: str) -> bool:
        """``q`` on a paused session: the pause box offers "q end session", so it works
        there (asking first, as everywhere). Nowhere else may ``q`` reach the app."""
        screen = self.screen
        return (
            key == "q" and isinstance(screen, SessionScreen) and screen.session.last.snapshot.paused
        )

    # -- visits -------------------------------------------------------------------

    def show_picker(self) -> None:
        """The attract screen with nobody signed in; the visitor's picker once there is one."""
        visitor = self.desk.visitor
        if visitor is None:
            self.push_screen(self._attract_screen())
            return
        choices, problems = self.routine_rows()
        status = self.status_line()
        self.push_screen(
            KioskPickerScreen(
                choices,
                problems,
                status,
                greeting=visitor.greeting,
                keeps_history=self.keeps_history,  # a guest has none
                can_sign_out=not visitor.is_guest,
            )
        )

    def _attract_routines(self) -> list[AttractRoutine]:
        return [
            AttractRoutine(c.title, c.estimated_seconds, c.approximate)
            for c in self.routine_rows()[0]
        ]

    def _attract_screen(self) -> AttractScreen:
        return AttractScreen(
            self._attract_routines(),
            DEFAULT_SAFETY,
            entry=self.desk.entry,
            member_names=self.desk.member_names(),
        )

    def on_attract_screen_guest_start(self, message: AttractScreen.GuestStart) -> None:
        self._welcome(self.desk.as_guest())

    def on_attract_screen_sign_in(self, message: AttractScreen.SignIn) -> None:
        result = self.desk.sign_in(message.entry)
        if isinstance(result, Visitor):
            self._welcome(result)
        elif isinstance(self.screen, AttractScreen):
            self.screen.refuse(result.message)

    def _welcome(self, visitor: Visitor) -> None:
        self.core.idle.touch()
        self.show_picker()

    def on_session_screen_ended(self, message: SessionScreen.Ended) -> None:
        view = self.core.finish(message.screen.session)
        # A kiosk reset may have closed the screen since it ended: then stay put.
        if message.screen is self.screen:
            self.pop_screen()
            self.push_screen(SummaryScreen(view), lambda _: self.end_visit())

    def on_kiosk_picker_screen_sign_out_asked(
        self, message: KioskPickerScreen.SignOutAsked
    ) -> None:
        """The member signed out by hand: the attract screen, with nothing of theirs."""
        self.desk.sign_out("by hand, on the picker")
        self.reset_to_picker()

    def end_visit(self) -> None:
        """The summary is over: sign the visitor out and wait for the next one."""
        self.reset_to_picker()

    # -- the admin ------------------------------------------------------------------

    def ask_pin(self) -> None:
        if self._pin_open:
            return
        self._pin_open = True

        def checked(ok: bool | None) -> None:
            self._pin_open = False
            if ok:
                self.show_admin()

        self.push_screen(PinPrompt(self.desk.pin_guard), checked)

    def show_admin(self) -> None:
        screen = AdminScreen(
            self.admin,
            self.core.problems(),
            self.core.admin_notes(),
            no_sound_device=lambda: self.core.no_sound_device,
        )
        self.push_screen(screen, self._admin_choice)

    def _admin_choice(self, choice: str | None) -> None:
        if choice == "exit":
            self.admin.note("exit", True, "kiosk stopped by the admin")
            self.admin_exited = True
            self.exit(0)
        elif choice == "reload":
            self.admin.reload_routines()
            self.show_admin()
        elif choice == "pedal_test":
            self.admin.note("pedal test", True, "opened")
            screen = PedalTestScreen(self.settings.pedal, self.settings.keys, leave_exits_app=False)
            if self.core.pedal is not None:
                screen.attach(self.core.pedal)
            self.push_screen(screen)
        elif choice == "members":
            self.push_screen(MembersScreen(self.admin), lambda _: self.show_admin())
        elif choice == "change_pin":
            self.push_screen(NewPinScreen(self.admin), lambda _: self.show_admin())
        else:
            self.admin.note("admin screen", True, "closed")

    # KioskControls: what the admin screen changes in the running kiosk.

    def apply_sound(self, volume: float, muted: bool) -> None:
        audio = self.settings.audio.model_copy(update={"volume": volume, "muted": muted})
        self.settings = replace(self.settings, audio=audio)
        self.core.adjust_audio(audio)

    def apply_idle_seconds(self, seconds: float) -> None:
        kiosk = self.settings.kiosk.model_copy(update={"idle_seconds": seconds})
        self.settings = replace(self.settings, kiosk=kiosk)
        self.core.idle = IdleWatch(kiosk, self.settings.clock)

    def reload_routines(self) -> str:
        """The admin's "reload": read the folders now, whatever the watch saw."""
        self.core.reload()
        self.refresh_picker()
        choices, problems = self.core.routine_choices(), self.core.problem_count
        count = f"{len(choices)} routine{'s' if len(choices) != 1 else ''}"
        return f"{count}, {problems} file(s) with problems" if problems else count

    # -- unattended care -----------------------------------------------------------

    @guarded
    def check_unattended(self) -> None:
        """The periodic check: the idle reset (routine files are the watch's)."""
        top = top_input_screen(self)
        if top is not self._watched:
            # A new screen (a summary, say) counts as activity: its timeout starts now.
            self._watched = top
            self.core.idle.touch()
        idleness = top.idleness() if top is not None else Idleness.LOST
        if self.core.idle.reset_due(idleness):
            self.reset_to_picker()
        elif self._thaw_due and isinstance(top, (AttractScreen, PickerScreen)):
            # A check after an idle reset: nobody is here, and the screens the reset
            # closed are gone (frozen while closing, they would be kept for good).
            self._thaw_due = False
            memory.thaw()

    def refresh_picker(self) -> None:
        """Give every picker, and the attract screen, the routines as they are now."""
        super().refresh_picker()
        for screen in self.screen_stack:
            if isinstance(screen, AttractScreen):
                self.call_later(screen.refresh_routines, self._attract_routines())

    def reset_to_picker(self) -> None:
        """Sign the visitor out, clear every screen whatever the stack holds, show the
        attract screen."""
        self.core.idle.touch()
        self.core.abandon()
        self.desk.sign_out()
        self._pin_open = False
        while len(self.screen_stack) > 1 and not isinstance(self.screen_stack[-1], BaseScreen):
            self.pop_screen()
        if not self.screen_stack or not isinstance(self.screen_stack[-1], BaseScreen):
            self.push_screen(BaseScreen())
        self.show_picker()
        self._thaw_due = True

    def recover(self, error: Exception) -> bool:
        """A bug in a screen (see :func:`~trainer.ui.screens.base.guarded`): log it and
        carry on from the attract screen; the kiosk must never exit on a bug."""
        self.recovered_errors += 1
        log.error("unexpected error in the kiosk", exc_info=error)
        self.core.log_error(error)
        # After the failed handler has returned, never from inside it.
        self.call_later(self.reset_to_picker)
        return True
