/*
 * Asynchronous transforms (MF_TRANSFORM_ASYNC) in the session: each scenario
 * runs with the 1:1 asynchronous double and with the decoder-like N:M one
 * (tests/doubles/dmft_async.c), in full topologies (NORESOLUTION: Wine 8's
 * loader would call a locked transform).
 *
 *   - the calls and events Microsoft's "Asynchronous MFTs" rules prescribe,
 *     in order: unlock before any other call, NOTIFY_BEGIN_STREAMING,
 *     START_OF_STREAM, one ProcessInput per METransformNeedInput, one
 *     ProcessOutput per METransformHaveOutput, END_OF_STREAM + DRAIN,
 *     METransformDrainComplete before the sink's end-of-segment marker,
 *     IMFShutdown at the session's Shutdown and not before;
 *   - play to the end and again, rate, pause/resume, seek (FLUSH, MARKER,
 *     START_OF_STREAM; nothing from before the seek arrives after it);
 *   - Close from stopped, running, paused and after the end;
 *   - faults: ProcessInput, ProcessOutput, ProcessMessage failing, a transform
 *     that never raises an event or stops raising them, METransformHaveOutput
 *     with an error status.
 * Each check names the contract section or documented rule it proves.
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <stdio.h>

#define SAMPLE_DURATION 100000      /* 10 ms */

static enum dmft_async_kind kind;   /* the double the scenarios run with */
static const char *kind_name;

struct rig
{
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
    IMFTransform *mft;
    IMFTopology *topology;
    char label[96];
};

/* Outputs per input of the double in use, and their duration. */
static unsigned per_input(void) { return kind == DMFT_ASYNC_DECODER ? 2 : 1; }
static LONGLONG out_duration(void) { return SAMPLE_DURATION / per_input(); }

struct rig_options
{
    unsigned samples;           /* per stream; 0: endless (100000) */
    BOOL clocked;               /* the sink follows the clock (else rateless) */
    BOOL rate_support;
    BOOL resolve;               /* SetTopology(0): through the topology loader, not NORESOLUTION */
    struct dmft_async_desc mft; /* kind filled in */
};

/* Doubles, a full topology source -> async transform -> sink, a session and
 * SetTopology(NORESOLUTION) up to READY. */
static BOOL rig_begin(struct rig *r, const char *what, const struct rig_options *o)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dmft_async_desc md = o->mft;
    IMFMediaEvent *event;
    UINT32 status = 0;
    BOOL ready = FALSE;

    memset(r, 0, sizeof(*r));
    snprintf(r->label, sizeof(r->label), "%s, %s", kind_name, what);
    harness_test = r->label;
    dlog_clear();
    dfault_reset();
    sd.stream_count = 1;
    sd.samples_per_stream = o->samples ? o->samples : 100000;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.seekable = sd.can_pause = TRUE;
    sd.eager_end_of_stream = TRUE;
    sd.rate_support = o->rate_support;
    kd.stream_count = 1;
    kd.rateless = !o->clocked;
    kd.keep_samples = TRUE;
    kd.request_depth = 2;
    md.kind = kind;
    if (FAILED(dsource_create(&sd, &r->src)) || FAILED(dsink_create(&kd, &r->sink))
            || FAILED(dmft_async_create(&md, &r->mft))
            || FAILED(dtopology_build(r->src, r->sink, &r->mft, NULL, &r->topology))
            || !(r->session = create_session()))
    {
        ok(0, "[%s] the doubles, topology and session are made", r->label);
        return FALSE;
    }
    r->w = event_waiter_create((IMFMediaEventGenerator *)r->session);
    ok_hr(S_OK, IMFMediaSession_SetTopology(r->session, o->resolve ? 0 : MFSESSION_SETTOPOLOGY_NORESOLUTION,
            r->topology));
    while (!ready && event_waiter_wait_for(r->w, MESessionTopologyStatus, TEST_TIMEOUT, NULL, &event))
    {
        IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &status);
        ready = status == MF_TOPOSTATUS_READY;
        IMFMediaEvent_Release(event);
    }
    ok(ready, "[4 %s] the topology with an asynchronous transform becomes READY", r->label);
    ok(dmft_async_locked_calls(r->mft) == 0, "[5 %s] the transform is unlocked before any other call: %u calls refused",
            r->label, dmft_async_locked_calls(r->mft));
    return ready;
}

