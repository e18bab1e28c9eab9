/*
 * Presentation control against the test doubles: rate (support, transitions,
 * thinning, scrubbing), gapless queued topologies, MEDIASTART/MEDIASTOP and
 * the node attribute editor, services, the quality manager, MF_LOW_LATENCY,
 * buffering and forwarded events.  Each check names the contract rule.
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <stdio.h>

#define DUR 100000

/* ---- an event collector: everything up to a given event ---- */

#define MAX_EVENTS 256
struct record
{
    unsigned count;
    MediaEventType type[MAX_EVENTS];
    HRESULT status[MAX_EVENTS];
    UINT32 topo_status[MAX_EVENTS];
    IUnknown *topology[MAX_EVENTS]; /* not referenced: identity only */
    float rate[MAX_EVENTS];
};

static BOOL collect_until(struct event_waiter *w, MediaEventType last, struct record *r, DWORD timeout)
{
    DWORD deadline = GetTickCount() + timeout;
    r->count = 0;
    for (;;)
    {
        IMFMediaEvent *event;
        PROPVARIANT value;
        MediaEventType type;
        DWORD left = (LONG)(deadline - GetTickCount()) > 0 ? deadline - GetTickCount() : 0;

        if (FAILED(event_waiter_next(w, left, &event))) return FALSE;
        IMFMediaEvent_GetType(event, &type);
        if (r->count < MAX_EVENTS)
        {
            r->type[r->count] = type;
            IMFMediaEvent_GetStatus(event, &r->status[r->count]);
            r->topo_status[r->count] = 0;
            IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &r->topo_status[r->count]);
            PropVariantInit(&value);
            IMFMediaEvent_GetValue(event, &value);
            r->topology[r->count] = value.vt == VT_UNKNOWN ? value.punkVal : NULL;
            r->rate[r->count] = value.vt == VT_R4 ? value.fltVal : -100.0f;
            PropVariantClear(&value);
            r->count++;
        }
        IMFMediaEvent_Release(event);
        if (type == last) return TRUE;
    }
}

static unsigned count_type(const struct record *r, MediaEventType type)
{
    unsigned i, n = 0;
    for (i = 0; i < r->count; ++i) n += r->type[i] == type;
    return n;
}

static void dump_record(const struct record *r)
{
    unsigned i;
    for (i = 0; i < r->count; ++i)
        diag("  %2u %s %#lx topo-status %u", i, event_name(r->type[i]), (unsigned long)r->status[i], r->topo_status[i]);
}

static BOOL wait_type(struct event_waiter *w, MediaEventType type, HRESULT *status)
{
    HRESULT s = E_FAIL;
    BOOL got = event_waiter_wait_for(w, type, TEST_TIMEOUT, &s, NULL);
    if (status) *status = s;
    return got;
}

static HRESULT set_rate(IMFMediaSession *session, struct event_waiter *w, BOOL thin, float rate, float *in_force)
{
    IMFRateControl *control;
    IMFMediaEvent *event;
    PROPVARIANT value;
    HRESULT hr, status = E_FAIL;

    if (FAILED(hr = MFGetService((IUnknown *)session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, (void **)&control)))
        return hr;
    hr = IMFRateControl_SetRate(control, thin, rate);
    IMFRateControl_Release(control);
    if (FAILED(hr)) return hr;
    if (!event_waiter_wait_for(w, MESessionRateChanged, TEST_TIMEOUT, &status, &event)) return E_ABORT;
    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    /* The rate in force on success, nothing on failure (observed on Windows). */
    if (SUCCEEDED(status))
        ok(value.vt == VT_R4, "[4 MESessionRateChanged] carries VT_R4, got vt %u", value.vt);
    else
        ok(value.vt == VT_EMPTY, "[4 MESessionRateChanged] a refused rate carries VT_EMPTY, got vt %u", value.vt);
    if (in_force) *in_force = value.fltVal;
    PropVariantClear(&value);
    IMFMediaEvent_Release(event);
    return status;
}

static void shutdown_release(IMFMediaSession *session, struct event_waiter *w)
{
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
}

static BOOL set_and_ready(IMFMediaSession *session, struct event_waiter *w, DWORD flags, IMFTopology *topology)
{
    struct record r;
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, flags, topology));
    return collect_until(w, MESessionTopologyStatus, &r, TEST_TIMEOUT);
}

/* ---- rate ---- */

