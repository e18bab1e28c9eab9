#!/bin/bash
# Checks the built mfsession.dll with objdump (TAP output):
#   - it exports exactly the names in def/mfsession.def;
#   - with ordinals in the .def (the mf.dll redirect), each export has its ordinal;
#   - DllCharacteristics has DYNAMIC_BASE, NX_COMPAT and HIGH_ENTROPY_VA (a PE32
#     i686 DLL: the first two, and no HIGH_ENTROPY_VA);
#   - it does not import itself (the redirect named mf.dll must not import mf.dll);
#   - it imports only system DLLs (no libgcc_s*, libwinpthread* or other
#     MinGW runtime DLLs a Windows machine does not have);
#   - no section is shared between processes (IMAGE_SCN_MEM_SHARED).
#
# usage: check_dll.sh path/to/mfsession.dll [path/to/mfsession.def]
# OBJDUMP overrides the objdump to use (default x86_64-w64-mingw32-objdump).
set -u

dll=${1:?usage: check_dll.sh mfsession.dll [mfsession.def]}
def=${2:-$(dirname "$0")/../def/mfsession.def}
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}

count=0
failures=0
ok() {  # ok CONDITION-STATUS MESSAGE
    count=$((count + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $count - $2"
    else
        echo "not ok $count - $2"
        failures=$((failures + 1))
    fi
}
diag() { printf '# %s\n' "$@"; }

echo "# check_dll $dll"
if ! dump=$("$objdump" -p "$dll" 2>&1); then
    echo "not ok 1 - $objdump -p $dll failed"
    printf '# %s\n' "$dump"
    echo "1..1"
    exit 1
fi

# Exports: the names in the export name table against the .def file.
actual=$(printf '%s\n' "$dump" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' \
    | sed -n 's/^[[:space:]]*\[ *[0-9]*\] \([^ ]*\).*/\1/p' | sort)
expected=$(sed -e 's/;.*//' "$def" | awk 'f && NF { print $1 } /^[[:space:]]*EXPORTS/ { f = 1 }' | sort)
[ -n "$expected" ] && [ "$actual" = "$expected" ]
ok $? "exports exactly the .def names: $(printf '%s' "$expected" | tr '\n' ' ')"
[ "$actual" = "$expected" ] || diag "exported: $(printf '%s' "$actual" | tr '\n' ' ')"

# Ordinals, where the .def gives them (the mf.dll redirect): objdump lists
# each name with its ordinal minus the ordinal base.
if grep -q '@[0-9]' "$def"; then
    base=$(printf '%s\n' "$dump" | sed -n 's/.*Ordinal Base \([0-9]*\).*/\1/p' | head -n1)
    actual_ordinals=$(printf '%s\n' "$dump" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' \
        | sed -n 's/^[[:space:]]*\[ *\([0-9]*\)\] \([^ ]*\).*/\2 \1/p' \
        | awk -v base="${base:-1}" '{ print $1, $2 + base }' | sort)
    expected_ordinals=$(sed -e 's/;.*//' "$def" | awk 'f && NF { sub(/^@/, "", $2); print $1, $2 } /^[[:space:]]*EXPORTS/ { f = 1 }' | sort)
    [ "$actual_ordinals" = "$expected_ordinals" ]
    ok $? "every export has the .def's ordinal"
fi
library=$(sed -n 's/^[[:space:]]*LIBRARY[[:space:]]*\([^[:space:]]*\).*/\1/p' "$def" | tr 'A-Z' 'a-z')

# DllCharacteristics: objdump lists the flag names on the lines after it.
flags=$(printf '%s\n' "$dump" | awk '/^DllCharacteristics/ { f = 1; next } f && /^[[:space:]]/ { print $1; next } { f = 0 }')
# PE32 (i686) has no 64-bit address space to randomize: no HIGH_ENTROPY_VA.
if printf '%s\n' "$dump" | grep -q '^Magic[[:space:]]*010b'; then
    want="DYNAMIC_BASE NX_COMPAT"
    ! printf '%s\n' "$flags" | grep -qx HIGH_ENTROPY_VA
    ok $? "DllCharacteristics of a PE32 DLL has no HIGH_ENTROPY_VA"
else
    want="DYNAMIC_BASE NX_COMPAT HIGH_ENTROPY_VA"
fi
for flag in $want; do
    printf '%s\n' "$flags" | grep -qx "$flag"
    ok $? "DllCharacteristics has $flag"
done

# Imports: only DLLs every Windows (and Wine) installation has.
imports=$(printf '%s\n' "$dump" | sed -n 's/^[[:space:]]*DLL Name: *//p')
[ -n "$imports" ]
ok $? "has an import table"
for name in $imports; do
    case "${name,,}" in
    "$library")
        ok 1 "imports $name, which is itself (the redirect must load the system's by full path)" ;;
    kernel32.dll|advapi32.dll|ole32.dll|oleaut32.dll|combase.dll|mfplat.dll|mf.dll|msvcrt.dll|\
    ucrtbase.dll|api-ms-win-*.dll|user32.dll|propsys.dll|shlwapi.dll|rtworkq.dll|ntdll.dll|\
    mfreadwrite.dll|evr.dll|avrt.dll)
        ok 0 "imports system DLL $name" ;;
    *)
        ok 1 "imports non-system DLL $name (libgcc_s/libwinpthread/... must be linked statically or not at all)" ;;
    esac
done

# Sections: read the PE section table itself (objdump -h does not show
# IMAGE_SCN_MEM_SHARED on every binutils version).
u16() { od -An -tu2 -j "$1" -N2 "$dll" | tr -d ' '; }
u32() { od -An -tu4 -j "$1" -N4 "$dll" | tr -d ' '; }
pe=$(u32 60)
if [ "$(od -An -c -j "$pe" -N4 "$dll" | tr -d ' ')" != 'PE\0\0' ]; then
    ok 1 "PE signature found"
else
    nsections=$(u16 $((pe + 6)))
    optsize=$(u16 $((pe + 20)))
    table=$((pe + 24 + optsize))
    shared=""
    for ((i = 0; i < nsections; i++)); do
        off=$((table + 40 * i))
        name=$(dd if="$dll" bs=1 skip="$off" count=8 2>/dev/null | tr -d '\0')
        characteristics=$(u32 $((off + 36)))
        if (( characteristics & 0x10000000 )); then shared="$shared $name"; fi
    done
    [ "$nsections" -gt 0 ] && [ -z "$shared" ]
    ok $? "none of the $nsections sections is shared (IMAGE_SCN_MEM_SHARED)${shared:+: shared:$shared}"
fi

echo "1..$count"
[ "$failures" -eq 0 ]
