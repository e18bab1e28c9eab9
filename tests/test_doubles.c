/*
 * The test doubles, driven directly without a session: each check names the
 * behaviour of tests/doubles/doubles.h that the session's tests rely on.
 *
 * The "direct drive" (ddrive_play, tests/doubles/ddrive.c) plays a source
 * into a sink the way CONTRACT.md section 5 says the session does: source
 * Start; a system-time-source clock Start; each MEStreamSinkRequestSample
 * answered by one ProcessSample, fed by IMFMediaStream::RequestSample ->
 * MEMediaSample (through a transform when given); MEEndOfStream -> drain ->
 * PlaceMarker(ENDOFSEGMENT).  The tests here check what came out.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "common.h"
#include "doubles.h"
#include <stdlib.h>
#include <string.h>

#define DUR 100000
#define CUSTOM_HR ((HRESULT)0x8004dead)

/* ---- small helpers ---------------------------------------------------------- */

/* The next event of a generator within timeout_ms (polling GetEvent). */
static HRESULT poll_event(void *generator, DWORD timeout_ms, IMFMediaEvent **event)
{
    DWORD start = GetTickCount();
    HRESULT hr;

    for (;;)
    {
        hr = IMFMediaEventGenerator_GetEvent((IMFMediaEventGenerator *)generator, MF_EVENT_FLAG_NO_WAIT, event);
        if (hr != MF_E_NO_EVENTS_AVAILABLE) return hr;
        if (GetTickCount() - start >= timeout_ms) return HRESULT_FROM_WIN32(WAIT_TIMEOUT);
        Sleep(1);
    }
}

/* The next event must be `type`; returns it in *out (if given) or releases it. */
static BOOL expect_event_(const char *file, int line, void *generator, MediaEventType type, DWORD timeout_ms,
        IMFMediaEvent **out)
{
    IMFMediaEvent *event = NULL;
    MediaEventType got = MEUnknown;
    HRESULT hr, status = E_FAIL;

    if (out) *out = NULL;
    if (SUCCEEDED(hr = poll_event(generator, timeout_ms, &event)))
    {
        IMFMediaEvent_GetType(event, &got);
        IMFMediaEvent_GetStatus(event, &status);
    }
    harness_set_location(file, line);
    if (!harness_ok(SUCCEEDED(hr) && got == type && status == S_OK, "event %s (got %s, status %#lx, hr %#lx)",
            event_name(type), SUCCEEDED(hr) ? event_name(got) : "none", status, hr))
    {
        if (event) IMFMediaEvent_Release(event);
        return FALSE;
    }
    if (out) *out = event;
    else IMFMediaEvent_Release(event);
    return TRUE;
}
#define expect_event(g, t, ms, out) expect_event_(__FILE__, __LINE__, g, t, ms, out)

static void expect_no_event_(const char *file, int line, void *generator, DWORD wait_ms)
{
    IMFMediaEvent *event;
    MediaEventType type = MEUnknown;
    HRESULT hr = poll_event(generator, wait_ms, &event);

    if (SUCCEEDED(hr))
    {
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_Release(event);
    }
    harness_set_location(file, line);
    harness_ok(FAILED(hr), "no event (got %s)", SUCCEEDED(hr) ? event_name(type) : "none");
}
#define expect_no_event(g, ms) expect_no_event_(__FILE__, __LINE__, g, ms)

static LONGLONG event_i8(IMFMediaEvent *event, VARTYPE *vt)
{
    PROPVARIANT value;
    LONGLONG v = -1;

    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    *vt = value.vt;
    if (value.vt == VT_I8) v = value.hVal.QuadPart;
    PropVariantClear(&value);
    return v;
}

static LONGLONG actual_start(IMFMediaEvent *event)
{
    UINT64 v;
    return SUCCEEDED(IMFMediaEvent_GetUINT64(event, &MF_EVENT_SOURCE_ACTUAL_START, &v)) ? (LONGLONG)v : -1;
}

static PROPVARIANT i8(LONGLONG v)
{
    PROPVARIANT value;
    PropVariantInit(&value);
    value.vt = VT_I8;
    value.hVal.QuadPart = v;
    return value;
}

/* Waits for a refcount that asynchronous notifications may still hold. */
static LONG settle(LONG (*get)(void *), void *obj, LONG expected)
{
    DWORD start = GetTickCount();
    LONG v;
    while ((v = get(obj)) != expected && GetTickCount() - start < 1000) Sleep(5);
    return v;
}
static LONG sink_rc(void *k) { return dsink_refcount(k); }
static LONG source_rc(void *s) { return dsource_refcount(s); }

static struct dsource_desc source_desc(unsigned streams, unsigned samples, BOOL eager)
{
    struct dsource_desc d;
    memset(&d, 0, sizeof(d));
    d.stream_count = streams;
    d.samples_per_stream = samples;
    d.sample_duration = DUR;
    d.sample_bytes = 4;
    d.seekable = d.can_pause = TRUE;
    d.eager_end_of_stream = eager;
    return d;
}

static struct dsink_desc sink_desc(unsigned streams)
{
    struct dsink_desc d;
    memset(&d, 0, sizeof(d));
    d.stream_count = streams;
    d.rateless = TRUE;
    d.keep_samples = TRUE;
    return d;
}

static IMFPresentationClock *create_clock(void)
{
    IMFPresentationTimeSource *time_source;
    IMFPresentationClock *clock = NULL;

    ok_hr(S_OK, MFCreatePresentationClock(&clock));
    ok_hr(S_OK, MFCreateSystemTimeSource(&time_source));
    ok_hr(S_OK, IMFPresentationClock_SetTimeSource(clock, time_source));
    IMFPresentationTimeSource_Release(time_source);
    return clock;
}

/* A do-nothing callback for BeginGetEvent / BeginFinalize calls that fail. */
static HRESULT WINAPI null_cb_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    *out = iface;
    return S_OK;
}
static ULONG WINAPI null_cb_AddRef(IMFAsyncCallback *iface) { return 2; }
static ULONG WINAPI null_cb_Release(IMFAsyncCallback *iface) { return 1; }
static HRESULT WINAPI null_cb_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue) { return E_NOTIMPL; }
static HRESULT WINAPI null_cb_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result) { return S_OK; }
static const IMFAsyncCallbackVtbl null_cb_vtbl =
{
    null_cb_QueryInterface, null_cb_AddRef, null_cb_Release, null_cb_GetParameters, null_cb_Invoke,
};
static IMFAsyncCallback null_cb = { &null_cb_vtbl };

/* ---- the direct drive (ddrive.c) ---------------------------------------------- */

/* Checks that stream i got samples 0..n-1 with the given durations' times. */
static void check_received(struct dsink *sink, unsigned i, unsigned n, LONGLONG step, LONGLONG last_duration)
{
    unsigned k, bad = ~0u;

    ok(dsink_received(sink, i) == n, "stream sink %u received %u samples (%u)", i, n, dsink_received(sink, i));
    for (k = 0; k < n && bad == ~0u; ++k)
    {
        LONGLONG duration = k + 1 == n ? last_duration : step;
        if (dsink_sample_time(sink, i, k) != (LONGLONG)k * step || dsink_sample_duration(sink, i, k) != duration)
            bad = k;
    }
    ok(bad == ~0u, "stream sink %u: every sample once, in order, with its time and duration (first bad %d: t=%lld)",
            i, (int)bad, bad == ~0u ? 0 : (long long)dsink_sample_time(sink, i, bad));
    ok(dsink_markers(sink, i) == 1, "stream sink %u got one end-of-segment marker", i);
    ok(!dsink_unrequested(sink, i), "stream sink %u got no sample it did not request", i);
}

static void test_drive_plain(BOOL eager)
{
    struct dsource_desc sd = source_desc(2, 10, eager);
    struct dsink_desc kd = sink_desc(2);
    struct dsource *src;
    struct dsink *sink;
    char error[128];
    unsigned i;
    HRESULT hr;
    int first;

    diag("direct drive, %s end of stream", eager ? "eager" : "lazy");
    dlog_clear();
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dsink_create(&kd, &sink));
    hr = ddrive_play(src, sink, NULL, TEST_TIMEOUT, error, sizeof(error));
    ok(hr == S_OK, "the presentation played to its end (hr %#lx: %s)", hr, error);
    ok(WaitForSingleObject(dsink_done_event(sink), 0) == WAIT_OBJECT_0, "the sink's done event is set");
    for (i = 0; i < 2; ++i)
    {
        check_received(sink, i, 10, DUR, DUR);
        ok(dsource_delivered(src, i) == 10, "stream %u delivered 10 samples (%u)", i, dsource_delivered(src, i));
    }
    ok(dlog_count("s0.RequestSample") == (eager ? 10 : 11), "%s end of stream: %d requests for 10 samples",
            eager ? "eager" : "lazy", dlog_count("s0.RequestSample"));
    first = dlog_find("src.Start(0)", 0);
    ok(first >= 0 && first < dlog_find("s0.RequestSample", 0) && dlog_find("s0.RequestSample", 0)
            < dlog_find("ss0.ProcessSample(t=0)", 0), "log: Start, then RequestSample, then ProcessSample");
    ok(dlog_find("ss1.PlaceMarker(ENDOFSEGMENT)", dlog_find("ss1.ProcessSample(t=900000)", 0)) > 0,
            "log: the marker follows the last sample");
    ok(dlog_find("sink.Shutdown", 0) > 0 && dlog_find("src.Shutdown", 0) > 0, "log: both shut down");
    ok(settle(source_rc, src, 1) == 1, "source refcount back to 1 (%ld)", dsource_refcount(src));
    ok(settle(sink_rc, sink, 1) == 1, "sink refcount back to 1 (%ld)", dsink_refcount(sink));
    for (i = 0; i < 2; ++i)
    {
        ok(dsource_stream_refcount(src, i) == 1, "stream %u refcount 1 (%ld)", i, dsource_stream_refcount(src, i));
        ok(dsink_stream_refcount(sink, i) == 1, "stream sink %u refcount 1 (%ld)", i, dsink_stream_refcount(sink, i));
    }
    if (FAILED(hr)) dlog_dump();
    dsource_release(src);
    dsink_release(sink);
}

