"""Which key does what: :class:`KeyMap`, from key names to gestures and commands.

The keyboard stands in for the foot switch, and a USB foot pedal *is* a
keyboard: it types one key (often a letter, PageDown or an F-key) when
pressed. A key can therefore mean a pedal :class:`~trainer.engine.vocabulary.Gesture`
(so a USB pedal behaves exactly like the wired one) or a
:class:`~trainer.engine.vocabulary.Command` (for the keys a person presses).

The default keys:

=========================  ======================  =================================
key                        means                   why
=========================  ======================  =================================
``space``, ``enter``       tap (gesture)           the same as tapping the pedal
``backspace``, ``b``       back (command)          "back" in the pause menu, directly
``escape``                 pause (command)         pause / resume, like a long press
``s``                      skip (command)          skip the rest of this step
``r``                      restart step (command)  start this step again
``q``                      quit (command)          ignored by the app in kiosk mode
=========================  ======================  =================================

``p`` is left free on purpose: with ``--pedal mock`` it presses the simulated
pedal (see :mod:`trainer.adapters.pedal.mock`).

**Adding a USB pedal.** Find the key name it types with ``trainer pedal-test``:
press the pedal and read the name under *Keys* (for example ``pagedown`` or
``f5``). Then bind it in the ``[keys]`` section of the config file, by gesture
or command name::

    [keys]
    tap = ["pagedown", "f5"]     # a one-button pedal that types PageDown or F5
    long_press = "f6"
    back = "left"
    unbind = ["s"]               # take the default key away from skip

A key name is Textual's: a single character stands for itself (``"a"``,
``"A"``), and named keys are lower case (``"pagedown"``, ``"f5"``,
``"ctrl+x"``). Bindings in the config file are *added* to the defaults; a key
bound in the config file leaves its default meaning, and ``unbind`` removes
default keys without giving them a new meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from trainer.config import ConfigError, ConfigProblem, read_section
from trainer.engine.vocabulary import Command, Gesture

__all__ = ["DEFAULT_KEYS", "KeyAction", "KeyMap", "KeyMapError", "normalize_key"]

KeyAction = Gesture | Command

DEFAULT_KEYS: Mapping[str, KeyAction] = {
    "space": Gesture.TAP,
    "enter": Gesture.TAP,
    "backspace": Command.BACK,
    "b": Command.BACK,
    "escape": Command.PAUSE,
    "s": Command.SKIP,
    "r": Command.RESTART_STEP,
    "q": Command.QUIT,
}

#: The ``[keys]`` entry that removes default keys.
UNBIND = "unbind"

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super")

# Spellings people write for the keys Textual names otherwise.
_ALIASES = {
    "return": "enter",
    "esc": "escape",
    "pgdn": "pagedown",
    "pgdown": "pagedown",
    "page_down": "pagedown",
    "pgup": "pageup",
    "page_up": "pageup",
    "del": "delete",
    "ins": "insert",
    "spacebar": "space",
    " ": "space",
}


class KeyMapError(ConfigError):
    """A ``[keys]`` entry cannot be used; each problem names the entry."""


def normalize_key(name: str) -> str:
    """Textual's name for a key as people write it: ``"PageDown"`` -> ``"pagedown"``.

    Single characters keep their case, because ``"P"`` and ``"p"`` are
    different keys.
    """
    if name == " ":
        return "space"
    text = name.strip()
    if len(text) <= 1:
        return text
    text = text.lower()
    modifier, dash, rest = text.partition("-")
    if dash and rest and modifier in _MODIFIERS:
        text = f"{modifier}+{rest}"  # "ctrl-x", as some docs write it, is Textual's "ctrl+x"
    return _ALIASES.get(text, text)


def _key_names(value: Any) -> Any:
    """One key name or a list of them, as Textual names them (see :func:`normalize_key`)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError('must be a key name or a list of them, like ["pagedown", "f5"]')
    keys = tuple(normalize_key(name) for name in names)
    if not all(keys) or any(ch.isspace() for key in keys for ch in key):
        raise ValueError("must be key names, each without spaces")
    return keys


KeyNames = Annotated[tuple[str, ...], BeforeValidator(_key_names)]


class KeysSection(BaseModel):
    """The ``[keys]`` section as written: an entry per gesture and per command, and
    ``unbind`` (``extra="forbid"``, strict, like every section)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    tap: KeyNames = ()
    double_tap: KeyNames = ()
    long_press: KeyNames = ()
    primary: KeyNames = ()
    back: KeyNames = ()
    pause: KeyNames = ()
    skip: KeyNames = ()
    restart_step: KeyNames = ()
    quit: KeyNames = ()
    unbind: KeyNames = ()


#: What each entry of ``[keys]`` but ``unbind`` binds its keys to.
_ACTIONS: Mapping[str, KeyAction] = {action.value: action for action in (*Gesture, *Command)}


class KeyMap:
    """A read-only map from key names to the gesture or command they stand for.

    >>> keys = KeyMap.from_config({"tap": ["PageDown"]})
    >>> keys.lookup("pagedown"), keys.lookup("space"), keys.lookup("x")
    (<Gesture.TAP: 'tap'>, <Gesture.TAP: 'tap'>, None)
    """

    def __init__(self, bindings: Mapping[str, KeyAction] = DEFAULT_KEYS) -> None:
        self._bindings = dict(bindings)

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> KeyMap:
        """The defaults changed by a ``[keys]`` config section (see the module docstring).

        ``unbind`` takes default keys away; the other entries then bind keys, in the
        order the file gives them.

        :raises KeyMapError: naming every unknown entry, value that is not a key
            name or a list of them, and key given two meanings.
        """
        read = read_section(KeysSection, "keys", section or {}, KeyMapError)
        bindings = dict(DEFAULT_KEYS)
        for key in read.unbind:
            bindings.pop(key, None)
        claimed: dict[str, str] = {}  # key -> the entry that bound it, to catch clashes
        problems = []
        for entry in [name for name in section or {} if name != UNBIND]:
            for key in getattr(read, entry):
                if claimed.setdefault(key, entry) != entry:
                    problems.append(
                        ConfigProblem(
                            "keys", entry, f"key {key!r} is already bound to {claimed[key]}"
                        )
                    )
                bindings[key] = _ACTIONS[entry]
        if problems:
            raise KeyMapError(problems)
        return cls(bindings)

    def lookup(self, key: str) -> KeyAction | None:
        """What ``key`` (a Textual key name, as in ``events.Key.key``) means, if anything."""
        return self._bindings.get(key)

    def keys_for(self, action: KeyAction) -> tuple[str, ...]:
        """Every key bound to ``action``, in the order they were bound."""
        return tuple(key for key, bound in self._bindings.items() if bound == action)

    def items(self) -> Iterable[tuple[str, KeyAction]]:
        """Every ``(key, action)`` binding."""
        return self._bindings.items()

    def __contains__(self, key: object) -> bool:
        return key in self._bindings

    def __len__(self) -> int:
        return len(self._bindings)

    def __repr__(self) -> str:
        return f"KeyMap({self._bindings!r})"
