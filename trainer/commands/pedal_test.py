"""``trainer pedal-test``: a live screen for checking the foot switch's wiring and timings.

It opens the pedal the way ``trainer run`` would (same config, environment and
``--pedal`` / ``--pin``), then lists raw edges, bounce, gestures and key names
until ``q`` or ``ctrl+c``. ``--pedal mock`` tries it without hardware; on a
machine without GPIO it still names the keys a USB foot pedal types.
"""

from __future__ import annotations

import argparse
import os
import sys

from trainer.adapters.pedal import KeyMap, PedalSettings
from trainer.config import ConfigError, ConfigProblem, load_config


def run(args: argparse.Namespace) -> int:
    """Run the pedal test; 0 when quit normally, 1 if the pin was unusable, 2 for bad settings."""
    try:
        config = load_config()
        problems: list[ConfigProblem] = []
        try:
            settings = PedalSettings.from_sources(config.section("pedal"), os.environ, args)
        except ConfigError as exc:
            problems.extend(exc.problems)
        try:
            keymap = KeyMap.from_config(config.section("keys"))
        except ConfigError as exc:
            problems.extend(exc.problems)
        if problems:  # both sections' mistakes at once
            raise ConfigError(problems, config.path)
    except ConfigError as exc:
        print(f"trainer pedal-test: {exc}", file=sys.stderr)
        return 2

    from trainer.commands._app_setup import stdin_problem

    problem = stdin_problem("pedal-test")
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    # Imported here so that a settings mistake is reported without starting Textual.
    from trainer.ui.screens.pedal_test import PedalTestApp

    app = PedalTestApp(settings, keymap)
    app.run()
    return app.return_code or 0
