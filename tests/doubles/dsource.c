/*
 * The test media source: N identical audio streams of numbered samples.
 *
 * Events (all queued with the source lock held, so they keep their order):
 *  Start(pd, fmt, pos):  per selected stream MENewStream (first selection) or
 *    MEUpdatedStream (value: the stream, VT_UNKNOWN); then MESourceStarted, or
 *    MESourceSeeked when started/paused and pos is VT_I8; then per stream
 *    MEStreamStarted / MEStreamSeeked (VT_I8 start time).  Source events carry
 *    MF_EVENT_SOURCE_ACTUAL_START (UINT64) and the value VT_I8 start time, except
 *    a resume (VT_EMPTY from paused or started): MESourceStarted with VT_EMPTY.
 *    The start time is pos rounded down to a sample boundary; samples then have
 *    the times k * sample_duration.  Requests queued while paused are served.
 *  Stop: MESourceStopped, then MEStreamStopped per active stream (also when
 *    already stopped); pending requests are dropped, the position goes to 0.
 *  Pause (started only, can_pause): MESourcePaused, then MEStreamPaused.
 *  RequestSample(token): MEMediaSample (token set as MFSampleExtension_Token);
 *    eager: MEEndOfStream right after the last one; lazy: the next request
 *    queues MEEndOfStream and returns S_OK, later ones MF_E_END_OF_STREAM.
 *    When every active stream has ended: MEEndOfPresentation on the source.
 *    async_samples: the request is kept (like one made while paused) and a
 *    work item answers the oldest kept request if the source still runs.
 *    hold_requests: the request is kept and never answered (Start drops it).
 *    end_when_spoken_for (with async_samples): MF_E_END_OF_STREAM once the
 *    kept requests cover every sample left, before their answers come.
 *  SetRate (rate_support): MESourceRateChanged (VT_R4).
 * Lifetime: the source holds one reference on each stream; a stream points
 * back without a reference.  Memory lives while the source or any stream is
 * referenced (a "core" count), so no cycle exists and nothing dangles.
 *
 * The streams (IMFMediaStream, sample delivery, async_samples' work item)
 * are in dsource_stream.c; the rate services in dsource_rate.c.
 */
#include "doubles_private.h"
#include <stdlib.h>
#include <string.h>

static struct dsource *impl_from_IMFMediaSource(IMFMediaSource *iface)
{
    return CONTAINING_RECORD(iface, struct dsource, IMFMediaSource_iface);
}
void dsource_core_release(struct dsource *source)
{
    unsigned i;

    if (InterlockedDecrement(&source->core)) return;
    for (i = 0; i < source->desc.stream_count; ++i)
    {
        struct dstream *stream = source->streams[i];
        if (stream->queue) IMFMediaEventQueue_Release(stream->queue);
        if (stream->sd) IMFStreamDescriptor_Release(stream->sd);
        free(stream->pending);
        free(stream);
    }
    if (source->queue) IMFMediaEventQueue_Release(source->queue);
    if (source->pd) IMFPresentationDescriptor_Release(source->pd);
    if (source->source_attributes) IMFAttributes_Release(source->source_attributes);
    DeleteCriticalSection(&source->cs);
    free(source);
}

/* Marks the source shut down and shuts its queues down (outside the lock). */
static HRESULT dsource_shutdown(struct dsource *source)
{
    unsigned i;

    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
    {
        LeaveCriticalSection(&source->cs);
        return MF_E_SHUTDOWN;
    }
    source->state = DSOURCE_SHUTDOWN;
    for (i = 0; i < source->desc.stream_count; ++i)
        dstream_drop_pending(source->streams[i]);
    LeaveCriticalSection(&source->cs);

    if (source->queue)
    {
        dqueue_drain(source->queue);
        IMFMediaEventQueue_Shutdown(source->queue);
    }
    for (i = 0; i < source->desc.stream_count; ++i)
    {
        if (!source->streams[i]->queue) continue;
        dqueue_drain(source->streams[i]->queue);
        IMFMediaEventQueue_Shutdown(source->streams[i]->queue);
    }
    return S_OK;
}

