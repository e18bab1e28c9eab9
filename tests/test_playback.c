/*
 * The playback engine against the test doubles: topologies (partial and
 * full, activates, transforms, tees, several streams and sources), transport
 * (start, pause, resume, seek, stop, restart after the end), the sample
 * pipeline (every sample once, in order, with its time), close from every
 * state, Shutdown and references, and failing components.
 * Each check names the contract rule it proves.
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <stdio.h>

#define SAMPLE_DURATION 100000

void test_seek_recover(void); /* test_playback_recover.c */
void test_end_after_owed_samples(void); /* test_playback_end.c */

/* ---- helpers ---- */

struct fixture
{
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
};

/* TRUE: the next sources made answer RequestSample from a work item (dsource async_samples). */
static BOOL source_async;

static struct dsource *make_source(unsigned streams, unsigned samples, BOOL eager)
{
    struct dsource_desc desc = {0};
    struct dsource *src = NULL;
    desc.stream_count = streams;
    desc.async_samples = source_async;
    desc.samples_per_stream = samples;
    desc.sample_duration = SAMPLE_DURATION;
    desc.sample_bytes = 4;
    desc.seekable = TRUE;
    desc.can_pause = TRUE;
    desc.eager_end_of_stream = eager;
    ok_hr(S_OK, dsource_create(&desc, &src));
    return src;
}

/* > 0: the next sinks made stop requesting after this many samples (dsink request_limit). */
static unsigned sink_request_limit;

static struct dsink *make_sink(unsigned streams, BOOL rateless)
{
    struct dsink_desc desc = {0};
    struct dsink *sink = NULL;
    desc.stream_count = streams;
    desc.request_limit = sink_request_limit;
    desc.rateless = rateless;
    desc.keep_samples = TRUE;
    desc.request_depth = 2;
    ok_hr(S_OK, dsink_create(&desc, &sink));
    return sink;
}

/* Reads the next event; FALSE (and a message) if it is not `type` with `status`. */
static BOOL expect_event(struct event_waiter *w, MediaEventType type, HRESULT status, const char *rule,
        IMFMediaEvent **out)
{
    IMFMediaEvent *event = NULL;
    MediaEventType got = MEUnknown;
    HRESULT hr, got_status = E_FAIL;

    if (out) *out = NULL;
    hr = event_waiter_next(w, TEST_TIMEOUT, &event);
    if (SUCCEEDED(hr) && event)
    {
        IMFMediaEvent_GetType(event, &got);
        IMFMediaEvent_GetStatus(event, &got_status);
    }
    ok(got == type && got_status == status, "%s: expected %s (%#lx), got %s (%#lx)%s", rule,
            event_name(type), (unsigned long)status, event ? event_name(got) : "nothing",
            (unsigned long)got_status, hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT) ? " (timed out)" : "");
    if (out && event) *out = event;
    else if (event) IMFMediaEvent_Release(event);
    return got == type && got_status == status;
}

static UINT32 topology_status_of(IMFMediaEvent *event)
{
    UINT32 status = 0;
    if (event) IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &status);
    return status;
}

static void expect_topology_status(struct event_waiter *w, UINT32 status, const char *rule)
{
    IMFMediaEvent *event;
    if (expect_event(w, MESessionTopologyStatus, S_OK, rule, &event))
    {
        ok(topology_status_of(event) == status, "%s: MF_EVENT_TOPOLOGY_STATUS %u, got %u", rule, status,
                topology_status_of(event));
        IMFMediaEvent_Release(event);
    }
}

