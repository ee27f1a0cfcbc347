"""A record check answered from a keyboard, and the answer panel as plain data: the
core's rules, tested with a fake sound player and a fake clock (no Textual)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.clock import FakeClock

from trainer.adapters.pedal.keys import DEFAULT_KEYS
from trainer.core.actions import Action
from trainer.core.answer_panel import TAP_HINT, TYPING_HINT, NumberEntry, answer_panel
from trainer.core.session import ActiveSession
from trainer.engine.effects import RecordCheck
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.snapshot import SessionState
from trainer.engine.vocabulary import Command, Gesture
from trainer.routine.catalog import default_folders, load_catalog
from trainer.routine.models import CheckRecord

RECHECK = Path(__file__).parents[1] / "routines_content" / "coach" / "ankle-recheck.yaml"


class FakeSound:
    """Keeps what the session asked to say."""

    measure = None

    def __init__(self) -> None:
        self.said: list[str] = []

    def play(self, tone: object, *, late_by: float = 0.0) -> None:
        pass

    def speak(self, text: str, *, late_by: float = 0.0) -> None:
        self.said.append(text)

    def close(self) -> None:
        pass


def key(name: str) -> Action:
    """A key as the app hands it on: with its default meaning (Enter taps, Backspace is back)."""
    return Action(DEFAULT_KEYS.get(name), key=name)


TAP = Action(Gesture.TAP)


@pytest.fixture
def answering(clock: FakeClock) -> tuple[ActiveSession, FakeSound]:
    """A session of the ankle recheck at the knee-to-wall's answer (left side first)."""
    loaded = load_catalog(list(default_folders()), [RECHECK]).find(str(RECHECK))
    assert loaded is not None
    sound = FakeSound()
    session = ActiveSession(
        Session(build_plan(loaded)), sound=sound, recorder=None, notify=lambda _: None, clock=clock
    )
    for _ in range(20):
        if session.last.snapshot.state is SessionState.ANSWERING:
            break
        session.handle(TAP)
        clock.advance(10)
        session.tick()
    assert session.last.snapshot.state is SessionState.ANSWERING
    return session, sound


def typed(session: ActiveSession, *names: str) -> None:
    for name in names:
        session.handle(key(name))


def panel(session: ActiveSession):
    found = session.answer_panel(session.last.snapshot)
    assert found is not None
    return found


def test_a_typed_number_answers_the_side_and_moves_to_the_next(answering):
    session, sound = answering
    assert panel(session).question == "Left side, in centimetres"
    assert panel(session).entered == "-" and panel(session).hint == TAP_HINT
    typed(session, "7", "full_stop", "5")
    assert panel(session).entered == "7.5" and panel(session).hint == TYPING_HINT
    assert session.last.snapshot.answer.value_text is None  # the engine has not seen it yet
    typed(session, "enter")
    shown = panel(session)
    assert shown.given == ("Left 7.5 centimetres",)
    assert shown.question == "Right side, in centimetres" and shown.entered == "-"
    assert sound.said[-1] == "Left 7.5 centimetres. Right side, in centimetres"
    typed(session, "9", "comma", "0")  # a decimal comma types a point
    effects = session.handle(key("enter")).effects
    (record,) = [effect for effect in effects if isinstance(effect, RecordCheck)]
    assert record.values == (("left", 7.5), ("right", 9.0))
    assert record.result == "left-tighter"  # knee-to-wall: the lower number is tighter
    assert session.last.snapshot.moment.title == "Knee pain right now"


def test_a_number_outside_the_bounds_is_refused_and_kept_to_fix(answering):
    session, sound = answering
    said = len(sound.said)
    typed(session, "1", "2", "0", "enter")  # knee-to-wall: 0 to 100 cm
    shown = panel(session)
    assert shown.problem == "120 is outside 0.0 to 100.0"
    assert shown.entered == "120" and shown.given == ()
    assert len(sound.said) == said  # nothing recorded, nothing said
    typed(session, "backspace", "backspace", "enter")  # 1
    assert panel(session).given == ("Left 1.0 centimetres",)
    assert panel(session).problem == ""


def test_backspace_deletes_then_goes_back_as_ever(answering):
    session, _ = answering
    typed(session, "4", "enter")
    assert panel(session).given == ("Left 4.0 centimetres",)
    typed(session, "5", "backspace")
    assert panel(session).entered == "-"
    typed(session, "backspace")  # nothing typed: the back command, to the left side again
    assert panel(session).given == () and panel(session).question.startswith("Left side")


def test_the_pedal_takes_over_from_typing(answering):
    session, _ = answering
    typed(session, "6")
    session.handle(TAP)  # the pedal counts from the lowest value instead
    assert panel(session).entered == "0" and panel(session).hint == TAP_HINT
    session.handle(Action(Command.PAUSE))  # a long press confirms 0: tenths next
    assert session.last.snapshot.answer.stage == "tenths"
    typed(session, "2", "enter")  # typing works in the tenths stage too
    assert panel(session).given == ("Left 2.0 centimetres",)


def test_a_score_takes_whole_numbers_only(answering):
    session, _ = answering
    typed(session, "3", "enter", "4", "enter")  # knee-to-wall, both sides
    assert session.last.snapshot.moment.title == "Knee pain right now"
    typed(session, "1", "full_stop", "5")  # no decimals on a 0-10 score
    assert panel(session).entered == "15"
    typed(session, "enter")
    assert panel(session).problem == "15 is outside 0 to 10"
    typed(session, "backspace", "enter")
    assert session.last.summary is not None
    (pain,) = [c for c in session.last.summary.checks if c.test == "knee-pain"]
    assert pain.values == (("", 1.0),)


def record(**fields: object) -> CheckRecord:
    return CheckRecord.model_validate(fields)


@pytest.mark.parametrize(
    ("fields", "keys", "text"),
    [
        ({"unit": "cm"}, ["full_stop", "5"], "0.5"),  # a point first gets its zero
        ({"unit": "cm"}, ["1", "0", "0", "7"], "100"),  # no more digits than the most needs
        ({"unit": "cm"}, ["2", "full_stop", "5", "5"], "2.5"),  # cm keeps one decimal
        ({"unit": "cm", "decimals": 2}, ["2", "full_stop", "5", "5"], "2.55"),
        ({"unit": "degrees", "min": -20, "max": 40}, ["minus", "5"], "-5"),
        ({"unit": "cm"}, ["minus", "5"], "5"),  # no minus where nothing is below zero
        ({"unit": "score"}, ["7", "full_stop", "minus"], "7"),
    ],
)
def test_number_entry_types_only_what_the_record_keeps(fields, keys, text):
    entry = NumberEntry(record(**fields))
    for name in keys:
        assert entry.type(name)
    assert entry.text == text
    assert not entry.type("space") and not entry.type("a")  # not typing keys


def test_a_left_right_check_panel_lists_the_keys_and_the_choice():
    from trainer.engine.answering import AnswerView
    from trainer.routine.models import CheckResult

    view = AnswerView("Which side felt tighter?", "result", CheckResult.EVEN, None, False)
    shown = answer_panel(view)
    assert [(c.key, c.label, c.chosen) for c in shown.choices] == [
        ("1", "LEFT TIGHTER", False),
        ("2", "EVEN", True),
        ("3", "RIGHT TIGHTER", False),
    ]
    rating = answer_panel(AnswerView("Rate it from 0 to 10", "rating", CheckResult.EVEN, 4, True))
    assert rating.rating == "Rating 0-10: 4   (tap: +1, hold: confirm)" and not rating.hint
