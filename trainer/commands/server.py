"""``trainer server init|add-kiosk|add-coach``: set up the fleet's PostgreSQL server.

Run these on (or against) the server machine with an owner's DSN: ``--dsn``, or
``$TRAINER_FLEET_DSN``, or libpq's own defaults (``PGHOST``, ``~/.pgpass``,
peer authentication on the local socket), so no password has to be typed on
a command line where the shell history would keep it.

* ``init`` creates or migrates the schema; running it again changes nothing.
* ``add-kiosk NAME`` creates the kiosk's role and prints its DSN, once: copy it
  to the kiosk with ``hardware/install.sh --server DSN``.
* ``add-coach NAME`` does the same for a coach (reads everything, publishes
  routine packs, assigns routines).
"""

from __future__ import annotations

import argparse
import os
import sys

from trainer.fleet.connection import FleetError, connect, redact
from trainer.fleet.dsn import DSN_ENV
from trainer.fleet.roles import RoleKind, add_role
from trainer.fleet.schema import init


def run(args: argparse.Namespace) -> int:
    # libpq's defaults (PGHOST, PGUSER, ~/.pgpass, peer auth) when nothing is given.
    dsn = args.dsn or os.environ.get(DSN_ENV) or ""
    try:
        with connect(dsn, purpose="server admin", autocommit=True) as connection:
            if args.server_command == "init":
                found, now = init(connection)
                where = redact(dsn) if dsn else "the default server"
                if found == now:
                    print(f"fleet schema is up to date (version {now}) at {where}")
                else:
                    print(f"fleet schema migrated from version {found} to {now} at {where}")
                return 0
            kind: RoleKind = "kiosk" if args.server_command == "add-kiosk" else "coach"
            role = add_role(
                connection,
                args.name,
                kind=kind,
                host=args.host,
                port=args.port,
                new_password=args.new_password,
            )
    except FleetError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    print(
        f"# {kind} {role.name!r} can now connect. This is the only time the password is shown;"
        f"\n# on the kiosk run: sudo hardware/install.sh --server '<the line below>'",
        file=sys.stderr,
    )
    print(role.dsn)
    return 0
