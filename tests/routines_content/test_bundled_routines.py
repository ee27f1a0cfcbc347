"""The bundled routines and exercise library: valid, complete and coherent.

These tests are about the *content* in ``routines/`` (what a coach wrote), not
the loader: every file loads without a problem, each routine carries a safety
note and focus tags, the full knee session runs through the phases in order
and fits its time slot, and nothing in the library is left unused.

Session lengths come from the engine's own plan (``trainer.engine.plan``),
the same estimate ``trainer show`` and the session screen use: holds and timed
work per side, tempo reps at their tempo, guesses for pedal-only moments, and
a short switch between sides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.engine.plan import build_plan
from trainer.routine.catalog import Catalog, load_catalog
from trainer.routine.models import CheckStep, HoldStep, RepsStep

BUNDLED = Path(__file__).resolve().parents[2] / "routines"

EXPECTED_ROUTINES = {
    "ankle-release",
    "hip-mobility",
    "glute-med-activation",
    "squat-groove",
    "left-right-check",
    "knee-valgus-reset",
    "quick-demo",
}
PHASES = ["Release", "Mobilise", "Activate", "Groove", "Check"]
SQUAT_CUES = {"Screw your hips into the ground", "Knee over your outer toes"}
CHECK_TESTS = {"aslr", "seated-cross-legged", "knee-to-wall"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([BUNDLED])


def routine_seconds(catalog: Catalog, routine_id: str) -> float:
    return build_plan(catalog.routines[routine_id]).total_estimated_seconds


def test_bundled_files_load_without_a_single_issue(catalog: Catalog):
    assert [str(issue) for issue in catalog.issues] == []
    assert catalog.library, "the exercise library was not found"


def test_the_expected_routines_exist(catalog: Catalog):
    assert set(catalog.routines) >= EXPECTED_ROUTINES


def test_every_routine_has_a_safety_note_and_focus_tags(catalog: Catalog):
    for routine_id, loaded in catalog.routines.items():
        routine = loaded.routine
        assert routine.focus, f"{routine_id} has no focus tags"
        assert routine.equipment, f"{routine_id} lists no equipment"
        safety = routine.safety.lower()
        assert "not medical advice" in safety, f"{routine_id} safety lacks the disclaimer"
        assert "pain" in safety and "stop" in safety, f"{routine_id} safety lacks when to stop"
        assert "physio" in safety, f"{routine_id} safety does not say to see a physio"


def test_knee_valgus_reset_runs_through_the_phases_in_order(catalog: Catalog):
    names = [block.name for block in catalog.routines["knee-valgus-reset"].routine.blocks]
    assert names == PHASES


def test_knee_valgus_reset_takes_20_to_25_minutes(catalog: Catalog):
    minutes = routine_seconds(catalog, "knee-valgus-reset") / 60
    assert 20 <= minutes <= 25, f"estimated {minutes:.1f} min"


def test_quick_demo_takes_about_a_minute(catalog: Catalog):
    routine = catalog.routines["quick-demo"].routine
    seconds = routine_seconds(catalog, "quick-demo")
    assert 45 <= seconds <= 90, f"estimated {seconds:.0f} s"
    kinds = [step.kind for step in routine.steps]
    assert kinds.count("reps") == 1 and kinds.count("check") == 1
    assert all(step.duration <= 10 for step in routine.steps if isinstance(step, HoldStep))


def test_squat_groove_uses_both_knee_cues(catalog: Catalog):
    routine = catalog.routines["squat-groove"].routine
    cue_texts = {cue.text for step in routine.steps for cue in step.cues}
    assert cue_texts >= SQUAT_CUES
    tempo_reps = [s for s in routine.steps if isinstance(s, RepsStep) and s.tempo is not None]
    assert tempo_reps, "squat-groove should have tempo reps"


def test_left_right_check_covers_all_three_tests_on_each_side(catalog: Catalog):
    checks = [
        step
        for step in catalog.routines["left-right-check"].routine.steps
        if isinstance(step, CheckStep)
    ]
    assert {check.test for check in checks} == CHECK_TESTS | {"knee-pain"}
    sided = [check for check in checks if check.test in CHECK_TESTS]
    assert all(check.sides == "each" and check.record.per_side for check in sided)
    (pain,) = [check for check in checks if check.test == "knee-pain"]
    assert pain.record.unit == "score" and pain.record.highest == 10


def test_every_library_exercise_is_used_by_a_routine(catalog: Catalog):
    used = {
        step.use
        for loaded in catalog.routines.values()
        for step in loaded.routine.steps
        if step.use is not None
    }
    assert set(catalog.library) - used == set()


def test_every_routine_has_a_realistic_length(catalog: Catalog):
    for routine_id in catalog.routines:
        minutes = routine_seconds(catalog, routine_id) / 60
        assert 0.75 <= minutes <= 30, f"{routine_id}: estimated {minutes:.1f} min"


def test_library_exercises_explain_themselves(catalog: Catalog):
    for loaded in catalog.routines.values():
        for step in loaded.routine.steps:
            if step.use is None:
                continue
            assert step.how, f"{step.use} has no `how`"
            assert len(step.how) <= 300, f"{step.use}: keep `how` to 2-3 short sentences"
            assert step.cues, f"{step.use} has no cues"


def test_check_exercises_name_known_tests(catalog: Catalog):
    tests = {
        step.test
        for loaded in catalog.routines.values()
        for step in loaded.routine.steps
        if isinstance(step, CheckStep)
    }
    cold = CHECK_TESTS | {"knee-pain"}
    # checks after the work (or in the demo) keep their own ids, so trends never mix states
    assert tests == cold | {f"{test}-after" for test in CHECK_TESTS} | {"knee-to-wall-demo"}


def test_bundled_files_satisfy_the_editor_schema():
    """The JSON Schema an editor uses must not flag the files the loader accepts."""
    jsonschema = pytest.importorskip("jsonschema")
    yaml = pytest.importorskip("yaml")
    from trainer.routine.schema import routine_file_schema

    validator = jsonschema.Draft202012Validator(routine_file_schema())
    for path in sorted(BUNDLED.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(data)]
        assert errors == [], f"{path.name}: {errors}"


def _spoken_texts(catalog: Catalog) -> list[tuple[str, str]]:
    """Everything the trainer says aloud from the routines: names, cues, questions, texts."""
    spoken = []
    for loaded in catalog.routines.values():
        for step in loaded.routine.steps:
            spoken.append((loaded.id, step.name))
            spoken += [(loaded.id, cue.text) for cue in step.cues]
            if isinstance(step, CheckStep):
                spoken.append((loaded.id, step.question))
            text = getattr(step, "text", None)
            if text:
                spoken.append((loaded.id, text))
    return spoken


def test_spoken_words_are_ones_espeak_says_well(catalog: Catalog):
    for routine_id, text in _spoken_texts(catalog):
        assert not set(text) & set("()/[]"), f"{routine_id}: {text!r} (brackets, slashes)"
        assert " cm" not in f" {text} ", f"{routine_id}: {text!r} says cm; write centimetres"


def test_one_or_two_short_cues_per_exercise_knee_cue_first(catalog: Catalog):
    for exercise_id, entry in catalog.library.items():
        plain = [
            cue if isinstance(cue, str) else cue["text"]
            for cue in entry.raw.get("cues", [])
            if isinstance(cue, str) or ("at" not in cue and "rep" not in cue)
        ]
        assert 1 <= len(plain) <= 2, f"{exercise_id}: {plain}"
        for cue in plain:
            assert len(cue.split()) <= 6, f"{exercise_id}: {cue!r} is long for a spoken cue"
        knee = [cue for cue in plain if "knee" in cue.lower()]
        if knee:
            assert plain[0] == knee[0], f"{exercise_id}: the knee cue goes first"


def test_no_routine_lists_the_same_equipment_twice(catalog: Catalog):
    """squat-groove listed "kettlebell or dumbbell (optional)" and "... dumbbells (optional)"."""
    for routine_id, loaded in catalog.routines.items():
        words = [
            " ".join(w.rstrip("s") for w in item.casefold().replace("(optional)", "").split())
            for item in loaded.routine.all_equipment
        ]
        assert len(words) == len(set(words)), f"{routine_id}: {loaded.routine.all_equipment}"
    assert catalog.routines["squat-groove"].routine.all_equipment == [
        "low step or box",
        "kettlebell or dumbbell (optional)",
        "mirror (optional)",
        "wall or chair for balance (optional)",
    ]


def test_each_check_reads_apart_from_the_others_by_name(catalog: Catalog):
    """The summary, the trend view and `trainer history --trends` name checks, not ids."""
    names: dict[str, set[str]] = {}
    for loaded in catalog.routines.values():
        for step in loaded.routine.steps:
            if isinstance(step, CheckStep):
                names.setdefault(step.name, set()).add(step.test)
    shared = {name: tests for name, tests in names.items() if len(tests) > 1}
    assert shared == {}, "two tests under one name would read alike in a trend"
