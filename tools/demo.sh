#!/bin/bash
# Sets everything up (Debian packages, build, private Wine prefix), registers
# mfsession.dll in the prefix with regsvr32 and runs the demo client, which
# creates the session with CoCreateInstance.  Extra arguments go to the demo.
#
# Then it plays real media: mfplay writes a short WAV tone and plays it through
# the session and Wine's audio renderer (on a private PulseAudio null sink when
# no audio server runs), showing the streams, the progress and the event
# timeline.  MFPLAY_ARGS adds options to mfplay (e.g. "--bench --pause-at 1").
set -euo pipefail

# shellcheck source=tools/setup-env.sh
source "$(dirname "$0")/setup-env.sh"

ensure_packages
# Before the prefix: its desktop process starts with this DISPLAY.
start_xserver || log "no X server: windows (a video renderer's) cannot open"
setup_wineprefix    # first: meson setup runs a sanity-check .exe under Wine
configure_build
build
audio=yes
start_pulseaudio || audio=no

dll=$(windows_path "$BUILD_DIR/mfsession.dll")
log "registering $dll"
wine regsvr32 /s "$dll"

log "running the demo"
status=0
wine "$BUILD_DIR/tools/demo.exe" "$@" || status=$?
log "demo exited with status $status"

tone="$BUILD_DIR/demo-tone.wav"
log "writing a 2 s tone to $tone"
if ! wine "$BUILD_DIR/tools/mfplay.exe" --make-wav "$(windows_path "$tone")" --wav-seconds 2; then
    log "mfplay could not write the tone"
    exit 1
fi
mfplay_options=(--events)
if [ "$audio" = no ]; then
    log "no audio server: mfplay plays into sample grabbers (--null)"
    mfplay_options+=(--null)
fi
# shellcheck disable=SC2206
mfplay_options+=(${MFPLAY_ARGS:-})
log "playing it: mfplay ${mfplay_options[*]}"
mfplay_status=0
wine "$BUILD_DIR/tools/mfplay.exe" "${mfplay_options[@]}" "$(windows_path "$tone")" || mfplay_status=$?
log "mfplay exited with status $mfplay_status"
[ "$status" = 0 ] && status=$mfplay_status
exit "$status"
