"""How the core opens the outside world: :class:`AdapterFactories`.

Each adapter (session log, sound, pedal, routine folders) is opened through a
plain callable held in one frozen dataclass. The defaults open the real thing;
a test or a benchmark passes its own instead, without monkeypatching::

    factories = AdapterFactories(open_audio=lambda settings, notify, on_unheard: FakeSound())
    core = TrainerCore(settings, factories=factories)

Each factory may raise; the core turns a failure into a notice ("Sound is off:
...") and runs without that adapter, because none of them is needed to train.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from trainer.adapters.audio.player import AudioPlayer, Notify
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.gpio import EdgeCallback, GestureCallback
from trainer.adapters.pedal.opening import PedalConnection, open_pedal
from trainer.adapters.pedal.settings import PedalSettings
from trainer.adapters.store.database import SessionStore
from trainer.engine.soundplan import SoundMeasure
from trainer.engine.vocabulary import Tone
from trainer.routine.catalog import Catalog, load_catalog


class Sound(Protocol):
    """What the core needs from a sound player (:class:`AudioPlayer`, or a test's fake).

    ``late_by`` is how late the request is (a busy Pi); the player may drop a
    sound too stale to help.
    """

    #: How long each sound really lasts, for the session's sound plan (None: estimated).
    @property
    def measure(self) -> SoundMeasure | None: ...

    def play(self, tone: Tone, *, late_by: float = 0.0) -> None: ...
    def speak(self, text: str, *, late_by: float = 0.0) -> None: ...
    def set_sound(self, volume: float, muted: bool) -> None: ...
    def close(self) -> None: ...


#: ``open_audio(settings, notify, on_unheard)``: ``notify`` and ``on_unheard`` are
#: called from the player's own threads.
OpenAudio = Callable[[AudioSettings, Notify, Callable[[], None]], Sound]
#: ``open_pedal(settings, on_gesture, on_edge)``, callbacks from the pedal's thread.
OpenPedal = Callable[[PedalSettings, GestureCallback, EdgeCallback], PedalConnection]


def open_audio_player(
    settings: AudioSettings, notify: Notify, on_unheard: Callable[[], None]
) -> AudioPlayer:
    """The real player (simpleaudio, aplay or silent, as ``settings.backend`` says)."""
    return AudioPlayer.create(settings, notify=notify, on_unheard=lambda request: on_unheard())


def open_foot_switch(
    settings: PedalSettings, on_gesture: GestureCallback, on_edge: EdgeCallback
) -> PedalConnection:
    """The real pedal (gpiozero on this machine's GPIO, simulated, or none)."""
    return open_pedal(settings, on_gesture, on_edge=on_edge)


def open_session_store(path: Path) -> SessionStore:
    return SessionStore.open(path)


def load_routines(folders: Sequence[Path], files: Sequence[Path] = ()) -> Catalog:
    """The routines in ``folders``, and single routine ``files`` (``trainer run FILE``)."""
    return load_catalog(list(folders), files=list(files))


@dataclass(frozen=True)
class AdapterFactories:
    """The callables that open each adapter; replace any of them in tests."""

    open_store: Callable[[Path], SessionStore] = open_session_store
    open_audio: OpenAudio = open_audio_player
    open_pedal: OpenPedal = open_foot_switch
    load_catalog: Callable[[Sequence[Path], Sequence[Path]], Catalog] = load_routines
