"""scripts/setup.sh: missing Debian packages are installed as root, or named exactly otherwise."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SETUP = Path(__file__).resolve().parents[1] / "scripts" / "setup.sh"


def fake_bin(tmp_path: Path, *, uid: int, installed: set[str]) -> Path:
    """Stand-ins for id, dpkg-query and apt-get that log what they were asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {
        "id": f"echo {uid}",
        "dpkg-query": (
            'package="${@: -1}"; case " ' + " ".join(sorted(installed)) + ' " in '
            '*" $package "*) echo "install ok installed";; *) exit 1;; esac'
        ),
        "apt-get": f'echo "apt-get $*" >> {tmp_path}/apt.log',
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/bash\n{body}\n")
        path.chmod(0o755)
    return bin_dir


def run_install(tmp_path: Path, bin_dir: Path, purpose: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", f'source "{SETUP}"; install_debian_packages {purpose}'],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_non_root_gets_the_exact_apt_line_and_nothing_is_installed(tmp_path: Path):
    # python3-venv/-dev are only wanted for Debian's own python3: count them as present.
    installed = {"gcc", "alsa-utils", "python3-venv", "python3-dev"}
    bin_dir = fake_bin(tmp_path, uid=1000, installed=installed)
    result = run_install(tmp_path, bin_dir, "test")
    assert result.returncode == 1
    assert (
        "sudo apt-get install -y libasound2-dev espeak-ng tmux shellcheck systemd"
        " zbar-tools postgresql chromium chromium-driver"
    ) in result.stderr
    assert not (tmp_path / "apt.log").exists()


def test_root_installs_only_what_is_missing(tmp_path: Path):
    bin_dir = fake_bin(
        tmp_path, uid=0, installed={"gcc", "espeak-ng", "python3-venv", "python3-dev"}
    )
    result = run_install(tmp_path, bin_dir, "runtime")
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "apt.log").read_text().splitlines()
    assert log[0] == "apt-get update -qq"
    assert log[1].endswith("install -y -qq --no-install-recommends libasound2-dev alsa-utils")


def test_nothing_to_do_when_everything_is_installed(tmp_path: Path):
    everything = {
        "libasound2-dev",
        "espeak-ng",
        "alsa-utils",
        "gcc",
        "python3-venv",
        "python3-dev",
        "tmux",
        "shellcheck",
        "systemd",
        "zbar-tools",
        "postgresql",
        "chromium",
        "chromium-driver",
    }
    bin_dir = fake_bin(tmp_path, uid=0, installed=everything)
    assert run_install(tmp_path, bin_dir, "test").returncode == 0
    assert not (tmp_path / "apt.log").exists()


# What setuptools does during `pip install -e .` of this layout: one long warning.
_SETUPTOOLS_EDITABLE_WARNING = """
import warnings
warnings.warn_explicit(
    "Editable installation.\\n!!\\n  Please be careful with folders in your working directory",
    UserWarning,
    "editable_wheel.py",
    354,
    module="setuptools.command.editable_wheel",
)
"""


def test_installing_into_the_venv_quiets_setuptools_editable_warning(tmp_path: Path):
    # The first setup printed a large "BuildBackendWarning ... Please be careful" block.
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    (root / "scripts" / "setup.sh").write_text(SETUP.read_text())
    (root / "pyproject.toml").write_text("[project]\nname = 'trainer'\n")
    (root / "warn.py").write_text(_SETUPTOOLS_EDITABLE_WARNING)
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    # A venv python whose "pip install -e" behaves as the build backend does: it warns.
    python.write_text(
        "#!/bin/bash\n"
        f'echo "pip $*" >> "{tmp_path}/pip.log"\n'
        f'case "$*" in *" -e "*) exec python3 "{root}/warn.py";; esac\n'
    )
    python.chmod(0o755)
    result = subprocess.run(
        ["bash", "-c", f'source "{root}/scripts/setup.sh"; install_venv dev'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    installs = (tmp_path / "pip.log").read_text().splitlines()
    assert installs[-1].endswith(f"-e {root}[dev]")
    assert "Please be careful" not in result.stderr
    assert "Warning" not in result.stderr
    assert result.stderr.strip() == f"[setup] installing trainer[dev] into {root}/.venv"
