"""Property tests: random routines, random pedal and key events, random late ticks.

Whatever the user does and however late the ticks come, the engine must keep
these invariants:

* time left (in the moment and the session) is never negative, and an
  auto-advance moment never runs past its planned length;
* every visit ends with one record, and the next visit starts exactly where the
  record says (back goes back, done goes forward by one, skip goes forward) and
  exactly when the previous one ended: no time is lost between moments;
* actual + paused = the visit's wall time, and paused time equals the pauses
  the test itself made;
* each moment's scheduled cues are emitted at most once per visit, in order, and
  all of them when the visit ran to its end; none is emitted before it is due;
* driven forward, every session finishes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine_helpers import NO_LEAD_IN, Driver, routine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.engine.effects import (
    Effect,
    MomentStarted,
    PlayTone,
    RecordMoment,
    SessionFinished,
    Speak,
)
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.vocabulary import Command, Gesture, Tone

EPSILON = 1e-6

# -- random routines -------------------------------------------------------------

seconds = st.integers(min_value=1, max_value=90).map(lambda n: n / 2)  # 0.5 s to 45 s
sides = st.sampled_from(["both", "each", "left", "right"])


@st.composite
def cues(draw, span: float | None):
    chosen = []
    for number in range(draw(st.integers(0, 2))):
        text = f"Cue {number}"
        if span is not None and draw(st.booleans()):
            chosen.append({"text": text, "at": span * draw(st.integers(1, 3)) / 4})
        else:
            chosen.append(text)
    return chosen


@st.composite
def steps(draw):
    kind = draw(st.sampled_from(["hold", "reps", "timed", "rest", "instruction", "check"]))
    if kind == "hold":
        duration = draw(seconds)
        return {
            "kind": "hold",
            "name": "Hold",
            "duration": duration,
            "sides": draw(sides),
            "advance": draw(st.sampled_from(["auto", "auto", "pedal"])),
            "cues": draw(cues(duration)),
        }
    if kind == "reps":
        tempo = draw(st.sampled_from([None, "1-0-1", "2-1-1", "1-1-1-1"]))
        return {
            "kind": "reps",
            "name": "Reps",
            "reps": draw(st.integers(1, 4)),
            "sets": draw(st.integers(1, 3)),
            "tempo": tempo,
            "rest": draw(st.none() | seconds),
            "sides": draw(sides),
            "advance": "pedal" if tempo is None else draw(st.sampled_from(["auto", "pedal"])),
            "cues": draw(cues(None)),
        }
    if kind == "timed":
        work = draw(seconds)
        return {
            "kind": "timed",
            "name": "Timed",
            "work": work,
            "sets": draw(st.integers(1, 3)),
            "rest": draw(st.none() | seconds),
            "sides": draw(sides),
            "cues": draw(cues(work)),
        }
    if kind == "rest":
        return {"kind": "rest", "duration": draw(seconds)}
    if kind == "instruction":
        return {"kind": "instruction", "name": "Read", "text": "Read this."}
    duration = draw(st.none() | seconds)
    return {
        "kind": "check",
        "name": "Check",
        "test": "aslr",
        "duration": duration,
        "rating": draw(st.booleans()),
        "cues": draw(cues(duration)),
    }


routines = st.lists(steps(), min_size=1, max_size=5).map(lambda s: routine(*s))

# -- random events -----------------------------------------------------------------

gaps = st.one_of(
    st.floats(min_value=0, max_value=3, allow_nan=False),
    st.floats(min_value=0, max_value=40, allow_nan=False),
    st.just(0.0),
)
actions = st.one_of(
    st.tuples(st.just("tick"), gaps),
    st.tuples(st.just("gesture"), gaps, st.sampled_from(list(Gesture))),
    st.tuples(
        st.just("command"), gaps, st.sampled_from([c for c in Command if c is not Command.QUIT])
    ),
    st.tuples(
        st.just("answer"),
        gaps,
        st.sampled_from(["left-tighter", "even", "right-tighter"]),
        st.none() | st.integers(0, 10),
    ),
)

# -- the invariant checker -------------------------------------------------------

_FEEDBACK = re.compile(
    r"^(Paused.*|Resumed|Choose again|Session complete\.( Well done\.)?|Tap to .*|\d+|"
    r".*Hold to choose\.|End the session\?.*|Session ended early\.|"
    r"(Left tighter|Even|Right tighter)(, \d+|\. Rate it from 0 to 10)?)$"
)


def is_feedback(effect: Effect) -> bool:
    """Speech that answers the user (pause, answer choices), not a scheduled cue."""
    if isinstance(effect, PlayTone):
        return effect.tone is Tone.SESSION_COMPLETE
    return isinstance(effect, Speak) and bool(_FEEDBACK.match(effect.text))


@dataclass
class _OpenVisit:
    start: MomentStarted
    cues: list[tuple[object, float]] = field(default_factory=list)
    paused_before: float = 0.0
    paused_since: float | None = None


class InvariantChecker:
    """Watches every effect of a session and checks the invariants as they happen."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.plan = session.plan
        self.sounds = session.sounds
        self.visit: _OpenVisit | None = None
        self.last_record: RecordMoment | None = None
        self.finished = 0

    def observe(self, now: float, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, MomentStarted):
                self._started(effect)
            elif isinstance(effect, RecordMoment):
                self._recorded(effect, now)
            elif isinstance(effect, PlayTone | Speak) and not is_feedback(effect):
                assert self.visit is not None, f"cue outside any moment: {effect}"
                assert effect.due <= now + EPSILON, "cue emitted before it was due"
                assert effect.due >= self.visit.start.at - EPSILON
                what = effect.tone if isinstance(effect, PlayTone) else effect.text
                self.visit.cues.append((what, effect.due))
            elif isinstance(effect, SessionFinished):
                self.finished += 1
                self._check_summary(effect)
        self._track_pause(now)
        self._check_snapshot(now)

    def _started(self, start: MomentStarted) -> None:
        assert 0 <= start.index < len(self.plan)
        record = self.last_record
        if record is not None:
            assert start.index == record.next_index, "entered a moment the record did not name"
            assert start.at == record.at, "time was lost between two moments"
        self.visit = _OpenVisit(start)

    def _recorded(self, record: RecordMoment, now: float) -> None:
        visit = self.visit
        unvisited = visit is None or record.moment_index != visit.start.index
        if unvisited and record.skipped and record.actual_seconds == 0:
            self.last_record = record  # a later moment of a skipped step, never visited
            return
        assert visit is not None and record.moment_index == visit.start.index
        moment = self.plan[record.moment_index]
        # Forward, back and skip go where they should.
        if record.went_back:
            assert record.next_index <= record.moment_index
        elif record.skipped:
            assert record.next_index == self.plan.next_step_start(record.moment_index)
        else:
            assert record.next_index == record.moment_index + 1
        # Paused time is excluded from actual time, and equals the pauses made.
        assert record.actual_seconds >= 0 and record.paused_seconds >= -EPSILON
        wall = record.at - record.started_at
        assert abs(record.actual_seconds + record.paused_seconds - wall) < EPSILON
        ongoing = now - visit.paused_since if visit.paused_since is not None else 0.0
        assert abs(record.paused_seconds - (visit.paused_before + ongoing)) < EPSILON
        if moment.advance == "auto" and moment.planned_seconds is not None:
            assert record.actual_seconds <= moment.planned_seconds + EPSILON
        # Cues: a prefix of the schedule, once each, all of them if the clock ran out.
        schedule = self.sounds[moment.index].sounds
        expected = [(cue.tone or cue.text) for cue in schedule]
        fired = [what for what, _due in visit.cues]
        assert fired == expected[: len(fired)], "cues out of order or repeated"
        ran_out = moment.planned_seconds is not None and (
            record.actual_seconds >= moment.planned_seconds - EPSILON
        )
        if record.done and ran_out:
            assert len(fired) == len(expected), "a cue was lost"
        origin = record.started_at + (visit.paused_before if visit.paused_since is None else 0)
        if not visit.paused_before and visit.paused_since is None:
            for (_, due), cue in zip(visit.cues, schedule, strict=False):
                assert abs(due - (origin + cue.start)) < EPSILON
        self.last_record = record
        self.visit = None

    def _track_pause(self, now: float) -> None:
        visit = self.visit
        if visit is None:
            return
        if self.session.paused and visit.paused_since is None:
            visit.paused_since = now
        elif not self.session.paused and visit.paused_since is not None:
            visit.paused_before += now - visit.paused_since
            visit.paused_since = None

    def _check_snapshot(self, now: float) -> None:
        snapshot = self.session.snapshot(now)
        assert snapshot.session_left >= 0
        assert snapshot.moment_left is None or snapshot.moment_left >= 0
        assert snapshot.moment_elapsed >= 0
        assert 0 <= snapshot.index < len(self.plan)
        moment = snapshot.moment
        if moment.advance == "auto" and moment.planned_seconds is not None:
            assert snapshot.moment_elapsed <= moment.planned_seconds + EPSILON, "ran past the end"

    def _check_summary(self, finished: SessionFinished) -> None:
        summary = finished.summary
        assert summary.moments_done + summary.moments_skipped <= len(self.plan)
        assert summary.active_seconds >= 0 and summary.paused_seconds >= -EPSILON