/* Waits for `type` (others skipped) and checks its status. */
static BOOL rig_wait(struct rig *r, MediaEventType type, HRESULT expected, const char *rule)
{
    HRESULT status = E_FAIL;
    BOOL seen = event_waiter_wait_for(r->w, type, TEST_TIMEOUT, &status, NULL);
    ok(seen && status == expected, "[%s] %s: %s with %#lx, got %s %#lx", r->label, rule, event_name(type),
            (unsigned long)expected, seen ? "it" : "nothing", (unsigned long)status);
    return seen && status == expected;
}

/* A streaming failure while Start is still in flight is Start's status
 * (contract section 1); once started, an MEError. */
static void rig_failure(struct rig *r, HRESULT expected, const char *rule)
{
    HRESULT status = E_FAIL;
    char text[128];

    if (!event_waiter_wait_for(r->w, MESessionStarted, TEST_TIMEOUT, &status, NULL))
    {
        ok(0, "[%s] %s: MESessionStarted", r->label, rule);
        return;
    }
    if (status == expected)
    {
        ok(1, "[%s] %s: reported as MESessionStarted's status %#lx", r->label, rule, (unsigned long)status);
        return;
    }
    snprintf(text, sizeof(text), "%s: Start succeeded (%#lx), then MEError with the status", rule, (unsigned long)status);
    rig_wait(r, MEError, expected, text);
}

static void rig_close(struct rig *r)
{
    IMFMediaEvent *event;
    DWORD start = GetTickCount();

    ok_hr(S_OK, IMFMediaSession_Close(r->session));
    rig_wait(r, MESessionClosed, S_OK, "2 Close ends with MESessionClosed");
    ok(GetTickCount() - start < TEST_TIMEOUT, "[2 %s] Close within its bound (%lu ms)", r->label,
            (unsigned long)(GetTickCount() - start));
    ok(!dmft_async_is_shut_down(r->mft), "[2 %s] Close does not shut the transform down", r->label);
    Sleep(30);
    ok(IMFMediaSession_GetEvent(r->session, MF_EVENT_FLAG_NO_WAIT, &event) == MF_E_NO_EVENTS_AVAILABLE,
            "[2 %s] MESessionClosed is the last event", r->label);
}

/* Shutdown, Release, and every double back to the test's references. */
static void rig_end(struct rig *r)
{
    DWORD start;

    ok_hr(S_OK, IMFMediaSession_Shutdown(r->session));
    ok(dmft_async_is_shut_down(r->mft), "[2 %s] Shutdown shuts the asynchronous transform down (IMFShutdown)", r->label);
    event_waiter_destroy(r->w);
    IMFMediaSession_Release(r->session);
    IMFTopology_Release(r->topology);
    start = GetTickCount();
    while ((dmft_async_refcount(r->mft) != 1 || dsource_refcount(r->src) != 1 || dsink_refcount(r->sink) != 1)
            && GetTickCount() - start < 2000)
        Sleep(10);
    ok(dmft_async_refcount(r->mft) == 1 && dsource_refcount(r->src) == 1 && dsink_refcount(r->sink) == 1,
            "[2 %s] after Shutdown and Release: transform %ld, source %ld, sink %ld references (1 each: the test's)",
            r->label, dmft_async_refcount(r->mft), dsource_refcount(r->src), dsink_refcount(r->sink));
    IMFTransform_Release(r->mft);
    IMFMediaSource_Shutdown(dsource_iface(r->src));
    dsource_release(r->src);
    dsink_release(r->sink);
    dfault_reset();
    harness_progress();
}