/* SetTopology and its events up to READY. */
static void set_topology(struct fixture *f, DWORD flags, IMFTopology *topology, const char *label)
{
    char rule[128];
    IMFMediaEvent *event;

    ok_hr(S_OK, IMFMediaSession_SetTopology(f->session, flags, topology));
    snprintf(rule, sizeof(rule), "[4 %s] MESessionTopologySet first", label);
    if (expect_event(f->w, MESessionTopologySet, S_OK, rule, &event))
    {
        PROPVARIANT value;
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(value.vt == VT_UNKNOWN && value.punkVal, "[2 %s] MESessionTopologySet carries the topology", label);
        if (flags & MFSESSION_SETTOPOLOGY_NORESOLUTION)
            ok(value.punkVal == (IUnknown *)topology, "[2 %s] with NORESOLUTION, the very object passed in", label);
        else
            ok(value.punkVal != (IUnknown *)topology, "[2 %s] resolved: a new topology object", label);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }
    snprintf(rule, sizeof(rule), "[4 %s] MESessionNotifyPresentationTime", label);
    expect_event(f->w, MESessionNotifyPresentationTime, S_OK, rule, NULL);
    snprintf(rule, sizeof(rule), "[4 %s] MESessionCapabilitiesChanged", label);
    expect_event(f->w, MESessionCapabilitiesChanged, S_OK, rule, NULL);
    snprintf(rule, sizeof(rule), "[4 %s] MESessionTopologyStatus(READY)", label);
    expect_topology_status(f->w, MF_TOPOSTATUS_READY, rule);
}

static void expect_started(struct fixture *f, BOOL first, const char *label)
{
    char rule[128];
    IMFMediaEvent *event;
    if (first)
    {
        snprintf(rule, sizeof(rule), "[4 %s] MESessionTopologyStatus(STARTED_SOURCE) before MESessionStarted", label);
        expect_topology_status(f->w, MF_TOPOSTATUS_STARTED_SOURCE, rule);
    }
    snprintf(rule, sizeof(rule), "[2 %s] MESessionStarted", label);
    if (expect_event(f->w, MESessionStarted, S_OK, rule, &event))
    {
        UINT64 offset = 1;
        ok(SUCCEEDED(IMFMediaEvent_GetUINT64(event, &MF_EVENT_PRESENTATION_TIME_OFFSET, &offset)),
                "[4 %s] MESessionStarted carries MF_EVENT_PRESENTATION_TIME_OFFSET", label);
        IMFMediaEvent_Release(event);
    }
}

static void expect_end(struct fixture *f, const char *label)
{
    char rule[128];
    snprintf(rule, sizeof(rule), "[3 %s] the source's MEEndOfPresentation is forwarded", label);
    expect_event(f->w, MEEndOfPresentation, S_OK, rule, NULL);
    snprintf(rule, sizeof(rule), "[5 %s] MESessionTopologyStatus(ENDED)", label);
    expect_topology_status(f->w, MF_TOPOSTATUS_ENDED, rule);
    snprintf(rule, sizeof(rule), "[4 %s] MESessionEnded", label);
    expect_event(f->w, MESessionEnded, S_OK, rule, NULL);
}

static void close_session(struct fixture *f, const char *label)
{
    char rule[128];
    ok_hr(S_OK, IMFMediaSession_Close(f->session));
    snprintf(rule, sizeof(rule), "[2 %s] Close ends with MESessionClosed", label);
    expect_event(f->w, MESessionClosed, S_OK, rule, NULL);
}

static BOOL fixture_init(struct fixture *f, unsigned streams, unsigned samples, BOOL eager, BOOL rateless)
{
    memset(f, 0, sizeof(*f));
    dlog_clear();
    dfault_reset();
    if (!(f->session = create_session())) return FALSE;
    f->w = event_waiter_create((IMFMediaEventGenerator *)f->session);
    f->src = make_source(streams, samples, eager);
    f->sink = make_sink(streams, rateless);
    return f->src && f->sink;
}

/* Shutdown, Release, and every double back to the references the test holds. */
static void fixture_done(struct fixture *f, IMFTopology *topology, const char *label)
{
    DWORD start;

    ok_hr(S_OK, IMFMediaSession_Shutdown(f->session));
    ok(dsink_is_shut_down(f->sink), "[2 %s] Shutdown shuts the media sink down", label);
    ok(!dsource_is_shut_down(f->src), "[2 %s] Shutdown does not shut the source down", label);
    event_waiter_destroy(f->w);
    IMFMediaSession_Release(f->session);
    IMFTopology_Release(topology);
    /* Work items that were already running finish their step first. */
    start = GetTickCount();
    while ((dsource_refcount(f->src) != 1 || dsink_refcount(f->sink) != 1) && GetTickCount() - start < 2000)
        Sleep(10);
    ok(dsource_refcount(f->src) == 1, "[2 %s] after Shutdown and Release the source is back to the test's reference, got %ld",
            label, dsource_refcount(f->src));
    ok(dsink_refcount(f->sink) == 1, "[2 %s] after Shutdown and Release the sink is back to the test's reference, got %ld",
            label, dsink_refcount(f->sink));
    IMFMediaSource_Shutdown(dsource_iface(f->src));
    dsource_release(f->src);
    dsink_release(f->sink);
}

