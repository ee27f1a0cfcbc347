#!/usr/bin/env bash
# Install the trainer kiosk on a Raspberry Pi running Raspberry Pi OS (Bookworm).
#
# Run it from the repo checkout it lives in:   sudo bash hardware/install.sh
# See what it would change first:              bash hardware/install.sh --dry-run
#
# Every change goes through run(), which executes it or, with --dry-run, only
# prints "would: ...". Every step checks the current state first, so running the
# script again changes nothing and says "ok: ..." for each step.

set -euo pipefail

readonly UNIT_NAME=trainer-kiosk.service
readonly PREFIX=/opt/trainer
readonly SRC_DIR=$PREFIX/src
readonly VENV_DIR=$PREFIX/venv
readonly STAMP_FILE=$PREFIX/.source-sha256
readonly BIN_LINK=/usr/local/bin/trainer
readonly UNIT_DEST=/etc/systemd/system/$UNIT_NAME
readonly CONFIG_FILE=/etc/trainer/config.toml
# The fleet server's DSN (it holds the kiosk's password): beside the config,
# where `trainer` looks for it, readable only by the kiosk user.
readonly DSN_FILE=/etc/trainer/fleet.dsn
readonly DATA_DIR=/var/lib/trainer
readonly CONSOLE_SETUP=/etc/default/console-setup
# A PIN changed on the kiosk's admin screen (hashed); it wins over the config's.
readonly PIN_FILE=$DATA_DIR/admin-pin
# The PIN README.md shows as an example: the kiosk refuses to start with it.
readonly EXAMPLE_PIN=2468
readonly APT_PACKAGES=(
    python3 python3-venv python3-dev build-essential
    libasound2-dev alsa-utils espeak-ng
    console-setup kbd
)
# From the Raspberry Pi archive; installed when apt can find it.
readonly APT_OPTIONAL=(python3-lgpio)
readonly GROUPS_NEEDED=(gpio audio)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO
# A prefix for every file path the script reads or writes (not for the commands
# it runs): lets the tests check dry runs and stubbed runs without touching /.
ROOT=${INSTALL_ROOT:-}
ROOT=${ROOT%/}
readonly ROOT

DRY_RUN=0
UNINSTALL=0
KIOSK_USER=trainer
FONT_FACE=Terminus
FONT_SIZE=16x32
SET_FONT=1
SET_TARGET=1
CHANGES=0
PIN_GIVEN=""
NEW_PIN=""
PIN_GENERATED=0
SERVER_DSN=""

