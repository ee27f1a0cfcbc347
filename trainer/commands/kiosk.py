"""``trainer kiosk``: the trainer for an unattended gym floor.

The app itself never exits on a key or a bug (see :class:`~trainer.ui.kiosk.KioskApp`);
should it stop anyway without the admin asking, this loop starts it again, so
the box never drops to a shell. systemd's ``Restart=always`` is the last line.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from trainer import paths
from trainer.adapters.store.pin_file import PIN_FILE_NAME
from trainer.commands._app_setup import (
    DATA_DIR_BUSY,
    app_settings,
    hold_data_dir,
    log_to_file,
    stdin_problem,
)
from trainer.commands._console import ui_on_terminal
from trainer.core.admin_pin import AdminPin
from trainer.core.settings import AppSettings
from trainer.ui.kiosk import KioskApp

log = logging.getLogger(__name__)
RESTART_PAUSE_SECONDS = 2.0


def run(args: argparse.Namespace) -> int:
    settings = app_settings(args)
    if settings is None:
        return 2
    lock = hold_data_dir(settings)  # held across the restarts below
    if lock is None:
        return DATA_DIR_BUSY
    with lock, ui_on_terminal() as journal:
        log_to_file(journal)
        refusal = pin_refusal(settings)
        if refusal is not None:
            # On the screen for whoever stands at the box, and in the journal.
            print(refusal, file=sys.__stderr__, flush=True)
            log.error(refusal)
            return 2
        problem = stdin_problem("kiosk")
        if problem is not None:
            print(problem, file=sys.__stderr__, flush=True)
            log.error(problem)
            return 2
        log.info("kiosk starting")
        return _run_until_admin_exit(settings)


def pin_refusal(settings: AppSettings) -> str | None:
    """Why the kiosk must not start with its admin PIN, and how to set one; None if it may."""
    admin_pin = AdminPin(settings.kiosk.admin_pin, settings.database_path.parent / PIN_FILE_NAME)
    problem = admin_pin.problem()
    if problem is None:
        return None
    return (
        f"trainer kiosk: {problem}; the kiosk will not start without its own admin PIN.\n"
        "Set one (4 to 12 digits) with\n"
        "    sudo bash /opt/trainer/src/hardware/install.sh --pin DIGITS\n"
        "(or run install.sh without --pin: it picks a random PIN and prints it once),\n"
        f'or write  admin_pin = "DIGITS"  under [kiosk] in {paths.config_file()},\n'
        "then: sudo systemctl restart trainer-kiosk"
    )


def _run_until_admin_exit(settings: AppSettings) -> int:
    while True:
        app = KioskApp(settings)
        try:
            app.run()
        except Exception:
            log.exception("kiosk app crashed; starting it again")
        if app.admin_exited:
            log.info("kiosk stopped by the admin")
            return 0
        log.error("kiosk app stopped without the admin; starting it again")
        time.sleep(RESTART_PAUSE_SECONDS)
