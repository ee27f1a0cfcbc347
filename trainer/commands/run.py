"""``trainer run [ROUTINE]`` (and plain ``trainer``): the trainer for one person."""

from __future__ import annotations

import argparse

from trainer.commands._app_setup import app_settings, log_to_file
from trainer.ui.app import TrainerApp


def run(args: argparse.Namespace) -> int:
    settings = app_settings(args)
    if settings is None:
        return 2
    log_to_file()
    result = TrainerApp(settings, start_routine=args.routine).run()
    return result or 0