static LONGLONG dsource_duration(struct dsource *source)
{
    return (LONGLONG)source->desc.samples_per_stream * source->desc.sample_duration;
}

/* Called with the lock held once a stream ended. */
void dsource_check_end_of_presentation(struct dsource *source)
{
    unsigned i;

    if (source->eop_sent) return;
    for (i = 0; i < source->desc.stream_count; ++i)
        if (source->streams[i]->active && !source->streams[i]->eos) return;
    source->eop_sent = TRUE;
    IMFMediaEventQueue_QueueEventParamVar(source->queue, MEEndOfPresentation, &GUID_NULL, S_OK, NULL);
}

/* ---- IMFMediaSource -------------------------------------------------------- */

static HRESULT WINAPI dsource_QueryInterface(IMFMediaSource *iface, REFIID riid, void **out)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);

    if (IsEqualIID(riid, &IID_IMFMediaSource) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IMFMediaSourceEx)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = &source->IMFMediaSource_iface;
    else if (source->desc.rate_support && IsEqualIID(riid, &IID_IMFGetService))
        *out = &source->IMFGetService_iface;
    else if (source->desc.rate_support && IsEqualIID(riid, &IID_IMFRateControl))
        *out = &source->IMFRateControl_iface;
    else if (source->desc.rate_support && IsEqualIID(riid, &IID_IMFRateSupport))
        *out = &source->IMFRateSupport_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI dsource_AddRef(IMFMediaSource *iface)
{
    return InterlockedIncrement(&impl_from_IMFMediaSource(iface)->refcount);
}

static ULONG WINAPI dsource_Release(IMFMediaSource *iface)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    ULONG refcount = InterlockedDecrement(&source->refcount);
    unsigned i;

    if (!refcount)
    {
        dsource_shutdown(source);
        /* Nobody can reach the source's queue any more; events still in it
         * (MENewStream) may hold streams, so it goes now, not with the memory. */
        if (source->queue) IMFMediaEventQueue_Release(source->queue);
        source->queue = NULL;
        for (i = 0; i < source->desc.stream_count; ++i)
            IMFMediaStream_Release(&source->streams[i]->IMFMediaStream_iface);
        dsource_core_release(source);
    }
    return refcount;
}

static HRESULT WINAPI dsource_GetEvent(IMFMediaSource *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_GetEvent(impl_from_IMFMediaSource(iface)->queue, flags, event);
}

static HRESULT WINAPI dsource_BeginGetEvent(IMFMediaSource *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    HRESULT hr;
    if (FAILED(hr = dfault_check(DCALL_SOURCE_BEGIN_GET_EVENT))) return hr;
    return IMFMediaEventQueue_BeginGetEvent(impl_from_IMFMediaSource(iface)->queue, callback, state);
}

static HRESULT WINAPI dsource_EndGetEvent(IMFMediaSource *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_EndGetEvent(impl_from_IMFMediaSource(iface)->queue, result, event);
}

static HRESULT WINAPI dsource_QueueEvent(IMFMediaSource *iface, MediaEventType type, REFGUID ext_type,
        HRESULT status, const PROPVARIANT *value)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFMediaSource(iface)->queue, type, ext_type, status, value);
}

static HRESULT WINAPI dsource_GetCharacteristics(IMFMediaSource *iface, DWORD *flags)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_SOURCE_GET_CHARACTERISTICS))) return hr;
    if (!flags) return E_POINTER;
    if (source->state == DSOURCE_SHUTDOWN) return MF_E_SHUTDOWN;
    *flags = (source->desc.seekable ? MFMEDIASOURCE_CAN_SEEK : 0)
            | (source->desc.can_pause ? MFMEDIASOURCE_CAN_PAUSE : 0);
    return S_OK;
}

