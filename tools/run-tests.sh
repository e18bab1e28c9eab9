#!/bin/bash
# Sets everything up (Debian packages, build, private Wine prefix) and runs the
# test suite under Wine.  Extra arguments go to "meson test" (e.g. a test name).
set -euo pipefail

# shellcheck source=tools/setup-env.sh
source "$(dirname "$0")/setup-env.sh"

ensure_packages
# Before the prefix: its desktop process starts with this DISPLAY.
start_xserver || log "no X server: the tests that open windows will fail"
setup_wineprefix    # first: meson setup runs a sanity-check .exe under Wine
configure_build
build
# test_e2e plays through the audio renderer: a private server when none runs.
start_pulseaudio || log "no audio server: the audio renderer tests will fail"
# The shared media the real-media tests play (MFSESSION_MEDIA_DIR).
make_media || true

status=0
meson test -C "$BUILD_DIR" --print-errorlogs "$@" || status=$?
if [ "$status" -ne 0 ]; then
    # A test that crashed in Wine's own code only (no address of ours in the
    # harness's crash report) runs once more; any other failure stands.
    mapfile -t again < <(python3 tools/platform-crashes.py "$BUILD_DIR")
    if [ "${#again[@]}" -gt 0 ]; then
        log "crashed in platform code only (see the report above), running once more: ${again[*]}"
        cp "$BUILD_DIR/meson-logs/testlog.txt" "$BUILD_DIR/meson-logs/testlog-first-run.txt"
        status=0
        meson test -C "$BUILD_DIR" --print-errorlogs "${again[@]}" || status=$?
    fi
fi
exit "$status"
