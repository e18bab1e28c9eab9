/* The asynchronous test transforms' events, the decoder's work item, and
 * their IMFMediaEventGenerator and IMFShutdown (see dmft_async.c). */
#include "dmft_async_private.h"
#include <string.h>

/* ---- events (lock held) ---- */

static void amft_raise(struct dmft_async *mft, MediaEventType type, const char *what, HRESULT status,
        const GUID *key, UINT64 value, BOOL is_uint64)
{
    IMFMediaEvent *event;

    if (mft->desc.silent || mft->shut_down) return;
    if (FAILED(MFCreateMediaEvent(type, &GUID_NULL, status, NULL, &event))) return;
    if (key && is_uint64) IMFMediaEvent_SetUINT64(event, key, value);
    else if (key) IMFMediaEvent_SetUINT32(event, key, (UINT32)value);
    DLOG("%s.raise(%s)", mft->name, what);
    IMFMediaEventQueue_QueueEvent(mft->queue, event);
    IMFMediaEvent_Release(event);
}

/* Asks for input while it has room for it. */
void amft_refill(struct dmft_async *mft)
{
    unsigned room = mft->desc.kind == DMFT_ASYNC_DECODER ? HELD_MAX : 1;
    unsigned busy;

    if (!mft->streaming || mft->draining) return;
    for (;;)
    {
        busy = mft->need + mft->held_count + (mft->desc.kind == DMFT_ASYNC_DECODER ? 0 : mft->ready_count);
        if (busy >= room || mft->ready_count + 2 > DMFT_ASYNC_READY_MAX) return;
        if (mft->desc.silent || mft->shut_down) return;
        ++mft->need;
        amft_raise(mft, METransformNeedInput, "NeedInput", S_OK, &MF_EVENT_MFT_INPUT_STREAM_ID, 0, FALSE);
    }
}

void amft_offer(struct dmft_async *mft, IMFSample *sample)
{
    mft->ready[mft->ready_count++] = sample;
    amft_raise(mft, METransformHaveOutput, "HaveOutput", mft->desc.have_output_status, NULL, 0, FALSE);
}

void amft_drop(struct dmft_async *mft)
{
    IMFSample *sample;

    while (mft->held_count)
    {
        sample = mft->held[--mft->held_count];
        IMFSample_Release(sample);
    }
    while (mft->ready_count)
    {
        sample = mft->ready[--mft->ready_count];
        IMFSample_Release(sample);
    }
    mft->need = 0;
}

/* ---- the decoder's work ---- */

/* Half of an input: its first or second half of bytes and time. */
static HRESULT amft_half(IMFSample *input, unsigned half, IMFSample **out)
{
    LONGLONG time = 0, duration = 0;
    IMFMediaBuffer *in_buffer, *buffer;
    DWORD length = 0, part;
    BYTE *in_data, *data;
    IMFSample *sample;
    HRESULT hr;

    if (FAILED(hr = IMFSample_ConvertToContiguousBuffer(input, &in_buffer))) return hr;
    if (FAILED(hr = MFCreateSample(&sample)))
    {
        IMFMediaBuffer_Release(in_buffer);
        return hr;
    }
    if (SUCCEEDED(hr = IMFMediaBuffer_Lock(in_buffer, &in_data, NULL, &length)))
    {
        part = length / 2;
        if (SUCCEEDED(hr = MFCreateMemoryBuffer(part ? part : 1, &buffer)))
        {
            if (SUCCEEDED(hr = IMFMediaBuffer_Lock(buffer, &data, NULL, NULL)))
            {
                memcpy(data, in_data + half * part, part);
                IMFMediaBuffer_Unlock(buffer);
                IMFMediaBuffer_SetCurrentLength(buffer, part);
                hr = IMFSample_AddBuffer(sample, buffer);
            }
            IMFMediaBuffer_Release(buffer);
        }
        IMFMediaBuffer_Unlock(in_buffer);
    }
    IMFMediaBuffer_Release(in_buffer);
    IMFSample_GetSampleTime(input, &time);
    IMFSample_GetSampleDuration(input, &duration);
    IMFSample_SetSampleTime(sample, time + half * (duration / 2));
    IMFSample_SetSampleDuration(sample, duration / 2);
    if (FAILED(hr))
    {
        IMFSample_Release(sample);
        return hr;
    }
    *out = sample;
    return S_OK;
}

/* Lock held: decodes what may come out now, then answers a drain or a marker. */
void amft_decode(struct dmft_async *mft)
{
    BOOL finishing = mft->draining || mft->marker_pending;
    IMFSample *input, *half;
    unsigned i;

    while (mft->held_count && (mft->held_count >= HELD_MAX || finishing)
            && mft->ready_count + 2 <= DMFT_ASYNC_READY_MAX)
    {
        input = mft->held[0];
        memmove(mft->held, mft->held + 1, --mft->held_count * sizeof(*mft->held));
        for (i = 0; i < 2; ++i)
            if (SUCCEEDED(amft_half(input, i, &half))) amft_offer(mft, half);
        IMFSample_Release(input);
    }
    if (!mft->held_count && mft->marker_pending)
    {
        mft->marker_pending = FALSE;
        amft_raise(mft, METransformMarker, "Marker", S_OK, &MF_EVENT_MFT_CONTEXT, mft->marker_context, TRUE);
    }
    if (!mft->held_count && mft->draining)
    {
        /* Nothing comes before the next NOTIFY_START_OF_STREAM. */
        mft->draining = mft->streaming = FALSE;
        amft_raise(mft, METransformDrainComplete, "DrainComplete", S_OK, NULL, 0, FALSE);
    }
    amft_refill(mft);
}

