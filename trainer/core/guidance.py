"""What the session screen shows to guide someone who is mostly listening.

Plain values from the plan, computed without Textual (the screen only draws them):

* :func:`start_view` - the start screen before the first step: title, summary,
  how long, equipment and the safety note (which the engine also says; one tap
  acknowledges it and starts);
* :func:`how_text` - the step's ``how`` (or an instruction's text), kept in view
  under the exercise name for the whole step;
* :func:`block_note` - a block's note, shown while the block's first moment runs
  (it is said then too: see :mod:`trainer.engine.soundplan`).
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.plan import Moment, Plan


@dataclass(frozen=True)
class StartView:
    title: str
    summary: str
    #: "about 14:05 (40 moments)": the planned time as the picker and summary show it.
    duration: str
    equipment: tuple[str, ...]
    safety: str


def start_view(plan: Plan) -> StartView:
    routine = plan.routine
    return StartView(
        title=routine.title,
        summary=" ".join(routine.summary.split()),
        duration=f"{plan.planned_time} ({len(plan)} moments)",
        equipment=tuple(routine.all_equipment),
        safety=" ".join(routine.safety.split()),
    )


def how_text(moment: Moment) -> str:
    """How to do the step (or what an instruction says); "" for rests and switches."""
    if moment.is_transition or moment.kind == "rest":
        return ""
    step = moment.step
    text = getattr(step, "how", None) or getattr(step, "text", None) or ""
    return " ".join(str(text).split())


def block_note(plan: Plan, moment: Moment) -> str:
    """The block's note while its first moment runs, else ""."""
    first = (
        moment.index == 0
        or plan[moment.index - 1].block_index != moment.block_index
        # An opening instruction is shown on the start screen and passed by the
        # tap that starts, so the note goes with the moment after it.
        or (moment.index == 1 and plan[0].kind == "instruction")
    )
    if not first:
        return ""
    note = plan.routine.blocks[moment.block_index].note
    return " ".join(note.split()) if note else ""