static void check_samples(struct fixture *f, unsigned streams, unsigned count, LONGLONG first_time, const char *label)
{
    unsigned s, i;
    for (s = 0; s < streams; ++s)
    {
        BOOL in_order = TRUE;
        ok(dsink_received(f->sink, s) == count, "[3 %s] stream %u: every sample delivered once: %u of %u", label, s,
                dsink_received(f->sink, s), count);
        for (i = 0; i < dsink_received(f->sink, s); ++i)
            if (dsink_sample_time(f->sink, s, i) != first_time + (LONGLONG)i * SAMPLE_DURATION) in_order = FALSE;
        ok(in_order, "[3 %s] stream %u: samples in order with their presentation times", label, s);
        ok(dsink_unrequested(f->sink, s) == 0, "[3 %s] stream %u: no sample the sink did not ask for", label, s);
        ok(dsink_markers(f->sink, s) == 1, "[3 %s] stream %u: one end-of-segment marker, got %u", label, s,
                dsink_markers(f->sink, s));
    }
}

static BOOL log_in_order(const char **entries, unsigned count, const char *label)
{
    int at = 0;
    unsigned i;
    for (i = 0; i < count; ++i)
    {
        int found = dlog_find(entries[i], at);
        if (found < 0)
        {
            ok(0, "[5 %s] call %s after the previous ones", label, entries[i]);
            dlog_dump();
            return FALSE;
        }
        at = found + 1;
    }
    ok(1, "[5 %s] the components received the calls in order", label);
    return TRUE;
}

/* ---- tests ---- */

static void test_play_to_end(unsigned streams, BOOL eager, DWORD flags, const char *label)
{
    struct fixture f;
    IMFTopology *topology;
    DWORD caps = 0;

    if (!fixture_init(&f, streams, 50, eager, TRUE)) return;
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, flags, topology, label);
    ok_hr(S_OK, IMFMediaSession_GetSessionCapabilities(f.session, &caps));
    ok((caps & (MFSESSIONCAP_START | MFSESSIONCAP_SEEK | MFSESSIONCAP_PAUSE))
            == (MFSESSIONCAP_START | MFSESSIONCAP_SEEK | MFSESSIONCAP_PAUSE),
            "[2 %s] caps START|SEEK|PAUSE for a seekable, pausable source: %#lx", label, caps);
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, label);
    expect_end(&f, label);
    check_samples(&f, streams, 50, 0, label);
    {
        /* Windows: the sources start first, then the sinks get the clock, then it runs. */
        static const char *calls[] = {"src.Start(0)", "sink.SetPresentationClock", "sink.OnClockStart(0)"};
        log_in_order(calls, 3, label);
    }
    /* A new Start plays again from 0. */
    dsink_reset_counts(f.sink);
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, FALSE, label);
    expect_end(&f, label);
    check_samples(&f, streams, 50, 0, "again from 0 after MESessionEnded");
    close_session(&f, label);
    fixture_done(&f, topology, label);
}

