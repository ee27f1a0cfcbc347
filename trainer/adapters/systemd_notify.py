"""systemd's notify protocol, standard library only: "ready" and the watchdog ping.

Under ``hardware/trainer-kiosk.service`` (``WatchdogSec=``), systemd passes
``$NOTIFY_SOCKET`` (a Unix datagram socket; a leading ``@`` means the abstract
namespace) and ``$WATCHDOG_USEC``. The app sends ``WATCHDOG=1`` from a timer on
its own event loop, at half the timeout, so if the UI hangs the pings stop and
systemd kills and restarts the kiosk. Outside systemd (no variables) every
call is a no-op. See sd_notify(3) and systemd.service(5).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Mapping


class SystemdNotifier:
    """Sends notify messages to ``$NOTIFY_SOCKET``; silent when there is none."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        self.address = _socket_address(environ.get("NOTIFY_SOCKET", ""))
        self.watchdog_seconds = _watchdog_seconds(environ)
        self.sent: list[str] = []  # what was sent (tests)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_interval(self) -> float | None:
        """How often to ping: half the watchdog timeout, as sd_watchdog_enabled(3) advises."""
        if self.address is None or self.watchdog_seconds is None:
            return None
        return self.watchdog_seconds / 2

    def notify(self, message: str) -> bool:
        """Send ``message`` (e.g. ``READY=1``); False when there is nowhere to send it."""
        if self.address is None:
            return False
        with (
            contextlib.suppress(OSError),
            socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock,
        ):
            sock.connect(self.address)
            sock.sendall(message.encode("utf-8"))
            self.sent.append(message)
            return True
        return False

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")


def _socket_address(value: str) -> str | None:
    if not value or value[0] not in "/@":
        return None
    return "\0" + value[1:] if value[0] == "@" else value


def _watchdog_seconds(environ: Mapping[str, str]) -> float | None:
    try:
        microseconds = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    owner = environ.get("WATCHDOG_PID")
    if owner and owner != str(os.getpid()):
        return None  # meant for another process (we are a child of the service)
    return microseconds / 1_000_000 if microseconds > 0 else None
