"""The installed `trainer` command in a real terminal (tmux): keys in, screen text out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from trainer.ui.widgets.big_word import big_word

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

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


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "tiny.yaml").write_text(ROUTINE)
    config = tmp_path / "config.toml"
    config.write_text('[engine]\nswitch_seconds = 1\n\n[audio]\nbackend = "silent"\n')
    return {
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "TRAINER_DATA_DIR": str(tmp_path / "data"),
        "TRAINER_ROUTINES_DIR": str(routines),
        "TRAINER_CONFIG": str(config),
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.fixture
def terminals():
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def test_a_short_routine_runs_to_the_summary(environment, terminals):
    terminal = Terminal([str(TRAINER), "run", "--pedal", "none", "tiny"], environment)
    terminals.append(terminal)
    terminal.wait_for("tap to start")
    terminal.wait_for("Tap when you are set.")  # the opening instruction, shown while ready
    terminal.keys("Space")  # one tap starts, past it: the hold, left side first
    terminal.wait_for(big_word("left").splitlines()[0])  # the side badge, in block letters
    terminal.wait_for(big_word("right").splitlines()[0], timeout=10)  # 2 s hold, 1 s switch
    # The check itself (moment 5 of 6), not "Next: Knee to wall" under the hold.
    screen = terminal.wait_for("Check  ·  5/6", timeout=15)
    assert "Traceback" not in screen
    # A tap in the lead-in (name, "three, two, one, go") means go now; the next
    # one is done. (If the lead-in was already over, the second tap moves the
    # answer's highlight instead, which the "2" below overrides.)
    terminal.keys("Space")
    terminal.keys("Space")
    terminal.wait_for("Which side felt tighter?")
    terminal.wait_for("LEFT TIGHTER")
    terminal.keys("2")  # even
    screen = terminal.wait_for("Well done!")
    assert "knee-to-wall: even" in screen
    terminal.keys("Space")
    terminal.wait_for("Pick a routine")
    terminal.keys("C-q")
    assert "TRAINER-EXIT=0" in terminal.wait_for("TRAINER-EXIT=")


def test_kiosk_ignores_exit_keys_until_the_admin_pin(environment, terminals):
    config = Path(environment["TRAINER_CONFIG"])
    config.write_text(config.read_text() + '\n[kiosk]\nadmin_pin = "5790"\n')
    terminal = Terminal([str(TRAINER), "kiosk", "--pedal", "none"], environment)
    terminals.append(terminal)
    terminal.wait_for("STEP ON THE PEDAL TO START")
    terminal.keys("Space")  # a guest
    terminal.wait_for("Pick a routine")
    terminal.keys("C-c", "q", "C-q", "C-z", "C-\\", "C-d")
    time.sleep(1)
    screen = terminal.screen()
    assert "Pick a routine" in screen and "TRAINER-EXIT" not in screen
    terminal.keys("F12")
    terminal.wait_for("Admin PIN")
    terminal.keys("5", "7", "9", "0", "Enter")
    terminal.wait_for("Kiosk admin")
    terminal.keys("1")
    assert "TRAINER-EXIT=0" in terminal.wait_for("TRAINER-EXIT=")