static void test_transforms(void)
{
    struct fixture f;
    IMFTransform *mfts[2];
    IMFTopology *topology;
    const char *label = "transforms";

    if (!fixture_init(&f, 2, 41, FALSE, TRUE)) return;
    ok_hr(S_OK, dmft_create(DMFT_PASSTHROUGH, &mfts[0]));
    ok_hr(S_OK, dmft_create(DMFT_TWO_TO_ONE, &mfts[1]));
    ok_hr(S_OK, dtopology_build(f.src, f.sink, mfts, NULL, &topology));
    set_topology(&f, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology, label);
    ok(dlog_find("mft0.ProcessMessage(NOTIFY_BEGIN_STREAMING)", 0) >= 0,
            "[3 transforms] NOTIFY_BEGIN_STREAMING when the topology becomes current");
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, label);
    expect_end(&f, label);
    ok(dsink_received(f.sink, 0) == 41, "[3 pass-through] all 41 samples, got %u", dsink_received(f.sink, 0));
    ok(dsink_received(f.sink, 1) == 21, "[3 2:1, drained] 20 pairs and the drained last one, got %u",
            dsink_received(f.sink, 1));
    ok(dsink_sample_time(f.sink, 1, 20) == 40 * SAMPLE_DURATION, "[3 2:1] the drained sample keeps its time");
    ok(dlog_find("mft1.ProcessMessage(DRAIN)", 0) >= 0, "[5 transforms] COMMAND_DRAIN at end of stream");
    ok(dsink_markers(f.sink, 1) == 1, "[5 transforms] the marker after the drained output");
    close_session(&f, label);
    fixture_done(&f, topology, label);
    ok(dmft_refcount(mfts[0]) == 1 && dmft_refcount(mfts[1]) == 1, "[2 transforms] transforms released, got %ld %ld",
            dmft_refcount(mfts[0]), dmft_refcount(mfts[1]));
    IMFTransform_Release(mfts[0]);
    IMFTransform_Release(mfts[1]);
}

static void test_tee(void)
{
    IMFTopologyNode *src_node, *tee, *out[2];
    IMFPresentationDescriptor *pd;
    IMFStreamDescriptor *sd;
    IMFTopology *topology;
    struct fixture f;
    BOOL selected;
    unsigned i;

    if (!fixture_init(&f, 1, 30, TRUE, TRUE)) return;
    dsink_release(f.sink);
    f.sink = make_sink(2, TRUE);
    MFCreateTopology(&topology);
    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(f.src), &pd);
    IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, 0, &selected, &sd);
    MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &src_node);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_SOURCE, (IUnknown *)dsource_iface(f.src));
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    MFCreateTopologyNode(MF_TOPOLOGY_TEE_NODE, &tee);
    IMFTopology_AddNode(topology, src_node);
    IMFTopology_AddNode(topology, tee);
    IMFTopologyNode_ConnectOutput(src_node, 0, tee, 0);
    for (i = 0; i < 2; ++i)
    {
        MFCreateTopologyNode(MF_TOPOLOGY_OUTPUT_NODE, &out[i]);
        IMFTopologyNode_SetObject(out[i], (IUnknown *)dsink_stream(f.sink, i));
        IMFTopology_AddNode(topology, out[i]);
        IMFTopologyNode_ConnectOutput(tee, i, out[i], 0);
        IMFTopologyNode_Release(out[i]);
    }
    IMFTopologyNode_Release(src_node);
    IMFTopologyNode_Release(tee);
    IMFStreamDescriptor_Release(sd);
    IMFPresentationDescriptor_Release(pd);

    set_topology(&f, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology, "tee");
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, "tee");
    expect_end(&f, "tee");
    check_samples(&f, 2, 30, 0, "tee");
    close_session(&f, "tee");
    fixture_done(&f, topology, "tee");
}

