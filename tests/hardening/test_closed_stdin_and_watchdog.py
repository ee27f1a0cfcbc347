"""A kiosk without a keyboard stops with a message; a hung UI stops pinging systemd.

The report: ``trainer kiosk </dev/null`` drew the picker, then used 77-100% CPU
forever. Now every full-screen command refuses a stdin that is not a terminal
(``/dev/null``, a pipe, a closed descriptor) at once. The unit's ``WatchdogSec=``
is served by pings from the app's event loop: here a real trainer in a
pseudo-terminal pings a real notify socket, and stops when the process is
frozen (SIGSTOP), the way a hung loop would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_helpers import Terminal

from trainer.adapters.systemd_notify import SystemdNotifier

KIOSK_CONFIG = '[kiosk]\nadmin_pin = "739146"\n'


def _trainer(*args: str, tmp_path: Path, stdin: object) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.toml"
    config.write_text(KIOSK_CONFIG)
    env = {
        **os.environ,
        "TRAINER_DATA_DIR": str(tmp_path / "data"),
        "TRAINER_CONFIG": str(config),
        "TERM": "xterm-256color",
    }
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=60,  # the bug: this never returned
        env=env,
    )


@pytest.mark.parametrize("command", ["kiosk", "run", "pedal-test"])
def test_dev_null_on_stdin_stops_at_once_with_a_message(tmp_path: Path, command: str) -> None:
    result = _trainer(command, "--pedal", "none", tmp_path=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert f"trainer {command}: standard input is not a terminal (/dev/null)" in output
    assert "StandardInput=tty" in output


def test_a_pipe_on_stdin_is_named(tmp_path: Path) -> None:
    result = _trainer("kiosk", "--pedal", "none", tmp_path=tmp_path, stdin=subprocess.PIPE)
    assert result.returncode == 2
    assert "standard input is not a terminal (a pipe)" in result.stdout + result.stderr


def test_a_closed_stdin_is_named(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(KIOSK_CONFIG)
    script = (
        "import os, sys; os.close(0); from trainer.cli import main; "
        "sys.exit(main(['kiosk', '--pedal', 'none']))"
    )
    env = {**os.environ, "TRAINER_DATA_DIR": str(tmp_path / "d"), "TRAINER_CONFIG": str(config)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 2
    assert "standard input is not a terminal" in result.stdout + result.stderr


# -- the watchdog ---------------------------------------------------------------------


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(0.2)
    try:
        yield sock, str(path)
    finally:
        sock.close()


def _received(sock: socket.socket, seconds: float) -> list[str]:
    messages = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(TimeoutError):
            messages.append(sock.recv(4096).decode())
    return messages


def test_the_notifier_speaks_systemds_protocol(notify_socket: tuple[socket.socket, str]) -> None:
    sock, path = notify_socket
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
    assert notifier.ping_interval == 15.0
    assert notifier.ready("picker") and notifier.ping()
    assert _received(sock, 0.5) == ["READY=1\nSTATUS=picker", "WATCHDOG=1"]


def test_an_abstract_socket_works_too() -> None:
    name = f"trainer-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        assert SystemdNotifier({"NOTIFY_SOCKET": "@" + name}).ping()
        assert sock.recv(100) == b"WATCHDOG=1"


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"WATCHDOG_USEC": "30000000"},  # no socket: nowhere to ping
        {"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "nan"},
        {"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "0"},
        {"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"},
        {"NOTIFY_SOCKET": "relative/path", "WATCHDOG_USEC": "30000000"},
    ],
)
def test_no_watchdog_without_a_usable_setting(environ: dict[str, str]) -> None:
    assert SystemdNotifier(environ).ping_interval is None


def test_a_running_trainer_pings_and_a_frozen_one_stops(
    tmp_path: Path, notify_socket: tuple[socket.socket, str]
) -> None:
    sock, path = notify_socket
    # 1 s timeout: a ping every 0.5 s (the process's own pid owns the watchdog).
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000"}
    terminal = Terminal("run", data=tmp_path / "data", env=env)
    try:
        first = _received(sock, 1.0)
        deadline = time.monotonic() + 60
        while "READY=1" not in first and time.monotonic() < deadline:
            first += _received(sock, 0.5)
        assert "READY=1" in first and "WATCHDOG=1" in first
        assert _received(sock, 2.0).count("WATCHDOG=1") >= 2  # pinging on its own
        terminal.process.send_signal(signal.SIGSTOP)  # a hung loop sends nothing
        _received(sock, 0.3)  # (a ping already in flight)
        assert _received(sock, 2.0) == []
        terminal.process.send_signal(signal.SIGCONT)
        assert "WATCHDOG=1" in _received(sock, 3.0)  # alive again: pinging again
    finally:
        terminal.kill()


def test_a_trainer_whose_terminal_goes_away_ends(tmp_path: Path) -> None:
    """A terminal closed under a running trainer (a test run killed, an ssh link
    dropped) hangs it up: it ends instead of living on with no screen."""
    terminal = Terminal("run", data=tmp_path / "data")
    try:
        deadline = time.monotonic() + 60
        while b"Quick demo" not in terminal.output and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"Quick demo" in terminal.output  # the picker is up
        terminal.hang_up()
        assert terminal.process.wait(timeout=30) == -signal.SIGHUP
    finally:
        terminal.kill()
