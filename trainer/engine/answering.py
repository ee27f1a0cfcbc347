"""Answering a left/right check with nothing but the pedal.

The user cannot reach a keyboard lying on the floor, so a check's answer moment
turns the pedal into a two-button menu:

1. **result**: each tap moves to the next choice (left tighter -> even -> right
   tighter -> left tighter ...) and says it aloud; a long press confirms.
2. **rating** (only when the check asks for one): taps count 0, 1, ... 10, 0 ...;
   a long press confirms. "Back" here returns to the result stage.

Before the first tap nothing is chosen, so a stray long press cannot record a
result the user never heard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from trainer.routine.models import CHECK_RESULTS, CheckResult, CheckStep

#: How each result is said and shown.
RESULT_LABELS: dict[str, str] = {
    "left-tighter": "Left tighter",
    "even": "Even",
    "right-tighter": "Right tighter",
}
MAX_RATING = 10

AnswerStage = Literal["result", "rating"]


@dataclass(frozen=True)
class AnswerView:
    """The answer in progress, for the screen."""

    question: str  # the result question, or the rating question in the rating stage
    stage: AnswerStage
    result: CheckResult | None
    rating: int | None
    asks_rating: bool


class CheckAnswerInput:
    """The choices made so far in one check's answer moment."""

    def __init__(self, step: CheckStep) -> None:
        self.step = step
        self.stage: AnswerStage = "result"
        self.result: CheckResult | None = None
        self.rating: int | None = None

    @property
    def view(self) -> AnswerView:
        question = self.step.rating_question if self.stage == "rating" else self.step.question
        return AnswerView(question, self.stage, self.result, self.rating, self.step.rating)

    def cycle(self) -> str:
        """Move to the next choice of the current stage; returns what to say."""
        if self.stage == "result":
            position = -1 if self.result is None else CHECK_RESULTS.index(self.result)
            self.result = CHECK_RESULTS[(position + 1) % len(CHECK_RESULTS)]
            return RESULT_LABELS[self.result]
        self.rating = 0 if self.rating is None else (self.rating + 1) % (MAX_RATING + 1)
        return str(self.rating)

    def confirm(self) -> tuple[bool, str]:
        """Confirm the current choice: (answer complete?, what to say)."""
        if self.stage == "result":
            if self.result is None:
                return False, "Tap to choose, hold to confirm"
            if self.step.rating:
                self.stage = "rating"
                return False, f"{RESULT_LABELS[self.result]}. {self.step.rating_question}"
            return True, RESULT_LABELS[self.result]
        if self.rating is None:
            return False, "Tap to count, hold to confirm"
        return True, f"{RESULT_LABELS[self.result or 'even']}, {self.rating}"

    def back(self) -> bool:
        """Leave the rating stage for the result stage; False when already at the result."""
        if self.stage == "rating":
            self.stage = "result"
            self.rating = None
            return True
        return False

    def answer_directly(self, result: CheckResult, rating: int | None) -> tuple[bool, str]:
        """Take a whole answer from keys: (complete?, what to say)."""
        if result not in CHECK_RESULTS:
            raise ValueError(f"{result!r} is not a check result; use one of {CHECK_RESULTS}")
        if rating is not None and not 0 <= rating <= MAX_RATING:
            raise ValueError(f"a rating must be 0 to {MAX_RATING}, got {rating}")
        self.result = result
        if not self.step.rating:
            self.rating = None
            return True, RESULT_LABELS[result]
        if rating is None:
            self.stage = "rating"
            return False, f"{RESULT_LABELS[result]}. {self.step.rating_question}"
        self.rating = rating
        return True, f"{RESULT_LABELS[result]}, {rating}"