/* The entries, in this order, in the call log from `from`; the index after the last, or -1. */
static int log_order(struct rig *r, const char *rule, int from, const char *const *entries, unsigned count)
{
    unsigned i;
    int at = from;

    for (i = 0; i < count && at >= 0; ++i)
    {
        char name[64];
        snprintf(name, sizeof(name), entries[i], "amft0");
        if ((at = dlog_find(name, at)) >= 0) ++at;
        else diag("%s: missing %s", rule, name);
    }
    ok(at >= 0, "[%s] %s", r->label, rule);
    if (at < 0) dlog_dump();
    return at;
}

/* Every sample the sink got, once, in order, with the transform's times. */
static void check_output(struct rig *r, unsigned inputs, LONGLONG first, const char *rule)
{
    unsigned i, got = dsink_received(r->sink, 0), want = inputs * per_input();
    BOOL in_order = TRUE;

    for (i = 0; i < got; ++i)
        if (dsink_sample_time(r->sink, 0, i) != first + (LONGLONG)i * out_duration()
                || dsink_sample_duration(r->sink, 0, i) != out_duration())
            in_order = FALSE;
    ok(got == want, "[3 %s] %s: every output delivered once: %u of %u", r->label, rule, got, want);
    ok(in_order, "[3 %s] %s: in order, with the transform's times and durations", r->label, rule);
    ok(dsink_unrequested(r->sink, 0) == 0, "[3 %s] %s: nothing the sink did not ask for", r->label, rule);
}

/* Each ProcessInput answered a METransformNeedInput, each ProcessOutput a METransformHaveOutput. */
static void check_answers(struct rig *r)
{
    int need = dlog_count("amft0.raise(NeedInput)"), inputs = dlog_count("amft0.ProcessInput(");
    int have = dlog_count("amft0.raise(HaveOutput)"), outputs = dlog_count("amft0.ProcessOutput(");

    ok(inputs <= need && inputs > 0, "[5 %s] one ProcessInput per METransformNeedInput at most: %d inputs, %d requests",
            r->label, inputs, need);
    ok(outputs <= have && outputs > 0, "[5 %s] one ProcessOutput per METransformHaveOutput at most: %d outputs, %d offers",
            r->label, outputs, have);
    ok(dlog_count("amft0.ProcessOutput(") == (int)dmft_async_outputs(r->mft),
            "[5 %s] no ProcessOutput the transform had to refuse", r->label);
}

/* ---- scenarios ---- */

/* The calls and events of one presentation with an asynchronous transform,
 * in Microsoft's documented order, then again from 0 after the end. */
