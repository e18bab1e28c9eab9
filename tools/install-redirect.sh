#!/bin/bash
# Installs the mf.dll redirect (docs/REDIRECT.md) into a Wine prefix, and
# uninstalls it, restoring exactly what was there.
#
#   tools/install-redirect.sh install   APP.exe    for one application
#   tools/install-redirect.sh uninstall APP.exe
#   tools/install-redirect.sh install   --prefix   for every application of the prefix
#   tools/install-redirect.sh uninstall --prefix
#
# Per application: mf.dll (the redirect) and mfsession.dll go beside APP.exe,
# and HKCU\Software\Wine\AppDefaults\APP.exe\DllOverrides gets mf=native,builtin
# (Wine then prefers the redirect for that executable only).  What was there
# before (an mf.dll or mfsession.dll in that directory, the override value,
# the keys themselves) is kept in APPDIR/.mfsession-redirect/ and put back by
# uninstall.  The redirect and mfsession.dll must be built for APP.exe's
# architecture: x64 from $BUILD_DIR (default build), x86 from $BUILD_DIR32
# (default build-i686); MFSESSION_REDIRECT_DLL and MFSESSION_DLL override both.
#
# For the prefix: the redirect replaces system32\mf.dll (and syswow64\mf.dll
# when a 32-bit build exists), the system's file stays beside it as
# mf-system.dll (where the redirect looks when system32\mf.dll is itself),
# mfsession.dll goes beside it, and HKCU\Software\Wine\DllOverrides gets
# mf=native,builtin.  This also catches applications that reach mf.dll only
# through the Media Engine, which the per-application install misses.  The
# originals are kept in $WINEPREFIX/mfsession-redirect/.  "wineboot -u" (a
# Wine upgrade) puts Wine's mf.dll back: uninstall, then install again.
#
# WINEPREFIX names the prefix (default ~/.wine).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WINEPREFIX=${WINEPREFIX:-$HOME/.wine}
export WINEPREFIX
export WINEDEBUG=${WINEDEBUG:--all}
OVERRIDE=native,builtin

die() { printf 'install-redirect: %s\n' "$*" >&2; exit 1; }
say() { printf 'install-redirect: %s\n' "$*" >&2; }

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 1
}

# The PE machine of a file: x64, x86 or nothing.
pe_arch() {
    local pe machine
    pe=$(od -An -tu4 -j 60 -N4 "$1" 2>/dev/null | tr -d ' ') || return 0
    [ -n "$pe" ] || return 0
    machine=$(od -An -tx2 -j $((pe + 4)) -N2 "$1" 2>/dev/null | tr -d ' ')
    case "$machine" in
    8664) echo x64 ;;
    014c) echo x86 ;;
    esac
}

built_dlls() {  # built_dlls ARCH: sets redirect_dll and mfsession_dll
    local dir
    if [ "$1" = x86 ]; then dir=${BUILD_DIR32:-$ROOT/build-i686}; else dir=${BUILD_DIR:-$ROOT/build}; fi
    redirect_dll=${MFSESSION_REDIRECT_DLL:-$dir/src/redirect/mf.dll}
    mfsession_dll=${MFSESSION_DLL:-$dir/mfsession.dll}
    [ -f "$redirect_dll" ] || die "no $1 redirect at $redirect_dll (build it, or set MFSESSION_REDIRECT_DLL)"
    [ -f "$mfsession_dll" ] || die "no $1 mfsession.dll at $mfsession_dll (build it, or set MFSESSION_DLL)"
    [ "$(pe_arch "$redirect_dll")" = "$1" ] || die "$redirect_dll is not an $1 DLL"
    [ "$(pe_arch "$mfsession_dll")" = "$1" ] || die "$mfsession_dll is not an $1 DLL"
}

