/*
 * Windows' recorded behaviour, part 2, with the test doubles: seeks and the
 * calls sources and clock sinks receive (test_media_session_Start), the rate
 * going to the source (test_media_session_thinning and issue 11.4), a sink
 * refusing the presentation clock (test_media_session_seek, _scrubbing,
 * _sample_request; issue 11.2), when sinks are shut down
 * (test_media_session_sink_shutdown; issue 11.8) and a source shut down
 * underneath the session (test_media_session_source_shutdown, _Close).
 * docs/WINDOWS-BEHAVIOUR.md has the table.
 */
#include "test_windows_rig.h"
#include <stdlib.h>

/* Within half a second, as Windows' tests allow. */
#define ALLOWED_ERROR 5000000

static MFTIME clock_time(IMFPresentationClock *clock)
{
    MFTIME time = 0;
    if (clock) IMFPresentationClock_GetTime(clock, &time);
    return time;
}

/* test_media_session_Start: seeks while started and paused, out-of-range positions, after Shutdown. */
static void test_start_positions(void)
{
    IMFPresentationClock *clock;
    MFTIME time, old;
    DWORD deadline;
    int mark;
    struct rig r;

    if (!rig_open(&r, NULL, NULL) || !rig_ready(&r) || !rig_started(&r)) goto done;
    clock = session_clock(r.session);

    ok_hr(S_OK, start_at(r.session, SECOND));
    expect_status(r.w, MESessionStarted, S_OK, ANY_VT, "test_media_session_Start: seek to 1 s while started");
    time = clock_time(clock);
    ok(llabs(time - SECOND) <= ALLOWED_ERROR, "test_media_session_Start: the clock is at 1 s (%I64d)", time);

    ok_hr(S_OK, start_at(r.session, 11 * (LONGLONG)SECOND));
    expect_status(r.w, MESessionStarted, MF_E_INVALID_POSITION, ANY_VT,
            "test_media_session_Start: a seek past the duration");

    /* Issue 11.5: a negative position goes to the source, whose answer decides
     * (the doubles' source answers MF_E_INVALID_POSITION, Windows' MP4 source S_OK). */
    mark = dlog_size();
    ok_hr(S_OK, start_i8(r.session, -SECOND));
    expect_status(r.w, MESessionStarted, MF_E_INVALID_POSITION, ANY_VT,
            "[issue 11.5] a negative position: the source's answer is the status");
    {
        static const char *const source_calls[] = {"src.", NULL};
        char got[256];
        ok(dlog_count_from("src.Start(-10000000)", mark) == 1, "[issue 11.5] the source is asked to start at -1 s "
                "(source calls: \"%s\")", dlog_filtered(mark, source_calls, got, sizeof(got)));
    }

    ok_hr(S_OK, start_at(r.session, 0));
    expect_status(r.w, MESessionStarted, S_OK, ANY_VT, "test_media_session_Start: seek back to 0");
    time = clock_time(clock);
    ok(llabs(time) <= ALLOWED_ERROR, "test_media_session_Start: the clock is at 0 (%I64d)", time);

    ok_hr(S_OK, IMFMediaSession_Pause(r.session));
    expect_status(r.w, MESessionPaused, S_OK, ANY_VT, "test_media_session_Start: Pause");
    ok_hr(S_OK, start_at(r.session, SECOND));
    expect_status(r.w, MESessionStarted, S_OK, ANY_VT, "test_media_session_Start: seek to 1 s while paused");
    old = time = clock_time(clock);
    ok(llabs(time - SECOND) <= ALLOWED_ERROR, "test_media_session_Start: the clock is at 1 s (%I64d)", time);
    deadline = GetTickCount() + 1000;
    while ((time = clock_time(clock)) <= old && (LONG)(deadline - GetTickCount()) > 0) {}
    ok(time > old, "test_media_session_Start: the clock runs after a seek from paused");

    ok_hr(S_OK, IMFMediaSession_Stop(r.session));
    ok_hr(S_OK, IMFMediaSession_Close(r.session));
    expect_status(r.w, MESessionClosed, S_OK, ANY_VT, "test_media_session_Start: Close");
    ok_hr(S_OK, IMFMediaSource_Shutdown(dsource_iface(r.src)));
    ok_hr(S_OK, IMFMediaSession_Shutdown(r.session));
    ok_hr(E_POINTER, IMFMediaSession_Start(r.session, &GUID_NULL, NULL));
    ok_hr(MF_E_SHUTDOWN, start_at(r.session, SECOND));
    ok_hr(MF_E_SHUTDOWN, start_at(r.session, -1));
    if (clock) IMFPresentationClock_Release(clock);
done:
    rig_close(&r);
}

