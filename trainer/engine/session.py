"""The session engine: a pure state machine that walks a :class:`~trainer.engine.plan.Plan`.

Feed it events, each carrying ``now`` from a monotonic clock, and carry out the
effects it returns::

    session = Session(build_plan(loaded), settings)
    effects = session.greeting(time.monotonic())        # READY at moment 0: "Tap to start"
    effects = session.gesture(Gesture.TAP, time.monotonic())   # starts the clock
    ...
    when = session.next_deadline(now)   # schedule a tick then (None: nothing due)
    effects = session.tick(time.monotonic())
    picture = session.snapshot(time.monotonic())        # what to draw, after each call

How time works
--------------
Every timer is a *deadline* on the injected clock, never a sum of sleeps:

* a visit to a moment has an ``origin`` (its start time); its deadline is
  ``origin + planned``, and a cue at offset ``x`` is due at ``origin + x``;
* pausing and resuming moves ``origin`` forward by exactly the paused time, so
  every pending deadline shifts by exactly that much;
* when an auto-advance moment's deadline passes, the next moment starts *at that
  deadline*, not at the (possibly late) tick. A single late tick may therefore
  cross several moments; each one's cues are still emitted, once each and in
  order, stamped with the time they were due (see :mod:`trainer.engine.effects`).

So however jittery the ticks, a run of auto moments ends exactly when the plan
says, and the cue times are exact.

Starting
--------
A session begins in :attr:`SessionState.READY`, showing its first moment (or the
moment a resumed session stopped at) with no clock running, so the user can get
into position and tap when ready.

The engine imports nothing from Textual, gpiozero, audio or sqlite.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from trainer.engine.answering import CheckAnswerInput
from trainer.engine.effects import (
    Effect,
    MomentStarted,
    PlayTone,
    RecordCheck,
    RecordMoment,
    SessionFinished,
    SessionStarted,
    SessionSummary,
    Speak,
)
from trainer.engine.events import CheckAnswered, CommandGiven, Event, GesturePressed, Tick
from trainer.engine.pausemenu import PAUSED_LINE, PauseMenu
from trainer.engine.plan import Moment, Plan
from trainer.engine.settings import EngineSettings
from trainer.engine.snapshot import SessionState, Snapshot, build_legend
from trainer.engine.soundplan import PlannedSound, SessionSounds, plan_sounds
from trainer.engine.vocabulary import Command, Gesture, Tone
from trainer.routine.models import CheckResult, CheckStep


class Session:
    """One run through a plan. Not thread-safe: feed it from one thread (the UI loop)."""

    def __init__(
        self,
        plan: Plan,
        settings: EngineSettings | None = None,
        *,
        start_index: int = 0,
        sounds: SessionSounds | None = None,
        earlier: Iterable[LoggedVisit] = (),
    ) -> None:
        """``earlier``: the visits a resumed session logged before it was cut short, so
        its summary (and the session clock) counts the whole session, not just this run."""
        if not plan.moments:
            raise ValueError("a plan with no moments cannot be run")
        if not 0 <= start_index < len(plan):
            raise ValueError(f"start_index {start_index} is outside the plan (0-{len(plan) - 1})")
        self.plan = plan
        self.settings = settings or EngineSettings()
        self.start_index = start_index
        self._index = start_index
        self._visit: _Visit | None = None
        self._answer: CheckAnswerInput | None = None
        self._ended: SessionState | None = None
        self._latest = -math.inf
        self._visit_count = 0
        self._started_at: float | None = None
        self._tally = _Tally()
        for visit in earlier:
            self._tally.add(visit)
        self._welcome: list[tuple[float, PlannedSound]] = []
        #: Every sound of every moment, laid out ahead (see trainer.engine.soundplan).
        self.sounds = sounds if sounds is not None else plan_sounds(plan, self.settings.cues)
        if len(self.sounds) != len(plan):
            raise ValueError("the sound plan was made for another plan")

    # -- feeding --------------------------------------------------------------

    def handle(self, event: Event) -> list[Effect]:
        """Apply one event at ``event.now``; returns the effects to carry out, in order.

        Time is brought up to ``now`` first (due cues, deadlines), so a tap that
        arrives late acts on the moment that is current at ``now``.
        """
        now = self._accept_time(event.now)
        if self.state.ended:
            return []
        out = _Outbox()
        self._catch_up(now, out)
        if not self.state.ended:
            match event:
                case GesturePressed(gesture=gesture):
                    command = self.settings.gestures.command_for(gesture)
                    if command is not None and not self._pause_menu_command(command, now, out):
                        self._apply(command, now, out)
                case CommandGiven(command=command):
                    self._apply(command, now, out)
                case CheckAnswered(result=result, rating=rating, values=values):
                    self._take_answer(result, rating, now, out, dict(values))
                case Tick():
                    for effect in self._say_welcome(now):
                        out.emit(effect)
            self._catch_up(now, out)  # the opening cues of a moment just entered
        return out.effects

    def tick(self, now: float) -> list[Effect]:
        return self.handle(Tick(now))

    def gesture(self, gesture: Gesture, now: float) -> list[Effect]:
        return self.handle(GesturePressed(gesture, now))

    def command(self, command: Command, now: float) -> list[Effect]:
        return self.handle(CommandGiven(command, now))

    def answer(self, result: CheckResult, now: float, rating: int | None = None) -> list[Effect]:
        return self.handle(CheckAnswered(result, now, rating))

    def greeting(self, now: float) -> list[Effect]:
        """What to show and say before the first tap (the READY state)."""
        moment = self.plan[self._index]
        if self.start_index > 0:
            line = f"Resuming {self.plan.title} at {moment.title}. Tap to continue."
            return [Speak(line, now)]
        # The welcome (with the safety note) is said piece by piece on its plan;
        # the first tap acknowledges it and starts, cutting short what is unsaid.
        self._welcome = [(now + sound.start, sound) for sound in self.sounds.welcome]
        return self._say_welcome(now)

    def _say_welcome(self, now: float) -> list[Effect]:
        effects: list[Effect] = []
        while self._welcome and self._welcome[0][0] <= now and self._visit is None:
            due, sound = self._welcome.pop(0)
            effects.append(sound.effect(due))
        return effects

    # -- reading ----------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        if self._ended is not None:
            return self._ended
        if self._visit is None:
            return SessionState.READY
        if self._answer is not None:
            return SessionState.ANSWERING
        if self._visit.timer_done:
            return SessionState.WAITING
        return SessionState.RUNNING

    @property
    def index(self) -> int:
        """Index of the current moment (the last one once the session has ended)."""
        return self._index

    @property
    def paused(self) -> bool:
        return self._visit is not None and self._visit.paused and not self.state.ended

    def next_deadline(self, now: float) -> float | None:
        """When the engine next needs a tick: the next cue or deadline, or None.

        None means nothing is scheduled (READY, paused, a pedal-only moment, or
        ended); keep refreshing the display on your own interval. A time at or
        before ``now`` means "tick straight away".
        """
        visit = self._visit
        if visit is None and self._welcome and not self.state.ended:
            return self._welcome[0][0]
        if visit is None or visit.paused or self.state.ended:
            return None
        candidates = [visit.next_cue_due()]
        if not visit.timer_done:
            candidates.append(visit.deadline)
        times = [time for time in candidates if time is not None]
        return min(times) if times else None

    def snapshot(self, now: float) -> Snapshot:
        """The session as the screen should show it at ``now`` (call after the latest tick)."""
        state = self.state
        moment = self.plan[self._index]
        visit = self._visit if not state.ended else None
        elapsed = visit.elapsed(now) if visit is not None else 0.0
        planned = moment.planned_seconds
        if state.ended:
            moment_left = 0.0 if planned is not None else None
            session_left = 0.0
        else:
            moment_left = None if planned is None else max(0.0, planned - elapsed)
            if state is SessionState.WAITING:
                own_left = 0.0
            elif moment_left is not None:
                own_left = moment_left
            else:
                own_left = max(0.0, moment.estimated_seconds - elapsed)
            session_left = own_left + self.plan.estimated_after(self._index)
        tempo = moment.tempo_at(elapsed) if visit is not None else None
        answer = self._answer.view if self._answer is not None else None
        menu = visit.menu.view if visit is not None and visit.menu is not None else None
        following = self._index + 1
        return Snapshot(
            state=state,
            paused=self.paused,
            moment=moment,
            moment_count=len(self.plan),
            moment_elapsed=elapsed,
            moment_left=moment_left,
            session_left=session_left,
            session_active=self._tally.active_seconds + elapsed,
            tempo=tempo,
            tempo_left=tempo.end - elapsed if tempo is not None else None,
            lead_in_left=visit.lead_in_left(now) if visit is not None else None,
            next_moment=self.plan[following] if following < len(self.plan) else None,
            legend=build_legend(self.settings.gestures, state, self.paused, moment, answer, menu),
            cue_text=visit.cue_text if visit is not None else None,
            answer=answer,
            pause_menu=menu,
        )

    def summary(self, now: float) -> SessionSummary:
        """How the session has gone so far (final once it has ended)."""
        status = "abandoned" if self._ended is SessionState.ABANDONED else "finished"
        return self._tally.summary(status, self.plan, self._started_at, now)

    # -- time -------------------------------------------------------------------

    def _accept_time(self, now: float) -> float:
        # A monotonic clock never goes back; if a caller's does, hold time still
        # rather than un-firing cues or producing negative durations.
        self._latest = max(self._latest, now)
        return self._latest

    def _catch_up(self, now: float, out: _Outbox) -> None:
        """Fire every cue due by ``now`` and roll over every deadline passed by ``now``."""
        while (visit := self._visit) is not None and not visit.paused:
            for cue, due in visit.take_due_cues(now):
                out.emit(cue.effect(due))
                if cue.shown:
                    visit.cue_text = cue.text
            deadline = visit.deadline
            if deadline is None or visit.timer_done or deadline > now:
                return
            if visit.moment.advance == "pedal":
                visit.timer_done = True  # the clock is done; the user taps to move on
                return
            # Start the next moment at the deadline itself, so late ticks lose nothing.
            self._leave(deadline, out, next_index=self._index + 1, reached_deadline=True)

    # -- commands ---------------------------------------------------------------

    def _apply(self, command: Command, now: float, out: _Outbox) -> None:
        if command is Command.QUIT:
            if self._visit is not None:
                # The moment in progress is logged, unfinished, with the time spent
                # in it and any pause it was left in (a kiosk's idle reset comes
                # after a long one): quitting must not lose either.
                record = self._visit.record(
                    now, index=self._index, skipped=True, went_back=False, next_index=self._index
                )
                self._tally.add(record)
                out.emit(record)
            self._end(SessionState.ABANDONED, now, out)
            return
        visit = self._visit
        if visit is None:  # READY: only a start (or quit) makes sense
            if command is Command.PRIMARY:
                self._begin(now, out)
                if self.plan[self._index].kind == "instruction" and self._visit is not None:
                    # The ready screen already showed this instruction ("get a
                    # mat..."): the one tap that starts also moves past it.
                    self._leave(now, out, next_index=self._index + 1)
            return
        if self._answer is not None and self._answer_command(command, now, out):
            return
        if command is Command.PAUSE or (command is Command.PRIMARY and visit.paused):
            self._toggle_pause(visit, now, out)
        elif command is Command.PRIMARY and visit.lead_in_left(now) is not None:
            visit.start_now(now)  # a tap in the lead-in: ready, go now
        elif command is Command.PRIMARY:
            self._leave(now, out, next_index=self._index + 1)
        elif command is Command.BACK:
            self._leave(now, out, next_index=self.plan.previous_stop(self._index), went_back=True)
        elif command is Command.RESTART_STEP:
            self._leave(now, out, next_index=self.plan.step_start(self._index), went_back=True)
        elif command is Command.SKIP:
            self._skip_step(now, out)

    def _toggle_pause(self, visit: _Visit, now: float, out: _Outbox) -> None:
        if visit.paused:
            visit.resume(now)
            out.emit(Speak("Resumed", now))
        else:
            visit.pause(now)
            out.emit(Speak(PAUSED_LINE, now))

    def _pause_menu_command(self, command: Command, now: float, out: _Outbox) -> bool:
        """A pedal gesture while paused works the pause menu; True if it was used.

        Only gestures go through the menu: keys give their commands directly
        (escape resumes, ``b`` goes back...). See :mod:`trainer.engine.pausemenu`.
        """
        visit = self._visit
        if visit is None or visit.menu is None or self._answer is not None:
            return False
        menu = visit.menu
        if command is Command.PRIMARY:
            out.emit(Speak(menu.cycle(), now))
        elif command is Command.PAUSE:
            chosen, line = menu.choose()
            if line is not None:
                out.emit(Speak(line, now))
            if chosen is Command.QUIT:
                out.emit(Speak("Session ended early.", now))
            if chosen is not None:
                self._apply(chosen, now, out)
        else:
            return False
        return True

    def _answer_command(self, command: Command, now: float, out: _Outbox) -> bool:
        """Commands in an answer moment: primary cycles, pause confirms, back undoes."""
        answer = self._answer
        assert answer is not None
        if command is Command.PRIMARY:
            out.emit(Speak(answer.cycle(), now))
        elif command is Command.PAUSE:
            complete, line = answer.confirm()
            out.emit(Speak(line, now))
            if complete:
                self._record_answer(answer, now, out)
                return True
        elif command is Command.BACK and answer.back():
            out.emit(Speak("Choose again", now))
        else:
            return False
        return True

    def _take_answer(
        self,
        result: CheckResult,
        rating: int | None,
        now: float,
        out: _Outbox,
        values: dict[str, float] | None = None,
    ) -> None:
        answer = self._answer
        if answer is None:
            return  # only the answer moment takes answers; keys elsewhere are ignored
        complete, line = answer.answer_directly(result, rating, values)
        out.emit(Speak(line, now))
        if complete:
            self._record_answer(answer, now, out)

    def _record_answer(self, answer: CheckAnswerInput, now: float, out: _Outbox) -> None:
        assert answer.result is not None
        record = answer.record
        unit = "" if record is None else (record.unit or "choice")
        check = RecordCheck(
            answer.step.test,
            answer.result,
            answer.rating,
            self._index,
            now,
            answer.answer_values,
            unit,
            ", ".join(answer.view.answered),
        )
        self._tally.checks.append(check)
        out.emit(check)
        self._leave(now, out, next_index=self._index + 1)

    # -- moving between moments -------------------------------------------------

    def _begin(self, now: float, out: _Outbox) -> None:
        self._welcome = []
        self._started_at = now
        plan = self.plan
        out.emit(
            SessionStarted(plan.routine_id, plan.digest, plan.title, len(plan), self._index, now)
        )
        self._enter(self._index, now, out)

    def _enter(self, index: int, at: float, out: _Outbox) -> None:
        if index >= len(self.plan):
            self._end(SessionState.FINISHED, at, out)
            return
        self._index = index
        self._visit_count += 1
        moment = self.plan[index]
        planned = self.sounds[index]
        self._visit = _Visit(moment, at, planned.lead_in, planned.sounds)
        step = moment.step
        self._answer = (
            CheckAnswerInput(step)
            if moment.kind == "answer" and isinstance(step, CheckStep)
            else None
        )
        out.emit(MomentStarted(index, at, self._visit_count))

    def _leave(
        self,
        at: float,
        out: _Outbox,
        *,
        next_index: int,
        skipped: bool = False,
        went_back: bool = False,
        reached_deadline: bool = False,
    ) -> None:
        """End the current visit (logging it) and enter ``next_index``."""
        visit = self._visit
        assert visit is not None
        record = visit.record(
            at,
            index=self._index,
            skipped=skipped,
            went_back=went_back,
            next_index=next_index,
            reached_deadline=reached_deadline,
        )
        self._tally.add(record)
        out.emit(record)
        self._visit, self._answer = None, None
        self._enter(next_index, at, out)

    def _skip_step(self, now: float, out: _Outbox) -> None:
        """Skip the rest of the current step: log its remaining moments as skipped."""
        after = self.plan.next_step_start(self._index)
        visit = self._visit
        assert visit is not None
        current = visit.record(
            now, index=self._index, skipped=True, went_back=False, next_index=after
        )
        self._tally.add(current)
        out.emit(current)
        for index in range(self._index + 1, after):
            untouched = _untouched_record(self.plan[index], now, next_index=after)
            self._tally.add(untouched)
            out.emit(untouched)
        self._visit, self._answer = None, None
        self._enter(after, now, out)

    def _end(self, how: SessionState, at: float, out: _Outbox) -> None:
        self._visit, self._answer = None, None
        self._ended = how
        rules = self.settings.cues
        if how is SessionState.FINISHED and rules.session_complete:
            out.emit(PlayTone(Tone.SESSION_COMPLETE, at))
            # Praise only a session done in full; the summary says what was skipped.
            skipped = self._tally.skipped - self._tally.done
            out.emit(Speak("Session complete." if skipped else "Session complete. Well done.", at))
        out.emit(SessionFinished(self.summary(at)))


class _Visit:
    """One visit to a moment: its clock, its pauses and which of its cues have fired.

    ``origin`` is when the work starts (after the lead-in), pushed forward by
    every completed pause, so that ``now - origin`` is the time spent working in
    the moment and ``origin + start`` is when the sound planned at ``start`` is
    due (lead-in sounds have negative starts).
    """

    def __init__(
        self,
        moment: Moment,
        started_at: float,
        lead_in: float,
        schedule: tuple[PlannedSound, ...],
    ):
        self.moment = moment
        self.started_at = started_at
        self.origin = started_at + lead_in
        self.paused_since: float | None = None
        self.paused_total = 0.0
        self.timer_done = False
        # The first coaching cue shows from the start; each cue said replaces it.
        self.cue_text: str | None = next(
            (cue.text for cue in moment.cues if cue.offset is None), None
        )
        #: The pause menu, while paused.
        self.menu: PauseMenu | None = None
        self._schedule = schedule
        self._fired = 0

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    @property
    def deadline(self) -> float | None:
        """When the moment's clock runs out; None if it has no clock or is paused."""
        if self.moment.planned_seconds is None or self.paused:
            return None
        return self.origin + self.moment.planned_seconds

    def lead_in_left(self, now: float) -> float | None:
        """Seconds of lead-in still to come before the work starts; None once it has."""
        until = self.paused_since if self.paused_since is not None else now
        return self.origin - until if until < self.origin else None

    def start_now(self, now: float) -> None:
        """End the lead-in early: the work starts at ``now``; unsaid lead-in sounds are skipped."""
        self.origin = now
        while self._fired < len(self._schedule) and self._schedule[self._fired].start < 0:
            self._fired += 1

    def elapsed(self, now: float) -> float:
        until = self.paused_since if self.paused_since is not None else now
        return max(0.0, until - self.origin)

    def paused_seconds(self, now: float) -> float:
        ongoing = now - self.paused_since if self.paused_since is not None else 0.0
        return self.paused_total + max(0.0, ongoing)

    def pause(self, now: float) -> None:
        self.paused_since = now
        self.menu = PauseMenu()

    def resume(self, now: float) -> None:
        assert self.paused_since is not None
        pause = now - self.paused_since
        self.origin += pause
        self.paused_total += pause
        self.paused_since = None
        self.menu = None

    def next_cue_due(self) -> float | None:
        if self.paused or self._fired >= len(self._schedule):
            return None
        return self.origin + self._schedule[self._fired].start

    def take_due_cues(self, now: float) -> list[tuple[PlannedSound, float]]:
        """The sounds due by ``now`` that have not played yet, with their due times."""
        due: list[tuple[PlannedSound, float]] = []
        while not self.paused and self._fired < len(self._schedule):
            cue = self._schedule[self._fired]
            when = self.origin + cue.start
            if when > now:
                break
            due.append((cue, when))
            self._fired += 1
        return due

    def record(
        self,
        at: float,
        *,
        index: int,
        skipped: bool,
        went_back: bool,
        next_index: int,
        reached_deadline: bool = False,
    ) -> RecordMoment:
        moment = self.moment
        paused = self.paused_seconds(at)
        # At a deadline the moment lasted exactly as planned; say so rather than
        # trust (origin + planned) - origin to round-trip in floating point.
        actual = moment.planned_seconds if reached_deadline else self.elapsed(at)
        assert actual is not None
        return _record_of(
            moment,
            index=index,
            actual=actual,
            paused=paused,
            skipped=skipped,
            went_back=went_back,
            # The lead-in is getting ready, not the moment: the visit is logged
            # as starting when its work did (less any pauses).
            started_at=at - actual - paused,
            at=at,
            next_index=next_index,
        )