static void test_drive_transforms(enum dmft_kind kind)
{
    struct dsource_desc sd = source_desc(2, 5, TRUE);
    struct dsink_desc kd = sink_desc(2);
    IMFTransform *mfts[2];
    struct dsource *src;
    struct dsink *sink;
    char error[128];
    unsigned i;
    HRESULT hr;

    diag("direct drive through %s transforms", kind == DMFT_PASSTHROUGH ? "pass-through" : "2:1");
    dlog_clear();
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dsink_create(&kd, &sink));
    ok_hr(S_OK, dmft_create(kind, &mfts[0]));
    ok_hr(S_OK, dmft_create(kind, &mfts[1]));
    hr = ddrive_play(src, sink, mfts, TEST_TIMEOUT, error, sizeof(error));
    ok(hr == S_OK, "the presentation played to its end (hr %#lx: %s)", hr, error);
    if (FAILED(hr)) dlog_dump();
    for (i = 0; i < 2; ++i)
    {
        if (kind == DMFT_PASSTHROUGH)
        {
            check_received(sink, i, 5, DUR, DUR);
            ok(dmft_inputs(mfts[i]) == 5 && dmft_outputs(mfts[i]) == 5, "mft%u: 5 in, 5 out", i);
        }
        else
        {
            /* 5 samples: (0,1) (2,3) and the lone 4 after the drain. */
            check_received(sink, i, 3, 2 * DUR, DUR);
            ok(dmft_inputs(mfts[i]) == 5 && dmft_outputs(mfts[i]) == 3, "mft%u: 5 in, 3 out (%u, %u)", i,
                    dmft_inputs(mfts[i]), dmft_outputs(mfts[i]));
        }
        ok(dmft_refcount(mfts[i]) == 1, "mft%u refcount 1 (%ld)", i, dmft_refcount(mfts[i]));
    }
    ok(dlog_find("mft0.ProcessMessage(NOTIFY_BEGIN_STREAMING)", 0) >= 0
            && dlog_find("mft0.ProcessMessage(DRAIN)", 0) > dlog_find("mft0.ProcessInput(t=400000)", 0),
            "log: mft0 begins streaming, and is drained after its last input");
    if (kind == DMFT_TWO_TO_ONE)
        ok(dlog_find("mft1.ProcessOutput(t=400000)", dlog_find("mft1.ProcessMessage(DRAIN)", 0)) > 0,
                "log: the drain brings out the lone last input");
    ok(settle(source_rc, src, 1) == 1 && settle(sink_rc, sink, 1) == 1, "source and sink refcounts back to 1");
    IMFTransform_Release(mfts[0]);
    IMFTransform_Release(mfts[1]);
    dsource_release(src);
    dsink_release(sink);
}

/* ---- call log and fault switches --------------------------------------------- */

static void test_log(void)
{
    char entry[64];

    dlog_clear();
    ok(dlog_size() == 0, "dlog_clear empties the log");
    dlog_add("a.X(%d)", 1);
    dlog_add("a.Y");
    dlog_add("b.X(1)");
    dlog_add("a.X(1)");
    ok(dlog_find("a.X(1)", 0) == 0 && dlog_find("a.X(1)", 1) == 3 && dlog_find("a.X", 0) == -1,
            "dlog_find: the first entry equal to the string at or after an index");
    ok(dlog_count("a.") == 3 && dlog_count("b.X") == 1 && dlog_count("") == 4, "dlog_count: entries by prefix");
    ok(dlog_entry(1, entry, sizeof(entry)) && !strcmp(entry, "a.Y") && !dlog_entry(4, entry, sizeof(entry)),
            "dlog_entry copies one entry");
    dlog_enable(FALSE);
    dlog_add("c");
    dlog_enable(TRUE);
    ok(dlog_size() == 4 && dlog_find("c", 0) < 0, "dlog_enable(FALSE): nothing is recorded");
    dlog_clear();
}

static void test_faults(void)
{
    struct dsource_desc sd = source_desc(1, 1, TRUE);
    IMFMediaSource *source;
    struct dsource *src;
    HRESULT hr[5];
    DWORD flags;
    unsigned k;

    dfault_reset();
    ok_hr(S_OK, dsource_create(&sd, &src));
    source = dsource_iface(src);
    ok(dfault_calls() == 0, "creating a double makes no switchable call");
    dfault_set(DCALL_SOURCE_GET_CHARACTERISTICS, CUSTOM_HR);
    hr[0] = IMFMediaSource_GetCharacteristics(source, &flags);
    hr[1] = IMFMediaSource_GetCharacteristics(source, &flags);
    ok(hr[0] == CUSTOM_HR && hr[1] == CUSTOM_HR, "dfault_set: every such call fails with the HRESULT");
    dfault_set(DCALL_SOURCE_GET_CHARACTERISTICS, S_OK);
    ok_hr(S_OK, IMFMediaSource_GetCharacteristics(source, &flags));
    ok(dfault_calls() == 3, "dfault_calls counts switchable calls (%ld)", dfault_calls());
    dfault_reset();
    ok(dfault_calls() == 0, "dfault_reset zeroes the count");
    dfault_fail_nth(3, E_FAIL);
    for (k = 0; k < 5; ++k) hr[k] = IMFMediaSource_GetCharacteristics(source, &flags);
    ok(hr[0] == S_OK && hr[1] == S_OK && hr[2] == E_FAIL && hr[3] == S_OK && hr[4] == S_OK,
            "dfault_fail_nth(3): the third call fails, once");
    dfault_fail_nth(1, CUSTOM_HR);
    ok_hr(CUSTOM_HR, IMFMediaSource_Stop(source));
    ok_hr(S_OK, IMFMediaSource_Stop(source));
    ok(dfault_calls() == 7, "the count spans every kind of call (%ld)", dfault_calls());
    dfault_reset();
    dsource_release(src);
}

/* ---- the source ----------------------------------------------------------------- */

static IMFSample *sample_of(IMFMediaEvent *event)
{
    IMFSample *sample = NULL;
    PROPVARIANT value;

    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    if (value.vt == VT_UNKNOWN) IUnknown_QueryInterface(value.punkVal, &IID_IMFSample, (void **)&sample);
    PropVariantClear(&value);
    return sample;
}

static void expect_sample_(const char *file, int line, IMFMediaStream *stream, LONGLONG time)
{
    IMFMediaEvent *event;
    IMFSample *sample;
    LONGLONG t = -1;

    if (!expect_event_(file, line, stream, MEMediaSample, TEST_TIMEOUT, &event)) return;
    if ((sample = sample_of(event)))
    {
        IMFSample_GetSampleTime(sample, &t);
        IMFSample_Release(sample);
    }
    harness_set_location(file, line);
    harness_ok(t == time, "sample time %lld (got %lld)", (long long)time, (long long)t);
    IMFMediaEvent_Release(event);
}
#define expect_sample(s, t) expect_sample_(__FILE__, __LINE__, s, t)

/* The source event must be `type` with the given value (-2: VT_EMPTY) and actual start. */
static void expect_source_event_(const char *file, int line, IMFMediaSource *source, MediaEventType type,
        LONGLONG value, LONGLONG start)
{
    IMFMediaEvent *event;
    LONGLONG v;
    VARTYPE vt;

    if (!expect_event_(file, line, source, type, TEST_TIMEOUT, &event)) return;
    v = event_i8(event, &vt);
    harness_set_location(file, line);
    harness_ok(value == -2 ? vt == VT_EMPTY : vt == VT_I8 && v == value, "%s value %lld (vt %u, %lld)",
            event_name(type), (long long)value, vt, (long long)v);
    harness_set_location(file, line);
    harness_ok(actual_start(event) == start, "MF_EVENT_SOURCE_ACTUAL_START %lld (got %lld)",
            (long long)start, (long long)actual_start(event));
    IMFMediaEvent_Release(event);
}
#define expect_source_event(s, t, v, a) expect_source_event_(__FILE__, __LINE__, s, t, v, a)

static void expect_stream_event(IMFMediaSource *source, MediaEventType type, IMFMediaStream *stream)
{
    IMFMediaEvent *event;
    PROPVARIANT value;

    if (!expect_event(source, type, TEST_TIMEOUT, &event)) return;
    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    ok(value.vt == VT_UNKNOWN && value.punkVal == (IUnknown *)stream, "%s carries the stream", event_name(type));
    PropVariantClear(&value);
    IMFMediaEvent_Release(event);
}

