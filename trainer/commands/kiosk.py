"""``trainer kiosk``: the trainer for an unattended gym floor.

The app itself never exits on a key or a bug (see :class:`~trainer.ui.app.KioskApp`);
should it stop anyway without the admin asking, this loop starts it again, so
the box never drops to a shell. systemd's ``Restart=always`` is the last line.
"""

from __future__ import annotations

import argparse
import logging
import time

from trainer.commands._app_setup import app_settings, log_to_file
from trainer.commands._console import ui_on_terminal
from trainer.ui.app import KioskApp
from trainer.ui.services import AppSettings

log = logging.getLogger(__name__)
RESTART_PAUSE_SECONDS = 2.0


def run(args: argparse.Namespace) -> int:
    settings = app_settings(args)
    if settings is None:
        return 2
    with ui_on_terminal() as journal:
        log_to_file(journal)
        log.info("kiosk starting")
        return _run_until_admin_exit(settings)


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
