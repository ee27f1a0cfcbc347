"""One session under way: :class:`ActiveSession` feeds the engine and carries out its effects.

The engine (:class:`~trainer.engine.session.Session`) is pure; this class is the
one place where it meets the clock, the sound player and the session log. Every
call takes the engine up to now and answers with a :class:`Step`: the effects
it carried out and the snapshot to draw. A screen therefore has one display
path, input (or timer) -> one call -> draw ``step.snapshot``::

    step = session.handle(action)       # or session.tick() from a timer
    if step.summary is not None: ...    # the session ended
    else: draw(step.snapshot); wake me in step.next_tick seconds

A failing adapter never stops the session: while the store fails, the recorder
keeps what it could not write and saves it when the store recovers (see
:class:`~trainer.adapters.store.recorder.SessionRecorder`); the user is told
when saving starts waiting and when it has caught up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from trainer.adapters.store.recorder import SessionRecorder
from trainer.core.actions import Action
from trainer.core.adapters import Sound
from trainer.core.answer_panel import ANSWER_KEYS, AnswerPanel, NumberEntry, answer_panel
from trainer.engine.effects import Effect, PlayTone, SessionFinished, SessionSummary, Speak
from trainer.engine.events import CheckAnswered, CommandGiven, Event, GesturePressed, Tick
from trainer.engine.plan import Plan
from trainer.engine.session import Session
from trainer.engine.snapshot import SessionState, Snapshot
from trainer.engine.soundplan import SessionSounds
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.models import CheckResult


@dataclass(frozen=True)
class Step:
    """What one call did: the effects carried out and the session as it now is.

    :ivar summary: set in the step that ended the session (finished or quit).
    :ivar next_tick: seconds until the engine next needs a tick; None when
        nothing is scheduled (READY, paused, a pedal-only moment, ended).
    """

    effects: tuple[Effect, ...]
    snapshot: Snapshot
    summary: SessionSummary | None
    next_tick: float | None


class ActiveSession:
    """One session: the engine, its sound and its recorder, fed from the UI loop."""

    def __init__(
        self,
        session: Session,
        *,
        sound: Sound | None,
        recorder: SessionRecorder | None,
        notify: Callable[[str], None],
        clock: Callable[[], float],
    ) -> None:
        self._session = session
        self._sound = sound
        self.recorder = recorder
        if recorder is not None:
            recorder.listener = notify
        self._clock = clock
        self._notify = notify
        self.summary: SessionSummary | None = None
        self._pending_one = False  # "1" typed as a rating: a "0" may follow (10)
        self._entry: NumberEntry | None = None  # a number typed for a record check
        self.spoken: list[str] = []  # the latest spoken lines, newest last
        self.last = self._step(self._carry_out(session.greeting(clock())))

    @property
    def plan(self) -> Plan:
        return self._session.plan

    @property
    def sounds(self) -> SessionSounds:
        """Every sound of the session, as planned (see :mod:`trainer.engine.soundplan`)."""
        return self._session.sounds

    @property
    def ended(self) -> bool:
        return self.summary is not None

    @property
    def session_id(self) -> int | None:
        """The session's row in the log, once it has one."""
        return self.recorder.session_id if self.recorder is not None else None

    def handle(self, action: Action) -> Step:
        """Apply one input: a gesture, a command, or a key that answers a check.

        Typing a rating: ``0`` and ``2``-``9`` answer at once; ``1`` shows 1 and waits,
        since ``1`` then ``0`` means 10 (Enter, or a hold, then confirms the 1).

        Typing a number for a ``record`` check: digits, ``.`` and Backspace edit it
        (see :class:`~trainer.core.answer_panel.NumberEntry`), Enter gives it as the
        current side's answer; a number out of bounds stays on the panel with why.
        Any other input (a pedal tap, say) drops what was typed and does as ever.
        """
        typed = self._typed_number(action)
        if typed is not None:
            return typed
        typed = self._typed_rating(action)
        if typed is not None:
            return typed
        event = self._event_for(action)
        return self._run(event) if event is not None else self.tick()

    def answer_panel(self, snapshot: Snapshot) -> AnswerPanel | None:
        """What the check's answer panel shows for ``snapshot`` (None: no answer asked)."""
        if snapshot.answer is None:
            return None
        return answer_panel(snapshot.answer, self._number_entry(snapshot))

    def _number_entry(self, snapshot: Snapshot) -> NumberEntry | None:
        """The number being typed, while a record check asks for a number."""
        answer = snapshot.answer
        record = getattr(snapshot.moment.step, "record", None)
        if (
            snapshot.state is not SessionState.ANSWERING
            or answer is None
            or answer.stage not in ("value", "tenths")
            or record is None
            or record.choices is not None
        ):
            self._entry = None
            return None
        if self._entry is None or self._entry.record is not record:
            self._entry = NumberEntry(record)
        return self._entry

    def _typed_number(self, action: Action) -> Step | None:
        """A key that edits or gives a typed number, or None when the action is not one."""
        snapshot = self.last.snapshot
        entry = self._number_entry(snapshot)
        if entry is None or snapshot.answer is None:
            return None
        key = action.key or ""
        if entry.type(key) or (key == "backspace" and entry.delete()):
            return self.last
        if key == "enter" and entry.typing:
            value = entry.value()
            if value is None:
                return self.last  # the panel says why
            entry.clear()
            side = snapshot.answer.side
            return self._run(CheckAnswered(CheckResult.EVEN, self._clock(), None, ((side, value),)))
        entry.clear()  # the pedal's way (or a command) takes over
        return None

    def _typed_rating(self, action: Action) -> Step | None:
        """A key typed in a rating stage, or None when the key is not one."""
        pending, self._pending_one = self._pending_one, False
        snapshot = self.last.snapshot
        answer = snapshot.answer
        if snapshot.state is not SessionState.ANSWERING or answer is None:
            return None
        if answer.stage != "rating" or answer.result is None:
            return None
        key, now = action.key or "", self._clock()
        if pending and key in ("0", "enter"):
            return self._run(CheckAnswered(answer.result, now, 10 if key == "0" else 1))
        if key == "1":
            # Show 1 (taps count from the rating shown round to 1) and wait for a 0.
            step = self.last
            for _ in range((1 - (answer.rating or 0)) % 11):
                step = self._run(GesturePressed(Gesture.TAP, now))
            self._pending_one = True
            return step
        if key.isdigit():
            return self._run(CheckAnswered(answer.result, now, int(key)))
        return None

    def tick(self) -> Step:
        """Bring the engine up to now (a deadline passed, or a display refresh)."""
        return self._run(Tick(self._clock()))

    def abandon(self) -> None:
        """End the session as quit (kiosk reset, app closing); no-op once it has ended."""
        if not self.ended:
            self._run(CommandGiven(Command.QUIT, self._clock()))

    # -- internals ----------------------------------------------------------------

    def _event_for(self, action: Action) -> Event | None:
        now = self._clock()
        answer = self.last.snapshot.answer
        if self.last.snapshot.state is SessionState.ANSWERING and answer is not None:
            key = action.key or ""
            if answer.stage == "result" and key in ANSWER_KEYS:
                return CheckAnswered(ANSWER_KEYS[key], now)
        if action.gesture is not None:
            return GesturePressed(action.gesture, now)
        if action.command is not None:
            return CommandGiven(action.command, now)
        return None

    def _run(self, event: Event) -> Step:
        if self.ended:
            return self.last
        self.last = self._step(self._carry_out(self._session.handle(event)))
        return self.last

    def _step(self, effects: tuple[Effect, ...]) -> Step:
        now = self._clock()
        deadline = self._session.next_deadline(now)
        return Step(
            effects,
            self._session.snapshot(now),
            self.summary,
            None if deadline is None or self.ended else max(0.0, deadline - now),
        )

    def _carry_out(self, effects: Iterable[Effect]) -> tuple[Effect, ...]:
        done = tuple(effects)
        now = self._clock()
        for effect in done:
            match effect:
                # `late_by` lets the player drop a sound too stale to help (a busy Pi).
                case PlayTone(tone=tone, due=due) if self._sound is not None:
                    self._sound.play(tone, late_by=now - due)
                case Speak(text=text, due=due):
                    self.spoken = [*self.spoken[-4:], text]
                    if self._sound is not None:
                        self._sound.speak(text, late_by=now - due)
                case SessionFinished(summary=summary):
                    self.summary = summary
        self._record(done)
        return done

    def _record(self, effects: tuple[Effect, ...]) -> None:
        if self.recorder is not None:
            self.recorder.handle(effects)  # never raises: it waits and retries instead
