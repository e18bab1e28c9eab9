/*
 * The test source's streams (dsource.c has the source and the events it
 * queues): IMFMediaStream, the samples they deliver (every byte the sample's
 * index, times k * sample_duration), the end of stream, and the work item
 * that answers a kept request when desc.async_samples is set.
 */
#include "doubles_private.h"
#include <stdlib.h>
#include <string.h>

static struct dstream *impl_from_IMFMediaStream(IMFMediaStream *iface)
{
    return CONTAINING_RECORD(iface, struct dstream, IMFMediaStream_iface);
}

void dstream_drop_pending(struct dstream *stream)
{
    while (stream->pending_count)
    {
        IUnknown *token = stream->pending[--stream->pending_count];
        if (token) IUnknown_Release(token);
    }
}

void dstream_end(struct dstream *stream)
{
    stream->eos = TRUE;
    IMFMediaEventQueue_QueueEventParamVar(stream->queue, MEEndOfStream, &GUID_NULL, S_OK, NULL);
    dsource_check_end_of_presentation(stream->source);
}

static HRESULT dstream_create_sample(struct dstream *stream, IUnknown *token, IMFSample **out)
{
    const struct dsource_desc *desc = &stream->source->desc;
    IMFMediaBuffer *buffer = NULL;
    IMFSample *sample = NULL;
    DWORD size = desc->sample_bytes ? desc->sample_bytes : 1;
    BYTE *data;
    HRESULT hr;

    if (FAILED(hr = MFCreateSample(&sample))) return hr;
    if (FAILED(hr = MFCreateMemoryBuffer(size, &buffer))) goto failed;
    /* Every byte holds the sample's index, so transforms' output can be checked. */
    if (SUCCEEDED(hr = IMFMediaBuffer_Lock(buffer, &data, NULL, NULL)))
    {
        memset(data, (BYTE)stream->next, size);
        IMFMediaBuffer_Unlock(buffer);
    }
    if (FAILED(hr = IMFMediaBuffer_SetCurrentLength(buffer, desc->sample_bytes))) goto failed;
    if (FAILED(hr = IMFSample_AddBuffer(sample, buffer))) goto failed;
    if (FAILED(hr = IMFSample_SetSampleTime(sample, (LONGLONG)stream->next * desc->sample_duration))) goto failed;
    if (FAILED(hr = IMFSample_SetSampleDuration(sample, desc->sample_duration))) goto failed;
    if (token && FAILED(hr = IMFSample_SetUnknown(sample, &MFSampleExtension_Token, token))) goto failed;
    IMFMediaBuffer_Release(buffer);
    *out = sample;
    return S_OK;

failed:
    if (buffer) IMFMediaBuffer_Release(buffer);
    IMFSample_Release(sample);
    return hr;
}

/* Answers one request (lock held): a sample, or the lazy end of stream. */
HRESULT dstream_deliver(struct dstream *stream, IUnknown *token)
{
    const struct dsource_desc *desc = &stream->source->desc;
    IMFSample *sample;
    HRESULT hr;

    if (stream->next >= desc->samples_per_stream)
    {
        dstream_end(stream);
        return S_OK;
    }
    if (FAILED(hr = dstream_create_sample(stream, token, &sample))) return hr;
    hr = IMFMediaEventQueue_QueueEventParamUnk(stream->queue, MEMediaSample, &GUID_NULL, S_OK, (IUnknown *)sample);
    IMFSample_Release(sample);
    if (FAILED(hr)) return hr;
    ++stream->next;
    InterlockedIncrement(&stream->delivered);
    if (desc->eager_end_of_stream && stream->next >= desc->samples_per_stream)
        dstream_end(stream);
    return S_OK;
}

/* ---- async_samples: the work item that answers a kept request ------------- */

static struct dstream *impl_from_serve_callback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct dstream, serve_callback);
}

static HRESULT WINAPI serve_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* A pending work item keeps the source's memory (its core count), not the source. */
static ULONG WINAPI serve_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_serve_callback(iface)->source->core);
}

static ULONG WINAPI serve_Release(IMFAsyncCallback *iface)
{
    dsource_core_release(impl_from_serve_callback(iface)->source);
    return 1;
}

static HRESULT WINAPI serve_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI serve_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct dstream *stream = impl_from_serve_callback(iface);
    struct dsource *source = stream->source;
    IUnknown *token;

    EnterCriticalSection(&source->cs);
    /* Paused: kept for the resume; stopped or shut down: already dropped. */
    if (source->state == DSOURCE_STARTED && stream->active && stream->pending_count)
    {
        token = stream->pending[0];
        memmove(stream->pending, stream->pending + 1, --stream->pending_count * sizeof(*stream->pending));
        if (!stream->eos) dstream_deliver(stream, token);
        if (token) IUnknown_Release(token);
    }
    LeaveCriticalSection(&source->cs);
    return S_OK;
}

const IMFAsyncCallbackVtbl dstream_serve_vtbl =
{
    serve_QueryInterface, serve_AddRef, serve_Release, serve_GetParameters, serve_Invoke,
};

/* ---- IMFMediaStream -------------------------------------------------------- */

