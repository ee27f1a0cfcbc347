"""Routine packs: a coach's checked routine folder, versioned on the server.

``trainer publish DIR`` checks every routine file in ``DIR`` (with its
``exercises/`` library) exactly as ``trainer validate`` would and refuses the
whole folder on any problem. A good folder becomes the next pack version: its
YAML files, stored as text in one row of ``fleet.packs``.

On a kiosk, :class:`PackFolder` keeps packs under ``<data dir>/packs``::

    packs/v7/...          the previous good pack (kept for a running session)
    packs/v8/...          the newest good pack
    packs/current -> v8   what the routine catalog reads

A pulled pack is written to a hidden folder, checked again, renamed into place,
and only then does ``current`` switch, with one atomic ``rename`` of a symlink.
A pack that fails the check on the kiosk is dropped and the last good one
stays. A session already running keeps the routine it loaded into memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import psycopg

from trainer import paths
from trainer.fleet.connection import Connection, FleetError
from trainer.routine.catalog import Catalog, LoadedRoutine, find_yaml_files, load_catalog

#: A pack is routine text, not media: these bound what a kiosk will accept.
MAX_PACK_FILES = 500
MAX_PACK_BYTES = 5_000_000
CURRENT = "current"


class PackError(FleetError):
    """A pack was refused; the message lists every problem."""


@dataclass(frozen=True)
class Pack:
    version: int
    digest: str
    files: Mapping[str, str]  # relative POSIX path -> file text


def pack_digest(files: Mapping[str, str]) -> str:
    """A SHA-256 over the files' paths and contents, independent of their order."""
    canonical = json.dumps(sorted(files.items()), ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()


def read_folder(folder: Path) -> dict[str, str]:
    """The YAML files under ``folder`` as ``{relative path: text}``.

    :raises PackError: on unreadable or non-UTF-8 files, or a folder too big to be a pack.
    """
    files: dict[str, str] = {}
    problems: list[str] = []
    total = 0
    for path in find_yaml_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            data = path.read_bytes()
            files[relative] = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}: cannot read as UTF-8 text ({error})")
            continue
        total += len(data)
    if len(files) > MAX_PACK_FILES or total > MAX_PACK_BYTES:
        problems.append(
            f"{folder}: {len(files)} files, {total} bytes: a pack holds at most "
            f"{MAX_PACK_FILES} files and {MAX_PACK_BYTES} bytes"
        )
    if problems:
        raise PackError("\n".join(problems))
    return files


def check_folder(folder: Path) -> tuple[list[str], int]:
    """Every problem in ``folder``'s routine files (as ``trainer validate`` prints them),
    and how many routines it holds. Routines may use the bundled exercise library."""
    root = folder.resolve()
    catalog = load_catalog([paths.BUNDLED_ROUTINES_DIR, folder])
    problems = [
        str(issue)
        for path, issues in catalog.issues_by_file.items()
        if root in path.resolve().parents
        for issue in issues
    ]
    routines = len(_routines_under(catalog, root))
    if not problems and routines == 0:
        problems.append(f"{folder}: no routines found (*.yaml files with blocks:)")
    return problems, routines


def _routines_under(catalog: Catalog, root: Path) -> list[LoadedRoutine]:
    return [loaded for loaded in catalog.routines.values() if root in loaded.path.resolve().parents]


def pack_routines(files: Mapping[str, str]) -> list[tuple[str, str]]:
    """The ``(id, title)`` of every good routine in a pack's files, by title.

    The files are written to a temporary folder and read as a kiosk would
    read them, so the ids are exactly those the kiosks' pickers use.
    """
    with tempfile.TemporaryDirectory(prefix="trainer-pack-") as temporary:
        folder = Path(temporary) / "pack"
        write_pack_files(folder, Pack(0, "", files))
        catalog = load_catalog([paths.BUNDLED_ROUTINES_DIR, folder])
        routines = _routines_under(catalog, folder.resolve())
    return sorted(
        ((loaded.id, loaded.routine.title) for loaded in routines), key=lambda r: r[1].lower()
    )


