/*
 * The test sink's stream sinks: IMFStreamSink and IMFMediaTypeHandler.
 *
 *  ProcessSample: accepted while the clock runs or is paused, and while
 *    stopped if a request is outstanding (preroll); otherwise (stopped, nothing
 *    requested) ignored with S_OK and counted by dsink_dropped, as Wine's audio
 *    renderer does.  Each accepted sample answers one outstanding request;
 *    while the clock runs, the stream sink then tops its requests up to
 *    request_depth at once (rateless or not: the double never waits for a
 *    presentation time).  The first sample after NotifyPreroll sends
 *    MEStreamSinkPrerolled.
 *  PlaceMarker: answered at once with MEStreamSinkMarker, status S_OK, value a
 *    copy of the context value (VT_EMPTY when NULL).
 *  Flush: nothing is ever pending, so it only logs; with flush_forgets the
 *    requests outstanding are dropped and the stream sink asks again only
 *    when the clock starts from stopped.
 * All calls after the sink's Shutdown: MF_E_SHUTDOWN; after RemoveStreamSink:
 * MF_E_STREAMSINK_REMOVED.
 */
#include "doubles_private.h"
#include <stdlib.h>

static struct dstreamsink *impl_from_IMFStreamSink(IMFStreamSink *iface)
{
    return CONTAINING_RECORD(iface, struct dstreamsink, IMFStreamSink_iface);
}

static struct dstreamsink *impl_from_IMFMediaTypeHandler(IMFMediaTypeHandler *iface)
{
    return CONTAINING_RECORD(iface, struct dstreamsink, IMFMediaTypeHandler_iface);
}

/* Lock held. */
static HRESULT dstreamsink_state(struct dstreamsink *stream)
{
    if (stream->sink->shut_down) return MF_E_SHUTDOWN;
    if (stream->removed) return MF_E_STREAMSINK_REMOVED;
    return S_OK;
}

void dstreamsink_request(struct dstreamsink *stream)
{
    struct dsink *sink = stream->sink;
    unsigned depth = sink->desc.request_depth ? sink->desc.request_depth : 1;

    if (sink->desc.never_request || stream->starved || dstreamsink_state(stream) != S_OK) return;
    while (stream->outstanding < depth)
    {
        if (sink->desc.request_limit
                && stream->received - stream->limit_base + stream->outstanding >= sink->desc.request_limit)
            break;
        if (FAILED(IMFMediaEventQueue_QueueEventParamVar(stream->queue, MEStreamSinkRequestSample,
                &GUID_NULL, S_OK, NULL)))
            break;
        ++stream->outstanding;
    }
}

void dstreamsink_shutdown_queue(struct dstreamsink *stream)
{
    dqueue_drain(stream->queue);
    IMFMediaEventQueue_Shutdown(stream->queue);
}

static HRESULT WINAPI dstreamsink_QueryInterface(IMFStreamSink *iface, REFIID riid, void **out)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);

    if (IsEqualIID(riid, &IID_IMFStreamSink) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = &stream->IMFStreamSink_iface;
    else if (IsEqualIID(riid, &IID_IMFMediaTypeHandler))
        *out = &stream->IMFMediaTypeHandler_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI dstreamsink_AddRef(IMFStreamSink *iface)
{
    return InterlockedIncrement(&impl_from_IMFStreamSink(iface)->refcount);
}

static ULONG WINAPI dstreamsink_Release(IMFStreamSink *iface)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);
    struct dsink *sink = stream->sink;

    if (!refcount)
    {
        /* Nobody, not even the sink, refers to it any more. */
        IMFMediaEventQueue_Shutdown(stream->queue);
        IMFMediaEventQueue_Release(stream->queue);
        if (stream->type) IMFMediaType_Release(stream->type);
        free(stream->times);
        free(stream->durations);
        free(stream);
        dsink_core_release(sink);
    }
    return refcount;
}

static HRESULT WINAPI dstreamsink_GetEvent(IMFStreamSink *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_GetEvent(impl_from_IMFStreamSink(iface)->queue, flags, event);
}

