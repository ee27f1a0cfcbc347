"""A real ``trainer`` command in a pseudo-terminal, for tests of whole processes."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import threading
from pathlib import Path


class Terminal:
    """A real ``trainer`` command in a pseudo-terminal, its screen output drained."""

    def __init__(self, *args: str, data: Path, env: dict[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm-256color", "TRAINER_DATA_DIR": str(data), **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "trainer", *args, "--pedal", "none", "--mute"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # The pty becomes the process's controlling terminal, as a real
            # terminal or systemd's tty is: if this test run is killed before
            # kill() runs, the closed pty hangs the process up and it ends,
            # instead of living on with no terminal (Textual then spins).
            preexec_fn=_take_controlling_terminal,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._stop_reading = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        # Never blocked in read() for long: closing a descriptor another thread is
        # reading does not release it, so the pty would not hang up (see hang_up).
        while not self._stop_reading.is_set():
            if not select.select([self.master], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def hang_up(self) -> None:
        """Close the terminal, as a killed terminal emulator or a dropped ssh link does."""
        self._stop_reading.set()
        self._reader.join()
        os.close(self.master)
        self.master = -1

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        if self.master >= 0:
            self.hang_up()


def _take_controlling_terminal() -> None:
    # Runs in the child after setsid (start_new_session); stdin is the pty.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # A hang-up ends the trainer as it would from a login or systemd, even when the
    # test run itself ignores SIGHUP (under nohup, which exec passes on).
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