static void test_rate_without_topology(void)
{
    IMFMediaSession *session = create_session();
    IMFRateControl *control;
    IMFRateSupport *support;
    struct event_waiter *w;
    float rate = 0.0f, in_force = 0.0f;
    BOOL thin = TRUE;

    if (!session) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    ok_hr(S_OK, IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&control));
    ok_hr(S_OK, MFGetService((IUnknown *)session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateSupport, (void **)&support));
    ok_hr(S_OK, IMFRateControl_GetRate(control, &thin, &rate));
    ok(rate == 1.0f && !thin, "[6] before any topology the rate is 1.0, not thinned (%g, %d)", rate, thin);
    ok_hr(S_OK, IMFRateSupport_GetFastestRate(support, MFRATE_FORWARD, FALSE, &rate));
    ok(rate == 1.0f, "[6] no topology: fastest forward 1.0, got %g", rate);
    ok_hr(MF_E_REVERSE_UNSUPPORTED, IMFRateSupport_GetSlowestRate(support, MFRATE_REVERSE, FALSE, &rate));
    ok_hr(S_OK, set_rate(session, w, FALSE, 1.0f, &in_force));
    ok(in_force == 1.0f, "[6] SetRate(1.0) completes with MESessionRateChanged(1.0), got %g", in_force);
    /* Windows (test_media_session_rate_control): with no topology the rate is
     * taken, and the clock, which has no time source yet, is not touched. */
    ok_hr(S_OK, set_rate(session, w, FALSE, 1.5f, &in_force));
    ok(in_force == 1.5f, "[6] no topology: SetRate(1.5) completes with MESessionRateChanged(1.5), got %g", in_force);
    {
        IMFPresentationClock *clock = NULL;
        IMFRateControl *clock_rate = NULL;
        MFCLOCK_PROPERTIES props;
        IMFClock *c = NULL;

        ok_hr(S_OK, IMFMediaSession_GetClock(session, &c));
        if (c && SUCCEEDED(IMFClock_QueryInterface(c, &IID_IMFPresentationClock, (void **)&clock)))
        {
            ok_hr(MF_E_CLOCK_NO_TIME_SOURCE, IMFPresentationClock_GetProperties(clock, &props));
            if (SUCCEEDED(IMFPresentationClock_QueryInterface(clock, &IID_IMFRateControl, (void **)&clock_rate)))
            {
                rate = 0.0f;
                ok_hr(S_OK, IMFRateControl_GetRate(clock_rate, NULL, &rate));
                ok(rate == 1.0f, "[6] no topology: the clock's rate stays 1.0, got %g", rate);
                ok_hr(MF_E_CLOCK_NO_TIME_SOURCE, IMFRateControl_SetRate(clock_rate, FALSE, 1.5f));
                IMFRateControl_Release(clock_rate);
            }
            IMFPresentationClock_Release(clock);
        }
        if (c) IMFClock_Release(c);
    }
    ok_hr(S_OK, set_rate(session, w, FALSE, 1.0f, NULL));
    IMFRateSupport_Release(support);
    IMFRateControl_Release(control);
    shutdown_release(session, w);
}

static void test_rate_with_sources(BOOL rate_support)
{
    const char *label = rate_support ? "source with rate support" : "source without rate support";
    IMFMediaSession *session = create_session();
    IMFRateSupport *support;
    struct event_waiter *w;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    float rate = 0.0f;
    DWORD caps = 0;

    if (!session) return;
    dlog_clear();
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    src = one_stream_source(NULL, 100000, rate_support);
    sink = one_stream_sink(NULL, FALSE, 0);
    dtopology_build(src, sink, NULL, NULL, &topology);
    set_and_ready(session, w, 0, topology);
    IMFMediaSession_QueryInterface(session, &IID_IMFRateSupport, (void **)&support);
    ok_hr(S_OK, IMFMediaSession_GetSessionCapabilities(session, &caps));
    if (rate_support)
    {
        ok_hr(S_OK, IMFRateSupport_GetFastestRate(support, MFRATE_FORWARD, FALSE, &rate));
        ok(rate == 8.0f, "[6 %s] fastest forward rate from the source: 8, got %g", label, rate);
        ok((caps & (MFSESSIONCAP_RATE_FORWARD | MFSESSIONCAP_RATE_REVERSE)) == (MFSESSIONCAP_RATE_FORWARD | MFSESSIONCAP_RATE_REVERSE),
                "[6 %s] caps RATE_FORWARD|RATE_REVERSE (%#lx)", label, caps);
        ok_hr(S_OK, IMFRateSupport_IsRateSupported(support, FALSE, 2.0f, NULL));
        ok_hr(S_OK, set_rate(session, w, FALSE, 2.0f, &rate));
        ok(rate == 2.0f, "[6 %s] stopped: any rate, 2.0 in force, got %g", label, rate);
        ok(dlog_find("src.SetRate(2)", 0) >= 0, "[6 %s] the source is asked for the rate", label);
        ok_hr(S_OK, start_at(session, -1));
        ok(wait_type(w, MESessionStarted, NULL), "[2 %s] started at rate 2", label);
        /* The clock gets its time source, and so the rate, when the presentation starts. */
        ok(dlog_find("sink.OnClockSetRate(2)", 0) >= 0, "[6 %s] sinks hear OnClockSetRate", label);
        ok_hr(MF_E_UNSUPPORTED_RATE_TRANSITION, set_rate(session, w, FALSE, -1.0f, NULL));
        ok_hr(MF_E_UNSUPPORTED_RATE_TRANSITION, set_rate(session, w, FALSE, 0.0f, NULL));
        ok_hr(S_OK, set_rate(session, w, FALSE, 4.0f, &rate));
        ok(rate == 4.0f, "[6 %s] running: forward to forward allowed", label);
        ok_hr(S_OK, IMFMediaSession_Pause(session));
        ok(wait_type(w, MESessionPaused, NULL), "[2 %s] paused", label);
        ok_hr(S_OK, set_rate(session, w, FALSE, 0.0f, NULL));
        ok_hr(MF_E_UNSUPPORTED_RATE_TRANSITION, set_rate(session, w, FALSE, -1.0f, NULL));
        ok_hr(S_OK, set_rate(session, w, FALSE, 1.0f, NULL));
        ok_hr(MF_E_UNSUPPORTED_RATE, set_rate(session, w, FALSE, 20.0f, NULL));
    }
    else
    {
        ok(!(caps & (MFSESSIONCAP_RATE_FORWARD | MFSESSIONCAP_RATE_REVERSE)),
                "[6 %s] no rate caps (%#lx)", label, caps);
        ok_hr(S_OK, IMFRateSupport_GetFastestRate(support, MFRATE_FORWARD, FALSE, &rate));
        ok(rate == 1.0f, "[6 %s] 1.0 only, got %g", label, rate);
        ok_hr(MF_E_UNSUPPORTED_RATE, set_rate(session, w, FALSE, 2.0f, NULL));
        ok_hr(MF_E_REVERSE_UNSUPPORTED, set_rate(session, w, FALSE, -1.0f, NULL));
        ok_hr(MF_E_THINNING_UNSUPPORTED, set_rate(session, w, TRUE, 1.0f, NULL));
        ok_hr(MF_E_UNSUPPORTED_RATE, IMFRateSupport_IsRateSupported(support, FALSE, 2.0f, &rate));
    }
    IMFRateSupport_Release(support);
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 %s] closed", label);
    shutdown_release(session, w);
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}

