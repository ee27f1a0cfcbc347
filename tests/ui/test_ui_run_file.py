"""`trainer run path/to/file.yaml`: a coach previews one routine file straight away."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from support.app import advance, make_settings, until
from support.clock import FakeClock

from trainer.cli import main
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen

COACH = Path(__file__).parents[1] / "routines_content" / "coach" / "hinge-circuit.yaml"


async def test_a_routine_file_runs_straight_from_its_path(tmp_path: Path, clock: FakeClock):
    settings = replace(make_settings(tmp_path, clock), routine_files=(COACH,))
    app = TrainerApp(settings, start_routine=str(COACH))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        snapshot = app.screen.session.last.snapshot
        assert snapshot.moment.title == "Single-leg Romanian deadlift"
        assert snapshot.moment.round_count == 3


def test_a_broken_file_is_refused_before_any_screen(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "draft.yaml"
    path.write_text(
        "title: Draft\nsummary: S\nblocks:\n  - name: A\n    steps:\n      - kind: hold\n"
    )
    assert main(["run", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:6:9: blocks[0].steps[0]" in err
    assert "cannot be run; fix it first" in err


RECHECK = COACH.parent / "ankle-recheck.yaml"


async def test_numbers_per_side_are_entered_by_pedal_and_kept(tmp_path: Path, clock: FakeClock):
    from support.app import advance

    from trainer.adapters.store.database import SessionStore
    from trainer.engine.snapshot import SessionState

    settings = replace(make_settings(tmp_path, clock), routine_files=(RECHECK,))
    app = TrainerApp(settings, start_routine=str(RECHECK))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        session = app.screen.session
        await pilot.press("space")  # start: knee-to-wall, left side
        await pilot.press("space")  # done with the left side
        await advance(pilot, app, clock, 5)  # switch
        await pilot.press("space")  # done with the right side
        assert session.last.snapshot.state is SessionState.ANSWERING
        await pilot.press(*["space"] * 8)  # 0, 1 ... 7
        panel = app.screen.query_one("#answer").render().plain
        assert "Left side, in centimetres" in panel and "\n7\n" in panel
        await pilot.press("escape")  # confirm 7: tenths next
        await pilot.press(*["space"] * 6)  # .0 ... .5
        assert "7.5" in app.screen.query_one("#answer").render().plain
        app.save_screenshot(str(tmp_path / "answer.svg"))
        await pilot.press("escape")  # left: 7.5
        await pilot.press(*["space"] * 10, "escape", "escape")  # right: 9, then 9.0
        panel = session.last.snapshot
        assert panel.moment.title == "Knee pain right now"
        await pilot.press(*["space"] * 4, "escape")  # pain: 3
        await pilot.pause()
        summary = app.screen.query_one("#summary-text").render().plain
        assert (
            "Knee-to-wall ankle test: left tighter (Left 7.5 centimetres, Right 9.0 centimetres)"
            in summary
        )
        assert "Knee pain right now: 3 out of 10\n      first time" in summary  # its own line
    store = SessionStore.open(tmp_path / "history.sqlite3")
    rows = store.checks()
    store.close()
    knee, pain = rows
    assert (knee.test_id, knee.left_value, knee.right_value, knee.unit) == (
        "knee-to-wall",
        7.5,
        9.0,
        "cm",
    )
    assert knee.result == "left-tighter"
    assert knee.answer == "Left 7.5 centimetres, Right 9.0 centimetres"
    assert (pain.test_id, pain.value, pain.unit, pain.answer) == (
        "knee-pain",
        3.0,
        "score",
        "3 out of 10",
    )


async def test_the_tighter_side_from_the_store_gets_an_extra_set(tmp_path: Path, clock: FakeClock):
    routine = tmp_path / "extra.yaml"
    routine.write_text(
        "title: Extra\nsummary: S\nblocks:\n  - name: A\n    steps:\n"
        "      - kind: hold\n        name: Figure-4\n        sides: each\n        duration: 30s\n"
        "        extra_set: tighter_side\n        tighter_by: seated-cross-legged\n"
    )
    settings = replace(make_settings(tmp_path, clock), routine_files=(routine,))
    app = TrainerApp(settings)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        assert app.core.store is not None and app.core.member is not None
        session_id = app.core.store.start_session(
            routine_id="left-right-check",
            digest="d",
            title="Left/right check",
            plan_size=3,
            started_at="2026-01-01T08:00:00",
            member_id=app.core.member.id,
        )
        app.core.store.record_check(
            session_id,
            test_id="seated-cross-legged",
            result="right-tighter",
            rating=None,
            at="2026-01-01T08:05:00",
            values=(("left", 2.0), ("right", 4.0)),
            unit="finger-widths",
        )
        app.start_session(app.core.find_routine(str(routine)))
        await pilot.pause()
        plan = app.screen.session.plan
        assert [(m.side, m.set_number) for m in plan if m.kind == "hold"] == [
            ("left", 1),
            ("right", 1),
            ("right", 2),
        ]
        assert plan.notes == (
            "Your right side was tighter on the seated cross legged check last time: "
            "one extra set on the right",
        )


async def test_the_session_line_shows_round_range_side_and_effort(tmp_path: Path, clock: FakeClock):

    settings = replace(make_settings(tmp_path, clock), routine_files=(COACH,))
    app = TrainerApp(settings, start_routine=str(COACH))
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.app.until_ready()
        await pilot.pause()
        await pilot.press("space")  # start the single-leg RDL, alternating, 8-10 reps
        await advance(pilot, app, clock, 4)  # past any lead-in, into the first reps
        await advance(pilot, app, clock, 4)
        line = app.screen.query_one("#phase").render().plain
        assert "Round 1/3" in line and "RPE 7" in line
        assert "(8 to 10 each side)" in line
        assert "LEFT " in line or "RIGHT " in line


async def test_numbers_per_side_may_be_typed(tmp_path: Path, clock: FakeClock):
    from trainer.adapters.store.database import SessionStore
    from trainer.engine.snapshot import SessionState

    settings = replace(make_settings(tmp_path, clock), routine_files=(RECHECK,))
    app = TrainerApp(settings, start_routine=str(RECHECK))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))  # after the paint
        session = app.screen.session
        await pilot.press("space", "space")  # start, left side done
        await advance(pilot, app, clock, 5)  # switch
        await pilot.press("space")  # right side done
        assert session.last.snapshot.state is SessionState.ANSWERING
        await pilot.press("1", "2", "0", "enter")  # over 100 cm: refused, kept to fix
        panel = app.screen.query_one("#answer").render().plain
        assert "\n120\n" in panel and "120 is outside 0.0 to 100.0" in panel
        app.save_screenshot(str(tmp_path / "typed.svg"))
        await pilot.press("backspace", "backspace", "full_stop", "5", "enter")  # 1.5
        await pilot.press("9", "enter")
        await pilot.press("3", "enter")  # knee pain
        await pilot.pause()
        summary = app.screen.query_one("#summary-text").render().plain
        assert (
            "Knee-to-wall ankle test: left tighter (Left 1.5 centimetres, Right 9.0 centimetres)"
            in summary
        )
    store = SessionStore.open(tmp_path / "history.sqlite3")
    knee, pain = store.checks()
    store.close()
    assert (knee.left_value, knee.right_value, pain.value) == (1.5, 9.0, 3.0)
