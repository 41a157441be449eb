#!/usr/bin/env bash
# Installs Oversight as a system service (Debian 12 with systemd). Idempotent: safe to rerun (an upgrade is a
# rerun). Run as root from a checkout:
#
#   Scripts/install.sh                  build release binaries, install, create the user, enable the socket
#   Scripts/install.sh --uninstall      remove binaries, units, sysusers/tmpfiles entries and the example
#                                       configuration; keeps the data (/var/lib/oversight), /etc/oversight/
#                                       oversightd.conf and the oversight user
#
# Options:
#   --prefix DIR      install under DIR as if it were / (a staging root, like DESTDIR); nothing is run against
#                     the live system: systemd-sysusers/-tmpfiles/systemctl steps are printed, not run
#   --binaries DIR    take oversightd and oversightctl from DIR instead of building them
#   --dry-run         print every step, change nothing
#   -h, --help        this text
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=""
BINARIES=""
UNINSTALL=0
DRY_RUN=0

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory" 64; PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        --binaries) [ $# -ge 2 ] || die "--binaries needs a directory" 64; BINARIES=$2; shift 2 ;;
        --binaries=*) BINARIES=${1#--binaries=}; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" 64 ;;
    esac
done
if [ -n "$PREFIX" ]; then
    [ -d "$PREFIX" ] || die "--prefix $PREFIX is not a directory" 64
    PREFIX=$(cd "$PREFIX" && pwd)
fi

BIN_DIR=/usr/local/bin
UNIT_DIR=/etc/systemd/system
SYSUSERS=/etc/sysusers.d/oversight.conf
TMPFILES=/etc/tmpfiles.d/oversight.conf
CONF_DIR=/etc/oversight
DOC_DIR=/usr/local/share/doc/oversight
# Every file install.sh installed, one a line, for --uninstall.
MANIFEST=/usr/local/share/oversight/installed-files
INSTALLED=()

# The live system is touched only without --prefix and --dry-run.
LIVE=1
[ -z "$PREFIX" ] && [ "$DRY_RUN" = 0 ] || LIVE=0
SYSTEMD_PID1=0
[ "$(cat /proc/1/comm 2>/dev/null || true)" = systemd ] && SYSTEMD_PID1=1

say() { echo "$*"; }
# Runs a command that changes the system; with --dry-run only prints it.
act() {
    if [ "$DRY_RUN" = 1 ]; then say "would run: $*"; else "$@"; fi
}
# Runs a command against the live system (systemctl, sysusers, tmpfiles); otherwise prints it.
live() {
    if [ "$LIVE" = 1 ]; then
        "$@"
    else
        say "would run: $*"
    fi
}
# install(1) a file under the prefix with a mode; reports whether it changed.
put() {
    local mode=$1 source=$2 target=$PREFIX$3
    if [ -f "$target" ] && cmp -s "$source" "$target" && [ "$(stat -c %a "$target")" = "${mode#0}" ]; then
        say "unchanged: $3"
    else
        act install -D -m "$mode" "$source" "$target"
        [ "$DRY_RUN" = 1 ] || say "installed: $3"
    fi
    INSTALLED+=("$3")
}
remove() {
    local target=$PREFIX$1
    if [ -e "$target" ] || [ -L "$target" ]; then
        act rm -f "$target"
        say "removed: $1"
    fi
}

if [ "$LIVE" = 1 ] && [ "$(id -u)" != 0 ]; then
    die "run as root (or use --prefix DIR / --dry-run)" 77
fi

if [ "$UNINSTALL" = 1 ]; then
    if [ "$SYSTEMD_PID1" = 1 ]; then
        live systemctl disable --now oversightd.socket oversightd.service || true
    else
        say "systemd is not PID 1: would run: systemctl disable --now oversightd.socket oversightd.service"
    fi
    for file in "$BIN_DIR/oversightd" "$BIN_DIR/oversightctl" "$UNIT_DIR/oversightd.service" \
        "$UNIT_DIR/oversightd.socket" "$SYSUSERS" "$TMPFILES" "$CONF_DIR/oversightd.conf.example" \
        "$DOC_DIR/README.md" "$DOC_DIR/OPERATIONS.md" "$DOC_DIR/ARCHITECTURE.md"; do
        remove "$file"
    done
    # The resource bundles next to the binaries (names depend on the build): from the manifest.
    if [ -f "$PREFIX$MANIFEST" ]; then
        while IFS= read -r file; do
            case "$file" in
                "$BIN_DIR"/*.resources/*)
                    bundle=${file#"$BIN_DIR"/}
                    bundle=$BIN_DIR/${bundle%%/*}
                    if [ -d "$PREFIX$bundle" ]; then
                        act rm -rf "$PREFIX$bundle"
                        say "removed: $bundle"
                    fi
                    ;;
                *) remove "$file" ;;
            esac
        done <"$PREFIX$MANIFEST"
        remove "$MANIFEST"
        if [ -d "$PREFIX$(dirname "$MANIFEST")" ]; then
            act rmdir --ignore-fail-on-non-empty "$PREFIX$(dirname "$MANIFEST")"
        fi
    fi
    if [ -d "$PREFIX$DOC_DIR" ]; then act rmdir --ignore-fail-on-non-empty "$PREFIX$DOC_DIR"; fi
    if [ "$SYSTEMD_PID1" = 1 ] && [ "$LIVE" = 1 ]; then systemctl daemon-reload; fi
    say "kept: /var/lib/oversight (the data), $CONF_DIR/oversightd.conf if any, and the oversight user"
    exit 0
fi

# 1. Binaries.
if [ -z "$BINARIES" ]; then
    # The Swift runtime and Foundation linked in: the installed binaries do not depend on the toolchain's
    # directory, and the daemon maps only the parts of them it uses (about 4 MiB less resident when idle).
    say "building release binaries (swift build -c release --static-swift-stdlib)"
    act swift build --package-path "$ROOT" -c release --static-swift-stdlib
    BINARIES=$(swift build --package-path "$ROOT" -c release --static-swift-stdlib --show-bin-path)
fi
for binary in oversightd oversightctl; do
    [ -x "$BINARIES/$binary" ] || [ "$DRY_RUN" = 1 ] || die "$BINARIES/$binary is missing; build it first" 69
done
# SwiftPM puts the interface files next to the binaries (<Package>_<Target>.resources); install them alongside.
for binary in oversightd oversightctl; do
    if [ -x "$BINARIES/$binary" ]; then put 0755 "$BINARIES/$binary" "$BIN_DIR/$binary"; fi
done
for bundle in "$BINARIES"/*.resources; do
    [ -d "$bundle" ] || continue
    name=$(basename "$bundle")
    act mkdir -p "$PREFIX$BIN_DIR/$name"
    for file in "$bundle"/*; do
        if [ -d "$file" ]; then
            for inner in "$file"/*; do put 0644 "$inner" "$BIN_DIR/$name/$(basename "$file")/$(basename "$inner")"; done
        else
            put 0644 "$file" "$BIN_DIR/$name/$(basename "$file")"
        fi
    done
done

# 2. Units, users, directories, configuration example, documentation.
put 0644 "$ROOT/deploy/oversightd.service" "$UNIT_DIR/oversightd.service"
put 0644 "$ROOT/deploy/oversightd.socket" "$UNIT_DIR/oversightd.socket"
put 0644 "$ROOT/deploy/sysusers-oversight.conf" "$SYSUSERS"
put 0644 "$ROOT/deploy/tmpfiles-oversight.conf" "$TMPFILES"
if [ -f "$ROOT/deploy/oversightd.conf.example" ]; then
    put 0644 "$ROOT/deploy/oversightd.conf.example" "$CONF_DIR/oversightd.conf.example"
else
    say "skipped: deploy/oversightd.conf.example is not in this checkout (no example configuration installed)"
fi
for doc in README.md docs/OPERATIONS.md docs/ARCHITECTURE.md; do
    if [ -f "$ROOT/$doc" ]; then put 0644 "$ROOT/$doc" "$DOC_DIR/$(basename "$doc")"; fi
done

if [ "$DRY_RUN" = 0 ]; then
    mkdir -p "$PREFIX$(dirname "$MANIFEST")"
    printf '%s\n' "${INSTALLED[@]}" | sort -u >"$PREFIX$MANIFEST"
fi

# 3. The user and directories, then the socket.
live systemd-sysusers "$SYSUSERS"
live systemd-tmpfiles --create "$TMPFILES"
if [ "$SYSTEMD_PID1" = 1 ]; then
    live systemctl daemon-reload
    live systemctl enable --now oversightd.socket
    # An upgrade: a running daemon picks up the new binary.
    if [ "$LIVE" = 1 ] && systemctl is-active --quiet oversightd.service; then systemctl restart oversightd.service; fi
else
    say "systemd is not PID 1 here: would run: systemctl daemon-reload && systemctl enable --now oversightd.socket"
fi
say "done: connect with oversightctl status (members of group oversight; add a user: usermod -aG oversight NAME)"