static HRESULT WINAPI dsource_CreatePresentationDescriptor(IMFMediaSource *iface, IMFPresentationDescriptor **pd)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    HRESULT hr;

    DLOG("%s.CreatePresentationDescriptor", source->name);
    if (FAILED(hr = dfault_check(DCALL_SOURCE_CREATE_PD))) return hr;
    if (!pd) return E_POINTER;
    *pd = NULL;
    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else
        hr = IMFPresentationDescriptor_Clone(source->pd, pd);
    LeaveCriticalSection(&source->cs);
    return hr;
}

static HRESULT dsource_queue_source_event(struct dsource *source, MediaEventType type, const PROPVARIANT *value,
        LONGLONG actual_start)
{
    IMFMediaEvent *event;
    HRESULT hr;

    if (FAILED(hr = MFCreateMediaEvent(type, &GUID_NULL, S_OK, value, &event))) return hr;
    IMFMediaEvent_SetUINT64(event, &MF_EVENT_SOURCE_ACTUAL_START, (UINT64)actual_start);
    hr = IMFMediaEventQueue_QueueEvent(source->queue, event);
    IMFMediaEvent_Release(event);
    return hr;
}

/* Reads which streams `pd` selects; FALSE if it names a stream we do not have. */
static BOOL dsource_read_selection(struct dsource *source, IMFPresentationDescriptor *pd, BOOL *selected)
{
    IMFStreamDescriptor *sd;
    DWORD count, i, id;
    BOOL select;

    memset(selected, 0, sizeof(BOOL) * DOUBLES_MAX_STREAMS);
    if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count))) return FALSE;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, i, &select, &sd))) return FALSE;
        if (FAILED(IMFStreamDescriptor_GetStreamIdentifier(sd, &id))) id = ~0u;
        IMFStreamDescriptor_Release(sd);
        if (id >= source->desc.stream_count) return FALSE;
        selected[id] = select;
    }
    return TRUE;
}

