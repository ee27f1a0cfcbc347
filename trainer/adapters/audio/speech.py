"""Spoken cues: step names and coaching lines, rendered by espeak-ng and cached.

Cue text comes from routine files, which anyone can write, so it is treated
as untrusted before it reaches espeak-ng (see :func:`clean_cue_text`):

* it goes in on **stdin** (``--stdin``), never as an argument, so a line such
  as ``-w /etc/passwd`` is words to speak, not an option; and no shell ever
  sees it;
* control characters are dropped and whitespace collapsed, so it cannot end
  the input early or make espeak pause for minutes;
* espeak-ng reads ``[[...]]`` as raw phoneme codes even without ``-m``, and
  ``<...>`` as SSML with ``-m``; brackets are replaced by spaces (we never pass
  ``-m`` either), and a leading ``-`` is dropped for good measure;
* it is cut to :data:`MAX_CUE_CHARS` at a word boundary, so one runaway line
  cannot hold the speaker for a minute.

Rendering writes a WAV file with ``-w`` into the cache folder, named by a hash
of (synthesiser, voice, rate, text), and renames it into place when complete,
so a crash or a second trainer never leaves a half-written cue behind. A cue
is rendered once per machine: later sessions read the file, and within a
session it is kept in memory, already at the player's volume. The folder is
capped (:data:`DISK_CACHE_MAX_BYTES`, :data:`DISK_CACHE_MAX_AGE`, least recently
used first), so it can never fill a small card before the history does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from pathlib import Path

from trainer import paths
from trainer.adapters.audio.pcm import Pcm
from trainer.capped_files import DAY, prune_folder, touch

ESPEAK = "espeak-ng"
MAX_CUE_CHARS = 200
#: espeak-ng renders far faster than real time; this only catches a hung process.
RENDER_TIMEOUT_SECONDS = 15.0
#: Spoken cues kept in memory, at roughly 50 KB a second of speech.
MEMORY_CACHE_ENTRIES = 128
#: The rendered-speech cache on disk: at most this big, and nothing unused this long.
#: The bundled routines alone say about 25 MB of speech (at 44 KB a second); a
#: smaller cap evicts lines a session is about to say and renders them again.
DISK_CACHE_MAX_BYTES = 100_000_000
DISK_CACHE_MAX_AGE = 60 * DAY
#: A partial render left by a crash is removed after this long.
PARTIAL_MAX_AGE = 3600.0
#: Beside the WAVs: each rendered line's length, so planning need not load (or
#: re-render, once pruned) a line just to know how long it is. Started afresh
#: when it grows past :data:`DURATIONS_MAX_BYTES`.
DURATIONS_FILE = "durations-trimmed.tsv"
DURATIONS_MAX_BYTES = 2_000_000

_UNSAFE_CHARACTERS = re.compile(r"[\[\]<>{}\\|]")
_WHITESPACE = re.compile(r"\s+")


class SpeechError(Exception):
    """espeak-ng could not render a cue; the message is fit for a notice."""


def clean_cue_text(text: str, max_chars: int = MAX_CUE_CHARS) -> str:
    """``text`` made safe and sensible to speak: see the module docstring for each rule."""
    text = unicodedata.normalize("NFC", text)
    # Categories Cc (controls: NUL, ESC, newlines...) and Cf (invisible formatting).
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    text = _UNSAFE_CHARACTERS.sub(" ", text)
    text = _WHITESPACE.sub(" ", text).strip().lstrip("- ")
    if len(text) > max_chars:
        cut = text[: max_chars + 1].rsplit(" ", 1)[0]
        text = (cut if cut and len(cut) <= max_chars else text[:max_chars]).rstrip()
    return text


def speech_cache_dir() -> Path:
    """Where rendered cues are kept between sessions: ``speech`` in
    :func:`trainer.paths.cache_dir`."""
    return paths.cache_dir() / "speech"


class EspeakSpeech:
    """Renders cue text to :class:`Pcm` with espeak-ng, caching on disk and in memory.

    ``render`` is thread-safe (one lock: renders are rare and fast), but the
    player calls it from a single thread anyway.
    """

    def __init__(
        self,
        executable: str,
        *,
        voice: str,
        rate: int,
        volume: float,
        cache_dir: Path | None,
    ) -> None:
        self._executable = executable
        self._voice = voice
        self._rate = rate
        self._volume = volume
        self._cache_dir = cache_dir
        self._memory: OrderedDict[str, Pcm] = OrderedDict()
        self._durations: dict[str, float] | None = None
        self._lock = threading.Lock()
        #: How many times espeak-ng was actually run (the cache's hit rate, inverted).
        self.renders = 0
        self._pruned = False  # the disk cache is pruned at first use, then after each render

    @classmethod
    def find(
        cls, *, voice: str, rate: int, volume: float, cache_dir: Path | None
    ) -> EspeakSpeech | None:
        """An instance using the espeak-ng on ``PATH``, or None when it is not installed."""
        executable = shutil.which(ESPEAK)
        if executable is None:
            return None
        return cls(executable, voice=voice, rate=rate, volume=volume, cache_dir=cache_dir)

    def set_volume(self, volume: float) -> None:
        """Speak at ``volume`` from now on (the kiosk admin changed it mid-session).

        Lines kept in memory are at the old volume, so they are forgotten: the next
        time each is said it is read again from the disk cache (kept at full scale).
        """
        with self._lock:
            if volume != self._volume:
                self._volume = volume
                self._memory.clear()

    def render(self, text: str) -> Pcm | None:
        """The spoken ``text`` at this instance's volume; None when nothing is left to say.

        Raises :class:`SpeechError` when espeak-ng fails.
        """
        text = clean_cue_text(text)
        if not text:
            return None
        key = self._cache_key(text)
        with self._lock:
            pcm = self._memory.get(key)
            if pcm is not None:
                self._memory.move_to_end(key)
                return pcm
            # Trimmed so that what is played lasts as long as the planner was told.
            pcm = self._load_or_render(key, text).without_trailing_silence().scaled(self._volume)
            self._memory[key] = pcm
            if len(self._memory) > MEMORY_CACHE_ENTRIES:
                self._memory.popitem(last=False)
            return pcm

    def seconds(self, text: str) -> float:
        """How long ``text`` lasts when spoken (0 when nothing is left to say).

        Read from the durations file when this line was rendered before;
        otherwise rendered (and so cached, ready to play) and measured.
        """
        text = clean_cue_text(text)
        if not text:
            return 0.0
        key = self._cache_key(text)
        with self._lock:
            if self._durations is None:
                self._durations = self._read_durations()
            known = self._durations.get(key)
        if known is not None:
            return known
        pcm = self.render(text)
        seconds = pcm.duration if pcm is not None else 0.0
        with self._lock:
            self._durations[key] = seconds
            self._append_duration(key, seconds)
        return seconds

    def _durations_path(self) -> Path | None:
        return self._cache_dir / DURATIONS_FILE if self._cache_dir is not None else None

    def _read_durations(self) -> dict[str, float]:
        path = self._durations_path()
        durations: dict[str, float] = {}
        if path is None:
            return durations
        try:
            if path.stat().st_size > DURATIONS_MAX_BYTES:
                path.unlink()
                return durations
            for line in path.read_text(encoding="ascii").splitlines():
                key, _, value = line.partition("\t")
                with contextlib.suppress(ValueError):
                    durations[key] = float(value)
        except (OSError, UnicodeDecodeError):
            pass  # no file yet, or a damaged one: measure again
        return durations

    def _append_duration(self, key: str, seconds: float) -> None:
        path = self._durations_path()
        if path is None:
            return
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="ascii") as file:
                file.write(f"{key}\t{seconds:.4f}\n")

    def _cache_key(self, text: str) -> str:
        identity = "\0".join((ESPEAK, self._voice, str(self._rate), text))
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]

    def _load_or_render(self, key: str, text: str) -> Pcm:
        if not self._pruned:
            self._pruned = True
            self.prune_cache()
        cached = self._cache_dir / f"{key}.wav" if self._cache_dir else None
        if cached is not None and cached.is_file():
            try:
                pcm = Pcm.from_wav(cached)
                touch(cached)  # recently used: the last to be pruned
                return pcm
            except (OSError, ValueError):
                pass  # unreadable or truncated: render it again and overwrite
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                return self._render_to(cached, text)
            except OSError:
                pass  # cache folder not writable: still speak, just without keeping it
            finally:
                self.prune_cache()
        with tempfile.TemporaryDirectory(prefix="trainer-speech-") as scratch:
            return self._render_to(Path(scratch) / f"{key}.wav", text)

    def prune_cache(self) -> None:
        """Keep the disk cache within :data:`DISK_CACHE_MAX_BYTES` and
        :data:`DISK_CACHE_MAX_AGE` (least recently used first), and clear old partials."""
        if self._cache_dir is None:
            return
        prune_folder(
            self._cache_dir,
            max_bytes=DISK_CACHE_MAX_BYTES,
            max_age=DISK_CACHE_MAX_AGE,
            suffix=".wav",
        )
        prune_folder(
            self._cache_dir,
            max_bytes=DISK_CACHE_MAX_BYTES,
            max_age=PARTIAL_MAX_AGE,
            suffix=".partial",
        )

    def _render_to(self, destination: Path, text: str) -> Pcm:
        # A unique partial name beside the destination, then an atomic rename.
        handle, partial_name = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.stem}-", suffix=".partial"
        )
        os.close(handle)
        partial = Path(partial_name)
        try:
            self._run_espeak(partial, text)
            pcm = Pcm.from_wav(partial)
            with contextlib.suppress(OSError):  # not kept is fine: it was still rendered
                os.replace(partial, destination)
            return pcm
        except ValueError as exc:
            raise SpeechError(f"espeak-ng wrote an unusable file: {exc}") from None
        finally:
            partial.unlink(missing_ok=True)

    def _run_espeak(self, output: Path, text: str) -> None:
        command = [
            self._executable,
            "-v",
            self._voice,
            "-s",
            str(self._rate),
            "-w",
            str(output),
            "--stdin",
        ]
        self.renders += 1
        try:
            result = subprocess.run(
                command,
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=RENDER_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SpeechError(f"espeak-ng took over {RENDER_TIMEOUT_SECONDS:.0f} s") from None
        except OSError as exc:
            raise SpeechError(f"espeak-ng cannot be started ({exc.strerror})") from None
        if result.returncode != 0:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit status {result.returncode}"
            raise SpeechError(f"espeak-ng failed: {reason}")
