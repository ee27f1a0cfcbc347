"""routines/README.md's limits are generated from the code's constants, never typed by hand.

The report: the README said "at most 50,000 values" while the loader refused at
20,000. The limits paragraph between the ``limits`` markers in the README is
rebuilt here from the reader's constants and the models' own field constraints;
the test fails when the two disagree. To refresh the README after changing a
limit::

    UPDATE_DOCS=1 .venv/bin/python -m pytest -q tests/hardening/test_documented_limits.py
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from trainer import paths
from trainer.routine import durations, expansion, models, yamlsafe
from trainer.routine.catalog import MAX_FILES_PER_FOLDER

README = paths.BUNDLED_ROUTINES_DIR / "README.md"
START = "<!-- limits: generated from the code by tests/hardening/test_documented_limits.py -->"
END = "<!-- /limits -->"


def _constraint(model: type[BaseModel], field: str, kind: str) -> Any:
    """The ``le`` / ``ge`` / ``max_length`` / ``min_length`` constraint of a model's field,
    wherever pydantic keeps it (Field() metadata or an Annotated StringConstraints)."""
    info = model.model_fields[field]
    annotation = info.annotation
    candidates: list[Any] = list(info.metadata)
    for argument in getattr(annotation, "__args__", ()):  # Optional[LongText] and the like
        candidates.extend(getattr(argument, "__metadata__", ()))
    candidates.extend(getattr(annotation, "__metadata__", ()))
    for item in candidates:  # annotated_types.Le/Ge/MaxLen or pydantic's StringConstraints
        value = getattr(item, kind, None)
        if value is not None and not isinstance(item, type):
            return value
    raise AssertionError(f"{model.__name__}.{field} has no {kind} constraint")


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:g} hour" + ("s" if hours != 1 else "")


def generated_limits() -> str:
    short = _constraint(models.Routine, "title", "max_length")
    assert short == _constraint(models.Block, "name", "max_length")
    assert short == _constraint(models.CheckStep, "question", "max_length")
    long = _constraint(models.Routine, "summary", "max_length")
    assert long == _constraint(models.InstructionStep, "text", "max_length")
    assert long == _constraint(models.Block, "note", "max_length")
    tempo = _constraint(models.Tempo, "down", "le")
    assert tempo == _constraint(models.Tempo, "up", "le") == _constraint(models.Tempo, "top", "le")
    megabytes = yamlsafe.MAX_FILE_BYTES / 1_000_000
    text = (
        f"- Files must be UTF-8, at most {megabytes:g} MB, nested at most "
        f"{yamlsafe.MAX_DEPTH} levels and hold at most {_number(yamlsafe.MAX_NODES)} values; "
        f"only the first {_number(MAX_FILES_PER_FOLDER)} files of a folder are read. "
        "Only regular files are read (not pipes, devices or /proc files), each within "
        f"{yamlsafe.MAX_READ_SECONDS:g} seconds. "
        "Text may not hold control characters (tab and, in values, newline excepted, even "
        'written as YAML escapes such as `"\\e[2J"`), bidirectional overrides, or only '
        "invisible characters.\n"
        f"- Limits: a duration at most {_hours(durations.MAX_DURATION_SECONDS)}; `reps` "
        f"{_constraint(models.RepsStep, 'reps', 'ge')} to "
        f"{_constraint(models.RepsStep, 'reps', 'le')}; `sets` "
        f"{_constraint(models.RepsStep, 'sets', 'ge')} to "
        f"{_constraint(models.RepsStep, 'sets', 'le')}; each tempo phase 0 to {tempo} s; "
        f"names, titles and questions up to {short} characters; cues up to "
        f"{_constraint(models.Cue, 'text', 'max_length')}; `how`, `summary`, `safety`, `note` "
        f"and `text` up to {long}; up to {_constraint(models.HoldStep, 'cues', 'max_length')} "
        f"cues per step, {_constraint(models.Block, 'steps', 'max_length')} steps per block, "
        f"{_constraint(models.Routine, 'blocks', 'max_length')} blocks per routine, "
        f"{_constraint(models.Routine, 'focus', 'max_length')} focus tags, "
        f"{_constraint(models.Routine, 'equipment', 'max_length')} equipment items and "
        f"{_constraint(models.ExerciseLibrary, 'exercises', 'max_length')} exercises per "
        "library file.\n"
        "- A whole routine, expanded into the session it runs (every set, side, rest and "
        f"switch), may have at most {_number(expansion.MAX_MOMENTS)} moments, "
        f"{_hours(expansion.MAX_PLANNED_SECONDS)} on the clock and "
        f"{_number(expansion.MAX_TEMPO_PHASES)} tempo phases. A bigger routine is refused by "
        '`trainer validate` with the limit it broke ("this routine expands to 49,140 '
        f'moments ..., more than the limit of {_number(expansion.MAX_MOMENTS)}"); split it '
        "into shorter routines.\n"
    )
    wrapped = [
        textwrap.fill(item, width=78, subsequent_indent="  ", break_on_hyphens=False)
        for item in text.splitlines()
    ]
    return "\n".join(wrapped) + "\n"


def _documented() -> tuple[str, str, str]:
    readme = README.read_text(encoding="utf-8")
    start, end = readme.index(START) + len(START) + 1, readme.index(END)
    return readme[:start], readme[start:end], readme[end:]


def test_the_readme_limits_are_the_codes_limits() -> None:
    before, documented, after = _documented()
    expected = generated_limits()
    if documented != expected and os.environ.get("UPDATE_DOCS"):
        README.write_text(before + expected + after, encoding="utf-8")
        documented = expected
    assert documented == expected, (
        "routines/README.md's limits differ from the code; run this test with UPDATE_DOCS=1"
    )


def test_the_number_of_the_report_is_the_loaders() -> None:
    """The documented value limit is the one the loader enforces (it once said 50,000)."""
    numbers = {int(n.replace(",", "")) for n in re.findall(r"([\d,]+) values", _documented()[1])}
    assert numbers == {yamlsafe.MAX_NODES}


def test_every_maximum_of_the_reader_and_expansion_is_documented() -> None:
    documented = _documented()[1].replace("\n  ", " ")
    for value in (
        yamlsafe.MAX_NODES,
        yamlsafe.MAX_DEPTH,
        MAX_FILES_PER_FOLDER,
        expansion.MAX_MOMENTS,
        expansion.MAX_TEMPO_PHASES,
    ):
        assert _number(value) in documented or str(value) in documented, value


def test_the_loader_refuses_just_past_the_documented_value_limit(tmp_path: Path) -> None:
    from trainer.routine.issues import RoutineFileError

    path = tmp_path / "many.yaml"
    path.write_text("title: [" + "1," * yamlsafe.MAX_NODES + "1]\n")
    try:
        yamlsafe.read_yaml(path)
    except RoutineFileError as refused:
        assert f"more than {yamlsafe.MAX_NODES} values" in str(refused)
    else:
        raise AssertionError("a file past the documented limit was read")