static void test_source_start_stop(void)
{
    struct dsource_desc sd = source_desc(3, 4, TRUE);
    IMFStreamDescriptor *stream_desc;
    IMFMediaTypeHandler *handler;
    IMFPresentationDescriptor *pd;
    IMFMediaSource *source, *got;
    IMFMediaStream *s0, *s1, *s2;
    struct dsource *src, *stuck;
    IMFMediaEvent *event;
    IMFMediaType *type;
    PROPVARIANT pos;
    DWORD count, flags;
    UINT64 duration;
    BOOL selected;
    GUID subtype;
    VARTYPE vt;

    sd.deselect_stream1 = TRUE;
    sd.can_pause = sd.seekable = FALSE;
    ok_hr(S_OK, dsource_create(&sd, &src));
    source = dsource_iface(src);
    s0 = dsource_stream(src, 0);
    s1 = dsource_stream(src, 1);
    s2 = dsource_stream(src, 2);
    dlog_clear();

    ok_hr(S_OK, IMFMediaSource_GetCharacteristics(source, &flags));
    ok(flags == 0, "characteristics follow seekable/can_pause (%#lx)", flags);
    ok_hr(S_OK, IMFMediaSource_CreatePresentationDescriptor(source, &pd));
    ok(pd != dsource_pd(src), "CreatePresentationDescriptor hands out a clone");
    ok_hr(S_OK, IMFPresentationDescriptor_GetUINT64(pd, &MF_PD_DURATION, &duration));
    ok(duration == 4 * DUR, "MF_PD_DURATION = samples * duration");
    IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count);
    ok(count == 3, "three stream descriptors");
    IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, 1, &selected, &stream_desc);
    ok(!selected, "deselect_stream1: stream 1 is deselected");
    IMFStreamDescriptor_GetMediaTypeHandler(stream_desc, &handler);
    ok_hr(S_OK, IMFMediaTypeHandler_GetCurrentMediaType(handler, &type));
    ok(SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype)) && IsEqualGUID(&subtype, &MFAudioFormat_PCM),
            "the streams' type is PCM");
    IMFMediaType_Release(type);
    IMFMediaTypeHandler_Release(handler);
    IMFStreamDescriptor_Release(stream_desc);

    ok_hr(MF_E_MEDIA_SOURCE_WRONGSTATE, IMFMediaStream_RequestSample(s0, NULL));
    pos = i8(5 * DUR);
    ok_hr(MF_E_INVALID_POSITION, IMFMediaSource_Start(source, pd, NULL, &pos));
    pos = i8(0);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_stream_event(source, MENewStream, s0);
    expect_stream_event(source, MENewStream, s2);
    expect_source_event(source, MESourceStarted, 0, 0);
    if (expect_event(s0, MEStreamStarted, 0, &event))
    {
        ok(event_i8(event, &vt) == 0 && vt == VT_I8, "MEStreamStarted carries the start time");
        IMFMediaEvent_Release(event);
    }
    expect_event(s2, MEStreamStarted, 0, NULL);
    expect_no_event(s1, 0);
    ok_hr(MF_E_MEDIA_SOURCE_WRONGSTATE, IMFMediaStream_RequestSample(s1, NULL));
    ok_hr(MF_E_INVALID_STATE_TRANSITION, IMFMediaSource_Pause(source));
    pos = i8(DUR);
    ok_hr(MF_E_INVALIDREQUEST, IMFMediaSource_Start(source, pd, NULL, &pos));
    PropVariantInit(&pos);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_stream_event(source, MEUpdatedStream, s0);
    expect_stream_event(source, MEUpdatedStream, s2);
    expect_source_event(source, MESourceStarted, -2, 0);
    expect_event(s0, MEStreamStarted, 0, NULL);
    expect_event(s2, MEStreamStarted, 0, NULL);

    ok_hr(S_OK, IMFMediaStream_GetMediaSource(s0, &got));
    ok(got == source && dsource_refcount(src) == 2, "GetMediaSource: the source, AddRef'd");
    IMFMediaSource_Release(got);

    ok_hr(S_OK, IMFMediaSource_Stop(source));
    expect_event(source, MESourceStopped, 0, NULL);
    expect_event(s0, MEStreamStopped, 0, NULL);
    expect_event(s2, MEStreamStopped, 0, NULL);
    ok_hr(MF_E_MEDIA_SOURCE_WRONGSTATE, IMFMediaStream_RequestSample(s0, NULL));
    ok(dlog_find("src.Start(0)", 0) >= 0 && dlog_find("src.Start(current)", 0) > 0 && dlog_find("src.Pause", 0) > 0
            && dlog_find("src.Stop", 0) > 0, "log: Start(0), Start(current), Pause, Stop");

    ok_hr(S_OK, IMFMediaSource_Shutdown(source));
    ok(dsource_is_shut_down(src), "shut down");
    ok_hr(MF_E_SHUTDOWN, IMFMediaSource_Shutdown(source));
    ok_hr(MF_E_SHUTDOWN, IMFMediaSource_Start(source, pd, NULL, &pos));
    ok_hr(MF_E_SHUTDOWN, IMFMediaSource_Stop(source));
    ok_hr(MF_E_SHUTDOWN, IMFMediaSource_GetCharacteristics(source, &flags));
    ok_hr(MF_E_SHUTDOWN, IMFMediaStream_RequestSample(s0, NULL));
    ok_hr(MF_E_SHUTDOWN, IMFMediaSource_GetEvent(source, MF_EVENT_FLAG_NO_WAIT, &event));
    ok_hr(MF_E_SHUTDOWN, IMFMediaStream_GetEvent(s0, MF_EVENT_FLAG_NO_WAIT, &event));
    IMFPresentationDescriptor_Release(pd);
    ok(dsource_refcount(src) == 1 && dsource_stream_refcount(src, 0) == 1 && dsource_stream_refcount(src, 2) == 1,
            "refcounts back to 1 (%ld, %ld)", dsource_refcount(src), dsource_stream_refcount(src, 0));
    dsource_release(src);

    sd.never_answer_start = TRUE;
    ok_hr(S_OK, dsource_create(&sd, &stuck));
    ok_hr(S_OK, IMFMediaSource_CreatePresentationDescriptor(dsource_iface(stuck), &pd));
    pos = i8(0);
    ok_hr(S_OK, IMFMediaSource_Start(dsource_iface(stuck), pd, NULL, &pos));
    expect_no_event(dsource_iface(stuck), 100);
    IMFPresentationDescriptor_Release(pd);
    IMFMediaSource_Shutdown(dsource_iface(stuck));
    dsource_release(stuck);
}

static void test_source_seek_pause(void)
{
    struct dsource_desc sd = source_desc(1, 10, TRUE);
    IMFPresentationDescriptor *pd;
    IMFMediaSource *source;
    IMFMediaStream *s0;
    IMFMediaEvent *event;
    struct dsource *src;
    PROPVARIANT pos;
    VARTYPE vt;

    ok_hr(S_OK, dsource_create(&sd, &src));
    source = dsource_iface(src);
    s0 = dsource_stream(src, 0);
    ok_hr(S_OK, IMFMediaSource_CreatePresentationDescriptor(source, &pd));
    pos = i8(0);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_event(source, MENewStream, 0, NULL);
    expect_source_event(source, MESourceStarted, 0, 0);
    expect_event(s0, MEStreamStarted, 0, NULL);
    ok_hr(S_OK, IMFMediaStream_RequestSample(s0, NULL));
    expect_sample(s0, 0);

    ok_hr(S_OK, IMFMediaSource_Pause(source));
    expect_event(source, MESourcePaused, 0, NULL);
    expect_event(s0, MEStreamPaused, 0, NULL);
    ok_hr(S_OK, IMFMediaStream_RequestSample(s0, NULL));
    expect_no_event(s0, 0);
    PropVariantInit(&pos);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_event(source, MEUpdatedStream, 0, NULL);
    expect_source_event(source, MESourceStarted, -2, DUR);
    expect_event(s0, MEStreamStarted, 0, NULL);
    expect_sample(s0, DUR); /* the request made while paused */

    pos = i8(2 * DUR + DUR / 2);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_event(source, MEUpdatedStream, 0, NULL);
    expect_source_event(source, MESourceSeeked, 2 * DUR, 2 * DUR);
    if (expect_event(s0, MEStreamSeeked, 0, &event))
    {
        ok(event_i8(event, &vt) == 2 * DUR, "MEStreamSeeked carries the start, on a sample boundary");
        IMFMediaEvent_Release(event);
    }
    ok_hr(S_OK, IMFMediaStream_RequestSample(s0, NULL));
    expect_sample(s0, 2 * DUR);

    ok_hr(S_OK, IMFMediaSource_Pause(source));
    expect_event(source, MESourcePaused, 0, NULL);
    expect_event(s0, MEStreamPaused, 0, NULL);
    pos = i8(7 * DUR);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_event(source, MEUpdatedStream, 0, NULL);
    expect_source_event(source, MESourceSeeked, 7 * DUR, 7 * DUR);
    expect_event(s0, MEStreamSeeked, 0, NULL);
    ok_hr(S_OK, IMFMediaStream_RequestSample(s0, NULL));
    expect_sample(s0, 7 * DUR);

    ok_hr(S_OK, IMFMediaSource_Stop(source));
    PropVariantInit(&pos);
    ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
    expect_event(source, MESourceStopped, 0, NULL);
    expect_event(source, MEUpdatedStream, 0, NULL);
    expect_source_event(source, MESourceStarted, 0, 0);
    ok_hr(S_OK, IMFMediaSource_Shutdown(source));
    IMFPresentationDescriptor_Release(pd);
    ok(dsource_refcount(src) == 1, "refcount back to 1");
    dsource_release(src);
}

static void test_source_end_of_stream(void)
{
    struct dsource_desc sd;
    IMFPresentationDescriptor *pd;
    IMFMediaSource *source;
    IMFMediaStream *s;
    struct dsource *src;
    PROPVARIANT pos = i8(0);
    unsigned i, eager;

    for (eager = 0; eager < 2; ++eager)
    {
        diag("%s end of stream", eager ? "eager" : "lazy");
        sd = source_desc(2, 2, eager);
        ok_hr(S_OK, dsource_create(&sd, &src));
        source = dsource_iface(src);
        ok_hr(S_OK, IMFMediaSource_CreatePresentationDescriptor(source, &pd));
        ok_hr(S_OK, IMFMediaSource_Start(source, pd, NULL, &pos));
        expect_event(source, MENewStream, 0, NULL);
        expect_event(source, MENewStream, 0, NULL);
        expect_event(source, MESourceStarted, 0, NULL);
        for (i = 0; i < 2; ++i)
        {
            s = dsource_stream(src, i);
            expect_event(s, MEStreamStarted, 0, NULL);
            ok_hr(S_OK, IMFMediaStream_RequestSample(s, NULL));
            ok_hr(S_OK, IMFMediaStream_RequestSample(s, NULL));
            expect_sample(s, 0);
            expect_sample(s, DUR);
            if (eager)
                expect_event(s, MEEndOfStream, 0, NULL); /* before anyone asks for more */
            else
            {
                expect_no_event(s, 0);
                ok_hr(S_OK, IMFMediaStream_RequestSample(s, NULL));
                expect_event(s, MEEndOfStream, 0, NULL);
            }
            ok_hr(MF_E_END_OF_STREAM, IMFMediaStream_RequestSample(s, NULL));
            if (!i) expect_no_event(source, 0);
        }
        expect_event(source, MEEndOfPresentation, 0, NULL);
        ok_hr(S_OK, IMFMediaSource_Shutdown(source));
        IMFPresentationDescriptor_Release(pd);
        ok(dsource_refcount(src) == 1, "refcount back to 1");
        dsource_release(src);
    }
}