static void test_pause_seek_stop(void)
{
    static const char *seek_calls[] = {"src.Stop", "src.Start(2000000)", "ss0.Flush", "sink.OnClockStart(2000000)"};
    const char *label = "pause/seek/stop";
    struct fixture f;
    IMFTopology *topology;
    IMFClock *clock;
    MFTIME time, system;
    int at;

    /* The sink takes 5 samples and asks no more: the presentation cannot reach
     * its end (and send MESessionEnded) between the steps, however fast it runs. */
    sink_request_limit = 5;
    if (!fixture_init(&f, 1, 40, TRUE, FALSE)) { sink_request_limit = 0; return; }
    sink_request_limit = 0;
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, label);
    ok_hr(S_OK, IMFMediaSession_Pause(f.session));
    expect_event(f.w, MESessionPaused, MF_E_SESSION_PAUSEWHILESTOPPED, "[2 Pause] from Stopped", NULL);
    dsink_set_target(f.sink, 5);
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, label);
    ok(wait_handle(dsink_done_event(f.sink), TEST_TIMEOUT, "5 samples"), "[3] samples flow after Start");

    ok_hr(S_OK, IMFMediaSession_Pause(f.session));
    expect_event(f.w, MESessionPaused, S_OK, "[2 Pause] while started", NULL);
    ok(dlog_find("src.Pause", 0) >= 0, "[5 Pause] the source is paused");
    ok_hr(S_OK, start_at(f.session, -1));
    expect_event(f.w, MESessionStarted, S_OK, "[2 Start] resume from Paused", NULL);
    ok(dlog_find("src.Start(current)", 0) >= 0, "[5 Start] resume restarts the source at its current position");

    at = dlog_size();
    ok_hr(S_OK, start_at(f.session, 2000000));
    expect_event(f.w, MESessionStarted, S_OK, "[2 Start(VT_I8)] seek while started", NULL);
    {
        int i, from = at;
        BOOL good = TRUE;
        for (i = 0; i < 4 && good; ++i)
            if ((from = dlog_find(seek_calls[i], from)) < 0) good = FALSE;
            else ++from;
        ok(good, "[5 seek] source Stop, source Start at the position, sink Flush, clock start there, in order");
        if (!good)
        {
            char entry[128];
            for (i = at; i < dlog_size(); ++i)
                if (dlog_entry(i, entry, sizeof(entry))) diag("%d %s", i, entry);
        }
    }
    ok_hr(S_OK, start_at(f.session, 50 * (LONGLONG)SAMPLE_DURATION));
    expect_event(f.w, MESessionStarted, MF_E_INVALID_POSITION, "[2 Start] past the duration", NULL);

    ok_hr(S_OK, IMFMediaSession_Stop(f.session));
    expect_event(f.w, MESessionStopped, S_OK, "[2 Stop] while started", NULL);
    ok_hr(S_OK, IMFMediaSession_GetClock(f.session, &clock));
    ok_hr(S_OK, IMFClock_GetCorrelatedTime(clock, 0, &time, &system));
    ok(time == 0, "[2 Stop] resets the clock to 0, got %lld", time);
    IMFClock_Release(clock);
    close_session(&f, label);
    ok(dlog_find("sink.Shutdown", 0) < 0, "[2 Close] does not shut the sinks down (Shutdown does)");
    fixture_done(&f, topology, label);
}

enum close_state { CLOSE_STOPPED, CLOSE_STARTING, CLOSE_RUNNING, CLOSE_PAUSED, CLOSE_ENDED, CLOSE_QUEUED };

static void test_close_from(enum close_state state, const char *label)
{
    struct dsource_desc desc = {0};
    IMFTopology *topology;
    struct fixture f;
    DWORD start;

    if (!fixture_init(&f, 1, state == CLOSE_ENDED ? 10 : 100000, TRUE, state != CLOSE_RUNNING && state != CLOSE_PAUSED))
        return;
    if (state == CLOSE_STARTING)
    {
        dsource_release(f.src);
        desc.stream_count = 1;
        desc.samples_per_stream = 10;
        desc.sample_duration = SAMPLE_DURATION;
        desc.sample_bytes = 4;
        desc.can_pause = desc.seekable = TRUE;
        desc.never_answer_start = TRUE;
        dsource_create(&desc, &f.src);
    }
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, label);
    if (state != CLOSE_STOPPED)
    {
        ok_hr(S_OK, start_at(f.session, -1));
        if (state == CLOSE_STARTING)
        {
            start = GetTickCount();
            ok_hr(S_OK, IMFMediaSession_Close(f.session));
            expect_event(f.w, MESessionStarted, MF_E_OPERATION_CANCELLED,
                    "[2 Close] a Start stuck on a source that never answers is superseded", NULL);
            expect_event(f.w, MESessionClosed, S_OK, "[2 Close] while starting", NULL);
            ok(GetTickCount() - start < TEST_TIMEOUT, "[2 Close] completes within its bound");
            goto done;
        }
        expect_started(&f, TRUE, label);
        if (state == CLOSE_PAUSED)
        {
            ok_hr(S_OK, IMFMediaSession_Pause(f.session));
            expect_event(f.w, MESessionPaused, S_OK, "[2 Pause]", NULL);
        }
        if (state == CLOSE_ENDED) expect_end(&f, label);
        if (state == CLOSE_QUEUED)
        {
            ok_hr(S_OK, IMFMediaSession_Pause(f.session));
            ok_hr(S_OK, start_at(f.session, -1));
            ok_hr(S_OK, start_at(f.session, 1000000));
            ok_hr(S_OK, IMFMediaSession_Close(f.session));
            expect_event(f.w, MESessionPaused, S_OK, "[2 Close] queued Pause completes first", NULL);
            expect_event(f.w, MESessionStarted, S_OK, "[2 Close] queued resume completes", NULL);
            expect_event(f.w, MESessionStarted, S_OK, "[2 Close] queued seek completes", NULL);
            expect_event(f.w, MESessionClosed, S_OK, "[2 Close] then MESessionClosed", NULL);
            goto done;
        }
    }
    close_session(&f, label);
    if (state == CLOSE_RUNNING || state == CLOSE_PAUSED || state == CLOSE_ENDED)
        ok(dlog_find("src.Stop", 0) >= 0, "[2 %s] Close stops the sources", label);
