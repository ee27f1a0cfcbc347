"""The application core: everything the trainer does, without Textual.

Layers, inner to outer: ``routine`` (the file format) -> ``engine`` (a pure
state machine) -> ``adapters`` (pedal, audio, store) -> **core** (this package)
-> ``ui`` (thin Textual screens) -> ``commands`` (the CLI). The core opens the
adapters, runs the flow (routines, start, resume, finish, history) and the
kiosk's rules, and answers every input with what to draw. Nothing here imports
Textual (import-linter checks it), so all of it is tested with plain values.

Where things are:

* :class:`TrainerCore` (:mod:`.flow`): the flow; one per app.
* :class:`ActiveSession` and :class:`Step` (:mod:`.session`): one session
  under way; ``handle(action)`` and ``tick()`` return a ``Step`` (effects and
  the snapshot to draw).
* :class:`Action` (:mod:`.actions`): one input, from a key or the pedal.
* :class:`AdapterFactories` (:mod:`.adapters`): how adapters are opened.
* :class:`IdleWatch` and :class:`Idleness` (:mod:`.kiosk`): the kiosk's rules.
* :class:`AppSettings` and :class:`KioskSettings` (:mod:`.settings`).

How input flows: the pedal's thread or a key -> :class:`Action` -> the app posts
it to the active screen (``UserInput``) -> the screen calls the core once ->
the screen draws ``step.snapshot``. There is no other way for anything to
reach the engine or the screen.

**Adding an action** (say, "repeat the last cue"): add the command to
:class:`~trainer.engine.vocabulary.Command` and teach
:meth:`Session._apply <trainer.engine.session.Session>` what it does; bind a
key in :data:`~trainer.adapters.pedal.keys.DEFAULT_KEYS` (or map a gesture in
``[engine.gestures]``). Nothing in the UI changes: the key arrives as an
``Action`` whose ``meaning`` is the new command, and the screen already draws
whatever snapshot comes back. A key that only one screen understands needs no
binding: screens see ``action.key`` too (``1``/``2``/``3`` answer a check in
:meth:`ActiveSession.handle`).

**Adding a screen**: subclass ``InputScreen`` *and* Textual's ``Screen`` (in
that order; see :mod:`trainer.ui.screens.base`). Build it from plain data the
core gives you (``core.history()`` gives a ``HistoryView``, say); react to
input in ``take(action)``; return how it counts for the kiosk from
``idleness()`` (:class:`Idleness`). Post a message for what the app should do
next (``PickerScreen.Chosen``), never reach into the app.

**Adding an adapter**: write it under ``trainer/adapters/<name>/`` importing
no other adapter, then add a field to :class:`AdapterFactories` whose default
opens the real thing, and open it in :meth:`TrainerCore.open` (turn its
failure into a notice: no adapter is needed to train). Tests pass their own
factory: ``TrainerApp(settings, factories=AdapterFactories(open_audio=fake))``.
"""

from typing import TYPE_CHECKING

from trainer.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from trainer.core.actions import Action
    from trainer.core.adapters import AdapterFactories, Sound
    from trainer.core.answer_panel import ANSWER_KEYS
    from trainer.core.flow import HistoryView, PedalCallbacks, SummaryView, TrainerCore
    from trainer.core.kiosk import Idleness, IdleWatch, session_idleness
    from trainer.core.routine_rows import RoutineChoice
    from trainer.core.session import ActiveSession, Step
    from trainer.core.settings import AppSettings, KioskSettings

# Imported when first asked for: the picker's first paint imports actions and
# kiosk from here, and must not pay for the flow, the store or pydantic.
__getattr__ = lazy_exports(
    __name__,
    {
        "Action": "trainer.core.actions",
        "AdapterFactories": "trainer.core.adapters",
        "Sound": "trainer.core.adapters",
        "HistoryView": "trainer.core.flow",
        "PedalCallbacks": "trainer.core.flow",
        "RoutineChoice": "trainer.core.routine_rows",
        "SummaryView": "trainer.core.flow",
        "TrainerCore": "trainer.core.flow",
        "Idleness": "trainer.core.kiosk",
        "IdleWatch": "trainer.core.kiosk",
        "session_idleness": "trainer.core.kiosk",
        "ANSWER_KEYS": "trainer.core.answer_panel",
        "ActiveSession": "trainer.core.session",
        "Step": "trainer.core.session",
        "AppSettings": "trainer.core.settings",
        "KioskSettings": "trainer.core.settings",
    },
)

__all__ = [
    "ANSWER_KEYS",
    "Action",
    "ActiveSession",
    "AdapterFactories",
    "AppSettings",
    "HistoryView",
    "IdleWatch",
    "Idleness",
    "KioskSettings",
    "PedalCallbacks",
    "RoutineChoice",
    "Sound",
    "Step",
    "SummaryView",
    "TrainerCore",
    "session_idleness",
]
