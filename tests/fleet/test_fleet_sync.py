"""Offline-first sync against a real server: nothing lost, nothing doubled, under faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fleet_helpers import FleetServer, Kiosk, assert_exactly_once, finished_session, sync, train
from fleet_pg import PgCluster

from trainer.adapters.store import SessionStore
from trainer.fleet.connection import Connection, FleetError
from trainer.fleet.dashboard import Dashboard
from trainer.fleet.sync import Backoff, SyncClient, SyncWorker

pytestmark = pytest.mark.postgres


def wait_for(condition: Any, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_one_pass_pushes_everything_and_the_next_pushes_nothing(
    fleet: FleetServer, tmp_path: Path
) -> None:
    kiosk = fleet.kiosk(tmp_path / "k1")
    with kiosk.open_store() as store:
        train(store, sessions=3, moments=5, checks=2)
        client = kiosk.client(store, batch_size=4)
        first = client.sync_once()
        second = client.sync_once()
        client.close()
    # A session is sent at its start and again when it ends (batches of 4 split them).
    assert first.pushed >= 3 + 15 + 6 and first.remaining == 0
    assert second.pushed == 0
    assert_exactly_once(fleet, kiosk)
    assert fleet.rows("SELECT DISTINCT status FROM fleet.sessions") == [("finished",)]


def test_server_down_for_a_whole_session_then_back(
    fleet: FleetServer, pg_cluster: PgCluster, tmp_path: Path
) -> None:
    kiosk = fleet.kiosk(tmp_path / "k1")
    passes: list[str] = []
    worker = SyncWorker(
        kiosk.dsn,
        kiosk.open_store,
        interval=0.05,
        backoff=Backoff(initial=0.05, cap=0.2),
        on_pass=lambda report, status: passes.append("ok" if report else "failed"),
    )
    pg_cluster.stop()
    try:
        worker.start()
        with kiosk.open_store() as store:
            train(store, sessions=2, moments=6)
        wait_for(lambda: worker.status.failures >= 3, what="failed passes while down")
        with kiosk.open_store() as store:
            assert store.outbox_size() > 0  # kept, not dropped
        assert "cannot reach the fleet server" in (worker.status.last_error or "")
    finally:
        pg_cluster.start()
    worker.nudge()
    wait_for(
        lambda: worker.status.last_error is None and worker.status.pending == 0, what="catch-up"
    )
    worker.stop()
    assert "failed" in passes and passes[-1] == "ok"
    assert_exactly_once(fleet, kiosk)


@pytest.mark.parametrize("stage", ["sessions", "moments", "checks", "commit"])
def test_connection_killed_mid_batch(fleet: FleetServer, tmp_path: Path, stage: str) -> None:
    kiosk = fleet.kiosk(tmp_path / "k1")
    killed: list[int] = []

    def kill_backend(at: str, connection: Connection) -> None:
        if at == stage and not killed:
            killed.append(connection.info.backend_pid)
            with psycopg.connect(fleet.admin_dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (killed[0],))

    with kiosk.open_store() as store:
        train(store, sessions=4, moments=3, checks=1)
        client = kiosk.client(store, batch_size=6, fault=kill_backend)
        with pytest.raises(FleetError, match="sync failed"):
            client.sync_once()
        assert killed
        # The killed batch was not acknowledged; the next pass reconnects and finishes.
        assert store.outbox_size() > 0
        client.sync_once()
        client.close()
    assert_exactly_once(fleet, kiosk)


class AcknowledgementLost:
    """A store whose first acknowledgement never happens: the server committed the batch,
    then the kiosk lost power before noting it, so the same batch goes again."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self.dropped: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def acknowledge(self, seqs: Iterable[int]) -> None:
        if not self.dropped:
            self.dropped.extend(seqs)
            raise OSError("power cut")
        self.store.acknowledge(seqs)


def test_the_same_batch_delivered_twice_is_stored_once(fleet: FleetServer, tmp_path: Path) -> None:
    kiosk = fleet.kiosk(tmp_path / "k1")
    with kiosk.open_store() as store:
        train(store, sessions=2, moments=4, checks=2)
        flaky = AcknowledgementLost(store)
        client = SyncClient(kiosk.dsn, flaky, batch_size=100)  # type: ignore[arg-type]
        with pytest.raises(OSError):
            client.sync_once()
        assert fleet.rows("SELECT count(*) FROM fleet.moments") == [(8,)]  # it did arrive
        report = client.sync_once()  # ... and arrives again
        client.close()
    assert report.pushed == 2 + 8 + 4
    assert_exactly_once(fleet, kiosk)


