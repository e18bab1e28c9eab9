/*
 * The test media sink: IMFMediaSink (or IMFFinalizableMediaSink), its
 * IMFClockStateSink, IMFMediaSinkPreroll and IMFPresentationTimeSource.
 *
 * Clock notifications reach every current stream sink:
 *   OnClockStart   -> MEStreamSinkStarted, then requests up to request_depth
 *   OnClockStop    -> MEStreamSinkStopped; outstanding requests are forgotten
 *   OnClockPause   -> MEStreamSinkPaused
 *   OnClockRestart -> MEStreamSinkStarted, then requests up to request_depth
 *   OnClockSetRate -> logged only
 * Every notification is answered, also one repeating the current state.
 * With time_source, IMFPresentationTimeSource is answered by a system time
 * source; the clock runs it through the time source's own IMFClockStateSink
 * (QueryInterface on the time source), which does nothing else, so the stream
 * sinks hear of each change once (see dsink_clock.c).
 * NotifyPreroll: every stream sink requests (up to request_depth) and sends
 * MEStreamSinkPrerolled after its next sample.
 * BeginFinalize: the callback is invoked on MFASYNC_CALLBACK_QUEUE_STANDARD;
 * EndFinalize returns the result's status.
 * Lifetime: the sink holds one reference on each stream sink; a stream sink
 * points back without one; memory lives while either is referenced.  The
 * clock holds the sink (AddClockStateSink) until SetPresentationClock(NULL)
 * or Shutdown.
 */
#include "doubles_private.h"
#include <evr.h>
#include <stdlib.h>

static struct dsink *impl_from_IMFMediaSink(IMFFinalizableMediaSink *iface)
{
    return CONTAINING_RECORD(iface, struct dsink, IMFFinalizableMediaSink_iface);
}

static IMFMediaSink *dsink_media_sink(struct dsink *sink)
{
    return (IMFMediaSink *)&sink->IMFFinalizableMediaSink_iface;
}

void dsink_core_addref(struct dsink *sink)
{
    InterlockedIncrement(&sink->core);
}

void dsink_core_release(struct dsink *sink)
{
    if (InterlockedDecrement(&sink->core)) return;
    if (sink->system_time_sink) IMFClockStateSink_Release(sink->system_time_sink);
    if (sink->system_time_source) IMFPresentationTimeSource_Release(sink->system_time_source);
    if (sink->done) CloseHandle(sink->done);
    DeleteCriticalSection(&sink->cs);
    free(sink);
}

BOOL dsink_try_addref(struct dsink *sink)
{
    LONG count = sink->refcount;

    while (count > 0)
    {
        LONG seen = InterlockedCompareExchange(&sink->refcount, count + 1, count);
        if (seen == count) return TRUE;
        count = seen;
    }
    return FALSE;
}

const char *dsink_name(struct dsink *sink)
{
    return sink->name;
}

const char *dsink_activate_name(struct dsink *sink)
{
    return sink->activate_name;
}

void dsink_check_done(struct dsink *sink)
{
    unsigned i;

    if (!sink->stream_count) return;
    for (i = 0; i < sink->stream_count; ++i)
    {
        struct dstreamsink *stream = sink->streams[i];
        if (sink->target ? (unsigned)stream->received < sink->target : !stream->markers) return;
    }
    SetEvent(sink->done);
}

/* Marks the sink shut down, then leaves the clock and shuts the queues down
 * without holding the lock. */
static HRESULT dsink_shutdown(struct dsink *sink)
{
    struct dstreamsink *streams[DOUBLES_MAX_STREAMS];
    IMFPresentationClock *clock;
    unsigned i, count;

    EnterCriticalSection(&sink->cs);
    if (sink->shut_down)
    {
        LeaveCriticalSection(&sink->cs);
        return MF_E_SHUTDOWN;
    }
    sink->shut_down = TRUE;
    clock = sink->clock;
    sink->clock = NULL;
    count = sink->stream_count;
    for (i = 0; i < count; ++i) streams[i] = sink->streams[i];
    LeaveCriticalSection(&sink->cs);

    for (i = 0; i < count; ++i) dstreamsink_shutdown_queue(streams[i]);
    if (clock)
    {
        IMFPresentationClock_RemoveClockStateSink(clock, &sink->IMFClockStateSink_iface);
        IMFPresentationClock_Release(clock);
    }
    return S_OK;
}

