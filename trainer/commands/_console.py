"""Where the full-screen UI draws, and where messages for the journal go.

Textual draws the whole screen on the process's *stderr* (``sys.__stderr__``).
That is right in a terminal, where stdin, stdout and stderr are all the same
tty. Under systemd (``hardware/trainer-kiosk.service``) they are not: stdin and
stdout are tty1 while stderr is the journal, so the screen stayed blank and
the journal filled with escape codes.

:func:`ui_on_terminal` sorts this out before the app starts:

* when stderr is a terminal, nothing changes (the usual case at home);
* when stderr is *not* a terminal but stdout or stdin is, Textual is pointed at
  that terminal, and the original stderr is handed back as the *journal*: the
  stream for log records, tracebacks and anything a C library prints. Nothing
  meant for the journal ever reaches the screen, and no screen output reaches
  the journal.

Under systemd (``$JOURNAL_STREAM`` names our stderr) each line gets a
``<N>`` syslog priority prefix, which journald turns into the entry's priority
(``journalctl -p warning`` then works); elsewhere (``2>file``) lines are
time-stamped instead.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

#: logging level -> syslog priority (journald reads a leading ``<N>``).
_PRIORITIES = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}


@contextmanager
def ui_on_terminal() -> Iterator[TextIO | None]:
    """Point Textual at the terminal; yield the journal stream (None if stderr is the screen).

    The original ``sys.__stderr__`` is restored on exit.
    """
    original = sys.__stderr__
    if original is None or _isatty(original):
        yield None
        return
    screen = _open_terminal()
    if screen is None:  # no terminal at all: Textual will say so itself
        yield original
        return
    setattr(sys, "__stderr__", screen)  # noqa: B010  (typeshed marks it Final)
    try:
        yield original
    finally:
        setattr(sys, "__stderr__", original)  # noqa: B010
        with suppress(OSError):
            screen.close()


def journal_handler(journal: TextIO) -> logging.Handler:
    """A logging handler writing one line per record to the journal stream."""
    handler = logging.StreamHandler(journal)
    if _is_journal(journal):
        handler.setFormatter(_JournalFormatter("%(name)s: %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


class _JournalFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        priority = _PRIORITIES.get(record.levelno, 6)
        # One journal entry per line: continuation lines (tracebacks) keep the priority.
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())


def _isatty(stream: TextIO) -> bool:
    try:
        return os.isatty(stream.fileno())
    except (OSError, ValueError):
        return False


def _open_terminal() -> TextIO | None:
    """A new text stream on the terminal of stdout (or, failing that, stdin)."""
    for fd in (1, 0):
        try:
            if not os.isatty(fd):
                continue
            # stdin may be open read-only: open its terminal afresh for writing.
            out = os.dup(fd) if fd == 1 else os.open(os.ttyname(fd), os.O_WRONLY | os.O_NOCTTY)
        except OSError:
            continue
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        return io.TextIOWrapper(
            io.FileIO(out, "w"), encoding=encoding, errors="backslashreplace", line_buffering=True
        )
    return None


def _is_journal(stream: TextIO) -> bool:
    """True when ``stream`` is the journald stream systemd connected (``$JOURNAL_STREAM``)."""
    expected = os.environ.get("JOURNAL_STREAM", "")
    device, _, inode = expected.partition(":")
    try:
        info = os.fstat(stream.fileno())
        return (str(info.st_dev), str(info.st_ino)) == (device, inode)
    except (OSError, ValueError):
        return False
