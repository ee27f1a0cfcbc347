"""What every trainer screen shares: one input message, how it counts for the kiosk,
and what a bug in it leads to.

The app turns every key and every pedal gesture into one
:class:`~trainer.core.actions.Action` and posts it to the active screen as a
:class:`UserInput`. A screen reacts in :meth:`InputScreen.take` (the default
ignores it) and says in :meth:`InputScreen.idleness` how it counts towards the
kiosk's idle reset. Neither message bubbles: a screen that does not handle it
simply ignores it.

The screen code that runs the session (input, the engine's ticks) is
:func:`guarded`: an exception there goes to the app's
:meth:`~ErrorRecovery.recover`, where a kiosk logs it and returns to its attract
screen. Textual has no public hook for errors in handlers (its own funnel,
``App._handle_exception``, is private and always ends the app), so the guard
sits on our side of every call Textual makes into that code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, runtime_checkable

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

from trainer.core.actions import Action
from trainer.core.kiosk import Idleness


@dataclass
class UserInput(Message, bubble=False):
    """A key or pedal gesture, for the active screen."""

    action: Action


class CueUnheard(Message, bubble=False):
    """A sound cue nobody could hear (no working sound device): show it instead."""


@runtime_checkable
class ErrorRecovery(Protocol):
    """An app that may carry on after a bug in a screen (the kiosk does)."""

    def recover(self, error: Exception) -> bool:
        """Deal with ``error`` and return True, or return False to let it end the app."""
        ...


_Node = TypeVar("_Node")
_Args = ParamSpec("_Args")


def guarded(
    handler: Callable[Concatenate[_Node, _Args], None],
) -> Callable[Concatenate[_Node, _Args], None]:
    """``handler`` (a screen's or the app's method), with its exceptions handed to the
    app's :meth:`ErrorRecovery.recover`; what that does not recover from is raised on."""

    def run(node: _Node, /, *args: _Args.args, **kwargs: _Args.kwargs) -> None:
        try:
            handler(node, *args, **kwargs)
        except Exception as error:
            app: object = node.app if isinstance(node, MessagePump) else None
            if not (isinstance(app, ErrorRecovery) and app.recover(error)):
                raise

    functools.update_wrapper(run, handler)
    return run


class InputScreen:
    """Mixed into every trainer screen (before Textual's ``Screen``/``ModalScreen``)."""

    @guarded
    def on_user_input(self, message: UserInput) -> None:
        self.take(message.action)

    def take(self, action: Action) -> None:
        """React to a key or pedal gesture; the default ignores it."""

    def idleness(self) -> Idleness:
        """How this screen counts for the kiosk's idle reset; by default, it waits for input."""
        return Idleness.WAITING


def top_input_screen(app: App[Any]) -> InputScreen | None:
    """The screen on top of the stack, if it is a trainer screen."""
    stack: list[Screen[Any]] = app.screen_stack
    top = stack[-1] if stack else None
    return top if isinstance(top, InputScreen) else None
