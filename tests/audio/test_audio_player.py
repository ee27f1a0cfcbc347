"""AudioPlayer with stand-in backends and speech: threading, fallback, mute, notices."""

from __future__ import annotations

import threading
import time

import pytest
from audio_helpers import (
    HeldBackend,
    RecordingBackend,
    SlowBackend,
    UnpluggedBackend,
    factory,
    failing_factory,
)

from trainer.adapters.audio import AudioPlayer, AudioSettings
from trainer.adapters.audio.backends import PROBE_SOUND, SilentBackend
from trainer.adapters.audio.pcm import Pcm
from trainer.adapters.audio.player import SPEECH_MISSING_NOTICE
from trainer.adapters.audio.speech import SpeechError
from trainer.adapters.audio.tones import render_tone
from trainer.engine.vocabulary import Tone

SETTINGS = AudioSettings(volume=0.5)


class FakeSpeech:
    """Renders any text to a short buffer whose bytes spell the text; can be slow or fail."""

    def __init__(self, delay: float = 0.0, error: Exception | None = None) -> None:
        self.delay = delay
        self.error = error
        self.texts: list[str] = []

    def render(self, text: str) -> Pcm | None:
        self.texts.append(text)
        time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return Pcm(text.encode().ljust(2 * len(text), b"\0"), 22050)


def frozen_clock() -> float:
    """The player's clock for tests about what plays: a cue goes stale only by ``late_by``,
    never because a loaded machine was slow to schedule the audio thread."""
    return 1000.0


def create(*backends, speech=None, settings=SETTINGS, **kwargs) -> AudioPlayer:
    kwargs.setdefault("clock", frozen_clock)
    return AudioPlayer.create(settings, backends=list(backends), speech=speech, **kwargs)


def wait_until(condition, timeout: float = 10.0) -> None:
    give_up = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        time.sleep(0.005)


def sounds_after_probe(backend: RecordingBackend) -> list[Pcm]:
    assert backend.played[0] == PROBE_SOUND, "the backend was probed first"
    return backend.played[1:]


def test_tones_reach_the_backend_in_order():
    device = RecordingBackend()
    with create(factory(device)) as player:
        for tone in (Tone.START, Tone.HALFWAY, Tone.END):
            player.play(tone)
        assert player.drain(2)
        assert player.backend_name == "recording"
    assert sounds_after_probe(device) == [
        render_tone(tone, SETTINGS.volume) for tone in (Tone.START, Tone.HALFWAY, Tone.END)
    ]
    assert device.closed


def test_requests_return_at_once_while_a_device_plays():
    device = HeldBackend()
    with create(factory(device), speech=FakeSpeech()) as player:
        player.play(Tone.START)
        wait_until(lambda: device.playing.is_set())  # the device now holds the worker
        # Each request returns while the sound is still playing: a request that
        # waited for the device would never come back from here.
        player.speak("Pigeon stretch, left side")
        player.play(Tone.SWITCH_SIDES)
        assert not player.drain(0)
        device.release.set()
        assert player.drain(5)
    assert len(sounds_after_probe(device)) == 3


def test_speech_is_rendered_off_the_playback_thread_so_tones_are_not_delayed():
    device = RecordingBackend()
    with create(factory(device), speech=FakeSpeech(delay=0.3)) as player:
        player.speak("a sentence espeak-ng is slow to render")
        player.play(Tone.PIP)  # a pip must not wait 300 ms behind the renderer
        assert player.drain(3)
    played = sounds_after_probe(device)
    assert played[0] == render_tone(Tone.PIP, SETTINGS.volume)
    assert played[1].data.startswith(b"a sentence")


def test_muted_in_the_config_means_nothing_plays_from_the_start():
    device = RecordingBackend()
    with create(factory(device), settings=AudioSettings(muted=True)) as player:
        for tone in Tone:
            player.play(tone)
        assert player.drain(1)
        assert player.muted
    assert sounds_after_probe(device) == []


def test_a_device_lost_mid_session_falls_back_once_and_replays_the_cue():
    unplugged = UnpluggedBackend(good_plays=3)  # the probe, then two tones
    spare = RecordingBackend("aplay")
    notices = []
    with create(factory(unplugged), factory(spare), notify=notices.append) as player:
        tones = [Tone.START, Tone.PIP, Tone.HALFWAY, Tone.PIP, Tone.END]
        for tone in tones:
            player.play(tone)
            assert player.drain(2), "a lost device must not stall the session"
        assert player.backend_name == "aplay"
    assert len(notices) == 1
    assert "unplugged: No such device" in notices[0]
    assert "Switched to aplay" in notices[0]
    # The tone that hit the failure was not lost: it played on the spare.
    assert sounds_after_probe(spare) == [render_tone(t, SETTINGS.volume) for t in tones[2:]]
    assert unplugged.closed


def test_when_every_device_is_lost_cues_go_to_the_silent_hook():
    unplugged = UnpluggedBackend(good_plays=1)  # only the probe works
    notices, unheard = [], []
    with create(
        factory(unplugged), SilentBackend, notify=notices.append, on_unheard=unheard.append
    ) as player:
        for tone in (Tone.START, Tone.PIP, Tone.END):
            player.play(tone)
            assert player.drain(2)
        assert player.is_silent
        assert player.backend_name == "silent"
    assert [request.tone for request in unheard] == [Tone.START, Tone.PIP, Tone.END]
    assert len(notices) == 1
    assert "silently" in notices[0]