done:
    {
        unsigned before = dsink_received(f.sink, 0);
        IMFMediaEvent *event;
        Sleep(50);
        ok(dsink_received(f.sink, 0) == before, "[2 %s] no sample reaches a sink after MESessionClosed", label);
        ok(IMFMediaSession_GetEvent(f.session, MF_EVENT_FLAG_NO_WAIT, &event) == MF_E_NO_EVENTS_AVAILABLE,
                "[2 %s] MESessionClosed is the last event", label);
    }
    fixture_done(&f, topology, label);
}

static void test_failures(void)
{
    IMFTopology *topology;
    struct fixture f;

    /* A source whose Start fails: the command's event carries the status. */
    if (!fixture_init(&f, 1, 10, TRUE, TRUE)) return;
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, "failing start");
    dfault_set(DCALL_SOURCE_START, E_UNEXPECTED);
    ok_hr(S_OK, start_at(f.session, -1));
    expect_event(f.w, MESessionStarted, E_UNEXPECTED, "[1] a failing source Start completes Start with its status", NULL);
    dfault_reset();
    close_session(&f, "failing start");
    fixture_done(&f, topology, "failing start");

    /* A sink failing mid-stream: MEError, and Stop/Close still work. */
    if (!fixture_init(&f, 1, 100, TRUE, TRUE)) return;
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, "failing sink");
    dfault_fail_nth(30, E_FAIL);
    dfault_set(DCALL_STREAMSINK_PROCESS_SAMPLE, MF_E_STREAMSINK_REMOVED);
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, "failing sink");
    ok(event_waiter_wait_for(f.w, MEError, TEST_TIMEOUT, NULL, NULL), "[1] a sink failing mid-stream raises MEError");
    dfault_reset();
    ok_hr(S_OK, IMFMediaSession_Stop(f.session));
    ok(event_waiter_wait_for(f.w, MESessionStopped, TEST_TIMEOUT, NULL, NULL), "[1] Stop after MEError");
    close_session(&f, "failing sink");
    fixture_done(&f, topology, "failing sink");

    /* A source shut down behind the session's back. */
    if (!fixture_init(&f, 1, 100000, TRUE, FALSE)) return;
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, "source shut down");
    IMFMediaSource_Shutdown(dsource_iface(f.src));
    ok_hr(S_OK, start_at(f.session, -1));
    /* Windows (test_media_session_source_shutdown): MF_E_INVALIDREQUEST, and
     * Close then says MF_E_SHUTDOWN (test_media_session_Close). */
    expect_event(f.w, MESessionStarted, MF_E_INVALIDREQUEST, "[5] Start on a source shut down behind our back fails",
            NULL);
    ok_hr(S_OK, IMFMediaSession_Close(f.session));
    expect_event(f.w, MESessionClosed, MF_E_SHUTDOWN, "[2 source shut down] Close ends with MESessionClosed(MF_E_SHUTDOWN)",
            NULL);
    ok_hr(S_OK, IMFMediaSession_Shutdown(f.session));
    event_waiter_destroy(f.w);
    IMFMediaSession_Release(f.session);
    dsource_release(f.src);
    dsink_release(f.sink);
    IMFTopology_Release(topology);
}