/* ---- IMFMediaSink / IMFFinalizableMediaSink -------------------------------- */

static HRESULT WINAPI dsink_QueryInterface(IMFFinalizableMediaSink *iface, REFIID riid, void **out)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);

    if (IsEqualIID(riid, &IID_IMFMediaSink) || IsEqualIID(riid, &IID_IUnknown)
            || (sink->desc.finalizable && IsEqualIID(riid, &IID_IMFFinalizableMediaSink)))
        *out = &sink->IMFFinalizableMediaSink_iface;
    else if (IsEqualIID(riid, &IID_IMFClockStateSink))
        *out = &sink->IMFClockStateSink_iface;
    else if (sink->desc.prerollable && IsEqualIID(riid, &IID_IMFMediaSinkPreroll))
        *out = &sink->IMFMediaSinkPreroll_iface;
    else if (sink->desc.time_source && (IsEqualIID(riid, &IID_IMFPresentationTimeSource)
            || IsEqualIID(riid, &IID_IMFClock)))
        *out = &sink->IMFPresentationTimeSource_iface;
    else if (sink->desc.renderer_services && IsEqualIID(riid, &IID_IMFGetService))
        *out = &sink->IMFGetService_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

/* The renderer services (renderer_services): what a renderer offers through
 * IMFGetService, for the session to forward. */
static struct dsink *impl_from_IMFGetService(IMFGetService *iface)
{
    return CONTAINING_RECORD(iface, struct dsink, IMFGetService_iface);
}

static HRESULT WINAPI dsink_gs_QueryInterface(IMFGetService *iface, REFIID riid, void **out)
{
    return dsink_QueryInterface(&impl_from_IMFGetService(iface)->IMFFinalizableMediaSink_iface, riid, out);
}

static ULONG WINAPI dsink_gs_AddRef(IMFGetService *iface)
{
    return IMFFinalizableMediaSink_AddRef(&impl_from_IMFGetService(iface)->IMFFinalizableMediaSink_iface);
}

static ULONG WINAPI dsink_gs_Release(IMFGetService *iface)
{
    return IMFFinalizableMediaSink_Release(&impl_from_IMFGetService(iface)->IMFFinalizableMediaSink_iface);
}

static HRESULT WINAPI dsink_gs_GetService(IMFGetService *iface, REFGUID service, REFIID riid, void **out)
{
    struct dsink *sink = impl_from_IMFGetService(iface);

    if (!out) return E_POINTER;
    *out = NULL;
    if (!IsEqualGUID(service, &MR_POLICY_VOLUME_SERVICE) && !IsEqualGUID(service, &MR_STREAM_VOLUME_SERVICE)
            && !IsEqualGUID(service, &MR_AUDIO_POLICY_SERVICE) && !IsEqualGUID(service, &MR_VIDEO_RENDER_SERVICE))
        return MF_E_UNSUPPORTED_SERVICE;
    DLOG("%s.GetService", sink->name);
    if (!IsEqualIID(riid, &IID_IUnknown)) return E_NOINTERFACE;
    *out = (IUnknown *)&sink->IMFFinalizableMediaSink_iface;
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static const IMFGetServiceVtbl dsink_get_service_vtbl =
{
    dsink_gs_QueryInterface, dsink_gs_AddRef, dsink_gs_Release, dsink_gs_GetService,
};

static ULONG WINAPI dsink_AddRef(IMFFinalizableMediaSink *iface)
{
    return InterlockedIncrement(&impl_from_IMFMediaSink(iface)->refcount);
}

static ULONG WINAPI dsink_Release(IMFFinalizableMediaSink *iface)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    ULONG refcount = InterlockedDecrement(&sink->refcount);
    unsigned i;

    if (!refcount)
    {
        dsink_shutdown(sink);
        for (i = 0; i < sink->stream_count; ++i)
            IMFStreamSink_Release(&sink->streams[i]->IMFStreamSink_iface);
        sink->stream_count = 0;
        dsink_core_release(sink);
    }
    return refcount;
}

