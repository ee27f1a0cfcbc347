"""Cues planned vs emitted: bundled routines played at real speed through the real player.

**What is run.** For each bundled routine, a child process whose ALSA default
device plays at real speed (the sink of /work/shared/notes/realtime-alsa-sink.md:
``plug`` -> ``file`` -> a named pipe that a paced reader empties at exactly
44,100 frames a second, so a sound takes as long to play as it lasts). In it,
the real session engine runs on the real monotonic clock with the sound plan
measured by the real :class:`~trainer.adapters.audio.AudioPlayer` (simpleaudio,
espeak-ng), and every sound effect goes to that player, just as the app does.
Pedal moments are tapped once their sounds have played; checks are answered.

To keep a whole routine's run short, long *silences* are skipped: when nothing
is playing and the next sound is more than a second away, the engine's clock
jumps to half a second before it. Sounds themselves always play at real speed,
so every overlap or delay a real session would have still happens.

**What is measured**, from the player's own record of when each sound started
(:attr:`AudioPlayer.started`), not from when it was asked for:

* *planned*: the sounds the plan laid out for the moments visited;
* *emitted*: of those, the ones the player started, in order; *lost* = planned - emitted;
* *tempo offset*: for each tempo word, when it started against its beat.

Run it alone: ``.venv/bin/python benchmarks/sound_timeline.py [--quick] [ROUTINE...]``
(``--quick``: quick-demo only). It is not part of ``run.py``, because playing
every bundled routine at real speed takes most of an hour.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from pathlib import Path

from common import Figure, format_table, percentile

REPO = Path(__file__).resolve().parents[1]

READER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_NONBLOCK)
    fcntl.fcntl(fd, 1031, 8192)  # F_SETPIPE_SZ: 93 ms of 44.1 kHz mono S16
    step, owed, start = 0.005, 0.0, time.monotonic()
    ticks = 0
    while True:
        ticks += 1
        owed += 44100 * 2 * step
        want = int(owed) & ~1
        owed -= want
        while want > 0:
            try:
                got = os.read(fd, want)
            except BlockingIOError:
                break
            want -= len(got)
        time.sleep(max(0.0, start + ticks * step - time.monotonic()))
    """
)

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from trainer.adapters.audio import AudioPlayer, AudioSettings
    from trainer.engine.effects import PlayTone, Speak
    from trainer.engine.plan import build_plan
    from trainer.engine.session import Session
    from trainer.engine.settings import EngineSettings
    from trainer.engine.snapshot import SessionState
    from trainer.engine.soundplan import plan_sounds
    from trainer.engine.vocabulary import Gesture
    from trainer.routine.catalog import load_catalog

    routine = sys.argv[1]
    player = AudioPlayer.create(AudioSettings(backend="simpleaudio"))
    engine = EngineSettings()
    plan = build_plan(load_catalog().find(routine), engine.plan)
    sounds = plan_sounds(plan, engine.cues, player.measure)
    session = Session(plan, engine, sounds=sounds)
    skipped = 0.0  # seconds of silence skipped so far
    def clock():
        return time.monotonic() + skipped
    due_of = []  # (engine due time, what, kind) of every planned sound played
    def carry_out(effects):
        for effect in effects:
            if isinstance(effect, PlayTone):
                player.play(effect.tone, late_by=clock() - effect.due)
                due_of.append((effect.due, effect.tone.value))
            elif isinstance(effect, Speak):
                player.speak(effect.text, late_by=clock() - effect.due)
                due_of.append((effect.due, effect.text))

    session.greeting(clock())
    skips = []  # (monotonic time, seconds skipped from then on)
    carry_out(session.gesture(Gesture.TAP, clock()))
    planned = []
    visited = set()
    while not session.state.ended:
        index = session.index
        if index not in visited:
            visited.add(index)
            planned += [s.tone.value if s.tone else s.text for s in sounds[index].sounds]
        now = clock()
        due = session.next_deadline(now)
        quiet = player.drain(0)
        if due is None:
            if quiet:
                if session.state is SessionState.ANSWERING:  # by pedal: choose, confirm
                    carry_out(session.gesture(Gesture.TAP, clock()))
                    carry_out(session.gesture(Gesture.LONG_PRESS, clock()))
                else:
                    carry_out(session.gesture(Gesture.TAP, clock()))
            else:
                time.sleep(0.01)
            continue
        if quiet and due - now > 1.0:
            skipped += due - now - 0.5
            skips.append((time.monotonic(), skipped))
            continue
        time.sleep(max(0.0, min(due - now, 0.05)))
        carry_out(session.tick(clock()))
    player.drain(30)
    started = [(at, what.value if hasattr(what, "value") else what) for at, what in player.started]
    player.close()

    def engine_time(at):
        offset = 0.0
        for when, total in skips:
            if when <= at:
                offset = total
        return at + offset

    tempo_words = {"down", "hold", "up"}
    offsets, emitted = [], []
    queue = list(due_of)
    for at, what in started:
        for i, (due, asked) in enumerate(queue):
            if asked == what:
                del queue[: i + 1]
                emitted.append(what)
                if what in tempo_words:
                    offsets.append((engine_time(at) - due) * 1000)
                break
    print(json.dumps({"planned": planned, "emitted": emitted, "tempo_ms": offsets,
                      "notices": player.notices, "skipped": skipped}))
    """
)


def play_routine(routine: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="trainer-rt-sink-") as tmp:
        home = Path(tmp)
        fifo = home / "sink.fifo"
        os.mkfifo(fifo)
        (home / ".asoundrc").write_text(
            'pcm.!default { type plug; slave { pcm "rt"; rate 44100; channels 1; '
            "format S16_LE } }\n"
            f'pcm.rt {{ type file; slave.pcm "null"; file "{fifo}"; format "raw" }}\n'
        )
        env = dict(os.environ, HOME=str(home), PYTHONPATH=str(REPO))
        env.pop("ALSA_CONFIG_PATH", None)
        reader = subprocess.Popen([sys.executable, "-c", READER, str(fifo)])
        try:
            child = subprocess.run(
                [sys.executable, "-c", CHILD, routine],
                env=env,
                cwd=REPO,
                capture_output=True,
                timeout=3600,
                check=False,
            )
        finally:
            reader.kill()
            reader.wait()
        if child.returncode != 0:
            raise RuntimeError(child.stderr.decode()[-2000:])
        return json.loads(child.stdout)


def figures(routines: list[str]) -> list[Figure]:
    planned = emitted = 0
    tempo: list[float] = []
    for routine in routines:
        result = play_routine(routine)
        planned += len(result["planned"])
        lost = list((Counter(result["planned"]) - Counter(result["emitted"])).elements())
        emitted += len(result["planned"]) - len(lost)
        tempo += result["tempo_ms"]
        worst = max((abs(ms) for ms in result["tempo_ms"]), default=0.0)
        print(
            f"{routine}: {len(result['planned'])} planned, {len(lost)} lost, "
            f"{len(result['tempo_ms'])} tempo words (worst {worst:.1f} ms from the beat), "
            f"notices {result['notices']}",
            file=sys.stderr,
            flush=True,
        )
    late = [abs(ms) for ms in tempo]
    note = f"{len(routines)} routine(s): {', '.join(routines)}"
    return [
        Figure("sound: cues planned", planned, "", note=note),
        Figure("sound: cues emitted", emitted, ""),
        Figure("sound: cues lost (planned - emitted)", planned - emitted, "", "<=", 0),
        Figure(
            "sound: tempo word start vs beat, p50",
            percentile(late, 0.5) if late else 0.0,
            "ms",
            note=f"{len(late)} tempo words, player's own start times",
        ),
        Figure(
            "sound: tempo word start vs beat, max",
            max(late) if late else 0.0,
            "ms",
            "<=",
            100.0,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="quick-demo only")
    parser.add_argument("routines", nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from trainer.routine.catalog import load_catalog

    routines = args.routines or (
        ["quick-demo"] if args.quick else sorted(load_catalog([REPO / "routines"]).routines)
    )
    table = figures(routines)
    print(format_table(table))
    return 0 if all(f.passed is not False for f in table) else 1


if __name__ == "__main__":
    sys.exit(main())
