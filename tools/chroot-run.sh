#!/bin/bash
# "meson test --wrapper" for the Wine 10 run (tools/run-tests.sh --wine10):
# runs a test's Wine command inside the Debian 13 root that wine10_enter
# (tools/wine10.sh) prepared and named in MFSESSION_CHROOT, in the same
# directory and environment (the root sees the source and build trees at the
# same paths).  Commands that are not Wine (check_dll.sh, which runs objdump)
# run here, on the host.
set -euo pipefail

root=${MFSESSION_CHROOT:?"MFSESSION_CHROOT is not set: run through tools/run-tests.sh --wine10"}
case "${1:-}" in
wine | wine64 | */wine | */wine64) ;;
*) exec "$@" ;;
esac
exec chroot "$root" /usr/bin/env -C "$PWD" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
