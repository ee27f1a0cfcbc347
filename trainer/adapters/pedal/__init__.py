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

from typing import TYPE_CHECKING

from trainer.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from trainer.adapters.pedal.diagnostics import EdgeRecord, WiringCheck
    from trainer.adapters.pedal.gpio import GpioPedal
    from trainer.adapters.pedal.keys import DEFAULT_KEYS, KeyAction, KeyMap, KeyMapError
    from trainer.adapters.pedal.mock import MOCK_HELP, MOCK_KEYS, MockFoot
    from trainer.adapters.pedal.opening import PedalConnection, PedalUnavailable, open_pedal
    from trainer.adapters.pedal.recognizer import Edge, GestureRecognizer, GestureTimings
    from trainer.adapters.pedal.settings import PedalSettings, PedalSettingsError

# Imported when first asked for, so importing one module of this package does
# not import them all (trainer.lazy_exports).
__getattr__ = lazy_exports(
    __name__,
    {
        "EdgeRecord": "trainer.adapters.pedal.diagnostics",
        "WiringCheck": "trainer.adapters.pedal.diagnostics",
        "GpioPedal": "trainer.adapters.pedal.gpio",
        "DEFAULT_KEYS": "trainer.adapters.pedal.keys",
        "KeyAction": "trainer.adapters.pedal.keys",
        "KeyMap": "trainer.adapters.pedal.keys",
        "KeyMapError": "trainer.adapters.pedal.keys",
        "MOCK_HELP": "trainer.adapters.pedal.mock",
        "MOCK_KEYS": "trainer.adapters.pedal.mock",
        "MockFoot": "trainer.adapters.pedal.mock",
        "PedalConnection": "trainer.adapters.pedal.opening",
        "PedalUnavailable": "trainer.adapters.pedal.opening",
        "open_pedal": "trainer.adapters.pedal.opening",
        "Edge": "trainer.adapters.pedal.recognizer",
        "GestureRecognizer": "trainer.adapters.pedal.recognizer",
        "GestureTimings": "trainer.adapters.pedal.recognizer",
        "PedalSettings": "trainer.adapters.pedal.settings",
        "PedalSettingsError": "trainer.adapters.pedal.settings",
    },
)

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