static void test_activate_and_clock(void)
{
    struct dsink_desc desc = {0};
    IMFPresentationTimeSource *time_source;
    IMFPresentationClock *clock;
    IMFTopology *topology;
    IMFActivate *activate;
    struct fixture f;

    if (!fixture_init(&f, 1, 20, TRUE, TRUE)) return;
    dsink_release(f.sink);
    desc.stream_count = 0;
    desc.time_source = TRUE;
    desc.prerollable = TRUE;
    desc.finalizable = TRUE;
    desc.keep_samples = TRUE;
    ok_hr(S_OK, dsink_create(&desc, &f.sink));
    ok_hr(S_OK, dactivate_create(f.sink, &activate));
    ok_hr(S_OK, dtopology_build(f.src, NULL, NULL, activate, &topology));
    set_topology(&f, 0, topology, "activate");
    ok(dlog_find("act.ActivateObject", 0) >= 0, "[3] the output node's IMFActivate is activated");
    ok(dlog_find("sink.AddStreamSink(0)", 0) >= 0, "[3] the stream sink is added by MF_TOPONODE_STREAMID");
    ok_hr(S_OK, IMFMediaSession_GetClock(f.session, (IMFClock **)&clock));
    /* Windows gives the clock its time source when the presentation starts. */
    time_source = NULL;
    ok_hr(MF_E_CLOCK_NO_TIME_SOURCE, IMFPresentationClock_GetTimeSource(clock, &time_source));
    if (time_source) IMFPresentationTimeSource_Release(time_source);
    ok(dlog_find("sink.SetPresentationClock", 0) < 0, "[5] the sink gets no clock before the presentation starts");
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, "activate");
    time_source = NULL;
    ok_hr(S_OK, IMFPresentationClock_GetTimeSource(clock, &time_source));
    ok(time_source != NULL, "[5] the clock has a time source once started");
    if (time_source)
    {
        IMFPresentationTimeSource *sink_ts;
        IMFMediaSink_QueryInterface(dsink_iface(f.sink), &IID_IMFPresentationTimeSource, (void **)&sink_ts);
        ok(sink_ts == time_source, "[5] the sink offering IMFPresentationTimeSource is the clock's time source");
        IMFPresentationTimeSource_Release(sink_ts);
        IMFPresentationTimeSource_Release(time_source);
    }
    IMFPresentationClock_Release(clock);
    {
        static const char *calls[] = {"src.Start(0)", "sink.NotifyPreroll(0)", "sink.OnClockStart(0)"};
        log_in_order(calls, 3, "preroll before the clock starts");
    }
    expect_end(&f, "activate");
    ok(dsink_received(f.sink, 0) == 20, "[3 activate] all samples, got %u", dsink_received(f.sink, 0));
    close_session(&f, "activate");
    ok(dlog_find("sink.BeginFinalize", 0) >= 0, "[2 Close] finalizes an IMFFinalizableMediaSink");
    ok_hr(S_OK, IMFMediaSession_Shutdown(f.session));
    ok(dlog_find("act.ShutdownObject", 0) >= 0, "[2 Shutdown] shuts the activate the sink came from down");
    event_waiter_destroy(f.w);
    IMFMediaSession_Release(f.session);
    IMFTopology_Release(topology);
    ok(dactivate_refcount(activate) == 1, "[2 Shutdown] the activate is back to the test's reference, got %ld",
            dactivate_refcount(activate));
    IMFActivate_Release(activate);
    IMFMediaSource_Shutdown(dsource_iface(f.src));
    dsource_release(f.src);
    dsink_release(f.sink);
}

static void test_unseekable_caps(void)
{
    struct dsource_desc desc = {0};
    IMFTopology *topology;
    struct fixture f;
    DWORD caps = 0;

    if (!fixture_init(&f, 1, 5, TRUE, TRUE)) return;
    dsource_release(f.src);
    desc.stream_count = 1;
    desc.samples_per_stream = 5;
    desc.sample_duration = SAMPLE_DURATION;
    desc.sample_bytes = 4;
    ok_hr(S_OK, dsource_create(&desc, &f.src));
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, "unseekable");
    ok_hr(S_OK, IMFMediaSession_GetSessionCapabilities(f.session, &caps));
    ok(caps & MFSESSIONCAP_START, "[2] caps: START with a topology");
    ok(!(caps & MFSESSIONCAP_SEEK), "[2] caps: no SEEK for an unseekable source (%#lx)", caps);
    ok(!(caps & MFSESSIONCAP_PAUSE), "[2] caps: no PAUSE when the source cannot pause (%#lx)", caps);
    close_session(&f, "unseekable");
    fixture_done(&f, topology, "unseekable");
}