def test_an_unexpected_exception_from_a_backend_is_a_failure_not_a_crash():
    class Buggy(RecordingBackend):
        def start(self, pcm):
            if pcm != PROBE_SOUND:
                raise RuntimeError("segfault averted")
            return super().start(pcm)

    spare = RecordingBackend("spare")
    with create(factory(Buggy()), factory(spare)) as player:
        player.play(Tone.START)
        assert player.drain(2)
        assert player.notices and "RuntimeError" in player.notices[0]
    assert sounds_after_probe(spare) == [render_tone(Tone.START, SETTINGS.volume)]


def test_a_cue_already_late_counts_that_towards_its_freshness():
    device = RecordingBackend()
    with create(factory(device)) as player:
        player.play(Tone.PIP, late_by=0.4)  # a countdown pip 400 ms late: misleading, dropped
        player.play(Tone.START, late_by=0.4)  # a start tone 400 ms late: still worth hearing
        assert player.drain(2)
    assert sounds_after_probe(device) == [render_tone(Tone.START, SETTINGS.volume)]


def test_a_late_cue_dropped_while_nothing_else_waits_still_lets_drain_finish():
    # The drop used to be counted only when the next cue arrived, so drain()
    # hung after a pip that a busy machine had made stale.
    device = RecordingBackend()
    with create(factory(device)) as player:
        player.play(Tone.PIP, late_by=1.0)
        assert player.drain(5)
    assert sounds_after_probe(device) == []


def test_startup_skips_a_backend_that_does_not_work_and_says_so():
    device = RecordingBackend("aplay")
    notices = []
    player = create(
        failing_factory("simpleaudio: no module"), factory(device), notify=notices.append
    )
    player.close()
    assert player.backend_name == "aplay"
    assert notices == ["Playing sound with aplay (another device did not work)."]
    assert player.startup_failures == ("simpleaudio: no module",)  # the detail: log, audio-test


def test_no_working_device_at_startup_means_silent_with_one_notice():
    notices = []
    player = create(failing_factory("a: gone"), failing_factory("b: gone"), notify=notices.append)
    player.close()
    assert player.is_silent
    assert len(notices) == 1
    # A plain sentence for the screen; the devices' own words for the log and audio-test.
    assert notices == ["No sound device: cues will flash on screen."]
    assert player.startup_failures == ("a: gone", "b: gone")


def test_choosing_silence_in_the_config_is_not_worth_a_notice():
    player = AudioPlayer.create(AudioSettings(backend="silent"), speech=None)
    player.close()
    assert player.is_silent
    assert player.notices == ()


def test_missing_espeak_means_one_notice_and_tones_still_play(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no espeak-ng on it
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    device = RecordingBackend()
    notices = []
    player = AudioPlayer.create(
        AudioSettings(speech=True), notify=notices.append, backends=[factory(device)]
    )
    with player:
        for text in ("Pigeon stretch", "switch to the left side", "Pigeon stretch"):
            player.speak(text)
        player.play(Tone.START)
        player.play(Tone.END)
        assert player.drain(2)
    assert notices == [SPEECH_MISSING_NOTICE]
    assert len(sounds_after_probe(device)) == 2


def test_speech_switched_off_needs_no_espeak_and_no_notice(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    player = AudioPlayer.create(AudioSettings(speech=False), backends=[RecordingBackend])
    player.speak("ignored")
    assert player.drain(1)
    player.close()
    assert player.notices == ()


def test_a_failing_synthesiser_is_reported_once_and_tones_carry_on():
    device = RecordingBackend()
    speech = FakeSpeech(error=SpeechError("espeak-ng failed: voice not found"))
    with create(factory(device), speech=speech) as player:
        for text in ("one", "two", "three"):
            player.speak(text)
        player.play(Tone.PIP)
        assert player.drain(2)
        assert player.notices == ("A cue could not be spoken: espeak-ng failed: voice not found",)
    assert speech.texts == ["one", "two", "three"]
    assert sounds_after_probe(device) == [render_tone(Tone.PIP, SETTINGS.volume)]


def test_a_callback_that_raises_does_not_break_the_player():
    def broken(_):
        raise RuntimeError("UI went away")

    spare = RecordingBackend()
    with create(factory(UnpluggedBackend(good_plays=1)), factory(spare), notify=broken) as player:
        player.play(Tone.START)
        player.play(Tone.END)
        assert player.drain(2)
    assert len(sounds_after_probe(spare)) == 2


def test_close_ends_both_threads_even_mid_sound_and_twice_is_harmless():
    before = {t.name for t in threading.enumerate()}
    device = SlowBackend(seconds=60)
    player = create(factory(device), speech=FakeSpeech())
    player.play(Tone.SESSION_COMPLETE)
    player.speak("bye")
    wait_until(lambda: len(device.played) == 2)  # mid-sound
    assert {"trainer-audio", "trainer-speech"} <= {t.name for t in threading.enumerate()}
    started = time.perf_counter()
    player.close()
    player.close()
    # Far less than the sound's length: closing cut it short rather than waiting.
    assert time.perf_counter() - started < device.seconds / 2
    assert {t.name for t in threading.enumerate()} == before
    player.play(Tone.PIP)  # after close: ignored, no exception
    player.speak("ignored")


@pytest.mark.parametrize("tone", list(Tone))
def test_play_accepts_every_tone(tone):
    device = RecordingBackend()
    with create(factory(device)) as player:
        player.play(tone)
        assert player.drain(2)
    assert sounds_after_probe(device) == [render_tone(tone, SETTINGS.volume)]
