"""Real ALSA, end to end, in child processes whose ALSA configuration we write.

libasound reads its configuration once per process, so each scenario runs in
a fresh Python whose ``HOME`` holds an ``.asoundrc`` describing the device:

* routed to a file - the ``file`` plugin records every sample the real
  simpleaudio (or aplay) playback hands to ALSA, so we can check the bytes;
* no device at all - the default is a card that does not exist, so every
  backend fails; nothing may reach the child's stderr (fd 2, where the TUI
  draws) and the session must still run, silently.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import textwrap

import pytest
from audio_helpers import (
    child_env,
    remove_alsa_device,
    route_alsa_to_file,
    run_child,
    samples_of,
    strongest_of,
)

from trainer.adapters.audio.tones import SAMPLE_RATE, TONE_DESIGNS, render_tone
from trainer.engine.vocabulary import Tone

pytestmark = pytest.mark.alsa

HAVE_SIMPLEAUDIO = importlib.util.find_spec("simpleaudio") is not None
HAVE_ESPEAK = shutil.which("espeak-ng") is not None
HAVE_APLAY = shutil.which("aplay") is not None
needs_simpleaudio = pytest.mark.skipif(not HAVE_SIMPLEAUDIO, reason="simpleaudio not installed")
DOMINANTS = [design.dominant_hz for design in TONE_DESIGNS.values()]
VOLUME = 0.8

# Plays each tone, then a spoken cue, through a real player; after each cue has
# finished, copies what the ALSA file plugin recorded (it starts the file anew
# on every open) to captured/<name>.raw. The player's clock is frozen: this is
# about the bytes, and on a loaded machine a pip that waits 250 ms for the audio
# thread is rightly dropped as stale (the freshness rule has its own tests).
SESSION_CAPTURE = """
import json, shutil, sys
from pathlib import Path
from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.engine.vocabulary import Tone

out, captured = Path({out!r}), Path({captured!r})
captured.mkdir()
player = AudioPlayer.create(
    AudioSettings(volume={volume}, backend={backend!r}), clock=lambda: 1000.0
)
for tone in Tone:
    player.play(tone)
    assert player.drain(10)
    shutil.copy(out, captured / f"{{tone.value}}.raw")
player.speak("Switch to the left side")
spoke = player.drain(20)
if out.exists():
    shutil.copy(out, captured / "speech.raw")
player.close()
print(json.dumps({{"backend": player.backend_name, "notices": player.notices, "spoke": spoke}}))
"""


def capture_session(tmp_path, backend: str):
    out = route_alsa_to_file(tmp_path)
    captured = tmp_path / "captured"
    script = SESSION_CAPTURE.format(
        out=str(out), captured=str(captured), volume=VOLUME, backend=backend
    )
    child = run_child(script, child_env(tmp_path))
    assert child.returncode == 0, child.stderr.decode()
    assert child.stderr == b"", "nothing may be written over the TUI"
    return json.loads(child.stdout), captured


@needs_simpleaudio
def test_simpleaudio_hands_alsa_exactly_each_tone(tmp_path):
    report, captured = capture_session(tmp_path, "auto")
    assert report["backend"] == "simpleaudio"
    expected_notices = 0 if HAVE_ESPEAK else 1  # "espeak-ng is not installed"
    assert len(report["notices"]) == expected_notices
    for tone in Tone:
        recorded = (captured / f"{tone.value}.raw").read_bytes()
        expected = render_tone(tone, VOLUME).data
        assert len(recorded) == len(expected), tone
        assert recorded == expected, tone
        samples = samples_of(recorded)
        assert strongest_of(samples, SAMPLE_RATE, DOMINANTS) == TONE_DESIGNS[tone].dominant_hz


@needs_simpleaudio
@pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng is not installed")
def test_simpleaudio_hands_alsa_a_spoken_cue(tmp_path):
    report, captured = capture_session(tmp_path, "simpleaudio")
    assert report["spoke"]
    recorded = (captured / "speech.raw").read_bytes()
    seconds = len(recorded) / 2 / 22050  # espeak-ng speaks at 22050 Hz
    assert 0.6 < seconds < 5.0
    assert max(abs(s) for s in samples_of(recorded)) > 1000


@pytest.mark.skipif(not HAVE_APLAY, reason="aplay (alsa-utils) is not installed")
def test_aplay_hands_alsa_each_tone(tmp_path):
    report, captured = capture_session(tmp_path, "aplay")
    assert report["backend"] == "aplay", report["notices"]  # speech too: no stall, no fallback
    for tone in Tone:
        recorded = (captured / f"{tone.value}.raw").read_bytes()
        expected = render_tone(tone, VOLUME).data
        # aplay rounds its last write up to a whole period with silence.
        assert recorded[: len(expected)] == expected, tone
        assert not any(recorded[len(expected) :]), tone
        samples = samples_of(recorded)
        assert strongest_of(samples, SAMPLE_RATE, DOMINANTS) == TONE_DESIGNS[tone].dominant_hz


NO_DEVICE_SESSION = """
import json, threading
from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.engine.vocabulary import Tone

