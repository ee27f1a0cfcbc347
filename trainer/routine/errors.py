"""Turning pydantic's validation errors into coach-friendly, line-numbered issues.

pydantic reports a location as a path of keys and indexes (plus the tag of a
discriminated union); the YAML reader kept the position of every key and value.
This module walks the raw data along each error's path to find the line and
column, rewrites the message in plain words, and suggests the closest name for
a typo.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from trainer.pose.model import Ball, Keyframe, Keyframes, LimbAngles, Pose, StepBox
from trainer.routine.issues import Issue, Position
from trainer.routine.models import LOCATED, STEP_MODELS, Block, Cue, Tempo
from trainer.routine.yamlsafe import MarkedDict, MarkedList

Loc = tuple[str | int, ...]

#: Which model a mapping is, by the name of the field that holds it.
_MODEL_BY_CONTAINER: dict[str, type[BaseModel]] = {
    "blocks": Block,
    "cues": Cue,
    "tempo": Tempo,
    # A step's `pose:` and what it holds (trainer.pose.model).
    "pose": Pose,
    "keyframes": Keyframes,
    "start": Keyframe,
    "bottom": Keyframe,
    "hold": Keyframe,
    "left": LimbAngles,
    "right": LimbAngles,
    "step": StepBox,
    "ball": Ball,
}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` when a choice is a likely typo of ``word``, else ``""``.

    Likely means a few keystrokes away (a letter missed, added, changed or two
    swapped: one for short words, two from six letters, three from ten), so
    ``duraton`` suggests ``duration`` but ``sets`` and ``video`` do not suggest
    ``sides``. Ties go to the choice difflib finds most similar.
    """
    lowered = word.lower()
    allowed = 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3
    close = [
        choice
        for choice in difflib.get_close_matches(word, list(choices), n=5, cutoff=0.5)
        if edit_distance(lowered, choice.lower()) <= allowed
    ]
    return f"; did you mean '{close[0]}'?" if close else ""


def edit_distance(first: str, second: str) -> int:
    """Optimal string alignment distance: insertions, deletions, changes, adjacent swaps."""
    if abs(len(first) - len(second)) > 3:
        return 4  # far enough; no need to count
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


_KEY_LINE = re.compile(r"^( *)(- +)?([A-Za-z_][\w-]*)\s*:(\s|$)")


def indentation_hint(text: str, line: int) -> str:
    """A plain-words hint when a YAML syntax error at ``line`` looks like a mis-indented key.

    YAML reports a key that is a space short or long as a puzzling syntax error
    ("did not find expected '-' indicator"); compared with the key above it, the
    mistake is plain: "this key is 1 space short of `name:` on line 8".
    """
    lines = text.splitlines()
    for number in (line, line - 1):  # YAML often reports the line after the slip
        if not 1 <= number <= len(lines):
            continue
        match = _KEY_LINE.match(lines[number - 1])
        if match is None or match.group(2):
            continue
        column = len(match.group(1))
        for above in range(number - 1, 0, -1):
            other = _KEY_LINE.match(lines[above - 1])
            if other is None:
                if lines[above - 1].strip() and not lines[above - 1].lstrip().startswith("#"):
                    break  # text between: too far to compare
                continue
            other_column = len(other.group(1)) + len(other.group(2) or "")
            difference = column - other_column
            if difference == 0 or abs(difference) > 3:
                break
            if difference > 0 and lines[above - 1].rstrip().endswith(":"):
                break  # a child of the key above: deeper is right
            spaces = f"{abs(difference)} space{'s' if abs(difference) != 1 else ''}"
            where = "short of" if difference < 0 else "further in than"
            key = match.group(3)
            return (
                f"; `{key}:` on line {number} is {spaces} {where} `{other.group(3)}:` on line "
                f"{above} (keys of one mapping line up exactly)"
            )
    return ""