def apply(driver: Driver, action: tuple) -> list[Effect]:
    kind, gap, *rest = action
    driver.wait(gap)
    if kind == "tick":
        return driver.tick()
    if kind == "gesture":
        return driver.gesture(rest[0])
    if kind == "command":
        return driver.command(rest[0])
    return driver.answer(rest[0], rest[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routine_=routines, script=st.lists(actions, max_size=40), seed=st.integers(0, 2**16))
def test_random_use_keeps_every_invariant(routine_, script, seed):
    session = Session(build_plan(routine_), NO_LEAD_IN)
    driver = Driver(session)
    checker = InvariantChecker(session)
    for action in script:
        effects = apply(driver, action)
        checker.observe(driver.now, effects)

    # Then drive it forward with jittery late ticks: it must finish.
    import random

    jitter = random.Random(seed)
    for _ in range(2000):
        if session.state.ended:
            break
        if session.paused:
            effects = driver.command(Command.PAUSE)  # resume (a tap works the pause menu)
        else:
            effects = []
            deadline = session.next_deadline(driver.now)
            if session.state.value in ("ready", "waiting") or deadline is None:
                if session.state.value == "answering":
                    effects = driver.wait(1).answer("even", 3)
                else:
                    effects = driver.wait(1).tap()
            else:
                effects = driver.at(max(driver.now, deadline) + jitter.uniform(0, 2.5)).tick()
        checker.observe(driver.now, effects)
    assert session.state.ended, "the session never finished"
    assert checker.finished == 1
    assert driver.session.tick(driver.now + 100) == []
