"""hardware/install.sh: its dry run lists every change and makes none; its real run is idempotent.

The real runs happen inside ``INSTALL_ROOT`` (a prefix for every file path the
script touches) with stand-ins for apt-get, useradd, systemctl and friends on
``PATH``, which record what they were asked to do in a small state folder.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tempfile
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "hardware" / "install.sh"
UNIT = REPO / "hardware" / "trainer-kiosk.service"
BASH = shutil.which("bash") or "/bin/bash"

APT_PACKAGES = [
    "python3-venv",
    "python3-dev",
    "libasound2-dev",
    "espeak-ng",
    "alsa-utils",
    "console-setup",
    "python3-lgpio",
]
# What the script itself needs to compute a dry run: no apt, dpkg, systemctl, python.
DRY_RUN_TOOLS = [
    "bash",
    "dirname",
    "find",
    "sort",
    "tr",
    "xargs",
    "sha256sum",
    "cut",
    "sed",
    "grep",
    "cat",
    "readlink",
    "id",
    "getent",
]


def run_script(
    script: Path, *args: str, env: dict[str, str], user: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [BASH, str(script), *args]
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(
        command, env=env, cwd="/", capture_output=True, text=True, timeout=120, check=False
    )


def executed(output: str) -> list[str]:
    """The lines in which the script reports running a change."""
    return [line for line in output.splitlines() if line.startswith("run: ")]


def make_checkout(checkout: Path) -> Path:
    """A small checkout with the real installer and unit, plus junk it must not copy."""
    (checkout / "hardware").mkdir(parents=True)
    for name in ("install.sh", "trainer-kiosk.service"):
        shutil.copy2(REPO / "hardware" / name, checkout / "hardware" / name)
    shutil.copy2(REPO / "pyproject.toml", checkout / "pyproject.toml")
    (checkout / "trainer" / "__pycache__").mkdir(parents=True)
    (checkout / "trainer" / "__init__.py").write_text('__version__ = "0.1.0"\n')
    (checkout / "trainer" / "__pycache__" / "x.pyc").write_bytes(b"junk")
    (checkout / "routines").mkdir()
    (checkout / "routines" / "demo.yaml").write_text("id: demo\n")
    (checkout / ".venv" / "bin").mkdir(parents=True)
    return checkout


def tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


# ------------------------------------------------------------------ dry run


@pytest.fixture
def bare_path(tmp_path: Path) -> str:
    """A PATH with only the basic tools: no apt-get, dpkg-query, systemctl or python3."""
    bin_dir = tmp_path / "bare-bin"
    bin_dir.mkdir()
    for tool in DRY_RUN_TOOLS:
        found = shutil.which(tool)
        assert found, f"{tool} is needed to run this test"
        (bin_dir / tool).symlink_to(found)
    for absent in ("apt-get", "dpkg-query", "systemctl", "useradd", "python3", "setupcon"):
        assert shutil.which(absent, path=str(bin_dir)) is None
    return str(bin_dir)


def test_dry_run_lists_every_change_and_makes_none(tmp_path: Path, bare_path: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    hardware_before = tree(REPO / "hardware")
    env = {"PATH": bare_path, "INSTALL_ROOT": str(root), "HOME": str(tmp_path), "LANG": "C"}

    # A user name no machine has, so its creation is always on the list.
    result = run_script(SCRIPT, "--dry-run", "--user", "trainer-dry-run", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "command not found" not in result.stderr
    out = result.stdout
    expected = [
        "would: apt-get update",
        "apt-get install",
        *APT_PACKAGES,
        "would: useradd --system",
        "trainer-dry-run",
        "would: usermod --append --groups gpio trainer-dry-run",
        "would: usermod --append --groups audio trainer-dry-run",
        "would: install -d -m 0755 -o trainer-dry-run -g trainer-dry-run",
        "would: copy_source",
        "would: python3 -m venv --system-site-packages",
        "-m pip install --editable",
        "would: ln -sfn /opt/trainer/venv/bin/trainer",
        "would: write_config_example",
        "would: write_admin_pin",
        "would: set_console_font",
        "Terminus 16x32",
        "would: setupcon",
        "would: systemctl set-default multi-user.target",
        "would: install_unit_file",
        "/etc/systemd/system/trainer-kiosk.service",
        "would: systemctl daemon-reload",
        "would: systemctl enable trainer-kiosk.service",
        "nothing was changed",
    ]
    missing = [text for text in expected if text not in out]
    assert missing == [], out
    assert executed(out) == []
    assert tree(root) == [], "a dry run wrote files"
    assert tree(REPO / "hardware") == hardware_before


def test_dry_run_works_for_an_unprivileged_user() -> None:
    """No root, the real PATH and the real /: the dry run still only reports."""
    env = {"PATH": os.environ["PATH"], "HOME": "/", "LANG": "C"}
    user = None
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root and runuser (util-linux) is missing")
        user = "nobody"
    # pytest's tmp_path (and maybe the checkout) is private to its owner: use a
    # folder any user can read.
    with tempfile.TemporaryDirectory(prefix="trainer-hw-") as folder:
        os.chmod(folder, 0o755)
        script = make_checkout(Path(folder) / "checkout") / "hardware" / "install.sh"
        for path in Path(folder).rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)

        dry = run_script(script, "--dry-run", env=env, user=user)
        real = run_script(script, env=env, user=user)

    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "nothing was changed" in dry.stdout
    assert executed(dry.stdout) == []

    assert real.returncode == 1
    assert "run as root" in real.stderr
    assert executed(real.stdout) == []


def test_dry_run_of_uninstall(tmp_path: Path, bare_path: str) -> None:
    root = tmp_path / "root"
    (root / "opt/trainer/venv/bin").mkdir(parents=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "etc/systemd/system/trainer-kiosk.service").write_text(UNIT.read_text())
    before = tree(root)
    env = {"PATH": bare_path, "INSTALL_ROOT": str(root), "HOME": str(tmp_path)}

    result = run_script(SCRIPT, "--dry-run", "--uninstall", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"would: rm -f {root}/etc/systemd/system/trainer-kiosk.service" in result.stdout
    assert f"would: rm -rf {root}/opt/trainer" in result.stdout
    assert "would: systemctl daemon-reload" in result.stdout
    assert tree(root) == before


def test_help_and_bad_options() -> None:
    env = {"PATH": os.environ["PATH"]}
    help_ = run_script(SCRIPT, "--help", env=env)
    assert help_.returncode == 0
    for option in ("--dry-run", "--uninstall", "--user", "--no-font", "INSTALL_ROOT"):
        assert option in help_.stdout

    bad = run_script(SCRIPT, "--frobnicate", env=env)
    assert bad.returncode == 1
    assert "unknown option" in bad.stderr


# ------------------------------------------------------- stubbed real runs

STUBS = {
    "dpkg-query": """
        grep -qxF -- "${@: -1}" "$S/pkgs" 2>/dev/null || exit 1
        printf 'ii '
    """,
    "apt-cache": """
        printf '%s:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n' "${@: -1}"
    """,
    "apt-get": """
        echo "apt-get $*" >>"$S/log"
        if [[ " $* " == *" install "* ]]; then
            for a in "$@"; do
                case $a in -* | install) ;; *) echo "$a" >>"$S/pkgs" ;; esac
            done
        fi
    """,
    "getent": """
        case $1 in passwd) f=users ;; group) f=groups ;; *) exit 2 ;; esac
        grep -qxF -- "$2" "$S/$f" 2>/dev/null || exit 2
        echo "$2:x:999:999::/:/bin/false"
    """,
    "groupadd": """
        echo "groupadd $*" >>"$S/log"
        echo "${@: -1}" >>"$S/groups"
    """,
    "useradd": """
        echo "useradd $*" >>"$S/log"
        echo "${@: -1}" >>"$S/users"
        echo "${@: -1}" >>"$S/groups"
    """,
    "usermod": """
        echo "usermod $*" >>"$S/log"
        echo "$3" >>"$S/member-$4"
    """,
    "id": """
        if [[ $1 == -nG ]]; then
            grep -qxF -- "$2" "$S/users" 2>/dev/null || exit 1
            echo "$2 $(tr '\\n' ' ' <"$S/member-$2" 2>/dev/null)"
            exit 0
        fi
        exec "$REAL_ID" "$@"
    """,
    "python3": """
        [[ $1 == -c ]] && exit 0
        echo "python3 $*" >>"$S/log"
        if [[ $1 == -m && $2 == venv ]]; then
            venv=${@: -1}
            mkdir -p "$venv/bin"
            cp "$S/venv-python" "$venv/bin/python"
        fi
    """,
    "systemctl": """
        case $1 in
        is-enabled) grep -qxF -- "$2" "$S/enabled" 2>/dev/null && echo enabled && exit 0
            echo disabled; exit 1 ;;
        is-active) grep -qxF -- "${@: -1}" "$S/active" 2>/dev/null ;;
        get-default) cat "$S/default" ;;
        *) echo "systemctl $*" >>"$S/log" ;;&
        enable) echo "$2" >>"$S/enabled" ;;
        disable) grep -vxF -- "$2" "$S/enabled" >"$S/enabled.new"
            mv "$S/enabled.new" "$S/enabled" ;;
        set-default) echo "$2" >"$S/default" ;;
        esac
    """,
    "install": """
        echo "install $*" >>"$S/log"
        mkdir -p "${@: -1}"
    """,
    "setupcon": """
        echo "setupcon $*" >>"$S/log"
    """,
}

VENV_PYTHON = """#!/bin/bash
echo "venv-python $*" >>"$STUB_STATE/log"
if [[ "$*" == "-m pip install "* ]]; then
    printf '#!/bin/sh\\n' >"$(dirname "$0")/trainer"
    chmod +x "$(dirname "$0")/trainer"
