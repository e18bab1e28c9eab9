#!/bin/bash
# Makes the README's screenshot, docs/mfplay.png: tools/mfplay playing the
# shared test file bars.avi (SMPTE colour bars) through mfsession into the
# Enhanced Video Renderer, its window read from a private Xvfb with xwd and
# written as PNG with ImageMagick's convert.
#
#   tools/screenshot.sh [--wine10] [OUT.png]
#
# --wine10 plays it under Wine 10.0 from the Debian 13 root the test runs use
# (tools/wine10.sh; needs root), otherwise under the host's Wine.  The
# capture is taken once the window shows the pattern, and kept only if it
# shows it the right way up; otherwise the script says so and exits 1.  Needs xwd (x11-apps) and
# convert (imagemagick), besides what tools/run-tests.sh needs.
set -euo pipefail

wine10=no
out=
for arg in "$@"; do
    case "$arg" in
    --wine10) wine10=yes ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) out=$arg ;;
    esac
done
# Before setup-env.sh, which changes to the source tree.
case "$out" in
"") out=$(cd "$(dirname "$0")/.." && pwd)/docs/mfplay.png ;;
/*) ;;
*) out=$PWD/$out ;;
esac

# shellcheck source=tools/setup-env.sh
source "$(dirname "$0")/setup-env.sh"

for cmd in xwd convert; do
    command -v "$cmd" >/dev/null 2>&1 || { log "$cmd is not installed (apt-get install x11-apps imagemagick)"; exit 1; }
done

MFPLAY_PID=
stop_mfplay() {
    [ -n "$MFPLAY_PID" ] || return 0
    kill "$MFPLAY_PID" 2>/dev/null || true
    wait "$MFPLAY_PID" 2>/dev/null || true
    MFPLAY_PID=
}
on_exit stop_mfplay

ensure_packages
start_xserver || { log "no X server: no window to capture"; exit 1; }
setup_wineprefix
configure_build
log "building mfsession.dll and mfplay in $BUILD_DIR"
ninja -C "$BUILD_DIR" mfsession.dll tools/mfplay.exe
make_media || exit 1
run=()
if [ "$wine10" = yes ]; then
    # Its own X server and audio server inside the root: DISPLAY and
    # PULSE_SERVER now name those (xwd reaches the display through its
    # abstract socket).
    wine10_enter || { log "cannot set up the Wine 10 root"; exit 1; }
    run=("$MFSESSION_ROOT/tools/chroot-run.sh")
else
    start_pulseaudio || log "no audio server: mfplay will refuse bars.avi's audio stream"
fi

# Wine's view of a Unix path: drive Z: is the root (no winepath: under
# --wine10 WINEPREFIX is the Wine 10 prefix, which the host's Wine must not touch).
windows_name() {
    local path=$1
    printf 'Z:%s\n' "${path//\//\\}"
}

title="mfplay - bars.avi"
log "playing bars.avi with mfplay on DISPLAY=$DISPLAY"
"${run[@]}" wine "$BUILD_DIR/tools/mfplay.exe" --dll "$(windows_name "$BUILD_DIR/mfsession.dll")" --timeout 20 \
    "$(windows_name "$MFSESSION_MEDIA_DIR/bars.avi")" >"$BUILD_DIR/screenshot-mfplay.log" 2>&1 &
MFPLAY_PID=$!

# The colour at (x, y) of a PNG: which of red, green and blue are lit.
lit() {
    local r g b
    read -r r g b < <(convert "$1" -crop "1x1+$2+$3" -format '%[fx:int(255*r)] %[fx:int(255*g)] %[fx:int(255*b)]' info:)
    printf '%s%s%s\n' "$([ "$r" -gt 128 ] && echo r)" "$([ "$g" -gt 128 ] && echo g)" "$([ "$b" -gt 128 ] && echo b)"
}

# Until the window shows the pattern (the start takes a few seconds; the
# clip lasts 3 s).  At 320x240: the top-left bar is white, the bottom-left
# corner (-I) dark blue, the bottom-right bar (blue) stays blue upright.
tmp="$BUILD_DIR/screenshot.png"
shown=no
for _ in $(seq 150); do
    kill -0 "$MFPLAY_PID" 2>/dev/null || break
    if xwd -display "$DISPLAY" -name "$title" -silent 2>/dev/null | convert xwd:- "png:$tmp" 2>/dev/null; then
        case "$(lit "$tmp" 20 60)/$(lit "$tmp" 20 230)/$(lit "$tmp" 300 60)" in
        rgb/b/b | rgb//b) shown=yes; break ;;
        b/rgb/*) shown=upside-down; log "the window shows the pattern upside down"; break ;;
        esac
    fi
    sleep 0.1
done
# The clip ends by itself within seconds.
for _ in $(seq 300); do
    kill -0 "$MFPLAY_PID" 2>/dev/null || break
    sleep 0.1
done
stop_mfplay
if [ "$shown" != yes ]; then
    log "no upright picture captured (mfplay's output: $BUILD_DIR/screenshot-mfplay.log)"
    exit 1
fi
cp "$tmp" "$out"
log "wrote $out ($(convert "$out" -format '%wx%h' info:))"
