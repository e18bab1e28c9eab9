/*
 * test_doubles: every fault switch of doubles.h, and the drive when a
 * component call fails.
 */
#include "test_doubles.h"

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

void test_fault_switches(void)
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
void test_drive_failures(void)
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
