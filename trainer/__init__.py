"""trainer: a hands-free, guided mobility-session trainer for the terminal.

Layers, innermost first (each imports only the ones above it in this list):

* :mod:`trainer.routine` - the routine file format: models, loading, validation.
* :mod:`trainer.engine` - a pure, clock-driven session state machine.
* :mod:`trainer.adapters` - foot pedal, audio and the session store.
* :mod:`trainer.ui` - the Textual app; :mod:`trainer.cli` - the ``trainer`` command.
"""

__version__ = "0.1.0"
