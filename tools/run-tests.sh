#!/bin/bash
# Sets everything up (Debian packages, build, private Wine prefix, X and audio
# servers, test media) and runs the test suite under Wine.
#
#   tools/run-tests.sh [--wine10 | --wine10-only] [meson test arguments]
#
# Without an option the suite runs under the host's Wine (8.0 on Debian 12).
# --wine10 runs it there and then again, the same programs, under Wine 10.0
# from a Debian 13 root made once in $BUILD_DIR/wine10-root (tools/wine10.sh,
# docs/WINE-MATRIX.md; needs root); --wine10-only runs the second only.  The
# exit status is 0 only when every run passed.  Other arguments go to
# "meson test" (e.g. a test name).
set -euo pipefail

runs=(host)
args=()
for arg in "$@"; do
    case "$arg" in
    --wine10) runs=(host wine10) ;;
    --wine10-only) runs=(wine10) ;;
    *) args+=("$arg") ;;
    esac
done

# shellcheck source=tools/setup-env.sh
source "$(dirname "$0")/setup-env.sh"

# Registered first, so it runs first: the tests go before their servers.
MESON_PID=
stop_meson() {
    [ -n "$MESON_PID" ] || return 0
    kill -TERM "$MESON_PID" 2>/dev/null || true
    wait "$MESON_PID" 2>/dev/null || true
    MESON_PID=
}
on_exit stop_meson

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

# meson_test [meson test options]: "meson test" with the log as
# meson-logs/testlog.{txt,json} (tools/platform-crashes.py reads it); meson
# names the log of a run with --wrapper after the wrapper, so it is copied.
meson_test() {
    local status=0 log="$BUILD_DIR/meson-logs/testlog" wrapped=no arg
    for arg in "$@"; do
        [ "$arg" = --wrapper ] && wrapped=yes
    done
    # In the background and waited for: a TERM or INT to this script then
    # acts at once (bash runs traps only between foreground commands), and
    # stop_meson ends the run before the exit handlers stop the servers and
    # unmount the Wine 10 root.
    meson test -C "$BUILD_DIR" --logbase testlog --print-errorlogs "$@" &
    MESON_PID=$!
    wait "$MESON_PID" || status=$?
    MESON_PID=
    if [ "$wrapped" = yes ]; then
        cp "$log-chroot-run.sh.txt" "$log.txt"
        cp "$log-chroot-run.sh.json" "$log.json"
    fi
    return "$status"
}

# run_suite NAME [meson test options]: one run of the suite; its logs are
# kept as meson-logs/testlog-NAME.{txt,json}.  Returns meson's status.
run_suite() {
    local name=$1 status=0 again
    shift
    meson_test "$@" ${args[@]+"${args[@]}"} || status=$?
    if [ "$status" -ne 0 ]; then
        # A test that crashed in Wine's own code only (no address of ours in
        # the harness's crash report) runs once more; any other failure stands.
        mapfile -t again < <(python3 tools/platform-crashes.py "$BUILD_DIR")
        if [ "${#again[@]}" -gt 0 ]; then
            log "crashed in platform code only (see the report above), running once more: ${again[*]}"
            cp "$BUILD_DIR/meson-logs/testlog.txt" "$BUILD_DIR/meson-logs/testlog-$name-first-run.txt"
            status=0
            meson_test "$@" "${again[@]}" || status=$?
        fi
    fi
    cp "$BUILD_DIR/meson-logs/testlog.txt" "$BUILD_DIR/meson-logs/testlog-$name.txt"
    cp "$BUILD_DIR/meson-logs/testlog.json" "$BUILD_DIR/meson-logs/testlog-$name.json"
    return "$status"
}

summary=()
status=0
for run in "${runs[@]}"; do
    run_status=0
    if [ "$run" = host ]; then
        version=$(wine --version)
        log "run $((${#summary[@]} + 1)): the host's Wine, $version"
        SECONDS=0
        run_suite wine"$(wine_major "$version")" || run_status=$?
    else
        wine10_enter || { log "cannot set up the Wine 10 root"; exit 1; }
        version=$(wine10_version)
        log "run $((${#summary[@]} + 1)): Wine from the Debian 13 root, $version (same test programs, tools/chroot-run.sh)"
        SECONDS=0
        # --no-rebuild: exactly the programs the first run tested.
        run_suite wine"$(wine_major "$version")" --no-rebuild --wrapper "$MFSESSION_ROOT/tools/chroot-run.sh" ||
            run_status=$?
    fi
    if [ "$run_status" = 0 ]; then result=passed; else result="FAILED (status $run_status)"; status=1; fi
    summary+=("$version: $result in ${SECONDS} s")
    log "$version: $result"
done
for line in "${summary[@]}"; do
    log "summary: $line"
done
exit "$status"