notices, flashed = [], []
first_flash, release = threading.Event(), threading.Event()

def flash(request):
    flashed.append(request)
    if len(flashed) == 1:  # hold the audio thread inside the first sound
        first_flash.set()
        release.wait(30)

# A frozen clock: every sound is counted below, and none may go stale on a busy machine.
player = AudioPlayer.create(AudioSettings(), notify=notices.append, on_unheard=flash,
                            clock=lambda: 1000.0)
chosen_at_start = player.backend_name
player.play(Tone.START)
assert first_flash.wait(30)
# The audio thread is busy: requests still return at once (or we would hang here).
player.speak("while the audio thread is busy")
player.play(Tone.END)
returned_while_busy = not release.is_set()
release.set()
assert player.drain(10)
flashed.clear()

for tone in Tone:
    player.play(tone)
    assert player.drain(10)
# A short session: step name, start, a hold with halfway and countdown, switch sides.
for side in ("left", "right"):
    player.speak(f"Pigeon stretch, {{side}} side")
    player.play(Tone.START)
    player.speak("screw your hips into the ground")
    player.play(Tone.HALFWAY)
    for _ in range(3):
        player.play(Tone.PIP)
        assert player.drain(10)
    player.play(Tone.END)
    player.play(Tone.SWITCH_SIDES)
    assert player.drain(10)