static void test_scrub(void)
{
    IMFMediaSession *session = create_session();
    struct event_waiter *w;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    struct record r;

    if (!session) return;
    dlog_clear();
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    src = one_stream_source(NULL, 1000, TRUE);
    sink = one_stream_sink(NULL, FALSE, 0);
    {
        /* This sink is prerollable so we can see that rate 0 does not preroll. */
        struct dsink_desc desc = {0};
        dsink_release(sink);
        desc.stream_count = 1;
        desc.prerollable = TRUE;
        desc.keep_samples = TRUE;
        dsink_create(&desc, &sink);
    }
    dtopology_build(src, sink, NULL, NULL, &topology);
    set_and_ready(session, w, 0, topology);
    ok_hr(S_OK, set_rate(session, w, FALSE, 0.0f, NULL));
    ok_hr(S_OK, start_at(session, 5 * DUR));
    ok(wait_type(w, MESessionStarted, NULL), "[6 scrub] Start(position) at rate 0");
    /* The stream sink reports its scrub done, as a renderer does after one frame. */
    IMFStreamSink_QueueEvent(dsink_stream(sink, 0), MEStreamSinkScrubSampleComplete, &GUID_NULL, S_OK, NULL);
    ok(collect_until(w, MESessionScrubSampleComplete, &r, TEST_TIMEOUT),
            "[6 scrub] MESessionScrubSampleComplete once every stream sink has scrubbed");
    ok(dlog_find("sink.NotifyPreroll(500000)", 0) < 0, "[6 scrub] no preroll at rate 0");
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 scrub] closed");
    shutdown_release(session, w);
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}

/* ---- gapless playlists ---- */