# Registry, through Wine's reg.exe.  reg_get KEY VALUE prints the data and
# fails when the value is absent; reg_key_exists KEY.
reg_get() {
    local out
    out=$(wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r') || return 1
    printf '%s\n' "$out" | awk -v v="$2" 'tolower($1) == tolower(v) && $2 ~ /^REG_/ { $1 = ""; $2 = ""; sub(/^  */, ""); print; f = 1 } END { exit !f }'
}
reg_key_exists() { wine reg query "$1" >/dev/null 2>&1; }
# A key with no values and no subkeys (reg query lists the key's own name,
# then its values, then its subkeys' full names).
reg_key_empty() {
    wine reg query "$1" 2>/dev/null | tr -d '\r' | awk 'NF && /REG_/ { n++ } /^HKEY_/ { k++ } END { exit !(n == 0 && k <= 1) }'
}
reg_set() { wine reg add "$1" /v "$2" /t REG_SZ /d "$3" /f >/dev/null; }
reg_delete_value() { wine reg delete "$1" /v "$2" /f >/dev/null 2>&1 || true; }
reg_delete_key() { wine reg delete "$1" /f >/dev/null 2>&1 || true; }

# save_override KEY STATE: records in STATE whether KEY existed and the old
# mf value, then sets mf=native,builtin.
save_override() {
    local key=$1 state=$2 old
    if reg_key_exists "$key"; then echo 1 >"$state/key-existed"; else echo 0 >"$state/key-existed"; fi
    if old=$(reg_get "$key" mf); then printf '%s' "$old" >"$state/override"; fi
    reg_set "$key" mf "$OVERRIDE"
}

restore_override() {
    local key=$1 state=$2
    if [ -f "$state/override" ]; then
        reg_set "$key" mf "$(cat "$state/override")"
    else
        reg_delete_value "$key" mf
        # Only a key we created goes, and only if nothing else was put in it.
        if [ "$(cat "$state/key-existed" 2>/dev/null || echo 1)" = 0 ] && reg_key_empty "$key"; then
            reg_delete_key "$key"
        fi
    fi
}

# put_file SOURCE DEST STATE NAME: keeps DEST's old content (if any) as
# STATE/NAME.saved, then copies SOURCE over it.
put_file() {
    if [ -e "$2" ]; then cp -p "$2" "$3/$4.saved"; fi
    cp "$1" "$2"
}

restore_file() {  # restore_file DEST STATE NAME
    if [ -e "$2/$3.saved" ]; then cp -p "$2/$3.saved" "$1"; else rm -f "$1"; fi
}

install_app() {
    local exe=$1 dir name arch state
    [ -f "$exe" ] || die "$exe: no such file"
    dir=$(cd "$(dirname "$exe")" && pwd)
    name=$(basename "$exe")
    arch=$(pe_arch "$exe")
    [ -n "$arch" ] || die "$exe is not an x64 or x86 Windows executable"
    state=$dir/.mfsession-redirect
    [ -e "$state" ] && die "already installed in $dir (uninstall first)"
    built_dlls "$arch"

    mkdir -p "$state"
    printf '%s\n' "$name" >"$state/exe"
    if reg_key_exists "HKCU\\Software\\Wine\\AppDefaults\\$name"; then
        echo 1 >"$state/app-key-existed"
    else
        echo 0 >"$state/app-key-existed"
    fi
    put_file "$redirect_dll" "$dir/mf.dll" "$state" mf.dll
    put_file "$mfsession_dll" "$dir/mfsession.dll" "$state" mfsession.dll
    save_override "HKCU\\Software\\Wine\\AppDefaults\\$name\\DllOverrides" "$state"
    say "installed for $exe ($arch): mf.dll and mfsession.dll beside it, AppDefaults\\$name\\DllOverrides mf=$OVERRIDE"
}

uninstall_app() {
    local exe=$1 dir name state
    dir=$(cd "$(dirname "$exe")" && pwd)
    state=$dir/.mfsession-redirect
    [ -d "$state" ] || die "not installed in $dir"
    name=$(cat "$state/exe")
    restore_override "HKCU\\Software\\Wine\\AppDefaults\\$name\\DllOverrides" "$state"
    # AppDefaults\APP.exe itself, when we created it and it is empty again.
    if [ "$(cat "$state/app-key-existed")" = 0 ] && reg_key_empty "HKCU\\Software\\Wine\\AppDefaults\\$name"; then
        reg_delete_key "HKCU\\Software\\Wine\\AppDefaults\\$name"
    fi
    restore_file "$dir/mf.dll" "$state" mf.dll
    restore_file "$dir/mfsession.dll" "$state" mfsession.dll
    rm -rf "$state"
    say "uninstalled from $dir"
}

# The prefix's system directories and the architecture each holds.
prefix_dirs() {
    local windows=$WINEPREFIX/drive_c/windows
    [ -d "$windows/system32" ] || die "$WINEPREFIX is not a Wine prefix"
    if [ -d "$windows/syswow64" ]; then
        echo "x64 $windows/system32"
        echo "x86 $windows/syswow64"
    else
        echo "x86 $windows/system32"
    fi
}

install_prefix() {
    local state=$WINEPREFIX/mfsession-redirect arch dir done=0
    [ -e "$state" ] && die "already installed in $WINEPREFIX (uninstall first)"
    wineserver -w 2>/dev/null || true
    mkdir -p "$state"
    while read -r arch dir; do
        if ! ( built_dlls "$arch" ) 2>/dev/null; then
            say "no $arch build: $dir left alone"
            continue
        fi
        built_dlls "$arch"
        [ -f "$dir/mf.dll" ] || die "$dir/mf.dll is missing"
        mkdir -p "$state/$arch"
        echo "$dir" >"$state/$arch/dir"
        put_file "$dir/mf.dll" "$dir/mf-system.dll" "$state/$arch" mf-system.dll
        put_file "$redirect_dll" "$dir/mf.dll" "$state/$arch" mf.dll
        put_file "$mfsession_dll" "$dir/mfsession.dll" "$state/$arch" mfsession.dll
        done=1
        say "installed in $dir ($arch)"
    done < <(prefix_dirs)
    if [ "$done" = 0 ]; then
        rm -rf "$state"
        die "nothing installed"
    fi
    save_override "HKCU\\Software\\Wine\\DllOverrides" "$state"
    say "HKCU\\Software\\Wine\\DllOverrides mf=$OVERRIDE"
}

uninstall_prefix() {
    local state=$WINEPREFIX/mfsession-redirect arch dir
    [ -d "$state" ] || die "not installed in $WINEPREFIX"
    wineserver -w 2>/dev/null || true
    restore_override "HKCU\\Software\\Wine\\DllOverrides" "$state"
    for arch in x64 x86; do
        [ -f "$state/$arch/dir" ] || continue
        dir=$(cat "$state/$arch/dir")
        restore_file "$dir/mf.dll" "$state/$arch" mf.dll
        restore_file "$dir/mfsession.dll" "$state/$arch" mfsession.dll
        restore_file "$dir/mf-system.dll" "$state/$arch" mf-system.dll
        say "restored $dir"
    done
    rm -rf "$state"
}

[ $# -eq 2 ] || usage
command -v wine >/dev/null 2>&1 || die "wine is not installed"
case "$1:$2" in
install:--prefix) install_prefix ;;
uninstall:--prefix) uninstall_prefix ;;
install:*) install_app "$2" ;;
uninstall:*) uninstall_app "$2" ;;
*) usage ;;
esac
