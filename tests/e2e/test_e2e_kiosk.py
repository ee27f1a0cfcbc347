"""The installed `trainer kiosk` in tmux, wired the way its systemd unit wires it."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from support.terminal import TRAINER, Terminal

from trainer.ui.screens.attract import HEADLINE

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
def kiosk_env(environment: dict[str, str]) -> dict[str, str]:
    config = Path(environment["TRAINER_CONFIG"])
    config.write_text(f'{config.read_text()}\n[kiosk]\nadmin_pin = "{PIN}"\n')
    return {**environment, "TERM": "linux", "LANG": "C.UTF-8"}  # as the unit sets them


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
    screen = terminal.wait_for(HEADLINE.upper())  # the attract screen lists the routines
    assert "Ankle release" in screen and "Tiny" in screen
    terminal.keys("Space")  # a tap: the picker
    screen = terminal.wait_for("Pick a routine")
    assert "Ankle release" in screen and "Training as a guest" in screen
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


def trainer_cli(env: dict[str, str], *words: str) -> None:
    subprocess.run([str(TRAINER), *words], env=env, check=True, capture_output=True)


def start_kiosk(env: dict[str, str], terminals: list[Terminal], size=(100, 30)) -> Terminal:
    terminal = Terminal([str(TRAINER), "kiosk", "--pedal", "none"], env, size=size)
    terminals.append(terminal)
    terminal.wait_for(HEADLINE.upper())
    return terminal


def scan_badge(terminal: Terminal, number: str) -> None:
    """What a USB badge reader does: the number and Enter in one burst (one tmux write)."""
    subprocess.run(
        ["tmux", *terminal.socket, "send-keys", "-t", terminal.name, number, "Enter"], check=True
    )


def finish_tiny(terminal: Terminal, *, member: bool = False) -> str:
    """Start the tiny routine from the picker and run it to the summary."""
    terminal.wait_for("Pick a routine")
    # Up from the first wraps round to the last: Tiny sorts last (a member's list
    # ends with the sign-out card, one more up).
    terminal.keys(*["k"] * (2 if member else 1))
    terminal.keys("Enter")
    terminal.wait_for("Tiny")
    for _ in range(25):  # a tap at a time (start, the instruction, holds) up to the question
        if "LEFT TIGHTER" in terminal.screen():
            break
        terminal.keys("Space")
        time.sleep(0.4)
    terminal.wait_for("LEFT TIGHTER")
    terminal.keys("2")
    return terminal.wait_for("Well done!")


def test_after_three_wrong_pins_the_right_one_waits_for_the_delay(kiosk_env, terminals):
    config = Path(kiosk_env["TRAINER_CONFIG"])
    config.write_text(config.read_text() + "pin_lockout_seconds = 4\n")
    terminal = start_kiosk(kiosk_env, terminals)
    terminal.keys("F12")
    terminal.wait_for("Admin PIN")
    for wrong in ("1111", "2222"):
        terminal.keys(*wrong, "Enter")
        terminal.wait_for("Wrong PIN")
    terminal.keys(*"3333", "Enter")
    terminal.wait_for("Wrong PIN (3 in a row): try again in 4 s")
    started = time.monotonic()
    terminal.keys(*PIN, "Enter")  # the right PIN, refused while locked
    screen = terminal.wait_for("Locked after 3 wrong PINs")
    assert "Kiosk admin" not in screen
    while time.monotonic() - started < 4.2:
        time.sleep(0.2)
    terminal.keys(*PIN, "Enter")
    terminal.wait_for("Kiosk admin")


def test_members_see_only_their_own_data_and_guests_none(kiosk_env, terminals):
    trainer_cli(kiosk_env, "members", "add", "Ana", "--code", "4821")
    trainer_cli(kiosk_env, "members", "add", "Ben", "--badge", "0004417723")
    terminal = start_kiosk(kiosk_env, terminals)

    # Member A signs in with her code, typed at a person's pace, and finishes a session.
    terminal.keys("4", "8", "2", "1", "Enter")
    screen = terminal.wait_for("Hello, Ana")
    summary = finish_tiny(terminal, member=True)
    assert "Knee to wall: even" in summary and "Ben" not in summary
    terminal.keys("Space")  # the summary's end signs her out
    screen = terminal.wait_for(HEADLINE.upper())
    assert "Ana" not in screen

    # Member B scans his badge: none of A's data anywhere.
    scan_badge(terminal, "0004417723")
    screen = terminal.wait_for("Hello, Ben")
    assert "Ana" not in screen
    assert "Tiny" in screen and "never" in screen  # nothing done yet, for Ben
    terminal.keys("h")
    history = terminal.wait_for("History")
    assert "no sessions yet" in history and "No left/right checks yet." in history
    assert "Tiny" not in history and "knee-to-wall" not in history
    terminal.keys("Space")
    summary = finish_tiny(terminal, member=True)
    assert "Knee to wall: even" in summary  # the check by its name, not its test id
    assert "last time" not in summary and "Ana" not in summary
    terminal.keys("Space")
    terminal.wait_for(HEADLINE.upper())

    # A guest: a tap, no sign-in, no history.
    terminal.keys("Space")
    screen = terminal.wait_for("Pick a routine")
    assert "Training as a guest" in screen and "Ana" not in screen and "Ben" not in screen
    terminal.keys("h")
    terminal.wait_for("Guests have no history")
    assert "History" not in terminal.screen().splitlines()[0]
