"""``trainer run [ROUTINE]`` (and plain ``trainer``): the trainer for one person."""

from __future__ import annotations

import argparse

from trainer.commands._app_setup import app_settings, log_to_file
from trainer.commands._console import ui_on_terminal
from trainer.ui.app import TrainerApp


def run(args: argparse.Namespace) -> int:
    settings = app_settings(args)
    if settings is None:
        return 2
    with ui_on_terminal() as journal:
        log_to_file(journal)
        result = TrainerApp(settings, start_routine=args.routine).run()
    return result or 0
