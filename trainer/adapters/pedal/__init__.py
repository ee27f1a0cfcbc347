"""The foot switch and the keys that stand in for it.

The pieces, each usable and tested on its own:

* :class:`PedalSettings` (:mod:`.settings`): pin, pull and timings, merged
  from defaults, the ``[pedal]`` config section, ``TRAINER_PEDAL*`` variables
  and ``--pedal`` / ``--pin``.
* :class:`GestureRecognizer` (:mod:`.recognizer`): pure; raw edges in, tap,
  double tap and long press out. The timing rules are documented there.
* :class:`GpioPedal` (:mod:`.gpio`): a gpiozero ``Button`` plus the thread
  that runs the recognizer's timers and calls back with gestures.
* :func:`open_pedal` (:mod:`.opening`): settings in, a :class:`PedalConnection`
  out, falling back to keyboard-only with a notice when there is no GPIO.
* :class:`MockFoot` (:mod:`.mock`): presses a simulated pin for ``--pedal mock``.
* :class:`KeyMap` (:mod:`.keys`): key names to gestures and commands,
  including USB foot pedals that type a key.
* :class:`WiringCheck` (:mod:`.diagnostics`): the numbers ``trainer pedal-test`` shows.

The application core opens the pedal (:mod:`trainer.core.adapters`); the
Textual app hands its callbacks over to its event loop with
:mod:`trainer.ui.pedal_bridge`.
Nothing here imports gpiozero until a pedal is actually opened.
"""

from trainer.adapters.pedal.diagnostics import EdgeRecord, WiringCheck
from trainer.adapters.pedal.gpio import GpioPedal
from trainer.adapters.pedal.keys import DEFAULT_KEYS, KeyAction, KeyMap, KeyMapError
from trainer.adapters.pedal.mock import MOCK_HELP, MOCK_KEYS, MockFoot
from trainer.adapters.pedal.opening import PedalConnection, PedalUnavailable, open_pedal
from trainer.adapters.pedal.recognizer import Edge, GestureRecognizer, GestureTimings
from trainer.adapters.pedal.settings import PedalSettings, PedalSettingsError

__all__ = [
    "DEFAULT_KEYS",
    "MOCK_HELP",
    "MOCK_KEYS",
    "Edge",
    "EdgeRecord",
    "GestureRecognizer",
    "GestureTimings",
    "GpioPedal",
    "KeyAction",
    "KeyMap",
    "KeyMapError",
    "MockFoot",
    "PedalConnection",
    "PedalSettings",
    "PedalSettingsError",
    "PedalUnavailable",
    "WiringCheck",
    "open_pedal",
]
