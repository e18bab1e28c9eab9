/*
 * The direct drive: plays a test source into a test sink without a session,
 * the way CONTRACT.md section 5 says the session does it, on the calling
 * thread, polling the event queues (GetEvent with MF_EVENT_FLAG_NO_WAIT):
 *
 *   SetPresentationClock (a system time source clock); MFT
 *   NOTIFY_BEGIN_STREAMING and NOTIFY_START_OF_STREAM; source Start(0) and its
 *   events; clock Start(0); every MEStreamSinkRequestSample answered by one
 *   ProcessSample, fed by RequestSample -> MEMediaSample (through the
 *   transform: ProcessInput, ProcessOutput until NEED_MORE_INPUT); on
 *   MEEndOfStream: NOTIFY_END_OF_STREAM, COMMAND_DRAIN, the remaining output,
 *   then PlaceMarker(ENDOFSEGMENT, context VT_UI4 1000 + stream).
 *   Done when every marker is answered and MEEndOfPresentation came.
 *   Teardown: clock Stop, source Stop (waiting for MESourceStopped and every
 *   MEStreamSinkStopped), NOTIFY_END_STREAMING, sink Shutdown, source Shutdown.
 *
 * It checks on the way: every stream event names a stream of the source, every
 * MEMediaSample answers a request and carries the request's token, markers
 * come back with their context value.
 */
#include "doubles_private.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIFO_SIZE 64

static LONGLONG actual_start(IMFMediaEvent *event)
{
    UINT64 v;
    return SUCCEEDED(IMFMediaEvent_GetUINT64(event, &MF_EVENT_SOURCE_ACTUAL_START, &v)) ? (LONGLONG)v : -1;
}

struct drive
{
    struct dsource *src;
    struct dsink *sink;
    IMFTransform **mfts;
    IMFPresentationClock *clock;
    IMFPresentationDescriptor *pd;
    IUnknown *token;
    unsigned count;
    BOOL selected[DOUBLES_MAX_STREAMS];
    IMFMediaStream *stream[DOUBLES_MAX_STREAMS];
    IMFSample *fifo[DOUBLES_MAX_STREAMS][FIFO_SIZE];
    unsigned head[DOUBLES_MAX_STREAMS], tail[DOUBLES_MAX_STREAMS];
    unsigned sink_requests[DOUBLES_MAX_STREAMS], source_requests[DOUBLES_MAX_STREAMS];
    BOOL started[DOUBLES_MAX_STREAMS], sink_started[DOUBLES_MAX_STREAMS], sink_stopped[DOUBLES_MAX_STREAMS];
    BOOL eos[DOUBLES_MAX_STREAMS], marker_placed[DOUBLES_MAX_STREAMS], marker_done[DOUBLES_MAX_STREAMS];
    BOOL source_started, source_stopped, eop;
    DWORD timeout;
    unsigned failures;
    HRESULT hr;             /* the first failure */
    char *error;
    size_t error_size;
};

static void drive_fail(struct drive *d, const char *what, HRESULT hr)
{
    if (!d->failures++)
    {
        d->hr = FAILED(hr) ? hr : E_FAIL;
        if (d->error && d->error_size) snprintf(d->error, d->error_size, "%s (hr %#lx)", what, (unsigned long)hr);
    }
}

static void drive_check(struct drive *d, BOOL condition, const char *what, HRESULT hr)
{
    if (!condition) drive_fail(d, what, hr);
}

static void drive_push(struct drive *d, unsigned i, IMFSample *sample)
{
    if (d->tail[i] - d->head[i] >= FIFO_SIZE)
    {
        drive_fail(d, "sample queue overflow", E_FAIL);
        IMFSample_Release(sample);
        return;
    }
    d->fifo[i][d->tail[i]++ % FIFO_SIZE] = sample;
}

/* Takes every output the transform has ready. */
static void drive_pull(struct drive *d, unsigned i)
{
    IMFTransform *mft = d->mfts[i];
    MFT_OUTPUT_STREAM_INFO info;
    MFT_OUTPUT_DATA_BUFFER out;
    IMFMediaBuffer *buffer;
    DWORD status;
    HRESULT hr;

    IMFTransform_GetOutputStreamInfo(mft, 0, &info);
    for (;;)
    {
        memset(&out, 0, sizeof(out));
        if (!(info.dwFlags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES))
        {
            MFCreateSample(&out.pSample);
            MFCreateMemoryBuffer(info.cbSize, &buffer);
            IMFSample_AddBuffer(out.pSample, buffer);
            IMFMediaBuffer_Release(buffer);
        }
        hr = IMFTransform_ProcessOutput(mft, 0, 1, &out, &status);
        if (FAILED(hr))
        {
            if (out.pSample) IMFSample_Release(out.pSample);
            drive_check(d, hr == MF_E_TRANSFORM_NEED_MORE_INPUT, "ProcessOutput", hr);
            return;
        }
        drive_push(d, i, out.pSample);
    }
}