static void test_play_to_end(void)
{
    static const char *const setup[] = {"%s.ProcessMessage(NOTIFY_BEGIN_STREAMING)",
            "%s.ProcessMessage(NOTIFY_START_OF_STREAM)", "%s.raise(NeedInput)", "%s.ProcessInput(t=0)",
            "%s.raise(HaveOutput)", "%s.ProcessOutput(t=0)"};
    static const char *const end[] = {"%s.ProcessMessage(NOTIFY_END_OF_STREAM)", "%s.ProcessMessage(DRAIN)",
            "%s.raise(DrainComplete)", "ss0.PlaceMarker(ENDOFSEGMENT)"};
    struct rig_options o = {0};
    struct rig r;
    int at;

    o.samples = 30;
    if (!rig_begin(&r, "play to the end", &o)) return;
    ok(dlog_find("amft0.ProcessMessage(NOTIFY_BEGIN_STREAMING)", 0) >= 0
            && dlog_find("amft0.ProcessMessage(NOTIFY_START_OF_STREAM)", 0) < 0,
            "[5 %s] NOTIFY_BEGIN_STREAMING when the topology becomes current, START_OF_STREAM only at Start", r.label);
    ok(dlog_find("amft0.raise(NeedInput)", 0) < 0, "[5 %s] no input asked for before the start", r.label);
    ok_hr(S_OK, start_at(r.session, -1));
    rig_wait(&r, MESessionStarted, S_OK, "2 Start");
    rig_wait(&r, MESessionEnded, S_OK, "4 the presentation ends through the drained transform");
    check_output(&r, 30, 0, "play to the end");
    ok(dsink_markers(r.sink, 0) == 1, "[5 %s] one end-of-segment marker, after the drained output", r.label);
    at = log_order(&r, "[5] unlock, BEGIN_STREAMING, START_OF_STREAM, NeedInput -> ProcessInput, HaveOutput -> ProcessOutput",
            0, setup, 6);
    log_order(&r, "[5] END_OF_STREAM, DRAIN, METransformDrainComplete, then the sink's end-of-segment marker",
            at < 0 ? 0 : at, end, 4);
    check_answers(&r);

    /* After the drain the transform asks for nothing until START_OF_STREAM: a new Start sends it. */
    dsink_reset_counts(r.sink);
    at = dlog_size();
    ok_hr(S_OK, start_at(r.session, -1));
    rig_wait(&r, MESessionStarted, S_OK, "2 Start again after MESessionEnded");
    rig_wait(&r, MESessionEnded, S_OK, "4 and the end again");
    check_output(&r, 30, 0, "again from 0");
    ok(dlog_find("amft0.ProcessMessage(NOTIFY_START_OF_STREAM)", at) >= 0,
            "[5 %s] START_OF_STREAM again for the new presentation", r.label);
    rig_close(&r);
    rig_end(&r);
}

/* A partial topology: the session unlocks the transform before the loader
 * calls it, and plays the resolved topology like a full one. */
static void test_resolved(void)
{
    struct rig_options o = {0};
    struct rig r;

    o.samples = 20;
    o.resolve = TRUE;
    if (!rig_begin(&r, "resolved by the loader", &o)) return;
    ok_hr(S_OK, start_at(r.session, -1));
    rig_wait(&r, MESessionStarted, S_OK, "2 Start");
    rig_wait(&r, MESessionEnded, S_OK, "4 the end");
    check_output(&r, 20, 0, "resolved");
    rig_close(&r);
    rig_end(&r);
}

static void test_rate(void)
{
    struct rig_options o = {0};
    IMFRateControl *rate;
    struct rig r;
    PROPVARIANT value;
    IMFMediaEvent *event;

    o.samples = 20;
    o.rate_support = TRUE;
    if (!rig_begin(&r, "rate 2", &o)) return;
    ok_hr(S_OK, MFGetService((IUnknown *)r.session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, (void **)&rate));
    ok_hr(S_OK, IMFRateControl_SetRate(rate, FALSE, 2.0f));
    if (event_waiter_wait_for(r.w, MESessionRateChanged, TEST_TIMEOUT, NULL, &event))
    {
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(value.vt == VT_R4 && value.fltVal == 2.0f, "[6 %s] MESessionRateChanged carries 2.0", r.label);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }
    else ok(0, "[6 %s] MESessionRateChanged", r.label);
    IMFRateControl_Release(rate);
    ok_hr(S_OK, start_at(r.session, -1));
    rig_wait(&r, MESessionStarted, S_OK, "2 Start at rate 2");
    rig_wait(&r, MESessionEnded, S_OK, "4 the end at rate 2");
    check_output(&r, 20, 0, "rate 2");
    rig_close(&r);
    rig_end(&r);
}