static HRESULT WINAPI dstreamsink_BeginGetEvent(IMFStreamSink *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    HRESULT hr;
    if (FAILED(hr = dfault_check(DCALL_STREAMSINK_BEGIN_GET_EVENT))) return hr;
    return IMFMediaEventQueue_BeginGetEvent(impl_from_IMFStreamSink(iface)->queue, callback, state);
}

static HRESULT WINAPI dstreamsink_EndGetEvent(IMFStreamSink *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_EndGetEvent(impl_from_IMFStreamSink(iface)->queue, result, event);
}

static HRESULT WINAPI dstreamsink_QueueEvent(IMFStreamSink *iface, MediaEventType type, REFGUID ext_type,
        HRESULT status, const PROPVARIANT *value)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFStreamSink(iface)->queue, type, ext_type, status, value);
}

static HRESULT WINAPI dstreamsink_GetMediaSink(IMFStreamSink *iface, IMFMediaSink **out)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&stream->sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream)))
    {
        *out = (IMFMediaSink *)&stream->sink->IMFFinalizableMediaSink_iface;
        IMFMediaSink_AddRef(*out);
    }
    LeaveCriticalSection(&stream->sink->cs);
    return hr;
}

static HRESULT WINAPI dstreamsink_GetIdentifier(IMFStreamSink *iface, DWORD *id)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    HRESULT hr;

    if (!id) return E_POINTER;
    EnterCriticalSection(&stream->sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream))) *id = stream->id;
    LeaveCriticalSection(&stream->sink->cs);
    return hr;
}

static HRESULT WINAPI dstreamsink_GetMediaTypeHandler(IMFStreamSink *iface, IMFMediaTypeHandler **out)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_STREAMSINK_GET_MEDIA_TYPE_HANDLER))) return hr;
    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&stream->sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream)))
    {
        *out = &stream->IMFMediaTypeHandler_iface;
        IMFMediaTypeHandler_AddRef(*out);
    }
    LeaveCriticalSection(&stream->sink->cs);
    return hr;
}

static void dstreamsink_keep(struct dstreamsink *stream, LONGLONG time, LONGLONG duration)
{
    if (stream->kept == stream->kept_size)
    {
        unsigned size = stream->kept_size ? stream->kept_size * 2 : 64;
        LONGLONG *times = realloc(stream->times, size * sizeof(*times));
        LONGLONG *durations;

        if (!times) return;
        stream->times = times;
        if (!(durations = realloc(stream->durations, size * sizeof(*durations)))) return;
        stream->durations = durations;
        stream->kept_size = size;
    }
    stream->times[stream->kept] = time;
    stream->durations[stream->kept] = duration;
    ++stream->kept;
}

static HRESULT WINAPI dstreamsink_ProcessSample(IMFStreamSink *iface, IMFSample *sample)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    struct dsink *sink = stream->sink;
    LONGLONG time = -1, duration = -1;
    HRESULT hr;

    if (sample && (dlog_on || sink->desc.keep_samples))
    {
        IMFSample_GetSampleTime(sample, &time);
        IMFSample_GetSampleDuration(sample, &duration);
    }
    DLOG("%s.ProcessSample(t=%lld)", stream->name, (long long)time);
    if (FAILED(hr = dfault_check(DCALL_STREAMSINK_PROCESS_SAMPLE))) return hr;
    if (!sample) return E_POINTER;

    EnterCriticalSection(&sink->cs);
    if (FAILED(hr = dstreamsink_state(stream)))
        goto done;
    if (sink->clock_state == DSINK_STOPPED && !stream->outstanding)
    {
        ++stream->dropped;
        goto done;
    }
    ++stream->received;
    if (sink->desc.keep_samples) dstreamsink_keep(stream, time, duration);
    if (stream->outstanding) --stream->outstanding;
    else ++stream->unrequested;
    if (stream->preroll_pending)
    {
        stream->preroll_pending = FALSE;
        IMFMediaEventQueue_QueueEventParamVar(stream->queue, MEStreamSinkPrerolled, &GUID_NULL, S_OK, NULL);
    }
    if (sink->clock_state == DSINK_RUNNING) dstreamsink_request(stream);
    dsink_check_done(sink);
