#!/usr/bin/env bash
# Shared setup for scripts/start and scripts/test: Debian packages, .venv, the package.
# Idempotent: a second run installs nothing and takes a second or two.
# Usage: source it, then call `setup_trainer runtime` or `setup_trainer test`.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '[setup] %s\n' "$*" >&2; }

on_raspberry_pi() {
    grep -qs "Raspberry Pi" /proc/device-tree/model
}

# Packages every machine needs to build and run the trainer, then those the tests add.
debian_packages() {
    local purpose="$1"
    local packages=(libasound2-dev espeak-ng alsa-utils gcc)
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        packages+=(python3-venv python3-dev)
    fi
    if on_raspberry_pi; then
        packages+=(python3-lgpio)
    fi
    if [ "$purpose" = test ]; then
        packages+=(tmux shellcheck systemd)  # systemd-analyze checks the kiosk unit
        packages+=(zbar-tools)  # zbarimg reads the QR codes the trainer draws
        # The fleet tests start a real PostgreSQL and drive the coach page in Chromium.
        packages+=(postgresql chromium chromium-driver)
    fi
    printf '%s\n' "${packages[@]}"
}

missing_debian_packages() {
    local package
    for package in "$@"; do
        if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
            printf '%s\n' "$package"
        fi
    done
}

install_debian_packages() {
    local purpose="$1"
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian system: install the equivalents of: $(debian_packages "$purpose" | xargs)"
        return 0
    fi
    local wanted missing
    mapfile -t wanted < <(debian_packages "$purpose")
    mapfile -t missing < <(missing_debian_packages "${wanted[@]}")
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "missing Debian packages; run this once, then run this command again:"
        printf '    sudo apt-get install -y %s\n' "${missing[*]}" >&2
        exit 1
    fi
}

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    say "Python 3.11 or newer is needed (Raspberry Pi OS Bookworm has it as python3)"
    exit 1
}

install_venv() {
    local extras="$1"
    if [ ! -x "$VENV/bin/python" ]; then
        local venv_flags=()
        # lgpio comes from Debian on a Pi (python3-lgpio); let the venv see it.
        on_raspberry_pi && venv_flags+=(--system-site-packages)
        say "creating $VENV"
        "$(find_python)" -m venv "${venv_flags[@]}" "$VENV"
    fi
    # Reinstall only when pyproject.toml changes or more extras are wanted; the
    # test setup (dev extras) already holds everything the trainer needs to run.
    local stamp="$VENV/.trainer-installed"
    local digest
    digest="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ -f "$stamp" ]; then
        local have
        have="$(cat "$stamp")"
        if [ "$have" = "$extras $digest" ] || [ "$have" = "dev $digest" ]; then
            return 0
        fi
    fi
    say "installing trainer${extras:+[$extras]} into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    # setuptools warns at length (a BuildBackendWarning block, "Please be careful
    # with folders ... with the same name as your package") about every editable
    # install of a package at the project root: expected here, it only alarms.
    PYTHONWARNINGS="ignore::Warning:setuptools.command.editable_wheel" \
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -e "${ROOT}${extras:+[$extras]}"
    printf '%s' "$extras $digest" >"$stamp"
}

setup_trainer() {
    local purpose="$1"
    install_debian_packages "$purpose"
    if [ "$purpose" = test ]; then
        install_venv dev
    else
        install_venv ""
    fi
}