static HRESULT WINAPI dsource_Start(IMFMediaSource *iface, IMFPresentationDescriptor *pd, const GUID *format,
        const PROPVARIANT *position)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    BOOL selected[DOUBLES_MAX_STREAMS], seek, resume;
    LONGLONG duration = source->desc.sample_duration, start = 0;
    PROPVARIANT value;
    unsigned i, first;
    HRESULT hr;

    if (position && position->vt == VT_I8)
        DLOG("%s.Start(%lld)", source->name, (long long)position->hVal.QuadPart);
    else
        DLOG("%s.Start(current)", source->name);
    if (FAILED(hr = dfault_check(DCALL_SOURCE_START))) return hr;
    if (!pd) return E_INVALIDARG;
    if (!position) return E_POINTER;
    if (format && !IsEqualGUID(format, &GUID_NULL)) return MF_E_UNSUPPORTED_TIME_FORMAT;
    if (position->vt != VT_EMPTY && position->vt != VT_I8) return MF_E_UNSUPPORTED_TIME_FORMAT;
    if (!dsource_read_selection(source, pd, selected)) return E_INVALIDARG;

    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
    {
        hr = MF_E_SHUTDOWN;
        goto done;
    }
    if (position->vt == VT_I8)
    {
        start = position->hVal.QuadPart;
        if (start < 0 || start > dsource_duration(source))
        {
            hr = MF_E_INVALID_POSITION;
            goto done;
        }
        if (source->state != DSOURCE_STOPPED && !source->desc.seekable)
        {
            hr = MF_E_INVALIDREQUEST;
            goto done;
        }
    }
    if (source->desc.never_answer_start) goto done;

    seek = position->vt == VT_I8 && source->state != DSOURCE_STOPPED;
    resume = position->vt == VT_EMPTY && source->state != DSOURCE_STOPPED;
    first = duration > 0 ? (unsigned)(start / duration) : 0;
    if (first > source->desc.samples_per_stream) first = source->desc.samples_per_stream;
    if (!resume) start = (LONGLONG)first * duration;

    /* 1. Stream selection: MENewStream / MEUpdatedStream. */
    for (i = 0; i < source->desc.stream_count; ++i)
    {
        struct dstream *stream = source->streams[i];
        if (!selected[i])
        {
            stream->active = stream->announced = FALSE;
            dstream_drop_pending(stream);
            continue;
        }
        stream->active = TRUE;
        IMFMediaEventQueue_QueueEventParamUnk(source->queue, stream->announced ? MEUpdatedStream : MENewStream,
                &GUID_NULL, S_OK, (IUnknown *)&stream->IMFMediaStream_iface);
        stream->announced = TRUE;
        if (!resume)
        {
            stream->next = first;
            stream->eos = FALSE;
        }
    }
    if (resume)
    {
        /* The actual start of a resume is where the streams are. */
        start = -1;
        for (i = 0; i < source->desc.stream_count; ++i)
        {
            LONGLONG t = (LONGLONG)source->streams[i]->next * duration;
            if (source->streams[i]->active && (start < 0 || t < start)) start = t;
        }
        if (start < 0) start = 0;
    }
    else
        source->eop_sent = FALSE;

    /* 2. The source's event. */
    PropVariantInit(&value);
    if (!resume)
    {
        value.vt = VT_I8;
        value.hVal.QuadPart = start;
    }
    dsource_queue_source_event(source, seek ? MESourceSeeked : MESourceStarted, &value, start);
    source->state = DSOURCE_STARTED;

    /* 3. The streams' events, then requests that waited while paused. */
    value.vt = VT_I8;
    value.hVal.QuadPart = start;
    for (i = 0; i < source->desc.stream_count; ++i)
    {
        struct dstream *stream = source->streams[i];
        unsigned k;

        if (!stream->active) continue;
        IMFMediaEventQueue_QueueEventParamVar(stream->queue, seek ? MEStreamSeeked : MEStreamStarted,
                &GUID_NULL, S_OK, &value);
        for (k = 0; k < stream->pending_count && !stream->eos && !source->desc.hold_requests; ++k)
            dstream_deliver(stream, stream->pending[k]);
        dstream_drop_pending(stream);
        if (source->desc.eager_end_of_stream && !stream->eos && stream->next >= source->desc.samples_per_stream)
            dstream_end(stream);
    }

done:
    LeaveCriticalSection(&source->cs);
    return hr;
}

static HRESULT WINAPI dsource_Stop(IMFMediaSource *iface)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    unsigned i;
    HRESULT hr;

    DLOG("%s.Stop", source->name);
    if (FAILED(hr = dfault_check(DCALL_SOURCE_STOP))) return hr;

    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else
    {
        source->state = DSOURCE_STOPPED;
        IMFMediaEventQueue_QueueEventParamVar(source->queue, MESourceStopped, &GUID_NULL, S_OK, NULL);
        for (i = 0; i < source->desc.stream_count; ++i)
        {
            struct dstream *stream = source->streams[i];
            dstream_drop_pending(stream);
            stream->next = 0;
            stream->eos = FALSE;
            if (stream->active)
                IMFMediaEventQueue_QueueEventParamVar(stream->queue, MEStreamStopped, &GUID_NULL, S_OK, NULL);
        }
    }
    LeaveCriticalSection(&source->cs);
    return hr;
}