static void test_source_rate(void)
{
    struct dsource_desc sd = source_desc(1, 1, TRUE);
    IMFRateSupport *support;
    IMFRateControl *control;
    IMFGetService *service;
    IMFMediaEvent *event;
    struct dsource *src;
    PROPVARIANT value;
    float rate;
    BOOL thin;

    sd.rate_support = TRUE;
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, MFGetService((IUnknown *)dsource_iface(src), &MF_RATE_CONTROL_SERVICE, &IID_IMFRateSupport,
            (void **)&support));
    ok_hr(S_OK, IMFRateSupport_GetFastestRate(support, MFRATE_FORWARD, FALSE, &rate));
    ok(rate == 8.0f, "fastest forward rate 8");
    ok_hr(S_OK, IMFRateSupport_GetFastestRate(support, MFRATE_REVERSE, TRUE, &rate));
    ok(rate == -8.0f, "fastest reverse rate -8");
    ok_hr(MF_E_UNSUPPORTED_RATE, IMFRateSupport_IsRateSupported(support, FALSE, 9.0f, &rate));
    ok(rate == 8.0f, "nearest supported rate 8");
    ok_hr(S_OK, IMFRateSupport_IsRateSupported(support, TRUE, -2.0f, NULL));
    IMFRateSupport_Release(support);
    ok_hr(S_OK, MFGetService((IUnknown *)dsource_iface(src), &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl,
            (void **)&control));
    dlog_clear();
    ok_hr(S_OK, IMFRateControl_SetRate(control, FALSE, 2.0f));
    if (expect_event(dsource_iface(src), MESourceRateChanged, 0, &event))
    {
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(value.vt == VT_R4 && value.fltVal == 2.0f, "MESourceRateChanged carries the rate (VT_R4)");
        IMFMediaEvent_Release(event);
    }
    ok_hr(S_OK, IMFRateControl_GetRate(control, &thin, &rate));
    ok(rate == 2.0f && !thin, "GetRate: the rate set");
    ok(dlog_find("src.SetRate(2)", 0) == 0, "log: src.SetRate(2)");
    IMFRateControl_Release(control);
    ok_hr(S_OK, IMFMediaSource_QueryInterface(dsource_iface(src), &IID_IMFGetService, (void **)&service));
    ok_hr(MF_E_UNSUPPORTED_SERVICE, IMFGetService_GetService(service, &GUID_NULL, &IID_IUnknown,
            (void **)&control));
    IMFGetService_Release(service);
    IMFMediaSource_Shutdown(dsource_iface(src));
    ok(dsource_refcount(src) == 1, "refcount back to 1");
    dsource_release(src);

    sd.rate_support = FALSE;
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(E_NOINTERFACE, IMFMediaSource_QueryInterface(dsource_iface(src), &IID_IMFGetService, (void **)&service));
    dsource_release(src);
}

static BOOL is_pcm(IMFMediaType *type)
{
    GUID subtype;
    return SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype)) && IsEqualGUID(&subtype, &MFAudioFormat_PCM);
}

/* ---- transforms ------------------------------------------------------------------ */

static IMFSample *make_sample(LONGLONG time, LONGLONG duration, BYTE fill, DWORD bytes)
{
    IMFMediaBuffer *buffer;
    IMFSample *sample;
    BYTE *data;

    MFCreateSample(&sample);
    MFCreateMemoryBuffer(bytes, &buffer);
    IMFMediaBuffer_Lock(buffer, &data, NULL, NULL);
    memset(data, fill, bytes);
    IMFMediaBuffer_Unlock(buffer);
    IMFMediaBuffer_SetCurrentLength(buffer, bytes);
    IMFSample_AddBuffer(sample, buffer);
    IMFMediaBuffer_Release(buffer);
    IMFSample_SetSampleTime(sample, time);
    IMFSample_SetSampleDuration(sample, duration);
    return sample;
}

/* ProcessOutput into a caller-allocated sample; checks time, duration and bytes. */
static void expect_output_(const char *file, int line, IMFTransform *mft, LONGLONG time, LONGLONG duration,
        const BYTE *bytes, DWORD length)
{
    IMFSample *sample = make_sample(-1, -1, 0, DMFT_OUTPUT_BYTES);
    MFT_OUTPUT_DATA_BUFFER out = {0};
    IMFMediaBuffer *buffer;
    LONGLONG t = -1, d = -1;
    DWORD status, len = 0;
    BOOL same = FALSE;
    BYTE *data;
    HRESULT hr;

    out.pSample = sample;
    hr = IMFTransform_ProcessOutput(mft, 0, 1, &out, &status);
    IMFSample_GetSampleTime(sample, &t);
    IMFSample_GetSampleDuration(sample, &d);
    if (SUCCEEDED(IMFSample_GetBufferByIndex(sample, 0, &buffer)))
    {
        IMFMediaBuffer_Lock(buffer, &data, NULL, &len);
        same = len == length && !memcmp(data, bytes, length);
        IMFMediaBuffer_Unlock(buffer);
        IMFMediaBuffer_Release(buffer);
    }
    harness_set_location(file, line);
    harness_ok(hr == S_OK && t == time && d == duration && same,
            "2:1 output: hr %#lx, time %lld (%lld), duration %lld (%lld), %lu bytes as expected: %d",
            hr, (long long)t, (long long)time, (long long)d, (long long)duration, len, same);
    IMFSample_Release(sample);
}
#define expect_output(m, t, d, b, l) expect_output_(__FILE__, __LINE__, m, t, d, b, l)

static HRESULT process_output_null(IMFTransform *mft, IMFSample **sample)
{
    MFT_OUTPUT_DATA_BUFFER out = {0};
    DWORD status;
    HRESULT hr = IMFTransform_ProcessOutput(mft, 0, 1, &out, &status);
    *sample = out.pSample;
    return hr;
}

static void test_mft_units(void)
{
    static const BYTE first[] = {1, 1, 2, 2}, last[] = {3, 3};
    IMFSample *a = make_sample(0, DUR, 1, 2), *b = make_sample(DUR, DUR, 2, 2), *c = make_sample(2 * DUR, DUR, 3, 2);
    MFT_OUTPUT_DATA_BUFFER buffer = {0};
    MFT_OUTPUT_STREAM_INFO info;
    IMFMediaType *type;
    IMFTransform *mft;
    IMFSample *out;
    DWORD flags;

    dlog_clear();
    ok_hr(S_OK, dmft_create_named(DMFT_PASSTHROUGH, "pt", &mft));
    ok_hr(S_OK, IMFTransform_GetOutputStreamInfo(mft, 0, &info));
    ok(info.dwFlags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES, "pass-through provides its output samples");
    ok_hr(S_OK, IMFTransform_GetInputCurrentType(mft, 0, &type));
    IMFMediaType_Release(type);
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, process_output_null(mft, &out));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, a, 0));
    ok_hr(S_OK, IMFTransform_GetOutputStatus(mft, &flags));
    ok(flags == MFT_OUTPUT_STATUS_SAMPLE_READY, "output ready after one input");
    ok_hr(MF_E_NOTACCEPTING, IMFTransform_ProcessInput(mft, 0, b, 0));
    ok_hr(S_OK, process_output_null(mft, &out));
    ok(out == a, "pass-through hands the input sample out");
    if (out) IMFSample_Release(out);
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, b, 0));
    ok_hr(S_OK, IMFTransform_ProcessMessage(mft, MFT_MESSAGE_COMMAND_FLUSH, 0));
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, process_output_null(mft, &out));
    ok(get_refcount(b) == 1, "FLUSH drops the held sample");
    ok(dlog_find("pt.ProcessInput(t=0)", 0) >= 0 && dlog_find("pt.ProcessOutput(t=0)", 0) > 0
            && dlog_find("pt.ProcessMessage(FLUSH)", 0) > 0, "log: ProcessInput, ProcessOutput, ProcessMessage(FLUSH)");
    ok(dmft_refcount(mft) == 1, "refcount 1");
    IMFTransform_Release(mft);

    ok_hr(S_OK, dmft_create(DMFT_TWO_TO_ONE, &mft));
    ok_hr(S_OK, IMFTransform_GetOutputStreamInfo(mft, 0, &info));
    ok(!(info.dwFlags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES) && info.cbSize == DMFT_OUTPUT_BYTES,
            "2:1: the caller allocates DMFT_OUTPUT_BYTES");
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, a, 0));
    ok_hr(S_OK, IMFTransform_GetOutputStatus(mft, &flags));
    ok(!flags, "no output after one input");
    buffer.pSample = c;
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, IMFTransform_ProcessOutput(mft, 0, 1, &buffer, &flags));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, b, 0));
    ok_hr(MF_E_NOTACCEPTING, IMFTransform_ProcessInput(mft, 0, c, 0));
    ok_hr(E_INVALIDARG, process_output_null(mft, &out));
    expect_output(mft, 0, 2 * DUR, first, sizeof(first));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, c, 0));
    ok_hr(S_OK, IMFTransform_ProcessMessage(mft, MFT_MESSAGE_COMMAND_DRAIN, 0));
    ok_hr(MF_E_NOTACCEPTING, IMFTransform_ProcessInput(mft, 0, a, 0));
    expect_output(mft, 2 * DUR, DUR, last, sizeof(last));
    buffer.pSample = a;
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, IMFTransform_ProcessOutput(mft, 0, 1, &buffer, &flags));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, a, 0)); /* the drain is over */
    MFCreateMediaType(&type);
    ok_hr(MF_E_INVALIDMEDIATYPE, IMFTransform_SetInputType(mft, 0, type, 0));
    IMFMediaType_Release(type);
    ok(dlog_find("mft0.ProcessMessage(DRAIN)", 0) >= 0, "log: the first unnamed transform is mft0");
    IMFTransform_Release(mft);
    ok(get_refcount(a) == 1 && get_refcount(b) == 1 && get_refcount(c) == 1, "transforms release their inputs");
    IMFSample_Release(a);
    IMFSample_Release(b);
    IMFSample_Release(c);
}

/* ---- the sink -------------------------------------------------------------------- */

