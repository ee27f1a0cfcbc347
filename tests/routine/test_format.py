"""The routine format: durations, shorthands, library references and overrides, schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import ValidationError
from support.routines import write_routine

from trainer.cli import main
from trainer.routine.catalog import load_catalog, load_routine_file
from trainer.routine.durations import format_duration, parse_duration
from trainer.routine.models import CheckStep, HoldStep, RepsStep, Routine
from trainer.routine.schema import routine_file_schema

LIBRARY = """\
exercises:
  soleus-wall-stretch:
    kind: hold
    name: Soleus wall stretch
    how: Bend the back knee, heel down.
    duration: 45s
    sides: each
    cues:
      - Heel stays down
      - text: Knee over the middle toes
        at: 15s
  clamshell:
    kind: reps
    name: Side-lying clamshell
    reps: 12
    sets: 2
    tempo: 2-1-2
    rest: 30s
    sides: each
"""


@pytest.fixture
def library_folder(tmp_path: Path) -> Path:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "lib.yaml").write_text(LIBRARY)
    return tmp_path


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("1m30s", 90),
        ("90", 90),
        (90, 90),
        ("2m", 120),
        ("1.5m", 90),
        ("1m 5s", 65),
        ("500ms", 0.5),
        ("1h", 3600),
        (" 45 s ", 45),
        ("45S", 45),
    ],
)
def test_durations_in_every_written_form(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "more than 0"),
        ("-5s", "more than 0"),
        (-5, "more than 0"),
        ("1h1s", "longer than the 1:00:00 limit"),
        ("forty", "not a duration"),
        ("45x", "not a duration"),
        (True, "write a duration like"),
        ("nan", "write a duration"),
        ("inf", "write a duration"),
        (None, "write a duration"),
    ],
)
def test_bad_durations_say_what_to_write(text, message):
    with pytest.raises(ValueError, match=message):
        parse_duration(text)


def test_format_duration():
    assert [format_duration(s) for s in (0, 9.6, 90, 3725)] == ["0:00", "0:10", "1:30", "1:02:05"]


def test_step_defaults_and_shorthands():
    hold = HoldStep.model_validate(
        {"kind": "hold", "name": "Calf", "duration": "45s", "cues": ["Heel down"]}
    )
    assert (hold.advance, hold.sides, hold.side_names) == ("auto", "both", ("",))
    assert hold.cues[0].text == "Heel down" and hold.cues[0].at is None
    reps = RepsStep.model_validate(
        {"kind": "reps", "name": "Squat", "reps": "8", "tempo": "3-1-1", "sides": "each"}
    )
    assert (reps.advance, reps.sets, str(reps.tempo), reps.tempo.seconds_per_rep) == (
        "pedal",
        1,
        "3-1-1",
        5,
    )
    assert reps.side_names == ("left", "right")
    check = CheckStep.model_validate({"kind": "check", "name": "ASLR", "test": "aslr"})
    assert (check.sides, check.rating, check.advance) == ("each", False, "pedal")


def test_reps_auto_advance_needs_a_tempo():
    with pytest.raises(ValidationError, match="needs a tempo"):
        RepsStep.model_validate({"kind": "reps", "name": "Squat", "reps": 8, "advance": "auto"})


def test_yaml_scalars_stay_text_where_yaml_1_1_would_surprise(tmp_path: Path):
    # `no` and `on` are booleans in YAML 1.1; a cue that says "No" must stay "No".
    path = write_routine(
        tmp_path,
        (
            "title: Norway\nsummary: On\nfocus: [no, yes]\nblocks:\n  - name: A\n    steps:\n"
            "      - {kind: hold, name: '1', duration: 10, cues: [No, off]}\n"
        ),
    )
    loaded, issues = load_routine_file(path, folders=[])
    assert issues == []
    routine = loaded.routine
    assert routine.summary == "On" and routine.focus == ["no", "yes"]
    assert [cue.text for cue in routine.blocks[0].steps[0].cues] == ["No", "off"]


def test_library_reference_with_overrides(library_folder: Path):
    path = write_routine(
        library_folder,
        (
            "title: T\nsummary: S\nblocks:\n  - name: Release\n    steps:\n"
            "      - use: soleus-wall-stretch\n        duration: 30s\n"
            "      - use: clamshell\n        reps: 10\n        cues: [Knees together]\n"
        ),
    )
    loaded, issues = load_routine_file(path, folders=[library_folder])
    assert issues == []
    soleus, clamshell = loaded.routine.blocks[0].steps
    assert soleus.use == "soleus-wall-stretch"
    assert (soleus.name, soleus.duration, soleus.sides) == ("Soleus wall stretch", 30, "each")
    assert soleus.how == "Bend the back knee, heel down."
    assert [c.text for c in soleus.cues] == ["Heel stays down", "Knee over the middle toes"]
    assert (clamshell.reps, clamshell.sets, str(clamshell.tempo)) == (10, 2, "2-1-2")
    assert [c.text for c in clamshell.cues] == ["Knees together"]  # overrides replace lists


def test_override_that_breaks_a_library_cue_is_reported_at_the_library_line(library_folder):
    # Shortening the hold to 10s makes the library's `at: 15s` cue fall outside it.
    path = write_routine(
        library_folder,
        (
            "title: T\nsummary: S\nblocks:\n  - name: Release\n    steps:\n"
            "      - use: soleus-wall-stretch\n        duration: 10s\n"
        ),
    )
    loaded, issues = load_routine_file(path, folders=[library_folder])
    assert loaded is None
    assert [str(issue) for issue in issues] == [
        f"{library_folder / 'exercises' / 'lib.yaml'}:11:13: "
        "blocks[0].steps[0].cues[1].at: 15s is not within the step's 10s "
        f"(in library exercise 'soleus-wall-stretch' as used by {path}:6)"
    ]


def test_digest_changes_when_a_used_library_exercise_changes(library_folder: Path):
    path = write_routine(
        library_folder,
        (
            "title: T\nsummary: S\nblocks:\n  - name: Release\n    steps:\n"
            "      - use: soleus-wall-stretch\n"
        ),
    )
    before = load_routine_file(path, folders=[library_folder])[0].digest
    lib = library_folder / "exercises" / "lib.yaml"
    lib.write_text(lib.read_text().replace("duration: 45s", "duration: 50s"))
    after = load_routine_file(path, folders=[library_folder])[0].digest
    assert before != after and len(before) == 64


def test_bad_library_exercise_is_reported_and_the_rest_still_load(tmp_path: Path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "lib.yaml").write_text(
        LIBRARY + "  Bad Id:\n    kind: rest\n    duration: 5s\n"
        "  broken:\n    kind: hold\n    name: x\n"
    )
    write_routine(
        tmp_path,
        ("title: T\nsummary: S\nblocks:\n  - name: A\n    steps:\n      - use: clamshell\n"),
    )
    catalog = load_catalog([tmp_path])
    assert list(catalog.routines) == ["routine"]
    assert sorted(catalog.library) == ["clamshell", "soleus-wall-stretch"]
    messages = [str(issue) for issue in catalog.issues]
    assert any(":20:3: exercises.Bad Id: 'Bad Id' is not a valid id" in m for m in messages)
    assert any(":24:5: exercises.broken.duration: missing required field" in m for m in messages)


def test_routine_id_defaults_to_a_slug_of_the_file_name(tmp_path: Path):
    write_routine(
        tmp_path,
        "title: T\nsummary: S\nblocks: [{name: A, steps: [{kind: rest, duration: 5s}]}]\n",
        name="My Knee Day.yaml",
    )
    assert list(load_catalog([tmp_path]).routines) == ["my-knee-day"]


def test_duplicate_routine_ids_in_one_folder_are_an_error(tmp_path: Path):
    body = (
        "id: same\ntitle: T\nsummary: S\nblocks: [{name: A, steps: [{kind: rest, duration: 5s}]}]\n"
    )
    write_routine(tmp_path, body, "a.yaml")
    write_routine(tmp_path, body, "b.yaml")
    catalog = load_catalog([tmp_path])
    assert catalog.routines["same"].path.name == "a.yaml"
    assert [issue.message for issue in catalog.issues] == [
        f"routine id 'same' is already used by {tmp_path / 'a.yaml'}; rename one"
    ]


def test_user_routine_replaces_a_bundled_one_with_the_same_id(tmp_path: Path):
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir(), user.mkdir()
    body = (
        "id: same\ntitle: {}\nsummary: S\n"
        "blocks: [{{name: A, steps: [{{kind: rest, duration: 5s}}]}}]\n"
    )
    write_routine(bundled, body.format("Bundled"))
    write_routine(user, body.format("Mine"))
    catalog = load_catalog([bundled, user])
    assert catalog.routines["same"].routine.title == "Mine" and catalog.issues == []


def test_schema_is_valid_and_accepts_files_the_loader_accepts(library_folder: Path, capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == routine_file_schema(load_catalog().library)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load(
        "title: T\nsummary: S\nblocks:\n  - name: A\n    steps:\n"
        "      - use: soleus-wall-stretch\n        duration: 30s\n"
        "      - {kind: reps, name: Squat, reps: 8, tempo: 3-1-1, cues: [Knee out]}\n"
    )
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors(yaml.safe_load(LIBRARY))) == []
    typo = yaml.safe_load(
        "title: T\nsummary: S\nblocks: [{name: A, steps: [{kind: hold, name: x, duraton: 5}]}]\n"
    )
    assert list(validator.iter_errors(typo)) != []


def test_bundled_routines_are_all_valid(capsys):
    bundled = Path(__file__).resolve().parents[2] / "routines"
    assert main(["validate", str(bundled)]) == 0
    assert "OK" in capsys.readouterr().out
    assert Routine.model_fields["safety"].default.startswith("Move within")


def test_validating_a_default_folder_reads_each_file_once(monkeypatch, capsys):
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(repo)
    files = [*repo.joinpath("routines").rglob("*.yaml")]
    assert main(["validate", "routines", str(repo / "routines" / "quick-demo.yaml")]) == 0
    assert capsys.readouterr().out.startswith(f"{len(files)} files OK")


def test_library_errors_name_the_routine_that_uses_them(tmp_path: Path, capsys):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "lib.yaml").write_text(
        "exercises:\n"
        "  bridge:\n    kind: hold\n    name: Bridge\n    duration: 30s\n"
        "    cues:\n      - {text: Squeeze, at: 20s}\n"
        "  broken:\n    kind: hold\n    name: Broken\n    duraton: 30s\n"
    )
    write_routine(
        tmp_path,
        "title: T\nsummary: S\nblocks:\n  - name: A\n    steps:\n"
        "      - use: bridge\n        duration: 10s\n"
        "      - use: broken\n",
        name="session.yaml",
    )
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    routine = tmp_path / "session.yaml"
    # a library cue that no longer fits the routine's override: at the library line,
    # naming the routine step that pulled it in
    assert (
        f"lib.yaml:7:29: blocks[0].steps[0].cues[0].at: 20s is not within the step's 10s "
        f"(in library exercise 'bridge' as used by {routine}:6)"
    ) in out
    # a library exercise that does not load: the routine says where, the library says who
    assert "session.yaml:8:14: blocks[0].steps[1].use: exercise 'broken' has problems" in out
    assert "lib.yaml:11:5: exercises.broken.duraton: unknown field 'duraton'" in out
    assert "(used by session.yaml:8)" in out


def test_traps_warn_without_failing(tmp_path: Path, capsys):
    path = write_routine(
        tmp_path,
        "title: T\nsummary: S\nblocks:\n  - name: A\n    steps:\n"
        "      - {kind: hold, name: Calf, duration: 45m}\n"
        "      - {kind: reps, name: Squat, reps: 8, rest: 30s}\n",
    )
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "blocks[0].steps[0].duration: warning: a hold of 45:00 is over 10 minutes" in out
    assert "blocks[0].steps[1].rest: warning: rest is the rest between sets" in out
    assert "1 file OK (1 routine, 2 warnings)" in out
    # inherited from a library and cut to one set by the routine: the routine's choice
    catalog = load_catalog([Path(__file__).resolve().parents[2] / "routines"])
    assert all(not warnings for warnings in catalog.warnings_by_file.values())


def test_validate_watch_checks_again_after_a_change(tmp_path: Path, capsys):
    from trainer.commands.validate import watch

    path = write_routine(
        tmp_path, "title: T\nsummary: S\nblocks: [{name: A, steps: [{kind: rest, duration: 5s}]}]\n"
    )
    edits = iter(
        [
            lambda: None,
            lambda: path.write_text("title: T\nsummary: S\nblocks: [{name: A, steps: []}]\n"),
            lambda: None,
        ]
    )

    def sleep(seconds: float) -> None:
        assert seconds == 0.5
        next(edits)()

    status = watch([path], sleep=sleep, looks=3)
    out, err = capsys.readouterr()
    assert status == 1
    assert out.count("1 file OK") == 1
    assert "changed; checking again" in err and err.count("checking again") == 1
    assert "blocks[0].steps" in out


def test_show_expands_the_coach_routines_as_written(capsys):
    coach = Path(__file__).parents[1] / "routines_content" / "coach"
    assert main(["show", str(coach / "hinge-circuit.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Equipment: wall or chair for balance (optional), mat" in out
    assert out.count("Rest before round") == 2
    assert out.count("alternating  R1/3") == 1 and "8 to 10 reps each side @ 3-1-1 RPE 7" in out
    assert "12 reps @ up 1, hold 2, down 3" in out
    planks = [line for line in out.splitlines() if "Circuit  Side plank" in line]
    assert len(planks) == 3 * 3 * 2  # rounds x sets x sides
    assert main(["show", str(coach / "ankle-recheck.yaml")]) == 0
    out = capsys.readouterr().out
    assert "answer 0.0-100.0 cm per side" in out and "answer 0-10 score" in out


def test_show_lists_media_links_without_fetching_them(capsys):
    valid = Path(__file__).parent / "valid" / "format-v2.yaml"
    assert main(["show", str(valid)]) == 0
    out = capsys.readouterr().out
    assert "Media for Wall sit: media/wall-sit.mp4" in out
    assert "Media for Goblet squat: https://example.org/goblet-squat" in out
