"""The audio cue schedule of one moment: which tone or line, how many seconds in.

:func:`cue_schedule` is pure: given a :class:`~trainer.engine.plan.Moment` and
the :class:`~trainer.engine.settings.CueRules` it lists every cue in time order.
The session engine turns offsets into deadlines on its clock and emits each cue
once per visit. For a 45 s hold with the default rules the schedule is::

     0.0  START tone, "Soleus wall stretch, left side", untimed coaching cues
    20.0  "Drive the knee over the little toe"  (a cue with at: 20s)
    22.5  HALFWAY chime                          (holds of 30 s or more)
    42.0  PIP   43.0  PIP   44.0  PIP            (timed moments of 10 s or more)
    45.0  END tone

Cues at the same offset keep this order (start, announcement, coaching cues,
tempo, halfway, pips, end).
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.effects import PlayTone, Speak
from trainer.engine.plan import Moment
from trainer.engine.settings import CueRules
from trainer.engine.vocabulary import Tone

#: Work moments that get a halfway chime when long enough; reps have their tempo instead.
_HALFWAY_KINDS = frozenset({"hold", "timed", "check"})


@dataclass(frozen=True)
class ScheduledCue:
    """A tone or a spoken line, ``offset`` seconds into the moment.

    ``shown`` marks the routine's coaching cues, which the screen also displays.
    """

    offset: float
    tone: Tone | None = None
    text: str | None = None
    shown: bool = False

    def effect(self, due: float) -> PlayTone | Speak:
        if self.tone is not None:
            return PlayTone(self.tone, due)
        assert self.text is not None
        return Speak(self.text, due)


def cue_schedule(moment: Moment, rules: CueRules) -> tuple[ScheduledCue, ...]:
    """Every cue of ``moment`` under ``rules``, sorted by offset (ties keep their order)."""
    cues: list[ScheduledCue] = []
    cues += _opening(moment, rules)
    if rules.speak_cues:
        cues += [
            ScheduledCue(cue.offset, text=cue.text, shown=True)
            for cue in moment.cues
            if cue.offset is not None
        ]
    if rules.tempo != "off":
        for phase in moment.tempo:
            if rules.tempo == "speak":
                cues.append(ScheduledCue(phase.offset, text=phase.word))
            else:
                cues.append(ScheduledCue(phase.offset, tone=Tone.TEMPO))
    if moment.planned_seconds is not None:
        cues += _closing(moment, moment.planned_seconds, rules)
    return tuple(sorted(cues, key=lambda cue: cue.offset))


def _opening(moment: Moment, rules: CueRules) -> list[ScheduledCue]:
    cues = []
    if moment.switches_side and rules.switch_sides:
        cues.append(ScheduledCue(0.0, tone=Tone.SWITCH_SIDES))
    if moment.is_work and rules.start_tone:
        cues.append(ScheduledCue(0.0, tone=Tone.START))
    if moment.announcement and _announcement_wanted(moment, rules):
        cues.append(ScheduledCue(0.0, text=moment.announcement))
    if rules.speak_cues:
        cues += [
            ScheduledCue(0.0, text=cue.text, shown=True)
            for cue in moment.cues
            if cue.offset is None
        ]
    return cues


def _announcement_wanted(moment: Moment, rules: CueRules) -> bool:
    if moment.kind == "answer":
        return True  # the question is the only way to know a pedal answer is expected
    if moment.switches_side:
        return rules.switch_sides
    return rules.speak_announcements


def _closing(moment: Moment, planned: float, rules: CueRules) -> list[ScheduledCue]:
    cues = []
    wants_halfway = moment.kind in _HALFWAY_KINDS and rules.halfway_min_seconds > 0
    if wants_halfway and planned >= rules.halfway_min_seconds:
        cues.append(ScheduledCue(planned / 2, tone=Tone.HALFWAY))
    # Pips warn that a hold or a rest is about to end; a tempo set already counts itself.
    if moment.kind not in {"reps", "switch"} and planned >= rules.countdown_min_seconds:
        for seconds_left in range(rules.countdown_pips, 0, -1):
            if seconds_left < planned:
                cues.append(ScheduledCue(planned - seconds_left, tone=Tone.PIP))
    if moment.is_work and rules.end_tone:
        cues.append(ScheduledCue(planned, tone=Tone.END))
    return cues
