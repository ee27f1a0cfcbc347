"""The installed `trainer` command in a real terminal (tmux): keys in, screen text out."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from support.terminal import TRAINER, Terminal

from trainer.ui.widgets.big_word import big_word

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


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
    assert "Knee to wall: even" in screen  # the check by its name, not its test id
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
