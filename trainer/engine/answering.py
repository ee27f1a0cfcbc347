"""Answering a left/right check with nothing but the pedal.

The user cannot reach a keyboard lying on the floor, so a check's answer moment
turns the pedal into a two-button menu:

1. **result**: each tap moves to the next choice (left tighter -> even -> right
   tighter -> left tighter ...) and says it aloud; a long press confirms.
2. **rating** (only when the check asks for one): taps count 1, 2, ... 10, 0, 1 ...;
   a long press confirms. "Back" here returns to the result stage.

Before the first tap nothing is chosen, so a stray long press cannot record a
result the user never heard.

A check with ``record:`` asks for its answers instead, side by side:

1. **value**: taps count up from the record's lowest value in whole units
   (7, 8, 9 ... wrapping at the highest), or step through its ``choices``;
   a long press confirms;
2. **tenths** (numbers with decimals only): taps count 0-9 tenths; a long
   press confirms ("7.5"). "Back" returns to the whole number, or to the
   previous side.

Per-side answers give the result too: the side whose number means tighter
(``tighter: lower`` or ``higher``) is the tighter side; equal numbers are even.
A single number (a pain score) is recorded as "even".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from trainer.routine.models import CHECK_RESULTS, CheckRecord, CheckResult, CheckStep

MAX_RATING = 10

AnswerStage = Literal["result", "rating", "value", "tenths"]
#: Per-side answers as recorded: ``(("left", 7.5), ("right", 9.0))``, or ``(("", 3.0),)``.
AnswerValues = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class AnswerView:
    """The answer in progress, for the screen."""

    question: str  # the result question, or the rating question in the rating stage
    stage: AnswerStage
    result: CheckResult | None
    rating: int | None
    asks_rating: bool
    #: For ``record`` checks: the side being answered ("" for one answer)...
    side: str = ""
    #: ...the value as entered so far ("7", "7.5", a choice), None before the first tap...
    value_text: str | None = None
    #: ...and the answers given so far, formatted with their unit.
    answered: tuple[str, ...] = ()


class CheckAnswerInput:
    """The choices made so far in one check's answer moment."""

    def __init__(self, step: CheckStep) -> None:
        self.step = step
        self.record: CheckRecord | None = step.record
        self.stage: AnswerStage = "result" if self.record is None else "value"
        self.result: CheckResult | None = None
        self.rating: int | None = None
        #: Sides still to answer for a record check, and the answers given.
        self.sides: tuple[str, ...] = (
            tuple(side for side in step.side_names if side) or ("",)
            if self.record is not None and self.record.per_side
            else ("",)
        )
        self.values: dict[str, float] = {}
        self._whole: float | None = None
        self._tenths: int | None = None

    @property
    def view(self) -> AnswerView:
        if self.record is not None:
            return AnswerView(
                self._value_question(),
                self.stage,
                self.result,
                None,
                False,
                side=self._side,
                value_text=self._entered_text(),
                answered=tuple(self._said(side, value) for side, value in self.values.items()),
            )
        question = self.step.rating_question if self.stage == "rating" else self.step.question
        return AnswerView(question, self.stage, self.result, self.rating, self.step.rating)

    @property
    def answer_values(self) -> AnswerValues:
        """The record check's answers, side by side (empty for a left/right check)."""
        return tuple(self.values.items())

    def cycle(self) -> str:
        """Move to the next choice of the current stage; returns what to say."""
        if self.stage == "value":
            assert self.record is not None
            low, high = math.ceil(self.record.lowest), math.floor(self.record.highest)
            whole = low if self._whole is None else self._whole + 1
            self._whole = float(low if whole > high else whole)
            return self.record.format(self._whole) if self.record.choices else _number(self._whole)
        if self.stage == "tenths":
            self._tenths = 0 if self._tenths is None else (self._tenths + 1) % 10
            return self._entered_text() or ""
        if self.stage == "result":
            position = -1 if self.result is None else CHECK_RESULTS.index(self.result)
            self.result = CHECK_RESULTS[(position + 1) % len(CHECK_RESULTS)]
            return _said_result(self.result)
        # The first tap gives 1, so eight taps give 8 (then 9, 10, 0, 1...).
        self.rating = 1 if self.rating is None else (self.rating + 1) % (MAX_RATING + 1)
        return str(self.rating)

    def confirm(self) -> tuple[bool, str]:
        """Confirm the current choice: (answer complete?, what to say)."""
        if self.stage in ("value", "tenths"):
            return self._confirm_value()
        if self.stage == "result":
            if self.result is None:
                return False, "Tap to choose, hold to confirm"
            if self.step.rating:
                self.stage = "rating"
                return False, f"{_said_result(self.result)}. {self.step.rating_question}"
            return True, _said_result(self.result)
        if self.rating is None:
            return False, "Tap to count, hold to confirm"
        return True, f"{_said_result(self.result or CheckResult.EVEN)}, {self.rating}"

    def back(self) -> bool:
        """Go back one stage (or side); False when already at the first."""
        if self.stage == "tenths":
            self.stage, self._tenths = "value", None
            return True
        if self.stage == "value" and self.values:
            self.values.popitem()
            self._whole, self._tenths = None, None
            return True
        if self.stage == "rating":
            self.stage = "result"
            self.rating = None
            return True
        return False

    def answer_directly(
        self, result: CheckResult, rating: int | None, values: Mapping[str, float] | None = None
    ) -> tuple[bool, str]:
        """Take a whole answer from keys: (complete?, what to say).

        A record check takes ``values`` by side (``{"left": 7.5, "right": 9}``, or
        ``{"": 3}`` for one answer), or for the sides still to answer only (``{"right":
        9}`` after the left), and ignores ``result`` and ``rating``.
        """
        if self.record is not None:
            return self._take_values(values or {})
        if result not in CHECK_RESULTS:
            choices = ", ".join(CHECK_RESULTS)
            raise ValueError(f"{result!r} is not a check result; use one of {choices}")
        result = CheckResult(result)  # the words for it, whether given as value or member
        if rating is not None and not 0 <= rating <= MAX_RATING:
            raise ValueError(f"a rating must be 0 to {MAX_RATING}, got {rating}")
        self.result = result
        if not self.step.rating:
            self.rating = None
            return True, _said_result(result)
        if rating is None:
            self.stage = "rating"
            return False, f"{_said_result(result)}. {self.step.rating_question}"
        self.rating = rating
        return True, f"{_said_result(result)}, {rating}"

    # -- record checks ----------------------------------------------------------

    @property
    def _side(self) -> str:
        return self.sides[min(len(self.values), len(self.sides) - 1)]

    def _value_question(self) -> str:
        record = self.record
        assert record is not None
        side = f"{self._side.capitalize()} side" if self._side else self.step.name
        if record.choices is not None:
            return f"{side}: which one?"
        if record.unit == "score":
            return f"{side}: 0 to 10"
        return f"{side}, in {record.unit_words}"

    def _entered_text(self) -> str | None:
        if self._whole is None or self.record is None:
            return None
        if self.record.choices is not None:
            return self.record.format(self._whole)
        if self.stage == "tenths":
            return f"{_number(self._whole)}.{self._tenths or 0}"
        return _number(self._whole)

    def _said(self, side: str, value: float) -> str:
        assert self.record is not None
        words = self.record.spoken(value)
        return f"{side.capitalize()} {words}" if side else words

    def _confirm_value(self) -> tuple[bool, str]:
        record = self.record
        assert record is not None
        if self._whole is None:
            return False, "Tap to count, hold to confirm"
        wants_tenths = record.choices is None and record.places > 0
        if self.stage == "value" and wants_tenths and self._whole < record.highest:
            self.stage, self._tenths = "tenths", None
            return False, f"{_number(self._whole)}. Tap for tenths, hold to confirm"
        value = self._whole + (self._tenths or 0) / 10 if self.stage == "tenths" else self._whole
        value = min(max(value, record.lowest), record.highest)
        side = self._side
        self.values[side] = value
        self.stage, self._whole, self._tenths = "value", None, None
        said = self._said(side, value)
        if len(self.values) < len(self.sides):
            return False, f"{said}. {self._value_question()}"
        self.result = self._derived_result()
        return True, said

    def _take_values(self, values: Mapping[str, float]) -> tuple[bool, str]:
        """Values for every side (replacing any given), or for the sides still to
        answer from the current one on (one typed number answers one side)."""
        record = self.record
        assert record is not None
        every_side = all(side in values for side in self.sides)
        start = 0 if every_side else len(self.values)
        taking = []
        for side in self.sides[start:]:
            if side not in values:
                break
            taking.append(side)
        if not taking:
            raise ValueError(f"an answer for the {self._side or 'check'} is missing")
        for side in taking:
            value = float(values[side])
            if not (math.isfinite(value) and record.lowest <= value <= record.highest):
                raise ValueError(
                    f"{value:g} is outside {record.format(record.lowest)}-"
                    f"{record.format(record.highest)}"
                )
            if record.choices is not None and not value.is_integer():
                raise ValueError(f"{value:g} is not one of the choices")
        if every_side:
            self.values = {}
        for side in taking:
            self.values[side] = round(float(values[side]), record.places)
        self.stage, self._whole, self._tenths = "value", None, None
        said = ". ".join(self._said(side, self.values[side]) for side in taking)
        if len(self.values) < len(self.sides):
            return False, f"{said}. {self._value_question()}"
        self.result = self._derived_result()
        return True, said

    def _derived_result(self) -> CheckResult:
        record = self.record
        assert record is not None
        if len(self.values) != 2:
            return CheckResult.EVEN  # one number (a score, or one side) says nothing of L vs R
        left, right = self.values.get("left"), self.values.get("right")
        if left is None or right is None or left == right:
            return CheckResult.EVEN
        left_is_tighter = (left < right) == (record.tighter == "lower")
        return CheckResult.LEFT_TIGHTER if left_is_tighter else CheckResult.RIGHT_TIGHTER


def _said_result(result: CheckResult) -> str:
    """How a result is said and shown while answering: "Left tighter"."""
    return result.label.capitalize()


def _number(value: float) -> str:
    return f"{value:g}"
