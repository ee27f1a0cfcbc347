"""Every sound of a session laid out ahead of time, so every cue can be heard.

A session speaks to someone who is not looking at the screen: if a cue cannot
be heard it does not exist. One loudspeaker plays one sound at a time, so when
a step asks for more speech than fits, something has to give. Rather than
leave that to a queue that drops whatever is late, :func:`plan_sounds` decides
before the session starts, with the real length of every phrase, and says
what it changed and why.

It is pure: speech lengths come from an injected :class:`SoundMeasure` (the
audio adapter renders each phrase with the same espeak-ng voice and rate the
session uses, and caches it; :class:`EstimatedMeasure` guesses from the text
when there is no synthesiser). Its inputs are the expanded plan's
:class:`~trainer.engine.plan.Moment` objects and the
:class:`~trainer.engine.settings.CueRules`; the session engine plays exactly
what it returns (see :meth:`MomentSounds.cues`).

What a moment sounds like
-------------------------
Times are seconds from the moment's *work start*; a **lead-in** comes before
it (negative times) for holds, sets and checks when ``count_in`` is on::

    -6.4  "Split squat, 8 reps, set 1 of 2, left side"   (name and side)
    -3.0  "three"  -2.0 "two"  -1.0 "one"                (the count-in)
     0.0  "down"  (reps with a tempo: the first beat is the go, and the start)
     0.0  "go"    (anything else)
     0.5  "Screw your front foot into the ground"         (coaching cues, in gaps)
     3.0  "hold"  4.0 "up"  5.0 "down" ...                (tempo words on their beats)

Then a halfway chime, the ``at:`` cues near their time, the 3-2-1 pips and the
end tone. Rests say how long they are and name what comes next ("Next up:
Split squat, right side"). A side switch says the side, and the lead-in that
follows it names the exercise again (without a lead-in, the switch does).

A block's ``note`` is said when the block begins, before anything else (in a
lead-in of its own when the moment has none, so a short rest keeps its time), and
with ``[audio] speak_how = true`` a step's ``how`` is read on its first side
(in the lead-in, after the name).

Priorities
----------
Sounds are placed most important first; each later one must find room around
them (``GAP_SECONDS`` apart):

1. **safety and side**: the switch-sides tone, the side in the announcement;
2. **announcement**: the step's name (and a check's question);
3. **key cue**: a step's first coaching cue (routines list the one that
   matters most first);
4. **tempo**: tempo words or ticks, on their beats; the count-in;
5. **the rest**: other coaching cues, ``at:`` cues, halfway, pips, the end
   tone, "next up".

Sounds with a beat (tempo, count-in, pips, halfway, start and end tones) are
placed on it or not at all. A coaching cue goes in the first gap long enough
for it (an ``at:`` cue in the gap nearest its time); when the work has no gap
long enough (between tempo words, say), it is *moved* into the lead-in, before
the count-in. "Next up" is *shortened* to the bare name when the full line
does not fit. Whatever still finds no room is *left out*. Every one of these is
a :class:`CueChange` with its reason: ``trainer show --sound`` prints them and
``trainer validate`` warns about them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from trainer.engine.effects import PlayTone, Speak
from trainer.engine.plan import Moment, Plan
from trainer.engine.settings import CueRules
from trainer.engine.vocabulary import Tone

__all__ = [
    "COUNT_WORDS",
    "CueChange",
    "EstimatedMeasure",
    "MomentSounds",
    "PlannedSound",
    "SessionSounds",
    "SoundMeasure",
    "plan_moment_sounds",
    "plan_sounds",
]

#: Silence kept between two sounds so that they are heard as two.
GAP_SECONDS = 0.15
#: A cue with a written time (``at:``) counts as moved when it starts more than this
#: after that time, or ends more than :data:`EARLY_END_TOLERANCE_SECONDS` before it
#: (a cue that finishes just as its moment comes, "Tap, don't rest" before the
#: "up", is heard on time).
MOVE_TOLERANCE_SECONDS = 1.0
EARLY_END_TOLERANCE_SECONDS = 0.25
#: Speech is cut into pieces of at most this many characters (the synthesiser's limit).
MAX_SPOKEN_CHARS = 200
#: Count-in words, from one second before the start back.
COUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: Guess for moments only the pedal ends: how long sounds may run on after the start.
OPEN_ENDED_SECONDS = 3600.0

SoundKind = Literal[
    "switch",
    "side",
    "announcement",
    "key cue",
    "tempo",
    "count-in",
    "go",
    "start",
    "cue",
    "halfway",
    "pip",
    "end",
    "next up",
    "note",
    "how",
]
ChangeKind = Literal["moved", "shortened", "left out"]

#: Priority rank of each kind: lower is placed first (see the module docstring).
RANKS: dict[str, int] = {
    "switch": 0,
    "side": 0,
    "note": 1,
    "announcement": 1,
    "key cue": 2,
    "tempo": 3,
    "count-in": 3,
    "go": 3,
    "start": 3,
    "cue": 4,
    "halfway": 4,
    "pip": 4,
    "end": 4,
    "next up": 4,
    "how": 5,
}


class SoundMeasure(Protocol):
    """How long each sound lasts, in seconds, as the session will play it."""

    def speech(self, text: str) -> float: ...

    def tone(self, tone: Tone) -> float: ...


#: Lengths of the trainer's tones (see :mod:`trainer.adapters.audio.tones`),
#: for :class:`EstimatedMeasure`; the adapter's measure reads the real ones.
ESTIMATED_TONE_SECONDS: dict[Tone, float] = {
    Tone.PIP: 0.09,
    Tone.TEMPO: 0.04,
    Tone.START: 0.3,
    Tone.END: 0.5,
    Tone.HALFWAY: 0.4,
    Tone.SWITCH_SIDES: 0.6,
    Tone.SESSION_COMPLETE: 1.2,
}


@dataclass(frozen=True)
class EstimatedMeasure:
    """Guesses speech length from the text at ``rate`` words a minute (no synthesiser).

    Used by tests, and as the plan when espeak-ng is missing (then nothing is
    spoken, so only the tones' times matter).
    """

    rate: int = 160

    def speech(self, text: str) -> float:
        words = max(1, len(text.split()))
        pauses = text.count(",") + text.count(".")
        return 0.25 + words * 60.0 / self.rate + pauses * 0.15

    def tone(self, tone: Tone) -> float:
        return ESTIMATED_TONE_SECONDS[tone]


@dataclass(frozen=True)
class PlannedSound:
    """One sound: ``start`` seconds from the work start, lasting ``length``."""

    start: float
    length: float
    kind: SoundKind
    tone: Tone | None = None
    text: str | None = None
    #: A routine's coaching cue, which the screen also shows while it is said.
    shown: bool = False

    @property
    def end(self) -> float:
        return self.start + self.length

    @property
    def what(self) -> str:
        return f'"{self.text}"' if self.text is not None else f"{self.tone} tone"

    def effect(self, due: float) -> PlayTone | Speak:
        if self.tone is not None:
            return PlayTone(self.tone, due)
        assert self.text is not None
        return Speak(self.text, due)


@dataclass(frozen=True)
class CueChange:
    """A sound that could not be played as written, and why."""

    change: ChangeKind
    kind: SoundKind
    what: str
    #: Where it was wanted and where it went (None: nowhere), from the work start.
    wanted: float | None
    placed: float | None
    reason: str
    #: The routine cue's text, when the change is to one of the routine's cues.
    cue_text: str | None = None
    #: The cue has a written time (``at:``).
    timed: bool = False


@dataclass(frozen=True)
class MomentSounds:
    """The sounds of one moment, in time order, and what had to change."""

    index: int
    #: Seconds of lead-in before the work starts (0: none).
    lead_in: float
    sounds: tuple[PlannedSound, ...]
    changes: tuple[CueChange, ...] = ()

    def left_out(self) -> tuple[CueChange, ...]:
        return tuple(change for change in self.changes if change.change == "left out")


@dataclass(frozen=True)
class SessionSounds:
    """Every moment's sounds, indexed like the plan."""

    moments: tuple[MomentSounds, ...]
    #: Said before the first tap of a fresh session: title, notes, the safety
    #: note, the first step (from 0 s, when the session screen opens).
    welcome: tuple[PlannedSound, ...] = ()

    def __getitem__(self, index: int) -> MomentSounds:
        return self.moments[index]

    def __len__(self) -> int:
        return len(self.moments)

    @property
    def changes(self) -> tuple[tuple[int, CueChange], ...]:
        return tuple((m.index, change) for m in self.moments for change in m.changes)


def plan_sounds(plan: Plan, rules: CueRules, measure: SoundMeasure | None = None) -> SessionSounds:
    """Lay out the sound of every moment of ``plan`` (see the module docstring)."""
    measure = measure or EstimatedMeasure()
    return SessionSounds(
        tuple(plan_moment_sounds(plan, moment.index, rules, measure) for moment in plan),
        _welcome(plan, measure),
    )


def welcome_text(plan: Plan) -> str:
    """What is said before the first tap: title, notes, safety note, the first step."""
    notes = "".join(f" {note}." for note in plan.notes)
    safety = " ".join(plan.routine.safety.split()).rstrip(".")
    first = plan[0].title if len(plan) else ""
    return f"{plan.title}.{notes} {safety}. First: {first}. Tap to start."


def _welcome(plan: Plan, measure: SoundMeasure) -> tuple[PlannedSound, ...]:
    sounds, start = [], 0.0
    for piece in _pieces(welcome_text(plan)):
        length = measure.speech(piece)
        sounds.append(PlannedSound(start, length, "announcement", text=piece))
        start += length + GAP_SECONDS
    return tuple(sounds)


def plan_moment_sounds(
    plan: Plan, index: int, rules: CueRules, measure: SoundMeasure
) -> MomentSounds:
    """The sounds of moment ``index`` of ``plan`` alone."""
    moment = plan[index]
    following = plan[index + 1] if index + 1 < len(plan) else None
    previous = plan[index - 1] if index > 0 else None
    layout = _MomentLayout(moment, following, rules, measure)
    if previous is None or previous.block_index != moment.block_index:
        note = plan.routine.blocks[moment.block_index].note or ""
        layout.block_note = note if rules.speak_announcements else ""
    layout.first_of_step = previous is None or previous.step_index != moment.step_index
    return layout.build()


# -- layout --------------------------------------------------------------------------


@dataclass
class _Request:
    """A sound the moment asks for, before it is placed."""

    kind: SoundKind
    wanted: float
    tone: Tone | None = None
    text: str | None = None
    #: On its beat or not at all.
    fixed: bool = False
    #: What to say instead when the whole line does not fit (next up).
    short_text: str | None = None
    #: The routine's cue text (for the screen and for validate's warnings).
    cue_text: str | None = None
    #: A coaching cue with a written time (``at:``).
    timed: bool = False
    #: May go into the lead-in when the work has no room.
    may_lead_in: bool = False
    order: int = 0

    @property
    def rank(self) -> int:
        return RANKS[self.kind]

    @property
    def what(self) -> str:
        return f'"{self.text}"' if self.text is not None else f"{self.tone} tone"


@dataclass
class _Track:
    """One loudspeaker's timeline: sounds never overlap (with a gap between)."""

    sounds: list[PlannedSound] = field(default_factory=list)
    #: Each sound's (start, end), sorted, so :meth:`is_free` looks only near its time.
    _spans: list[tuple[float, float]] = field(default_factory=list)
    _longest: float = 0.0

    def is_free(self, start: float, length: float) -> bool:
        """Whether :meth:`clash` finds nothing, from the few sounds that could reach
        ``start`` (a slot search asks this of every gap edge of every placement)."""
        end = start + length
        # No sound starting before this ends in time to clash (a second of slack for rounding).
        earliest = bisect.bisect_left(self._spans, (start - self._longest - GAP_SECONDS - 1.0,))
        for sound_start, sound_end in itertools.islice(self._spans, earliest, None):
            if sound_start >= end + GAP_SECONDS:
                return True
            if start < sound_end + GAP_SECONDS:
                return False
        return True

    def clash(self, start: float, length: float) -> PlannedSound | None:
        end = start + length
        for sound in self.sounds:
            if start < sound.end + GAP_SECONDS and sound.start < end + GAP_SECONDS:
                return sound
        return None

    def free_slots(self, length: float, low: float, high: float) -> Iterable[float]:
        """Start times in [low, high] where ``length`` fits, earliest first (gap edges only)."""
        candidates = {low}
        candidates.update(sound.end + GAP_SECONDS for sound in self.sounds)
        for start in sorted(candidates):
            if low <= start <= high and self.clash(start, length) is None:
                yield start

    def add(self, sound: PlannedSound) -> None:
        self.sounds.append(sound)
        bisect.insort(self._spans, (sound.start, sound.end))
        self._longest = max(self._longest, sound.length)

    def remove(self, sound: PlannedSound) -> None:
        self.sounds.remove(sound)
        self._spans.remove((sound.start, sound.end))


class _MomentLayout:
    """Builds one :class:`MomentSounds`; see the module docstring for the rules."""

    def __init__(
        self, moment: Moment, following: Moment | None, rules: CueRules, measure: SoundMeasure
    ) -> None:
        self.moment = moment
        self.following = following
        self.rules = rules
        self.measure = measure
        self.track = _Track()
        self.lead_in_track = _Track()
        self.changes: list[CueChange] = []
        self.has_lead_in = moment.is_work and rules.count_in_seconds > 0
        #: The block's note, when this moment begins a block: said first.
        self.block_note = ""
        #: This moment is the step's first (for ``speak_how``: the first side only).
        self.first_of_step = False
        planned = moment.planned_seconds
        self.end = planned if planned is not None else OPEN_ENDED_SECONDS

    def build(self) -> MomentSounds:
        requests = self._requests()
        lead_in_requests = [r for r in requests if r.wanted < 0]
        work_requests = [r for r in requests if r.wanted >= 0]
        moved_to_lead_in: list[_Request] = []

        # Sounds with a beat claim it first; the others fit round them, most
        # important first, and may push out a less important beat if they must.
        # Cues with a written time go before cues without one (which fit anywhere).
        def placing_order(r: _Request) -> tuple[bool, int, int, int]:
            group = 0 if r.rank <= RANKS["announcement"] else (1 if r.timed else 2)
            return (not r.fixed, group, r.rank, r.order)

        for request in sorted(work_requests, key=placing_order):
            if self._place(request):
                continue
            if request.may_lead_in and self.has_lead_in:
                moved_to_lead_in.append(request)
            elif not (request.fixed or self._evict_for(request)):
                self._note("left out", request, None, self._why_no_room(self._length(request)))
        lead_in = self._lay_lead_in(lead_in_requests, moved_to_lead_in)
        sounds = sorted(
            [*self.lead_in_track.sounds, *self.track.sounds],
            key=lambda s: (s.start, RANKS[s.kind]),
        )
        order = {"moved": 0, "shortened": 1, "left out": 2}
        changes = sorted(self.changes, key=lambda c: (order[c.change], c.wanted or 0.0))
        return MomentSounds(self.moment.index, lead_in, tuple(sounds), tuple(changes))

    # -- what the moment asks for ---------------------------------------------------

    def _requests(self) -> list[_Request]:
        moment, rules = self.moment, self.rules
        out: list[_Request] = []
        lead = -1.0 if self.has_lead_in else 0.0  # "in the lead-in" vs "at the start"
        if self.block_note:
            # Before the moment's own sounds: in its lead-in, or a lead-in of its own.
            out += [_Request("note", -1.0, text=piece) for piece in _pieces(self.block_note)]
        if self.has_lead_in and not moment.announcement and rules.speak_announcements:
            # The second side of a step: the switch said the side, the lead-in
            # names the exercise again as the user gets into position.
            named = f"{moment.title}, {moment.side} side" if moment.side else moment.title
            out.append(_Request("side", lead, text=named))
        if moment.switches_side and rules.switch_sides:
            # In a lead-in it opens the lead-in; otherwise it marks the start.
            switch = _Request("switch", lead, tone=Tone.SWITCH_SIDES, fixed=not self.has_lead_in)
            out.append(switch)
        if moment.announcement and _announcement_wanted(moment, rules):
            kind: SoundKind = "side" if moment.side and moment.switches_side else "announcement"
            if moment.side and moment.is_work:
                kind = "side"
            for piece in _pieces(moment.announcement):
                out.append(_Request(kind, lead, text=piece))
        how = getattr(moment.step, "how", None)
        if rules.speak_how and how and moment.is_work and self.first_of_step:
            # After the name and side, before the count-in: how to get into it.
            out += [_Request("how", lead, text=piece) for piece in _pieces(how)]
        if self.has_lead_in:
            out += self._count_in()
        elif moment.is_work and rules.start_tone and not self._beat_at_start():
            out.append(_Request("start", 0.0, tone=Tone.START, fixed=True))
        if rules.speak_cues:
            first = True
            for cue in moment.cues:
                timed = cue.offset is not None
                kind = "key cue" if first else "cue"
                first = False
                for piece in _pieces(cue.text):
                    out.append(
                        _Request(
                            kind,
                            cue.offset or 0.0,
                            text=piece,
                            cue_text=cue.text,
                            timed=timed,
                            may_lead_in=moment.is_work,
                        )
                    )
        if rules.tempo != "off":
            for phase in moment.tempo:
                if rules.tempo == "speak":
                    out.append(_Request("tempo", phase.offset, text=phase.word, fixed=True))
                else:
                    out.append(_Request("tempo", phase.offset, tone=Tone.TEMPO, fixed=True))
        if moment.planned_seconds is not None:
            out += self._closing(moment.planned_seconds)
        out += self._next_up()
        for number, request in enumerate(out):
            request.order = number
        return out

    def _count_in(self) -> list[_Request]:
        seconds = self.rules.count_in_seconds
        out = [
            _Request("count-in", -float(n), text=COUNT_WORDS[n - 1], fixed=True)
            for n in range(min(seconds, len(COUNT_WORDS)), 0, -1)
        ]
        if not self._beat_at_start():  # with a tempo, its first beat is the go
            out.append(_Request("go", 0.0, text="go", fixed=True))
        return out

    def _beat_at_start(self) -> bool:
        return self.rules.tempo != "off" and any(p.offset == 0 for p in self.moment.tempo)

    def _closing(self, planned: float) -> list[_Request]:
        moment, rules = self.moment, self.rules
        out = []
        wants_halfway = moment.kind in {"hold", "timed", "check"} and rules.halfway_min_seconds > 0
        if wants_halfway and planned >= rules.halfway_min_seconds:
            out.append(_Request("halfway", planned / 2, tone=Tone.HALFWAY, fixed=True))
        if moment.kind not in {"reps", "switch"} and planned >= rules.countdown_min_seconds:
            for seconds_left in range(rules.countdown_pips, 0, -1):
                if seconds_left < planned:
                    out.append(_Request("pip", planned - seconds_left, tone=Tone.PIP, fixed=True))
        if moment.is_work and rules.end_tone:
            out.append(_Request("end", planned, tone=Tone.END, fixed=True))
        return out

    def _next_up(self) -> list[_Request]:
        moment, following = self.moment, self.following
        if not self.rules.next_up or following is None:
            return []
        if moment.kind not in {"rest", "set-rest", "switch"}:
            return []
        name = following.title
        if moment.kind == "switch" and self.rules.count_in_seconds > 0:
            return []  # the next moment's lead-in names it, straight after
        if moment.kind == "switch":
            return [_Request("next up", 0.0, text=f"Next: {name}")]
        side = f", {following.side} side" if following.side else ""
        if moment.kind == "set-rest":
            full = f"Next up: {name}, set {following.set_number} of {following.set_count}{side}"
        else:
            full = f"Next up: {name}{side}"
        return [_Request("next up", 0.0, text=full, short_text=f"Next: {name}")]

    # -- placing ---------------------------------------------------------------------

    def _length(self, request: _Request, text: str | None = None) -> float:
        if request.tone is not None:
            return self.measure.tone(request.tone)
        return self.measure.speech(text if text is not None else request.text or "")

    def _sound(
        self, request: _Request, start: float, length: float, text: str | None = None
    ) -> PlannedSound:
        return PlannedSound(
            start,
            length,
            request.kind,
            tone=request.tone,
            text=text if text is not None else request.text,
            shown=request.cue_text is not None,
        )

    def _place(self, request: _Request) -> bool:
        """Put ``request`` in the work part; False if it found no room there."""
        length = self._length(request)
        if request.fixed:
            free = self.track.is_free(request.wanted, length)
            if free and request.wanted <= self.end:
                self.track.add(self._sound(request, request.wanted, length))
                return True
            clash = None if free else self.track.clash(request.wanted, length)
            reason = f"its beat is taken by {clash.what}" if clash else "after the end"
            self._note("left out", request, None, reason)
            return False
        start = self._nearest_slot(length, request.wanted, self._latest(request, length))
        if start is not None:
            moved = request.timed and _off_time(request.wanted, start, length)
            blocker = self.track.clash(request.wanted, length) if moved else None
            self.track.add(self._sound(request, start, length))
            if moved:
                self._note("moved", request, start, self._why_moved(request.wanted, start, blocker))
            return True
        if request.short_text is not None:
            short_length = self._length(request, request.short_text)
            start = self._nearest_slot(short_length, request.wanted, self.end - short_length)
            if start is not None:
                self.track.add(self._sound(request, start, short_length, request.short_text))
                reason = f'no room for the whole line, said as "{request.short_text}"'
                self._note("shortened", request, start, reason)
                return True
        return False

    def _latest(self, request: _Request, length: float) -> float:
        latest = self.end - length
        if request.kind in {"cue", "key cue"} and self.moment.planned_seconds is not None:
            # Coaching finishes before the closing pips begin.
            pips = [s.start for s in self.track.sounds if s.kind in {"pip", "end"}]
            latest = min(latest, min(pips, default=self.end) - GAP_SECONDS - length)
        return latest

    def _evict_for(self, request: _Request) -> bool:
        """Make room for ``request`` by leaving out less important sounds; False if none helps."""
        length = self._length(request)
        latest = self._latest(request, length)
        starts = sorted(
            {request.wanted, *(s.end + GAP_SECONDS for s in self.track.sounds)},
            key=lambda start: abs(start - request.wanted),
        )
        for start in starts:
            if not 0 <= start <= latest:
                continue
            clashing = [
                s
                for s in self.track.sounds
                if start < s.end + GAP_SECONDS and s.start < start + length + GAP_SECONDS
            ]
            if all(RANKS[s.kind] > request.rank for s in clashing):
                for sound in clashing:
                    self.track.remove(sound)
                    self.changes.append(
                        CueChange(
                            "left out",
                            sound.kind,
                            sound.what,
                            sound.start,
                            None,
                            f"made way for {request.what} ({request.kind} comes first)",
                        )
                    )
                self.track.add(self._sound(request, start, length))
                if request.timed and _off_time(request.wanted, start, length):
                    self._note(
                        "moved", request, start, self._why_moved(request.wanted, start, None)
                    )
                return True
        return False

    def _nearest_slot(self, length: float, wanted: float, latest: float) -> float | None:
        """The free start nearest ``wanted`` (ties: the later) in [0, ``latest``]."""
        if latest < 0:
            return None
        candidates = {0.0, wanted}
        for sound in self.track.sounds:
            candidates.add(sound.end + GAP_SECONDS)
            candidates.add(sound.start - GAP_SECONDS - length)
        free = [
            start
            for start in candidates
            if 0 <= start <= latest and self.track.is_free(start, length - 1e-9)
        ]
        if not free:
            return None
        return min(free, key=lambda start: (abs(start - wanted), -start))

    def _why_moved(self, wanted: float, start: float, blocker: PlannedSound | None) -> str:
        direction = "later" if start > wanted else "earlier"
        cause = f"{blocker.what} is at {blocker.start:.1f} s" if blocker else "no room"
        return f"{abs(start - wanted):.1f} s {direction}: {cause}"

    def _why_no_room(self, length: float) -> str:
        if self.moment.tempo:
            return f"no gap of {length:.1f} s between the tempo words"
        return f"no {length:.1f} s of quiet left in the moment"

    def _lay_lead_in(self, announced: Sequence[_Request], moved: Sequence[_Request]) -> float:
        """Lay the lead-in back from the work start; returns its length (0: none)."""
        if not announced and not moved:
            return 0.0
        count = sorted((r for r in announced if r.fixed), key=lambda r: r.wanted)
        for request in count:
            self.lead_in_track.add(self._sound(request, request.wanted, self._length(request)))
        before_count = min((r.wanted for r in count), default=0.0)
        speech = [r for r in announced if not r.fixed] + list(moved)
        lengths = [self._length(r) for r in speech]
        start = before_count - GAP_SECONDS - sum(length + GAP_SECONDS for length in lengths)
        for request, length in zip(speech, lengths, strict=True):
            self.lead_in_track.add(self._sound(request, start, length))
            if request in moved:
                reason = f"into the lead-in: {self._why_no_room(length)}"
                self._note("moved", request, start, reason)
            start += length + GAP_SECONDS
        return -min((s.start for s in self.lead_in_track.sounds), default=0.0)

    def _note(
        self, change: ChangeKind, request: _Request, placed: float | None, reason: str
    ) -> None:
        self.changes.append(
            CueChange(
                change,
                request.kind,
                request.what,
                request.wanted,
                placed,
                reason,
                request.cue_text,
                request.timed,
            )
        )


def _off_time(wanted: float, start: float, length: float) -> bool:
    """Whether a cue placed at ``start`` is no longer heard at its written time ``wanted``."""
    late = start - wanted > MOVE_TOLERANCE_SECONDS
    early = wanted - (start + length) > EARLY_END_TOLERANCE_SECONDS
    return late or early


def _announcement_wanted(moment: Moment, rules: CueRules) -> bool:
    if moment.kind == "answer":
        return True  # the question is the only way to know a pedal answer is expected
    if moment.switches_side:
        return rules.switch_sides
    return rules.speak_announcements


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def _pieces(text: str, limit: int = MAX_SPOKEN_CHARS) -> list[str]:
    """``text`` in pieces the synthesiser will say whole: sentences, then words, <= ``limit``."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        while len(sentence) > limit:
            cut = sentence[: limit + 1].rsplit(" ", 1)[0] or sentence[:limit]
            pieces.append(cut)
            sentence = sentence[len(cut) :].lstrip()
        if sentence:
            if pieces and len(pieces[-1]) + 1 + len(sentence) <= limit:
                pieces[-1] = f"{pieces[-1]} {sentence}"
            else:
                pieces.append(sentence)
    return pieces
