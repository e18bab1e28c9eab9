#!/usr/bin/env python3
"""Summarize an mfsession trace (MFSESSION_TRACE, docs/TRACING.md) in the terminal.

For each session: the streams' sample rates and the longest gaps between
delivered samples, the commands that took longest, the public calls and the
calls into components (count, total, longest, failures), the events sent to
the client and the state changes.

usage: tools/trace-summary.py [-n N] [--session S] trace.json
"""

import argparse
import collections
import json
import sys


def load(path):
    """The trace's events; a file cut short (a crash during a flush) is repaired."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        data = json.loads(text)
        repaired = False
    except json.JSONDecodeError:
        # Events are one per line: keep the complete lines and close the array.
        lines = text.splitlines()
        while lines and not lines[-1].rstrip().rstrip(",").endswith("}"):
            lines.pop()
        if lines:
            lines[-1] = lines[-1].rstrip().rstrip(",")
        try:
            data = json.loads("\n".join(lines) + "\n]}")
        except json.JSONDecodeError as e:
            sys.exit(f"{path}: not a trace ({e})")
        repaired = True
    events = data.get("traceEvents", []) if isinstance(data, dict) else data
    return [e for e in events if isinstance(e, dict)], repaired


def ms(us):
    return f"{us / 1000:.3f} ms"


def hr_failed(value):
    try:
        return int(str(value), 16) & 0x80000000 != 0
    except ValueError:
        return False


def table(rows, headers):
    if not rows:
        print("    (none)")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    fmt = "    " + "  ".join("{:<%d}" % w for w in widths)
    print(fmt.format(*headers))
    for row in rows:
        print(fmt.format(*[str(x) for x in row]))


class Session:
    def __init__(self, key):
        self.key = key
        self.samples = collections.defaultdict(lambda: {"requested": 0, "delivered": []})
        self.commands = {}          # (name, id) -> [begin, end, status]
        self.api = collections.defaultdict(list)     # name -> [(dur, hr)]
        self.calls = collections.defaultdict(list)
        self.events = collections.Counter()
        self.event_failures = []
        self.states = []
        self.first = None
        self.last = None

    def seen(self, ts):
        self.first = ts if self.first is None else min(self.first, ts)
        self.last = ts if self.last is None else max(self.last, ts)


def analyze(events):
    sessions = {}
    meta = {}
    thread_names = {}
    open_spans = collections.defaultdict(list)  # (pid, tid) -> stack of begin events

    def session_of(e):
        key = (e.get("args") or {}).get("session", "-")
        if key not in sessions:
            sessions[key] = Session(key)
        return sessions[key]

    def completed(e, dur):
        args = e.get("args") or {}
        s = session_of(e)
        target = s.api if e.get("cat") == "api" else s.calls if e.get("cat") == "call" else None
        if target is not None:
            target[e.get("name", "?")].append((dur, args.get("hr")))

    for e in sorted(events, key=lambda e: (e.get("ts", 0))):
        ph = e.get("ph")
        args = e.get("args") or {}
        if ph == "M":
            if e.get("name") == "thread_name":
                thread_names[(e.get("pid"), e.get("tid"))] = args.get("name")
            elif e.get("name") == "mfsession_trace":
                meta = args
            continue
        ts = e.get("ts", 0)
        s = session_of(e)
        s.seen(ts)
        cat, name = e.get("cat"), e.get("name", "?")
        if ph == "X":
            completed(e, e.get("dur", 0))
        elif ph == "B":
            open_spans[(e.get("pid"), e.get("tid"))].append(e)
        elif ph == "E":
            stack = open_spans[(e.get("pid"), e.get("tid"))]
            if stack:
                begin = stack.pop()
                merged = dict(e)
                merged["args"] = {**(begin.get("args") or {}), **args}
                completed(merged, ts - begin.get("ts", ts))
        elif ph in ("b", "e") and cat == "command":
            span = s.commands.setdefault((name, e.get("id")), [None, None, None])
            if ph == "b":
                span[0] = ts
            else:
                span[1] = ts
                span[2] = args.get("status")
        elif ph in ("i", "I"):
            if cat == "sample":
                track = args.get("track") or thread_names.get((e.get("pid"), e.get("tid")), "?")
                if name == "requested":
                    s.samples[track]["requested"] += 1
                elif name == "delivered":
                    s.samples[track]["delivered"].append((ts, args.get("time")))
            elif cat == "event":
                s.events[name] += 1
                if hr_failed(args.get("status", "0")):
                    s.event_failures.append((ts, name, args.get("status")))
            elif cat == "state":
                s.states.append((ts, args.get("from", "?"), args.get("to", "?")))
    return sessions, meta


def stream_key(track):
    parts = track.split()
    return (parts[0], int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else (track, 0)


def report_session(s, top, origin):
    span = (s.last - s.first) if s.first is not None else 0
    print(f"\nsession {s.key}: {ms(span)} from {ms(s.first - origin) if s.first is not None else '?'}")

    print("  streams (samples delivered by the sources):")
    rows, gaps = [], []
    for track in sorted(s.samples, key=stream_key):
        st = s.samples[track]
        delivered = st["delivered"]
        n = len(delivered)
        wall = (delivered[-1][0] - delivered[0][0]) if n > 1 else 0
        rate = f"{(n - 1) / (wall / 1e6):.1f}/s" if wall > 0 else "-"
        times = [t for _, t in delivered if isinstance(t, (int, float)) and t >= 0]
        media = f"{min(times) / 1e7:.3f}-{max(times) / 1e7:.3f} s" if times else "-"
        speed = (f"{(max(times) - min(times)) / 10 / wall:.2f}x"
                 if len(times) > 1 and wall > 0 else "-")
        rows.append((track, st["requested"], n, rate, media, speed))
        for (t0, _), (t1, time1) in zip(delivered, delivered[1:]):
            gaps.append((t1 - t0, track, t1, time1))
    table(rows, ("track", "requested", "delivered", "rate", "media time", "media/wall"))

    print(f"  longest gaps between delivered samples (top {top}):")
    gaps.sort(key=lambda g: -g[0])
    table([(ms(g), track, f"at {ms(at - origin)}", f"sample time {time}") for g, track, at, time in gaps[:top]],
          ("gap", "track", "when", "next sample"))

    print(f"  commands that took longest (top {top}):")
    done = [(end - begin, name, cid, begin, status) for (name, cid), (begin, end, status) in s.commands.items()
            if begin is not None and end is not None]
    done.sort(key=lambda c: -c[0])
    table([(ms(d), name, cid, f"at {ms(b - origin)}", status) for d, name, cid, b, status in done[:top]],
          ("took", "command", "id", "began", "status"))
    unfinished = [(name, cid) for (name, cid), (begin, end, _) in s.commands.items() if end is None]
    if unfinished:
        print("    never ended: " + ", ".join(f"{n} ({i})" for n, i in unfinished))

    for title, calls in (("public calls", s.api), ("calls into components", s.calls)):
        print(f"  {title} (by total time, top {top}):")
        rows = []
        for name, results in calls.items():
            durs = [d for d, _ in results]
            failed = sum(1 for _, hr in results if hr is not None and hr_failed(hr))
            rows.append((sum(durs), name, len(results), max(durs), failed))
        rows.sort(key=lambda r: -r[0])
        table([(name, n, ms(total), ms(longest), failed or "") for total, name, n, longest, failed in rows[:top]],
              ("call", "count", "total", "longest", "failed"))

    print("  events sent to the client:")
    print("    " + (", ".join(f"{name} x{n}" for name, n in sorted(s.events.items())) or "(none)"))
    for ts, name, status in s.event_failures:
        print(f"    {name} with status {status} at {ms(ts - origin)}")

    print("  state changes:")
    print("    " + (", ".join(f"{a}->{b} ({ms(t - origin)})" for t, a, b in s.states) or "(none)"))


def main():
    parser = argparse.ArgumentParser(description="Summarize an mfsession trace (Chrome Trace Event JSON).")
    parser.add_argument("trace")
    parser.add_argument("-n", "--top", type=int, default=5, help="rows in each top list (default 5)")
    parser.add_argument("--session", help="only this session (its index, as in the events' \"session\" arg)")
    opts = parser.parse_args()

    events, repaired = load(opts.trace)
    sessions, meta = analyze(events)
    stamps = [e["ts"] for e in events if e.get("ph") != "M" and isinstance(e.get("ts"), (int, float))]
    origin = min(stamps) if stamps else 0
    print(f"{opts.trace}: {len(events)} events over {ms(max(stamps) - origin) if stamps else '0 ms'}"
          + (" (file was cut short: repaired)" if repaired else ""))
    if meta:
        dropped = meta.get("dropped_events", 0)
        print(f"  written {meta.get('events', '?')}, dropped {dropped}"
              + (" (the buffer was full: those events are missing)" if dropped else ""))
    keys = sorted(sessions, key=lambda k: (k == "-", str(k).zfill(8)))
    for key in keys:
        if opts.session is not None and str(key) != opts.session:
            continue
        report_session(sessions[key], opts.top, origin)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:     # piped into head
        sys.stderr.close()
        sys.exit(0)