static HRESULT WINAPI dsink_GetCharacteristics(IMFFinalizableMediaSink *iface, DWORD *flags)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_SINK_GET_CHARACTERISTICS))) return hr;
    if (!flags) return E_POINTER;
    if (sink->shut_down) return MF_E_SHUTDOWN;
    *flags = (sink->desc.rateless ? MEDIASINK_RATELESS : 0)
            | (sink->desc.fixed_streams ? MEDIASINK_FIXED_STREAMS : 0)
            | (sink->desc.prerollable ? MEDIASINK_CAN_PREROLL : 0);
    return S_OK;
}

static struct dstreamsink *dsink_find_stream(struct dsink *sink, DWORD id, unsigned *index)
{
    unsigned i;
    for (i = 0; i < sink->stream_count; ++i)
    {
        if (sink->streams[i]->id == id)
        {
            if (index) *index = i;
            return sink->streams[i];
        }
    }
    return NULL;
}

static HRESULT WINAPI dsink_AddStreamSink(IMFFinalizableMediaSink *iface, DWORD id, IMFMediaType *type,
        IMFStreamSink **out)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    struct dstreamsink *stream;
    HRESULT hr;

    DLOG("%s.AddStreamSink(%lu)", sink->name, (unsigned long)id);
    if (FAILED(hr = dfault_check(DCALL_SINK_ADD_STREAM_SINK))) return hr;
    if (out) *out = NULL;

    EnterCriticalSection(&sink->cs);
    if (sink->shut_down)
        hr = MF_E_SHUTDOWN;
    else if (sink->desc.fixed_streams)
        hr = MF_E_STREAMSINKS_FIXED;
    else if (dsink_find_stream(sink, id, NULL))
        hr = MF_E_STREAMSINK_EXISTS;
    else if (sink->stream_count == DOUBLES_MAX_STREAMS)
        hr = MF_E_INVALIDREQUEST;
    else if (SUCCEEDED(hr = dstreamsink_create(sink, id, type, &stream)))
    {
        sink->streams[sink->stream_count++] = stream;
        if (out)
        {
            *out = &stream->IMFStreamSink_iface;
            IMFStreamSink_AddRef(*out);
        }
    }
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dsink_RemoveStreamSink(IMFFinalizableMediaSink *iface, DWORD id)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    struct dstreamsink *stream = NULL;
    unsigned i;
    HRESULT hr;

    DLOG("%s.RemoveStreamSink(%lu)", sink->name, (unsigned long)id);
    if (FAILED(hr = dfault_check(DCALL_SINK_REMOVE_STREAM_SINK))) return hr;

    EnterCriticalSection(&sink->cs);
    if (sink->shut_down)
        hr = MF_E_SHUTDOWN;
    else if (sink->desc.fixed_streams)
        hr = MF_E_STREAMSINKS_FIXED;
    else if (!(stream = dsink_find_stream(sink, id, &i)))
        hr = MF_E_INVALIDSTREAMNUMBER;
    else
    {
        stream->removed = TRUE;
        for (; i + 1 < sink->stream_count; ++i) sink->streams[i] = sink->streams[i + 1];
        --sink->stream_count;
        dsink_check_done(sink);
    }
    LeaveCriticalSection(&sink->cs);

    if (stream)
    {
        dstreamsink_shutdown_queue(stream);
        IMFStreamSink_Release(&stream->IMFStreamSink_iface);
    }
    return hr;
}

