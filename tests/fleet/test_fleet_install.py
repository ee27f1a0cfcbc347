"""hardware/install.sh --server DSN: a kiosk joins a fleet, its password never printed."""

# ruff: noqa: F811  (the installer tests' `box` fixture is imported, then requested by name)

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "hardware"))
from test_hw_install_script import BASH, SCRIPT, Box, box, run_script  # noqa: F401

DSN = "host=fleet.gym.lan port=5432 dbname=trainer user=front-desk password=S3cret-Pw"

# The venv's python: psycopg is missing until the fleet extra is installed.
VENV_PYTHON_WITHOUT_PSYCOPG = """#!/bin/bash
echo "venv-python $*" >>"$STUB_STATE/log"
if [[ $1 == -c ]]; then
    [[ -e "$STUB_STATE/psycopg" ]]; exit
fi
if [[ "$*" == "-m pip install "* ]]; then
    printf '#!/bin/sh\\n' >"$(dirname "$0")/trainer"
    chmod +x "$(dirname "$0")/trainer"
    [[ "$*" == *"[fleet]"* ]] && touch "$STUB_STATE/psycopg"
fi
exit 0
"""


def test_server_option_writes_a_private_dsn_file_and_the_fleet_extra(box: Box) -> None:
    (box.state / "venv-python").write_text(VENV_PYTHON_WITHOUT_PSYCOPG)
    first = box.install("--server", DSN)
    assert "S3cret-Pw" not in first.stdout + first.stderr
    dsn_file = box.root / "etc/trainer/fleet.dsn"
    assert dsn_file.read_text() == DSN + "\n"
    assert stat.S_IMODE(dsn_file.stat().st_mode) == 0o600
    assert any("pip install --editable" in line and "src[fleet]" in line for line in box.log())
    assert any(line.startswith("apt-get install") and "libpq5" in line for line in box.log())
    again = box.install("--server", DSN)
    assert "ok: /etc/trainer/fleet.dsn holds this DSN" in again.stdout
    assert "ok: the fleet extra (psycopg) is installed in the venv" in again.stdout
    plain = box.install()
    assert "ok: fleet server configured in /etc/trainer/fleet.dsn (left as it is)" in plain.stdout


def test_server_dsn_from_stdin_stays_out_of_the_command_line(box: Box) -> None:
    result = subprocess.run(
        [BASH, str(box.checkout / "hardware" / "install.sh"), "--server", "-"],
        input=DSN + "\n",
        env=box.env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (box.root / "etc/trainer/fleet.dsn").read_text() == DSN + "\n"


def test_without_a_server_nothing_of_the_fleet_is_installed(box: Box) -> None:
    result = box.install()
    assert "no fleet server" in result.stdout
    assert not (box.root / "etc/trainer/fleet.dsn").exists()
    assert not any("[fleet]" in line for line in box.log())


def test_empty_server_option_is_refused() -> None:
    result = run_script(SCRIPT, "--dry-run", "--server", "", env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 1 and "--server needs" in result.stderr
