"""Sound as the sound card wants it: mono, signed 16-bit little-endian PCM.

Every part of the audio layer speaks this one format, so tones, speech and
the backends never negotiate: a :class:`Pcm` is the bytes plus their sample
rate, and it is immutable so a cached buffer can be shared by threads.
"""

from __future__ import annotations

import io
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

CHANNELS = 1
SAMPLE_WIDTH = 2  # bytes: signed 16-bit
FULL_SCALE = 32767


@dataclass(frozen=True)
class Pcm:
    """A mono S16_LE buffer ready to hand to ALSA, and the rate it plays at."""

    data: bytes
    sample_rate: int

    @property
    def frames(self) -> int:
        """How many samples (mono, so also frames) the buffer holds."""
        return len(self.data) // SAMPLE_WIDTH

    @property
    def duration(self) -> float:
        """How long the buffer plays, in seconds."""
        return self.frames / self.sample_rate

    @classmethod
    def from_samples(cls, samples: array[int], sample_rate: int) -> Pcm:
        """Wrap an ``array('h')`` of samples, fixing the byte order on big-endian hosts."""
        if sys.byteorder == "big":
            samples = array("h", samples)
            samples.byteswap()
        return cls(samples.tobytes(), sample_rate)

    @classmethod
    def silence(cls, seconds: float, sample_rate: int) -> Pcm:
        """``seconds`` of digital silence (used to probe a device without a click)."""
        return cls(bytes(round(seconds * sample_rate) * SAMPLE_WIDTH), sample_rate)

    @classmethod
    def from_wav(cls, source: Path | bytes) -> Pcm:
        """Read a mono 16-bit WAV file (what espeak-ng writes); ValueError for anything else."""
        stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
        try:
            with stream, wave.open(stream, "rb") as wav:
                if wav.getnchannels() != CHANNELS or wav.getsampwidth() != SAMPLE_WIDTH:
                    raise ValueError(
                        f"expected mono 16-bit WAV, got {wav.getnchannels()} channel(s) "
                        f"of {8 * wav.getsampwidth()} bits"
                    )
                return cls(wav.readframes(wav.getnframes()), wav.getframerate())
        except (wave.Error, EOFError) as exc:
            raise ValueError(f"not a readable WAV file: {exc}") from None

    def samples(self) -> array[int]:
        """The samples as an ``array('h')`` in native byte order (for analysis and scaling)."""
        samples = array("h")
        samples.frombytes(self.data)
        if sys.byteorder == "big":
            samples.byteswap()
        return samples

    def without_trailing_silence(self, threshold: int = 200, keep: float = 0.04) -> Pcm:
        """The same sound ending ``keep`` seconds after its last sample louder than ``threshold``.

        espeak-ng pads every line with about 0.35 s of silence; played as is,
        that silence would hold the loudspeaker and push the next cue late.
        """
        samples = self.samples()
        last = len(samples) - 1
        while last >= 0 and abs(samples[last]) <= threshold:
            last -= 1
        end = min(len(samples), last + 1 + round(keep * self.sample_rate))
        if end >= len(samples):
            return self
        return Pcm.from_samples(samples[:end], self.sample_rate)

    def scaled(self, gain: float) -> Pcm:
        """A copy with every sample multiplied by ``gain`` (0..1), so it can never clip."""
        if gain == 1.0:
            return self
        gain = max(0.0, min(1.0, gain))
        scaled = array("h", [round(sample * gain) for sample in self.samples()])
        return Pcm.from_samples(scaled, self.sample_rate)