static void test_sink_basics(void)
{
    struct dsink_desc kd = sink_desc(2);
    IMFStreamSink *ss0, *ss1, *got;
    IMFMediaTypeHandler *handler;
    IMFPresentationClock *clock, *got_clock;
    IMFMediaSink *sink, *got_sink;
    PROPVARIANT context;
    IMFMediaEvent *event;
    IMFSample *sample;
    IMFMediaType *type;
    struct dsink *k;
    DWORD flags, id;
    LONG rc;
    void *unk;

    kd.fixed_streams = TRUE;
    kd.request_depth = 3;
    ok_hr(S_OK, dsink_create(&kd, &k));
    sink = dsink_iface(k);
    ss0 = dsink_stream(k, 0);
    ss1 = dsink_stream(k, 1);
    dlog_clear();
    ok_hr(S_OK, IMFMediaSink_GetCharacteristics(sink, &flags));
    ok(flags == (MEDIASINK_RATELESS | MEDIASINK_FIXED_STREAMS), "characteristics follow the description (%#lx)", flags);
    ok_hr(S_OK, IMFMediaSink_GetStreamSinkCount(sink, &id));
    ok(id == 2, "two stream sinks");
    ok_hr(S_OK, IMFMediaSink_GetStreamSinkById(sink, 1, &got));
    ok(got == ss1, "GetStreamSinkById(1)");
    IMFStreamSink_Release(got);
    ok_hr(MF_E_INVALIDSTREAMNUMBER, IMFMediaSink_GetStreamSinkById(sink, 5, &got));
    ok_hr(MF_E_INVALIDINDEX, IMFMediaSink_GetStreamSinkByIndex(sink, 2, &got));
    ok_hr(MF_E_STREAMSINKS_FIXED, IMFMediaSink_AddStreamSink(sink, 5, NULL, &got));
    ok_hr(MF_E_STREAMSINKS_FIXED, IMFMediaSink_RemoveStreamSink(sink, 0));
    ok_hr(S_OK, IMFStreamSink_GetIdentifier(ss1, &id));
    ok(id == 1, "identifier 1");
    ok_hr(S_OK, IMFStreamSink_GetMediaSink(ss0, &got_sink));
    ok(got_sink == sink, "GetMediaSink");
    IMFMediaSink_Release(got_sink);
    ok_hr(S_OK, IMFStreamSink_GetMediaTypeHandler(ss0, &handler));
    ok_hr(S_OK, IMFMediaTypeHandler_GetCurrentMediaType(handler, &type));
    ok(is_pcm(type), "the stream sink starts with the source's PCM type");
    IMFMediaType_Release(type);
    MFCreateMediaType(&type);
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Video);
    ok_hr(MF_E_INVALIDMEDIATYPE, IMFMediaTypeHandler_IsMediaTypeSupported(handler, type, NULL));
    IMFMediaType_Release(type);
    IMFMediaTypeHandler_Release(handler);
    ok_hr(E_NOINTERFACE, IMFMediaSink_QueryInterface(sink, &IID_IMFMediaSinkPreroll, &unk));
    ok_hr(E_NOINTERFACE, IMFMediaSink_QueryInterface(sink, &IID_IMFFinalizableMediaSink, &unk));
    ok_hr(E_NOINTERFACE, IMFMediaSink_QueryInterface(sink, &IID_IMFPresentationTimeSource, &unk));

    sample = make_sample(0, DUR, 0, 4);
    ok_hr(S_OK, IMFStreamSink_ProcessSample(ss0, sample));
    ok(!dsink_received(k, 0) && dsink_dropped(k, 0) == 1, "stopped, nothing requested: the sample is ignored");
    clock = create_clock();
    rc = dsink_refcount(k);
    ok_hr(S_OK, IMFMediaSink_SetPresentationClock(sink, clock));
    ok(dsink_refcount(k) == rc + 1, "the clock holds the sink (%ld)", dsink_refcount(k));
    ok_hr(S_OK, IMFMediaSink_GetPresentationClock(sink, &got_clock));
    ok(got_clock == clock, "GetPresentationClock");
    IMFPresentationClock_Release(got_clock);
    ok_hr(S_OK, IMFPresentationClock_Start(clock, 0));
    expect_event(ss0, MEStreamSinkStarted, TEST_TIMEOUT, NULL);
    expect_event(ss0, MEStreamSinkRequestSample, 0, NULL);
    expect_event(ss0, MEStreamSinkRequestSample, 0, NULL);
    expect_event(ss0, MEStreamSinkRequestSample, 0, NULL);
    expect_no_event(ss0, 50);
    ok_hr(S_OK, IMFStreamSink_ProcessSample(ss0, sample));
    expect_event(ss0, MEStreamSinkRequestSample, 0, NULL);
    expect_no_event(ss0, 0);
    ok(dsink_received(k, 0) == 1 && dsink_sample_time(k, 0, 0) == 0 && dsink_sample_duration(k, 0, 0) == DUR,
            "the sample is recorded");
    PropVariantInit(&context);
    context.vt = VT_UI4;
    context.ulVal = 7;
    ok_hr(S_OK, IMFStreamSink_PlaceMarker(ss0, MFSTREAMSINK_MARKER_ENDOFSEGMENT, NULL, &context));
    if (expect_event(ss0, MEStreamSinkMarker, 0, &event))
    {
        IMFMediaEvent_GetValue(event, &context);
        ok(context.vt == VT_UI4 && context.ulVal == 7, "MEStreamSinkMarker carries the context value");
        IMFMediaEvent_Release(event);
    }
    ok(dsink_markers(k, 0) == 1, "one end-of-segment marker");
    ok(WaitForSingleObject(dsink_done_event(k), 0) == WAIT_TIMEOUT, "not done while ss1 has no marker");
    ok_hr(S_OK, IMFStreamSink_PlaceMarker(ss0, MFSTREAMSINK_MARKER_DEFAULT, NULL, NULL));
    if (expect_event(ss0, MEStreamSinkMarker, 0, &event))
    {
        IMFMediaEvent_GetValue(event, &context);
        ok(context.vt == VT_EMPTY, "no context: VT_EMPTY");
        IMFMediaEvent_Release(event);
    }
    ok(dsink_markers(k, 0) == 1, "other markers are not end-of-segment markers");
    ok_hr(S_OK, IMFStreamSink_PlaceMarker(ss1, MFSTREAMSINK_MARKER_ENDOFSEGMENT, NULL, NULL));
    ok(WaitForSingleObject(dsink_done_event(k), 0) == WAIT_OBJECT_0, "done once every stream sink got its marker");
    ok_hr(S_OK, IMFStreamSink_Flush(ss0));
    ok_hr(S_OK, IMFPresentationClock_Pause(clock));
    expect_event(ss0, MEStreamSinkPaused, TEST_TIMEOUT, NULL);
    ok_hr(S_OK, IMFPresentationClock_Start(clock, PRESENTATION_CURRENT_POSITION));
    expect_event(ss0, MEStreamSinkStarted, TEST_TIMEOUT, NULL);
    expect_no_event(ss0, 50); /* three requests are still outstanding */
    ok_hr(S_OK, IMFPresentationClock_Stop(clock));
    expect_event(ss0, MEStreamSinkStopped, TEST_TIMEOUT, NULL);
    ok(dlog_find("sink.SetPresentationClock", 0) >= 0 && dlog_find("sink.OnClockStart(0)", 0) > 0
            && dlog_find("ss0.ProcessSample(t=0)", 0) > 0 && dlog_find("ss0.PlaceMarker(ENDOFSEGMENT)", 0) > 0
            && dlog_find("ss0.Flush", 0) > 0 && dlog_find("sink.OnClockPause", 0) > 0
            && dlog_find("sink.OnClockRestart", 0) > 0 && dlog_find("sink.OnClockStop", 0) > 0,
            "log: clock, samples, markers, flush");
    ok_hr(S_OK, IMFMediaSink_SetPresentationClock(sink, NULL));
    ok(settle(sink_rc, k, rc) == rc, "SetPresentationClock(NULL) leaves the clock (%ld)", dsink_refcount(k));
    dsink_reset_counts(k);
    ok(!dsink_received(k, 0) && !dsink_markers(k, 0) && WaitForSingleObject(dsink_done_event(k), 0) == WAIT_TIMEOUT,
            "dsink_reset_counts");
    dsink_set_target(k, 1);
    ok(WaitForSingleObject(dsink_done_event(k), 0) == WAIT_TIMEOUT, "target not reached");

    ok_hr(S_OK, IMFMediaSink_Shutdown(sink));
    ok(dsink_is_shut_down(k), "shut down");
    ok_hr(MF_E_SHUTDOWN, IMFMediaSink_Shutdown(sink));
    ok_hr(MF_E_SHUTDOWN, IMFMediaSink_GetCharacteristics(sink, &flags));
    ok_hr(MF_E_SHUTDOWN, IMFStreamSink_ProcessSample(ss0, sample));
    ok_hr(MF_E_SHUTDOWN, IMFStreamSink_GetEvent(ss0, MF_EVENT_FLAG_NO_WAIT, &event));
    ok(dsink_refcount(k) == 1 && dsink_stream_refcount(k, 0) == 1, "refcounts back to 1");
    IMFSample_Release(sample);
    dsink_release(k);

    /* A stuck sink, and one whose stream sinks come and go.  (A fresh clock:
     * Wine's clock tells a sink added to a clock that has a state about that
     * state, asynchronously; the sink would answer with MEStreamSinkStopped.) */
    IMFPresentationClock_Release(clock);
    clock = create_clock();
    kd = sink_desc(1);
    kd.never_request = TRUE;
    ok_hr(S_OK, dsink_create(&kd, &k));
    ok_hr(S_OK, IMFMediaSink_SetPresentationClock(dsink_iface(k), clock));
    ok_hr(S_OK, IMFPresentationClock_Start(clock, 0));
    expect_event(dsink_stream(k, 0), MEStreamSinkStarted, TEST_TIMEOUT, NULL);
    expect_no_event(dsink_stream(k, 0), 50);
    ok_hr(S_OK, IMFPresentationClock_Stop(clock));
    expect_event(dsink_stream(k, 0), MEStreamSinkStopped, TEST_TIMEOUT, NULL);
    IMFMediaSink_Shutdown(dsink_iface(k));
    ok(settle(sink_rc, k, 1) == 1, "never_request sink: refcount back to 1");
    dsink_release(k);
    IMFPresentationClock_Release(clock);

    kd = sink_desc(0);
    kd.name = "dyn";
    ok_hr(S_OK, dsink_create(&kd, &k));
    dlog_clear();
    ok_hr(S_OK, IMFMediaSink_AddStreamSink(dsink_iface(k), 7, NULL, &got));
    ok(got == dsink_stream(k, 0), "AddStreamSink");
    ok_hr(MF_E_STREAMSINK_EXISTS, IMFMediaSink_AddStreamSink(dsink_iface(k), 7, NULL, &ss0));
    ok_hr(S_OK, IMFMediaSink_RemoveStreamSink(dsink_iface(k), 7));
    ok_hr(MF_E_STREAMSINK_REMOVED, IMFStreamSink_GetIdentifier(got, &id));
    ok_hr(MF_E_INVALIDSTREAMNUMBER, IMFMediaSink_RemoveStreamSink(dsink_iface(k), 7));
    ok(dlog_find("dyn.AddStreamSink(7)", 0) == 0 && dlog_find("dyn.RemoveStreamSink(7)", 0) > 0,
            "log: a named sink's entries");
    IMFStreamSink_Release(got);
    ok(dsink_refcount(k) == 1, "refcount 1");
    dsink_release(k);
}