static HRESULT WINAPI dsink_GetStreamSinkCount(IMFFinalizableMediaSink *iface, DWORD *count)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr = S_OK;

    if (!count) return E_POINTER;
    EnterCriticalSection(&sink->cs);
    if (sink->shut_down) hr = MF_E_SHUTDOWN;
    else *count = sink->stream_count;
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT dsink_get_stream(struct dsink *sink, struct dstreamsink *stream, HRESULT missing, IMFStreamSink **out)
{
    if (sink->shut_down) return MF_E_SHUTDOWN;
    if (!stream) return missing;
    *out = &stream->IMFStreamSink_iface;
    IMFStreamSink_AddRef(*out);
    return S_OK;
}

static HRESULT WINAPI dsink_GetStreamSinkByIndex(IMFFinalizableMediaSink *iface, DWORD index, IMFStreamSink **out)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_SINK_GET_STREAM_SINK))) return hr;
    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&sink->cs);
    hr = dsink_get_stream(sink, index < sink->stream_count ? sink->streams[index] : NULL, MF_E_INVALIDINDEX, out);
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dsink_GetStreamSinkById(IMFFinalizableMediaSink *iface, DWORD id, IMFStreamSink **out)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_SINK_GET_STREAM_SINK))) return hr;
    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&sink->cs);
    hr = dsink_get_stream(sink, dsink_find_stream(sink, id, NULL), MF_E_INVALIDSTREAMNUMBER, out);
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dsink_SetPresentationClock(IMFFinalizableMediaSink *iface, IMFPresentationClock *clock)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    IMFPresentationClock *old;
    HRESULT hr;

    DLOG(clock ? "%s.SetPresentationClock" : "%s.SetPresentationClock(NULL)", sink->name);
    if (FAILED(hr = dfault_check(DCALL_SINK_SET_CLOCK))) return hr;

    EnterCriticalSection(&sink->cs);
    hr = sink->shut_down ? MF_E_SHUTDOWN : S_OK;
    old = sink->clock;
    LeaveCriticalSection(&sink->cs);
    if (FAILED(hr) || clock == old) return hr;

    /* The clock is called without the lock: it may notify us synchronously. */
    if (clock && FAILED(hr = IMFPresentationClock_AddClockStateSink(clock, &sink->IMFClockStateSink_iface)))
        return hr;
    EnterCriticalSection(&sink->cs);
    old = sink->clock;
    if ((sink->clock = clock)) IMFPresentationClock_AddRef(clock);
    LeaveCriticalSection(&sink->cs);
    if (old)
    {
        IMFPresentationClock_RemoveClockStateSink(old, &sink->IMFClockStateSink_iface);
        IMFPresentationClock_Release(old);
    }
    return S_OK;
}

static HRESULT WINAPI dsink_GetPresentationClock(IMFFinalizableMediaSink *iface, IMFPresentationClock **clock)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr = S_OK;

    if (!clock) return E_POINTER;
    *clock = NULL;
    EnterCriticalSection(&sink->cs);
    if (sink->shut_down) hr = MF_E_SHUTDOWN;
    else if (!(*clock = sink->clock)) hr = MF_E_NO_CLOCK;
    else IMFPresentationClock_AddRef(*clock);
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dsink_Shutdown(IMFFinalizableMediaSink *iface)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr;

    DLOG("%s.Shutdown", sink->name);
    if (FAILED(hr = dfault_check(DCALL_SINK_SHUTDOWN))) return hr;
    return dsink_shutdown(sink);
}

static HRESULT WINAPI dsink_BeginFinalize(IMFFinalizableMediaSink *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    IMFAsyncResult *result;
    HRESULT hr;

    DLOG("%s.BeginFinalize", sink->name);
    if (FAILED(hr = dfault_check(DCALL_SINK_BEGIN_FINALIZE))) return hr;
    if (!callback) return E_INVALIDARG;
    if (sink->shut_down) return MF_E_SHUTDOWN;
    /* The result holds the sink until the callback has run. */
    if (FAILED(hr = MFCreateAsyncResult((IUnknown *)iface, callback, state, &result))) return hr;
    hr = MFPutWorkItemEx(MFASYNC_CALLBACK_QUEUE_STANDARD, result);
    IMFAsyncResult_Release(result);
    return hr;
}

