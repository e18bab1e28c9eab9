# shellcheck shell=bash
# Shared setup for tools/run-tests.sh and tools/demo.sh; source it from bash:
#
#   source "$(dirname "$0")/setup-env.sh"
#   ensure_packages; setup_wineprefix; configure_build; build
#
# Overrides from the environment (relative paths are taken from the caller's
# directory; the scripts then work from the source tree):
#   BUILD_DIR   meson build directory (default: build, in the source tree)
#   WINEPREFIX  private Wine prefix (default: <source tree>/build/wineprefix)
#   WINEDEBUG   Wine debug channels (default: -all)

MFSESSION_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

absolute_path() {
    case "$1" in
    /*) printf '%s\n' "$1" ;;
    *)  printf '%s\n' "$PWD/$1" ;;
    esac
}
BUILD_DIR=$(absolute_path "${BUILD_DIR:-$MFSESSION_ROOT/build}")
export WINEPREFIX
WINEPREFIX=$(absolute_path "${WINEPREFIX:-$MFSESSION_ROOT/build/wineprefix}")
cd "$MFSESSION_ROOT" || return 1
export WINEARCH=win64
export WINEDEBUG=${WINEDEBUG:--all}
# No Gecko or Mono install prompts in a fresh prefix.
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}

MFSESSION_PACKAGES="gcc-mingw-w64-x86-64 mingw-w64-tools wine wine64 libwine-dev meson ninja-build pulseaudio pulseaudio-utils gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav xvfb gcc-mingw-w64-i686 debootstrap"
WINE_IDL_DIR=/usr/include/wine/wine/windows

log() { printf '==> %s\n' "$*" >&2; }

# Cleanup when the calling script exits: on_exit CMD runs CMD then, in the
# order registered (the wineserver before the audio server it talks to).
MFSESSION_EXIT_HANDLERS=()
run_exit_handlers() {
    local handler
    for handler in "${MFSESSION_EXIT_HANDLERS[@]}"; do
        $handler || true
    done
}
on_exit() {
    MFSESSION_EXIT_HANDLERS+=("$1")
    trap run_exit_handlers EXIT
}

# Installs the Debian packages when a command they provide is missing (as
# root; otherwise says what to run).  PulseAudio is only needed for playback.
ensure_packages() {
    local missing="" cmd
    for cmd in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres x86_64-w64-mingw32-objdump \
               x86_64-w64-mingw32-widl wine wineserver wineboot winepath meson ninja; do
        command -v "$cmd" >/dev/null 2>&1 || missing="$missing $cmd"
    done
    [ -f "$WINE_IDL_DIR/mfidl.idl" ] || missing="$missing $WINE_IDL_DIR/mfidl.idl"
    if [ "$(id -u)" = 0 ] && ! command -v pulseaudio >/dev/null 2>&1; then
        missing="$missing pulseaudio"
    fi
    if [ "$(id -u)" = 0 ] && ! command -v pactl >/dev/null 2>&1; then
        missing="$missing pactl"
    fi
    # The shared test media (tools/make-media.sh) and the private X server.
    if [ "$(id -u)" = 0 ]; then
        for cmd in gst-launch-1.0 Xvfb; do
            command -v "$cmd" >/dev/null 2>&1 || missing="$missing $cmd"
        done
        for cmd in x264enc avenc_aac lamemp3enc xingmux; do
            gst-inspect-1.0 --exists "$cmd" 2>/dev/null || missing="$missing GStreamer:$cmd"
        done
    fi
    [ -z "$missing" ] && return 0

    log "missing:$missing"
    if [ "$(id -u)" != 0 ]; then
        log "as root, run: apt-get update && apt-get install -y $MFSESSION_PACKAGES"
        return 1
    fi
    log "installing $MFSESSION_PACKAGES"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # shellcheck disable=SC2086
    apt-get install -y $MFSESSION_PACKAGES
}

# Configures the build directory with both cross files, once.
# MFSESSION_CROSS_FILE=tools/i686-w64-mingw32.txt builds for 32-bit (README, "32-bit").
configure_build() {
    if [ -f "$BUILD_DIR/build.ninja" ]; then
        return 0
    fi
    log "configuring $BUILD_DIR"
    meson setup "$BUILD_DIR" \
        --cross-file "${MFSESSION_CROSS_FILE:-tools/x86_64-w64-mingw32.txt}" --cross-file tools/wine.txt \
        -Dwine_idl_dir="$WINE_IDL_DIR"
}

build() {
    log "building in $BUILD_DIR"
    meson compile -C "$BUILD_DIR"
}

# The host prefix's server, also after WINEPREFIX was switched to the Wine
# 10 root's prefix (wine10_enter): left running, it would make the next
# run's "wineserver -w" wait forever.
stop_wineserver() {
    WINEPREFIX=${MFSESSION_HOST_PREFIX:-$WINEPREFIX} wineserver -k >/dev/null 2>&1 || true
}

# Creates the private prefix if needed and kills its wineserver when the
# calling script exits.
setup_wineprefix() {
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        log "creating Wine prefix $WINEPREFIX"
        mkdir -p "$WINEPREFIX"
        wineboot -i
    fi
    wineserver -w
    # A persistent server started here, not by the first test: a wineserver
    # spawned by a test inherits its output pipe, and meson then counts that
    # test as running until the server exits.
    wineserver -p
    # Likewise the prefix's system processes (services.exe, winedevice.exe,
    # rpcss.exe ...): the first Wine program of a server starts them and they
    # inherit its standard handles.  Started here with /dev/null, they cannot
    # keep a test's output pipe open (meson would wait for it until the test's
    # timeout; it happened whenever no "meson setup" sanity check ran first).
    wine cmd.exe /c exit </dev/null >/dev/null 2>&1 || true
    MFSESSION_HOST_PREFIX=$WINEPREFIX
    on_exit stop_wineserver
}

# Wine plays audio through PulseAudio (winepulse), and the audio renderer
# (MFCreateAudioRendererActivate) needs a device.  When no server answers,
# start a private one with a null sink: its own HOME and XDG_RUNTIME_DIR under
# a temporary directory, no default configuration (-n), never idle-exiting,
# killed when the calling script exits.  Clients (Wine) find it through the
# exported PULSE_SERVER.  Returns 1, after saying why, when no server can be
# had: playback then fails, and so do the audio renderer tests, with their own
# message.
start_pulseaudio() {
    local dir pid
    if command -v pactl >/dev/null 2>&1 && pactl info >/dev/null 2>&1; then
        log "using the running audio server (${PULSE_SERVER:-default})"
        return 0
    fi
    if ! command -v pulseaudio >/dev/null 2>&1 || ! command -v pactl >/dev/null 2>&1; then
        log "pulseaudio or pactl is not installed (apt-get install pulseaudio pulseaudio-utils): audio playback will fail"
        return 1
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mfsession-pulse.XXXXXX")
    mkdir -m 700 "$dir/home" "$dir/runtime"
    log "starting a private pulseaudio with a null sink in $dir"
    # As root pulseaudio warns that it is meant for --system mode, and runs.
    if ! HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" pulseaudio -D -n \
            --load=module-null-sink --load=module-native-protocol-unix \
            --exit-idle-time=-1 --log-target="file:$dir/pulseaudio.log" >/dev/null 2>&1; then
        log "pulseaudio did not start (log: $dir/pulseaudio.log): audio playback will fail"
        return 1
    fi
    export PULSE_SERVER="unix:$dir/runtime/pulse/native"
    MFSESSION_PULSE_DIR=$dir
    on_exit stop_pulseaudio
    for _ in $(seq 50); do
        pactl info >/dev/null 2>&1 && break
        sleep 0.1
    done
    if ! pactl info >/dev/null 2>&1; then
        log "the private pulseaudio does not answer on $PULSE_SERVER (log: $dir/pulseaudio.log)"
        return 1
    fi
    pid=$(cat "$dir/runtime/pulse/pid" 2>/dev/null || true)
    log "pulseaudio ${pid:+(pid $pid) }is up: PULSE_SERVER=$PULSE_SERVER, default sink $(pactl get-default-sink 2>/dev/null || echo '?')"
}

# Kills the pulseaudio start_pulseaudio started (by its pid) and removes its
# directory.
stop_pulseaudio() {
    local dir=${MFSESSION_PULSE_DIR:-} pid
    [ -n "$dir" ] || return 0
    pid=$(cat "$dir/runtime/pulse/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        for _ in $(seq 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    MFSESSION_PULSE_DIR=
}

# The Windows path of a file (for wine command lines).
windows_path() {
    winepath -w "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

# Creates the shared test media (tools/make-media.sh: tone.wav, tone.mp3,
# tone.m4a, bars.avi, bars.mp4) in $BUILD_DIR/media, once, and exports
# MFSESSION_MEDIA_DIR, the folder as a Unix path (tests read it with
# GetEnvironmentVariable; Wine opens Unix paths).  Returns 1, after saying
# why, when GStreamer or one of its plugins is missing.
make_media() {
    local dir="$BUILD_DIR/media"
    if ! tools/make-media.sh "$dir"; then
        log "could not make the test media in $dir: the tests that play it will skip or fail"
        return 1
    fi
    export MFSESSION_MEDIA_DIR="$dir"
    log "test media: MFSESSION_MEDIA_DIR=$MFSESSION_MEDIA_DIR"
}

# Starts a private Xvfb on a display number it picks itself (-displayfd: the
# first free one, no race with another run choosing the same number), exports
# DISPLAY and stops the server when the calling script exits.  Never the
# user's display: Wine's windows (the EVR's, the desktop's) go to this one.
# Call it before setup_wineprefix, so that the prefix's desktop process
# starts with this DISPLAY.  Returns 1, after saying why, when Xvfb cannot
# start.
start_xserver() {
    local dir pid number=""
    if ! command -v Xvfb >/dev/null 2>&1; then
        log "Xvfb is not installed (apt-get install xvfb): no X server for Wine"
        return 1
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mfsession-x.XXXXXX")
    Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset \
        3>"$dir/display" >"$dir/xvfb.log" 2>&1 </dev/null &
    pid=$!
    MFSESSION_XVFB_PID=$pid MFSESSION_XVFB_DIR=$dir
    on_exit stop_xserver
    # Xvfb writes the number once it listens.
    for _ in $(seq 100); do
        number=$(cat "$dir/display" 2>/dev/null || true)
        [ -n "$number" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$number" ]; then
        log "Xvfb did not start (log: $dir/xvfb.log)"
        return 1
    fi
    export DISPLAY=":$number"
    log "Xvfb (pid $pid) is up: DISPLAY=$DISPLAY"
}

# Stops the Xvfb start_xserver started (by its pid), after the wineserver:
# Wine's processes hold connections to it.
stop_xserver() {
    local pid=${MFSESSION_XVFB_PID:-}
    [ -n "$pid" ] || return 0
    stop_wineserver
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    rm -rf "${MFSESSION_XVFB_DIR:-}"
    MFSESSION_XVFB_PID= MFSESSION_XVFB_DIR=
}

# The Wine 10 run's root, its mounts and services (wine10_enter ...).
# shellcheck source=tools/wine10.sh
source "$MFSESSION_ROOT/tools/wine10.sh"