player.play(Tone.SESSION_COMPLETE)
assert player.drain(10)
player.close()
print(json.dumps({{
    "backend": player.backend_name,
    "chosen_at_start": chosen_at_start,
    "silent": player.is_silent,
    "notices": notices,
    "flashed": len(flashed),
    "returned_while_busy": returned_while_busy,
}}))
"""


def test_without_any_device_the_session_runs_silently_and_stderr_stays_clean(tmp_path):
    remove_alsa_device(tmp_path)
    child = run_child(NO_DEVICE_SESSION.format(), child_env(tmp_path))
    assert child.returncode == 0, child.stderr.decode()
    assert child.stderr == b"", f"written over the TUI: {child.stderr!r}"
    report = json.loads(child.stdout)
    assert report["backend"] == "silent" and report["silent"]
    assert report["chosen_at_start"] == "silent", "create() returned before choosing"
    assert len(report["notices"]) == 1 + (not HAVE_ESPEAK)
    assert report["notices"][0] == "No sound device: cues will flash on screen."
    # Every cue was handed to the UI to flash instead: 7 tones, then per side
    # 2 spoken lines + start + halfway + 3 pips + end + switch, then complete.
    spoken = 2 if HAVE_ESPEAK else 0
    assert report["flashed"] == 7 + 2 * (spoken + 7) + 1
    assert report["returned_while_busy"]


def test_libasound_errors_are_silenced_in_process(tmp_path):
    """The handler alone keeps ALSA quiet; without it the same open would print."""
    if not HAVE_SIMPLEAUDIO:
        pytest.skip("simpleaudio not installed")
    remove_alsa_device(tmp_path)
    script = textwrap.dedent(
        """
        import sys
        if sys.argv[-1] == "quiet":
            from trainer.adapters.audio.alsa_quiet import silence_alsa_errors
            assert silence_alsa_errors()
        import simpleaudio
        try:
            simpleaudio.play_buffer(bytes(200), 1, 2, 44100)
        except Exception:
            pass
        """
    )
    env = child_env(tmp_path)
    noisy = run_child(script, env)
    quiet = run_child(script.replace('sys.argv[-1] == "quiet"', "True"), env)
    assert b"ALSA lib" in noisy.stderr  # the test can see the problem...
    assert quiet.stderr == b""  # ...and the fix


def test_audio_test_command_without_a_device_exits_1_and_says_nothing_was_heard(tmp_path):
    remove_alsa_device(tmp_path)
    child = run_child(
        "from trainer.cli import main; raise SystemExit(main(['audio-test']))", child_env(tmp_path)
    )
    output = child.stdout.decode()
    assert child.returncode == 1
    assert child.stderr == b""
    assert "Backend: silent" in output
    assert "No sound will play" in output
    assert "Notice: No sound device: cues will flash on screen." in output
    assert "  tried " in output  # ALSA's own words: for the person fixing it
    for tone in Tone:
        assert f"{tone.value} " in output
    assert output.count("(not heard: no sound device)") >= len(Tone)
    assert output.rstrip().endswith("Nothing was heard: no working sound device (see why above).")


@needs_simpleaudio
def test_audio_test_command_plays_through_the_chosen_backend(tmp_path):
    out = route_alsa_to_file(tmp_path)
    (tmp_path / "config.toml").write_text("[audio]\nvolume = 0.5\nmuted = true\n")
    child = run_child(
        "from trainer.cli import main; "
        f"raise SystemExit(main(['audio-test', '--config', {str(tmp_path / 'config.toml')!r}]))",
        child_env(tmp_path),
    )
    output = child.stdout.decode()
    assert child.returncode == 0, child.stderr.decode()
    assert "Backend: simpleaudio" in output
    assert "unmuting for this test" in output
    assert "Volume: 50%" in output
    assert [line.split()[0] for line in output.splitlines() if line.startswith("  ")][:7] == [
        tone.value for tone in Tone
    ]
    assert out.stat().st_size > 0  # the last cue (the spoken one, or the final tone)


# The kiosk admin turns the volume down, then mutes, while the same player runs (a
# session under way keeps it): each sound is copied from the file sink once played.
VOLUME_CHANGE = """
import json, shutil
from pathlib import Path
from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.engine.vocabulary import Tone

out, captured = Path({out!r}), Path({captured!r})
captured.mkdir()
player = AudioPlayer.create(AudioSettings(volume=0.8, backend="auto"), clock=lambda: 1000.0)

def capture(name, say=None):
    if say is None:
        player.play(Tone.SWITCH_SIDES)
    else:
        player.speak(say)
    assert player.drain(20)
    shutil.copy(out, captured / f"{{name}}.raw")

capture("tone-before")
capture("speech-before", say="Switch to the left side")
player.set_sound(0.4, False)
capture("tone-after")
capture("speech-after", say="Switch to the left side")
player.set_sound(0.4, True)
capture("tone-muted")
player.set_sound(0.4, False)
capture("tone-unmuted")
player.close()
print(json.dumps({{"backend": player.backend_name}}))
"""


def test_a_volume_change_keeps_the_player_playing_at_the_new_volume(tmp_path):
    out = route_alsa_to_file(tmp_path)
    captured = tmp_path / "captured"
    script = VOLUME_CHANGE.format(out=str(out), captured=str(captured))
    child = run_child(script, child_env(tmp_path))
    assert child.returncode == 0, child.stderr.decode()
    assert json.loads(child.stdout)["backend"] != "silent"

    def peak(name: str) -> int:
        samples = samples_of((captured / f"{name}.raw").read_bytes())
        assert len(samples) > 1000, f"{name}: nothing was played"
        return max(abs(sample) for sample in samples)

    before, after = peak("tone-before"), peak("tone-after")
    assert after == pytest.approx(before / 2, rel=0.02)
    if HAVE_ESPEAK:
        assert peak("speech-after") == pytest.approx(peak("speech-before") / 2, rel=0.02)
    # Muted, nothing reached the device (the file still holds the sound before it)...
    assert (captured / "tone-muted.raw").read_bytes() == (
        captured / "speech-after.raw" if HAVE_ESPEAK else captured / "tone-after.raw"
    ).read_bytes()
    # ...and unmuted, the same player plays again.
    assert peak("tone-unmuted") == after
