"""``trainer coach``: the coach dashboard, in this terminal or (``--serve``) a browser.

``--serve`` runs textual-serve behind our own password login (textual-serve has
none) and listens on 127.0.0.1 unless ``--bind`` says otherwise. The password
comes from ``--password-file`` or ``$TRAINER_COACH_PASSWORD``; the DSN reaches
the dashboard processes through the environment, never their command line
(which ``ps`` shows to every user).
"""

from __future__ import annotations

import argparse
import os
import sys

from trainer.fleet.connection import FleetError, connect, require_dsn
from trainer.fleet.dsn import DSN_ENV

PASSWORD_ENV = "TRAINER_COACH_PASSWORD"


def run(args: argparse.Namespace) -> int:
    try:
        dsn = require_dsn(args.dsn)
        if args.serve:
            return _serve(args, dsn)
        connection = connect(dsn, purpose="coach")
    except FleetError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    from trainer.fleet.dashboard import Dashboard
    from trainer.ui.coach import CoachApp

    with connection:
        CoachApp(Dashboard(connection)).run()
    return 0


def _serve(args: argparse.Namespace, dsn: str) -> int:
    from trainer.fleet.serve import LoginServer, parse_bind, read_password

    try:
        host, port = parse_bind(args.bind)
        password = read_password(args.password_file, os.environ.get(PASSWORD_ENV))
    except FleetError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    connect(dsn, purpose="coach check").close()  # fail now, not in the browser
    os.environ[DSN_ENV] = dsn  # inherited by each browser session's dashboard process
    os.environ.pop(PASSWORD_ENV, None)  # ... which has no use for the login password
    command = f"{sys.executable} -m trainer coach"
    print(f"serving the coach dashboard on http://{args.bind}/ (Ctrl+C stops)", flush=True)
    LoginServer(command, password, host=host, port=port).serve()
    return 0
