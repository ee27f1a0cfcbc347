"""Sound for a session whose user is looking at their body, not the screen.

The app needs only three names from here::

    from trainer.adapters.audio import AudioPlayer, AudioSettings, AudioSettingsError

* :class:`AudioSettings` - the ``[audio]`` config section, parsed and checked.
* :class:`AudioPlayer` - ``play(Tone)``, ``speak(text)``,
  ``is_silent``, ``close()``; never blocks, never raises on a broken speaker.

Inside, one module per concern: :mod:`.tones` (synthesis), :mod:`.speech`
(espeak-ng and its cache), :mod:`.backends` (simpleaudio, aplay, silence),
:mod:`.sound_queue` (the overlap policy), :mod:`.alsa_quiet` (keeping libasound's
messages off the screen) and :mod:`.player` (threads tying them together).
"""

from trainer.adapters.audio.player import AudioPlayer
from trainer.adapters.audio.settings import AudioSettings, AudioSettingsError
from trainer.adapters.audio.sound_queue import SoundRequest

__all__ = ["AudioPlayer", "AudioSettings", "AudioSettingsError", "SoundRequest"]
