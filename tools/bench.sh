#!/bin/bash
# Builds mfsession and runs the benchmark (tools/bench.c) under Wine in the
# private prefix: our session against the platform's (Wine's built-in) one and
# the direct-drive limit, on the test doubles and on the shared test media
# (made here with tools/make-media.sh).  Prints a table; writes the results
# as JSON.
#
#   tools/bench.sh [--wine10 | --wine10-only] [--reps N] [--out FILE] [other bench.exe options]
#
# --out defaults to bench-results.json in the current directory.  --wine10
# runs the benchmark a second time, the same bench.exe and mfsession.dll,
# under Wine 10.0 from the Debian 13 root of tools/wine10.sh (as root; the
# platform's session is then Wine 10's) and writes FILE-wine10.json next to
# FILE; --wine10-only runs that one only.  Other
# options (see bench.exe --help): --samples N, --only ID,ID..., --quick,
# --no-children, --no-primitives, --timeout MS.
# BUILD_DIR, WINEPREFIX and WINEDEBUG are honoured as in tools/setup-env.sh.
# A full run takes a few minutes; keep the machine otherwise idle.
set -euo pipefail

caller_dir=$(pwd)
out="$caller_dir/bench-results.json"
args=()
runs=(host)
while [ $# -gt 0 ]; do
    case "$1" in
        --wine10) runs=(host wine10); shift ;;
        --wine10-only) runs=(wine10); shift ;;
        --out) out="$2"; shift 2 ;;
        --out=*) out="${1#--out=}"; shift ;;
        *) args+=("$1"); shift ;;
    esac
done
case "$out" in /*) ;; *) out="$caller_dir/$out" ;; esac

source "$(dirname "$0")/setup-env.sh"

ensure_packages
setup_wineprefix    # first: meson setup runs a sanity-check .exe under Wine
configure_build
build
# The real-media workloads (media_*) play the shared test media (MFSESSION_MEDIA_DIR).
make_media || log "no test media: the media_* workloads will fail"

bench_exe="$BUILD_DIR/tools/bench.exe"
[ -f "$bench_exe" ] || { log "no $bench_exe: was tools/meson.build's bench target built?"; exit 1; }

# What the bench cannot see from inside Wine: the host's CPU and load.
BENCH_CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
BENCH_LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
export BENCH_CPU_MODEL BENCH_LOADAVG
export MFSESSION_DLL
MFSESSION_DLL=$(cd "$(dirname "$BUILD_DIR/mfsession.dll")" && pwd)/mfsession.dll
# Tracing is read at DLL load: the parent measures with it off (the bench
# turns it on in its own child processes for the tracing-cost row).
unset MFSESSION_TRACE

mkdir -p "$(dirname "$out")"
status=0
for run in "${runs[@]}"; do
    if [ "$run" = host ]; then
        run_out=$out
        log "host: ${BENCH_CPU_MODEL:-?}, $(nproc) cores, $(wine --version 2>/dev/null), load $BENCH_LOADAVG"
        log "running $bench_exe ${args[*]:-}"
        wine "$bench_exe" ${args[@]+"${args[@]}"} --out "$(windows_path "$run_out")" || status=$?
    else
        run_out="${out%.json}-wine10.json"
        # Before entering: the host's winepath must not open the Wine 10
        # prefix (the path is the same in both, Z: being /).
        # The root sees only the source and build trees: the bench writes
        # there, and the file is moved to --out's folder afterwards.
        run_tmp=$BUILD_DIR/bench-wine10-$$.json
        run_win=$(windows_path "$run_tmp")
        wine10_enter || { log "cannot set up the Wine 10 root"; exit 1; }
        BENCH_LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
        log "host: ${BENCH_CPU_MODEL:-?}, $(nproc) cores, $(wine10_version) (Debian 13 root), load $BENCH_LOADAVG"
        log "running $bench_exe ${args[*]:-} under Wine 10"
        wine10_exec wine "$bench_exe" ${args[@]+"${args[@]}"} --out "$run_win" || status=$?
        if [ -f "$run_tmp" ]; then mv -f "$run_tmp" "$run_out"; fi
    fi
    # A crashed run keeps what it wrote so far; the other Wine still runs.
    [ "$status" = 0 ] || log "bench.exe exited with status $status (results so far: $run_out)"
    [ "$status" = 0 ] && log "results: $run_out"
    [ "$status" = 0 ] || failed=$status
    status=0
done
status=${failed:-0}
exit "$status"