static HRESULT WINAPI dsink_EndFinalize(IMFFinalizableMediaSink *iface, IMFAsyncResult *result)
{
    struct dsink *sink = impl_from_IMFMediaSink(iface);
    HRESULT hr;

    DLOG("%s.EndFinalize", sink->name);
    if (FAILED(hr = dfault_check(DCALL_SINK_END_FINALIZE))) return hr;
    if (!result) return E_INVALIDARG;
    return IMFAsyncResult_GetStatus(result);
}

static const IMFFinalizableMediaSinkVtbl dsink_vtbl =
{
    dsink_QueryInterface, dsink_AddRef, dsink_Release,
    dsink_GetCharacteristics, dsink_AddStreamSink, dsink_RemoveStreamSink, dsink_GetStreamSinkCount,
    dsink_GetStreamSinkByIndex, dsink_GetStreamSinkById, dsink_SetPresentationClock,
    dsink_GetPresentationClock, dsink_Shutdown, dsink_BeginFinalize, dsink_EndFinalize,
};

/* ---- creation and test accessors ------------------------------------------- */

HRESULT dsink_create(const struct dsink_desc *desc, struct dsink **out)
{
    struct dsink *sink;
    IMFMediaType *type = NULL;
    unsigned i;
    HRESULT hr;

    *out = NULL;
    if (!desc || desc->stream_count > DOUBLES_MAX_STREAMS) return E_INVALIDARG;
    if (!(sink = calloc(1, sizeof(*sink)))) return E_OUTOFMEMORY;
    sink->IMFFinalizableMediaSink_iface.lpVtbl = &dsink_vtbl;
    sink->IMFClockStateSink_iface.lpVtbl = &dsink_clock_vtbl;
    sink->IMFMediaSinkPreroll_iface.lpVtbl = &dsink_preroll_vtbl;
    sink->IMFPresentationTimeSource_iface.lpVtbl = &dsink_time_vtbl;
    sink->IMFGetService_iface.lpVtbl = &dsink_get_service_vtbl;
    sink->time_source_sink_iface.lpVtbl = &dsink_time_source_sink_vtbl;
    sink->refcount = 1;
    sink->core = 1;
    sink->desc = *desc;
    dname_set(sink->name, sizeof(sink->name), "%s", desc->name ? desc->name : "sink");
    if (desc->name) dname_set(sink->activate_name, sizeof(sink->activate_name), "%s.act", desc->name);
    else dname_set(sink->activate_name, sizeof(sink->activate_name), "act");
    sink->desc.name = desc->name ? sink->name : NULL; /* the stream sinks' prefix, our own copy */
    sink->clock_state = DSINK_STOPPED;
    InitializeCriticalSection(&sink->cs);

    if (!(sink->done = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        hr = HRESULT_FROM_WIN32(GetLastError());
        goto failed;
    }
    if (desc->time_source)
    {
        if (FAILED(hr = MFCreateSystemTimeSource(&sink->system_time_source))) goto failed;
        if (FAILED(hr = IMFPresentationTimeSource_QueryInterface(sink->system_time_source, &IID_IMFClockStateSink,
                (void **)&sink->system_time_sink)))
            goto failed;
    }
    /* The stream sinks start with the sources' type, so a topology needs no resolution. */
    if (FAILED(hr = dtype_create_pcm(&type))) goto failed;
    for (i = 0; i < desc->stream_count; ++i)
    {
        if (FAILED(hr = dstreamsink_create(sink, i, type, &sink->streams[i]))) goto failed;
        sink->stream_count = i + 1;
    }
    IMFMediaType_Release(type);
    *out = sink;
    return S_OK;

failed:
    if (type) IMFMediaType_Release(type);
    dsink_Release(&sink->IMFFinalizableMediaSink_iface);
    return hr;
}

IMFMediaSink *dsink_iface(struct dsink *k)
{
    return dsink_media_sink(k);
}

IMFStreamSink *dsink_stream(struct dsink *k, unsigned i)
{
    IMFStreamSink *stream = NULL;
    EnterCriticalSection(&k->cs);
    if (i < k->stream_count) stream = &k->streams[i]->IMFStreamSink_iface;
    LeaveCriticalSection(&k->cs);
    return stream;
}

LONG dsink_refcount(struct dsink *k)
{
    return k->refcount;
}

LONG dsink_stream_refcount(struct dsink *k, unsigned i)
{
    LONG refcount = -1;
    EnterCriticalSection(&k->cs);
    if (i < k->stream_count) refcount = k->streams[i]->refcount;
    LeaveCriticalSection(&k->cs);
    return refcount;
}

enum dsink_item { ITEM_RECEIVED, ITEM_MARKERS, ITEM_UNREQUESTED, ITEM_DROPPED, ITEM_TIME, ITEM_DURATION };

/* Reads one counter or kept value of stream sink `i` under the lock. */
static LONGLONG dsink_read(struct dsink *k, unsigned i, enum dsink_item item, unsigned index)
{
    BOOL kept = item == ITEM_TIME || item == ITEM_DURATION;
    LONGLONG value = kept ? -1 : 0;
    struct dstreamsink *stream;

    EnterCriticalSection(&k->cs);
    if (i < k->stream_count)
    {
        stream = k->streams[i];
        switch (item)
        {
        case ITEM_RECEIVED: value = stream->received; break;
        case ITEM_MARKERS: value = stream->markers; break;
        case ITEM_UNREQUESTED: value = stream->unrequested; break;
        case ITEM_DROPPED: value = stream->dropped; break;
        case ITEM_TIME: if (index < stream->kept) value = stream->times[index]; break;
        case ITEM_DURATION: if (index < stream->kept) value = stream->durations[index]; break;
        }
    }
    LeaveCriticalSection(&k->cs);
    return value;
}

unsigned dsink_received(struct dsink *k, unsigned stream)
{
    return (unsigned)dsink_read(k, stream, ITEM_RECEIVED, 0);
}

unsigned dsink_markers(struct dsink *k, unsigned stream)
{
    return (unsigned)dsink_read(k, stream, ITEM_MARKERS, 0);
}

unsigned dsink_unrequested(struct dsink *k, unsigned stream)
{
    return (unsigned)dsink_read(k, stream, ITEM_UNREQUESTED, 0);
}

unsigned dsink_dropped(struct dsink *k, unsigned stream)
{
    return (unsigned)dsink_read(k, stream, ITEM_DROPPED, 0);
}

LONGLONG dsink_sample_time(struct dsink *k, unsigned stream, unsigned index)
{
    return dsink_read(k, stream, ITEM_TIME, index);
}

LONGLONG dsink_sample_duration(struct dsink *k, unsigned stream, unsigned index)
{
    return dsink_read(k, stream, ITEM_DURATION, index);
}

BOOL dsink_is_shut_down(struct dsink *k)
{
    return k->shut_down;
}

HANDLE dsink_done_event(struct dsink *k)
{
    return k->done;
}

void dsink_set_target(struct dsink *k, unsigned samples)
{
    EnterCriticalSection(&k->cs);
    k->target = samples;
    dsink_check_done(k);
    LeaveCriticalSection(&k->cs);
}

void dsink_reset_counts(struct dsink *k)
{
    unsigned i;

    EnterCriticalSection(&k->cs);
    for (i = 0; i < k->stream_count; ++i)
    {
        k->streams[i]->received = k->streams[i]->markers = 0;
        k->streams[i]->unrequested = k->streams[i]->dropped = 0;
        k->streams[i]->kept = 0;
    }
    ResetEvent(k->done);
    LeaveCriticalSection(&k->cs);
}

void dsink_release(struct dsink *k)
{
    if (k) dsink_Release(&k->IMFFinalizableMediaSink_iface);
}