static HRESULT WINAPI dstream_QueryInterface(IMFMediaStream *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFMediaStream) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFMediaStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI dstream_AddRef(IMFMediaStream *iface)
{
    return InterlockedIncrement(&impl_from_IMFMediaStream(iface)->refcount);
}

static ULONG WINAPI dstream_Release(IMFMediaStream *iface)
{
    struct dstream *stream = impl_from_IMFMediaStream(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);
    if (!refcount) dsource_core_release(stream->source);
    return refcount;
}

static HRESULT WINAPI dstream_GetEvent(IMFMediaStream *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_GetEvent(impl_from_IMFMediaStream(iface)->queue, flags, event);
}

static HRESULT WINAPI dstream_BeginGetEvent(IMFMediaStream *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    HRESULT hr;
    if (FAILED(hr = dfault_check(DCALL_STREAM_BEGIN_GET_EVENT))) return hr;
    return IMFMediaEventQueue_BeginGetEvent(impl_from_IMFMediaStream(iface)->queue, callback, state);
}

static HRESULT WINAPI dstream_EndGetEvent(IMFMediaStream *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_EndGetEvent(impl_from_IMFMediaStream(iface)->queue, result, event);
}

static HRESULT WINAPI dstream_QueueEvent(IMFMediaStream *iface, MediaEventType type, REFGUID ext_type,
        HRESULT status, const PROPVARIANT *value)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFMediaStream(iface)->queue, type, ext_type, status, value);
}

static HRESULT WINAPI dstream_GetMediaSource(IMFMediaStream *iface, IMFMediaSource **out)
{
    struct dstream *stream = impl_from_IMFMediaStream(iface);
    struct dsource *source = stream->source;
    HRESULT hr = S_OK;

    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&source->cs);
    /* A source whose last reference is gone is shut down: it is never revived. */
    if (source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else
    {
        *out = &source->IMFMediaSource_iface;
        IMFMediaSource_AddRef(*out);
    }
    LeaveCriticalSection(&source->cs);
    return hr;
}

static HRESULT WINAPI dstream_GetStreamDescriptor(IMFMediaStream *iface, IMFStreamDescriptor **out)
{
    struct dstream *stream = impl_from_IMFMediaStream(iface);
    HRESULT hr = S_OK;

    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&stream->source->cs);
    if (stream->source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else
    {
        *out = stream->sd;
        IMFStreamDescriptor_AddRef(*out);
    }
    LeaveCriticalSection(&stream->source->cs);
    return hr;
}

/* async_samples: the work item that answers the oldest kept request; with
 * end_when_spoken_for it runs 20 ms later, so that requests made together
 * all come before any answer. */
static HRESULT dstream_schedule_answer(struct dstream *stream)
{
    MFWORKITEM_KEY key;
    if (stream->source->desc.end_when_spoken_for)
        return MFScheduleWorkItem(&stream->serve_callback, NULL, -20, &key);
    return MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &stream->serve_callback, NULL);
}

static HRESULT WINAPI dstream_RequestSample(IMFMediaStream *iface, IUnknown *token)
{
    struct dstream *stream = impl_from_IMFMediaStream(iface);
    struct dsource *source = stream->source;
    HRESULT hr;

    DLOG("%s.RequestSample", stream->name);
    if (FAILED(hr = dfault_check(DCALL_STREAM_REQUEST_SAMPLE))) return hr;

    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else if (source->state == DSOURCE_STOPPED || !stream->active)
        hr = MF_E_MEDIA_SOURCE_WRONGSTATE;
    else if (stream->eos)
    {
        if (source->desc.end_when_spoken_for) DLOG("%s.RequestSample refused: the end", stream->name);
        hr = MF_E_END_OF_STREAM;
    }
    else if (source->desc.end_when_spoken_for && source->desc.async_samples
            && stream->next + stream->pending_count >= source->desc.samples_per_stream)
    {
        DLOG("%s.RequestSample refused: the end", stream->name);
        hr = MF_E_END_OF_STREAM;
    }
    else if (source->state == DSOURCE_PAUSED || source->desc.async_samples || source->desc.hold_requests)
    {
        if (stream->pending_count == stream->pending_size)
        {
            unsigned size = stream->pending_size ? stream->pending_size * 2 : 8;
            IUnknown **grown = realloc(stream->pending, size * sizeof(*grown));
            if (grown)
            {
                stream->pending = grown;
                stream->pending_size = size;
            }
        }
        if (stream->pending_count < stream->pending_size)
        {
            if (token) IUnknown_AddRef(token);
            stream->pending[stream->pending_count++] = token;
            if (source->state == DSOURCE_STARTED && !source->desc.hold_requests
                    && FAILED(hr = dstream_schedule_answer(stream)))
            {
                --stream->pending_count;
                if (token) IUnknown_Release(token);
            }
        }
        else
            hr = E_OUTOFMEMORY;
    }
    else
        hr = dstream_deliver(stream, token);
    LeaveCriticalSection(&source->cs);
    return hr;
}

const IMFMediaStreamVtbl dstream_vtbl =
{
    dstream_QueryInterface, dstream_AddRef, dstream_Release,
    dstream_GetEvent, dstream_BeginGetEvent, dstream_EndGetEvent, dstream_QueueEvent,
    dstream_GetMediaSource, dstream_GetStreamDescriptor, dstream_RequestSample,
};
