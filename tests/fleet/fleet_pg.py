"""A real PostgreSQL cluster for tests, started from Debian's binaries.

One cluster serves the whole test run (``initdb`` costs a second or two); each
test that needs a clean slate gets its own database in it. The cluster lives in
a temporary folder, listens only on a Unix socket in that folder (no TCP port to
collide with), and runs as the unprivileged ``postgres`` user when the tests run
as root (PostgreSQL refuses to run as root). Durability is switched off: a test
cluster is thrown away, and fsync would only make the suite slower.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

ADMIN_USER = "fleet_admin"


def find_postgres_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` (Debian), else wherever ``initdb`` is on PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class PgCluster:
    """A throw-away cluster: :meth:`start`, :meth:`stop`, :meth:`create_database`."""

    bindir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="trainer-pg-")))
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    port: int = 5432  # only names the socket file; nothing listens on TCP
    _run_as: str | None = None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def dsn(
        self, dbname: str = "postgres", user: str = ADMIN_USER, password: str | None = None
    ) -> str:
        return make_conninfo(
            host=str(self.socket_dir),
            port=str(self.port),
            dbname=dbname,
            user=user,
            password=self.admin_password if password is None and user == ADMIN_USER else password,
            connect_timeout="5",
        )

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            self._run_as = "postgres"
            entry = pwd.getpwnam(self._run_as)
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        password_file = self.root / "pwfile"
        password_file.write_text(self.admin_password + "\n")
        if self._run_as:
            entry = pwd.getpwnam(self._run_as)
            os.chown(password_file, entry.pw_uid, entry.pw_gid)
        password_file.chmod(0o600)
        self._run(
            "initdb",
            "--pgdata",
            str(self.data_dir),
            "--username",
            ADMIN_USER,
            f"--pwfile={password_file}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        password_file.unlink()
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# trainer test cluster\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                f"port = {self.port}\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 60\nshared_buffers = 32MB\n"
                "log_min_messages = warning\n"
            )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "--pgdata",
            str(self.data_dir),
            "--log",
            str(self.root / "server.log"),
            "--wait",
            "--timeout=60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "--pgdata", str(self.data_dir), "--mode", mode, "--wait", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its name."""
        name = name or f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def _run(self, program: str, *arguments: str) -> None:
        completed = subprocess.run(
            [str(self.bindir / program), *arguments],
            user=self._run_as,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{program} failed ({completed.returncode}):\n{completed.stdout}\n"
                f"{completed.stderr}\n{tail}"
            )