/* Pause, resume, seek and stop with a sink that follows the clock. */
static void test_pause_seek_stop(void)
{
    static const char *const seek[] = {"src.Stop", "%s.ProcessMessage(FLUSH)", "%s.ProcessMessage(MARKER)",
            "%s.raise(Marker)", "%s.ProcessMessage(NOTIFY_START_OF_STREAM)", "src.Start(2000000)"};
    struct rig_options o = {0};
    unsigned i, got;
    BOOL after = TRUE;
    struct rig r;
    int at;

    o.clocked = TRUE;
    if (!rig_begin(&r, "pause, seek, stop", &o)) return;
    dsink_set_target(r.sink, 4);
    ok_hr(S_OK, start_at(r.session, -1));
    rig_wait(&r, MESessionStarted, S_OK, "2 Start");
    ok(wait_handle(dsink_done_event(r.sink), TEST_TIMEOUT, "4 samples"), "[3 %s] samples flow through the transform",
            r.label);
    ok_hr(S_OK, IMFMediaSession_Pause(r.session));
    rig_wait(&r, MESessionPaused, S_OK, "2 Pause while started");
    ok_hr(S_OK, start_at(r.session, -1));
    rig_wait(&r, MESessionStarted, S_OK, "2 resume from Paused");

    at = dlog_size();
    ok_hr(S_OK, start_at(r.session, 2000000));
    rig_wait(&r, MESessionStarted, S_OK, "2 seek while started");
    log_order(&r, "[5 seek] source Stop, FLUSH, MARKER, its METransformMarker, START_OF_STREAM, source Start there",
            at, seek, 6);
    dsink_reset_counts(r.sink);
    dsink_set_target(r.sink, 4);
    ok(wait_handle(dsink_done_event(r.sink), TEST_TIMEOUT, "4 samples after the seek"),
            "[3 %s] samples flow again after the seek", r.label);
    got = dsink_received(r.sink, 0);
    for (i = 0; i < got; ++i)
        if (dsink_sample_time(r.sink, 0, i) < 2000000) after = FALSE;
    ok(after && got, "[5 %s] after the seek only samples from the new position (%u, first at %lld)", r.label, got,
            dsink_sample_time(r.sink, 0, 0));

    ok_hr(S_OK, IMFMediaSession_Stop(r.session));
    rig_wait(&r, MESessionStopped, S_OK, "2 Stop while started");
    check_answers(&r);
    rig_close(&r);
    rig_end(&r);
}

enum close_from { FROM_STOPPED, FROM_RUNNING, FROM_PAUSED, FROM_ENDED };

static void test_close_from(enum close_from from)
{
    static const char *const names[] = {"close: stopped", "close: running", "close: paused", "close: after the end"};
    struct rig_options o = {0};
    unsigned before;
    struct rig r;

    o.samples = from == FROM_ENDED ? 10 : 0;
    o.clocked = from == FROM_RUNNING || from == FROM_PAUSED;
    if (!rig_begin(&r, names[from], &o)) return;
    if (from != FROM_STOPPED)
    {
        ok_hr(S_OK, start_at(r.session, -1));
        rig_wait(&r, MESessionStarted, S_OK, "2 Start");
    }
    if (from == FROM_PAUSED)
    {
        ok_hr(S_OK, IMFMediaSession_Pause(r.session));
        rig_wait(&r, MESessionPaused, S_OK, "2 Pause");
    }
    if (from == FROM_ENDED) rig_wait(&r, MESessionEnded, S_OK, "4 the end");
    rig_close(&r);
    before = dsink_received(r.sink, 0);
    Sleep(50);
    ok(dsink_received(r.sink, 0) == before, "[2 %s] no sample reaches the sink after MESessionClosed", r.label);
    rig_end(&r);
}

enum fault { FAULT_INPUT, FAULT_OUTPUT, FAULT_DRAIN, FAULT_HAVE_OUTPUT_STATUS, FAULT_SILENT, FAULT_FALLS_SILENT };