static void drive_feed(struct drive *d, unsigned i, IMFSample *sample)
{
    HRESULT hr;

    if (!d->mfts || !d->mfts[i])
    {
        IMFSample_AddRef(sample);
        drive_push(d, i, sample);
        return;
    }
    if ((hr = IMFTransform_ProcessInput(d->mfts[i], 0, sample, 0)) == MF_E_NOTACCEPTING)
    {
        drive_pull(d, i);
        hr = IMFTransform_ProcessInput(d->mfts[i], 0, sample, 0);
    }
    drive_check(d, hr == S_OK, "ProcessInput", hr);
    drive_pull(d, i);
}

/* Answers the sink's requests from the fifo, pulls from the source when the
 * fifo is empty, and places the end-of-segment marker after the last sample. */
static void drive_pump(struct drive *d, unsigned i)
{
    IMFStreamSink *stream_sink = dsink_stream(d->sink, i);
    PROPVARIANT context;
    IMFSample *sample;
    HRESULT hr;

    while (d->sink_requests[i] && d->head[i] != d->tail[i])
    {
        sample = d->fifo[i][d->head[i]++ % FIFO_SIZE];
        hr = IMFStreamSink_ProcessSample(stream_sink, sample);
        drive_check(d, hr == S_OK, "ProcessSample", hr);
        IMFSample_Release(sample);
        --d->sink_requests[i];
    }
    if (d->sink_requests[i] && d->head[i] == d->tail[i] && !d->eos[i] && !d->source_requests[i]
            && d->stream[i] && d->started[i])
    {
        hr = IMFMediaStream_RequestSample(d->stream[i], d->token);
        drive_check(d, hr == S_OK, "RequestSample", hr);
        ++d->source_requests[i];
    }
    if (d->eos[i] && d->head[i] == d->tail[i] && !d->marker_placed[i] && d->sink_started[i])
    {
        PropVariantInit(&context);
        context.vt = VT_UI4;
        context.ulVal = 1000 + i;
        hr = IMFStreamSink_PlaceMarker(stream_sink, MFSTREAMSINK_MARKER_ENDOFSEGMENT, NULL, &context);
        drive_check(d, hr == S_OK, "PlaceMarker", hr);
        d->marker_placed[i] = TRUE;
    }
}

static unsigned stream_index(IMFMediaStream *stream)
{
    IMFStreamDescriptor *sd;
    DWORD id = ~0u;
    if (SUCCEEDED(IMFMediaStream_GetStreamDescriptor(stream, &sd)))
    {
        IMFStreamDescriptor_GetStreamIdentifier(sd, &id);
        IMFStreamDescriptor_Release(sd);
    }
    return id;
}

static void drive_source_event(struct drive *d, IMFMediaEvent *event, MediaEventType type)
{
    IMFMediaStream *stream;
    PROPVARIANT value;
    unsigned i;

    switch (type)
    {
    case MENewStream:
    case MEUpdatedStream:
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        drive_check(d, value.vt == VT_UNKNOWN, "stream event value", S_OK);
        if (value.vt == VT_UNKNOWN && SUCCEEDED(IUnknown_QueryInterface(value.punkVal, &IID_IMFMediaStream,
                (void **)&stream)))
        {
            i = stream_index(stream);
            drive_check(d, i < d->count && stream == dsource_stream(d->src, i), "stream identity", S_OK);
            if (i < d->count && !d->stream[i]) d->stream[i] = stream;
            else IMFMediaStream_Release(stream);
        }
        PropVariantClear(&value);
        break;
    case MESourceStarted:
    case MESourceSeeked:
        drive_check(d, actual_start(event) == 0, "MF_EVENT_SOURCE_ACTUAL_START", S_OK);
        d->source_started = TRUE;
        break;
    case MESourceStopped: d->source_stopped = TRUE; break;
    case MEEndOfPresentation: d->eop = TRUE; break;
    }
}

