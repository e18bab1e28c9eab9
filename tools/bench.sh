#!/bin/bash
# Builds mfsession and runs the benchmark (tools/bench.c) under Wine in the
# private prefix: our session against the platform's (Wine's built-in) one and
# the direct-drive limit.  Prints a table; writes the results as JSON.
#
#   tools/bench.sh [--reps N] [--out FILE] [other bench.exe options]
#
# --out defaults to bench-results.json in the current directory.  Other
# options (see bench.exe --help): --samples N, --only ID,ID..., --quick,
# --no-children, --no-primitives, --timeout MS.
# BUILD_DIR, WINEPREFIX and WINEDEBUG are honoured as in tools/setup-env.sh.
# A full run takes a few minutes; keep the machine otherwise idle.
set -euo pipefail

caller_dir=$(pwd)
out="$caller_dir/bench-results.json"
args=()
while [ $# -gt 0 ]; do
    case "$1" in
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

log "host: ${BENCH_CPU_MODEL:-?}, $(nproc) cores, $(wine --version 2>/dev/null), load $BENCH_LOADAVG"
log "running $bench_exe ${args[*]:-}"
mkdir -p "$(dirname "$out")"
status=0
wine "$bench_exe" "${args[@]}" --out "$(windows_path "$out")" || status=$?
[ "$status" = 0 ] && log "results: $out"
exit "$status"
