#!/bin/bash
# tools/install-redirect.sh in a Wine prefix of its own (TAP output):
#   - per application: the files and the AppDefaults override are put in
#     place, the unmodified client plays through our session, uninstall puts
#     back exactly what was there;
#   - MFPlay (mfplay.dll) reaches our session through the per-application
#     redirect; the Media Engine does not (it binds to the system's mf.dll
#     when the application has not loaded mf.dll itself), which is why
#   - for the whole prefix: the Media Engine (audio, and H.264 video into a
#     window when an X server runs), and a client with no redirect beside it,
#     play through our session; MFSESSION_REDIRECT=0 turns it off;
#     uninstall restores system32's mf.dll byte for byte and the override.
# Our session is recognized by its trace file (MFSESSION_TRACE), which only
# it writes with session events in it.
#
# usage: test_redirect_prefix.sh PREFIX REDIRECT_DLL MFSESSION_DLL CLIENT_EXE ENGINE_EXE MFPLAY_EXE
# The test WAV: tone.wav of $MFSESSION_MEDIA_DIR (tools/make-media.sh), else one of its own.
set -u

prefix=$1 redirect_dll=$2 mfsession_dll=$3 client=$4 engine=$5 mfplay=$6 media=${MFSESSION_MEDIA_DIR:-}
root=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export MFSESSION_REDIRECT_DLL=$redirect_dll MFSESSION_DLL=$mfsession_dll
unset MFSESSION_TRACE MFSESSION_REDIRECT

count=0
failures=0
ok() {  # ok STATUS MESSAGE
    count=$((count + 1))
    if [ "$1" -eq 0 ]; then echo "ok $count - $2"; else echo "not ok $count - $2"; failures=$((failures + 1)); fi
}
diag() { printf '# %s\n' "$@"; }
finish() {
    wineserver -k >/dev/null 2>&1 || true
    echo "1..$count"
    [ "$failures" -eq 0 ]
    exit
}

