"""Durations as coaches write them: ``45s``, ``1m30s``, ``2m``, ``90`` or ``1.5m``.

>>> parse_duration("1m30s")
90.0
>>> format_duration(90)
'1:30'
"""

from __future__ import annotations

import functools
import math
import re
from datetime import datetime

#: Longest single duration a routine may ask for; anything longer is a typo
#: (``450`` meant as ``45``, ``45m`` meant as ``45s``).
MAX_DURATION_SECONDS = 3600.0

#: Text ``parse_duration`` reads, as a JSON Schema pattern (the 1-hour limit is not in it).
DURATION_TEXT_PATTERN = r"^\s*(\d+(\.\d+)?|(\d+(\.\d+)?\s*([hH]|[mM][sS]?|[sS])\s*)+)\s*$"

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|m|s)")
_WHOLE = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*(?:h|m|s|ms)\s*)+")


def parse_duration(value: object) -> float:
    """Seconds in ``value``; raises :class:`ValueError` with a coach-friendly message."""
    if isinstance(value, bool):
        raise ValueError(_SHAPE_HINT)
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value.strip().lower())
    else:
        raise ValueError(_SHAPE_HINT)
    if not math.isfinite(seconds):
        raise ValueError(_SHAPE_HINT)
    if seconds <= 0:
        raise ValueError(f"duration must be more than 0 seconds, got {_echo(value)}")
    if seconds > MAX_DURATION_SECONDS:
        raise ValueError(
            f"{_echo(value)} is {format_duration(seconds)}, longer than the "
            f"{format_duration(MAX_DURATION_SECONDS)} limit for one duration; is it a typo?"
        )
    return seconds


_SHAPE_HINT = "write a duration like 45s, 1m30s, 2m or 90 (seconds)"


def _echo(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


@functools.lru_cache(maxsize=512)  # routines repeat the same few durations
def _parse_text(text: str) -> float:
    if text.startswith("-"):
        raise ValueError(f"duration must be more than 0 seconds, got '{text}'")
    try:
        return float(text)
    except ValueError:
        pass
    if len(text) > 32 or not _WHOLE.fullmatch(text):
        raise ValueError(f"'{text}' is not a duration; {_SHAPE_HINT}")
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(number) * scale[unit] for number, unit in _PART.findall(text))


def format_duration(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for screens and listings, rounded to the second."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_planned_time(estimated_seconds: float, approximate: bool) -> str:
    """A routine's planned time as every screen and listing shows it: ``about 1:09``
    (or ``1:09`` when every moment runs on the clock).

    The one definition: the sum of the plan's moments, with a guess for each that
    ends on the pedal (:attr:`trainer.engine.plan.Plan.total_estimated_seconds`);
    the spoken lead-ins are not counted, as the session's "remaining" does not
    count them either.
    """
    return ("about " if approximate else "") + format_duration(estimated_seconds)


def format_session_time(active_seconds: float, paused_seconds: float) -> str:
    """A session's time as every screen and listing names it: ``active 3:12, paused 0:19``.

    Active time is time spent in moments, pauses excluded; paused time is time
    spent paused in them (both summed over the logged visits: see
    :class:`trainer.engine.session.LoggedVisit`). Wall-clock time, which also
    counts a crash's downtime, is not shown as a session's time anywhere.
    """
    return f"active {format_duration(active_seconds)}, paused {format_duration(paused_seconds)}"


def format_when(iso: str, now: datetime | None = None) -> str:
    """A stored ISO time as people say it: ``today at 07:30``, ``yesterday at 18:05``,
    ``Monday at 09:00`` within the week, else ``3 Nov 2026 at 07:30``. Unreadable
    text is returned as it is."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    now = now or datetime.now(when.tzinfo)
    if when.tzinfo is not None and now.tzinfo is None:
        now = now.astimezone()
    days = (now.date() - when.date()).days
    clock = when.strftime("%H:%M")
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"yesterday at {clock}"
    if 1 < days < 7:
        return f"{when.strftime('%A')} at {clock}"
    return f"{when.day} {when.strftime('%b %Y')} at {clock}"