static void test_playlist(void)
{
    static const char *names[3] = {"a", "b", "c"};
    IMFMediaSession *session = create_session();
    IMFTopology *topologies[3], *found;
    struct dsource *srcs[3];
    struct event_waiter *w;
    struct dsink *sink;
    struct record r;
    unsigned i, n = 30, ready = 0, started = 0, switched = 0, ended = 0, k;
    BOOL continuous = TRUE;
    TOPOID id;

    if (!session) return;
    dlog_clear();
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    sink = one_stream_sink("sink", TRUE, 0);
    for (i = 0; i < 3; ++i)
    {
        srcs[i] = one_stream_source(names[i], n, FALSE);
        dtopology_build(srcs[i], sink, NULL, NULL, &topologies[i]);
    }
    set_and_ready(session, w, 0, topologies[0]);
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topologies[1]));
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topologies[2]));
    ok(wait_type(w, MESessionTopologySet, NULL) && wait_type(w, MESessionTopologySet, NULL),
            "[2 playlist] both queued before the first starts");
    IMFTopology_GetTopologyID(topologies[2], &id);
    ok_hr(S_OK, IMFMediaSession_GetFullTopology(session, 0, id, &found));
    if (found) IMFTopology_Release(found);
    ok_hr(S_OK, start_at(session, -1));
    ok(collect_until(w, MESessionEnded, &r, TEST_TIMEOUT * 2), "[2 playlist] MESessionEnded after the last topology");
    ok(count_type(&r, MESessionEnded) == 1, "[2 playlist] exactly one MESessionEnded");
    ok(count_type(&r, MESessionStarted) == 1, "[2 playlist] one MESessionStarted for the whole playlist");
    for (k = 0; k < r.count; ++k)
    {
        if (r.type[k] != MESessionTopologyStatus) continue;
        switch (r.topo_status[k])
        {
        case MF_TOPOSTATUS_READY: ++ready; break;
        case MF_TOPOSTATUS_STARTED_SOURCE: ++started; break;
        case MF_TOPOSTATUS_SINK_SWITCHED: ++switched; break;
        case MF_TOPOSTATUS_ENDED: ++ended; break;
        }
    }
    ok(ready == 2 && started == 3 && switched == 2 && ended == 3,
            "[4 playlist] READY and SINK_SWITCHED for the two queued topologies, STARTED_SOURCE and ENDED for all three: %u %u %u %u",
            ready, started, switched, ended);
    /* Per topology, the statuses come in numeric order. */
    {
        BOOL ordered = TRUE;
        IUnknown *topo;
        for (k = 0; k < r.count; ++k)
        {
            UINT32 last = 0;
            unsigned j;
            if (r.type[k] != MESessionTopologyStatus) continue;
            topo = r.topology[k];
            for (j = 0; j < r.count; ++j)
                if (r.type[j] == MESessionTopologyStatus && r.topology[j] == topo)
                {
                    if (r.topo_status[j] < last) ordered = FALSE;
                    last = r.topo_status[j];
                }
        }
        ok(ordered, "[4 playlist] each topology's statuses in numeric order");
        if (!ordered) dump_record(&r);
    }
    if (!ok(dsink_received(sink, 0) == 3 * n, "[4 playlist] the sink received every sample of all three: %u of %u",
            dsink_received(sink, 0), 3 * n))
    {
        char entry[128];
        int e;
        for (e = dlog_size() > 40 ? dlog_size() - 40 : 0; e < dlog_size(); ++e)
            if (dlog_entry(e, entry, sizeof(entry))) diag("%d %s", e, entry);
        dump_record(&r);
    }
    for (i = 0; i < dsink_received(sink, 0); ++i)
        if (dsink_sample_time(sink, 0, i) != (LONGLONG)i * DUR) continuous = FALSE;
    ok(continuous, "[4 playlist] in order, with continuous presentation times");
    ok(!dsink_is_shut_down(sink), "[4 playlist] a sink shared between topologies keeps running");
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 playlist] closed");
    shutdown_release(session, w);
    for (i = 0; i < 3; ++i)
    {
        IMFTopology_Release(topologies[i]);
        IMFMediaSource_Shutdown(dsource_iface(srcs[i]));
        ok(dsource_refcount(srcs[i]) == 1, "[2 playlist] source %s released, got %ld", names[i], dsource_refcount(srcs[i]));
        dsource_release(srcs[i]);
    }
    dsink_release(sink);
}

static void test_playlist_dropped_sinks(BOOL keep)
{
    const char *label = keep ? "NOSHUTDOWN_ON_REMOVE" : "dropped sink";
    IMFMediaSession *session = create_session();
    IMFTopology *t1, *t2;
    struct dsource *s1, *s2;
    struct dsink *k1, *k2;
    struct event_waiter *w;
    struct record r;

    if (!session) return;
    dlog_clear();
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    s1 = one_stream_source("a", 10, FALSE);
    s2 = one_stream_source("b", 10, FALSE);
    k1 = one_stream_sink("k1", TRUE, 0);
    k2 = one_stream_sink("k2", TRUE, 0);
    dtopology_build(s1, k1, NULL, NULL, &t1);
    dtopology_build(s2, k2, NULL, NULL, &t2);
    if (keep)
    {
        WORD i, count;
        IMFTopologyNode *node;
        MF_TOPOLOGY_TYPE type;
        IMFTopology_GetNodeCount(t1, &count);
        for (i = 0; i < count; ++i)
        {
            IMFTopology_GetNode(t1, i, &node);
            IMFTopologyNode_GetNodeType(node, &type);
            if (type == MF_TOPOLOGY_OUTPUT_NODE) IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_NOSHUTDOWN_ON_REMOVE, TRUE);
            IMFTopologyNode_Release(node);
        }
    }
    set_and_ready(session, w, MFSESSION_SETTOPOLOGY_NORESOLUTION, t1);
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_NORESOLUTION, t2));
    ok_hr(S_OK, start_at(session, -1));
    ok(collect_until(w, MESessionEnded, &r, TEST_TIMEOUT), "[4 %s] plays both", label);
    ok(dsink_received(k1, 0) == 10 && dsink_received(k2, 0) == 10, "[4 %s] each sink got its samples", label);
    /* Windows (test_media_session_sink_shutdown): sinks are shut down at the
     * session's Shutdown and never before, MF_TOPONODE_NOSHUTDOWN_ON_REMOVE or not. */
    ok(!dsink_is_shut_down(k1), "[4 %s] the dropped sink is not shut down before Shutdown", label);
    ok(!dsink_is_shut_down(k2), "[4 %s] the current sink runs", label);
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 %s] closed", label);
    ok(!dsink_is_shut_down(k1) && !dsink_is_shut_down(k2), "[4 %s] Close shuts no sink down", label);
    shutdown_release(session, w);
    ok(dsink_is_shut_down(k1) && dsink_is_shut_down(k2), "[4 %s] Shutdown shuts both sinks down", label);
    IMFTopology_Release(t1);
    IMFTopology_Release(t2);
    IMFMediaSource_Shutdown(dsource_iface(s1));
    IMFMediaSource_Shutdown(dsource_iface(s2));
    dsource_release(s1);
    dsource_release(s2);
    dsink_release(k1);
    dsink_release(k2);
}

