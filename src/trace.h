/*
 * trace.h: structured tracing in the Chrome Trace Event format.
 *
 * Off by default.  Switched on for the process by the environment variable
 * MFSESSION_TRACE=path, or by the registry value "Trace" (REG_SZ, a path)
 * under HKLM or HKCU Software\Classes\CLSID\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}.
 * When off, every hook costs one load and one branch: TRACE_ON() reads a
 * global flag and the arguments are never formatted.
 *
 * Events are appended to an in-memory buffer (never blocking the pipeline on
 * I/O) and written to the file by trace_flush(), which Close and Shutdown call,
 * and at process detach.  The file is a valid JSON object
 * {"traceEvents":[...]} after every flush.
 */
#ifndef MFSESSION_TRACE_H
#define MFSESSION_TRACE_H

#include <windows.h>

extern volatile LONG trace_enabled;

/* Reads MFSESSION_TRACE / the registry once per process; cheap afterwards. */
void trace_init(void);

#define TRACE_ON() (trace_enabled)

/* phase: 'i' instant, 'B'/'E' begin/end on a track, 'X' complete (dur_us),
 *        'b'/'e' async begin/end (id), 'C' counter.
 * cat:   "api", "command", "state", "event", "call", "sample".
 * session: the session the event belongs to (becomes the pid-like "session" arg
 *        and groups tracks); may be NULL.
 * track: a named track (e.g. "stream 0", "commands"); NULL = the calling thread.
 * id:    for async events, pairs 'b' with 'e'.
 * args:  printf-style body of a JSON object without braces, e.g. "\"hr\":\"0x%08lx\"", or NULL. */
void trace_write(char phase, const char *cat, const char *name, const void *session, const char *track,
        UINT64 id, const char *args, ...);

BOOL trace_is_enabled(void);
UINT64 trace_now_us(void);
/* A session is gone: a later one at the same address gets its own number. */
void trace_forget_session(const void *session);

/* Writes what was buffered to the file (Close, Shutdown, process detach). */
void trace_flush(void);

#define TRACE(phase, cat, name, session, track, id, ...) \
    do { if (TRACE_ON()) trace_write(phase, cat, name, session, track, id, __VA_ARGS__); } while (0)

#endif
