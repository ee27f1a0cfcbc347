"""A routine's sound, planned as a session would play it: for ``show --sound`` and ``validate``.

The plan is made exactly as the trainer makes it (see
:mod:`trainer.engine.soundplan`): with the ``[engine]`` cue rules from the config
and every spoken line rendered by espeak-ng at the ``[audio]`` voice and rate
(cached, so the session that follows finds them ready). Without espeak-ng the
lengths are estimated, and the output says so.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.adapters.audio.measure import AudioMeasure
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.audio.speech import EspeakSpeech, speech_cache_dir
from trainer.config import ConfigError, load_config
from trainer.engine.plan import Plan
from trainer.engine.settings import CueRules, EngineSettings
from trainer.engine.soundplan import (
    CueChange,
    SessionSounds,
    SoundMeasure,
    plan_moment_sounds,
    plan_sounds,
)
from trainer.routine.catalog import LoadedRoutine

#: How each kind of sound is named in the timeline.
KIND_NAMES = {"side": "name and side", "key cue": "key cue", "count-in": "count-in"}


@dataclass(frozen=True)
class SoundSetup:
    """The rules and the measure a session on this machine would use."""

    rules: CueRules
    measure: SoundMeasure
    #: "espeak-ng (voice en, rate 160)" or "estimated (espeak-ng not found)".
    measured_with: str
    #: Everything besides the routine that the plan depends on (for caching it).
    identity: str = ""


def sound_setup() -> SoundSetup:
    """Rules and measure from the user's config (defaults, with a notice, if it is bad)."""
    try:
        config = load_config()
        engine = EngineSettings.from_config(config)
        audio = AudioSettings.from_config(config)
    except ConfigError as error:
        print(f"{error}; planning with the default settings", file=sys.stderr)
        engine, audio = EngineSettings(), AudioSettings()
    speech = None
    if audio.speech:
        speech = EspeakSpeech.find(
            voice=audio.voice, rate=audio.rate, volume=audio.volume, cache_dir=speech_cache_dir()
        )
    if speech is not None:
        how = f"espeak-ng (voice {audio.voice}, rate {audio.rate})"
    else:
        how = "estimated lengths (speech off or espeak-ng not found)"
    rules = engine.cues.model_copy(update={"speak_how": audio.speak_how})
    identity = "\n".join((how, audio.model_dump_json(), rules.model_dump_json()))
    return SoundSetup(rules, AudioMeasure(audio, speech), how, identity)


def print_sound(plan: Plan, setup: SoundSetup) -> SessionSounds:
    """Print the planned sound of every moment: start, end, what, and every change."""
    sounds = plan_sounds(plan, setup.rules, setup.measure)
    print(f"Sound, planned with {setup.measured_with}; times are seconds from each moment's")
    print("work start (negative: the lead-in before it).\n")
    for moment, planned in zip(plan, sounds.moments, strict=True):
        side = f", {moment.side}" if moment.side else ""
        set_text = f", set {moment.set_number}/{moment.set_count}" if moment.set_count > 1 else ""
        lead = f"  (lead-in {planned.lead_in:.1f} s)" if planned.lead_in else ""
        print(f"{moment.index + 1:>3}  {moment.title}{side}{set_text}{lead}")
        for sound in planned.sounds:
            kind = KIND_NAMES.get(sound.kind, sound.kind)
            print(f"     {sound.start:7.2f} {sound.end:7.2f}  {kind:<13} {sound.what}")
        for change in planned.changes:
            print(f"     ! {describe_change(change)}")
    changes = [change for _, change in sounds.changes]
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in _CHANGE_KINDS}
    total = sum(len(m.sounds) for m in sounds.moments)
    print(
        f"\n{total} sounds in {len(plan)} moments; "
        + ", ".join(f"{counts[kind]} {kind}" for kind in _CHANGE_KINDS)
    )
    return sounds


_CHANGE_KINDS = ("moved", "shortened", "left out")


def describe_change(change: CueChange) -> str:
    """``left out tempo "down" (wanted at 0.0 s): its beat is taken by ...``."""
    kind = KIND_NAMES.get(change.kind, change.kind)
    wanted = f"wanted at {change.wanted:.1f} s" if change.wanted is not None else "unplaced"
    placed = f", now at {change.placed:.1f} s" if change.placed is not None else ""
    return f"{change.change} {kind} {change.what} ({wanted}{placed}): {change.reason}"


def is_worth_a_warning(change: CueChange) -> bool:
    """Changes a coach should hear about: anything left out or shortened, ``at:`` cues moved.

    A cue without ``at:`` said before the set instead of during it is still
    heard as written, so it is shown by ``show --sound`` but not warned about.
    """
    return change.change != "moved" or change.timed


@dataclass(frozen=True)
class SoundWarning:
    """A cue that cannot be heard as written, before it is placed in a file."""

    title: str
    description: str
    cue_text: str | None
    step_name: str


def sound_warnings(
    loaded: LoadedRoutine, plan: Plan, setup: SoundSetup, libraries: Sequence[Path] = ()
) -> list[str]:
    """``file:line:col: warning: ...`` for each cue that cannot be heard as written."""
    return placed_warnings(plan_warnings(plan, setup), loaded.path, libraries)


def plan_warnings(plan: Plan, setup: SoundSetup) -> list[SoundWarning]:
    """What :func:`sound_warnings` says about ``plan``, not yet placed in a file."""
    # The moments' sounds only: the welcome before the first tap is never changed,
    # so never warned about, and its text (the title) would be rendered for nothing.
    warnings: list[SoundWarning] = []
    seen: set[tuple[int, str]] = set()
    for moment in plan:
        for change in plan_moment_sounds(plan, moment.index, setup.rules, setup.measure).changes:
            if not is_worth_a_warning(change):
                continue
            description = describe_change(change)
            key = (moment.step_index, description)
            if key in seen:  # the same change on every set and side: say it once
                continue
            seen.add(key)
            warnings.append(
                SoundWarning(moment.title, description, change.cue_text, moment.step.name)
            )
    return warnings


def placed_warnings(
    warnings: Sequence[SoundWarning], routine: Path, libraries: Sequence[Path] = ()
) -> list[str]:
    """``warnings`` as lines, each placed where its cue is written: in the ``routine``
    file, or else in one of the exercise ``libraries`` it uses; else at the step's name."""
    if not warnings:
        return []
    texts = {path: _read(path) for path in (routine, *libraries)}
    return [
        f"{_where(texts, routine, warning.cue_text, warning.step_name)}: warning: "
        f"{warning.title}: {warning.description}"
        for warning in warnings
    ]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _where(texts: dict[Path, str], routine: Path, cue: str | None, step_name: str) -> str:
    for path, text in texts.items():
        if cue and cue in text:
            line, column = _locate(text, cue)
            return f"{path}:{line}:{column}"
    line, column = _locate(texts[routine], step_name)
    return f"{routine}:{line}:{column}"


def _locate(text: str, *needles: str | None) -> tuple[int, int]:
    """Line and column (1-based) of the first needle found in ``text``; 1:1 if none is."""
    for needle in needles:
        if not needle:
            continue
        found = text.find(needle)
        if found >= 0:
            line = text.count("\n", 0, found) + 1
            column = found - (text.rfind("\n", 0, found) + 1) + 1
            return line, column
    return 1, 1