def format_field(loc: Loc) -> str:
    """``('blocks', 0, 'steps', 2, 'duration')`` -> ``blocks[0].steps[2].duration``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def issues_from_validation(
    error: ValidationError, raw: MarkedDict, root: type[BaseModel] | None, prefix: Loc = ()
) -> list[Issue]:
    """One :class:`Issue` per pydantic error, positioned in ``raw``.

    ``prefix`` is the location of ``raw`` within the file's data, for models
    validated piece by piece (library exercises).
    """
    return [_issue(dict(detail), raw, root, prefix) for detail in error.errors(include_url=False)]


def _issue(
    detail: dict[str, Any], raw: MarkedDict, root: type[BaseModel] | None, prefix: Loc
) -> Issue:
    kind, message = detail["type"], str(detail["msg"])
    loc, parents = _clean_loc(tuple(detail["loc"]), raw)
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    if LOCATED in message:
        extra, message = message.split(LOCATED, 1)
        parts = tuple(int(part) if part.isdigit() else part for part in extra.split("."))
        loc += parts
        # Walk the extra parts plainly: a field named like the step's kind tag
        # (`reps` on a reps step) is a field here, not the union's tag.
        for part in parts:
            node = parents[-1]
            found = (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and part < len(node)
            )
            parents = [*parents, node[part] if found else None]
    parent, node = parents[-2] if len(parents) > 1 else raw, parents[-1]
    key = loc[-1] if loc else None
    position = (
        _position_of(parent, key, for_key=kind == "extra_forbidden")
        or getattr(node, "position", None)
        or _nearest_position(loc, parents, raw)
    )
    if kind == "missing":
        position = getattr(parent, "position", position)
        message = f"missing required field '{key}'"
    elif kind == "extra_forbidden":
        fields = _field_names(loc[:-1], parent, root)
        message = f"unknown field '{key}'{did_you_mean(str(key), fields)}"
        if fields:
            message += f" (allowed: {', '.join(sorted(fields))})"
    elif kind == "union_tag_invalid":
        tags = sorted(STEP_MODELS)
        tag = detail["ctx"]["tag"]
        message = f"unknown step kind '{tag}'{did_you_mean(tag, tags)} (kinds: {', '.join(tags)})"
        loc += ("kind",)
        position = _position_of(node, "kind") or position
    elif kind == "union_tag_not_found":
        message = (
            "a step needs `kind:` (" + ", ".join(sorted(STEP_MODELS)) + ") or `use:` with the "
            "id of a library exercise"
        )
    elif kind == "literal_error":
        options = re.findall(r"'([^']*)'|(\d+)", detail["ctx"]["expected"])
        words = [quoted or number for quoted, number in options]
        given = str(detail.get("input"))
        message = f"'{given}' is not allowed here; use one of: {', '.join(words)}"
        message += did_you_mean(given, words)
    elif kind in ("int_parsing", "int_from_float"):
        message = f"'{detail.get('input')}' is not a whole number"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = "expected a mapping of `key: value` lines here" + _got(detail.get("input"))
    elif kind == "list_type":
        message = "expected a list (lines starting with '- ') here" + _got(detail.get("input"))
    elif kind == "string_type":
        message = "expected text here" + _got(detail.get("input"))
    elif kind == "string_pattern_mismatch":
        message = (
            f"'{detail.get('input')}' is not a valid id; use lower-case letters, digits and "
            "dashes, like soleus-wall-stretch"
        )
    return Issue.at(position, format_field(prefix + loc), message)


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return ", not a mapping"
    if isinstance(value, list):
        return ", not a list"
    if value is None:
        return ", but it is empty"
    return f", not '{value}'" if len(str(value)) < 40 else ", not text"


def _clean_loc(loc: Loc, raw: MarkedDict) -> tuple[Loc, list[Any]]:
    """Drop union tags from ``loc``; return it with the raw node at each step."""
    clean: list[str | int] = []
    node: Any = raw
    nodes = [raw]
    tag_skipped_for = None
    for part in loc:
        if isinstance(node, dict) and node.get("kind") == part and tag_skipped_for is not node:
            # pydantic puts the step kind (the union's tag) right after the step itself.
            tag_skipped_for = node
            continue
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and (isinstance(part, int) and part < len(node))
        ):
            node = node[part]  # type: ignore[index]  # a str part only ever indexes a dict
        else:
            node = None
        clean.append(part)
        nodes.append(node)
    return tuple(clean), nodes


def _nearest_position(loc: Loc, parents: list[Any], raw: MarkedDict) -> Position:
    """The position of the deepest part of ``loc`` found in the file.

    A value written as text and checked as parts (the ``up`` of tempo ``3-1-11``)
    has no node of its own: point at the text it came from, not at line 1.
    """
    for depth in range(len(loc) - 1, -1, -1):
        position = _position_of(parents[depth], loc[depth])
        if position is not None:
            return position
    return raw.position


def _walk(loc: Sequence[str | int], raw: MarkedDict) -> list[Any]:
    return _clean_loc(tuple(loc), raw)[1]


def _position_of(parent: Any, key: str | int | None, for_key: bool = False) -> Position | None:
    if isinstance(parent, MarkedDict) and isinstance(key, str) and key in parent:
        return (parent.key_positions if for_key else parent.value_positions)[key]
    if isinstance(parent, MarkedList) and isinstance(key, int) and key < len(parent):
        return parent.item_positions[key]
    return None


def _field_names(parent_loc: Loc, parent: Any, root: type[BaseModel] | None) -> list[str]:
    """The field names allowed in the mapping at ``parent_loc``."""
    if isinstance(parent, dict) and parent.get("kind") in STEP_MODELS:
        return list(STEP_MODELS[parent["kind"]].model_fields)
    names = [part for part in parent_loc if isinstance(part, str)]
    if not parent_loc:
        return list(root.model_fields) if root else []
    if names and names[-1] in _MODEL_BY_CONTAINER:
        return list(_MODEL_BY_CONTAINER[names[-1]].model_fields)
    if (names and names[-1] in ("steps", "exercises")) or (
        len(names) >= 2 and names[-2] == "exercises"
    ):
        return sorted({name for model in STEP_MODELS.values() for name in model.model_fields})
    return []