/* test_media_session_Start: an unseekable source; the session still asks it, its answer is the status. */
static void test_start_unseekable(void)
{
    IMFPresentationClock *clock;
    struct dsource_desc sd;
    DWORD caps = 0;
    MFTIME time;
    int mark;
    struct rig r;

    rig_source_desc(&sd);
    sd.seekable = FALSE;
    if (!rig_open(&r, &sd, NULL) || !rig_ready(&r) || !rig_started(&r)) goto done;
    clock = session_clock(r.session);
    ok_hr(S_OK, IMFMediaSession_GetSessionCapabilities(r.session, &caps));
    ok(!(caps & MFSESSIONCAP_SEEK), "test_media_session_Start: no MFSESSIONCAP_SEEK for an unseekable source (%#lx)", caps);

    /* Windows' test source fails a seek with E_FAIL. */
    dfault_set(DCALL_SOURCE_START, E_FAIL);
    mark = dlog_size();
    ok_hr(S_OK, start_at(r.session, SECOND));
    expect_status(r.w, MESessionStarted, E_FAIL, ANY_VT, "test_media_session_Start: the source's E_FAIL is the status");
    ok(dlog_count_from("src.Start(10000000)", mark) == 1, "test_media_session_Start: the session asks the source anyway");
    time = clock_time(clock);
    ok(llabs(time) <= ALLOWED_ERROR, "test_media_session_Start: the clock stays near 0 (%I64d)", time);
    dfault_reset();
    ok_hr(S_OK, IMFMediaSession_Stop(r.session));
    ok_hr(S_OK, IMFMediaSession_Close(r.session));
    expect_status(r.w, MESessionClosed, S_OK, ANY_VT, "test_media_session_Start: Close");
    if (clock) IMFPresentationClock_Release(clock);
done:
    rig_close(&r);
}

/* test_media_session_Start: which calls the source and a clock state sink see for Start(1 s). */
static void test_start_object_states(void)
{
    static const char *const watched[] = {"src.Start", "src.Stop", "src.Pause", "clk.", NULL};
    static const char *const expected[] =
    {
        "src.Start(10000000),clk.OnClockStart",
        "src.Stop,src.Start(10000000),clk.OnClockStart",
        "src.Stop,src.Start(10000000),clk.OnClockStart",
    };
    static const char *const names[] = {"from stopped", "from started", "from paused"};
    struct dsource_desc sd;
    struct dsink_desc kd;
    IMFPresentationClock *clock;
    char got[512];
    unsigned state;
    int mark;
    struct rig r;

    /* As in Windows' test, the sink has a request outstanding when the seek comes:
     * the source holds every request, and the sink asks without a limit. */
    rig_source_desc(&sd);
    sd.hold_requests = TRUE;
    rig_sink_desc(&kd);
    kd.request_limit = 0;
    for (state = 0; state < 3; ++state)
    {
        if (!rig_open(&r, &sd, &kd) || !rig_ready(&r)) goto next;
        if (!(clock = session_clock(r.session))) goto next;
        ok_hr(S_OK, IMFPresentationClock_AddClockStateSink(clock, logging_clock_sink()));
        if (state >= 1 && !rig_started(&r)) goto release;
        if (state == 2)
        {
            ok_hr(S_OK, IMFMediaSession_Pause(r.session));
            expect_status(r.w, MESessionPaused, S_OK, ANY_VT, "test_media_session_Start: Pause");
        }
        mark = dlog_size();
        ok_hr(S_OK, start_at(r.session, SECOND));
        expect_status(r.w, MESessionStarted, S_OK, ANY_VT, "test_media_session_Start: Start(1 s)");
        /* Wine's clock tells its state sinks from a work item: wait for it. */
        dlog_wait("clk.OnClockStart", mark, 1000);
        dlog_filtered(mark, watched, got, sizeof(got));
        ok(!strcmp(got, expected[state]), "test_media_session_Start %s: calls \"%s\", expected \"%s\"",
                names[state], got, expected[state]);
        ok(dlog_count_from("sink.OnClockStop", mark) == 0 && dlog_count_from("sink.OnClockPause", mark) == 0,
                "[issue 11.6] %s: the sink's clock state sink sees no stop or pause", names[state]);
        ok_hr(S_OK, IMFMediaSession_Stop(r.session));
        ok_hr(S_OK, IMFMediaSession_Close(r.session));
        ok_hr(S_OK, IMFMediaSession_Shutdown(r.session));
    release:
        IMFPresentationClock_RemoveClockStateSink(clock, logging_clock_sink());
        IMFPresentationClock_Release(clock);
    next:
        rig_close(&r);
    }
}