done:
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static const char *marker_name(MFSTREAMSINK_MARKER_TYPE type)
{
    switch (type)
    {
    case MFSTREAMSINK_MARKER_DEFAULT: return "DEFAULT";
    case MFSTREAMSINK_MARKER_ENDOFSEGMENT: return "ENDOFSEGMENT";
    case MFSTREAMSINK_MARKER_TICK: return "TICK";
    case MFSTREAMSINK_MARKER_EVENT: return "EVENT";
    default: return "?";
    }
}

static HRESULT WINAPI dstreamsink_PlaceMarker(IMFStreamSink *iface, MFSTREAMSINK_MARKER_TYPE type,
        const PROPVARIANT *marker_value, const PROPVARIANT *context)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    struct dsink *sink = stream->sink;
    HRESULT hr;

    DLOG("%s.PlaceMarker(%s)", stream->name, marker_name(type));
    if (FAILED(hr = dfault_check(DCALL_STREAMSINK_PLACE_MARKER))) return hr;

    EnterCriticalSection(&sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream)))
    {
        hr = IMFMediaEventQueue_QueueEventParamVar(stream->queue, MEStreamSinkMarker, &GUID_NULL, S_OK, context);
        if (SUCCEEDED(hr) && type == MFSTREAMSINK_MARKER_ENDOFSEGMENT)
        {
            ++stream->markers;
            dsink_check_done(sink);
        }
    }
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dstreamsink_Flush(IMFStreamSink *iface)
{
    struct dstreamsink *stream = impl_from_IMFStreamSink(iface);
    HRESULT hr;

    DLOG("%s.Flush", stream->name);
    if (FAILED(hr = dfault_check(DCALL_STREAMSINK_FLUSH))) return hr;
    EnterCriticalSection(&stream->sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream)) && stream->sink->desc.flush_forgets)
    {
        stream->outstanding = 0;
        stream->starved = TRUE;
        stream->limit_base = stream->received;
    }
    LeaveCriticalSection(&stream->sink->cs);
    return hr;
}

static const IMFStreamSinkVtbl dstreamsink_vtbl =
{
    dstreamsink_QueryInterface, dstreamsink_AddRef, dstreamsink_Release,
    dstreamsink_GetEvent, dstreamsink_BeginGetEvent, dstreamsink_EndGetEvent, dstreamsink_QueueEvent,
    dstreamsink_GetMediaSink, dstreamsink_GetIdentifier, dstreamsink_GetMediaTypeHandler,
    dstreamsink_ProcessSample, dstreamsink_PlaceMarker, dstreamsink_Flush,
};

/* ---- IMFMediaTypeHandler: any audio type --------------------------------- */

static HRESULT WINAPI dtypehandler_QueryInterface(IMFMediaTypeHandler *iface, REFIID riid, void **out)
{
    return IMFStreamSink_QueryInterface(&impl_from_IMFMediaTypeHandler(iface)->IMFStreamSink_iface, riid, out);
}

static ULONG WINAPI dtypehandler_AddRef(IMFMediaTypeHandler *iface)
{
    return IMFStreamSink_AddRef(&impl_from_IMFMediaTypeHandler(iface)->IMFStreamSink_iface);
}

static ULONG WINAPI dtypehandler_Release(IMFMediaTypeHandler *iface)
{
    return IMFStreamSink_Release(&impl_from_IMFMediaTypeHandler(iface)->IMFStreamSink_iface);
}

static HRESULT WINAPI dtypehandler_IsMediaTypeSupported(IMFMediaTypeHandler *iface, IMFMediaType *type,
        IMFMediaType **closest)
{
    if (closest) *closest = NULL;
    if (!type) return E_POINTER;
    return dtype_is_audio(type) ? S_OK : MF_E_INVALIDMEDIATYPE;
}