static void test_fault(enum fault fault)
{
    static const char *const names[] = {"ProcessInput fails", "ProcessOutput fails", "ProcessMessage(DRAIN) fails",
            "METransformHaveOutput with an error status", "never raises an event", "falls silent mid-stream"};
    struct rig_options o = {0};
    struct rig r;

    o.samples = fault == FAULT_DRAIN ? 10 : 0;
    o.clocked = fault == FAULT_SILENT || fault == FAULT_FALLS_SILENT;
    o.mft.message_failure = fault == FAULT_DRAIN ? E_FAIL : S_OK;
    o.mft.failing_message = MFT_MESSAGE_COMMAND_DRAIN;
    o.mft.silent = fault == FAULT_SILENT;
    o.mft.have_output_status = fault == FAULT_HAVE_OUTPUT_STATUS ? E_UNEXPECTED : S_OK;
    if (!rig_begin(&r, names[fault], &o)) return;
    if (fault == FAULT_INPUT) dfault_set(DCALL_MFT_PROCESS_INPUT, E_FAIL);
    if (fault == FAULT_OUTPUT) dfault_set(DCALL_MFT_PROCESS_OUTPUT, E_FAIL);
    if (fault == FAULT_FALLS_SILENT) dsink_set_target(r.sink, 3);
    ok_hr(S_OK, start_at(r.session, -1));
    switch (fault)
    {
    case FAULT_DRAIN:
        rig_wait(&r, MESessionStarted, S_OK, "2 Start");
        rig_wait(&r, MEError, E_FAIL, "1 a failing COMMAND_DRAIN raises MEError with its status");
        break;
    case FAULT_INPUT:
    case FAULT_OUTPUT:
        rig_failure(&r, E_FAIL, "1 a failing transform call");
        break;
    case FAULT_HAVE_OUTPUT_STATUS:
        rig_failure(&r, E_UNEXPECTED, "1 METransformHaveOutput's error status");
        break;
    case FAULT_SILENT:
        rig_wait(&r, MESessionStarted, S_OK, "2 Start completes: the sinks start whatever the transform does");
        Sleep(300);
        ok(dsink_received(r.sink, 0) == 0, "[5 %s] a transform that asks for nothing gets nothing, got %u", r.label,
                dsink_received(r.sink, 0));
        break;
    case FAULT_FALLS_SILENT:
        rig_wait(&r, MESessionStarted, S_OK, "2 Start");
        ok(wait_handle(dsink_done_event(r.sink), TEST_TIMEOUT, "3 samples"), "[3 %s] samples flow first", r.label);
        dmft_async_set_silent(r.mft, TRUE);
        Sleep(200);
        break;
    }
    dfault_reset();
    ok_hr(S_OK, IMFMediaSession_Stop(r.session));
    rig_wait(&r, MESessionStopped, S_OK, "1 Stop still works");
    rig_close(&r);
    rig_end(&r);
}

/* The double itself keeps the lock: without the unlock every call but GetAttributes fails. */
static void test_double_locked(void)
{
    struct dmft_async_desc desc = {0};
    IMFAttributes *attributes;
    IMFTransform *mft;
    DWORD in, out;
    UINT32 value = 0;

    desc.kind = kind;
    if (FAILED(dmft_async_create(&desc, &mft))) return;
    ok_hr(MF_E_TRANSFORM_ASYNC_LOCKED, IMFTransform_GetStreamCount(mft, &in, &out));
    ok_hr(S_OK, IMFTransform_GetAttributes(mft, &attributes));
    ok(SUCCEEDED(IMFAttributes_GetUINT32(attributes, &MF_TRANSFORM_ASYNC, &value)) && value,
            "[double %s] says MF_TRANSFORM_ASYNC", kind_name);
    IMFAttributes_SetUINT32(attributes, &MF_TRANSFORM_ASYNC_UNLOCK, TRUE);
    ok_hr(S_OK, IMFTransform_GetStreamCount(mft, &in, &out));
    IMFAttributes_Release(attributes);
    IMFTransform_Release(mft);
}

/* Milliseconds from Start to MESessionEnded for `samples` samples through
 * `mft` into a rateless sink; 0 when it did not end. */
