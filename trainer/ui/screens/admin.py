"""The kiosk admin's screens: the PIN prompt, the admin menu, members, a new PIN.

The screens draw and ask; every change goes through the Textual-free
:class:`~trainer.core.admin.KioskAdmin` (which logs it) and every PIN try
through :class:`~trainer.core.admin_pin.PinGuard` (which enforces the
lockout). Admins use the keyboard; the pedal does nothing here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from trainer.adapters.store.members import Member
from trainer.core.actions import Action
from trainer.core.admin import AdminOutcome, KioskAdmin
from trainer.core.admin_pin import PinGuard
from trainer.core.sign_in import KeyEntry, Scanned
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import InputScreen

ADMIN_CSS = """
NAME { align: center middle; background: $background 70%; }
NAME > Vertical { width: 76; max-width: 95%; height: auto; max-height: 95%; padding: 1 3;
                  border: heavy $warning; background: $surface; }
NAME > Vertical > * { width: 100%; height: auto; }
NAME .title { text-style: bold; }
NAME .outcome { margin-top: 1; text-style: bold; }
NAME .outcome.failed { color: $error; }
NAME .help { color: $text-muted; margin-top: 1; }
NAME #problems { color: $error; max-height: 8; overflow-y: auto; }
NAME .member.selected { background: $boost; text-style: bold; color: $accent; }
"""


def _css(name: str) -> str:
    return ADMIN_CSS.replace("NAME", name)


def _show_outcome(widget: Static, outcome: AdminOutcome) -> None:
    widget.update(plain(outcome.message))
    widget.set_class(not outcome.ok, "failed")


class PinPrompt(InputScreen, ModalScreen[bool]):
    """The admin PIN; dismisses with True once :class:`PinGuard` accepts it.

    Wrong PINs stay on this screen with the guard's message; while locked, the
    message counts down the seconds left.
    """

    DEFAULT_CSS = _css("PinPrompt")
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, guard: PinGuard) -> None:
        super().__init__()
        self.guard = guard
        # It answers once: a second Enter typed before it has gone (F12, PIN,
        # Enter, Enter) must not dismiss whatever screen is under it.
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Admin PIN, then Enter (Esc to cancel)", classes="title")
            yield Input(password=True, max_length=12, id="pin")
            yield Static("", id="verdict", classes="outcome")

    def on_mount(self) -> None:
        self._show_lock()
        self.set_interval(1.0, self._show_lock)

    def _show_lock(self) -> None:
        left = self.guard.locked_for()
        if left > 0:
            self._say(
                f"Locked after {self.guard.wrong_tries} wrong PINs: "
                f"try again in {math.ceil(left)} s"
            )

    def _say(self, message: str) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update(message)
        verdict.set_class(True, "failed")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.input.value = ""
        if self._answered:
            return
        verdict = self.guard.try_pin(event.value)
        if verdict.accepted:
            self._answer(True)
        else:
            self._say(verdict.message)

    def _answer(self, ok: bool) -> None:
        if not self._answered:
            self._answered = True
            self.dismiss(ok)

    def action_cancel(self) -> None:
        self._answer(False)


#: key -> (choice the menu dismisses with, label)
ADMIN_CHOICES = {
    "1": ("exit", "Exit the kiosk"),
    "2": ("reload", "Reload routines"),
    "3": ("pedal_test", "Pedal test"),
    "4": ("members", "Members"),
    "5": ("change_pin", "Change the PIN"),
    "0": ("back", "Back to the kiosk (or Esc)"),
}


class AdminScreen(InputScreen, ModalScreen[str]):
    """The admin menu. Sound and idle time change here; other choices dismiss with a name."""

    DEFAULT_CSS = _css("AdminScreen")
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        admin: KioskAdmin,
        problems: list[str],
        notes: list[str],
        *,
        no_sound_device: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__()
        self.admin = admin
        self.problems = problems
        self.notes = notes
        #: Asked each time the settings line is drawn (a volume change reopens the sound).
        self.no_sound_device = no_sound_device
        self._chosen = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Kiosk admin", classes="title")
            for key, (_, label) in ADMIN_CHOICES.items():
                yield Static(f"{key:>3}  {label}")
            yield Static("", id="settings")
            yield Static("  +/-  volume    m  mute    t  idle time", classes="help")
            text = "\n".join(self.problems) if self.problems else "All routine files OK."
            yield Static(plain(text), id="problems")
            for note in self.notes:
                yield Static(plain(note), classes="note")
            yield Static("", id="outcome", classes="outcome")

    def on_mount(self) -> None:
        self._show_settings()
        if self.admin.history:  # back from a choice: what it did
            _show_outcome(self.query_one("#outcome", Static), self.admin.history[-1][2])

    def _show_settings(self) -> None:
        admin = self.admin
        if self.no_sound_device():
            sound = "no sound device: cues flash"
        else:
            sound = "sound off" if admin.muted else "sound on"
        self.query_one("#settings", Static).update(
            f"Volume {round(admin.volume * 100)}% ({sound})\n"
            f"Idle reset after {admin.idle_seconds:.0f} s"
        )

    def take(self, action: Action) -> None:
        if action.key is not None:
            self.take_key(action.key)

    def take_key(self, key: str) -> bool:
        actions: dict[str, Callable[[], AdminOutcome]] = {
            "plus": lambda: self.admin.change_volume(+1),
            "equals_sign": lambda: self.admin.change_volume(+1),
            "minus": lambda: self.admin.change_volume(-1),
            "m": self.admin.toggle_mute,
            # Not "i": the simulated pedal (--pedal mock) takes p, o and i first.
            "t": self.admin.next_idle_time,
        }
        if key in actions:
            _show_outcome(self.query_one("#outcome", Static), actions[key]())
            self._show_settings()
            return True
        if key in ADMIN_CHOICES:
            self._choose(ADMIN_CHOICES[key][0])
            return True
        return False

    def action_cancel(self) -> None:
        self._choose("back")

    def _choose(self, choice: str) -> None:
        if not self._chosen:
            self._chosen = True
            self.dismiss(choice)


class MembersScreen(InputScreen, ModalScreen[None]):
    """The member list (names are shown to the admin only): add, code, badge, clear history."""

    DEFAULT_CSS = _css("MembersScreen")
    BINDINGS = [Binding("escape", "cancel", show=False)]
    HELP = "↑/↓ choose   a add   c set code   b register badge   x clear history   Esc back"

    def __init__(self, admin: KioskAdmin) -> None:
        super().__init__()
        self.admin = admin
        self.members: list[Member] = []
        self.selected = 0
        self.asking: str | None = None  # what the input line is for: add / code / confirm
        self.scanning = False
        self.entry = KeyEntry()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Members", classes="title")
            yield Static("", id="list")
            yield Static("", id="question")
            yield Input(id="answer", max_length=40)
            yield Static("", id="outcome", classes="outcome")
            yield Static(self.HELP, classes="help")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).display = False
        self._refresh()

    def _refresh(self) -> None:
        self.members = self.admin.members()
        self.selected = min(self.selected, max(0, len(self.members) - 1))
        text = Text()
        for index, member in enumerate(self.members):
            marker = "▶ " if index == self.selected else "  "
            style = "bold reverse" if index == self.selected else ""
            ways = [way for way, has in (("code", member.code), ("badge", member.badge)) if has]
            text.append(marker)
            text.append_text(plain(member.name, style))
            text.append(f"  ({', '.join(ways) or 'no code or badge'})\n", style="dim")
        if not self.members:
            text.append("No members yet: press a to add one.")
        self.query_one("#list", Static).update(text)

    @property
    def member(self) -> Member | None:
        return self.members[self.selected] if self.members else None

    def _ask(self, purpose: str, question: str, *, password: bool = False) -> None:
        self.asking = purpose
        self.query_one("#question", Static).update(plain(question))
        answer = self.query_one("#answer", Input)
        answer.password = password
        answer.value = ""
        answer.display = True
        answer.focus()

    def _done_asking(self) -> None:
        self.asking = None
        self.scanning = False
        self.entry.clear()
        self.query_one("#question", Static).update("")
        answer = self.query_one("#answer", Input)
        answer.display = False
        self.set_focus(None)

    def _outcome(self, outcome: AdminOutcome) -> None:
        _show_outcome(self.query_one("#outcome", Static), outcome)
        self._refresh()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        purpose, value, member = self.asking, event.value, self.member
        self._done_asking()
        if purpose == "add":
            self._outcome(self.admin.add_member(value))
        elif purpose == "code" and member is not None:
            self._outcome(self.admin.set_code(member, value.strip()))
        elif purpose == "confirm" and member is not None:
            if value.strip().lower() in ("y", "yes"):
                self._outcome(self.admin.clear_history(member))
            else:
                self._outcome(AdminOutcome(True, "Nothing deleted"))

    def take(self, action: Action) -> None:
        if action.key is not None:
            self.take_key(action.key, action.at)

    def take_key(self, key: str, at: float | None = None) -> bool:
        if self.scanning:
            return self._scan_key(key, at)
        if self.asking is not None:
            return False  # the input line has the keys
        member = self.member
        if key in ("up", "down") and self.members:
            self.selected = (self.selected + (1 if key == "down" else -1)) % len(self.members)
            self._refresh()
        elif key == "a":
            self._ask("add", "New member's name, then Enter:")
        elif key == "c" and member is not None:
            self._ask("code", f"Code for {member.name} (4 to 12 digits):", password=True)
        elif key == "b" and member is not None:
            self.scanning = True
            self.query_one("#question", Static).update(
                plain(f"Hold {member.name}'s badge to the reader now (Esc to cancel)")
            )
        elif key == "x" and member is not None:
            self._ask("confirm", f"Delete every session of {member.name}? Type yes and Enter:")
        else:
            return False
        return True

    def action_cancel(self) -> None:
        """Esc: stop asking (or scanning); with nothing asked, back to the menu."""
        if self.asking is not None or self.scanning:
            self._done_asking()
        else:
            self.dismiss(None)

    def _scan_key(self, key: str, at: float | None = None) -> bool:
        result = self.entry.key(key, time.monotonic() if at is None else at)
        member = self.member
        if result is not None and member is not None:
            number = result.number if isinstance(result, Scanned) else result.code
            self._done_asking()
            self._outcome(self.admin.register_badge(member, number))
        return True


class NewPinScreen(InputScreen, ModalScreen[None]):
    """Change the admin PIN: type it twice."""

    DEFAULT_CSS = _css("NewPinScreen")
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, admin: KioskAdmin) -> None:
        super().__init__()
        self.admin = admin
        self.first: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("New admin PIN (4 to 12 digits), then Enter", id="question")
            yield Input(password=True, max_length=12, id="pin")
            yield Static("", id="outcome", classes="outcome")
            yield Static("Esc: back, the PIN unchanged", classes="help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value, event.input.value = event.value, ""
        if self.first is None:
            self.first = value
            self.query_one("#question", Static).update("The same PIN again, then Enter")
            return
        outcome = self.admin.change_pin(self.first, value)
        self.first = None
        _show_outcome(self.query_one("#outcome", Static), outcome)
        self.query_one("#question", Static).update(
            "Done: Esc to go back" if outcome.ok else "New admin PIN, then Enter"
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
