/*
 * test_hostile's context (test_hostile.h): the doubles a case gives its
 * session, kept so that ctx_end can check every one of them is let go.
 */
#include "test_hostile.h"

struct dsource *ctx_source(struct ctx *c, unsigned streams, unsigned samples, BOOL deselect1, const char *name)
{
    struct dsource_desc d = {0};
    struct dsource *s = NULL;
    d.stream_count = streams;
    d.samples_per_stream = samples;
    d.sample_duration = SAMPLE_DURATION;
    d.sample_bytes = 4;
    d.seekable = d.can_pause = TRUE;
    d.eager_end_of_stream = TRUE;
    d.deselect_stream1 = deselect1;
    d.name = name;
    if (FAILED(dsource_create(&d, &s)) || c->source_count == MAX_TRACKED)
    {
        ok(0, "[%s] creating a source", c->label);
        return NULL;
    }
    c->sources[c->source_count++] = s;
    return s;
}

struct dsink *ctx_sink(struct ctx *c, unsigned streams, BOOL rateless, const char *name)
{
    struct dsink_desc d = {0};
    struct dsink *k = NULL;
    d.stream_count = streams;
    d.rateless = rateless;
    d.request_depth = 2;
    d.name = name;
    if (FAILED(dsink_create(&d, &k)) || c->sink_count == MAX_TRACKED)
    {
        ok(0, "[%s] creating a sink", c->label);
        return NULL;
    }
    c->sinks[c->sink_count++] = k;
    return k;
}

void *ctx_keep(struct ctx *c, void *object)
{
    if (object && c->object_count < MAX_TRACKED) c->objects[c->object_count++] = object;
    return object;
}

BOOL ctx_begin(struct ctx *c, const char *label)
{
    memset(c, 0, sizeof(*c));
    c->label = label;
    dlog_clear();
    if (!(c->session = create_session())) return FALSE;
    c->w = event_waiter_create((IMFMediaEventGenerator *)c->session);
    return TRUE;
}

BOOL verbose;

/* Next event of `type`, others skipped; FALSE on timeout. */
BOOL wait_event(struct ctx *c, MediaEventType type, DWORD timeout, HRESULT *status)
{
    DWORD deadline = GetTickCount() + timeout;
    for (;;)
    {
        DWORD now = GetTickCount(), left = (LONG)(deadline - now) > 0 ? deadline - now : 0;
        IMFMediaEvent *event = NULL;
        MediaEventType got;
        HRESULT hr, st = S_OK;

        if (FAILED(hr = event_waiter_next(c->w, left, &event)) || !event)
        {
            diag("[%s] waiting for %s: %s", c->label, event_name(type), hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT)
                    ? "timed out" : "failed");
            return FALSE;
        }
        IMFMediaEvent_GetType(event, &got);
        IMFMediaEvent_GetStatus(event, &st);
        IMFMediaEvent_Release(event);
        if (verbose) diag("  [%s] %s %#lx", c->label, event_name(got), (unsigned long)st);
        if (got == type)
        {
            if (status) *status = st;
            return TRUE;
        }
    }
}

/* Close (if not closed yet), Shutdown, Release, and nothing left referenced. */
void ctx_end(struct ctx *c, BOOL close)
{
    DWORD start;
    unsigned i;
    BOOL good;
    HRESULT status;

    if (close)
    {
        ok_hr(S_OK, IMFMediaSession_Close(c->session));
        ok(wait_event(c, MESessionClosed, TEST_TIMEOUT, &status), "[%s] MESessionClosed", c->label);
    }
    ok_hr(S_OK, IMFMediaSession_Shutdown(c->session));
    event_waiter_destroy(c->w);
    IMFMediaSession_Release(c->session);
    start = GetTickCount();
    /* In the order kept: a topology first lets go of what its nodes hold. */
    for (i = 0; i < c->object_count; ++i)
    {
        while (get_refcount(c->objects[i]) != 1 && GetTickCount() - start < 2000) Sleep(5);
        if (get_refcount(c->objects[i]) != 1)
            ok(0, "[%s] object %u (topology, transform, activate or attribute store) still has %lu references "
                    "after Shutdown + Release", c->label, i, get_refcount(c->objects[i]));
        IUnknown_Release(c->objects[i]);
    }
    do
    {
        good = TRUE;
        for (i = 0; i < c->source_count; ++i) if (dsource_refcount(c->sources[i]) != 1) good = FALSE;
        for (i = 0; i < c->sink_count; ++i) if (dsink_refcount(c->sinks[i]) != 1) good = FALSE;
        if (good) break;
        Sleep(5);
    } while (GetTickCount() - start < 2000);
    ok(good, "[%s] every double is back to the test's reference after Shutdown + Release", c->label);
    for (i = 0; i < c->source_count; ++i)
    {
        if (dsource_refcount(c->sources[i]) != 1) diag("  source %u: %ld references", i, dsource_refcount(c->sources[i]));
        IMFMediaSource_Shutdown(dsource_iface(c->sources[i]));
        dsource_release(c->sources[i]);
    }
    for (i = 0; i < c->sink_count; ++i)
    {
        if (dsink_refcount(c->sinks[i]) != 1) diag("  sink %u: %ld references", i, dsink_refcount(c->sinks[i]));
        dsink_release(c->sinks[i]);
    }
}

/* The session is still usable: a valid topology set with IMMEDIATE (it replaces
 * whatever is current instead of queuing behind it) plays to its end. */
void play_valid(struct ctx *c)
{
    struct dsource *src = ctx_source(c, 1, 5, FALSE, "valid");
    struct dsink *sink = ctx_sink(c, 1, TRUE, "validsink");
    IMFTopology *topology = NULL;
    HRESULT status = E_FAIL;

    if (!src || !sink) return;
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(c, topology);
    ok_hr(S_OK, IMFMediaSession_SetTopology(c->session,
            MFSESSION_SETTOPOLOGY_NORESOLUTION | MFSESSION_SETTOPOLOGY_IMMEDIATE, topology));
    ok(wait_event(c, MESessionTopologySet, TEST_TIMEOUT, &status) && status == S_OK,
            "[%s] afterwards a valid topology is set (%#lx)", c->label, (unsigned long)status);
    ok_hr(S_OK, start_at(c->session, -1));
    ok(wait_event(c, MESessionEnded, TEST_TIMEOUT, &status), "[%s] and plays to MESessionEnded", c->label);
    ok(dsink_received(sink, 0) == 5, "[%s] all 5 samples delivered, got %u", c->label, dsink_received(sink, 0));
}