def _untouched_record(moment: Moment, at: float, *, next_index: int) -> RecordMoment:
    """The log entry of a moment skipped without being visited."""
    return _record_of(
        moment,
        index=moment.index,
        actual=0.0,
        paused=0.0,
        skipped=True,
        went_back=False,
        started_at=at,
        at=at,
        next_index=next_index,
    )


def _record_of(
    moment: Moment,
    *,
    index: int,
    actual: float,
    paused: float,
    skipped: bool,
    went_back: bool,
    started_at: float,
    at: float,
    next_index: int,
) -> RecordMoment:
    """The log entry of one visit to ``moment``: what it was, and how the visit went."""
    return RecordMoment(
        moment_index=index,
        step_name=moment.step.name,
        kind=moment.kind,
        side=moment.side,
        set_number=moment.set_number,
        planned_seconds=moment.planned_seconds,
        actual_seconds=actual,
        paused_seconds=paused,
        skipped=skipped,
        went_back=went_back,
        started_at=started_at,
        at=at,
        next_index=next_index,
    )


@dataclass
class _Outbox:
    """Effects collected while handling one event."""

    effects: list[Effect] = field(default_factory=list)

    def emit(self, effect: Effect) -> None:
        self.effects.append(effect)


class LoggedVisit(Protocol):
    """One visit to a moment as logged (a :class:`RecordMoment`, or the store's entry).

    The session's figures are defined on these, everywhere: *active* time is the sum
    of the visits' ``actual_seconds`` (time in moments, pauses excluded), *paused*
    time the sum of their ``paused_seconds``; a moment is *done* when a visit to it
    was neither skipped nor left by going back (:attr:`MomentEntry.done
    <trainer.engine.effects.MomentEntry.done>`, which the store keeps with each row).
    """

    @property
    def moment_index(self) -> int: ...
    @property
    def actual_seconds(self) -> float: ...
    @property
    def paused_seconds(self) -> float: ...
    @property
    def skipped(self) -> bool: ...
    @property
    def done(self) -> bool: ...


@dataclass
class _Tally:
    """Running totals for the summary."""

    done: set[int] = field(default_factory=set)
    skipped: set[int] = field(default_factory=set)
    active_seconds: float = 0.0
    paused_seconds: float = 0.0
    checks: list[RecordCheck] = field(default_factory=list)

    def add(self, record: LoggedVisit) -> None:
        self.active_seconds += record.actual_seconds
        self.paused_seconds += record.paused_seconds
        if record.done:
            self.done.add(record.moment_index)
        elif record.skipped:
            self.skipped.add(record.moment_index)

    def summary(
        self, status: str, plan: Plan, started_at: float | None, now: float
    ) -> SessionSummary:
        return SessionSummary(
            status="abandoned" if status == "abandoned" else "finished",
            routine_id=plan.routine_id,
            title=plan.title,
            moment_count=len(plan),
            moments_done=len(self.done),
            moments_skipped=len(self.skipped - self.done),
            active_seconds=self.active_seconds,
            paused_seconds=self.paused_seconds,
            started_at=started_at,
            ended_at=now,
            checks=tuple(self.checks),
        )