static void drive_stream_event(struct drive *d, unsigned i, IMFMediaEvent *event, MediaEventType type)
{
    IUnknown *token = NULL;
    IMFSample *sample;
    PROPVARIANT value;
    IMFTransform *mft = d->mfts ? d->mfts[i] : NULL;

    switch (type)
    {
    case MEStreamStarted: d->started[i] = TRUE; break;
    case MEMediaSample:
        drive_check(d, d->source_requests[i] > 0, "MEMediaSample without a request", S_OK);
        if (d->source_requests[i]) --d->source_requests[i];
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        if (value.vt == VT_UNKNOWN && SUCCEEDED(IUnknown_QueryInterface(value.punkVal, &IID_IMFSample,
                (void **)&sample)))
        {
            IMFSample_GetUnknown(sample, &MFSampleExtension_Token, &IID_IUnknown, (void **)&token);
            drive_check(d, token == d->token, "sample token", S_OK);
            if (token) IUnknown_Release(token);
            drive_feed(d, i, sample);
            IMFSample_Release(sample);
        }
        else
            drive_check(d, FALSE, "MEMediaSample value", S_OK);
        PropVariantClear(&value);
        break;
    case MEEndOfStream:
        d->eos[i] = TRUE;
        d->source_requests[i] = 0; /* a lazy end of stream answers the pending request */
        if (mft)
        {
            IMFTransform_ProcessMessage(mft, MFT_MESSAGE_NOTIFY_END_OF_STREAM, 0);
            IMFTransform_ProcessMessage(mft, MFT_MESSAGE_COMMAND_DRAIN, 0);
            drive_pull(d, i);
        }
        break;
    }
}

static void drive_sink_event(struct drive *d, unsigned i, IMFMediaEvent *event, MediaEventType type)
{
    PROPVARIANT value;

    switch (type)
    {
    case MEStreamSinkStarted: d->sink_started[i] = TRUE; d->sink_stopped[i] = FALSE; break;
    case MEStreamSinkStopped: d->sink_stopped[i] = TRUE; break;
    case MEStreamSinkRequestSample: ++d->sink_requests[i]; break;
    case MEStreamSinkMarker:
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        drive_check(d, value.vt == VT_UI4 && value.ulVal == 1000 + i, "marker context value", S_OK);
        PropVariantClear(&value);
        d->marker_done[i] = TRUE;
        break;
    }
}

/* Handles every event available now; FALSE if there was none. */
static BOOL drive_poll(struct drive *d)
{
    IMFMediaEvent *event;
    MediaEventType type;
    BOOL any = FALSE;
    unsigned i;

    while (SUCCEEDED(IMFMediaSource_GetEvent(dsource_iface(d->src), MF_EVENT_FLAG_NO_WAIT, &event)))
    {
        IMFMediaEvent_GetType(event, &type);
        drive_source_event(d, event, type);
        IMFMediaEvent_Release(event);
        any = TRUE;
    }
    for (i = 0; i < d->count; ++i)
    {
        if (!d->selected[i]) continue;
        while (d->stream[i] && SUCCEEDED(IMFMediaStream_GetEvent(d->stream[i], MF_EVENT_FLAG_NO_WAIT, &event)))
        {
            IMFMediaEvent_GetType(event, &type);
            drive_stream_event(d, i, event, type);
            IMFMediaEvent_Release(event);
            any = TRUE;
        }
        while (SUCCEEDED(IMFStreamSink_GetEvent(dsink_stream(d->sink, i), MF_EVENT_FLAG_NO_WAIT, &event)))
        {
            IMFMediaEvent_GetType(event, &type);
            drive_sink_event(d, i, event, type);
            IMFMediaEvent_Release(event);
            any = TRUE;
        }
        drive_pump(d, i);
    }
    return any;
}

static BOOL all_selected(struct drive *d, const BOOL *flags)
{
    unsigned i;
    for (i = 0; i < d->count; ++i) if (d->selected[i] && !flags[i]) return FALSE;
    return TRUE;
}
static BOOL cond_started(struct drive *d) { return d->source_started && all_selected(d, d->started); }
static BOOL cond_sink_started(struct drive *d) { return all_selected(d, d->sink_started); }
static BOOL cond_finished(struct drive *d) { return d->eop && all_selected(d, d->marker_done); }
static BOOL cond_stopped(struct drive *d) { return d->source_stopped && all_selected(d, d->sink_stopped); }

static BOOL drive_run(struct drive *d, BOOL (*done)(struct drive *), const char *what)
{
    DWORD start = GetTickCount();

    while (!done(d))
    {
        if (d->failures > 20) return FALSE;
        if (GetTickCount() - start > d->timeout)
        {
            char message[128];
            snprintf(message, sizeof(message), "timed out waiting until %s", what);
            drive_fail(d, message, HRESULT_FROM_WIN32(WAIT_TIMEOUT));
            return FALSE;
        }
        if (!drive_poll(d)) Sleep(1);
    }
    return TRUE;
}

