"""The application core on its own: fake adapters, a fake clock, no Textual."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.clock import FakeClock

from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.opening import PedalConnection, PedalUnavailable
from trainer.adapters.pedal.settings import PedalSettings
from trainer.adapters.store.database import SessionStore
from trainer.adapters.store.errors import StoreError
from trainer.commands.history import sessions_table
from trainer.core import (
    Action,
    AdapterFactories,
    AppSettings,
    Idleness,
    IdleWatch,
    KioskSettings,
    PedalCallbacks,
    TrainerCore,
    session_idleness,
)
from trainer.engine.effects import RecordMoment, SessionStarted
from trainer.engine.settings import CueRules, EngineSettings
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command, Gesture, Tone
from trainer.ui.screens.summary import summary_text

ROUTINE = """\
title: Two holds
summary: s
blocks:
  - name: A
    steps:
      - {kind: hold, name: One, duration: 10s}
      - {kind: hold, name: Two, duration: 10s}
"""


class FakeSound:
    def __init__(self) -> None:
        self.played: list[Tone] = []
        self.said: list[str] = []
        self.closed = False
        self.measure = None  # the sound plan estimates lengths

    def play(self, tone: Tone, *, late_by: float = 0.0) -> None:
        self.played.append(tone)

    def speak(self, text: str, *, late_by: float = 0.0) -> None:
        self.said.append(text)

    def set_sound(self, volume: float, muted: bool) -> None:
        self.volume, self.muted = volume, muted

    def close(self) -> None:
        self.closed = True


def no_pedal(settings, on_gesture, on_edge) -> PedalConnection:
    return PedalConnection(settings, "none", notice="keys only")


def callbacks() -> PedalCallbacks:
    return PedalCallbacks(
        on_gesture=lambda gesture: None,
        on_edge=lambda edge: None,
        notify_from_thread=lambda text: None,
        on_unheard=lambda: None,
    )


@pytest.fixture
def sound() -> FakeSound:
    return FakeSound()


def make_core(
    tmp_path: Path, clock: FakeClock, sound: FakeSound, *, kiosk: bool = False, **factories
) -> TrainerCore:
    folder = tmp_path / "routines"
    folder.mkdir(exist_ok=True)
    (folder / "two.yaml").write_text(ROUTINE)
    settings = AppSettings(
        audio=AudioSettings(backend="silent", speech=False),
        engine=EngineSettings(cues=CueRules(count_in_seconds=0)),  # times as the plan's own
        pedal=PedalSettings(mode="none"),
        routine_folders=(folder,),
        database=tmp_path / "history.sqlite3",
        clock=clock,
        log_dir=tmp_path / "logs",
    )
    chosen = {"open_audio": lambda s, n, q: sound, "open_pedal": no_pedal, **factories}
    shown: list[str] = []
    core = TrainerCore(
        settings, notify=shown.append, kiosk=kiosk, factories=AdapterFactories(**chosen)
    )
    core.open(callbacks())
    return core


def test_a_session_runs_through_handle_and_tick(tmp_path: Path, clock: FakeClock, sound):
    core = make_core(tmp_path, clock, sound)
    assert [choice.id for choice in core.routine_choices()] == ["two"]
    session = core.start(core.catalog.routines["two"])
    assert session.last.snapshot.state is SessionState.READY
    (greeting,) = sound.said  # said before the first tap
    assert greeting.startswith("Two holds.") and greeting.endswith("First: One. Tap to start.")

    step = core.handle(Action(Gesture.TAP))
    assert step is not None and step.snapshot.state is SessionState.RUNNING
    assert any(isinstance(e, SessionStarted) for e in step.effects)
    assert Tone.START in sound.played and step.next_tick is not None

    clock.advance(10)
    step = session.tick()
    assert step.snapshot.moment.title == "Two"
    assert [e.moment_index for e in step.effects if isinstance(e, RecordMoment)] == [0]

    clock.advance(10)
    step = session.tick()
    assert step.summary is not None and step.summary.status == "finished"
    view = core.finish(session)
    assert view.summary.moments_done == 2 and core.session is None
    core.close()
    assert sound.closed
    with SessionStore.open(tmp_path / "history.sqlite3") as store:
        assert [o.session.status for o in store.recent_sessions()] == ["finished"]


def test_keys_become_actions_and_unbound_keys_do_nothing(tmp_path: Path, clock, sound):
    core = make_core(tmp_path, clock, sound)
    session = core.start(core.catalog.routines["two"])
    before = session.last
    step = session.handle(Action(None, key="x"))
    assert step.effects == () and step.snapshot == before.snapshot
    space, one = core.action_for_key("space"), core.action_for_key("1")
    assert space is not None and (space.meaning, space.key) == (Gesture.TAP, "space")
    assert one is not None and (one.meaning, one.key) == (None, "1")


def test_closing_mid_session_logs_it_abandoned(tmp_path: Path, clock, sound):
    core = make_core(tmp_path, clock, sound)
    core.start(core.catalog.routines["two"])
    core.handle(Action(Command.PRIMARY))
    core.close()
    with SessionStore.open(tmp_path / "history.sqlite3") as store:
        assert [o.session.status for o in store.recent_sessions()] == ["abandoned"]


def test_a_demo_routine_is_listed_first(tmp_path: Path, clock, sound):
    """The routine for trying the pedal (focus "demo") comes before the rest."""
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "alpha.yaml").write_text(ROUTINE.replace("Two holds", "Alpha"))
    (folder / "zed.yaml").write_text(ROUTINE.replace("Two holds", "Zed demo") + "focus: [demo]\n")
    core = make_core(tmp_path, clock, sound)
    assert [choice.id for choice in core.routine_choices()] == ["zed", "alpha", "two"]


def test_each_adapter_may_fail_alone_with_a_notice(tmp_path: Path, clock, sound):
    def broken_store(path):
        raise StoreError("disk on fire")

    def broken_audio(settings, notify, on_unheard):
        raise RuntimeError("no ALSA")

    def gpio_only(settings, on_gesture, on_edge):
        raise PedalUnavailable("cannot use the foot switch")

    core = make_core(
        tmp_path,
        clock,
        sound,
        open_store=broken_store,
        open_audio=broken_audio,
        open_pedal=gpio_only,
    )
    assert core.notices == [
        "History is off: disk on fire",
        "Sound is off: it could not start (details in the log)",
        "cannot use the foot switch; using the keyboard",
    ]
    session = core.start(core.catalog.routines["two"])  # and a session still runs
    assert session.handle(Action(Gesture.TAP)).snapshot.state is SessionState.RUNNING
    assert core.history() is None and core.notices[-1] == "History is off"


def test_a_kiosk_closes_interrupted_sessions_instead_of_offering_them(tmp_path, clock, sound):
    core = make_core(tmp_path, clock, sound)
    core.start(core.catalog.routines["two"])
    core.handle(Action(Gesture.TAP))
    core.session = None  # the process died here: nothing closed the session
    assert core.store is not None
    store_path = core.store.path
    core.store.close()

    home = make_core(tmp_path, clock, sound)
    offer = home.resume_offer()
    assert offer is not None and offer.moment_index == 0
    home.store.close()

    kiosk = make_core(tmp_path, clock, sound, kiosk=True)
    assert kiosk.resume_offer() is None
    with SessionStore.open(store_path) as store:
        assert [o.session.status for o in store.recent_sessions()] == ["interrupted"]


def test_idle_rules(clock: FakeClock):
    watch = IdleWatch(KioskSettings(idle_seconds=100, summary_seconds=30), clock)
    clock.advance(50)
    assert not watch.reset_due(Idleness.WAITING)
    assert watch.reset_due(Idleness.SUMMARY)
    assert watch.reset_due(Idleness.LOST)
    clock.advance(60)
    assert watch.reset_due(Idleness.WAITING)
    assert not watch.reset_due(Idleness.HOME) and not watch.reset_due(Idleness.BUSY)
    watch.touch()
    assert not watch.reset_due(Idleness.WAITING)


def test_a_counting_hold_is_busy_and_a_paused_one_waits(tmp_path, clock, sound):
    core = make_core(tmp_path, clock, sound)
    session = core.start(core.catalog.routines["two"])
    assert session_idleness(session.last.snapshot) is Idleness.WAITING  # READY
    session.handle(Action(Gesture.TAP))
    assert session_idleness(session.last.snapshot) is Idleness.BUSY
    session.handle(Action(Command.PAUSE))
    assert session_idleness(session.last.snapshot) is Idleness.WAITING


def test_after_a_crash_and_resume_the_summary_counts_the_whole_session(tmp_path, clock, sound):
    # The summary used to count only the moments since the resume ("1 of 2"
    # while the history said 2 of 2).
    core = make_core(tmp_path, clock, sound)
    core.start(core.catalog.routines["two"])
    core.handle(Action(Gesture.TAP))
    clock.advance(4)
    core.handle(Action(Command.PAUSE))
    clock.advance(3)
    core.handle(Action(Command.PAUSE))  # resume: 3 s paused
    clock.advance(6)
    assert core.session is not None
    core.session.tick()  # One is done (10 s active, 3 s paused) and logged
    core.session = None  # the process died here
    assert core.store is not None
    core.store.close()

    clock.advance(100)
    home = make_core(tmp_path, clock, sound)
    offer = home.resume_offer()
    assert offer is not None and offer.moment_index == 1
    session = home.start(offer.routine, offer)
    session.handle(Action(Gesture.TAP))
    clock.advance(10)
    step = session.tick()
    assert step.summary is not None
    summary = home.finish(session).summary
    assert (summary.moments_done, summary.moment_count) == (2, 2)
    assert (summary.active_seconds, summary.paused_seconds) == (20, 3)
    assert home.store is not None
    [overview] = home.store.recent_sessions()
    assert (overview.moments_done, overview.active_seconds, overview.paused_seconds) == (2, 20, 3)
    # ...and every screen and listing names the same figures.
    assert "Time: active 0:20, paused 0:03" in summary_text(summary, []).plain
    assert "active 0:20, paused 0:03" in sessions_table([overview])


def test_a_session_ended_by_the_idle_reset_keeps_its_last_moment_and_pause(tmp_path, clock, sound):
    core = make_core(tmp_path, clock, sound, kiosk=True)
    core.start(core.catalog.routines["two"])
    core.handle(Action(Gesture.TAP))
    clock.advance(4)
    core.handle(Action(Command.PAUSE))
    clock.advance(300)  # walked away; the kiosk's idle reset ends it
    core.abandon()
    assert core.store is not None
    [overview] = core.store.recent_sessions()
    assert overview.session.status == "abandoned"
    assert (overview.active_seconds, overview.paused_seconds) == (4, 300)
    [row] = core.store.moments(overview.session.id)
    assert row.entry.skipped and row.entry.step_name == "One"


def test_the_summary_never_outstays_idle_seconds(clock: FakeClock):
    # It used to stay for summary_seconds (90 s) whatever idle_seconds said.
    watch = IdleWatch(KioskSettings(idle_seconds=30), clock)
    clock.advance(29)
    assert not watch.reset_due(Idleness.SUMMARY)
    clock.advance(1)
    assert watch.reset_due(Idleness.SUMMARY)


def test_summary_seconds_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "summary_seconds = 90" in readme


RATED = """\
title: Rated
summary: s
blocks:
  - name: A
    steps:
      - {kind: check, name: Knee to wall, test: knee-to-wall, rating: true}
