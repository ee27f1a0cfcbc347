"""``trainer publish DIR``: check a routine folder and publish it as the next pack.

Every file is checked first, as ``trainer validate`` does; on any problem the
problems are listed and nothing is uploaded (exit 1). Kiosks pick the new pack
up on their next sync (within a minute) and switch to it atomically.
"""

from __future__ import annotations

import argparse
import sys

from trainer.fleet.connection import FleetError, connect, require_dsn
from trainer.fleet.packs import PackError, publish


def run(args: argparse.Namespace) -> int:
    try:
        dsn = require_dsn(args.dsn)
        with connect(dsn, purpose="publish") as connection:
            version, is_new = publish(connection, args.folder)
    except PackError as error:
        print(error, file=sys.stderr)
        print(f"trainer: not published: fix the problems in {args.folder} first", file=sys.stderr)
        return 1
    except FleetError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    if is_new:
        print(f"published {args.folder} as routine pack {version}")
    else:
        print(f"{args.folder} is unchanged since routine pack {version}: nothing published")
    return 0