def publish(connection: Connection, folder: Path) -> tuple[int, bool]:
    """Check ``folder`` and publish it; returns ``(version, is_new)``.

    Publishing a folder identical to the newest pack publishes nothing and
    returns that pack's version.

    :raises PackError: listing every problem; nothing is uploaded then.
    """
    if not folder.is_dir():
        raise PackError(f"{folder}: not a folder")
    problems, _ = check_folder(folder)
    if problems:
        raise PackError("\n".join(problems))
    files = read_folder(folder)
    digest = pack_digest(files)
    try:
        return _insert_pack(connection, files, digest)
    except psycopg.errors.InsufficientPrivilege:
        raise FleetError(
            "this role may not publish routine packs: use a coach's DSN "
            "(trainer server add-coach NAME)"
        ) from None
    except psycopg.Error as error:
        raise FleetError(f"publishing failed: {str(error).strip().splitlines()[0]}") from None


def _insert_pack(connection: Connection, files: dict[str, str], digest: str) -> tuple[int, bool]:
    with connection.transaction():
        newest = connection.execute(
            "SELECT version, digest FROM fleet.packs ORDER BY version DESC LIMIT 1"
        ).fetchone()
        if newest is not None and newest[1] == digest:
            return int(newest[0]), False
        row = connection.execute(
            "INSERT INTO fleet.packs (digest, files) VALUES (%s, %s) RETURNING version",
            (digest, json.dumps(files)),
        ).fetchone()
    assert row is not None
    return int(row[0]), True


def write_pack_files(folder: Path, pack: Pack) -> None:
    """Write ``pack``'s files under ``folder``; :class:`PackError` on an unsafe file name."""
    for relative, text in pack.files.items():
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
            raise PackError(f"pack {pack.version}: unsafe file name {relative!r}")
        path = folder.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


class PackFolder:
    """The packs installed on this kiosk (a :class:`~trainer.fleet.sync.PackSink`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def current(self) -> Path:
        return self.root / CURRENT

    def installed_version(self) -> int | None:
        try:
            target = os.readlink(self.current)
        except OSError:
            return None
        name = Path(target).name
        return int(name[1:]) if name.startswith("v") and name[1:].isdigit() else None

    def install(self, pack: Pack) -> None:
        """Check ``pack`` and make it current, atomically; the last good pack stays on error.

        :raises PackError: when the pack is unsafe or its routines have problems.
        """
        if pack_digest(pack.files) != pack.digest:
            raise PackError(f"pack {pack.version}: its files do not match its digest")
        self.root.mkdir(parents=True, exist_ok=True)
        final = self.root / f"v{pack.version}"
        if not final.is_dir():
            incoming = self.root / f".incoming-{pack.version}-{secrets.token_hex(4)}"
            try:
                write_pack_files(incoming, pack)
                problems, _ = check_folder(incoming)
                if problems:
                    raise PackError(f"pack {pack.version} refused:\n" + "\n".join(problems))
                os.rename(incoming, final)
            finally:
                shutil.rmtree(incoming, ignore_errors=True)
        link = self.root / f".{CURRENT}-{secrets.token_hex(4)}"
        os.symlink(final.name, link)
        os.replace(link, self.current)  # the atomic switch
        self._prune(keep={final.name})

    def _prune(self, keep: set[str]) -> None:
        """Keep the current pack and the one before it; drop older ones and leftovers."""
        versions = sorted(
            (int(path.name[1:]), path)
            for path in self.root.glob("v*")
            if path.name[1:].isdigit() and path.is_dir()
        )
        current = max(int(name[1:]) for name in keep)
        older = [path for version, path in versions if version < current]
        for path in older[:-1]:
            shutil.rmtree(path, ignore_errors=True)
        for leftover in self.root.glob(".incoming-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for stale_link in self.root.glob(f".{CURRENT}-*"):  # a switch cut short by a crash
            stale_link.unlink(missing_ok=True)
