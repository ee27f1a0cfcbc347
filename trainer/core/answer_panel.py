"""A check's answer panel: what it says, and a number typed on a keyboard (no Textual).

The pedal's rules for answering (taps count, a long press confirms, per side,
within the record's bounds) belong to the pure engine
(:mod:`trainer.engine.answering`). This module adds what only a screen with a
keyboard has, and says what the panel shows, so the session screen only draws:

* :class:`NumberEntry`: a number typed for a ``record:`` check (a coach's
  preview, a home user at the keyboard): digits, one decimal point (``.`` or
  ``,``) where the record has decimals, a minus where it goes below zero,
  Backspace to delete; Enter checks it against the record's bounds and hands it
  to the engine as the current side's answer (see
  :meth:`~trainer.core.session.ActiveSession.handle`);
* :func:`answer_panel`: the panel as plain data (:class:`AnswerPanel`).
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.answering import AnswerView
from trainer.routine.models import CHECK_RESULTS, CheckRecord

#: Keys that answer a check directly: 1 / 2 / 3 = left tighter / even / right tighter.
ANSWER_KEYS = dict(zip(("1", "2", "3"), CHECK_RESULTS, strict=True))
#: What a key types into a number (Textual's key names).
_TYPED = {str(digit): str(digit) for digit in range(10)} | {
    "full_stop": ".",
    "comma": ".",
    "minus": "-",
}
TAP_HINT = "(tap: next, hold: confirm)"
TYPING_HINT = "(Enter: confirm, Backspace: delete, tap: count instead)"


@dataclass(frozen=True)
class AnswerChoice:
    """One of a left/right check's answers, with the key that gives it."""

    key: str
    label: str
    chosen: bool


@dataclass(frozen=True)
class AnswerPanel:
    """What a check's answer panel shows, top to bottom."""

    question: str
    #: Answers given so far ("Left 7.5 centimetres").
    given: tuple[str, ...] = ()
    #: The number or choice being entered ("-" before the first tap); None for a left/right check.
    entered: str | None = None
    #: A left/right check's answers, the chosen one marked.
    choices: tuple[AnswerChoice, ...] = ()
    #: The rating line, in a left/right check's rating stage.
    rating: str | None = None
    hint: str = ""
    #: Why a typed number was not taken ("120 is above 100"); empty when all is well.
    problem: str = ""


class NumberEntry:
    """A number being typed for a ``record`` check's current side."""

    def __init__(self, record: CheckRecord) -> None:
        self.record = record
        self.text = ""
        self.problem = ""

    @property
    def typing(self) -> bool:
        return bool(self.text)

    def type(self, key: str) -> bool:
        """Take a key; False when it is not one that types (it keeps its usual meaning).

        A character the number cannot take here (a second point, a decimal the
        record does not keep, a digit too many) is left out.
        """
        char = _TYPED.get(key)
        if char is None:
            return False
        self.problem = ""
        self.text = self._with(char) or self.text
        return True

    def _with(self, char: str) -> str | None:
        record = self.record
        whole, point, decimals = self.text.partition(".")
        if char == "-":
            return "-" if not self.text and record.lowest < 0 else None
        if char == ".":
            if point or record.places == 0:
                return None
            return f"{self.text if whole.strip('-') else self.text + '0'}."
        if point:
            return self.text + char if len(decimals) < record.places else None
        digits = len(f"{max(abs(record.lowest), abs(record.highest)):.0f}")
        return self.text + char if len(whole.lstrip("-")) < digits else None

    def delete(self) -> bool:
        """Backspace: False when there was nothing to delete."""
        if not self.text:
            return False
        self.text, self.problem = self.text[:-1], ""
        return True

    def value(self) -> float | None:
        """The number typed, if the record can take it; otherwise None and :attr:`problem`."""
        record = self.record
        try:
            number = float(self.text)
        except ValueError:
            self.problem = "type a number"
            return None
        if not record.lowest <= number <= record.highest:
            low, high = record.format(record.lowest), record.format(record.highest)
            self.problem = f"{self.text} is outside {low} to {high}"
            return None
        return round(number, record.places)

    def clear(self) -> None:
        self.text, self.problem = "", ""


def answer_panel(answer: AnswerView, entry: NumberEntry | None = None) -> AnswerPanel:
    """The panel for ``answer`` (the engine's), with the number being typed if any."""
    if answer.stage in ("value", "tenths"):  # a check that records numbers or choices
        typing = entry is not None and (entry.typing or bool(entry.problem))
        entered = entry.text if entry is not None and entry.typing else answer.value_text
        return AnswerPanel(
            answer.question,
            given=answer.answered,
            entered="-" if entered is None else entered,
            hint=TYPING_HINT if typing else TAP_HINT,
            problem=entry.problem if entry is not None else "",
        )
    choices = tuple(
        AnswerChoice(key, result.label.upper(), answer.result == result)
        for key, result in ANSWER_KEYS.items()
    )
    if answer.stage == "rating":
        rating = "-" if answer.rating is None else str(answer.rating)
        return AnswerPanel(
            answer.question,
            choices=choices,
            rating=f"Rating 0-10: {rating}   (tap: +1, hold: confirm)",
        )
    return AnswerPanel(answer.question, choices=choices, hint="(tap: next choice, hold: confirm)")
