"""An admin PIN changed on the kiosk's admin screen, kept (hashed) in the data folder.

The config file (``/etc/trainer/config.toml`` on an installed kiosk) is not
writable by the kiosk, so a PIN changed on the admin screen is written to
``admin-pin`` in the data folder instead, and from then on it is the PIN.
``hardware/install.sh --pin`` writes a PIN into the config and removes this file.

The file holds ``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (hex), never the PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from trainer import paths

PIN_FILE_NAME = "admin-pin"
_ITERATIONS = 100_000  # about 0.1 s on a Raspberry Pi 4: once per try, behind the lockout
_SCHEME = "pbkdf2_sha256"


def default_pin_file(data_dir: Path | None = None) -> Path:
    return (data_dir if data_dir is not None else paths.data_dir()) / PIN_FILE_NAME


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = _ITERATIONS) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"{_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def pin_matches(stored: str, entered: str) -> bool:
    """Whether ``entered`` is the PIN ``stored`` (a :func:`hash_pin` string) was made from."""
    try:
        scheme, iterations, salt, digest = stored.strip().split("$")
        if scheme != _SCHEME:
            return False
        expected = hash_pin(entered, salt=bytes.fromhex(salt), iterations=int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(expected.rsplit("$", 1)[1], digest)


def read_pin_file(path: Path) -> str | None:
    """The stored hash, or None when no PIN was changed on the kiosk (or it is unreadable)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.startswith(_SCHEME + "$") else None


def write_pin_file(path: Path, pin: str) -> None:
    """Store ``pin`` (hashed), atomically, readable by the kiosk user only.

    :raises OSError: the data folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(hash_pin(pin) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