static HRESULT WINAPI dsource_Pause(IMFMediaSource *iface)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    unsigned i;
    HRESULT hr;

    DLOG("%s.Pause", source->name);
    if (FAILED(hr = dfault_check(DCALL_SOURCE_PAUSE))) return hr;

    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else if (!source->desc.can_pause || source->state != DSOURCE_STARTED)
        hr = MF_E_INVALID_STATE_TRANSITION;
    else
    {
        source->state = DSOURCE_PAUSED;
        IMFMediaEventQueue_QueueEventParamVar(source->queue, MESourcePaused, &GUID_NULL, S_OK, NULL);
        for (i = 0; i < source->desc.stream_count; ++i)
        {
            if (source->streams[i]->active)
                IMFMediaEventQueue_QueueEventParamVar(source->streams[i]->queue, MEStreamPaused,
                        &GUID_NULL, S_OK, NULL);
        }
    }
    LeaveCriticalSection(&source->cs);
    return hr;
}

static HRESULT WINAPI dsource_Shutdown(IMFMediaSource *iface)
{
    struct dsource *source = impl_from_IMFMediaSource(iface);
    HRESULT hr;

    DLOG("%s.Shutdown", source->name);
    if (FAILED(hr = dfault_check(DCALL_SOURCE_SHUTDOWN))) return hr;
    return dsource_shutdown(source);
}

/* IMFMediaSourceEx: the source's attributes (where a session passes
 * MF_LOW_LATENCY); the IMFMediaSource methods are shared. */
static HRESULT WINAPI dsource_GetSourceAttributes(IMFMediaSourceEx *iface, IMFAttributes **attributes)
{
    struct dsource *source = CONTAINING_RECORD(iface, struct dsource, IMFMediaSource_iface);
    if (!attributes) return E_POINTER;
    if (!(*attributes = source->source_attributes)) return E_NOTIMPL;
    IMFAttributes_AddRef(*attributes);
    return S_OK;
}

static HRESULT WINAPI dsource_GetStreamAttributes(IMFMediaSourceEx *iface, DWORD id, IMFAttributes **attributes)
{
    return MF_E_UNSUPPORTED_SERVICE;
}

static HRESULT WINAPI dsource_SetD3DManager(IMFMediaSourceEx *iface, IUnknown *manager)
{
    return S_OK;
}

static const IMFMediaSourceExVtbl dsource_vtbl =
{
    (void *)dsource_QueryInterface, (void *)dsource_AddRef, (void *)dsource_Release,
    (void *)dsource_GetEvent, (void *)dsource_BeginGetEvent, (void *)dsource_EndGetEvent, (void *)dsource_QueueEvent,
    (void *)dsource_GetCharacteristics, (void *)dsource_CreatePresentationDescriptor,
    (void *)dsource_Start, (void *)dsource_Stop, (void *)dsource_Pause, (void *)dsource_Shutdown,
    dsource_GetSourceAttributes, dsource_GetStreamAttributes, dsource_SetD3DManager,
};

/* ---- creation and test accessors ------------------------------------------- */

static HRESULT dsource_create_pd(struct dsource *source, IMFMediaType *type)
{
    IMFStreamDescriptor *sds[DOUBLES_MAX_STREAMS];
    IMFMediaTypeHandler *handler;
    unsigned i;
    HRESULT hr;

    for (i = 0; i < source->desc.stream_count; ++i)
    {
        if (FAILED(hr = MFCreateStreamDescriptor(i, 1, &type, &source->streams[i]->sd))) return hr;
        if (FAILED(hr = IMFStreamDescriptor_GetMediaTypeHandler(source->streams[i]->sd, &handler))) return hr;
        hr = IMFMediaTypeHandler_SetCurrentMediaType(handler, type);
        IMFMediaTypeHandler_Release(handler);
        if (FAILED(hr)) return hr;
        sds[i] = source->streams[i]->sd;
    }
    if (FAILED(hr = MFCreatePresentationDescriptor(source->desc.stream_count, sds, &source->pd))) return hr;
    for (i = 0; i < source->desc.stream_count; ++i)
    {
        if (i == 1 && source->desc.deselect_stream1)
            hr = IMFPresentationDescriptor_DeselectStream(source->pd, i);
        else
            hr = IMFPresentationDescriptor_SelectStream(source->pd, i);
        if (FAILED(hr)) return hr;
    }
    return IMFPresentationDescriptor_SetUINT64(source->pd, &MF_PD_DURATION, (UINT64)dsource_duration(source));
}

