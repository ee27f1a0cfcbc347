"""``trainer sync``: push this box's history to the fleet server and pull packs.

One pass by default (exit 1, with the reason, when the server cannot be
reached: nothing is lost, the next pass sends it); ``--watch`` keeps going,
backing off while the server is down. The trainer itself runs the same sync on
its own thread when a fleet server is configured.
"""

from __future__ import annotations

import argparse
import sys
import time

from trainer import paths
from trainer.adapters.store import SessionStore, StoreError, default_database_path
from trainer.fleet.connection import FleetError, redact, require_dsn
from trainer.fleet.packs import PackFolder
from trainer.fleet.sync import SyncClient, SyncReport, SyncStatus, SyncWorker


def run(args: argparse.Namespace) -> int:
    try:
        dsn = require_dsn(args.dsn)
    except FleetError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    database = default_database_path(getattr(args, "data_dir", None))
    packs = PackFolder(paths.packs_dir())
    if args.watch:
        print(f"syncing with {redact(dsn)} every {args.interval:g} s; Ctrl+C stops")
        worker = SyncWorker(
            dsn,
            lambda: SessionStore.open(database),
            open_packs=lambda: packs,
            interval=args.interval,
            batch_size=args.batch,
            on_pass=_print_pass,
        )
        worker.run_in_this_thread()
        return 0
    try:
        store = SessionStore.open(database)
    except StoreError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    client = SyncClient(dsn, store, packs=packs, batch_size=args.batch)
    try:
        report = client.sync_once()
    except FleetError as error:
        print(f"trainer: {error}", file=sys.stderr)
        print(f"{store.outbox_size()} rows wait for the next sync", file=sys.stderr)
        return 1
    finally:
        client.close()
        store.close()
    print(_describe(report))
    return 0


def _describe(report: SyncReport) -> str:
    pack = f"; installed routine pack {report.pack_version}" if report.pack_version else ""
    pack += f"; refused a routine pack: {report.pack_problem}" if report.pack_problem else ""
    pack += f"; {report.members_added} members from other kiosks" if report.members_added else ""
    return (
        f"pushed {report.pushed} rows in {report.batches} "
        f"batch{'' if report.batches == 1 else 'es'}; "
        f"{report.remaining} waiting; {report.assignments} assignments{pack}"
    )


def _print_pass(report: SyncReport | None, status: SyncStatus) -> None:
    stamp = time.strftime("%H:%M:%S")
    if report is None:
        print(f"{stamp} {status.last_error} (try {status.failures})", flush=True)
    elif report.pushed or report.pack_version:
        print(f"{stamp} {_describe(report)}", flush=True)
