/*
 * test_doubles: the sink (dsink.c, dsink_clock.c, dstreamsink.c) and its
 * activate (dactivate.c) driven directly.
 */
#include "test_doubles.h"

void test_sink_basics(void)
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

void test_sink_preroll_finalize(void)
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

void test_sink_time_source(void)
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

void test_activate(void)
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