"""


def rated_session(tmp_path: Path, clock: FakeClock, sound: FakeSound):
    core = make_core(tmp_path, clock, sound)
    (tmp_path / "routines" / "rated.yaml").write_text(RATED)
    core.reload()
    session = core.start(core.catalog.routines["rated"])
    session.handle(Action(Gesture.TAP))
    for _ in range(10):
        if session.last.snapshot.state is SessionState.ANSWERING:
            break
        session.handle(Action(Gesture.TAP))
    session.handle(Action(None, key="3"))  # right tighter
    assert session.last.snapshot.answer.stage == "rating"
    return session


@pytest.mark.parametrize(
    ("keys", "rating"),
    [(["1", "0"], 10), (["1", "enter"], 1), (["7"], 7), (["0"], 0), (["1", "1", "enter"], 1)],
)
def test_typed_ratings_give_what_was_meant(tmp_path, clock, sound, keys, rating):
    # Typing "1" used to confirm 1 at once, so 10 could not be typed.
    session = rated_session(tmp_path, clock, sound)
    for key in keys[:-1]:
        session.handle(Action(None, key=key))
        assert session.summary is None, "not confirmed yet"
        assert session.last.snapshot.answer.rating == 1  # shown while waiting
    step = session.handle(Action(None, key=keys[-1]))
    assert step.summary is not None
    (check,) = step.summary.checks
    assert (check.result, check.rating) == ("right-tighter", rating)


def test_a_volume_change_mid_session_keeps_the_sessions_sound(
    tmp_path: Path, clock: FakeClock, sound
):
    opened: list[FakeSound] = []

    def open_audio(settings, notify, on_unheard) -> FakeSound:
        opened.append(sound)
        return sound

    core = make_core(tmp_path, clock, sound, kiosk=True, open_audio=open_audio)
    core.start(core.catalog.routines["two"])
    core.handle(Action(Gesture.TAP))
    core.adjust_audio(AudioSettings(backend="silent", speech=False, volume=0.3))
    assert len(opened) == 1 and not sound.closed  # the same player, still open
    assert (sound.volume, sound.muted) == (0.3, False)
    heard = len(sound.played) + len(sound.said)
    clock.advance(10)
    core.session.tick()  # "Two" starts: its sounds reach the same player
    assert len(sound.played) + len(sound.said) > heard
