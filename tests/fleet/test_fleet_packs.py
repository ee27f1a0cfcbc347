"""Routine packs: publish checks everything first; kiosks swap packs atomically."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
from fleet_helpers import FleetServer

from trainer.cli import main
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.settings import EngineSettings
from trainer.fleet.packs import PackError, PackFolder, pack_digest
from trainer.fleet.sync import Backoff, SyncWorker
from trainer.routine.catalog import load_catalog

pytestmark = pytest.mark.postgres


def routine(title: str, step: str) -> str:
    return textwrap.dedent(
        f"""\
        title: {title}
        summary: A coach's routine.
        blocks:
          - name: Main
            steps:
              - kind: hold
                name: {step}
                duration: 20s
              - use: calf-wall-stretch
                duration: 40s
        """
    )


def write_pack(folder: Path, title: str = "Coach squat", step: str = "Wall sit") -> Path:
    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    (folder / "coach-squat.yaml").write_text(routine(title, step))
    (folder / "exercises" / "coach.yaml").write_text(
        "exercises:\n  coach-hinge:\n    kind: hold\n    name: Coach hinge\n    duration: 20s\n"
    )
    return folder


def test_publish_refuses_a_folder_with_any_problem_and_uploads_nothing(
    fleet: FleetServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    coach = fleet.add("coach")
    folder = write_pack(tmp_path / "pack")
    (folder / "broken.yaml").write_text(
        "title: Broken\nblocks:\n  - name: x\n    steps: [{kind: hold}]\n"
    )
    assert main(["publish", str(folder), "--dsn", coach]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "not published" in err
    assert fleet.rows("SELECT count(*) FROM fleet.packs") == [(0,)]


def test_publish_versions_packs_and_skips_an_unchanged_folder(
    fleet: FleetServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    coach = fleet.add("coach")
    folder = write_pack(tmp_path / "pack")
    assert main(["publish", str(folder), "--dsn", coach]) == 0
    assert "routine pack 1" in capsys.readouterr().out
    assert main(["publish", str(folder), "--dsn", coach]) == 0
    assert "unchanged since routine pack 1" in capsys.readouterr().out
    write_pack(folder, title="Coach squat, harder")
    assert main(["publish", str(folder), "--dsn", coach]) == 0
    assert "routine pack 2" in capsys.readouterr().out
    files = fleet.rows("SELECT files FROM fleet.packs WHERE version = 2")[0][0]
    assert set(files) == {"coach-squat.yaml", "exercises/coach.yaml"}  # YAML + library
    assert "harder" in files["coach-squat.yaml"]


def test_a_kiosk_may_not_publish(
    fleet: FleetServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kiosk = fleet.add("kiosk")
    assert main(["publish", str(write_pack(tmp_path / "pack")), "--dsn", kiosk]) == 1
    assert "may not publish" in capsys.readouterr().err


def test_kiosk_picks_up_new_packs_swaps_atomically_and_keeps_the_last_good_one(
    fleet: FleetServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach, kiosk = fleet.add("coach"), fleet.kiosk(tmp_path / "kiosk")
    monkeypatch.setenv("TRAINER_DATA_DIR", str(kiosk.data_dir))
    packs = PackFolder(kiosk.data_dir / "packs")
    folder = write_pack(tmp_path / "pack")
    assert main(["publish", str(folder), "--dsn", coach]) == 0

    worker = SyncWorker(
        kiosk.dsn,
        kiosk.open_store,
        open_packs=lambda: packs,
        interval=0.1,
        backoff=Backoff(0.1, 0.5),
    )
    worker.start()
    try:
        wait_until(lambda: packs.installed_version() == 1)
        running = load_catalog().find("coach-squat")  # default folders include the pack
        assert running is not None and running.routine.title == "Coach squat"
        session = Session(build_plan(running), EngineSettings())
        session.greeting(0.0)

        # A new pack arrives mid-session.
        write_pack(folder, title="Coach squat v2", step="Split squat")
        assert main(["publish", str(folder), "--dsn", coach]) == 0
        wait_until(lambda: packs.installed_version() == 2)
        assert load_catalog().find("coach-squat").routine.title == "Coach squat v2"  # type: ignore[union-attr]
        # ... the running session keeps the routine it started with.
        assert session.snapshot(1.0).moment.title == "Wall sit"
        assert (kiosk.data_dir / "packs" / "v1" / "coach-squat.yaml").exists()  # kept

        # A pack the kiosk finds broken (published around the checks) is refused.
        bad = {"coach-squat.yaml": "title: [unclosed\n"}
        with psycopg.connect(fleet.admin_dsn) as owner:
            owner.execute(
                "INSERT INTO fleet.packs (digest, files) VALUES (%s, %s)",
                (pack_digest(bad), json.dumps(bad)),
            )
        wait_until(lambda: "pack 3 refused" in (worker.status.pack_problem or ""))
        assert worker.status.last_error is None  # sessions still sync
        assert packs.installed_version() == 2
        assert load_catalog().find("coach-squat").routine.title == "Coach squat v2"  # type: ignore[union-attr]
    finally:
        worker.stop()
    assert sorted(path.name for path in (kiosk.data_dir / "packs").iterdir()) == [
        "current",
        "v1",
        "v2",
    ]


def test_a_pack_with_unsafe_paths_is_refused(tmp_path: Path) -> None:
    from trainer.fleet.packs import Pack

    files = {"../escape.yaml": "title: x"}
    with pytest.raises(PackError, match="unsafe file name"):
        PackFolder(tmp_path / "packs").install(Pack(1, pack_digest(files), files))
    assert not (tmp_path / "escape.yaml").exists()


def wait_until(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
