"""trainer.commands._console: the journal gets log lines (with priorities under systemd)."""

from __future__ import annotations

import io
import logging
import os
import sys
from pathlib import Path

import pytest

from trainer.commands._console import journal_handler, ui_on_terminal


def _log_through(handler: logging.Handler) -> None:
    logger = logging.getLogger("trainer.test-console")
    logger.propagate = False
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    try:
        logger.info("kiosk starting")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("it broke")
    finally:
        logger.handlers.clear()


def test_under_systemd_every_line_carries_its_syslog_priority(tmp_path, monkeypatch):
    path = tmp_path / "journal"
    with path.open("w") as journal:
        info = os.fstat(journal.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{info.st_dev}:{info.st_ino}")
        _log_through(journal_handler(journal))
    lines = path.read_text().splitlines()
    assert lines[0] == "<6>trainer.test-console: kiosk starting"
    assert lines[1] == "<3>trainer.test-console: it broke"
    assert all(line.startswith("<3>") for line in lines[1:])
    assert any("ValueError: boom" in line for line in lines)


def test_a_plain_file_gets_time_stamped_lines(monkeypatch):
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    stream = io.StringIO()
    _log_through(journal_handler(stream))
    first = stream.getvalue().splitlines()[0]
    assert first.endswith("INFO trainer.test-console: kiosk starting")
    assert not first.startswith("<")


def test_without_any_terminal_textual_keeps_stderr(monkeypatch, tmp_path: Path):
    # pytest captures stdout and stderr: neither is a terminal here.
    if os.isatty(0) or os.isatty(1):
        pytest.skip("runs only without a terminal")
    before = sys.__stderr__
    with ui_on_terminal() as journal:
        assert sys.__stderr__ is before
        assert journal is before
    assert sys.__stderr__ is before
