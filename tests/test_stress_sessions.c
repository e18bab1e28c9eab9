/*
 * test_stress: many sessions at once, Shutdown and Release racing with
 * playback and a consumer blocked in GetEvent, and a rate change raced by
 * Close.
 */
#include "test_stress.h"

/* ---- many sessions at once ---- */

void test_many_sessions(unsigned count)
{
    struct dsource **sources = calloc(count, sizeof(*sources));
    struct dsink **sinks = calloc(count, sizeof(*sinks));
    IMFTopology **topologies = calloc(count, sizeof(*topologies));
    IMFMediaSession **sessions = calloc(count, sizeof(*sessions));
    struct event_waiter **waiters = calloc(count, sizeof(*waiters));
    unsigned i, ended = 0, closed = 0, full = 0;
    DWORD start = GetTickCount();
    char label[48];

    snprintf(label, sizeof(label), "%u sessions at once", count);
    for (i = 0; i < count; ++i)
    {
        struct dsource_desc sd = {0};
        struct dsink_desc kd = {0};
        PROPVARIANT pos;

        sd.stream_count = 1;
        sd.samples_per_stream = 30;
        sd.sample_duration = SAMPLE_DURATION;
        sd.sample_bytes = 4;
        sd.seekable = sd.can_pause = TRUE;
        sd.eager_end_of_stream = i & 1;
        kd.stream_count = 1;
        kd.rateless = (i % 4) == 0;
        kd.request_depth = 2;
        dsource_create(&sd, &sources[i]);
        dsink_create(&kd, &sinks[i]);
        dtopology_build(sources[i], sinks[i], NULL, NULL, &topologies[i]);
        if (!(sessions[i] = create_session())) return;
        waiters[i] = event_waiter_create((IMFMediaEventGenerator *)sessions[i]);
        IMFMediaSession_SetTopology(sessions[i], i & 2 ? MFSESSION_SETTOPOLOGY_NORESOLUTION : 0, topologies[i]);
        PropVariantInit(&pos);
        IMFMediaSession_Start(sessions[i], &GUID_NULL, &pos);
    }
    for (i = 0; i < count; ++i)
        if (event_waiter_wait_for(waiters[i], MESessionEnded, 20000, NULL, NULL)) ++ended;
    for (i = 0; i < count; ++i) if (dsink_received(sinks[i], 0) == 30) ++full;
    ok(ended == count, "[%s] %u of %u reached MESessionEnded", label, ended, count);
    ok(full == count, "[%s] %u of %u got all 30 samples", label, full, count);
    for (i = 0; i < count; ++i) IMFMediaSession_Close(sessions[i]);
    for (i = 0; i < count; ++i)
        if (event_waiter_wait_for(waiters[i], MESessionClosed, 10000, NULL, NULL)) ++closed;
    ok(closed == count, "[%s] %u of %u closed", label, closed, count);
    diag("%s: played and closed in %lu ms", label, (unsigned long)(GetTickCount() - start));
    for (i = 0; i < count; ++i)
    {
        IMFMediaSession_Shutdown(sessions[i]);
        event_waiter_destroy(waiters[i]);
        IMFMediaSession_Release(sessions[i]);
    }
    ok(release_doubles(sources, sinks, topologies, count, label), "[%s] every double released", label);
    free(sources); free(sinks); free(topologies); free(sessions); free(waiters);
}

/* ---- Shutdown / Release racing with events ---- */

struct blocked_consumer
{
    IMFMediaSession *session;
    HRESULT last;
    LONG events;
};

static DWORD WINAPI blocked_consumer_thread(void *arg)
{
    struct blocked_consumer *b = arg;
    IMFMediaEvent *event;
    while (SUCCEEDED(b->last = IMFMediaSession_GetEvent(b->session, 0, &event)))
    {
        InterlockedIncrement(&b->events);
        IMFMediaEvent_Release(event);
    }
    IMFMediaSession_Release(b->session);
    return 0;
}

struct shutdown_args { IMFMediaSession *session; BOOL shutdown; HRESULT hr; };

static DWORD WINAPI shutdown_release_thread(void *arg)
{
    struct shutdown_args *a = arg;
    a->hr = a->shutdown ? IMFMediaSession_Shutdown(a->session) : S_OK;
    IMFMediaSession_Release(a->session);
    return 0;
}