usage() {
    cat <<EOF
Usage: sudo bash hardware/install.sh [OPTIONS]

Install the trainer kiosk from this checkout ($REPO):
apt packages, a '$KIOSK_USER' user in the gpio and audio groups, a venv in
$VENV_DIR, a large console font, and the systemd unit $UNIT_NAME
that runs 'trainer kiosk' on tty1 at boot. Safe to run again: steps that are
already done are reported as "ok:" and left alone.

Options:
  -n, --dry-run      print every change as "would: ..." and change nothing
                     (needs neither root nor apt/systemctl)
      --uninstall    stop and remove the service, the venv and $PREFIX;
                     keeps the user, $DATA_DIR (history) and $CONFIG_FILE
      --user NAME    kiosk user (default: trainer)
      --font-size S  console font size for Terminus (default: 16x32; also
                     6x12 8x14 8x16 10x20 11x22 12x24 14x28)
      --no-font      leave the console font alone
      --keep-desktop do not switch the default boot target to the console
                     (multi-user.target)
      --pin DIGITS   set the kiosk's admin PIN (4-12 digits) in $CONFIG_FILE;
                     without it, a config with no PIN gets a random 6-digit
                     one, printed once at the end
      --server DSN   join a fleet: write the kiosk's DSN (from 'trainer server
                     add-kiosk NAME' on the server) to $DSN_FILE, readable
                     only by the kiosk user, and install the fleet extra
                     (psycopg); '--server -' reads the DSN from stdin, which
                     keeps its password out of your shell history
  -h, --help         show this help

Environment:
  INSTALL_ROOT       prefix for every file path read or written; commands still
                     run as usual and the root check is skipped (for tests)
EOF
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}
warn() { printf 'warning: %s\n' "$*" >&2; }
ok() { printf 'ok: %s\n' "$*"; }
note() { printf '  %s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }

# The one place that changes anything.
run() {
    CHANGES=$((CHANGES + 1))
    local shown
    shown=$(printf '%q ' "$@")
    if ((DRY_RUN)); then
        printf 'would: %s\n' "${shown% }"
    else
        printf 'run: %s\n' "${shown% }"
        "$@"
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- state checks
# Each returns false when it cannot tell (tool missing in a dry run), so the
# step is listed as a change rather than silently skipped.

pkg_installed() {
    have dpkg-query || return 1
    local status
    # shellcheck disable=SC2016  # ${db:Status-Abbrev} is dpkg-query's, not ours
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
    [[ $status == "ii "* ]]
}

pkg_available() {
    have apt-cache || return 1
    local out
    out=$(apt-cache policy "$1" 2>/dev/null) || return 1
    [[ $out =~ Candidate:\ ([^[:space:]]+) ]] && [[ ${BASH_REMATCH[1]} != "(none)" ]]
}

user_exists() { have getent && getent passwd "$1" >/dev/null 2>&1; }
group_exists() { have getent && getent group "$1" >/dev/null 2>&1; }

user_in_group() {
    local groups
    groups=$(id -nG "$1" 2>/dev/null) || return 1
    [[ " $groups " == *" $2 "* ]]
}

unit_enabled() {
    have systemctl || return 1
    [[ $(systemctl is-enabled "$1" 2>/dev/null) == enabled ]]
}

unit_active() { have systemctl && systemctl is-active --quiet "$1" 2>/dev/null; }

# The files that make up the checkout (not caches, venvs or git metadata).
source_files() {
    (cd "$REPO" && find . \
        \( -name .git -o -name .venv -o -name venv -o -name __pycache__ \
        -o -name '.*_cache' -o -name .hypothesis -o -name '*.egg-info' \
        -o -name build -o -name dist -o -name node_modules \) -prune \
        -o -type f -print | LC_ALL=C sort)
}

source_digest() {
    (cd "$REPO" && source_files | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

render_unit() {
    sed -e "s/^User=trainer\$/User=$KIOSK_USER/" -e "s/^Group=trainer\$/Group=$KIOSK_USER/" \
        "$REPO/hardware/$UNIT_NAME"
}

# ------------------------------------------------------------ change actions
# Composite changes are functions so run() can show them by name.

copy_source() {
    local to=$1
    rm -rf "$to.new"
    mkdir -p "$to.new"
    source_files | tar -C "$REPO" --no-recursion -cf - -T - |
        tar -C "$to.new" --no-same-owner -xf -
    chmod -R u=rwX,go=rX "$to.new"
    rm -rf "$to"
    mv "$to.new" "$to"
}

write_stamp() {
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "$2" >"$1"
}

write_config_example() {
    mkdir -p "$(dirname "$1")"
    cat >"$1" <<'EOF'
# trainer kiosk config (trainer-kiosk.service reads it through TRAINER_CONFIG).
# Every setting has a default: uncomment only what you need to change.
# Wiring and the meaning of each setting: /opt/trainer/src/hardware/README.md

# [pedal]
# pin = 17            # BCM number of the foot-switch input (physical pin 11)
# pull = "up"         # "up": the switch connects the pin to GND (the default wiring)
# debounce = 0.03     # seconds a new level must hold; raise it if one press counts twice
# bounce = 0.02       # extra filtering in the GPIO driver for long, noisy cables (off by default)
# long_press = 0.8    # seconds held for a long press (pause)
# double_tap = 0.35   # seconds to press again for a double tap (back); 0 turns it off

# [audio]
# volume = 0.8        # 0 to 1
# muted = false
# speech = true       # speak step names and cues with espeak-ng
# backend = "auto"    # auto | simpleaudio | aplay | silent

# [keys]
# tap = ["pagedown"]  # a USB pedal that types PageDown (trainer pedal-test shows the key)

[kiosk]
# admin_pin is set by install.sh (--pin, or a random one printed once); the
# admin screen (F12) can change it. The kiosk refuses to start without one.
# admin_key = "f12"           # opens the PIN prompt
# idle_seconds = 300          # back to the attract screen after this long without input
# show_member_names = false   # true: the picker lists members to sign in by name
EOF
    chmod 0644 "$1"
}

# The admin PIN in the config file, or nothing if it has none.
config_pin() {
    [[ -r $1 ]] || return 0
    sed -n -E 's/^[[:space:]]*admin_pin[[:space:]]*=[[:space:]]*"?([0-9]*)"?.*/\1/p' "$1" | head -n 1
}

pin_too_easy() {
    local pin=$1
    [[ -z ${pin//"${pin:0:1}"/} || 0123456789012 == *"$pin"* || 9876543210987 == *"$pin"* ]]
}

random_pin() {
    local n pin
    while :; do
        n=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
        printf -v pin '%06d' $((n % 1000000))
        pin_too_easy "$pin" || break
    done
    printf '%s\n' "$pin"
}

# Writes $NEW_PIN (a global, so run() never shows it) as [kiosk] admin_pin,
# keeping every other line of the file.
write_admin_pin() {
    local file=$1
    mkdir -p "$(dirname "$file")"
    [[ -f $file ]] || : >"$file"
    if grep -Eq '^[[:space:]]*admin_pin[[:space:]]*=' "$file"; then
        sed -i -E "s/^[[:space:]]*admin_pin[[:space:]]*=.*/admin_pin = \"$NEW_PIN\"/" "$file"
    elif grep -Eq '^[[:space:]]*\[kiosk\][[:space:]]*(#.*)?$' "$file"; then
        sed -i -E "0,/^[[:space:]]*\[kiosk\].*/s//[kiosk]\nadmin_pin = \"$NEW_PIN\"/" "$file"
    else
        printf '\n[kiosk]\nadmin_pin = "%s"\n' "$NEW_PIN" >>"$file"
    fi
    # Only root and the kiosk user read the PIN.
    chmod 0640 "$file"
    chgrp "$KIOSK_USER" "$file" 2>/dev/null || warn "could not give $file to group $KIOSK_USER"
}

write_dsn_file() {
    local file=$1
    mkdir -p "$(dirname "$file")"
    (
        umask 077
        printf '%s\n' "$SERVER_DSN" >"$file.new"
    )
    chown "$KIOSK_USER" "$file.new" 2>/dev/null || warn "could not give $file to $KIOSK_USER"
    mv -f "$file.new" "$file"
}

set_console_font() {
    local file=$1 face=$2 size=$3
    mkdir -p "$(dirname "$file")"
    if [[ ! -f $file ]]; then
        printf '%s\n' 'ACTIVE_CONSOLES="/dev/tty[1-6]"' 'CHARMAP="UTF-8"' \
            'CODESET="guess"' 'FONTFACE=""' 'FONTSIZE=""' >"$file"
    elif [[ ! -e $file.trainer-orig ]]; then
        cp -p "$file" "$file.trainer-orig"
    fi
    local key value
    for key in FONTFACE FONTSIZE; do
        if [[ $key == FONTFACE ]]; then value=$face; else value=$size; fi
        if grep -q "^$key=" "$file"; then
            sed -i "s/^$key=.*/$key=\"$value\"/" "$file"
        else
            printf '%s="%s"\n' "$key" "$value" >>"$file"
        fi
    done
}

install_unit_file() {
    mkdir -p "$(dirname "$1")"
    render_unit >"$1.tmp"
    chmod 0644 "$1.tmp"
    mv "$1.tmp" "$1"
}

# --------------------------------------------------------------------- steps

preflight() {
    step "checks"
    [[ -f $REPO/pyproject.toml && -d $REPO/trainer ]] ||
        die "$REPO does not look like the trainer checkout (no pyproject.toml / trainer/)"
    [[ -f $REPO/hardware/$UNIT_NAME ]] || die "missing $REPO/hardware/$UNIT_NAME"
    if ((DRY_RUN)); then
        ok "dry run: nothing will be changed"
    elif ((EUID != 0)) && [[ -z $ROOT ]]; then
        die "run as root: sudo bash $0  (or see the changes first with --dry-run)"
    fi
    ok "checkout: $REPO"
    [[ -n $ROOT ]] && ok "file paths are prefixed with INSTALL_ROOT=$ROOT"
    if [[ -r /proc/device-tree/model ]]; then
        ok "board: $(tr -d '\0' </proc/device-tree/model)"
    fi
    local codename=""
    if [[ -r $ROOT/etc/os-release ]]; then
        # shellcheck source=/dev/null
        codename=$(. "$ROOT/etc/os-release" && printf '%s' "${VERSION_CODENAME:-}")
    fi
    case $codename in
    bookworm | trixie) ok "OS: $codename" ;;
    "") note "OS release unknown; Raspberry Pi OS Bookworm is what this is tested for" ;;
    *) warn "OS is '$codename'; this script targets Raspberry Pi OS Bookworm (Python >= 3.11)" ;;
    esac
}

step_packages() {
    step "apt packages"
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        pkg_installed "$pkg" || missing+=("$pkg")
    done
    local optional_missing=()
    for pkg in "${APT_OPTIONAL[@]}"; do
        pkg_installed "$pkg" || optional_missing+=("$pkg")
    done
    if ((${#missing[@]} == 0 && ${#optional_missing[@]} == 0)); then
        ok "installed: ${APT_PACKAGES[*]} ${APT_OPTIONAL[*]}"
        return
    fi
    run apt-get update
    for pkg in "${optional_missing[@]}"; do
        if pkg_available "$pkg"; then
            missing+=("$pkg")
        elif ((DRY_RUN)); then
            note "$pkg: installed when the apt archive has it (Raspberry Pi OS does)"
            missing+=("$pkg")
        else
            warn "$pkg is not in this system's apt archive (not Raspberry Pi OS?):" \
                "the GPIO pedal needs it; the keyboard and USB pedals work without it"
        fi
    done
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

step_user() {
    step "user '$KIOSK_USER' and groups ${GROUPS_NEEDED[*]}"
    local group
    for group in "${GROUPS_NEEDED[@]}"; do
        if group_exists "$group"; then
            ok "group $group exists"
        else
            run groupadd --system "$group"
        fi
    done
    if user_exists "$KIOSK_USER"; then
        ok "user $KIOSK_USER exists"
    else
        run useradd --system --user-group --no-create-home --home-dir "$DATA_DIR" \
            --shell /usr/sbin/nologin --comment "trainer kiosk" "$KIOSK_USER"
    fi
    for group in "${GROUPS_NEEDED[@]}"; do
        if user_in_group "$KIOSK_USER" "$group"; then
            ok "$KIOSK_USER is in group $group"
        else
            run usermod --append --groups "$group" "$KIOSK_USER"
        fi
    done
    # The home and data folder; readable by all so an admin can run `trainer history`.
    if [[ -d $ROOT$DATA_DIR ]]; then
        ok "$DATA_DIR exists"
    else
        run install -d -m 0755 -o "$KIOSK_USER" -g "$KIOSK_USER" "$ROOT$DATA_DIR"
    fi
}

step_app() {
    step "trainer in $VENV_DIR"
    local digest installed=""
    if ! digest=$(source_digest); then
        ((DRY_RUN)) || die "cannot read every file of the checkout $REPO"
        digest=unreadable
    fi
    [[ -r $ROOT$STAMP_FILE ]] && installed=$(<"$ROOT$STAMP_FILE")
    local changed=0
    if [[ $installed == "$digest" && -d $ROOT$SRC_DIR ]]; then
        ok "$SRC_DIR matches this checkout"
    else
        changed=1
        if [[ $(cd "$REPO" && pwd -P) == "$(cd "$ROOT$SRC_DIR" 2>/dev/null && pwd -P)" ]]; then
            ok "the checkout is $SRC_DIR itself: nothing to copy"
        else
            run copy_source "$ROOT$SRC_DIR"
        fi
    fi
    if [[ -x $ROOT$VENV_DIR/bin/python ]]; then
        ok "venv $VENV_DIR exists"
    else
        # System site-packages: python3-lgpio comes from apt, not from PyPI.
        run python3 -m venv --system-site-packages "$ROOT$VENV_DIR"
        changed=1
    fi
    if ((changed == 0)) && [[ -x $ROOT$VENV_DIR/bin/trainer ]]; then
        ok "trainer is installed in the venv"
    else
        # Editable, so the bundled routines/ beside trainer/ stay where the
        # package looks for them ($SRC_DIR/routines).
        run "$ROOT$VENV_DIR/bin/python" -m pip install --editable "$ROOT$SRC_DIR"
        run write_stamp "$ROOT$STAMP_FILE" "$digest"
        APP_CHANGED=1
    fi
    if [[ -L $ROOT$BIN_LINK && $(readlink "$ROOT$BIN_LINK") == "$VENV_DIR/bin/trainer" ]]; then
        ok "$BIN_LINK -> $VENV_DIR/bin/trainer"
    else
        [[ -d $ROOT$(dirname "$BIN_LINK") ]] || run mkdir -p "$ROOT$(dirname "$BIN_LINK")"
        run ln -sfn "$VENV_DIR/bin/trainer" "$ROOT$BIN_LINK"
    fi
    if [[ -e $ROOT$CONFIG_FILE ]]; then
        ok "config $CONFIG_FILE exists (left as it is)"
    else
        run write_config_example "$ROOT$CONFIG_FILE"
    fi
}

step_pin() {
    step "admin PIN"
    local file=$ROOT$CONFIG_FILE current
    current=$(config_pin "$file")
    if [[ -n $PIN_GIVEN ]]; then
        if [[ $current == "$PIN_GIVEN" && ! -e $ROOT$PIN_FILE ]]; then
            ok "the admin PIN in $CONFIG_FILE is the one given"
            return
        fi
        NEW_PIN=$PIN_GIVEN
        run write_admin_pin "$file"
        # A PIN changed on the admin screen would still win: --pin replaces it.
        if [[ -e $ROOT$PIN_FILE ]]; then
            run rm -f "$ROOT$PIN_FILE"
        fi
        return
    fi
    if [[ -e $ROOT$PIN_FILE ]]; then
        ok "admin PIN changed on the kiosk ($PIN_FILE); kept"
    elif [[ -n $current && $current != "$EXAMPLE_PIN" ]] && ! pin_too_easy "$current"; then
        ok "admin PIN set in $CONFIG_FILE (left as it is)"
    elif ((DRY_RUN)); then
        run write_admin_pin "$file"
        note "a random 6-digit PIN, printed once when this runs for real"
    else
        NEW_PIN=$(random_pin)
        PIN_GENERATED=1
        run write_admin_pin "$file"
    fi
}

step_fleet() {
    step "fleet server"
    if [[ -z $SERVER_DSN ]]; then
        if [[ ! -e $ROOT$DSN_FILE ]]; then
            ok "no fleet server: this box keeps its history to itself (--server DSN joins one)"
            return
        fi
        ok "fleet server configured in $DSN_FILE (left as it is)"
    elif [[ -f $ROOT$DSN_FILE && $(<"$ROOT$DSN_FILE") == "$SERVER_DSN" ]]; then
        ok "$DSN_FILE holds this DSN"
    else
        # Shown as the command only: the DSN (and its password) is never printed.
        run write_dsn_file "$ROOT$DSN_FILE"
        APP_CHANGED=1
    fi
    # The trainer lets psycopg use Debian's libpq, which shares OpenSSL with Python:
    # the sync thread then needs about 4 MB less memory than with psycopg-binary's own.
    if pkg_installed libpq5; then
        ok "libpq5 is installed"
    else
        run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq5
    fi
    if "$ROOT$VENV_DIR/bin/python" -c 'import psycopg' >/dev/null 2>&1; then
        ok "the fleet extra (psycopg) is installed in the venv"
    else
        run "$ROOT$VENV_DIR/bin/python" -m pip install --editable "${ROOT}${SRC_DIR}[fleet]"
        APP_CHANGED=1
    fi
}

step_font() {
    step "console font"
    if ((!SET_FONT)); then
        ok "left alone (--no-font)"
        return
    fi
    local file=$ROOT$CONSOLE_SETUP
    if [[ -f $file ]] && grep -qx "FONTFACE=\"$FONT_FACE\"" "$file" &&
        grep -qx "FONTSIZE=\"$FONT_SIZE\"" "$file"; then
        ok "$CONSOLE_SETUP has FONTFACE=\"$FONT_FACE\" FONTSIZE=\"$FONT_SIZE\""
        return
    fi
    run set_console_font "$file" "$FONT_FACE" "$FONT_SIZE"
    # Applies it now to tty1-6 and saves it for early boot; a reboot does too.
    run setupcon --force --save || warn "setupcon failed; the font applies after a reboot"
}

step_boot_target() {
    step "boot to the console"
    if ((!SET_TARGET)); then
        ok "left alone (--keep-desktop)"
        return
    fi
    local current=""
    have systemctl && current=$(systemctl get-default 2>/dev/null || true)
    if [[ $current == multi-user.target ]]; then
        ok "default target is multi-user.target"
    else
        run systemctl set-default multi-user.target
    fi
}

step_unit() {
    step "systemd unit $UNIT_NAME"
    local dest=$ROOT$UNIT_DEST unit_changed=0
    if [[ -f $dest ]] && [[ $(<"$dest") == "$(render_unit)" ]]; then
        ok "$UNIT_DEST is up to date"
    else
        run install_unit_file "$dest"
        run systemctl daemon-reload
        unit_changed=1
    fi
    if unit_enabled "$UNIT_NAME"; then
        ok "$UNIT_NAME is enabled"
    else
        run systemctl enable "$UNIT_NAME"
    fi
    if unit_active "$UNIT_NAME"; then
        if ((unit_changed || APP_CHANGED)); then
            run systemctl restart "$UNIT_NAME"
        else
            ok "$UNIT_NAME is running"
        fi
    else
        # Not started from here: if this script runs on tty1 itself, starting
        # the kiosk would end this very login session.
        note "reboot to start the kiosk (or: sudo systemctl start $UNIT_NAME, which takes over tty1)"
    fi
}

do_install() {
    APP_CHANGED=0
    step_packages
    step_user
    step_app
    step_pin
    step_fleet
    step_font
    step_boot_target
    step_unit
}

do_uninstall() {
    step "remove $UNIT_NAME"
    local stopped=0
    if unit_active "$UNIT_NAME"; then
        run systemctl stop "$UNIT_NAME"
        stopped=1
    else
        ok "$UNIT_NAME is not running"
    fi
    if unit_enabled "$UNIT_NAME"; then
        run systemctl disable "$UNIT_NAME"
    else
        ok "$UNIT_NAME is not enabled"
    fi
    if [[ -e $ROOT$UNIT_DEST ]]; then
        run rm -f "$ROOT$UNIT_DEST"
        run systemctl daemon-reload
    else
        ok "$UNIT_DEST is gone"
    fi
    if ((stopped)); then
        run systemctl start getty@tty1.service
    fi
    step "remove $PREFIX"
    if [[ -L $ROOT$BIN_LINK ]]; then
        run rm -f "$ROOT$BIN_LINK"
    else
        ok "$BIN_LINK is gone"
    fi
    if [[ -e $ROOT$PREFIX ]]; then
        run rm -rf "$ROOT$PREFIX"
    else
        ok "$PREFIX is gone"
    fi
    step "kept"
    note "user $KIOSK_USER, history in $DATA_DIR, config in $CONFIG_FILE, apt packages"
    note "console font: restore with  sudo mv $CONSOLE_SETUP.trainer-orig $CONSOLE_SETUP && sudo setupcon"
    note "desktop boot: sudo systemctl set-default graphical.target"
}

main() {
    while (($#)); do
        case $1 in
        -n | --dry-run) DRY_RUN=1 ;;
        --uninstall) UNINSTALL=1 ;;
        --user)
            [[ $# -ge 2 && $2 =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--user needs a valid user name"
            KIOSK_USER=$2
            shift
            ;;
        --font-size)
            [[ $# -ge 2 && $2 =~ ^[0-9]+x[0-9]+$ ]] || die "--font-size needs a size like 16x32"
            FONT_SIZE=$2
            shift
            ;;
        --pin)
            [[ $# -ge 2 && $2 =~ ^[0-9]{4,12}$ ]] || die "--pin needs 4 to 12 digits"
            [[ $2 != "$EXAMPLE_PIN" ]] || die "--pin $2 is the documented example: choose another"
            ! pin_too_easy "$2" || die "--pin $2 is too easy to guess (one digit, or a straight run)"
            PIN_GIVEN=$2
            shift
            ;;
        --server)
            [[ $# -ge 2 && -n $2 ]] || die "--server needs the kiosk's DSN (or - to read it from stdin)"
            SERVER_DSN=$2
            if [[ $SERVER_DSN == - ]]; then
                IFS= read -r SERVER_DSN || true
            fi
            [[ -n $SERVER_DSN && $SERVER_DSN != *$'\n'* ]] || die "--server: the DSN is empty"
            shift
            ;;
        --no-font) SET_FONT=0 ;;
        --keep-desktop) SET_TARGET=0 ;;
        -h | --help)
            usage
            return 0
            ;;
        *) die "unknown option: $1 (see --help)" ;;
        esac
        shift
    done

    preflight
    if ((UNINSTALL)); then
        do_uninstall
    else
        do_install
    fi

    printf '\n'
    if ((DRY_RUN)); then
        printf 'Dry run: %d change(s) would be made; nothing was changed.\n' "$CHANGES"
    elif ((CHANGES == 0)); then
        printf 'Nothing to change: everything was already in place.\n'
    else
        printf 'Done: %d change(s) made.\n' "$CHANGES"
    fi
    if ((PIN_GENERATED)); then
        printf '\nAdmin PIN: %s\n' "$NEW_PIN"
        note "Written to $CONFIG_FILE ([kiosk] admin_pin). It is shown only this once: note it now."
        note "Press F12 on the kiosk and type it to open the admin screen, where it can be changed,"
        note "or set another with: sudo bash hardware/install.sh --pin DIGITS"
    fi
}

main "$@"
