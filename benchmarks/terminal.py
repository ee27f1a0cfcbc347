"""Running programs in a real terminal: a private tmux server, read back with capture-pane.

Startup and idle cost are measured on the app as a person runs it, drawing
into a real terminal (tmux's), not headless. The server has its own socket
(``tmux -L``), so it never touches anyone's tmux sessions, and :meth:`Tmux.close`
ends it (and everything still running in it).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


class Tmux:
    """A tmux server of our own; each program runs in a session named by the caller."""

    def __init__(self, socket: str = f"trainer-bench-{os.getpid()}", size=(100, 32)) -> None:
        self.socket = socket
        self.width, self.height = size
        # Start the server now, so no launch measured later pays for it.
        self.start("keepalive", ["sleep", "3600"])

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def start(
        self, session: str, command: Sequence[str], env: Mapping[str, str] | None = None
    ) -> None:
        """Run ``command`` in a new detached session; the pane's process *is* the command."""
        assignments = [f"{key}={value}" for key, value in (env or {}).items()]
        line = "exec " + shlex.join(["env", *assignments, *command])
        self._tmux(
            "new-session", "-d", "-s", session, "-x", str(self.width), "-y", str(self.height), line
        )

    def capture(self, session: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", session)

    def wait_for(self, session: str, text: str, timeout: float = 30.0) -> bool:
        """Poll the screen until ``text`` shows; False on timeout."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.capture(session):
                return True
            time.sleep(0.002)
        return False

    def pane_pid(self, session: str) -> int:
        return int(self._tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def send_keys(self, session: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", session, *keys)

    def kill(self, session: str) -> None:
        self._tmux("kill-session", "-t", session)

    def close(self) -> None:
        self._tmux("kill-server")

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def run_child(
    tmux: Tmux, session: str, script: str, args: Sequence[str], out: Path, timeout: float
) -> Any:
    """Run a benchmark ``script`` in a tmux pane; return the JSON it wrote to ``out``.

    The script is a benchmark module run as a program (with ``args``): it runs
    the app in the pane's terminal and writes its findings before it exits.
    """
    home = str(out.parent)
    tmux.start(
        session, [sys.executable, script, *args], env={"HOME": home, "XDG_CONFIG_HOME": home}
    )
    deadline = time.monotonic() + timeout
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    screen = tmux.capture(session)
    tmux.kill(session)
    if not out.exists():
        raise RuntimeError(f"{Path(script).name} {' '.join(args)} wrote no result:\n{screen}")
    return json.loads(out.read_text(encoding="utf-8"))