static void test_queue_operations(void)
{
    IMFMediaSession *session = create_session();
    IMFTopology *t[3], *found = NULL;
    struct dsource *src[3];
    struct event_waiter *w;
    struct dsink *sink;
    struct record r;
    unsigned i;
    TOPOID id;

    if (!session) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    sink = one_stream_sink(NULL, FALSE, 0);
    for (i = 0; i < 3; ++i)
    {
        src[i] = one_stream_source(NULL, 100000, FALSE);
        dtopology_build(src[i], sink, NULL, NULL, &t[i]);
    }
    set_and_ready(session, w, 0, t[0]);
    ok_hr(S_OK, start_at(session, -1));
    ok(wait_type(w, MESessionStarted, NULL), "[2 queue] started");
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, t[1]));
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, t[2]));
    ok(collect_until(w, MESessionTopologySet, &r, TEST_TIMEOUT) && collect_until(w, MESessionTopologySet, &r, TEST_TIMEOUT),
            "[2 queue] both queued");
    for (i = 1; i < 3; ++i)
    {
        IMFTopology_GetTopologyID(t[i], &id);
        ok_hr(S_OK, IMFMediaSession_GetFullTopology(session, 0, id, &found));
        if (found) IMFTopology_Release(found);
    }
    ok_hr(S_OK, IMFMediaSession_ClearTopologies(session));
    ok(wait_type(w, MESessionTopologiesCleared, NULL), "[2 ClearTopologies] completes");
    IMFTopology_GetTopologyID(t[2], &id);
    ok_hr(MF_E_NOT_FOUND, IMFMediaSession_GetFullTopology(session, 0, id, &found));
    ok_hr(S_OK, IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &found));
    if (found) IMFTopology_Release(found);

    /* IMMEDIATE: the current presentation ends, the new one is current. */
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_IMMEDIATE, t[1]));
    ok(collect_until(w, MESessionTopologyStatus, &r, TEST_TIMEOUT), "[2 IMMEDIATE] the new topology becomes current");
    ok(count_type(&r, MESessionTopologySet) == 1, "[2 IMMEDIATE] MESessionTopologySet");
    /* CLEAR_CURRENT with NULL: no current topology afterwards. */
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL));
    ok(wait_type(w, MESessionTopologySet, NULL), "[2 CLEAR_CURRENT] completes");
    ok_hr(MF_E_INVALIDREQUEST, IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &found));
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 queue] closed");
    shutdown_release(session, w);
    for (i = 0; i < 3; ++i)
    {
        IMFTopology_Release(t[i]);
        IMFMediaSource_Shutdown(dsource_iface(src[i]));
        dsource_release(src[i]);
    }
    dsink_release(sink);
}

/* ---- trimming and the node attribute editor ---- */

static TOPOID source_node_id(IMFTopology *topology)
{
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE type;
    WORD i, count;
    TOPOID id = 0;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count && !id; ++i)
    {
        IMFTopology_GetNode(topology, i, &node);
        IMFTopologyNode_GetNodeType(node, &type);
        if (type == MF_TOPOLOGY_SOURCESTREAM_NODE) IMFTopologyNode_GetTopoNodeID(node, &id);
        IMFTopologyNode_Release(node);
    }
    return id;
}

static void test_trim(void)
{
    IMFTopologyNodeAttributeEditor *editor;
    MFTOPONODE_ATTRIBUTE_UPDATE update;
    IMFMediaSession *session = create_session();
    struct event_waiter *w;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    TOPOID topology_id;
    HRESULT status;

    if (!session) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    src = one_stream_source(NULL, 100, FALSE);
    sink = one_stream_sink(NULL, TRUE, 0);
    dtopology_build(src, sink, NULL, NULL, &topology);
    set_and_ready(session, w, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology);
    ok_hr(E_NOINTERFACE, IMFMediaSession_QueryInterface(session, &IID_IMFTopologyNodeAttributeEditor, (void **)&editor));
    ok_hr(S_OK, MFGetService((IUnknown *)session, &MF_TOPONODE_ATTRIBUTE_EDITOR_SERVICE,
            &IID_IMFTopologyNodeAttributeEditor, (void **)&editor));
    IMFTopology_GetTopologyID(topology, &topology_id);
    memset(&update, 0, sizeof(update));
    update.NodeId = source_node_id(topology);
    update.guidAttributeKey = MF_TOPONODE_MEDIASTOP;
    update.attrType = MF_ATTRIBUTE_UINT64;
    update.u64 = 10 * (UINT64)DUR;
    ok_hr(S_OK, IMFTopologyNodeAttributeEditor_UpdateNodeAttributes(editor, topology_id, 1, &update));
    update.guidAttributeKey = MF_TOPONODE_MEDIASTART;
    update.u64 = 4 * (UINT64)DUR;
    ok_hr(S_OK, IMFTopologyNodeAttributeEditor_UpdateNodeAttributes(editor, topology_id, 1, &update));
    IMFTopologyNodeAttributeEditor_Release(editor);
    ok_hr(S_OK, start_at(session, -1));
    ok(wait_type(w, MESessionEnded, &status), "[4 trim] the presentation ends at MEDIASTOP");
    ok(dsink_received(sink, 0) == 6, "[4 trim] MEDIASTART 4 and MEDIASTOP 10 keep samples 4..9: got %u",
            dsink_received(sink, 0));
    ok(dsink_sample_time(sink, 0, 0) == 4 * DUR, "[4 trim] the first sample is the one at MEDIASTART, got %lld",
            dsink_sample_time(sink, 0, 0));
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 trim] closed");
    shutdown_release(session, w);
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}