/* Issue 11.4: the rate goes to the source, whose answer is MESessionRateChanged's status. */
static void test_rate_goes_to_source(void)
{
    IMFRateControl *rate = NULL;
    struct dsource_desc sd;
    IMFMediaEvent *event;
    PROPVARIANT value;
    float now = 0.0f;
    int mark;
    struct rig r;

    rig_source_desc(&sd);
    sd.rate_support = TRUE;
    if (!rig_open(&r, &sd, NULL) || !rig_ready(&r)) goto done;
    MFGetService((IUnknown *)r.session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, (void **)&rate);
    if (!ok(rate != NULL, "the session's IMFRateControl")) goto done;
    dfault_set(DCALL_SOURCE_SET_RATE, MF_E_THINNING_UNSUPPORTED);
    mark = dlog_size();
    ok_hr(S_OK, IMFRateControl_SetRate(rate, TRUE, 1.0f));
    expect_status(r.w, MESessionRateChanged, MF_E_THINNING_UNSUPPORTED, VT_EMPTY,
            "test_media_session_thinning: the source's MF_E_THINNING_UNSUPPORTED, value VT_EMPTY");
    ok(dlog_count_from("src.SetRate(1,thin)", mark) == 1, "test_media_session_thinning: the source is asked");
    dfault_reset();
    IMFRateControl_Release(rate);
    rate = NULL;
done:
    if (rate) IMFRateControl_Release(rate);
    rig_close(&r);

    /* No rate bounds (E_NOTIMPL) but IsRateSupported accepts: the rate still changes. */
    rig_source_desc(&sd);
    sd.rate_support = TRUE;
    sd.rate_bounds_notimpl = TRUE;
    rate = NULL;
    if (!rig_open(&r, &sd, NULL) || !rig_ready(&r)) goto done2;
    MFGetService((IUnknown *)r.session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, (void **)&rate);
    if (!ok(rate != NULL, "the session's IMFRateControl")) goto done2;
    mark = dlog_size();
    ok_hr(S_OK, IMFRateControl_SetRate(rate, FALSE, 2.0f));
    if (event_waiter_wait_for(r.w, MESessionRateChanged, TEST_TIMEOUT, NULL, &event))
    {
        HRESULT status = E_FAIL;
        IMFMediaEvent_GetStatus(event, &status);
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(status == S_OK && value.vt == VT_R4 && value.fltVal == 2.0f,
                "[issue 11.4] rate bounds E_NOTIMPL: MESessionRateChanged S_OK, VT_R4 2.0 (got %#lx, vt %u)",
                (unsigned long)status, value.vt);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }
    else ok(0, "[issue 11.4] MESessionRateChanged came");
    ok(dlog_count_from("src.SetRate(2)", mark) == 1, "[issue 11.4] the source's SetRate(2) is called");
    IMFRateControl_GetRate(rate, NULL, &now);
    ok(now == 2.0f, "[issue 11.4] the session's rate is 2.0 (got %g)", (double)now);
done2:
    if (rate) IMFRateControl_Release(rate);
    rig_close(&r);
}