struct finalize_callback
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    IMFFinalizableMediaSink *sink;
    HANDLE done;
    HRESULT hr;
};

static HRESULT WINAPI finalize_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct finalize_callback *cb = CONTAINING_RECORD(iface, struct finalize_callback, IMFAsyncCallback_iface);
    cb->hr = IMFFinalizableMediaSink_EndFinalize(cb->sink, result);
    SetEvent(cb->done);
    return S_OK;
}

static const IMFAsyncCallbackVtbl finalize_vtbl =
{
    null_cb_QueryInterface, null_cb_AddRef, null_cb_Release, null_cb_GetParameters, finalize_Invoke,
};

static void test_sink_preroll_finalize(void)
{
    struct dsink_desc kd = sink_desc(1);
    struct finalize_callback cb = {{&finalize_vtbl}};
    IMFMediaSinkPreroll *preroll;
    IMFStreamSink *ss0;
    IMFSample *sample;
    struct dsink *k;
    DWORD flags;

    kd.prerollable = kd.finalizable = TRUE;
    kd.rateless = FALSE;
    ok_hr(S_OK, dsink_create(&kd, &k));
    ss0 = dsink_stream(k, 0);
    ok_hr(S_OK, IMFMediaSink_GetCharacteristics(dsink_iface(k), &flags));
    ok(flags == MEDIASINK_CAN_PREROLL, "prerollable: MEDIASINK_CAN_PREROLL (%#lx)", flags);
    ok_hr(S_OK, IMFMediaSink_QueryInterface(dsink_iface(k), &IID_IMFMediaSinkPreroll, (void **)&preroll));
    ok_hr(S_OK, IMFMediaSinkPreroll_NotifyPreroll(preroll, 0));
    IMFMediaSinkPreroll_Release(preroll);
    expect_event(ss0, MEStreamSinkRequestSample, 0, NULL);
    sample = make_sample(0, DUR, 0, 4);
    ok_hr(S_OK, IMFStreamSink_ProcessSample(ss0, sample));
    expect_event(ss0, MEStreamSinkPrerolled, 0, NULL);
    expect_no_event(ss0, 0); /* the clock is not running: no new request */
    IMFSample_Release(sample);

    ok_hr(S_OK, IMFMediaSink_QueryInterface(dsink_iface(k), &IID_IMFFinalizableMediaSink, (void **)&cb.sink));
    cb.done = CreateEventW(NULL, FALSE, FALSE, NULL);
    cb.hr = E_FAIL;
    dlog_clear();
    ok_hr(S_OK, IMFFinalizableMediaSink_BeginFinalize(cb.sink, &cb.IMFAsyncCallback_iface, NULL));
    ok(wait_handle(cb.done, TEST_TIMEOUT, "finalize callback"), "BeginFinalize invokes the callback");
    ok_hr(S_OK, cb.hr);
    ok(dlog_find("sink.BeginFinalize", 0) == 0 && dlog_find("sink.EndFinalize", 0) == 1, "log: Begin/EndFinalize");
    dfault_set(DCALL_SINK_END_FINALIZE, CUSTOM_HR);
    ok_hr(S_OK, IMFFinalizableMediaSink_BeginFinalize(cb.sink, &cb.IMFAsyncCallback_iface, NULL));
    ok(wait_handle(cb.done, TEST_TIMEOUT, "finalize callback"), "BeginFinalize invokes the callback");
    ok_hr(CUSTOM_HR, cb.hr);
    dfault_reset();
    IMFFinalizableMediaSink_Release(cb.sink);
    CloseHandle(cb.done);
    ok_hr(S_OK, IMFMediaSink_Shutdown(dsink_iface(k)));
    ok(settle(sink_rc, k, 1) == 1, "refcount back to 1 (%ld)", dsink_refcount(k));
    dsink_release(k);
}

static void test_sink_time_source(void)
{
    struct dsink_desc kd = sink_desc(1);
    IMFClockStateSink *ts_state, *sink_state;
    IMFPresentationTimeSource *time_source;
    IMFPresentationClock *clock;
    MFTIME t1 = 0, t2 = 0;
    IUnknown *unk1, *unk2;
    struct dsink *k;

    kd.time_source = TRUE;
    kd.rateless = FALSE;
    ok_hr(S_OK, dsink_create(&kd, &k));
    ok_hr(S_OK, IMFMediaSink_QueryInterface(dsink_iface(k), &IID_IMFPresentationTimeSource, (void **)&time_source));
    IMFPresentationTimeSource_QueryInterface(time_source, &IID_IMFClockStateSink, (void **)&ts_state);
    IMFMediaSink_QueryInterface(dsink_iface(k), &IID_IMFClockStateSink, (void **)&sink_state);
    IMFClockStateSink_QueryInterface(ts_state, &IID_IUnknown, (void **)&unk1);
    IMFClockStateSink_QueryInterface(sink_state, &IID_IUnknown, (void **)&unk2);
    ok(ts_state != sink_state && unk1 == unk2 && unk1 == (IUnknown *)dsink_iface(k),
            "the time source's IMFClockStateSink is its own, the object is the same");
    IUnknown_Release(unk1);
    IUnknown_Release(unk2);
    IMFClockStateSink_Release(ts_state);
    ok_hr(S_OK, MFCreatePresentationClock(&clock));
    ok_hr(S_OK, IMFPresentationClock_SetTimeSource(clock, time_source));
    IMFPresentationTimeSource_Release(time_source);
    ok_hr(S_OK, IMFMediaSink_SetPresentationClock(dsink_iface(k), clock));
    dlog_clear();
    ok_hr(S_OK, IMFPresentationClock_Start(clock, 0));
    expect_event(dsink_stream(k, 0), MEStreamSinkStarted, TEST_TIMEOUT, NULL);
    expect_event(dsink_stream(k, 0), MEStreamSinkRequestSample, 0, NULL);
    expect_no_event(dsink_stream(k, 0), 100);
    ok(dlog_count("sink.OnClockStart") == 1, "time source and clock state sink: started once (%d)",
            dlog_count("sink.OnClockStart"));
    ok_hr(S_OK, IMFPresentationClock_GetTime(clock, &t1));
    Sleep(50);
    ok_hr(S_OK, IMFPresentationClock_GetTime(clock, &t2));
    ok(t2 > t1, "the sink's time source runs (%lld, %lld)", (long long)t1, (long long)t2);
    ok_hr(S_OK, IMFPresentationClock_Stop(clock));
    expect_event(dsink_stream(k, 0), MEStreamSinkStopped, TEST_TIMEOUT, NULL);
    ok_hr(S_OK, IMFClockStateSink_OnClockStop(sink_state, 0));
    expect_event(dsink_stream(k, 0), MEStreamSinkStopped, 0, NULL); /* every notification is answered */
    IMFClockStateSink_Release(sink_state);
    ok_hr(S_OK, IMFMediaSink_Shutdown(dsink_iface(k)));
    IMFPresentationClock_Release(clock);
    ok(settle(sink_rc, k, 1) == 1, "refcount back to 1 (%ld)", dsink_refcount(k));
    dsink_release(k);
}

static void test_activate(void)
{
    struct dsink_desc kd = sink_desc(1);
    IMFAttributes *attributes;
    IMFActivate *activate;
    IMFMediaSink *sink;
    struct dsink *k;
    UINT32 value;

    ok_hr(S_OK, dsink_create(&kd, &k));
    ok_hr(S_OK, dactivate_create(k, &activate));
    ok(dsink_refcount(k) == 2 && dactivate_refcount(activate) == 1, "the activate holds the sink");
    ok_hr(S_OK, IMFActivate_SetUINT32(activate, &MF_MT_AUDIO_NUM_CHANNELS, 5));
    ok_hr(S_OK, IMFActivate_GetUINT32(activate, &MF_MT_AUDIO_NUM_CHANNELS, &value));
    ok(value == 5, "attributes are stored");
    ok_hr(S_OK, IMFActivate_QueryInterface(activate, &IID_IMFAttributes, (void **)&attributes));
    ok((void *)attributes == (void *)activate, "IMFAttributes is the activate");
    IMFAttributes_Release(attributes);
    dlog_clear();
    ok_hr(S_OK, IMFActivate_ActivateObject(activate, &IID_IMFMediaSink, (void **)&sink));
    ok(sink == dsink_iface(k) && dsink_refcount(k) == 3, "ActivateObject: the sink, AddRef'd");
    IMFMediaSink_Release(sink);
    ok_hr(S_OK, IMFActivate_DetachObject(activate));
    ok(dsink_refcount(k) == 1, "DetachObject drops the held reference");
    ok_hr(S_OK, IMFActivate_ActivateObject(activate, &IID_IMFMediaSink, (void **)&sink));
    IMFMediaSink_Release(sink);
    ok(dsink_refcount(k) == 2, "activated again");
    ok_hr(S_OK, IMFActivate_ShutdownObject(activate));
    ok(dsink_is_shut_down(k) && dsink_refcount(k) == 1, "ShutdownObject shuts the sink down and drops it");
    ok_hr(MF_E_SHUTDOWN, IMFActivate_ActivateObject(activate, &IID_IMFMediaSink, (void **)&sink));
    ok(dlog_find("act.ActivateObject", 0) == 0 && dlog_find("act.DetachObject", 0) > 0
            && dlog_find("sink.Shutdown", dlog_find("act.ShutdownObject", 0)) > 0, "log: the activate's calls");
    ok(IMFActivate_Release(activate) == 0 && dsink_refcount(k) == 1, "released");
    dsink_release(k);
}

/* ---- topologies ------------------------------------------------------------------- */

static IMFTopologyNode *downstream(IMFTopologyNode *node)
{
    IMFTopologyNode *next = NULL;
    DWORD input;
    IMFTopologyNode_GetOutput(node, 0, &next, &input);
    return next;
}