/* Under MF_SESSION_GLOBAL_TIME, topologies carry their place on the global
 * timeline: PROJECTSTART places the samples, PROJECTSTOP ends the topology. */
static void test_global_time(void)
{
    IMFMediaSession *session;
    IMFAttributes *config;
    struct event_waiter *w;
    IMFTopology *t1, *t2;
    struct dsource *s1, *s2;
    struct dsink *sink;
    struct record r;
    unsigned i;
    BOOL times_ok = TRUE;

    MFCreateAttributes(&config, 1);
    IMFAttributes_SetUINT32(config, &MF_SESSION_GLOBAL_TIME, TRUE);
    ok_hr(S_OK, create_session_with(config, &session));
    IMFAttributes_Release(config);
    if (!session) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    sink = one_stream_sink("sink", TRUE, 0);
    s1 = one_stream_source("a", 20, FALSE);
    s2 = one_stream_source("b", 20, FALSE);
    dtopology_build(s1, sink, NULL, NULL, &t1);
    dtopology_build(s2, sink, NULL, NULL, &t2);
    /* a: global 0 .. 10 samples; b: starts at global 50 samples, stops at 55. */
    IMFTopology_SetUINT64(t1, &MF_TOPOLOGY_PROJECTSTART, 0);
    IMFTopology_SetUINT64(t1, &MF_TOPOLOGY_PROJECTSTOP, 10 * (UINT64)DUR);
    IMFTopology_SetUINT64(t2, &MF_TOPOLOGY_PROJECTSTART, 50 * (UINT64)DUR);
    IMFTopology_SetUINT64(t2, &MF_TOPOLOGY_PROJECTSTOP, 55 * (UINT64)DUR);
    set_and_ready(session, w, 0, t1);
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, t2));
    ok_hr(S_OK, start_at(session, -1));
    ok(collect_until(w, MESessionEnded, &r, TEST_TIMEOUT), "[7 global time] both topologies end");
    ok(dsink_received(sink, 0) == 15, "[7 global time] PROJECTSTOP cuts each topology: 10 + 5 samples, got %u",
            dsink_received(sink, 0));
    for (i = 0; i < dsink_received(sink, 0); ++i)
        if (dsink_sample_time(sink, 0, i) != (LONGLONG)(i < 10 ? i : 50 + i - 10) * DUR) times_ok = FALSE;
    ok(times_ok, "[7 global time] samples placed at PROJECTSTART on the global timeline");
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 global time] closed");
    shutdown_release(session, w);
    IMFTopology_Release(t1);
    IMFTopology_Release(t2);
    IMFMediaSource_Shutdown(dsource_iface(s1));
    IMFMediaSource_Shutdown(dsource_iface(s2));
    dsource_release(s1);
    dsource_release(s2);
    dsink_release(sink);
}

/* ---- services ---- */

static void test_services(void)
{
    IMFMediaSession *session = create_session();
    IMFLocalMFTRegistration *local;
    struct dsink_desc desc = {0};
    struct event_waiter *w;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    IUnknown *unk;

    if (!session) return;
    /* A renderer's services are forwarded to the sink that offers them. */
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    src = one_stream_source(NULL, 10, FALSE);
    desc.stream_count = 1;
    desc.renderer_services = TRUE;
    dsink_create(&desc, &sink);
    dtopology_build(src, sink, NULL, NULL, &topology);
    set_and_ready(session, w, 0, topology);
    unk = NULL;
    ok_hr(S_OK, MFGetService((IUnknown *)session, &MR_POLICY_VOLUME_SERVICE, &IID_IUnknown, (void **)&unk));
    ok(unk == (IUnknown *)dsink_iface(sink), "[6] MR_POLICY_VOLUME_SERVICE is the sink's own answer");
    if (unk) IUnknown_Release(unk);
    unk = NULL;
    ok_hr(S_OK, MFGetService((IUnknown *)session, &MR_STREAM_VOLUME_SERVICE, &IID_IUnknown, (void **)&unk));
    if (unk) IUnknown_Release(unk);
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 services] closed");
    shutdown_release(session, w);
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);

    if (!(session = create_session())) return;
    ok_hr(S_OK, MFGetService((IUnknown *)session, &MF_LOCAL_MFT_REGISTRATION_SERVICE, &IID_IMFLocalMFTRegistration,
            (void **)&local));
    if (local) IMFLocalMFTRegistration_Release(local);
    ok_hr(E_NOINTERFACE, IMFMediaSession_QueryInterface(session, &IID_IMFLocalMFTRegistration, (void **)&unk));
    ok_hr(MF_E_UNSUPPORTED_SERVICE, MFGetService((IUnknown *)session, &MR_POLICY_VOLUME_SERVICE, &IID_IUnknown, (void **)&unk));
    /* An unknown service: E_NOINTERFACE, as on Windows. */
    ok_hr(E_NOINTERFACE, MFGetService((IUnknown *)session, &GUID_NULL, &IID_IUnknown, (void **)&unk));
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    ok_hr(MF_E_SHUTDOWN, MFGetService((IUnknown *)session, &MF_TOPONODE_ATTRIBUTE_EDITOR_SERVICE,
            &IID_IMFTopologyNodeAttributeEditor, (void **)&unk));
    ok_hr(MF_E_SHUTDOWN, MFGetService((IUnknown *)session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, (void **)&unk));
    IMFMediaSession_Release(session);
}