fi
"""

DEBIAN_CONSOLE_SETUP = """\
# CONFIGURATION FILE FOR SETUPCON
ACTIVE_CONSOLES="/dev/tty[1-6]"
CHARMAP="UTF-8"
CODESET="guess"
FONTFACE="Fixed"
FONTSIZE="8x16"
VIDEOMODE=
"""


@dataclass
class Box:
    """A pretend Raspberry Pi: a file tree, stand-in commands, and a checkout to install."""

    root: Path
    state: Path
    checkout: Path
    env: dict[str, str]

    def install(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = run_script(self.checkout / "hardware" / "install.sh", *args, env=self.env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def log(self) -> list[str]:
        path = self.state / "log"
        return path.read_text().splitlines() if path.exists() else []

    def set_state(self, name: str, *lines: str) -> None:
        (self.state / name).write_text("".join(f"{line}\n" for line in lines))


@pytest.fixture
def box(tmp_path: Path) -> Box:
    root, state, stubs, checkout = (tmp_path / n for n in ("root", "state", "stubs", "checkout"))
    for folder in (root, state, stubs):
        folder.mkdir()
    for name, body in STUBS.items():
        script = stubs / name
        script.write_text("#!/bin/bash\nS=$STUB_STATE\n" + textwrap.dedent(body))
        script.chmod(0o755)
    (state / "venv-python").write_text(VENV_PYTHON)
    (state / "venv-python").chmod(0o755)
    (state / "groups").write_text("audio\n")
    (state / "default").write_text("graphical.target\n")

    make_checkout(checkout)

    (root / "etc" / "default").mkdir(parents=True)
    (root / "etc" / "default" / "console-setup").write_text(DEBIAN_CONSOLE_SETUP)

    env = {
        "PATH": f"{stubs}:{os.environ['PATH']}",
        "INSTALL_ROOT": str(root),
        "STUB_STATE": str(state),
        "REAL_ID": shutil.which("id") or "/usr/bin/id",
        "HOME": str(tmp_path),
        "LANG": "C",
    }
    return Box(root=root, state=state, checkout=checkout, env=env)


def test_install_makes_every_change(box: Box) -> None:
    result = box.install()

    log = box.log()
    apt_install = [line for line in log if line.startswith("apt-get install")]
    assert len(apt_install) == 1
    assert set(APT_PACKAGES) <= set(apt_install[0].split())
    assert any(line.startswith("groupadd --system gpio") for line in log)
    assert any(line.startswith("useradd --system") and line.endswith(" trainer") for line in log)
    assert "usermod --append --groups gpio trainer" in log
    assert "usermod --append --groups audio trainer" in log
    assert f"install -d -m 0755 -o trainer -g trainer {box.root}/var/lib/trainer" in log
    assert any(line.startswith("python3 -m venv --system-site-packages") for line in log)
    assert f"venv-python -m pip install --editable {box.root}/opt/trainer/src" in log
    assert "setupcon --force --save" in log
    assert "systemctl set-default multi-user.target" in log
    assert "systemctl daemon-reload" in log
    assert "systemctl enable trainer-kiosk.service" in log
    assert "systemctl restart trainer-kiosk.service" not in log  # it was not running
    assert "Done:" in result.stdout

    root = box.root
    assert (root / "etc/systemd/system/trainer-kiosk.service").read_text() == UNIT.read_text()
    src = root / "opt/trainer/src"
    assert (src / "pyproject.toml").is_file()
    assert (src / "trainer/__init__.py").is_file()
    assert (src / "routines/demo.yaml").is_file()
    assert not (src / ".venv").exists()
    assert not (src / "trainer/__pycache__").exists()
    link = root / "usr/local/bin/trainer"
    assert link.is_symlink() and os.readlink(link) == "/opt/trainer/venv/bin/trainer"
    config = root / "etc/trainer/config.toml"
    # All commented out, every default holds, but for a random admin PIN printed once.
    settings = tomllib.loads(config.read_text())
    pin = settings["kiosk"]["admin_pin"]
    assert settings == {"kiosk": {"admin_pin": pin}}
    assert re.fullmatch(r"[0-9]{6}", pin) and pin != "2468"
    assert f"Admin PIN: {pin}\n" in result.stdout
    assert result.stdout.count(pin) == 1  # printed once, not in the run: lines
    assert stat.S_IMODE(config.stat().st_mode) == 0o640

    console = (root / "etc/default/console-setup").read_text()
    assert 'FONTFACE="Terminus"' in console.splitlines()
    assert 'FONTSIZE="16x32"' in console.splitlines()
    assert 'ACTIVE_CONSOLES="/dev/tty[1-6]"' in console  # the rest is kept
    backup = root / "etc/default/console-setup.trainer-orig"
    assert backup.read_text() == DEBIAN_CONSOLE_SETUP


def test_second_run_changes_nothing(box: Box) -> None:
    box.install()
    log_after_first = box.log()

    second = box.install()

    assert box.log() == log_after_first
    assert executed(second.stdout) == []
    assert "Nothing to change" in second.stdout
    assert second.stdout.count("ok:") >= 10


def test_changed_checkout_is_reinstalled_and_the_kiosk_restarted(box: Box) -> None:
    box.install()
    box.set_state("active", "trainer-kiosk.service")
    (box.checkout / "trainer" / "__init__.py").write_text('__version__ = "0.2.0"\n')
    config = box.root / "etc/trainer/config.toml"
    config.write_text("[pedal]\npin = 27\n")
    before = len(box.log())

    result = box.install()

    new = box.log()[before:]
    assert any(line.startswith("venv-python -m pip install --editable") for line in new)
    assert "systemctl restart trainer-kiosk.service" in new
    assert not any(line.startswith(("apt-get", "useradd", "python3 -m venv")) for line in new)
    assert "run: copy_source" in result.stdout
    copied = box.root / "opt/trainer/src/trainer/__init__.py"
    assert copied.read_text() == '__version__ = "0.2.0"\n'
    # A coach's config is never overwritten; it only gains the admin PIN it lacked.
    assert config.read_text().startswith("[pedal]\npin = 27\n\n[kiosk]\nadmin_pin = ")
    assert "Admin PIN: " in result.stdout


def test_user_and_font_options(box: Box) -> None:
    box.install("--user", "coach", "--font-size", "12x24", "--keep-desktop")

    unit = (box.root / "etc/systemd/system/trainer-kiosk.service").read_text().splitlines()
    assert "User=coach" in unit and "Group=coach" in unit
    assert "usermod --append --groups gpio coach" in box.log()
    assert 'FONTSIZE="12x24"' in (box.root / "etc/default/console-setup").read_text()
    assert not any("set-default" in line for line in box.log())


def test_uninstall_removes_the_service_and_keeps_the_data(box: Box) -> None:
    box.install()
    box.set_state("active", "trainer-kiosk.service")
    before = len(box.log())

    result = box.install("--uninstall")

    new = box.log()[before:]
    assert "systemctl stop trainer-kiosk.service" in new
    assert "systemctl disable trainer-kiosk.service" in new
    assert "systemctl daemon-reload" in new
    assert "systemctl start getty@tty1.service" in new
    assert not (box.root / "etc/systemd/system/trainer-kiosk.service").exists()
    assert not (box.root / "opt/trainer").exists()
    assert not (box.root / "usr/local/bin/trainer").is_symlink()
    assert (box.root / "etc/trainer/config.toml").exists()
    assert "Done:" in result.stdout

    box.set_state("active")
    again = box.install("--uninstall")
    assert "Nothing to change" in again.stdout


def test_a_generated_pin_differs_between_boxes_and_is_not_shown_again(
    box: Box, tmp_path: Path
) -> None:
    first = box.install()
    pin = re.search(r"Admin PIN: (\d+)", first.stdout)
    assert pin is not None
    again = box.install()
    assert "Admin PIN" not in again.stdout
    assert "ok: admin PIN set in /etc/trainer/config.toml" in again.stdout
    config = box.root / "etc/trainer/config.toml"
    config.write_text(config.read_text().replace(pin[1], "2468"))  # the example: replaced
    third = box.install()
    new_pin = re.search(r"Admin PIN: (\d+)", third.stdout)
    assert new_pin is not None and new_pin[1] != "2468"
    assert f'admin_pin = "{new_pin[1]}"' in config.read_text()


def test_pin_option_sets_it_and_replaces_a_pin_changed_on_the_kiosk(box: Box) -> None:
    config = box.root / "etc/trainer/config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[audio]\nvolume = 0.5\n\n[kiosk] # the box\nidle_seconds = 60\n")
    pin_file = box.root / "var/lib/trainer/admin-pin"
    pin_file.parent.mkdir(parents=True)
    pin_file.write_text("pbkdf2_sha256$1$00$00\n")
    result = box.install("--pin", "580417")
    assert "580417" not in result.stdout  # the owner typed it: not echoed
    assert tomllib.loads(config.read_text()) == {
        "audio": {"volume": 0.5},
        "kiosk": {"admin_pin": "580417", "idle_seconds": 60},
    }
    assert not pin_file.exists()
    assert (
        "ok: the admin PIN in /etc/trainer/config.toml is the one given"
        in box.install("--pin", "580417").stdout
    )


@pytest.mark.parametrize("pin", ["2468", "123", "1111", "123456", "12a4"])
def test_pin_option_refuses_example_short_and_easy_pins(pin: str) -> None:
    result = run_script(SCRIPT, "--dry-run", "--pin", pin, env={"PATH": os.environ["PATH"]})
    assert result.returncode == 1
    assert "--pin" in result.stderr