static DWORD time_presentation(IMFTransform *mft, unsigned samples)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    DWORD start, took = 0;

    sd.stream_count = kd.stream_count = 1;
    sd.samples_per_stream = samples;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.eager_end_of_stream = TRUE;
    kd.rateless = TRUE;
    kd.request_depth = 2;
    if (FAILED(dsource_create(&sd, &src))) return 0;
    if (FAILED(dsink_create(&kd, &sink))) { dsource_release(src); return 0; }
    dtopology_build(src, sink, &mft, NULL, &topology);
    if ((session = create_session()))
    {
        w = event_waiter_create((IMFMediaEventGenerator *)session);
        IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology);
        event_waiter_wait_for(w, MESessionTopologyStatus, TEST_TIMEOUT, NULL, NULL);
        start = GetTickCount();
        start_at(session, -1);
        if (event_waiter_wait_for(w, MESessionEnded, 30000, NULL, NULL)) took = GetTickCount() - start;
        IMFMediaSession_Close(session);
        event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, NULL, NULL);
        IMFMediaSession_Shutdown(session);
        event_waiter_destroy(w);
        IMFMediaSession_Release(session);
    }
    ok(dsink_received(sink, 0) >= samples, "[3 throughput] all %u samples went through, got %u", samples,
            dsink_received(sink, 0));
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
    return took ? took : 1;
}

/* Asynchronous transforms play like synchronous ones: the same samples
 * through a synchronous pass-through and through each asynchronous double,
 * timed (a figure for docs/ASYNC-TRANSFORMS.md, not a bound: the machine is shared). */
static void test_throughput(void)
{
    struct dmft_async_desc desc = {0};
    static const unsigned samples = 3000;
    IMFTransform *mft;
    DWORD sync_ms = 0, one_ms = 0, decoder_ms = 0;

    dlog_enable(FALSE);
    if (SUCCEEDED(dmft_create(DMFT_PASSTHROUGH, &mft)))
    {
        sync_ms = time_presentation(mft, samples);
        IMFTransform_Release(mft);
    }
    desc.kind = DMFT_ASYNC_ONE_TO_ONE;
    if (SUCCEEDED(dmft_async_create(&desc, &mft)))
    {
        one_ms = time_presentation(mft, samples);
        IMFTransform_Release(mft);
    }
    desc.kind = DMFT_ASYNC_DECODER;
    if (SUCCEEDED(dmft_async_create(&desc, &mft)))
    {
        decoder_ms = time_presentation(mft, samples);
        IMFTransform_Release(mft);
    }
    dlog_enable(TRUE);
    diag("throughput, %u samples into a rateless sink: synchronous pass-through %lu ms, "
            "asynchronous 1:1 %lu ms, asynchronous decoder (x2 outputs) %lu ms", samples,
            (unsigned long)sync_ms, (unsigned long)one_ms, (unsigned long)decoder_ms);
    ok(sync_ms && one_ms && decoder_ms, "[3 throughput] every presentation ended");
}

static void run_all(enum dmft_async_kind k, const char *name)
{
    enum fault fault;

    kind = k;
    kind_name = name;
    diag("with the %s", name);
    RUN(test_double_locked);
    RUN(test_play_to_end);
    RUN(test_resolved);
    RUN(test_rate);
    RUN(test_pause_seek_stop);
    test_close_from(FROM_STOPPED);
    test_close_from(FROM_RUNNING);
    test_close_from(FROM_PAUSED);
    test_close_from(FROM_ENDED);
    for (fault = FAULT_INPUT; fault <= FAULT_FALLS_SILENT; ++fault) test_fault(fault);
}

START_TEST(async)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(30000);
    run_all(DMFT_ASYNC_ONE_TO_ONE, "1:1 asynchronous transform");
    run_all(DMFT_ASYNC_DECODER, "decoder-like N:M asynchronous transform");
    RUN(test_throughput);
    MFShutdown();
    CoUninitialize();
}