/* ---- quality manager, low latency, buffering, forwarded events ---- */

struct qm
{
    IMFQualityManager IMFQualityManager_iface;
    IClassFactory IClassFactory_iface;
    LONG refcount;
    LONG topology, clock, input, output, quality, shutdown;
};

static struct qm test_qm;

static HRESULT WINAPI qm_QueryInterface(IMFQualityManager *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFQualityManager) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFQualityManager_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI qm_AddRef(IMFQualityManager *iface) { return InterlockedIncrement(&test_qm.refcount); }
static ULONG WINAPI qm_Release(IMFQualityManager *iface) { return InterlockedDecrement(&test_qm.refcount); }
static HRESULT WINAPI qm_NotifyTopology(IMFQualityManager *iface, IMFTopology *t) { InterlockedIncrement(&test_qm.topology); return S_OK; }
static HRESULT WINAPI qm_NotifyPresentationClock(IMFQualityManager *iface, IMFPresentationClock *c) { InterlockedIncrement(&test_qm.clock); return S_OK; }
static HRESULT WINAPI qm_NotifyProcessInput(IMFQualityManager *iface, IMFTopologyNode *n, LONG i, IMFSample *s) { InterlockedIncrement(&test_qm.input); return S_OK; }
static HRESULT WINAPI qm_NotifyProcessOutput(IMFQualityManager *iface, IMFTopologyNode *n, LONG i, IMFSample *s) { InterlockedIncrement(&test_qm.output); return S_OK; }
static HRESULT WINAPI qm_NotifyQualityEvent(IMFQualityManager *iface, IUnknown *o, IMFMediaEvent *e) { InterlockedIncrement(&test_qm.quality); return S_OK; }
static HRESULT WINAPI qm_Shutdown(IMFQualityManager *iface) { InterlockedIncrement(&test_qm.shutdown); return S_OK; }

static const IMFQualityManagerVtbl qm_vtbl =
{
    qm_QueryInterface, qm_AddRef, qm_Release, qm_NotifyTopology, qm_NotifyPresentationClock,
    qm_NotifyProcessInput, qm_NotifyProcessOutput, qm_NotifyQualityEvent, qm_Shutdown,
};

static HRESULT WINAPI qmf_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IClassFactory) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI qmf_AddRef(IClassFactory *iface) { return 2; }
static ULONG WINAPI qmf_Release(IClassFactory *iface) { return 1; }
static HRESULT WINAPI qmf_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **out)
{
    return qm_QueryInterface(&test_qm.IMFQualityManager_iface, riid, out);
}
static HRESULT WINAPI qmf_LockServer(IClassFactory *iface, BOOL lock) { return S_OK; }

static const IClassFactoryVtbl qmf_vtbl = { qmf_QueryInterface, qmf_AddRef, qmf_Release, qmf_CreateInstance, qmf_LockServer };

/* {5b1a9f4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b} */
static const GUID CLSID_TestQualityManager = {0x5b1a9f4e, 0x2c3d, 0x4e5f, {0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b}};