static IUnknown *node_object(IMFTopologyNode *node)
{
    IUnknown *object = NULL;
    if (node) IMFTopologyNode_GetObject(node, &object);
    if (object) IUnknown_Release(object); /* the node still holds it */
    return object;
}

static void test_topology(void)
{
    struct dsource_desc sd = source_desc(2, 1, TRUE);
    struct dsink_desc kd = sink_desc(2);
    IMFTopologyNode *node, *next, *out;
    IMFTransform *mfts[2] = {NULL};
    MF_TOPOLOGY_TYPE type;
    IMFActivate *activate;
    IMFTopology *topology;
    IUnknown *unk;
    struct dsource *src;
    struct dsink *k;
    LONG calls;
    WORD count, i;
    UINT32 id;
    int log;

    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dsink_create(&kd, &k));
    ok_hr(S_OK, dmft_create(DMFT_PASSTHROUGH, &mfts[0]));
    calls = dfault_calls();
    log = dlog_size();
    ok_hr(S_OK, dtopology_build(src, k, mfts, NULL, &topology));
    ok(dfault_calls() == calls && dlog_size() == log, "building calls no method of the doubles");
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 5, "2 source nodes, 1 transform node, 2 output nodes (%u)", count);
    for (i = 0; i < count; ++i)
    {
        IMFTopology_GetNode(topology, i, &node);
        IMFTopologyNode_GetNodeType(node, &type);
        if (type == MF_TOPOLOGY_SOURCESTREAM_NODE)
        {
            IMFStreamDescriptor *stream_desc;
            DWORD stream;

            ok_hr(S_OK, IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_SOURCE, &IID_IUnknown, (void **)&unk));
            ok(unk == (IUnknown *)dsource_iface(src), "MF_TOPONODE_SOURCE is the source");
            IUnknown_Release(unk);
            ok_hr(S_OK, IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, &IID_IUnknown,
                    (void **)&unk));
            IUnknown_Release(unk);
            ok_hr(S_OK, IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, &IID_IMFStreamDescriptor,
                    (void **)&stream_desc));
            IMFStreamDescriptor_GetStreamIdentifier(stream_desc, &stream);
            IMFStreamDescriptor_Release(stream_desc);
            next = downstream(node);
            if (stream == 0)
            {
                ok(node_object(next) == (IUnknown *)mfts[0], "stream 0 goes through the transform");
                out = downstream(next);
                IMFTopologyNode_Release(next);
                next = out;
            }
            ok(node_object(next) == (IUnknown *)dsink_stream(k, stream), "stream %lu ends in stream sink %lu",
                    stream, stream);
            if (next) IMFTopologyNode_Release(next);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(topology);

    ok_hr(S_OK, dactivate_create(k, &activate));
    ok_hr(S_OK, dtopology_build(src, NULL, NULL, activate, &topology));
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 4, "without transforms: 4 nodes");
    for (i = 0; i < count; ++i)
    {
        IMFTopology_GetNode(topology, i, &node);
        IMFTopologyNode_GetNodeType(node, &type);
        if (type == MF_TOPOLOGY_OUTPUT_NODE)
        {
            ok(node_object(node) == (IUnknown *)activate, "the output node holds the activate");
            ok(SUCCEEDED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_STREAMID, &id)) && id < 2,
                    "MF_TOPONODE_STREAMID %u", id);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(topology);
    IMFActivate_Release(activate);
    ok(dsource_refcount(src) == 1 && dsink_refcount(k) == 1 && dmft_refcount(mfts[0]) == 1
            && dsink_stream_refcount(k, 0) == 1, "the topologies released everything");
    dsource_release(src);

    sd.deselect_stream1 = TRUE;
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dtopology_build(src, k, NULL, NULL, &topology));
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 2, "a deselected stream gets no branch (%u)", count);
    IMFTopology_Release(topology);
    dsource_release(src);
    dsink_release(k);
    IMFTransform_Release(mfts[0]);
}

/* ---- every fault switch ------------------------------------------------------------- */

struct fctx
{
    struct dsource *src;
    struct dsink *sink;
    IMFTransform *mft;
    IMFActivate *activate;
    IMFClockStateSink *clock_sink;
    IMFPresentationDescriptor *pd;
    IMFSample *sample;
};

typedef HRESULT (*fcall)(struct fctx *c);

static HRESULT f_src_create_pd(struct fctx *c)
{
    IMFPresentationDescriptor *pd = NULL;
    HRESULT hr = IMFMediaSource_CreatePresentationDescriptor(dsource_iface(c->src), &pd);
    if (pd) IMFPresentationDescriptor_Release(pd);
    return hr;
}
static HRESULT f_src_start(struct fctx *c)
{
    PROPVARIANT pos = i8(0);
    return IMFMediaSource_Start(dsource_iface(c->src), c->pd, NULL, &pos);
}
static HRESULT f_src_stop(struct fctx *c) { return IMFMediaSource_Stop(dsource_iface(c->src)); }
static HRESULT f_src_pause(struct fctx *c) { return IMFMediaSource_Pause(dsource_iface(c->src)); }
static HRESULT f_src_chars(struct fctx *c)
{
    DWORD flags;
    return IMFMediaSource_GetCharacteristics(dsource_iface(c->src), &flags);
}
static HRESULT f_src_begin(struct fctx *c) { return IMFMediaSource_BeginGetEvent(dsource_iface(c->src), &null_cb, NULL); }
static HRESULT f_src_shutdown(struct fctx *c) { return IMFMediaSource_Shutdown(dsource_iface(c->src)); }
static HRESULT f_src_rate(struct fctx *c)
{
    IMFRateControl *control;
    HRESULT hr = MFGetService((IUnknown *)dsource_iface(c->src), &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl,
            (void **)&control);
    if (FAILED(hr)) return S_FALSE;
    hr = IMFRateControl_SetRate(control, FALSE, 1.0f);
    IMFRateControl_Release(control);
    return hr;
}
static HRESULT f_stream_request(struct fctx *c) { return IMFMediaStream_RequestSample(dsource_stream(c->src, 0), NULL); }
static HRESULT f_stream_begin(struct fctx *c)
{
    return IMFMediaStream_BeginGetEvent(dsource_stream(c->src, 0), &null_cb, NULL);
}
static HRESULT f_mft_input(struct fctx *c) { return IMFTransform_ProcessInput(c->mft, 0, c->sample, 0); }
static HRESULT f_mft_output(struct fctx *c)
{
    MFT_OUTPUT_DATA_BUFFER out = {0};
    DWORD status;
    return IMFTransform_ProcessOutput(c->mft, 0, 1, &out, &status);
}
static HRESULT f_mft_message(struct fctx *c)
{
    return IMFTransform_ProcessMessage(c->mft, MFT_MESSAGE_NOTIFY_START_OF_STREAM, 0);
}
static HRESULT f_mft_in_type(struct fctx *c) { return IMFTransform_SetInputType(c->mft, 0, NULL, MFT_SET_TYPE_TEST_ONLY); }
static HRESULT f_mft_out_type(struct fctx *c) { return IMFTransform_SetOutputType(c->mft, 0, NULL, MFT_SET_TYPE_TEST_ONLY); }
static HRESULT f_sink_get_stream(struct fctx *c)
{
    IMFStreamSink *stream = NULL;
    HRESULT hr = IMFMediaSink_GetStreamSinkByIndex(dsink_iface(c->sink), 0, &stream);
    if (stream) IMFStreamSink_Release(stream);
    return hr;
}
static HRESULT f_sink_clock(struct fctx *c) { return IMFMediaSink_SetPresentationClock(dsink_iface(c->sink), NULL); }
static HRESULT f_sink_chars(struct fctx *c)
{
    DWORD flags;
    return IMFMediaSink_GetCharacteristics(dsink_iface(c->sink), &flags);
}
static HRESULT f_sink_shutdown(struct fctx *c) { return IMFMediaSink_Shutdown(dsink_iface(c->sink)); }
static HRESULT f_sink_finalize(struct fctx *c)
{
    IMFFinalizableMediaSink *sink;
    HRESULT hr = IMFMediaSink_QueryInterface(dsink_iface(c->sink), &IID_IMFFinalizableMediaSink, (void **)&sink);
    if (FAILED(hr)) return S_FALSE;
    hr = IMFFinalizableMediaSink_BeginFinalize(sink, &null_cb, NULL);
    IMFFinalizableMediaSink_Release(sink);
    return hr;
}
static HRESULT f_sink_end_finalize(struct fctx *c)
{
    IMFFinalizableMediaSink *sink;
    IMFAsyncResult *result;
    HRESULT hr = IMFMediaSink_QueryInterface(dsink_iface(c->sink), &IID_IMFFinalizableMediaSink, (void **)&sink);
    if (FAILED(hr)) return S_FALSE;
    MFCreateAsyncResult(NULL, &null_cb, NULL, &result);
    hr = IMFFinalizableMediaSink_EndFinalize(sink, result);
    IMFAsyncResult_Release(result);
    IMFFinalizableMediaSink_Release(sink);
    return hr;
}
static HRESULT f_sink_preroll(struct fctx *c)
{
    IMFMediaSinkPreroll *preroll;
    HRESULT hr = IMFMediaSink_QueryInterface(dsink_iface(c->sink), &IID_IMFMediaSinkPreroll, (void **)&preroll);
    if (FAILED(hr)) return S_FALSE;
    hr = IMFMediaSinkPreroll_NotifyPreroll(preroll, 0);
    IMFMediaSinkPreroll_Release(preroll);
    return hr;
}
static HRESULT f_sink_add(struct fctx *c)
{
    IMFStreamSink *stream = NULL;
    HRESULT hr = IMFMediaSink_AddStreamSink(dsink_iface(c->sink), 9, NULL, &stream);
    if (stream) IMFStreamSink_Release(stream);
    return hr;
}
static HRESULT f_sink_remove(struct fctx *c) { return IMFMediaSink_RemoveStreamSink(dsink_iface(c->sink), 9); }
static HRESULT f_ss_process(struct fctx *c) { return IMFStreamSink_ProcessSample(dsink_stream(c->sink, 0), c->sample); }
static HRESULT f_ss_marker(struct fctx *c)
{
    return IMFStreamSink_PlaceMarker(dsink_stream(c->sink, 0), MFSTREAMSINK_MARKER_DEFAULT, NULL, NULL);
}
static HRESULT f_ss_flush(struct fctx *c) { return IMFStreamSink_Flush(dsink_stream(c->sink, 0)); }
static HRESULT f_ss_handler(struct fctx *c)
{
    IMFMediaTypeHandler *handler = NULL;
    HRESULT hr = IMFStreamSink_GetMediaTypeHandler(dsink_stream(c->sink, 0), &handler);
    if (handler) IMFMediaTypeHandler_Release(handler);
    return hr;
}
static HRESULT f_ss_begin(struct fctx *c) { return IMFStreamSink_BeginGetEvent(dsink_stream(c->sink, 0), &null_cb, NULL); }
static HRESULT f_ss_type(struct fctx *c)
{
    IMFMediaTypeHandler *handler;
    IMFMediaType *type;
    HRESULT hr;

    if (FAILED(IMFStreamSink_QueryInterface(dsink_stream(c->sink, 0), &IID_IMFMediaTypeHandler, (void **)&handler)))
        return S_FALSE;
    dtype_create_pcm(&type);
    hr = IMFMediaTypeHandler_SetCurrentMediaType(handler, type);
    IMFMediaType_Release(type);
    IMFMediaTypeHandler_Release(handler);
    return hr;
}
static HRESULT f_clock_start(struct fctx *c) { return IMFClockStateSink_OnClockStart(c->clock_sink, 0, 0); }
static HRESULT f_clock_stop(struct fctx *c) { return IMFClockStateSink_OnClockStop(c->clock_sink, 0); }
static HRESULT f_clock_pause(struct fctx *c) { return IMFClockStateSink_OnClockPause(c->clock_sink, 0); }
static HRESULT f_clock_restart(struct fctx *c) { return IMFClockStateSink_OnClockRestart(c->clock_sink, 0); }
static HRESULT f_clock_rate(struct fctx *c) { return IMFClockStateSink_OnClockSetRate(c->clock_sink, 0, 1.0f); }
static HRESULT f_act_activate(struct fctx *c)
{
    IMFMediaSink *sink = NULL;
    HRESULT hr = IMFActivate_ActivateObject(c->activate, &IID_IMFMediaSink, (void **)&sink);
    if (sink) IMFMediaSink_Release(sink);
    return hr;
}
static HRESULT f_act_shutdown(struct fctx *c) { return IMFActivate_ShutdownObject(c->activate); }
static HRESULT f_act_detach(struct fctx *c) { return IMFActivate_DetachObject(c->activate); }