# Under tools/run-tests.sh --wine10 the Wine commands run inside its Debian
# 13 root (tools/chroot-run.sh does that for the .exe tests), in a prefix of
# their own; the root sees the build tree at the same path, so the scratch
# directory is made there.
if [ -n "${MFSESSION_CHROOT:-}" ]; then
    in_root() { chroot "$MFSESSION_CHROOT" /usr/bin/env -C "$PWD" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
    wine() { in_root wine "$@"; }
    wineserver() { in_root wineserver "$@"; }
    wineboot() { in_root wineboot "$@"; }
    export -f in_root wine wineserver wineboot
    prefix=$prefix-wine10
    export WINEPREFIX=$prefix
fi
mkdir -p "$(dirname "$prefix")"
work=$(mktemp -d "$(dirname "$prefix")/redirect-work.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -f "$prefix/system.reg" ]; then
    diag "creating the prefix $prefix"
    mkdir -p "$prefix"
    wineboot -i >/dev/null 2>&1 </dev/null
fi
wineserver -w
# The system directory of the tests' architecture: syswow64 for a 32-bit
# build in a 64-bit prefix.
system32=$prefix/drive_c/windows/system32
pe=$(od -An -tu4 -j 60 -N4 "$client" | tr -d ' ')
if [ "$(od -An -tx2 -j $((pe + 4)) -N2 "$client" | tr -d ' ')" = 014c ] && [ -d "$prefix/drive_c/windows/syswow64" ]; then
    system32=$prefix/drive_c/windows/syswow64
fi
[ -f "$system32/mf.dll" ]
ok $? "the prefix has $(basename "$system32")/mf.dll" || finish

wav=$media/tone.wav
if [ ! -f "$wav" ]; then
    # No shared media (tools/make-media.sh): a 3 s 440 Hz tone of our own.
    wav=$work/tone.wav
    python3 -c 'import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(44100)
w.writeframes(b"".join(struct.pack("<hh", v, v) for v in (int(8000 * math.sin(2 * math.pi * 440 * i / 44100)) for i in range(3 * 44100))))' "$wav"
fi
[ -f "$wav" ]
ok $? "test media $wav" || finish
wav_win=Z:${wav//\//\\}

# run EXE TRACE [ARGS...]: runs it from its directory with MFSESSION_TRACE.
run() {
    local exe=$1 trace=$2 status
    shift 2
    rm -f "$trace"
    (cd "$(dirname "$exe")" && MFSESSION_TRACE=$trace timeout 90 bash -c 'wine "$@"' wine "$exe" "$@" \
        </dev/null >"$trace.out" 2>/dev/null)
    status=$?
    [ "$status" -eq 0 ] || diag "$(basename "$exe") exited $status: $(tr '\n' ' ' <"$trace.out")"
    return "$status"
}
ours() { [ -f "$1" ] && grep -q '"MESessionEnded"' "$1"; }
override() { wine reg query "$1" /v mf 2>/dev/null | tr -d '\r' | awk '$1 == "mf" { print $3 }'; }

# Per application.
app=$work/app
mkdir -p "$app"
cp "$client" "$app/client.exe"
echo "not a DLL: the application's own file" >"$app/mf.dll"
cp "$app/mf.dll" "$work/mf.dll.before"
key='HKCU\Software\Wine\AppDefaults\client.exe\DllOverrides'
"$root/tools/install-redirect.sh" install "$app/client.exe" 2>/dev/null
ok $? "install for one application"
cmp -s "$redirect_dll" "$app/mf.dll" && cmp -s "$mfsession_dll" "$app/mfsession.dll"
ok $? "the redirect and mfsession.dll are beside the application"
[ "$(override "$key")" = native,builtin ]
ok $? "AppDefaults\\client.exe\\DllOverrides has mf=native,builtin"
run "$app/client.exe" "$work/client.json" "$wav_win"
ok $? "the unmodified client plays to MESessionClosed"
ours "$work/client.json"
ok $? "... through our session (its trace file has the session's events)"
"$root/tools/install-redirect.sh" uninstall "$app/client.exe" 2>/dev/null
ok $? "uninstall for one application"
cmp -s "$work/mf.dll.before" "$app/mf.dll" && [ ! -e "$app/mfsession.dll" ] && [ ! -e "$app/.mfsession-redirect" ]
ok $? "uninstall restores the application's directory exactly"
! wine reg query 'HKCU\Software\Wine\AppDefaults\client.exe' >/dev/null 2>&1
ok $? "uninstall removes the AppDefaults key it created"

# The platform's higher layers with the redirect beside the application.
for exe in "$mfplay" "$engine"; do
    dir=$work/$(basename "$exe" .exe)
    mkdir -p "$dir"
    cp "$exe" "$mfsession_dll" "$dir/"
    cp "$redirect_dll" "$dir/mf.dll"
done
run "$work/redirect_mfplay/redirect_mfplay.exe" "$work/mfplay.json" "$wav_win"
ok $? "MFPlay (MFPCreateMediaPlayer) plays to MFP_EVENT_TYPE_PLAYBACK_ENDED with pause, resume and seek"
ours "$work/mfplay.json"
ok $? "... through our session, with the redirect beside the application"
run "$work/redirect_engine/redirect_engine.exe" "$work/engine-app.json" "$wav_win"
ok $? "the Media Engine plays to MF_MEDIA_ENGINE_EVENT_ENDED with pause and resume"
! ours "$work/engine-app.json"
ok $? "... but through the system's session: the per-application redirect misses it (Wine binds mfmediaengine.dll's import to system32)"

# The whole prefix.
cp "$system32/mf.dll" "$work/system-mf.dll"
before=$(override 'HKCU\Software\Wine\DllOverrides')
"$root/tools/install-redirect.sh" install --prefix 2>/dev/null
ok $? "install for the whole prefix"
cmp -s "$redirect_dll" "$system32/mf.dll" && cmp -s "$work/system-mf.dll" "$system32/mf-system.dll"
ok $? "system32/mf.dll is the redirect, the system's kept as mf-system.dll"
rm -f "$work/redirect_engine/mf.dll" "$work/redirect_engine/mfsession.dll"
run "$work/redirect_engine/redirect_engine.exe" "$work/engine.json" "$wav_win"
ok $? "the Media Engine plays to MF_MEDIA_ENGINE_EVENT_ENDED with pause and resume"
ours "$work/engine.json"
ok $? "... through our session, with the redirect installed for the prefix"
if [ -n "${DISPLAY:-}" ] && [ -f "$media/bars.mp4" ]; then
    bars=Z:${media//\//\\}\\bars.mp4
    run "$work/redirect_engine/redirect_engine.exe" "$work/video.json" --video "$bars"
    video=$?
    ours "$work/video.json" && grep -q 'video 320x240' "$work/video.json.out"
    through=$?
    ok $video "the Media Engine plays H.264 video into a window to MF_MEDIA_ENGINE_EVENT_ENDED (no pause)"
    ok $through "... through our session, 320x240"
    grep -q '^frames ticked [1-9]' "$work/video.json.out"
    ok $? "... and the application's frame loop got frames (OnVideoStreamTick)"
else
    count=$((count + 1))
    echo "ok $count # SKIP video through the Media Engine: needs DISPLAY (an X server) and bars.mp4 in MFSESSION_MEDIA_DIR"
fi
mkdir -p "$work/plain"
cp "$client" "$work/plain/client.exe"
run "$work/plain/client.exe" "$work/plain.json" "$wav_win"
ok $? "a client with nothing beside it plays to MESessionClosed"
ours "$work/plain.json"
ok $? "... through our session"
(export MFSESSION_REDIRECT=0; run "$work/plain/client.exe" "$work/off.json" "$wav_win")
ok $? "MFSESSION_REDIRECT=0: the client plays"
[ ! -e "$work/off.json" ]
ok $? "MFSESSION_REDIRECT=0: through the system's session (no trace file)"
"$root/tools/install-redirect.sh" uninstall --prefix 2>/dev/null
ok $? "uninstall for the whole prefix"
cmp -s "$work/system-mf.dll" "$system32/mf.dll" && [ ! -e "$system32/mf-system.dll" ] && [ ! -e "$system32/mfsession.dll" ]
ok $? "uninstall restores system32 byte for byte"
[ "$(override 'HKCU\Software\Wine\DllOverrides')" = "$before" ]
ok $? "uninstall restores the prefix's mf override ('$before')"
run "$work/plain/client.exe" "$work/after.json" "$wav_win"
ok $? "after uninstall the client plays"
[ ! -e "$work/after.json" ]
ok $? "after uninstall through the system's session"

finish
