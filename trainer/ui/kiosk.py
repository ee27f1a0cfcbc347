"""The trainer for an unattended gym floor: :class:`KioskApp`.

The same app as :class:`~trainer.ui.app.TrainerApp`, made unattended: nothing
a passer-by presses exits it, an admin key and PIN open the admin screen, the
routine folders are watched for changes, an idle kiosk returns to the picker on
its own (the rules are :class:`trainer.core.kiosk.IdleWatch`'s), and any
unexpected error is logged and answered by returning to the picker.

However input arrives (a burst of Enters at the PIN prompt, say), the kiosk is
never left without its picker: the periodic check resets from any screen,
including a bare base screen.
"""

from __future__ import annotations

import logging
from typing import Any

from textual import events
from textual.message import Message

from trainer.core.kiosk import Idleness
from trainer.routine.catalog import Catalog
from trainer.ui.app import BaseScreen, TrainerApp
from trainer.ui.screens.base import top_input_screen
from trainer.ui.screens.pedal_test import PedalTestScreen
from trainer.ui.screens.prompts import AdminScreen, PinPrompt
from trainer.ui.screens.session import SessionScreen

log = logging.getLogger(__name__)

#: Keys a kiosk swallows: nothing a passer-by presses may exit or suspend it.
KIOSK_SWALLOWED_KEYS = ("ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "q")


class KioskApp(TrainerApp):
    """The trainer for an unattended gym floor."""

    KIOSK = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin_exited = False
        self._watched: object = None
        self._pin_open = False
        self.recovered_errors = 0
        self.routine_reloads = 0  # catalogs taken from the folder watch (tests, benchmarks)

    class RoutinesReloaded(Message):
        """The folder watch (on its own thread) read the routine folders afresh."""

        def __init__(self, catalog: Catalog) -> None:
            super().__init__()
            self.catalog = catalog

    def after_mount(self) -> None:
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

    def take_key(self, event: events.Key) -> None:
        self.core.idle.touch()
        if event.key == self.settings.kiosk.admin_key:
            event.stop()
            self.ask_pin()
            return
        if event.key in KIOSK_SWALLOWED_KEYS and not self._pause_menu_quit(event.key):
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

    def ask_pin(self) -> None:
        if self._pin_open:
            return
        self._pin_open = True

        def checked(ok: bool | None) -> None:
            self._pin_open = False
            if ok:
                admin = AdminScreen(self.core.problems(), self.core.admin_notes())
                self.push_screen(admin, self._admin_choice)
            else:
                self.core.tell("Wrong PIN")

        self.push_screen(PinPrompt(self.settings.kiosk.admin_pin), checked)

    def _admin_choice(self, choice: str | None) -> None:
        if choice == "exit":
            self.admin_exited = True
            self.exit(0)
        elif choice == "reload":
            self.reload_routines()
        elif choice == "pedal_test":
            screen = PedalTestScreen(self.settings.pedal, self.settings.keys, leave_exits_app=False)
            if self.core.pedal is not None:
                screen.attach(self.core.pedal)
            self.push_screen(screen)

    # -- unattended care -----------------------------------------------------------

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

    def reload_routines(self) -> None:
        """The admin's "reload": read the folders now, whatever the watch saw."""
        self.core.reload()
        self.refresh_picker()

    def reset_to_picker(self) -> None:
        """Clear every screen, whatever the stack holds, and show a fresh picker."""
        self.core.idle.touch()
        self.core.abandon()
        self._pin_open = False
        while len(self.screen_stack) > 1 and not isinstance(self.screen_stack[-1], BaseScreen):
            self.pop_screen()
        if not self.screen_stack or not isinstance(self.screen_stack[-1], BaseScreen):
            self.push_screen(BaseScreen())
        self.show_picker()

    def _handle_exception(self, error: Exception) -> None:
        # Log it and carry on from the picker; the kiosk must never exit on a bug.
        self.recovered_errors += 1
        log.error("unexpected error in the kiosk", exc_info=error)
        self.core.log_error(error)
        try:
            self.call_later(self.reset_to_picker)
        except Exception:  # the app itself is going down: let Textual do so
            super()._handle_exception(error)
