# shellcheck shell=bash
# The Wine 10 run: a Debian 13 (trixie) root with Wine 10.0, made once with
# debootstrap in the build tree and entered with chroot.  Sourced by
# tools/setup-env.sh; tools/run-tests.sh and tools/bench.sh use it.
#
#   wine10_enter     makes the root if missing, bind-mounts what the tests
#                    need, starts the services inside (Xvfb, the private
#                    Wine prefix, PulseAudio with a null sink) and exports
#                    what points at them (DISPLAY, PULSE_SERVER, WINEPREFIX,
#                    MFSESSION_CHROOT).  Everything is undone when the
#                    calling script exits, however it exits.
#   wine10_exec CMD  runs CMD inside the root in the current directory.
#   wine10_version   the root's "wine --version".
#
# The test programs are built once, on the host (see docs/WINE-MATRIX.md),
# and run unchanged under both Wine versions; tools/chroot-run.sh is the
# "meson test --wrapper" that puts each Wine command inside the root.
#
# Overrides: WINE10_ROOT (default $BUILD_DIR/wine10-root, ignored by git as
# part of the build tree), WINE10_MIRROR (default http://deb.debian.org/debian).

WINE10_ROOT=$(absolute_path "${WINE10_ROOT:-$BUILD_DIR/wine10-root}")
WINE10_MIRROR=${WINE10_MIRROR:-http://deb.debian.org/debian}
WINE10_SUITE=trixie
# What the tests need inside: Wine, its GStreamer plugins (the source
# resolver decodes through them), the audio server and the X server.
WINE10_PACKAGES="wine wine64 pulseaudio pulseaudio-utils xvfb gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav"
WINE10_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The mount points made under the root, in order; unmounted in reverse.
WINE10_MOUNTS=()
WINE10_HOLDER_PID=
WINE10_HOLDER_FD=
WINE10_LOCK_FD=

# mount --bind SOURCE at the same path inside the root, remembered for
# wine10_unmount.
wine10_bind() {
    local target="$WINE10_ROOT$1"
    mkdir -p "$target"
    mount --bind "$1" "$target" || { log "cannot bind-mount $1 at $target"; return 1; }
    WINE10_MOUNTS+=("$target")
}

# The kernel file systems apt and Wine need: /proc (Wine finds its own
# loader through /proc/self), /sys, /dev with its ptys and shared memory.
wine10_bind_system() {
    local dir
    for dir in /proc /sys /dev /dev/pts /dev/shm; do
        wine10_bind "$dir" || return 1
    done
}

# Unmounts every mount wine10_bind made, last first.  A mount still busy
# (a process of the root that outlived its server) is detached lazily so the
# root is never left mounted.
wine10_unmount() {
    local i target
    for ((i = ${#WINE10_MOUNTS[@]} - 1; i >= 0; i--)); do
        target=${WINE10_MOUNTS[i]}
        umount "$target" 2>/dev/null || umount -l "$target" ||
            log "could not unmount $target"
    done
    WINE10_MOUNTS=()
}

wine10_exec() {
    chroot "$WINE10_ROOT" /usr/bin/env -C "$PWD" PATH="$WINE10_PATH" "$@"
}

wine10_version() {
    wine10_exec wine --version 2>/dev/null
}

# wine_major "wine-10.0 (Debian 10.0~repack-6)" prints 10.
wine_major() {
    local v=${1#wine-}
    printf '%s\n' "${v%%.*}"
}

# Makes the root once (debootstrap into a temporary folder, renamed when
# complete, so an interrupted run starts again) and installs the packages
# whenever the list differs from the one it was made with.
wine10_make_root() {
    local stamp="$WINE10_ROOT/.mfsession-packages" partial="$WINE10_ROOT.partial"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$WINE10_PACKAGES" ]; then
        return 0
    fi
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null ||
            { log "cannot install debootstrap"; return 1; }
    fi
    if [ ! -x "$WINE10_ROOT/usr/bin/apt-get" ]; then
        log "making a Debian $WINE10_SUITE root in $WINE10_ROOT (debootstrap, about a minute)"
        rm -rf "$partial"
        debootstrap --variant=minbase "$WINE10_SUITE" "$partial" "$WINE10_MIRROR" >"$partial.log" 2>&1 ||
            { log "debootstrap failed (log: $partial.log)"; return 1; }
        rm -rf "$WINE10_ROOT"
        mv "$partial" "$WINE10_ROOT"
        mv "$partial.log" "$WINE10_ROOT/.mfsession-debootstrap.log"
    fi
    log "installing in the root: $WINE10_PACKAGES (a few minutes the first time)"
    wine10_bind_system || return 1
    # shellcheck disable=SC2086 # the package list is words
    if ! chroot "$WINE10_ROOT" /usr/bin/env PATH="$WINE10_PATH" DEBIAN_FRONTEND=noninteractive \
            sh -c "apt-get update && apt-get install -y --no-install-recommends $WINE10_PACKAGES && apt-get clean" \
            >"$WINE10_ROOT/.mfsession-apt.log" 2>&1; then
        log "apt-get in the root failed (log: $WINE10_ROOT/.mfsession-apt.log)"
        wine10_unmount
        return 1
    fi
    wine10_unmount
    printf '%s\n' "$WINE10_PACKAGES" >"$stamp"
}

# The service holder: a bash inside the root that starts Xvfb, the private
# prefix and PulseAudio with the same functions as on the host, writes what
# points at them to STATE, then waits for its standard input to close.  The
# host keeps the other end open; when the host script ends (even when
# killed) the pipe closes, the holder's exit handlers stop the services in
# order, and wine10_leave can unmount.
wine10_holder_script='
set -u
source "$MFSESSION_ROOT/tools/setup-env.sh" || exit 1
trap "exit 143" TERM HUP
trap "exit 130" INT
start_xserver || exit 1
setup_wineprefix
start_pulseaudio || log "Wine 10 root: no audio server, the audio renderer tests will fail"
printf "DISPLAY=%q\nPULSE_SERVER=%q\n" "$DISPLAY" "${PULSE_SERVER:-}" >"$STATE.partial"
mv "$STATE.partial" "$STATE"
read -r _ || true
'

wine10_enter() {
    local state prefix
    if [ "$(id -u)" != 0 ]; then
        log "the Wine 10 run needs root (debootstrap, mount, chroot)"
        return 1
    fi
    # One run at a time per root: two would stack their mounts on the same
    # paths and share the Wine 10 prefix's wineserver, which each stops at
    # its end.  The lock goes with the process (and the fd) when it exits.
    mkdir -p "$(dirname "$WINE10_ROOT")"
    exec {WINE10_LOCK_FD}>"$WINE10_ROOT.lock"
    if ! flock -n "$WINE10_LOCK_FD"; then
        log "another run uses $WINE10_ROOT: waiting for it (at most 30 minutes)"
        flock -w 1800 "$WINE10_LOCK_FD" || { log "$WINE10_ROOT is still in use"; return 1; }
    fi
    wine10_make_root || return 1
    on_exit wine10_leave
    trap 'exit 130' INT
    trap 'exit 143' TERM HUP
    wine10_bind_system || return 1
    wine10_bind "$MFSESSION_ROOT" || return 1
    case "$BUILD_DIR/" in
    "$MFSESSION_ROOT"/*) ;;
    *) wine10_bind "$BUILD_DIR" || return 1 ;;
    esac

    # Its own prefix: Wine 10 would upgrade, and so change, Wine 8's.
    prefix="$BUILD_DIR/wineprefix-wine10"
    state="$BUILD_DIR/.wine10-services"
    rm -f "$state"
    log "starting the services inside the Wine 10 root"
    exec {WINE10_HOLDER_FD}> >(exec chroot "$WINE10_ROOT" /usr/bin/env -i PATH="$WINE10_PATH" HOME=/root \
        MFSESSION_ROOT="$MFSESSION_ROOT" BUILD_DIR="$BUILD_DIR" WINEPREFIX="$prefix" STATE="$state" \
        WINEDEBUG="$WINEDEBUG" /bin/bash -c "$wine10_holder_script" >&2)
    WINE10_HOLDER_PID=$!
    # Creating a prefix takes Wine 10 about a minute on a busy machine.
    for _ in $(seq 3000); do
        [ -f "$state" ] && break
        kill -0 "$WINE10_HOLDER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -f "$state" ]; then
        log "the services inside the Wine 10 root did not start"
        return 1
    fi
    unset PULSE_SERVER XDG_RUNTIME_DIR
    # shellcheck disable=SC1090 # DISPLAY and PULSE_SERVER, as the holder exported them
    source "$state"
    export DISPLAY PULSE_SERVER WINEPREFIX="$prefix" MFSESSION_CHROOT="$WINE10_ROOT"
    log "Wine 10 root ready: $(wine10_version), DISPLAY=$DISPLAY, PULSE_SERVER=${PULSE_SERVER:-none}, WINEPREFIX=$WINEPREFIX"
}

# Stops the services (closing the holder's input) and unmounts everything.
wine10_leave() {
    local pid=$WINE10_HOLDER_PID
    if [ -n "$WINE10_HOLDER_FD" ]; then
        exec {WINE10_HOLDER_FD}>&-
        WINE10_HOLDER_FD=
    fi
    if [ -n "$pid" ]; then
        for _ in $(seq 200); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -TERM "$pid" 2>/dev/null || true
        WINE10_HOLDER_PID=
    fi
    wine10_unmount
}
