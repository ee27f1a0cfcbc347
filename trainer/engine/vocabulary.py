"""The words the engine and its adapters share: gestures, commands and tones.

They live at the centre so that the pedal adapter can produce gestures, the UI
can produce commands and the audio adapter can play tones without any of them
importing each other.
"""

from __future__ import annotations

from enum import StrEnum


class Gesture(StrEnum):
    """What a foot did on the pedal, as recognised from its raw edges."""

    TAP = "tap"
    DOUBLE_TAP = "double_tap"
    LONG_PRESS = "long_press"


class Command(StrEnum):
    """A named action, usually from a key; gestures map onto these too."""

    PRIMARY = "primary"  # start / done / next; finishes a running hold early
    BACK = "back"  # one moment back
    PAUSE = "pause"  # toggles pause / resume
    SKIP = "skip"  # skip the rest of the current step
    RESTART_STEP = "restart_step"
    QUIT = "quit"


class Tone(StrEnum):
    """Every tone the trainer can play; the audio adapter synthesises each one."""

    PIP = "pip"  # the 3-2-1 countdown before the end of a hold
    START = "start"
    END = "end"
    HALFWAY = "halfway"
    SWITCH_SIDES = "switch_sides"
    TEMPO = "tempo"  # a soft tick on each tempo phase of a rep
    SESSION_COMPLETE = "session_complete"