#define DRIVE_CALL(d, call) do { HRESULT hr_ = (call); drive_check(d, SUCCEEDED(hr_), #call, hr_); } while (0)

static void drive_message(struct drive *d, MFT_MESSAGE_TYPE message)
{
    DWORD i;
    for (i = 0; i < d->count; ++i)
        if (d->selected[i] && d->mfts && d->mfts[i]) DRIVE_CALL(d, IMFTransform_ProcessMessage(d->mfts[i], message, 0));
}

HRESULT ddrive_play(struct dsource *src, struct dsink *sink, IMFTransform **mfts, DWORD timeout_ms,
        char *error, size_t error_size)
{
    IMFPresentationTimeSource *time_source = NULL;
    IMFStreamDescriptor *sd;
    struct drive *d;
    PROPVARIANT start;
    DWORD i, count = 0;
    HRESULT hr;

    if (error && error_size) error[0] = 0;
    if (!src || !sink) return E_INVALIDARG;
    if (!(d = calloc(1, sizeof(*d)))) return E_OUTOFMEMORY;
    d->src = src;
    d->sink = sink;
    d->mfts = mfts;
    d->timeout = timeout_ms;
    d->error = error;
    d->error_size = error_size;

    DRIVE_CALL(d, MFCreateAttributes((IMFAttributes **)&d->token, 1));
    DRIVE_CALL(d, MFCreatePresentationClock(&d->clock));
    DRIVE_CALL(d, MFCreateSystemTimeSource(&time_source));
    if (d->failures) goto done;
    DRIVE_CALL(d, IMFPresentationClock_SetTimeSource(d->clock, time_source));
    DRIVE_CALL(d, IMFMediaSink_SetPresentationClock(dsink_iface(sink), d->clock));
    DRIVE_CALL(d, IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &d->pd));
    if (d->failures) goto done;
    IMFPresentationDescriptor_GetStreamDescriptorCount(d->pd, &count);
    d->count = count < DOUBLES_MAX_STREAMS ? count : DOUBLES_MAX_STREAMS;
    for (i = 0; i < d->count; ++i)
    {
        if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(d->pd, i, &d->selected[i], &sd))) continue;
        IMFStreamDescriptor_Release(sd);
        drive_check(d, !d->selected[i] || dsink_stream(sink, i), "a stream sink for every selected stream", S_OK);
    }
    if (d->failures) goto done;
    drive_message(d, MFT_MESSAGE_NOTIFY_BEGIN_STREAMING);
    drive_message(d, MFT_MESSAGE_NOTIFY_START_OF_STREAM);

    PropVariantInit(&start);
    start.vt = VT_I8;
    start.hVal.QuadPart = 0;
    DRIVE_CALL(d, IMFMediaSource_Start(dsource_iface(src), d->pd, NULL, &start));
    if (!d->failures && drive_run(d, cond_started, "the source started"))
    {
        DRIVE_CALL(d, IMFPresentationClock_Start(d->clock, 0));
        if (drive_run(d, cond_sink_started, "the stream sinks started"))
            drive_run(d, cond_finished, "every marker is answered and the presentation ended");
    }

    /* Tear down like a client of the session: stop, shut the sink down, then the source. */
    IMFPresentationClock_Stop(d->clock);
    if (SUCCEEDED(IMFMediaSource_Stop(dsource_iface(src))))
        drive_run(d, cond_stopped, "the source and the stream sinks stopped");
    drive_message(d, MFT_MESSAGE_NOTIFY_END_STREAMING);
    DRIVE_CALL(d, IMFMediaSink_Shutdown(dsink_iface(sink)));
    DRIVE_CALL(d, IMFMediaSource_Shutdown(dsource_iface(src)));

done:
    for (i = 0; i < d->count; ++i)
    {
        while (d->head[i] != d->tail[i])
        {
            IMFSample *sample = d->fifo[i][d->head[i]++ % FIFO_SIZE];
            IMFSample_Release(sample);
        }
        if (d->stream[i]) IMFMediaStream_Release(d->stream[i]);
    }
    if (d->pd) IMFPresentationDescriptor_Release(d->pd);
    if (d->clock) IMFPresentationClock_Release(d->clock);
    if (time_source) IMFPresentationTimeSource_Release(time_source);
    if (d->token) IUnknown_Release(d->token);
    hr = d->failures ? d->hr : S_OK;
    free(d);
    return hr;
}