/* Issue 11.2: SetPresentationClock at Start; a sink refusing it does not stop READY. */
static void test_sink_clock(void)
{
    HRESULT status;
    int mark;
    struct rig r;

    if (!rig_open(&r, NULL, NULL) || !rig_ready(&r)) goto done;
    ok(dlog_count("sink.SetPresentationClock") == 0, "[issue 11.2] no SetPresentationClock when the topology is set");
    mark = dlog_size();
    dlog_add("test.Start");
    if (rig_started(&r))
        ok(dlog_count_from("sink.SetPresentationClock", mark) >= 1, "[issue 11.2] SetPresentationClock when started");
done:
    rig_close(&r);

    if (!rig_open(&r, NULL, NULL)) goto done2;
    dfault_set(DCALL_SINK_SET_CLOCK, E_NOTIMPL);
    if (!rig_ready(&r)) goto done2;
    ok_hr(S_OK, start_at(r.session, -1));
    /* Windows' seek, scrubbing and sample-request tests go on from here. */
    status = wait_status(r.w, MESessionStarted, "[issue 11.2] a sink refusing the clock: MESessionStarted comes");
    diag("a sink refusing the clock: MESessionStarted status %#lx", (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Close(r.session));
    wait_status(r.w, MESessionClosed, "[issue 11.2] a sink refusing the clock: MESessionClosed comes");
done2:
    rig_close(&r);
}

/* test_media_session_sink_shutdown (issue 11.8): sinks are shut down at Shutdown, never before. */
static void test_sink_shutdown(void)
{
    struct dsource_desc sd;
    struct dsink_desc kd;
    struct dsource *src2 = NULL;
    struct dsink *sink2 = NULL;
    IMFTopology *topology2 = NULL;
    IMFTopologyNode *node;
    struct rig r;

    if (!rig_open(&r, NULL, NULL) || !rig_ready(&r) || !rig_started(&r)) goto done;
    ok_hr(S_OK, IMFMediaSession_SetTopology(r.session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL));
    wait_status(r.w, MESessionTopologySet, "test_media_session_sink_shutdown: CLEAR_CURRENT");
    ok(dlog_count("sink.Shutdown") == 0, "test_media_session_sink_shutdown: CLEAR_CURRENT shuts no sink down");
    ok_hr(S_OK, IMFMediaSession_ClearTopologies(r.session));
    wait_status(r.w, MESessionTopologiesCleared, "test_media_session_sink_shutdown: ClearTopologies");
    ok(dlog_count("sink.Shutdown") == 0, "test_media_session_sink_shutdown: ClearTopologies shuts no sink down");
    ok_hr(S_OK, IMFMediaSession_Close(r.session));
    wait_status(r.w, MESessionClosed, "test_media_session_sink_shutdown: Close");
    ok(dlog_count("sink.Shutdown") == 0, "test_media_session_sink_shutdown: Close shuts no sink down");
    ok_hr(S_OK, IMFMediaSession_Shutdown(r.session));
    ok(dlog_count("sink.Shutdown") == 1, "test_media_session_sink_shutdown: Shutdown shuts the sink down, once");
done:
    rig_close(&r);

    /* MF_TOPONODE_NOSHUTDOWN_ON_REMOVE TRUE is ignored; a queued topology's sink goes down too. */
    if (!rig_open(&r, NULL, NULL)) goto done2;
    node = first_output_node(r.topology);
    IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_NOSHUTDOWN_ON_REMOVE, TRUE);
    IMFTopologyNode_Release(node);
    if (!rig_ready(&r)) goto done2;
    rig_source_desc(&sd);
    sd.name = "src2";
    rig_sink_desc(&kd);
    kd.name = "sink2";
    if (FAILED(dsource_create(&sd, &src2)) || FAILED(dsink_create(&kd, &sink2))
            || FAILED(dtopology_build(src2, sink2, NULL, NULL, &topology2)))
        goto done2;
    ok_hr(S_OK, IMFMediaSession_SetTopology(r.session, 0, topology2));
    wait_status(r.w, MESessionTopologySet, "test_media_session_sink_shutdown: a second topology is queued");
    ok_hr(S_OK, IMFMediaSession_Close(r.session));
    wait_status(r.w, MESessionClosed, "test_media_session_sink_shutdown: Close");
    ok_hr(S_OK, IMFMediaSession_Shutdown(r.session));
    ok(dlog_count("sink.Shutdown") == 1,
            "test_media_session_sink_shutdown: MF_TOPONODE_NOSHUTDOWN_ON_REMOVE is ignored at Shutdown");
    ok(dlog_count("sink2.Shutdown") == 1, "test_media_session_sink_shutdown: a queued topology's sink is shut down");
done2:
    if (topology2) IMFTopology_Release(topology2);
    if (src2)
    {
        IMFMediaSource_Shutdown(dsource_iface(src2));
        dsource_release(src2);
    }
    if (sink2) dsink_release(sink2);
    rig_close(&r);
}

static BOOL one_of(HRESULT hr, HRESULT a, HRESULT b, HRESULT c)
{
    return hr == a || hr == b || hr == c;
}

