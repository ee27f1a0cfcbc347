"""The installed `trainer kiosk` in tmux, wired the way its systemd unit wires it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_e2e_terminal import ROUTINE, TRAINER, Terminal

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "hardware" / "trainer-kiosk.service"
PIN = "5790"

pytestmark = pytest.mark.e2e


def unit_wiring() -> dict[str, str]:
    """StandardInput/StandardOutput/StandardError as hardware/trainer-kiosk.service sets them."""
    found = re.findall(r"^(Standard(?:Input|Output|Error))=(\S+)", UNIT.read_text(), re.M)
    return dict(found)


def shell_redirects(wiring: dict[str, str], journal: Path) -> list[str]:
    """The unit's wiring in a shell: "tty" stays on the tmux pty, "journal" goes to a file."""
    redirects = []
    for fd, key in ((0, "StandardInput"), (1, "StandardOutput"), (2, "StandardError")):
        target = wiring.get(key, "inherit")
        if target == "tty":
            continue  # the pty tmux gives the command: the test's tty1
        if target == "journal":
            redirects.append(f"{fd}>>{journal}")
        else:
            raise AssertionError(f"the test does not know how to wire {key}={target}")
    return redirects


@pytest.fixture
def kiosk_env(tmp_path: Path) -> dict[str, str]:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "tiny.yaml").write_text(ROUTINE)
    config = tmp_path / "config.toml"
    config.write_text(
        '[engine]\nswitch_seconds = 1\n\n[audio]\nbackend = "silent"\n\n'
        f'[kiosk]\nadmin_pin = "{PIN}"\n'
    )
    return {
        "HOME": str(tmp_path),
        "TERM": "linux",  # as the unit sets it
        "LANG": "C.UTF-8",
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


def test_the_unit_wiring_shows_the_picker_and_keeps_the_journal_clean(
    kiosk_env, terminals, tmp_path
):
    wiring = unit_wiring()
    assert wiring == {
        "StandardInput": "tty",
        "StandardOutput": "tty",
        "StandardError": "journal",
    }
    journal = tmp_path / "journal.log"
    journal.touch()
    # What systemd sets when stderr is the journal: the kiosk then writes <N> priorities.
    info = journal.stat()
    env = {**kiosk_env, "JOURNAL_STREAM": f"{info.st_dev}:{info.st_ino}"}
    command = [str(TRAINER), "kiosk", "--pedal", "none", *shell_redirects(wiring, journal)]
    terminal = Terminal(command, env)
    terminals.append(terminal)
    screen = terminal.wait_for("Pick a routine")
    assert "Ankle release" in screen
    logged = journal.read_text()
    assert "<6>trainer.commands.kiosk: kiosk starting" in logged
    assert "\x1b" not in logged, "screen output leaked into the journal"
    assert len(logged) < 2000
    # Admin exit through the PIN: logged to the journal, never drawn over the screen.
    terminal.keys("F12")
    terminal.wait_for("Admin PIN")
    terminal.keys(*PIN, "Enter")
    terminal.wait_for("Kiosk admin")
    terminal.keys("1")
    screen = terminal.wait_for("TRAINER-EXIT=")
    assert "TRAINER-EXIT=0" in screen
    assert "kiosk starting" not in screen
    assert "kiosk stopped by the admin" in journal.read_text()


def test_the_kiosk_refuses_the_example_pin_on_screen_and_in_the_journal(
    kiosk_env, terminals, tmp_path
):
    config = Path(kiosk_env["TRAINER_CONFIG"])
    config.write_text(config.read_text().replace(PIN, "2468"))
    journal = tmp_path / "journal.log"
    command = [str(TRAINER), "kiosk", "--pedal", "none", f"2>>{journal}"]
    terminal = Terminal(command, kiosk_env)
    terminals.append(terminal)
    screen = terminal.wait_for("TRAINER-EXIT=")
    assert "TRAINER-EXIT=2" in screen
    flat = " ".join(screen.split())
    assert "the admin PIN is still the documented example (2468)" in flat
    assert "install.sh --pin DIGITS" in flat and "admin_pin" in flat
    assert "documented example" in journal.read_text()
    assert "Pick a routine" not in screen
