"""Login roles for kiosks and coaches.

``trainer server add-kiosk NAME`` makes a role ``NAME`` in the ``trainer_kiosk``
group with a fresh random password and prints the kiosk's DSN, once. The
password never reaches the server in clear text: we send a SCRAM-SHA-256
verifier (what PostgreSQL would store anyway), so it cannot end up in the
server's statement log either. Nothing keeps the clear password but the kiosk's
DSN file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from psycopg import sql
from psycopg.conninfo import make_conninfo

from trainer.fleet.connection import Connection, FleetError
from trainer.fleet.schema import COACH_GROUP, KIOSK_GROUP

RoleKind = Literal["kiosk", "coach"]
#: Lower-case letters, digits, '-' and '_': safe as a role name and in a DSN.
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,62}")
_SCRAM_ITERATIONS = 4096


@dataclass(frozen=True)
class NewRole:
    name: str
    password: str
    dsn: str


def scram_verifier(password: str, *, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802/7677)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${_SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise FleetError(
            f"{name!r} is not a usable name: use lower-case letters, digits, '-' and '_', "
            "starting with a letter (at most 63 characters), e.g. front-desk"
        )
    return name


def add_role(
    connection: Connection,
    name: str,
    *,
    kind: RoleKind = "kiosk",
    host: str | None = None,
    port: str | None = None,
    new_password: bool = False,
) -> NewRole:
    """Create (or, with ``new_password``, re-key) the login role ``name``.

    ``host``/``port`` are what the kiosk should connect to (default: where this
    connection went). Returns the role with its DSN.
    """
    check_name(name)
    group = KIOSK_GROUP if kind == "kiosk" else COACH_GROUP
    password = secrets.token_urlsafe(24)
    role = sql.Identifier(name)
    verifier = sql.Literal(scram_verifier(password))
    with connection.transaction():
        row = connection.execute(
            "SELECT pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            (name, group, name),
        ).fetchone()
        if row is None:
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                    role, verifier, sql.Identifier(group)
                )
            )
        elif not new_password:
            raise FleetError(
                f"a role named {name!r} already exists; pass --new-password to give it a new "
                "password (the old DSN stops working)"
            )
        elif not row[0]:
            raise FleetError(f"the role {name!r} exists but is not a trainer {kind}: pick another")
        else:
            connection.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, verifier))
        if kind == "kiosk":
            connection.execute(
                "INSERT INTO fleet.kiosks (name) VALUES (%s) ON CONFLICT DO NOTHING", (name,)
            )
    info = connection.info
    dsn = make_conninfo(
        host=host or info.host,
        port=port or str(info.port),
        dbname=info.dbname,
        user=name,
        password=password,
    )
    return NewRole(name, password, dsn)