void test_release_while_running(BOOL shutdown, unsigned iteration)
{
    struct blocked_consumer b = {0};
    struct shutdown_args a = {0};
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HANDLE consumer = NULL, thread;
    PROPVARIANT pos;
    char label[96];

    snprintf(label, sizeof(label), "%s on thread B while playing (%u)", shutdown ? "Shutdown + Release" :
            "Release without Shutdown", iteration);
    sd.stream_count = 2;
    sd.samples_per_stream = 100000;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.seekable = sd.can_pause = TRUE;
    kd.stream_count = 2;
    kd.rateless = iteration & 1;   /* rateless: as fast as it goes, events pour in */
    kd.request_depth = 3;
    dsource_create(&sd, &src);
    dsink_create(&kd, &sink);
    dtopology_build(src, sink, NULL, NULL, &topology);
    if (!(a.session = create_session())) return;
    a.shutdown = shutdown;
    IMFMediaSession_SetTopology(a.session, 0, topology);
    PropVariantInit(&pos);
    IMFMediaSession_Start(a.session, &GUID_NULL, &pos);
    if (shutdown)
    {
        /* Thread A holds its own reference and blocks in GetEvent(0). */
        b.session = a.session;
        IMFMediaSession_AddRef(b.session);
        consumer = CreateThread(NULL, 0, blocked_consumer_thread, &b, 0, NULL);
    }
    Sleep(20 + iteration * 7 % 60);
    thread = CreateThread(NULL, 0, shutdown_release_thread, &a, 0, NULL);
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "[%s] returns (hr %#lx)", label, (unsigned long)a.hr);
    CloseHandle(thread);
    if (consumer)
    {
        ok(WaitForSingleObject(consumer, 5000) == WAIT_OBJECT_0, "[%s] the consumer in GetEvent(0) on thread A "
                "wakes up", label);
        ok(b.last == MF_E_SHUTDOWN, "[%s] with MF_E_SHUTDOWN, got %#lx after %ld events", label,
                (unsigned long)b.last, b.events);
        CloseHandle(consumer);
    }
    ok(release_doubles(&src, &sink, &topology, 1, label), "[%s] every double released", label);
}

/* A rate change on a rate-supporting source, then Close at once: the
 * source's answer must not reach the client after MESessionClosed. */
void test_rate_then_close(unsigned rounds)
{
    unsigned i, late = 0, late_type = 0;

    for (i = 0; i < rounds; ++i)
    {
        struct dsource_desc sd = {0};
        struct dsink_desc kd = {0};
        struct dsource *src;
        struct dsink *sink;
        IMFTopology *topology;
        IMFMediaSession *session;
        IMFRateControl *rate;
        struct event_waiter *w;
        IMFMediaEvent *event;

        sd.stream_count = 1;
        sd.samples_per_stream = 100;
        sd.sample_duration = SAMPLE_DURATION;
        sd.sample_bytes = 4;
        sd.seekable = sd.can_pause = TRUE;
        sd.rate_support = TRUE;
        kd.stream_count = 1;
        dsource_create(&sd, &src);
        dsink_create(&kd, &sink);
        dtopology_build(src, sink, NULL, NULL, &topology);
        if (!(session = create_session())) return;
        w = event_waiter_create((IMFMediaEventGenerator *)session);
        IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&rate);
        IMFMediaSession_SetTopology(session, 0, topology);
        IMFRateControl_SetRate(rate, FALSE, i & 1 ? 0.5f : 2.0f);
        IMFMediaSession_Close(session);
        if (!event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, NULL, NULL))
            ok(0, "[SetRate then Close %u] MESessionClosed", i);
        if (SUCCEEDED(event_waiter_next(w, 30, &event)) && event)
        {
            MediaEventType type;
            IMFMediaEvent_GetType(event, &type);
            if (!late++) late_type = type;
            IMFMediaEvent_Release(event);
        }
        IMFRateControl_Release(rate);
        IMFMediaSession_Shutdown(session);
        event_waiter_destroy(w);
        IMFMediaSession_Release(session);
        release_doubles(&src, &sink, &topology, 1, "SetRate then Close");
    }
    ok(!late, "[SetRate then Close] nothing after MESessionClosed: %u of %u rounds had an event after it (first: %s)",
            late, rounds, late ? event_name(late_type) : "none");
}
