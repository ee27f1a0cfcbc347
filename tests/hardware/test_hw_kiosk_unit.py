"""hardware/trainer-kiosk.service: the settings the kiosk relies on, and systemd's verdict."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "hardware" / "trainer-kiosk.service"
INSTALL_SH = REPO / "hardware" / "install.sh"

Unit = dict[str, list[tuple[str, str]]]


def parse_unit(text: str) -> Unit:
    """A systemd unit file as {section: [(key, value), ...]}; repeated keys are kept."""
    sections: Unit = {}
    current: list[tuple[str, str]] | None = None
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None, f"setting outside a section: {line!r}"
        key, sep, value = line.partition("=")
        assert sep, f"not a key=value line: {line!r}"
        current.append((key.strip(), value.strip()))
    return sections


def values(unit: Unit, section: str, key: str) -> list[str]:
    """Every value of ``key`` in ``section``, space-separated lists flattened."""
    return [v for k, value in unit.get(section, []) if k == key for v in value.split()]


def single(unit: Unit, section: str, key: str) -> str:
    found = [value for k, value in unit.get(section, []) if k == key]
    assert len(found) == 1, f"[{section}] {key} should be set once, found {found}"
    return found[0]


def installer_paths() -> dict[str, str]:
    """The `readonly NAME=value` constants of install.sh, with $NAME references expanded."""
    constants: dict[str, str] = {}
    for match in re.finditer(r"^readonly ([A-Z_]+)=([^\s(]+)$", INSTALL_SH.read_text(), re.M):
        value = re.sub(r"\$\{?([A-Z_]+)\}?", lambda m: constants[m.group(1)], match.group(2))
        constants[match.group(1)] = value
    return constants


@pytest.fixture(scope="module")
def unit() -> Unit:
    return parse_unit(UNIT.read_text())


def test_restarts_forever(unit: Unit) -> None:
    assert single(unit, "Service", "Restart") == "always"
    restart_sec = single(unit, "Service", "RestartSec")
    assert restart_sec.isdigit() and 1 <= int(restart_sec) <= 10
    # 0 turns the start-rate limit off: systemd never gives up on the kiosk.
    assert single(unit, "Unit", "StartLimitIntervalSec") == "0"


def test_runs_trainer_kiosk_as_the_kiosk_user(unit: Unit) -> None:
    argv = shlex.split(single(unit, "Service", "ExecStart"))
    assert Path(argv[0]).name == "trainer"
    assert argv[1:] == ["kiosk"]
    assert single(unit, "Service", "User") == "trainer"
    assert {"gpio", "audio"} <= set(values(unit, "Service", "SupplementaryGroups"))


def test_owns_tty1(unit: Unit) -> None:
    assert single(unit, "Service", "TTYPath") == "/dev/tty1"
    assert single(unit, "Service", "StandardInput") == "tty"
    assert single(unit, "Service", "StandardOutput") == "tty"
    assert "TERM=linux" in values(unit, "Service", "Environment")
    assert "getty@tty1.service" in values(unit, "Unit", "Conflicts")
    # Conflicts= alone does not order the getty's stop before the kiosk's start.
    after = values(unit, "Unit", "After")
    assert "getty@tty1.service" in after
    assert {"sound.target", "local-fs.target"} <= set(after)


def test_starts_at_boot(unit: Unit) -> None:
    assert values(unit, "Install", "WantedBy") == ["multi-user.target"]


def test_paths_match_the_installer(unit: Unit) -> None:
    paths = installer_paths()
    argv = shlex.split(single(unit, "Service", "ExecStart"))
    assert argv[0] == f"{paths['VENV_DIR']}/bin/trainer"
    environment = dict(v.split("=", 1) for v in values(unit, "Service", "Environment"))
    assert environment["TRAINER_DATA_DIR"] == paths["DATA_DIR"]
    assert environment["TRAINER_CONFIG"] == paths["CONFIG_FILE"]
    # lgpio writes its pipe files into the working directory: it must be the writable one.
    assert single(unit, "Service", "WorkingDirectory") == paths["DATA_DIR"]
    assert f"/var/lib/{single(unit, 'Service', 'StateDirectory')}" == paths["DATA_DIR"]
    assert paths["UNIT_DEST"] == f"/etc/systemd/system/{UNIT.name}"


def test_execstart_is_a_real_cli_invocation(unit: Unit) -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from trainer.cli import build_parser

    argv = shlex.split(single(unit, "Service", "ExecStart"))[1:]
    with contextlib.redirect_stderr(io.StringIO()):
        args = build_parser().parse_args(argv)
    assert args.command == "kiosk"


def test_a_hung_ui_is_restarted_by_the_watchdog(unit: Unit) -> None:
    # The app pings at half this from its event loop
    # (tests/hardening/test_closed_stdin_and_watchdog.py).
    assert 5 <= int(single(unit, "Service", "WatchdogSec")) <= 120
    assert single(unit, "Service", "NotifyAccess") == "main"


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (it comes with the systemd package)")
    # verify also checks that every Exec*= binary exists; the venv is not here,
    # so point missing ones at a stand-in and let systemd judge everything else.
    stand_in = tmp_path / "stand-in"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    lines = []
    for line in UNIT.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key.startswith("Exec"):
            prefix = re.match(r"[-@:+!]*", value).group(0)
            binary, *rest = value[len(prefix) :].split(" ", 1)
            if not os.access(binary, os.X_OK):
                line = f"{key}={prefix}{' '.join([str(stand_in), *rest])}"
        lines.append(line)
    copy = tmp_path / UNIT.name
    copy.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [analyze, "verify", "--man=no", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Unknown keys and bad values are only warnings, with the exit code still 0.
    complaints = [line for line in output.splitlines() if UNIT.name in line]
    assert complaints == [], output
