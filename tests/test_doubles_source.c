/*
 * test_doubles: the source (dsource.c, dsource_rate.c) driven directly.
 */
#include "test_doubles.h"

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

void test_source_start_stop(void)
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

void test_source_seek_pause(void)
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

void test_source_end_of_stream(void)
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

void test_source_rate(void)
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