static HRESULT WINAPI dtypehandler_GetMediaTypeCount(IMFMediaTypeHandler *iface, DWORD *count)
{
    if (!count) return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI dtypehandler_GetMediaTypeByIndex(IMFMediaTypeHandler *iface, DWORD index, IMFMediaType **type)
{
    if (!type) return E_POINTER;
    *type = NULL;
    if (index) return MF_E_NO_MORE_TYPES;
    return dtype_create_pcm(type);
}

static HRESULT WINAPI dtypehandler_SetCurrentMediaType(IMFMediaTypeHandler *iface, IMFMediaType *type)
{
    struct dstreamsink *stream = impl_from_IMFMediaTypeHandler(iface);
    HRESULT hr;

    DLOG("%s.SetCurrentMediaType", stream->name);
    if (FAILED(hr = dfault_check(DCALL_STREAMSINK_SET_MEDIA_TYPE))) return hr;
    if (!type) return E_POINTER;
    if (!dtype_is_audio(type)) return MF_E_INVALIDMEDIATYPE;
    EnterCriticalSection(&stream->sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream)))
    {
        if (stream->type) IMFMediaType_Release(stream->type);
        stream->type = type;
        IMFMediaType_AddRef(type);
    }
    LeaveCriticalSection(&stream->sink->cs);
    return hr;
}

static HRESULT WINAPI dtypehandler_GetCurrentMediaType(IMFMediaTypeHandler *iface, IMFMediaType **type)
{
    struct dstreamsink *stream = impl_from_IMFMediaTypeHandler(iface);
    HRESULT hr;

    if (!type) return E_POINTER;
    *type = NULL;
    EnterCriticalSection(&stream->sink->cs);
    if (SUCCEEDED(hr = dstreamsink_state(stream)))
    {
        if ((*type = stream->type)) IMFMediaType_AddRef(*type);
        else hr = MF_E_NOT_INITIALIZED;
    }
    LeaveCriticalSection(&stream->sink->cs);
    return hr;
}

static HRESULT WINAPI dtypehandler_GetMajorType(IMFMediaTypeHandler *iface, GUID *type)
{
    if (!type) return E_POINTER;
    *type = MFMediaType_Audio;
    return S_OK;
}

static const IMFMediaTypeHandlerVtbl dtypehandler_vtbl =
{
    dtypehandler_QueryInterface, dtypehandler_AddRef, dtypehandler_Release,
    dtypehandler_IsMediaTypeSupported, dtypehandler_GetMediaTypeCount, dtypehandler_GetMediaTypeByIndex,
    dtypehandler_SetCurrentMediaType, dtypehandler_GetCurrentMediaType, dtypehandler_GetMajorType,
};

HRESULT dstreamsink_create(struct dsink *sink, DWORD id, IMFMediaType *type, struct dstreamsink **out)
{
    struct dstreamsink *stream;
    HRESULT hr;

    *out = NULL;
    if (!(stream = calloc(1, sizeof(*stream)))) return E_OUTOFMEMORY;
    stream->IMFStreamSink_iface.lpVtbl = &dstreamsink_vtbl;
    stream->IMFMediaTypeHandler_iface.lpVtbl = &dtypehandler_vtbl;
    stream->refcount = 1;
    stream->sink = sink;
    stream->id = id;
    if (sink->desc.name) dname_set(stream->name, sizeof(stream->name), "%s.ss%lu", sink->desc.name, (unsigned long)id);
    else dname_set(stream->name, sizeof(stream->name), "ss%lu", (unsigned long)id);
    if (FAILED(hr = MFCreateEventQueue(&stream->queue)))
    {
        free(stream);
        return hr;
    }
    if (type)
    {
        stream->type = type;
        IMFMediaType_AddRef(type);
    }
    else if (FAILED(hr = dtype_create_pcm(&stream->type)))
    {
        IMFMediaEventQueue_Release(stream->queue);
        free(stream);
        return hr;
    }
    /* Counted in the sink's core from now on: its Release drops it. */
    dsink_core_addref(sink);
    *out = stream;
    return S_OK;
}