HRESULT dsource_create(const struct dsource_desc *desc, struct dsource **out)
{
    IMFMediaType *type = NULL;
    struct dsource *source;
    unsigned i, created = 0;
    HRESULT hr;

    *out = NULL;
    if (!desc || !desc->stream_count || desc->stream_count > DOUBLES_MAX_STREAMS) return E_INVALIDARG;
    if (!(source = calloc(1, sizeof(*source)))) return E_OUTOFMEMORY;
    source->IMFMediaSource_iface.lpVtbl = (const IMFMediaSourceVtbl *)&dsource_vtbl;
    MFCreateAttributes(&source->source_attributes, 1);
    source->IMFGetService_iface.lpVtbl = &dsource_service_vtbl;
    source->IMFRateControl_iface.lpVtbl = &dsource_rate_vtbl;
    source->IMFRateSupport_iface.lpVtbl = &dsource_ratesupport_vtbl;
    source->refcount = 1;
    source->core = 1;
    source->desc = *desc;
    source->desc.name = NULL;
    source->rate = 1.0f;
    dname_set(source->name, sizeof(source->name), "%s", desc->name ? desc->name : "src");
    InitializeCriticalSection(&source->cs);

    for (i = 0; i < desc->stream_count; ++i)
    {
        struct dstream *stream;
        if (!(stream = calloc(1, sizeof(*stream))))
        {
            hr = E_OUTOFMEMORY;
            goto failed;
        }
        stream->IMFMediaStream_iface.lpVtbl = &dstream_vtbl;
        stream->serve_callback.lpVtbl = &dstream_serve_vtbl;
        stream->refcount = 1;
        stream->source = source;
        stream->index = i;
        if (desc->name) dname_set(stream->name, sizeof(stream->name), "%s.s%u", desc->name, i);
        else dname_set(stream->name, sizeof(stream->name), "s%u", i);
        source->streams[i] = stream;
        ++source->core;
        created = i + 1;
        if (FAILED(hr = MFCreateEventQueue(&stream->queue))) goto failed;
    }
    if (FAILED(hr = MFCreateEventQueue(&source->queue))) goto failed;
    if (FAILED(hr = dtype_create_pcm(&type))) goto failed;
    if (FAILED(hr = dsource_create_pd(source, type))) goto failed;
    IMFMediaType_Release(type);
    *out = source;
    return S_OK;

failed:
    if (type) IMFMediaType_Release(type);
    source->desc.stream_count = created; /* the streams that exist, each counted in core */
    IMFMediaSource_Release(&source->IMFMediaSource_iface);
    return hr;
}

IMFMediaSource *dsource_iface(struct dsource *s)
{
    return &s->IMFMediaSource_iface;
}

IMFMediaStream *dsource_stream(struct dsource *s, unsigned i)
{
    return i < s->desc.stream_count ? &s->streams[i]->IMFMediaStream_iface : NULL;
}

IMFPresentationDescriptor *dsource_pd(struct dsource *s)
{
    return s->pd;
}

LONG dsource_refcount(struct dsource *s)
{
    return s->refcount;
}

LONG dsource_stream_refcount(struct dsource *s, unsigned i)
{
    return i < s->desc.stream_count ? s->streams[i]->refcount : -1;
}

unsigned dsource_delivered(struct dsource *s, unsigned stream)
{
    return stream < s->desc.stream_count ? (unsigned)s->streams[stream]->delivered : 0;
}

BOOL dsource_is_shut_down(struct dsource *s)
{
    return s->state == DSOURCE_SHUTDOWN;
}

void dsource_release(struct dsource *s)
{
    if (s) IMFMediaSource_Release(&s->IMFMediaSource_iface);
}
