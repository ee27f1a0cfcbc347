"""The installed ``trainer`` command in a real terminal: a tmux session per command."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

TRAINER = Path(sys.executable).with_name("trainer")

ROUTINE = """\
title: Tiny
summary: A few seconds, for the terminal test.
blocks:
  - name: Release
    steps:
      - {kind: instruction, name: Ready, text: Tap when you are set.}
      - {kind: hold, name: Calf stretch, duration: 2s, sides: each}
  - name: Check
    steps:
      - {kind: check, name: Knee to wall, test: knee-to-wall, sides: both}
"""


class Terminal:
    """One tmux session running a command, 80x24 unless told otherwise."""

    def __init__(self, command: list[str], env: dict[str, str], size=(80, 24)) -> None:
        self.name = f"trainer-e2e-{uuid.uuid4().hex[:8]}"
        self.socket = ["-L", self.name]  # a private tmux server per test
        env_args = [f"{key}={value}" for key, value in env.items()]
        shell = " ".join(["env", *env_args, *command]) + "; echo TRAINER-EXIT=$?; sleep 30"
        subprocess.run(
            [
                "tmux",
                *self.socket,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                shell,
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", *self.socket, "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", *self.socket, "kill-server"], check=False, capture_output=True)
