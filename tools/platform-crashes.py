#!/usr/bin/env python3
"""List the failed tests of a meson run that crashed in platform code only.

Usage: platform-crashes.py BUILD_DIR

Reads BUILD_DIR/meson-logs/testlog.json and prints, one per line, the name of
every test that did not pass and whose output holds the test harness's crash
report (tests/harness.c: "# CRASH: ...") in which no address lies in
mfsession.dll or in the test program itself.  Such a crash happened in Wine's
own code (docs/PLATFORM-DIFFERENCES.md records one: Wine 8's rtworkq frees a
work item that MFCancelWorkItem cancels while its timer callback runs).
tools/run-tests.sh runs those tests once more and says so.  When any test
failed another way, or crashed with one of our addresses on its stack, the
script prints nothing and exits with 1: nothing runs again.
"""
import json
import os
import re
import sys


def crashed_outside_us(name, stdout):
    report = [line for line in stdout.splitlines() if line.startswith("# CRASH:")]
    if not report:
        return False
    text = "\n".join(report).lower()
    stack = [line for line in report if "return addresses on the stack:" in line]
    # At least one return address named, none of ours, and no other failure.
    if not stack or not re.search(r"stack:\s+\S", stack[0]):
        return False
    if "mfsession.dll+" in text or (name.lower() + ".exe+") in text:
        return False
    failed = [line for line in stdout.splitlines() if line.startswith("not ok")]
    return all("the test process crashed" in line for line in failed)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    log = os.path.join(sys.argv[1], "meson-logs", "testlog.json")
    try:
        lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
    except OSError as error:
        print(f"platform-crashes.py: {error}", file=sys.stderr)
        return 2
    names = []
    for line in lines:
        try:
            test = json.loads(line)
        except ValueError:
            continue
        if test.get("result") in ("OK", "SKIP", "EXPECTEDFAIL"):
            continue
        if not crashed_outside_us(test.get("name", ""), test.get("stdout") or ""):
            return 1    # a failure of another kind: nothing runs again
        names.append(test["name"])
    for name in names:
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
