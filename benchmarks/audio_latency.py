"""How long from asking for a cue to the sound reaching ALSA? A script, not a test.

    .venv/bin/python benchmarks/audio_latency.py               # the real default device
    .venv/bin/python benchmarks/audio_latency.py --alsa-file   # ALSA routed to a file
    .venv/bin/python benchmarks/audio_latency.py --backend aplay --runs 100
    .venv/bin/python benchmarks/audio_latency.py --alsa-file --json out.json  # for run.py

*Onset latency* here is the time from ``player.play()`` / ``player.speak()``
being called to the backend's ``start()`` returning, which is when the sound
has been handed over:

* simpleaudio: the ALSA device is open and configured and simpleaudio's
  playback thread is writing the first period;
* aplay: the process has been spawned (aplay still has to start and open the
  device, a few ms more, which this cannot see).

The device's own buffer (simpleaudio asks ALSA for 100 ms) comes on top and
is the same for every cue. Each cue is measured alone, after the previous one
finished, so the numbers are onset cost, not queueing. The spoken cue is
rendered once first, so what is measured is the cached path that every cue
after its first use takes.

``--alsa-file`` reruns this script in a child whose ALSA default device is a
``file`` plugin over ``null``: real libasound, no sound card, and no waiting
for sound to play out. Use it on a build machine; on the Pi, measure the
real device.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from common import Figure, percentile

from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.backends import (
    BACKENDS,
    Backend,
    BackendFactory,
    Playback,
    backend_order,
)
from trainer.adapters.audio.pcm import Pcm
from trainer.engine.vocabulary import Tone

SPOKEN_CUE = "Switch to the left side"


class OnsetClock:
    """Notes the moment a backend's ``start()`` returns, for the cue being measured."""

    def __init__(self) -> None:
        self._handed_over = threading.Event()
        self.at = 0.0

    def arm(self) -> None:
        self._handed_over.clear()

    def mark(self) -> None:
        self.at = time.perf_counter()
        self._handed_over.set()

    def wait(self, timeout: float) -> bool:
        return self._handed_over.wait(timeout)

    def timed(self, factory: BackendFactory) -> BackendFactory:
        """A factory opening the same backend, reporting each hand-over to this clock."""
        return lambda: _TimedBackend(factory(), self)


class _TimedBackend:
    def __init__(self, inner: Backend, clock: OnsetClock) -> None:
        self._inner, self._clock = inner, clock
        self.name, self.is_silent = inner.name, inner.is_silent

    def start(self, pcm: Pcm) -> Playback:
        playback = self._inner.start(pcm)
        self._clock.mark()
        return playback

    def close(self) -> None:
        self._inner.close()


def measure(
    player: AudioPlayer, clock: OnsetClock, request: Callable[[], None], runs: int
) -> list[float]:
    """Onset latencies in milliseconds of ``runs`` calls of ``request()``."""
    latencies = []
    for _ in range(runs):
        clock.arm()
        asked = time.perf_counter()
        request()
        if not clock.wait(10):
            raise SystemExit("a cue never reached the backend: is the device wedged?")
        latencies.append((clock.at - asked) * 1000)
        player.drain(10)
    return latencies


def run_benchmark(backend: str, runs: int, json_path: Path | None = None) -> int:
    clock = OnsetClock()
    factories = [clock.timed(BACKENDS[name]) for name in backend_order(backend)]
    notices: list[str] = []
    settings = AudioSettings(volume=0.3)
    player = AudioPlayer.create(settings, notify=notices.append, backends=factories)
    try:
        for notice in notices:
            print(f"notice: {notice}")
        if player.is_silent:
            print("No working sound device: nothing to measure (try --alsa-file).")
            return 1
        rows = []
        for tone in Tone:
            rows.append((tone.value, measure(player, clock, lambda t=tone: player.play(t), runs)))
        player.speak(SPOKEN_CUE)  # render once; what follows is the cached path
        player.drain(30)
        rows.append(
            ("speech (cached)", measure(player, clock, lambda: player.speak(SPOKEN_CUE), runs))
        )
    finally:
        player.close()

    print(f"backend: {player.backend_name}, {runs} runs per cue, onset latency in ms")
    print(f"{'cue':<18}{'p50':>8}{'p99':>8}{'max':>8}{'mean':>8}")
    for name, values in rows:
        print(
            f"{name:<18}{percentile(values, 0.5):8.2f}{percentile(values, 0.99):8.2f}"
            f"{max(values):8.2f}{statistics.fmean(values):8.2f}"
        )
    if json_path is not None:
        result = {"backend": player.backend_name, "cues": dict(rows)}
        json_path.write_text(json.dumps(result), encoding="utf-8")
    return 0


def alsa_file_environment(home: Path) -> dict[str, str]:
    """An environment whose ALSA default device is a ``file`` plugin over ``null``.

    Writes ``home/.asoundrc``; the trainer's own folders go below ``home`` too.
    """
    Path(home, ".asoundrc").write_text(
        "pcm.!default {\n"
        "  type file\n"
        '  slave.pcm "null"\n'
        f'  file "{Path(home, "out.raw")}"\n'
        '  format "raw"\n'
        "}\n"
    )
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(Path(home, ".config")))
    env.pop("ALSA_CONFIG_PATH", None)
    env["TRAINER_DATA_DIR"] = str(Path(home, "data"))
    return env


def rerun_with_alsa_routed_to_a_file(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="trainer-latency-") as home:
        env = alsa_file_environment(Path(home))
        child_argv = [arg for arg in argv if arg != "--alsa-file"]
        return subprocess.call([sys.executable, __file__, *child_argv], env=env)


def figures(quick: bool = False) -> list[Figure]:
    """For ``run.py``: this script in a child with ALSA routed to a file, as figures.

    There is no target for onset latency; it is reported beside the timer's
    figures, since a cue is heard that much after the timer hands it over.
    """
    runs = 10 if quick else 50
    with tempfile.TemporaryDirectory(prefix="trainer-audio-") as home:
        out = Path(home, "latency.json")
        done = subprocess.run(
            [sys.executable, __file__, "--runs", str(runs), "--json", str(out)],
            env=alsa_file_environment(Path(home)),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"audio_latency.py could not measure:\n{done.stdout}{done.stderr}")
        result = json.loads(out.read_text(encoding="utf-8"))
    cues = result["cues"]
    speech = cues.pop("speech (cached)")
    tones = [value for values in cues.values() for value in values]
    note = f"{result['backend']}, ALSA to a file"
    return [
        Figure("audio onset, tones p50", percentile(tones, 0.5), "ms", note=note),
        Figure("audio onset, tones p99", percentile(tones, 0.99), "ms", note=f"{len(tones)} cues"),
        Figure("audio onset, cached speech p50", percentile(speech, 0.5), "ms"),
        Figure("audio onset, cached speech p99", percentile(speech, 0.99), "ms"),
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["auto", "simpleaudio", "aplay"], default="auto")
    parser.add_argument("--runs", type=int, default=50, help="measurements per cue (50)")
    parser.add_argument(
        "--alsa-file", action="store_true", help="route ALSA to a file (no sound card needed)"
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="also write every latency (ms) to FILE"
    )
    args = parser.parse_args(argv)
    if args.alsa_file:
        return rerun_with_alsa_routed_to_a_file(argv)
    return run_benchmark(args.backend, args.runs, args.json)


if __name__ == "__main__":
    sys.exit(main())