/* The session leaves its links to components unsubscribed while nothing
 * plays (they are polled by the next command and subscribed at the next
 * tick): an event a component raises then must still reach the session, and a
 * forwarded one the client, within the bound. */
static void test_parked_links(void)
{
    const char *label = "parked links";
    struct fixture f;
    IMFTopology *topology;
    DWORD start;

    if (!fixture_init(&f, 1, 40, TRUE, FALSE)) return;
    ok_hr(S_OK, dtopology_build(f.src, f.sink, NULL, NULL, &topology));
    set_topology(&f, 0, topology, label);
    /* The session follows stream sinks once a presentation started (Windows
     * does not subscribe before): play to the end, then it is stopped. */
    ok_hr(S_OK, start_at(f.session, -1));
    expect_started(&f, TRUE, label);
    expect_end(&f, label);
    /* Stopped, nothing waiting: the stream sink's link is parked or subscribed. */
    start = GetTickCount();
    ok_hr(S_OK, IMFStreamSink_QueueEvent(dsink_stream(f.sink, 0), MESinkInvalidated, &GUID_NULL, S_OK, NULL));
    expect_event(f.w, MESinkInvalidated, S_OK, "[3] a stream sink's event raised while stopped reaches the client", NULL);
    ok(GetTickCount() - start < 1000, "[3] within 1 s of being raised (the session subscribes within 100 ms), took %lu ms",
            GetTickCount() - start);
    /* And again once the links were subscribed by the tick. */
    Sleep(300);
    start = GetTickCount();
    ok_hr(S_OK, IMFStreamSink_QueueEvent(dsink_stream(f.sink, 0), MESinkInvalidated, &GUID_NULL, S_OK, NULL));
    expect_event(f.w, MESinkInvalidated, S_OK, "[3] a stream sink's event raised later while stopped reaches the client", NULL);
    ok(GetTickCount() - start < 1000, "[3] within 1 s of being raised, took %lu ms", GetTickCount() - start);
    close_session(&f, label);
    fixture_done(&f, topology, label);
}

START_TEST(playback)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    test_play_to_end(1, TRUE, MFSESSION_SETTOPOLOGY_NORESOLUTION, "1 stream, eager end, full topology");
    test_play_to_end(2, FALSE, 0, "2 streams, lazy end, resolved");
    test_transforms();
    test_tee();
    test_pause_seek_stop();
    test_close_from(CLOSE_STOPPED, "close: stopped with a topology");
    test_close_from(CLOSE_STARTING, "close: starting");
    test_close_from(CLOSE_RUNNING, "close: running");
    test_close_from(CLOSE_PAUSED, "close: paused");
    test_close_from(CLOSE_ENDED, "close: after the end");
    test_close_from(CLOSE_QUEUED, "close: commands queued");
    test_failures();
    test_activate_and_clock();
    test_unseekable_caps();
    test_parked_links();
    test_seek_recover();
    test_end_after_owed_samples();

    /* Again with sources that answer later, from a work item, as a source
     * reading on its own thread does: the serializer then waits for answers
     * through the stream's subscription while it parks the other links. */
    diag("the same with sources that answer RequestSample from a work item");
    source_async = TRUE;
    test_play_to_end(1, TRUE, MFSESSION_SETTOPOLOGY_NORESOLUTION, "async source: 1 stream, eager end");
    test_play_to_end(2, FALSE, 0, "async source: 2 streams, lazy end, resolved");
    test_transforms();
    test_tee();
    test_pause_seek_stop();
    test_close_from(CLOSE_RUNNING, "async source: close: running");
    test_close_from(CLOSE_PAUSED, "async source: close: paused");
    test_close_from(CLOSE_ENDED, "async source: close: after the end");
    source_async = FALSE;
    MFShutdown();
    CoUninitialize();
}
