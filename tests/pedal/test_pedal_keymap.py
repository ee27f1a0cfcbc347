"""KeyMap: default keys, [keys] config parsing (USB foot pedals), and clear errors."""

from __future__ import annotations

import pytest

from trainer.adapters.pedal import DEFAULT_KEYS, KeyMap, KeyMapError
from trainer.adapters.pedal.keys import KeysSection, normalize_key
from trainer.engine.vocabulary import Command, Gesture


def test_default_keys():
    keys = KeyMap()
    assert keys.lookup("space") is Gesture.TAP
    assert keys.lookup("enter") is Gesture.TAP
    assert keys.lookup("backspace") is Command.BACK
    assert keys.lookup("b") is Command.BACK
    assert keys.lookup("escape") is Command.PAUSE
    assert keys.lookup("s") is Command.SKIP
    assert keys.lookup("r") is Command.RESTART_STEP
    assert keys.lookup("q") is Command.QUIT
    assert keys.lookup("x") is None


def test_p_is_left_for_the_simulated_pedal():
    assert "p" not in KeyMap()
    assert "P" not in KeyMap()


def test_a_usb_pedal_is_bound_onto_gestures_and_the_defaults_stay():
    keys = KeyMap.from_config(
        {"tap": ["pagedown", "f5"], "long_press": "f6", "double_tap": ["pageup"]}
    )
    assert keys.lookup("pagedown") is Gesture.TAP
    assert keys.lookup("f5") is Gesture.TAP
    assert keys.lookup("f6") is Gesture.LONG_PRESS
    assert keys.lookup("pageup") is Gesture.DOUBLE_TAP
    assert keys.lookup("space") is Gesture.TAP  # still there
    assert keys.keys_for(Gesture.TAP) == ("space", "enter", "pagedown", "f5")


def test_commands_can_be_bound_and_a_default_key_can_move():
    keys = KeyMap.from_config({"back": ["left"], "pause": "space"})
    assert keys.lookup("left") is Command.BACK
    assert keys.lookup("space") is Command.PAUSE  # moved from tap
    assert keys.lookup("enter") is Gesture.TAP


def test_unbind_removes_default_keys():
    keys = KeyMap.from_config({"unbind": ["s", "q"]})
    assert keys.lookup("s") is None
    assert keys.lookup("q") is None
    assert len(keys) == len(DEFAULT_KEYS) - 2


def test_an_empty_or_missing_section_gives_the_defaults():
    assert dict(KeyMap.from_config(None).items()) == dict(DEFAULT_KEYS)
    assert dict(KeyMap.from_config({}).items()) == dict(DEFAULT_KEYS)
    assert dict(KeyMap.from_config({"tap": []}).items()) == dict(DEFAULT_KEYS)


@pytest.mark.parametrize(
    ("written", "textual_name"),
    [
        ("PageDown", "pagedown"),
        ("page_down", "pagedown"),
        ("PgDn", "pagedown"),
        ("F5", "f5"),
        ("Return", "enter"),
        ("Esc", "escape"),
        ("Ctrl-X", "ctrl+x"),
        ("ctrl+x", "ctrl+x"),
        (" ", "space"),
        ("P", "P"),  # a single character keeps its case
        ("-", "-"),
    ],
)
def test_key_names_are_normalised_to_textuals(written, textual_name):
    assert normalize_key(written) == textual_name
    assert KeyMap.from_config({"tap": [written]}).lookup(textual_name) is Gesture.TAP


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"jump": ["j"]},
            r"\[keys\] jump: unknown setting 'jump' \(settings: back, double_tap, long_press",
        ),
        ({"tapp": "f5"}, r"\[keys\] tapp: unknown setting 'tapp'; did you mean 'tap'\?"),
        ({"tap": 5}, r"\[keys\] tap: must be a key name or a list of them, .*got 5"),
        ({"tap": {"key": "a"}}, r"\[keys\] tap: must be a key name or a list"),
        ({"tap": [5]}, r"\[keys\] tap: must be a key name or a list of them, .*got \[5\]"),
        ({"tap": [""]}, r"\[keys\] tap: must be key names, each without spaces, got \[''\]"),
        ({"tap": ["page down"]}, r"\[keys\] tap: must be key names, each without spaces"),
        ({"tap": ["f5"], "back": ["F5"]}, r"\[keys\] back: key 'f5' is already bound to tap"),
    ],
)
def test_bad_entries_raise_a_message_naming_the_entry(section, message):
    with pytest.raises(KeyMapError, match=message):
        KeyMap.from_config(section)


def test_every_bad_entry_is_reported_at_once():
    with pytest.raises(KeyMapError) as caught:
        KeyMap.from_config({"tapp": "f5", "back": 3, "pause": ["f5"], "skip": "F5"})
    assert [(problem.section, problem.key) for problem in caught.value.problems] == [
        ("keys", "back"),
        ("keys", "tapp"),
    ]
    with pytest.raises(KeyMapError) as caught:
        KeyMap.from_config({"tap": "f5", "pause": ["f5"], "skip": "F5"})
    assert [problem.key for problem in caught.value.problems] == ["pause", "skip"]


def test_the_section_has_an_entry_for_every_gesture_and_command():
    names = {*(gesture.value for gesture in Gesture), *(command.value for command in Command)}
    assert set(KeysSection.model_fields) == names | {"unbind"}


def test_unbind_takes_only_default_keys_away():
    # Wherever unbind stands in the file, a key the file binds stays bound.
    keys = KeyMap.from_config({"tap": ["s"], "unbind": ["s", "q"]})
    assert keys.lookup("s") is Gesture.TAP and keys.lookup("q") is None


def test_keymap_errors_are_value_errors():
    assert issubclass(KeyMapError, ValueError)


def test_simulated_pedal_keys_clash_with_no_other_key():
    # `h` used to be both the picker's "history" and the simulated pedal's hold.
    from trainer.adapters.pedal.keys import DEFAULT_KEYS
    from trainer.adapters.pedal.mock import MOCK_HELP, MOCK_KEYS
    from trainer.ui.screens.history import HistoryScreen
    from trainer.ui.screens.picker import PickerScreen

    bound = set(DEFAULT_KEYS) | set("0123456789")  # digits answer checks
    bound |= {"i", "m", "+", "-"}  # the kiosk admin screen's keys
    for screen in (PickerScreen, HistoryScreen):
        for binding in screen.BINDINGS:
            key = binding.key if hasattr(binding, "key") else binding[0]
            bound |= set(key.split(","))
    assert not set(MOCK_KEYS) & bound
    for key in ("p", "o", "u"):
        assert key in MOCK_KEYS and f"{key} " in MOCK_HELP