static void test_quality_manager_and_events(void)
{
    IMFTransform *mfts[1];
    IMFAttributes *config, *mft_attributes;
    IMFMediaSession *session;
    IMFPresentationClock *clock;
    MFCLOCK_STATE state = MFCLOCK_STATE_INVALID;
    struct event_waiter *w;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    DWORD cookie = 0;
    UINT32 low_latency = 0;
    HRESULT hr;

    test_qm.IMFQualityManager_iface.lpVtbl = &qm_vtbl;
    test_qm.IClassFactory_iface.lpVtbl = &qmf_vtbl;
    hr = CoRegisterClassObject(&CLSID_TestQualityManager, (IUnknown *)&test_qm.IClassFactory_iface,
            CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &cookie);
    ok_hr(S_OK, hr);
    MFCreateAttributes(&config, 2);
    IMFAttributes_SetGUID(config, &MF_SESSION_QUALITY_MANAGER, &CLSID_TestQualityManager);
    IMFAttributes_SetUINT32(config, &MF_LOW_LATENCY, TRUE);
    ok_hr(S_OK, create_session_with(config, &session));
    IMFAttributes_Release(config);
    if (!session) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    src = one_stream_source(NULL, 100000, FALSE);
    sink = one_stream_sink(NULL, FALSE, 0);
    dmft_create(DMFT_PASSTHROUGH, &mfts[0]);
    dtopology_build(src, sink, mfts, NULL, &topology);
    set_and_ready(session, w, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology);
    ok(test_qm.topology == 1 && test_qm.clock == 1, "[4 quality] the configured quality manager hears NotifyTopology and NotifyPresentationClock (%ld %ld)",
            test_qm.topology, test_qm.clock);
    IMFTransform_GetAttributes(mfts[0], &mft_attributes);
    IMFAttributes_GetUINT32(mft_attributes, &MF_LOW_LATENCY, &low_latency);
    IMFAttributes_Release(mft_attributes);
    ok(low_latency == 1, "[4 MF_LOW_LATENCY] the configuration's MF_LOW_LATENCY reaches the transforms");
    {
        IMFMediaSourceEx *source_ex;
        IMFAttributes *source_attributes;
        low_latency = 0;
        if (SUCCEEDED(IMFMediaSource_QueryInterface(dsource_iface(src), &IID_IMFMediaSourceEx, (void **)&source_ex)))
        {
            if (SUCCEEDED(IMFMediaSourceEx_GetSourceAttributes(source_ex, &source_attributes)))
            {
                IMFAttributes_GetUINT32(source_attributes, &MF_LOW_LATENCY, &low_latency);
                IMFAttributes_Release(source_attributes);
            }
            IMFMediaSourceEx_Release(source_ex);
        }
        ok(low_latency == 1, "[4 MF_LOW_LATENCY] and the source's attributes (IMFMediaSourceEx)");
    }
    ok_hr(S_OK, start_at(session, -1));
    ok(wait_type(w, MESessionStarted, NULL), "[2 quality] started");
    Sleep(50);
    ok(test_qm.input > 0 && test_qm.output > 0, "[4 quality] NotifyProcessInput/NotifyProcessOutput per sample (%ld %ld)",
            test_qm.input, test_qm.output);
    IMFStreamSink_QueueEvent(dsink_stream(sink, 0), MEQualityNotify, &GUID_NULL, S_OK, NULL);
    IMFStreamSink_QueueEvent(dsink_stream(sink, 0), MESinkInvalidated, &GUID_NULL, S_OK, NULL);
    ok(wait_type(w, MESinkInvalidated, NULL), "[3] MESinkInvalidated is forwarded to the client");
    ok(test_qm.quality == 1, "[4 quality] MEQualityNotify goes to NotifyQualityEvent (%ld)", test_qm.quality);

    IMFMediaSession_GetClock(session, (IMFClock **)&clock);
    IMFMediaSource_QueueEvent(dsource_iface(src), MEBufferingStarted, &GUID_NULL, S_OK, NULL);
    ok(wait_type(w, MEBufferingStarted, NULL), "[4 buffering] MEBufferingStarted is forwarded");
    IMFPresentationClock_GetState(clock, 0, &state);
    ok(state == MFCLOCK_STATE_PAUSED, "[4 buffering] the clock pauses while the source buffers (state %d)", state);
    IMFMediaSource_QueueEvent(dsource_iface(src), MEBufferingStopped, &GUID_NULL, S_OK, NULL);
    ok(wait_type(w, MEBufferingStopped, NULL), "[4 buffering] MEBufferingStopped is forwarded");
    IMFPresentationClock_GetState(clock, 0, &state);
    ok(state == MFCLOCK_STATE_RUNNING, "[4 buffering] the clock runs again (state %d)", state);
    IMFPresentationClock_Release(clock);
    IMFMediaSource_QueueEvent(dsource_iface(src), MEExtendedType, &GUID_NULL, S_OK, NULL);
    ok(wait_type(w, MEExtendedType, NULL), "[3] a custom source event is forwarded to the client");

    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(wait_type(w, MESessionClosed, NULL), "[2 quality] closed");
    shutdown_release(session, w);
    {
        DWORD start = GetTickCount();
        while (test_qm.refcount && GetTickCount() - start < 2000) Sleep(10);
    }
    ok(test_qm.shutdown >= 1, "[4 quality] the quality manager is shut down with the session");
    ok(test_qm.refcount == 0, "[4 quality] and released, refcount %ld", test_qm.refcount);
    IMFTopology_Release(topology);
    IMFTransform_Release(mfts[0]);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
    CoRevokeClassObject(cookie);

    /* GUID_NULL: no quality manager at all, and playback still works. */
    MFCreateAttributes(&config, 1);
    IMFAttributes_SetGUID(config, &MF_SESSION_QUALITY_MANAGER, &GUID_NULL);
    ok_hr(S_OK, create_session_with(config, &session));
    IMFAttributes_Release(config);
    if (session)
    {
        ok_hr(S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
    }
}

START_TEST(presentation)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    test_rate_without_topology();
    test_rate_with_sources(TRUE);
    test_rate_with_sources(FALSE);
    test_scrub();
    test_playlist();
    test_playlist_dropped_sinks(FALSE);
    test_playlist_dropped_sinks(TRUE);
    test_queue_operations();
    test_trim();
    test_global_time();
    test_services();
    test_quality_manager_and_events();
    MFShutdown();
    CoUninitialize();
}
