"""A routine within every per-field limit may still expand to a huge session; it is refused.

The example from the hardening issue: 7 blocks x 180 steps of reps x 10 sets x
each side x tempo x 1 h rest is 119 kB of YAML and expanded to 49,140 moments
(40 s and 1.8 GB in ``trainer list``). Each case is validated under tracemalloc
and a time budget generous enough for a loaded machine, so a regression to
expanding first fails loudly rather than slowly.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from trainer.cli import main
from trainer.engine.plan import TighterSides, build_plan
from trainer.routine.catalog import default_folders, load_catalog
from trainer.routine.expansion import (
    MAX_MOMENTS,
    MAX_PLANNED_SECONDS,
    MAX_TEMPO_PHASES,
    expansion_of,
)
from trainer.routine.models import Routine


def routine_yaml(blocks: int, steps: int, step: str) -> str:
    lines = ["title: Big", "summary: Too big to run.", "blocks:"]
    for block in range(blocks):
        lines += [f"  - name: Block {block}", "    steps:"]
        lines += [f"      - {step}"] * steps
    return "\n".join(lines) + "\n"


EXPLOSIVE = {
    # the issue's own example: far over the moment limit (and the time limit)
    "issue-example": (
        routine_yaml(
            7,
            180,
            "{kind: reps, name: R, reps: 100, sets: 10, tempo: 10-10-10-10, sides: each, rest: 1h}",
        ),
        f"more than the limit of {MAX_MOMENTS:,}",
    ),
    # few moments, but days on the clock: 50 blocks x 10 one-hour holds
    "hours-of-holds": (
        routine_yaml(50, 10, "{kind: hold, name: H, duration: 1h}"),
        f"more than the limit of {MAX_PLANNED_SECONDS / 3600:g} hours",
    ),
    # many short moments: 20 x 40 one-second holds, each side (2,400 moments)
    "many-short-moments": (
        routine_yaml(20, 40, "{kind: hold, name: H, duration: 1s, sides: each}"),
        "moments (sets, sides, rests and switches)",
    ),
    # tempo phases: 1-second phases count aloud 4 per rep
    "tempo-phases": (
        routine_yaml(
            1, 7, "{kind: reps, name: R, reps: 100, sets: 10, tempo: 1-1-1-1, sides: each}"
        ),
        f"more than the limit of {MAX_TEMPO_PHASES:,}",
    ),
}


@pytest.mark.parametrize("name", sorted(EXPLOSIVE))
def test_explosive_routine_is_refused_quickly_in_bounded_memory(name: str, tmp_path: Path):
    text, message = EXPLOSIVE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    tracemalloc.start()
    started = time.process_time()
    try:
        catalog = load_catalog([], files=[path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    cpu = time.process_time() - started
    assert catalog.routines == {}
    issues = catalog.issues_by_file[path]
    assert any(message in issue.message for issue in issues), issues
    assert all(issue.field == "blocks" and issue.line == 4 for issue in issues)
    assert peak < 200_000_000, f"peak {peak / 1e6:.0f} MB"
    assert cpu < 30, f"{cpu:.1f} s of CPU"  # was 40 s wall for `list` alone, before


def test_validate_names_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "big.yaml"
    path.write_text(EXPLOSIVE["issue-example"][0])
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "expands to 49,140 moments" in out
    assert f"limit of {MAX_MOMENTS:,}" in out


def test_list_skips_an_explosive_routine(tmp_path: Path, capsys, monkeypatch):
    (tmp_path / "big.yaml").write_text(EXPLOSIVE["issue-example"][0])
    monkeypatch.setenv("TRAINER_ROUTINES_DIR", str(tmp_path))
    assert main(["list", "--routines", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "expands to 49,140 moments" in out


def test_just_under_the_limits_still_loads(tmp_path: Path):
    # 10 blocks x 66 two-sided 5 s holds x 3 moments = 1,980 moments, under 2 hours
    path = tmp_path / "edge.yaml"
    path.write_text(routine_yaml(10, 66, "{kind: hold, name: H, duration: 5s, sides: each}"))
    catalog = load_catalog([], files=[path])
    assert catalog.issues_by_file[path] == []
    plan = build_plan(next(iter(catalog.routines.values())))
    assert len(plan) == 1_980 <= MAX_MOMENTS


COACH = Path(__file__).parents[1] / "routines_content" / "coach"


def test_counted_expansion_matches_the_built_plan_for_bundled_and_coach_routines():
    catalog = load_catalog([*default_folders()[:1], COACH])
    assert {"hinge-circuit", "ankle-recheck", "knee-valgus-reset"} <= set(catalog.routines)
    for loaded in catalog.routines.values():
        # extra sets count as if a check had found a side tighter for every test
        tests = {
            step.tighter_by for step in loaded.routine.steps if getattr(step, "tighter_by", None)
        }
        tighter = TighterSides("left", tuple((test, "left") for test in tests if test))
        plan = build_plan(loaded, tighter=tighter)
        counted = expansion_of(loaded.routine)
        assert counted.moments == len(plan), loaded.id
        assert counted.moments >= len(build_plan(loaded)), loaded.id
        timed = sum(len(m.tempo) + sum(c.offset is not None for c in m.cues) for m in plan)
        assert counted.tempo_phases <= timed, loaded.id
        assert counted.planned_seconds == pytest.approx(
            sum(m.planned_seconds or 0 for m in plan if m.kind != "switch")
        ), loaded.id


def test_build_plan_refuses_a_routine_built_in_code():
    step = {"kind": "hold", "name": "H", "duration": "1h"}
    routine = Routine.model_validate(
        {
            "title": "T",
            "summary": "S",
            "blocks": [{"name": "A", "steps": [step] * 200} for _ in range(4)],
        }
    )
    with pytest.raises(ValueError, match="hours on the clock"):
        build_plan(routine)
