/*
 * test_trace: the writer itself, built into this test with small limits
 * (this file includes src/trace.c, and so reaches its internals): escaping,
 * args checking, sessions and tracks, the bounded buffer and its dropped
 * count, the background flush, and an I/O error turning tracing off.
 */
#define TRACE_BUFFER_LIMIT (64u << 10)
#define TRACE_FLUSH_THRESHOLD (16u << 10)
#include "../src/trace.c"

#include "test_trace.h"

static BOOL flushed_since(UINT64 before)
{
    BOOL grown;
    AcquireSRWLockShared(&flush_lock);
    grown = events_written > before;
    ReleaseSRWLockShared(&flush_lock);
    return grown;
}

void test_writer(const WCHAR *path)
{
    static char session1, session2;
    char long_args[1500], why[160] = "";
    const struct tev *e, *b1, *b2, *meta;
    unsigned i, attempted, in_file;
    double stream_tid;
    struct trace t;
    UINT64 before;
    HANDLE readonly;

    trace_init();
    ok(trace_is_enabled(), "[writer] MFSESSION_TRACE=path switches tracing on");
    if (!trace_is_enabled()) return;
    if (load_trace(path, &t, "writer, at start"))
        ok(t.count == 2, "[writer] a new file holds process_name and the final metadata, got %u events", t.count);
    trace_free(&t);

    Sleep(5);
    memset(long_args, 'a', sizeof(long_args) - 1);
    long_args[sizeof(long_args) - 1] = 0;
    trace_write('i', "unit", "instant", NULL, NULL, 0, NULL);
    trace_write('X', "unit", "complete", &session1, NULL, 1000, "\"hr\":\"0x%08lx\"", 0x80004005ul);
    trace_write('b', "unit", "span", &session1, "commands", 7, NULL);
    trace_write('e', "unit", "span", &session1, "commands", 7, "\"status\":\"0x%08lx\"", 0ul);
    trace_write('b', "unit", "span", &session2, "commands", 7, NULL);
    trace_write('e', "unit", "span", &session2, "commands", 7, NULL);
    trace_write('i', "unit", "on track", &session1, "stream 0", 0, "\"time\":%d", 42);
    trace_write('i', "unit", "other session", &session2, "stream 0", 0, NULL);
    trace_write('i', "unit", "q\"b\\n\nl\xe9", NULL, NULL, 0, NULL);
    trace_write('i', "unit", "bad args", NULL, NULL, 0, "\"x\":%s", "\"unterminated");
    trace_write('i', "unit", "long args", NULL, NULL, 0, "\"x\":\"%s\"", long_args);
    trace_write('C', "unit", "counter", &session1, NULL, 0, "\"queued\":%d", 3);
    trace_forget_session(&session1);
    trace_write('i', "unit", "forgotten", &session1, NULL, 0, NULL);
    trace_flush();

    if (load_trace(path, &t, "writer"))
    {
        e = find(&t, "unit", "i", "instant");
        ok(e && e->tid == GetCurrentThreadId() && e->nargs == 0, "[writer] an instant without a track is on the calling thread");
        e = find(&t, "unit", "X", "complete");
        ok(e && e->has_dur && e->dur == 1000.0 && e->ts >= 0, "[writer] 'X': id is the duration in microseconds, ending now");
        ok(e && arg(e, "session") && !strcmp(arg(e, "session"), "1") && arg(e, "hr") && !strcmp(arg(e, "hr"), "0x80004005"),
                "[writer] args: the session's index, then the caller's");
        b1 = find(&t, "unit", "b", "span");
        for (i = 0, b2 = NULL; i < t.count; ++i)
            if (is(&t.ev[i], "unit", "b", "span") && &t.ev[i] != b1) b2 = &t.ev[i];
        ok(b1 && b2 && b1->id[0] && strcmp(b1->id, b2->id), "[writer] async ids of two sessions never pair: %s, %s",
                b1 ? b1->id : "", b2 ? b2->id : "");
        ok(check_async_pairs(&t, "unit", why, sizeof(why)), "[writer] async spans pair: %s", why);
        e = find(&t, "unit", "i", "on track");
        stream_tid = track_by_name(&t, "stream 0");
        ok(e && stream_tid >= 0 && e->tid == stream_tid && ((DWORD)stream_tid & 3),
                "[writer] a named track gets a synthetic tid (never a real thread id) and thread_name metadata");
        ok(e && arg(e, "track") && !strcmp(arg(e, "track"), "stream 0") && arg(e, "time") && !strcmp(arg(e, "time"), "42"),
                "[writer] the event names its track in args");
        e = find(&t, "unit", "i", "other session");
        ok(e && e->tid != stream_tid && thread_name(&t, e->tid) && !strcmp(thread_name(&t, e->tid), "stream 0 (session 2)"),
                "[writer] another session's track of the same name is its own: %s", e ? thread_name(&t, e->tid) : "");
        ok(find(&t, "unit", "i", "q\"b\\n\nl\xc3\xa9") != NULL, "[writer] names are escaped (quote, backslash, newline, non-ASCII)");
        e = find(&t, "unit", "i", "bad args");
        ok(e && arg(e, "invalid_args") && !strcmp(arg(e, "invalid_args"), "\"x\":\"unterminated"),
                "[writer] args that are not valid JSON are kept as a string, the file stays valid");
        e = find(&t, "unit", "i", "long args");
        ok(e && arg(e, "args_truncated") && !strcmp(arg(e, "args_truncated"), "true"), "[writer] overlong args are replaced");
        e = find(&t, "unit", "C", "counter");
        ok(e && e->nargs == 1 && arg(e, "queued"), "[writer] a counter's args are its series only");
        e = find(&t, "unit", "i", "forgotten");
        ok(e && arg(e, "session") && !strcmp(arg(e, "session"), "3"), "[writer] a forgotten session's address gets a new index");
        meta = find_metadata(&t, "mfsession_trace", -1);
        ok(meta && arg(meta, "events") && (unsigned)atoi(arg(meta, "events")) == t.count - 2,
                "[writer] the final metadata counts the events: %s of %u", meta ? arg(meta, "events") : "none", t.count - 2);
    }
    trace_free(&t);

    /* Bounded: with the writer stuck (flush_lock held), events past the
     * buffer are dropped and counted, and the hooks never wait. */
    AcquireSRWLockExclusive(&flush_lock);
    for (attempted = 0; attempted < 20000 && !events_dropped; ++attempted)
        trace_write('i', "unit", "flood", NULL, NULL, 0, "\"n\":%u", attempted);
    ReleaseSRWLockExclusive(&flush_lock);
    ok(events_dropped == 1, "[writer] the buffer is bounded (%u bytes): an event past it is dropped, got %llu dropped after %u",
            TRACE_BUFFER_LIMIT, (unsigned long long)events_dropped, attempted);
    trace_flush();
    if (load_trace(path, &t, "writer, dropped"))
    {
        in_file = count(&t, "unit", "i", "flood");
        meta = find_metadata(&t, "mfsession_trace", -1);
        ok(meta && arg(meta, "dropped_events") && in_file + atoi(arg(meta, "dropped_events")) == attempted,
                "[writer] the final metadata reports the dropped events: %u written + %s dropped of %u", in_file,
                meta && arg(meta, "dropped_events") ? arg(meta, "dropped_events") : "?", attempted);
    }
    trace_free(&t);

    /* Past the threshold a flush runs on the thread pool by itself. */
    AcquireSRWLockShared(&flush_lock);
    before = events_written;
    ReleaseSRWLockShared(&flush_lock);
    for (i = 0; i < TRACE_FLUSH_THRESHOLD / 64; ++i)
        trace_write('i', "unit", "background", NULL, NULL, 0, NULL);
    for (i = 0; i < 200 && !flushed_since(before); ++i) Sleep(10);
    ok(flushed_since(before), "[writer] past %u buffered bytes a background flush writes the file", TRACE_FLUSH_THRESHOLD);
    if (load_trace(path, &t, "writer, background"))
        ok(count(&t, "unit", "i", "background") > 0, "[writer] the background flush wrote the events");
    trace_free(&t);

    /* An I/O error turns tracing off; the file keeps what it had, valid. */
    AcquireSRWLockExclusive(&flush_lock);
    readonly = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
            OPEN_EXISTING, 0, NULL);
    CloseHandle(trace_file);
    trace_file = readonly;
    ReleaseSRWLockExclusive(&flush_lock);
    trace_write('i', "unit", "lost", NULL, NULL, 0, NULL);
    trace_flush();
    ok(!trace_is_enabled(), "[writer] a write error turns tracing off");
    before = events_buffered;
    trace_write('i', "unit", "after", NULL, NULL, 0, NULL);
    ok(events_buffered == before, "[writer] once off, a hook records nothing");
    trace_flush();
    if (load_trace(path, &t, "writer, after an error"))
        ok(!find(&t, "unit", "i", "lost") && find(&t, "unit", "i", "background"),
                "[writer] the file keeps the events flushed before the error");
    trace_free(&t);
}
