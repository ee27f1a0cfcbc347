"""What `trainer run` and `trainer kiosk` share: settings, logging, clear config errors."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TextIO

from trainer import paths
from trainer.commands._console import journal_handler
from trainer.config import ConfigError
from trainer.ui.services import AppSettings


def app_settings(args: argparse.Namespace) -> AppSettings | None:
    """Settings from config, environment and flags; None after printing a clear error."""
    try:
        return AppSettings.from_args(args)
    except (ConfigError, ValueError) as error:
        print(f"trainer: {error}", file=sys.stderr)
        return None


def log_to_file(journal: TextIO | None = None) -> None:
    """Send log records to a file: anything written to the terminal would corrupt the TUI.

    ``journal`` (from :func:`trainer.commands._console.ui_on_terminal`) is the
    original stderr when it is not the screen: records at INFO and above go
    there too, so ``journalctl -u trainer-kiosk`` shows them.
    """
    folder = paths.state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(folder / "trainer.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    if journal is not None:
        root.addHandler(journal_handler(journal))
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