def test_a_kiosk_clock_a_day_off_loses_and_doubles_nothing(
    fleet: FleetServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead, behind = fleet.kiosk(tmp_path / "ahead"), fleet.kiosk(tmp_path / "behind")
    real_time = time.time
    for kiosk, days in ((ahead, 1), (behind, -1)):
        # The kiosk's whole wall clock is off: its timestamps and its ULIDs.
        monkeypatch.setattr(
            "trainer.adapters.store.ulid.time.time", lambda d=days: real_time() + d * 86400
        )
        with kiosk.open_store() as store:
            train(store, sessions=3, moments=3, day_offset=days)
    monkeypatch.setattr("trainer.adapters.store.ulid.time.time", real_time)
    for kiosk in (ahead, behind):
        sync(kiosk)
        sync(kiosk)
    assert_exactly_once(fleet, ahead, behind)
    # The kiosk's own times are kept; the server notes when it really received them.
    skew = fleet.rows(
        "SELECT kiosk, round(extract(epoch FROM avg(started_at - received_at)) / 86400)"
        " FROM fleet.sessions GROUP BY kiosk ORDER BY 2"
    )
    assert [days for _, days in skew] == [-1, 1]


def test_a_kiosk_killed_mid_sync_loses_and_doubles_nothing(
    fleet: FleetServer, tmp_path: Path
) -> None:
    kiosk = fleet.kiosk(tmp_path / "k1")
    with kiosk.open_store() as store:
        train(store, sessions=4, moments=8, checks=0)  # early batches: no checks
        train(store, sessions=6, moments=8, checks=1)
    # Hold the checks table: the kiosk blocks inside the first batch that has a check,
    # with the batches before it committed. Then it is killed there.
    admin = psycopg.connect(fleet.admin_dsn)
    admin.execute("LOCK TABLE fleet.checks IN EXCLUSIVE MODE")
    environment = {**os.environ, "TRAINER_FLEET_DSN": kiosk.dsn}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainer",
            "sync",
            "--batch",
            "9",
            "--data-dir",
            str(kiosk.data_dir),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with psycopg.connect(fleet.admin_dsn, autocommit=True) as watcher:
            wait_for(
                lambda: (
                    watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE application_name = 'trainer sync' AND wait_event_type = 'Lock'"
                    ).fetchone()
                    == (1,)
                ),
                what="the kiosk to block mid-batch",
            )
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        admin.rollback()
        admin.close()
    assert child.returncode == -signal.SIGKILL
    committed = fleet.rows("SELECT count(*) FROM fleet.sessions")[0][0]
    assert 0 < committed < 10  # killed part-way: some batches in, the rest not
    sync(kiosk)
    assert_exactly_once(fleet, kiosk)


def test_three_kiosks_training_and_syncing_at_once(fleet: FleetServer, tmp_path: Path) -> None:
    kiosks = [fleet.kiosk(tmp_path / f"k{number}") for number in range(3)]
    workers = [
        SyncWorker(
            kiosk.dsn, kiosk.open_store, interval=0.05, batch_size=7, backoff=Backoff(0.05, 0.2)
        )
        for kiosk in kiosks
    ]
    errors: list[BaseException] = []

    def train_members(kiosk: Kiosk) -> None:
        try:
            with kiosk.open_store() as store:
                for _ in range(8):
                    train(store, sessions=1, moments=6, checks=2)
                    time.sleep(0.01)
        except BaseException as error:  # reported in the main thread
            errors.append(error)

    for worker in workers:
        worker.start()
    trainers = [threading.Thread(target=train_members, args=(kiosk,)) for kiosk in kiosks]
    for thread in trainers:
        thread.start()
    for thread in trainers:
        thread.join(60)
    assert not errors
    for worker in workers:
        worker.nudge()
    for worker, kiosk in zip(workers, kiosks, strict=True):
        wait_for(lambda k=kiosk: _outbox(k) == 0, what="every kiosk's outbox to drain")
        worker.stop()
        assert worker.status.last_error is None
    assert_exactly_once(fleet, *kiosks)
    per_kiosk = fleet.rows("SELECT kiosk, count(*) FROM fleet.sessions GROUP BY kiosk")
    assert sorted(count for _, count in per_kiosk) == [8, 8, 8]


def _outbox(kiosk: Kiosk) -> int:
    with kiosk.open_store() as store:
        return store.outbox_size()


def test_backoff_doubles_up_to_its_cap_with_jitter() -> None:
    backoff = Backoff(initial=1.0, cap=8.0)
    delays = [backoff.next_delay() for _ in range(6)]
    for delay, base in zip(delays, [1, 2, 4, 8, 8, 8], strict=True):
        assert 0.8 * base <= delay <= 1.2 * base
    backoff.reset()
    assert backoff.next_delay() <= 1.2


def test_sync_command_without_a_server_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main

    assert main(["sync", "--data-dir", str(tmp_path)]) == 1
    assert "no fleet server configured" in capsys.readouterr().err


def test_check_numbers_reach_the_coach(fleet: FleetServer, tmp_path: Path) -> None:
    kiosk = fleet.kiosk(tmp_path / "k1")
    with kiosk.open_store() as store:
        sam = store.roster.add("Sam", created_at="2026-01-01T10:00:00+00:00")
        finished_session(
            store,
            sam.id,
            "2026-01-02T10:00:00+00:00",
            checks=[
                {
                    "test_id": "knee-to-wall",
                    "result": "left-tighter",
                    "values": [("left", 7.5), ("right", 9.0)],
                    "unit": "cm",
                    "answer": "Left 7.5 centimetres, Right 9 centimetres",
                },
                {
                    "test_id": "knee-pain",
                    "result": "even",
                    "at": "2026-01-02T10:06:00+00:00",
                    "values": [("", 3.0)],
                    "unit": "score",
                    "answer": "3",
                },
            ],
        )
    sync(kiosk)
    assert fleet.rows(
        "SELECT test_id, left_value, right_value, value, unit FROM fleet.checks ORDER BY at"
    ) == [("knee-to-wall", 7.5, 9.0, None, "cm"), ("knee-pain", None, None, 3.0, "score")]
    with psycopg.connect(fleet.add("coach")) as coach:
        page = Dashboard(coach).member_page(sam.uid)
    assert [score for _, score in page.pain] == [3]
    point = page.checks["knee-to-wall"][0]
    assert (point.left_value, point.right_value, point.unit) == (7.5, 9.0, "cm")


def test_sync_command_one_pass_reports_what_it_did(
    fleet: FleetServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main

    kiosk = fleet.kiosk(tmp_path / "k1")
    with kiosk.open_store() as store:
        train(store, sessions=1, moments=2, checks=1)
    assert main(["sync", "--dsn", kiosk.dsn, "--data-dir", str(kiosk.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "pushed 4 rows in 1 batch; 0 waiting" in out
    assert "password" not in out
    assert_exactly_once(fleet, kiosk)