/* The re-used session after a source went down: the event comes with S_OK, MF_E_SHUTDOWN or `also`. */
static void expect_reused(struct event_waiter *w, MediaEventType type, HRESULT also, const char *point)
{
    HRESULT hr = wait_status(w, type, "test_media_session_source_shutdown: the re-used session answers");
    ok(one_of(hr, S_OK, MF_E_SHUTDOWN, also), "test_media_session_source_shutdown (%s): re-used, %s status %#lx",
            point, event_name(type), (unsigned long)hr);
}

/* test_media_session_source_shutdown and _Close: the source shut down right after a call. */
static void test_source_shutdown(void)
{
    static const char *const names[] = {"Start", "seek", "Pause", "Stop", "Close"};
    static const MediaEventType after[] = {MESessionPaused, MESessionStopped, MESessionClosed};
    IMFMediaSource *source;
    unsigned point;
    HRESULT hr;
    struct rig r;

    for (point = 0; point < 5; ++point)
    {
        if (!rig_open(&r, NULL, NULL) || !rig_ready(&r)) goto next;
        source = dsource_iface(r.src);
        if (point > 0 && !rig_started(&r)) goto next;
        switch (point)
        {
        /* Windows' test shuts its source down right after Start returns, before the
         * session's command reaches it; the doubles answer at once, so here the source
         * goes down just before the call, which is what the command then finds. */
        case 0:
            IMFMediaSource_Shutdown(source);
            ok_hr(S_OK, start_at(r.session, -1));
            expect_status(r.w, MESessionStarted, MF_E_INVALIDREQUEST, ANY_VT,
                    "test_media_session_source_shutdown: Start, source shut down");
            break;
        case 1:
            IMFMediaSource_Shutdown(source);
            ok_hr(S_OK, start_at(r.session, SECOND));
            expect_status(r.w, MESessionStarted, S_OK, ANY_VT,
                    "test_media_session_source_shutdown: seek while started, source shut down");
            break;
        default:
            /* Windows: S_OK or MF_E_SHUTDOWN, for Pause also MF_E_SESSION_PAUSEWHILESTOPPED;
             * test_media_session_Close records MF_E_SHUTDOWN for Close with a source that is
             * still stopping (the doubles answer at once, so S_OK is as good). */
            ok_hr(S_OK, transport_call(r.session, after[point - 2]));
            IMFMediaSource_Shutdown(source);
            hr = wait_status(r.w, after[point - 2], "test_media_session_source_shutdown: the event comes");
            ok(one_of(hr, S_OK, MF_E_SHUTDOWN, point == 2 ? MF_E_SESSION_PAUSEWHILESTOPPED : S_OK),
                    "test_media_session_source_shutdown: %s, source shut down: status %#lx", names[point],
                    (unsigned long)hr);
            if (point == 4) goto next;
        }
        /* The session goes on with a new source and sink. */
        IMFTopology_Release(r.topology);
        dsink_release(r.sink);
        dsource_release(r.src);
        r.topology = NULL;
        r.sink = NULL;
        r.src = NULL;
        {
            struct dsource_desc sd;
            struct dsink_desc kd;
            rig_source_desc(&sd);
            rig_sink_desc(&kd);
            if (FAILED(dsource_create(&sd, &r.src)) || FAILED(dsink_create(&kd, &r.sink))
                    || FAILED(dtopology_build(r.src, r.sink, NULL, NULL, &r.topology)))
                goto next;
        }
        ok_hr(S_OK, IMFMediaSession_SetTopology(r.session, 0, r.topology));
        ok_hr(S_OK, start_at(r.session, -1));
        expect_reused(r.w, MESessionStarted, MF_E_INVALIDREQUEST, names[point]);
        ok_hr(S_OK, IMFMediaSession_Stop(r.session));
        expect_reused(r.w, MESessionStopped, MF_E_INVALIDREQUEST, names[point]);
        ok_hr(S_OK, IMFMediaSession_Close(r.session));
        expect_reused(r.w, MESessionClosed, S_OK, names[point]);
    next:
        rig_close(&r);
    }
}

START_TEST(test_windows_transport)
{
    windows_init();
    harness_watchdog(30000);
    RUN(test_start_positions);
    RUN(test_start_unseekable);
    RUN(test_start_object_states);
    RUN(test_rate_goes_to_source);
    RUN(test_sink_clock);
    RUN(test_sink_shutdown);
    RUN(test_source_shutdown);
    windows_exit();
}