/* Lock held: the decoder works later, on a work queue thread. */
void amft_schedule(struct dmft_async *mft)
{
    if (mft->desc.kind != DMFT_ASYNC_DECODER) amft_decode(mft);
    else if (!mft->shut_down) MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &mft->decode_callback, NULL);
}

static struct dmft_async *impl_from_decode_callback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct dmft_async, decode_callback);
}

static HRESULT WINAPI decode_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
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

static ULONG WINAPI decode_AddRef(IMFAsyncCallback *iface)
{
    return IMFTransform_AddRef(&impl_from_decode_callback(iface)->IMFTransform_iface);
}

static ULONG WINAPI decode_Release(IMFAsyncCallback *iface)
{
    return IMFTransform_Release(&impl_from_decode_callback(iface)->IMFTransform_iface);
}

static HRESULT WINAPI decode_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL; /* optional: the standard queue */
}

static HRESULT WINAPI decode_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct dmft_async *mft = impl_from_decode_callback(iface);

    EnterCriticalSection(&mft->cs);
    if (!mft->shut_down) amft_decode(mft);
    LeaveCriticalSection(&mft->cs);
    return S_OK;
}

const IMFAsyncCallbackVtbl amft_decode_vtbl =
{
    decode_QueryInterface, decode_AddRef, decode_Release, decode_GetParameters, decode_Invoke,
};
/* ---- IMFMediaEventGenerator ---- */

static struct dmft_async *impl_from_IMFMediaEventGenerator(IMFMediaEventGenerator *iface)
{
    return CONTAINING_RECORD(iface, struct dmft_async, IMFMediaEventGenerator_iface);
}

static HRESULT WINAPI amft_events_QueryInterface(IMFMediaEventGenerator *iface, REFIID riid, void **out)
{
    return IMFTransform_QueryInterface(&impl_from_IMFMediaEventGenerator(iface)->IMFTransform_iface, riid, out);
}

static ULONG WINAPI amft_events_AddRef(IMFMediaEventGenerator *iface)
{
    return IMFTransform_AddRef(&impl_from_IMFMediaEventGenerator(iface)->IMFTransform_iface);
}

static ULONG WINAPI amft_events_Release(IMFMediaEventGenerator *iface)
{
    return IMFTransform_Release(&impl_from_IMFMediaEventGenerator(iface)->IMFTransform_iface);
}

static HRESULT WINAPI amft_events_GetEvent(IMFMediaEventGenerator *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_GetEvent(impl_from_IMFMediaEventGenerator(iface)->queue, flags, event);
}

static HRESULT WINAPI amft_events_BeginGetEvent(IMFMediaEventGenerator *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return IMFMediaEventQueue_BeginGetEvent(impl_from_IMFMediaEventGenerator(iface)->queue, callback, state);
}

static HRESULT WINAPI amft_events_EndGetEvent(IMFMediaEventGenerator *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_EndGetEvent(impl_from_IMFMediaEventGenerator(iface)->queue, result, event);
}

static HRESULT WINAPI amft_events_QueueEvent(IMFMediaEventGenerator *iface, MediaEventType type, REFGUID ext_type,
        HRESULT status, const PROPVARIANT *value)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFMediaEventGenerator(iface)->queue, type, ext_type,
            status, value);
}

const IMFMediaEventGeneratorVtbl amft_events_vtbl =
{
    amft_events_QueryInterface, amft_events_AddRef, amft_events_Release,
    amft_events_GetEvent, amft_events_BeginGetEvent, amft_events_EndGetEvent, amft_events_QueueEvent,
};

/* ---- IMFShutdown ---- */

static struct dmft_async *impl_from_IMFShutdown(IMFShutdown *iface)
{
    return CONTAINING_RECORD(iface, struct dmft_async, IMFShutdown_iface);
}

static HRESULT WINAPI amft_shutdown_QueryInterface(IMFShutdown *iface, REFIID riid, void **out)
{
    return IMFTransform_QueryInterface(&impl_from_IMFShutdown(iface)->IMFTransform_iface, riid, out);
}

static ULONG WINAPI amft_shutdown_AddRef(IMFShutdown *iface)
{
    return IMFTransform_AddRef(&impl_from_IMFShutdown(iface)->IMFTransform_iface);
}

static ULONG WINAPI amft_shutdown_Release(IMFShutdown *iface)
{
    return IMFTransform_Release(&impl_from_IMFShutdown(iface)->IMFTransform_iface);
}

static HRESULT WINAPI amft_shutdown_Shutdown(IMFShutdown *iface)
{
    struct dmft_async *mft = impl_from_IMFShutdown(iface);

    DLOG("%s.Shutdown", mft->name);
    EnterCriticalSection(&mft->cs);
    mft->shut_down = TRUE;
    amft_drop(mft);
    LeaveCriticalSection(&mft->cs);
    /* Events nobody will read no longer hold samples; a pending subscriber is let go. */
    dqueue_drain(mft->queue);
    IMFMediaEventQueue_Shutdown(mft->queue);
    return S_OK;
}

static HRESULT WINAPI amft_shutdown_GetShutdownStatus(IMFShutdown *iface, MFSHUTDOWN_STATUS *status)
{
    struct dmft_async *mft = impl_from_IMFShutdown(iface);

    if (!status) return E_INVALIDARG;
    if (!mft->shut_down) return MF_E_INVALIDREQUEST;
    *status = MFSHUTDOWN_COMPLETED;
    return S_OK;
}

const IMFShutdownVtbl amft_shutdown_vtbl =
{
    amft_shutdown_QueryInterface, amft_shutdown_AddRef, amft_shutdown_Release,
    amft_shutdown_Shutdown, amft_shutdown_GetShutdownStatus,
};