static void test_fault_switches(void)
{
    static const fcall calls[DCALL_COUNT] =
    {
        [DCALL_SOURCE_CREATE_PD] = f_src_create_pd, [DCALL_SOURCE_START] = f_src_start,
        [DCALL_SOURCE_STOP] = f_src_stop, [DCALL_SOURCE_PAUSE] = f_src_pause,
        [DCALL_SOURCE_GET_CHARACTERISTICS] = f_src_chars, [DCALL_SOURCE_BEGIN_GET_EVENT] = f_src_begin,
        [DCALL_STREAM_REQUEST_SAMPLE] = f_stream_request, [DCALL_STREAM_BEGIN_GET_EVENT] = f_stream_begin,
        [DCALL_MFT_PROCESS_INPUT] = f_mft_input, [DCALL_MFT_PROCESS_OUTPUT] = f_mft_output,
        [DCALL_MFT_PROCESS_MESSAGE] = f_mft_message, [DCALL_MFT_SET_INPUT_TYPE] = f_mft_in_type,
        [DCALL_MFT_SET_OUTPUT_TYPE] = f_mft_out_type,
        [DCALL_SINK_GET_STREAM_SINK] = f_sink_get_stream, [DCALL_SINK_SET_CLOCK] = f_sink_clock,
        [DCALL_SINK_GET_CHARACTERISTICS] = f_sink_chars, [DCALL_SINK_SHUTDOWN] = f_sink_shutdown,
        [DCALL_SINK_BEGIN_FINALIZE] = f_sink_finalize, [DCALL_SINK_PREROLL] = f_sink_preroll,
        [DCALL_STREAMSINK_PROCESS_SAMPLE] = f_ss_process, [DCALL_STREAMSINK_PLACE_MARKER] = f_ss_marker,
        [DCALL_STREAMSINK_FLUSH] = f_ss_flush, [DCALL_STREAMSINK_GET_MEDIA_TYPE_HANDLER] = f_ss_handler,
        [DCALL_STREAMSINK_BEGIN_GET_EVENT] = f_ss_begin,
        [DCALL_CLOCKSINK_ON_START] = f_clock_start, [DCALL_CLOCKSINK_ON_STOP] = f_clock_stop,
        [DCALL_CLOCKSINK_ON_PAUSE] = f_clock_pause,
        [DCALL_ACTIVATE_ACTIVATE] = f_act_activate, [DCALL_ACTIVATE_SHUTDOWN] = f_act_shutdown,
        [DCALL_SOURCE_SHUTDOWN] = f_src_shutdown, [DCALL_SOURCE_SET_RATE] = f_src_rate,
        [DCALL_SINK_ADD_STREAM_SINK] = f_sink_add, [DCALL_SINK_REMOVE_STREAM_SINK] = f_sink_remove,
        [DCALL_SINK_END_FINALIZE] = f_sink_end_finalize, [DCALL_STREAMSINK_SET_MEDIA_TYPE] = f_ss_type,
        [DCALL_CLOCKSINK_ON_RESTART] = f_clock_restart, [DCALL_CLOCKSINK_ON_SET_RATE] = f_clock_rate,
        [DCALL_ACTIVATE_DETACH] = f_act_detach,
    };
    struct dsource_desc sd = source_desc(1, 1, TRUE);
    struct dsink_desc kd = sink_desc(1);
    struct fctx c;
    unsigned call, failed = 0;
    HRESULT hr;

    sd.rate_support = TRUE;
    kd.prerollable = kd.finalizable = TRUE;
    memset(&c, 0, sizeof(c));
    ok_hr(S_OK, dsource_create(&sd, &c.src));
    ok_hr(S_OK, dsink_create(&kd, &c.sink));
    ok_hr(S_OK, dmft_create(DMFT_PASSTHROUGH, &c.mft));
    ok_hr(S_OK, dactivate_create(c.sink, &c.activate));
    IMFMediaSink_QueryInterface(dsink_iface(c.sink), &IID_IMFClockStateSink, (void **)&c.clock_sink);
    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(c.src), &c.pd);
    c.sample = make_sample(0, DUR, 0, 4);
    dfault_reset();

    for (call = 0; call < DCALL_COUNT; ++call)
    {
        if (!calls[call])
        {
            ok(0, "switch %s has a check", dcall_name(call));
            continue;
        }
        dfault_set(call, CUSTOM_HR);
        hr = calls[call](&c);
        dfault_set(call, S_OK);
        if (hr != CUSTOM_HR) ++failed;
        ok(hr == CUSTOM_HR, "dfault_set(%s) makes that call fail (hr %#lx)", dcall_name(call), hr);
    }
    ok(!failed && dfault_calls() == DCALL_COUNT, "each of the %u switches counted one call (%ld)", DCALL_COUNT,
            dfault_calls());
    ok(!dsink_is_shut_down(c.sink) && !dsource_is_shut_down(c.src), "failed calls did nothing");

    IMFClockStateSink_Release(c.clock_sink);
    IMFActivate_Release(c.activate);
    IMFPresentationDescriptor_Release(c.pd);
    IMFSample_Release(c.sample);
    IMFMediaSink_Shutdown(dsink_iface(c.sink));
    IMFMediaSource_Shutdown(dsource_iface(c.src));
    ok(dsource_refcount(c.src) == 1 && dsink_refcount(c.sink) == 1 && dmft_refcount(c.mft) == 1,
            "refcounts back to 1");
    IMFTransform_Release(c.mft);
    dsink_release(c.sink);
    dsource_release(c.src);
    dfault_reset();
}

/* A stuck or failing component makes the drive fail, never hang, and it still cleans up. */
static void test_drive_failures(void)
{
    struct dsource_desc sd = source_desc(1, 3, TRUE);
    struct dsink_desc kd = sink_desc(1);
    struct dsource *src;
    struct dsink *sink;
    char error[128];
    HRESULT hr;
    unsigned round;

    for (round = 0; round < 3; ++round)
    {
        sd.never_answer_start = round == 0;
        kd.never_request = round == 1;
        ok_hr(S_OK, dsource_create(&sd, &src));
        ok_hr(S_OK, dsink_create(&kd, &sink));
        if (round == 2) dfault_set(DCALL_STREAM_REQUEST_SAMPLE, CUSTOM_HR);
        hr = ddrive_play(src, sink, NULL, 300, error, sizeof(error));
        dfault_reset();
        if (round == 2)
            ok(hr == CUSTOM_HR && strstr(error, "RequestSample"), "a failing RequestSample fails the drive (%#lx, %s)",
                    hr, error);
        else
            ok(hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT), "a stuck %s times out (%#lx, %s)", round ? "sink" : "source",
                    hr, error);
        ok(dsource_is_shut_down(src) && dsink_is_shut_down(sink), "the drive shut both down");
        ok(settle(source_rc, src, 1) == 1 && settle(sink_rc, sink, 1) == 1, "refcounts back to 1 (%ld, %ld)",
                dsource_refcount(src), dsink_refcount(sink));
        dsource_release(src);
        dsink_release(sink);
    }
}

START_TEST(test_doubles)
{
    ok_hr(S_OK, MFStartup(MF_VERSION, MFSTARTUP_FULL));
    test_log();
    test_faults();
    test_source_start_stop();
    test_source_seek_pause();
    test_source_end_of_stream();
    test_source_rate();
    test_mft_units();
    test_sink_basics();
    test_sink_preroll_finalize();
    test_sink_time_source();
    test_activate();
    test_topology();
    test_fault_switches();
    test_drive_plain(TRUE);
    test_drive_plain(FALSE);
    test_drive_transforms(DMFT_PASSTHROUGH);
    test_drive_transforms(DMFT_TWO_TO_ONE);
    test_drive_failures();
    dfault_reset();
    MFShutdown();
}
