/*
 * The asynchronous test transforms (MF_TRANSFORM_ASYNC = TRUE, see
 * doubles.h): one input and one output stream (ids 0), audio PCM types set
 * at creation.  They follow Microsoft's "Asynchronous MFTs" rules:
 *
 *  - Locked until the client sets MF_TRANSFORM_ASYNC_UNLOCK on the
 *    attributes: every IMFTransform call but GetAttributes then fails with
 *    MF_E_TRANSFORM_ASYNC_LOCKED and is logged "<name>.<Method>(locked)".
 *  - NOTIFY_START_OF_STREAM starts the input requests (METransformNeedInput,
 *    MF_EVENT_MFT_INPUT_STREAM_ID 0); a ProcessInput without an outstanding
 *    request fails with MF_E_NOTACCEPTING.
 *  - DMFT_ASYNC_ONE_TO_ONE: one request at a time; each input raises
 *    METransformHaveOutput inside ProcessInput; ProcessOutput fills the
 *    caller's sample (time, duration, bytes of the input); then it asks again.
 *  - DMFT_ASYNC_DECODER: up to two inputs held or asked for, and at most
 *    DMFT_ASYNC_READY_MAX outputs waiting; a work item (MFPutWorkItem) later
 *    turns the oldest held input into two outputs of half its duration (and
 *    half its bytes each) once a second input is held (one input of latency),
 *    raising one METransformHaveOutput per output; it provides the samples.
 *  - COMMAND_DRAIN: what is held comes out, then METransformDrainComplete;
 *    no more requests until NOTIFY_START_OF_STREAM.  COMMAND_FLUSH drops
 *    what is held and waiting, and stops the requests likewise.
 *    COMMAND_MARKER: METransformMarker (MF_EVENT_MFT_CONTEXT = the parameter)
 *    once the input before it has come out: at once when nothing is held.
 *  - IMFShutdown: the event queue shuts down; later calls give MF_E_SHUTDOWN.
 *
 * Logged: every ProcessMessage, accepted inputs and produced outputs (as
 * dmft.c does), every event raised ("<name>.raise(NeedInput)",
 * "(HaveOutput)", "(DrainComplete)", "(Marker)") and Shutdown.  Fault
 * switches: DCALL_MFT_PROCESS_INPUT, _OUTPUT, _MESSAGE (dfault_set), and
 * per instance `silent` (never raise an event), `have_output_status` and
 * `message_failure` for one message type.
 *
 * This file is the IMFTransform and the creation; dmft_async_work.c raises
 * the events, runs the decoder's work item and holds the event generator and
 * IMFShutdown (dmft_async_private.h between them).
 */
#include "dmft_async_private.h"
#include <stdlib.h>
#include <string.h>

static const IMFTransformVtbl amft_vtbl;

static struct dmft_async *impl_from_IMFTransform(IMFTransform *iface)
{
    return CONTAINING_RECORD(iface, struct dmft_async, IMFTransform_iface);
}

static struct dmft_async *amft_from_iface(IMFTransform *iface)
{
    return iface && iface->lpVtbl == &amft_vtbl ? impl_from_IMFTransform(iface) : NULL;
}

/* ---- IMFTransform ---- */

/* Every call but GetAttributes waits for MF_TRANSFORM_ASYNC_UNLOCK; then MF_E_SHUTDOWN after Shutdown. */
static HRESULT amft_check(struct dmft_async *mft, const char *method)
{
    UINT32 unlocked = FALSE;

    IMFAttributes_GetUINT32(mft->attributes, &MF_TRANSFORM_ASYNC_UNLOCK, &unlocked);
    if (!unlocked)
    {
        DLOG("%s.%s(locked)", mft->name, method);
        InterlockedIncrement(&mft->locked_calls);
        return MF_E_TRANSFORM_ASYNC_LOCKED;
    }
    return mft->shut_down ? MF_E_SHUTDOWN : S_OK;
}

#define CHECK_UNLOCKED(mft, method) do { HRESULT hr_ = amft_check(mft, method); if (FAILED(hr_)) return hr_; } while (0)

static HRESULT WINAPI amft_QueryInterface(IMFTransform *iface, REFIID riid, void **out)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);

    if (IsEqualIID(riid, &IID_IMFTransform) || IsEqualIID(riid, &IID_IUnknown)) *out = &mft->IMFTransform_iface;
    else if (IsEqualIID(riid, &IID_IMFMediaEventGenerator)) *out = &mft->IMFMediaEventGenerator_iface;
    else if (IsEqualIID(riid, &IID_IMFShutdown)) *out = &mft->IMFShutdown_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI amft_AddRef(IMFTransform *iface)
{
    return InterlockedIncrement(&impl_from_IMFTransform(iface)->refcount);
}

static ULONG WINAPI amft_Release(IMFTransform *iface)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);
    ULONG refcount = InterlockedDecrement(&mft->refcount);
    unsigned i;

    if (!refcount)
    {
        amft_drop(mft);
        for (i = 0; i < 2; ++i)
            if (mft->types[i]) IMFMediaType_Release(mft->types[i]);
        if (mft->queue)
        {
            dqueue_drain(mft->queue);
            IMFMediaEventQueue_Shutdown(mft->queue);
            IMFMediaEventQueue_Release(mft->queue);
        }
        if (mft->attributes) IMFAttributes_Release(mft->attributes);
        DeleteCriticalSection(&mft->cs);
        free(mft);
    }
    return refcount;
}

static HRESULT WINAPI amft_GetStreamLimits(IMFTransform *iface, DWORD *input_min, DWORD *input_max,
        DWORD *output_min, DWORD *output_max)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetStreamLimits");
    if (!input_min || !input_max || !output_min || !output_max) return E_POINTER;
    *input_min = *input_max = *output_min = *output_max = 1;
    return S_OK;
}

static HRESULT WINAPI amft_GetStreamCount(IMFTransform *iface, DWORD *inputs, DWORD *outputs)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetStreamCount");
    if (!inputs || !outputs) return E_POINTER;
    *inputs = *outputs = 1;
    return S_OK;
}

static HRESULT WINAPI amft_GetStreamIDs(IMFTransform *iface, DWORD input_size, DWORD *inputs,
        DWORD output_size, DWORD *outputs)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetStreamIDs");
    return E_NOTIMPL; /* fixed ids: 0 and 0 */
}

static HRESULT WINAPI amft_GetInputStreamInfo(IMFTransform *iface, DWORD id, MFT_INPUT_STREAM_INFO *info)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetInputStreamInfo");
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!info) return E_POINTER;
    memset(info, 0, sizeof(*info));
    return S_OK;
}

static HRESULT WINAPI amft_GetOutputStreamInfo(IMFTransform *iface, DWORD id, MFT_OUTPUT_STREAM_INFO *info)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);

    CHECK_UNLOCKED(mft, "GetOutputStreamInfo");
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!info) return E_POINTER;
    memset(info, 0, sizeof(*info));
    info->dwFlags = MFT_OUTPUT_STREAM_WHOLE_SAMPLES | MFT_OUTPUT_STREAM_SINGLE_SAMPLE_PER_BUFFER;
    if (mft->desc.kind == DMFT_ASYNC_DECODER) info->dwFlags |= MFT_OUTPUT_STREAM_PROVIDES_SAMPLES;
    else info->cbSize = DMFT_ASYNC_OUTPUT_BYTES;
    return S_OK;
}

static HRESULT WINAPI amft_GetAttributes(IMFTransform *iface, IMFAttributes **attributes)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);
    if (!attributes) return E_POINTER;
    *attributes = mft->attributes;
    IMFAttributes_AddRef(*attributes);
    return S_OK;
}

static HRESULT WINAPI amft_GetInputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **attributes)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetInputStreamAttributes");
    return E_NOTIMPL;
}

static HRESULT WINAPI amft_GetOutputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **attributes)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetOutputStreamAttributes");
    return E_NOTIMPL;
}

static HRESULT WINAPI amft_DeleteInputStream(IMFTransform *iface, DWORD id)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "DeleteInputStream");
    return E_NOTIMPL;
}

static HRESULT WINAPI amft_AddInputStreams(IMFTransform *iface, DWORD count, DWORD *ids)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "AddInputStreams");
    return E_NOTIMPL;
}

/* Both directions offer the one PCM type they were made with. */
static HRESULT amft_available(struct dmft_async *mft, const char *method, DWORD id, DWORD index, IMFMediaType **type)
{
    CHECK_UNLOCKED(mft, method);
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!type) return E_POINTER;
    *type = NULL;
    return index ? MF_E_NO_MORE_TYPES : dtype_create_pcm(type);
}

static HRESULT WINAPI amft_GetInputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    return amft_available(impl_from_IMFTransform(iface), "GetInputAvailableType", id, index, type);
}

static HRESULT WINAPI amft_GetOutputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    return amft_available(impl_from_IMFTransform(iface), "GetOutputAvailableType", id, index, type);
}

static HRESULT amft_type(struct dmft_async *mft, unsigned which, BOOL set, DWORD id, IMFMediaType **type, DWORD flags)
{
    static const char *const names[2][2] = {{"GetInputCurrentType", "GetOutputCurrentType"},
            {"SetInputType", "SetOutputType"}};
    HRESULT hr = S_OK;

    CHECK_UNLOCKED(mft, names[set][which]);
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (set && FAILED(hr = dfault_check(which ? DCALL_MFT_SET_OUTPUT_TYPE : DCALL_MFT_SET_INPUT_TYPE))) return hr;
    if (set && *type && !dtype_is_pcm(*type)) return MF_E_INVALIDMEDIATYPE;
    if (set && (flags & MFT_SET_TYPE_TEST_ONLY)) return S_OK;
    if (!set && !type) return E_POINTER;
    EnterCriticalSection(&mft->cs);
    if (set)
    {
        DLOG(*type ? "%s.%s" : "%s.%s(NULL)", mft->name, names[1][which]);
        if (mft->types[which]) IMFMediaType_Release(mft->types[which]);
        if ((mft->types[which] = *type)) IMFMediaType_AddRef(*type);
    }
    else if (!(*type = mft->types[which])) hr = MF_E_TRANSFORM_TYPE_NOT_SET;
    else IMFMediaType_AddRef(*type);
    LeaveCriticalSection(&mft->cs);
    return hr;
}

static HRESULT WINAPI amft_SetInputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    return amft_type(impl_from_IMFTransform(iface), 0, TRUE, id, &type, flags);
}

static HRESULT WINAPI amft_SetOutputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    return amft_type(impl_from_IMFTransform(iface), 1, TRUE, id, &type, flags);
}

static HRESULT WINAPI amft_GetInputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    return amft_type(impl_from_IMFTransform(iface), 0, FALSE, id, type, 0);
}

static HRESULT WINAPI amft_GetOutputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    return amft_type(impl_from_IMFTransform(iface), 1, FALSE, id, type, 0);
}

/* An asynchronous transform's client follows its events, not its status. */
static HRESULT WINAPI amft_GetInputStatus(IMFTransform *iface, DWORD id, DWORD *flags)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetInputStatus");
    return E_NOTIMPL;
}

static HRESULT WINAPI amft_GetOutputStatus(IMFTransform *iface, DWORD *flags)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "GetOutputStatus");
    return E_NOTIMPL;
}

static HRESULT WINAPI amft_SetOutputBounds(IMFTransform *iface, LONGLONG lower, LONGLONG upper)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "SetOutputBounds");
    return E_NOTIMPL;
}

static HRESULT WINAPI amft_ProcessEvent(IMFTransform *iface, DWORD id, IMFMediaEvent *event)
{
    CHECK_UNLOCKED(impl_from_IMFTransform(iface), "ProcessEvent");
    return E_NOTIMPL;
}

static const char *amft_message_name(MFT_MESSAGE_TYPE message)
{
    switch ((int)message)
    {
    case MFT_MESSAGE_COMMAND_FLUSH: return "FLUSH";
    case MFT_MESSAGE_COMMAND_DRAIN: return "DRAIN";
    case MFT_MESSAGE_COMMAND_MARKER: return "MARKER";
    case MFT_MESSAGE_SET_D3D_MANAGER: return "SET_D3D_MANAGER";
    case MFT_MESSAGE_NOTIFY_BEGIN_STREAMING: return "NOTIFY_BEGIN_STREAMING";
    case MFT_MESSAGE_NOTIFY_END_STREAMING: return "NOTIFY_END_STREAMING";
    case MFT_MESSAGE_NOTIFY_END_OF_STREAM: return "NOTIFY_END_OF_STREAM";
    case MFT_MESSAGE_NOTIFY_START_OF_STREAM: return "NOTIFY_START_OF_STREAM";
    default: return "other";
    }
}

static HRESULT WINAPI amft_ProcessMessage(IMFTransform *iface, MFT_MESSAGE_TYPE message, ULONG_PTR param)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);
    HRESULT hr = S_OK;

    CHECK_UNLOCKED(mft, "ProcessMessage");
    DLOG("%s.ProcessMessage(%s)", mft->name, amft_message_name(message));
    if (FAILED(hr = dfault_check(DCALL_MFT_PROCESS_MESSAGE))) return hr;
    if (FAILED(mft->desc.message_failure) && message == mft->desc.failing_message) return mft->desc.message_failure;

    EnterCriticalSection(&mft->cs);
    switch ((int)message)
    {
    case MFT_MESSAGE_SET_D3D_MANAGER:
        hr = E_NOTIMPL; /* not Direct3D-aware */
        break;
    case MFT_MESSAGE_NOTIFY_START_OF_STREAM:
        mft->streaming = TRUE;
        amft_refill(mft);
        break;
    case MFT_MESSAGE_COMMAND_FLUSH:
        amft_drop(mft);
        mft->streaming = mft->draining = mft->marker_pending = FALSE;
        break;
    case MFT_MESSAGE_COMMAND_DRAIN:
        mft->draining = TRUE;
        mft->need = 0;
        amft_schedule(mft);
        break;
    case MFT_MESSAGE_COMMAND_MARKER:
        mft->marker_pending = TRUE;
        mft->marker_context = param;
        /* Nothing held (as after a flush): the marker is passed at once, ahead of any later event. */
        if (!mft->held_count) amft_decode(mft);
        else amft_schedule(mft);
        break;
    default:
        break;
    }
    LeaveCriticalSection(&mft->cs);
    return hr;
}

static HRESULT WINAPI amft_ProcessInput(IMFTransform *iface, DWORD id, IMFSample *sample, DWORD flags)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);
    LONGLONG time = -1;
    HRESULT hr;

    CHECK_UNLOCKED(mft, "ProcessInput");
    if (FAILED(hr = dfault_check(DCALL_MFT_PROCESS_INPUT))) return hr;
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!sample) return E_POINTER;

    EnterCriticalSection(&mft->cs);
    if (!mft->types[0] || !mft->types[1]) hr = MF_E_TRANSFORM_TYPE_NOT_SET;
    else if (!mft->need || mft->draining) hr = MF_E_NOTACCEPTING; /* not asked for */
    else
    {
        IMFSample_GetSampleTime(sample, &time);
        DLOG("%s.ProcessInput(t=%lld)", mft->name, (long long)time);
        --mft->need;
        ++mft->inputs;
        IMFSample_AddRef(sample);
        if (mft->desc.kind == DMFT_ASYNC_DECODER)
        {
            mft->held[mft->held_count++] = sample;
            amft_schedule(mft);
        }
        else
            amft_offer(mft, sample);
    }
    LeaveCriticalSection(&mft->cs);
    return hr;
}

/* 1:1: the caller's sample gets the input's bytes, time and duration. */
static HRESULT amft_fill(IMFSample *input, IMFSample *output)
{
    LONGLONG time = 0, duration = 0;
    IMFMediaBuffer *in_buffer, *buffer;
    DWORD length = 0, max = 0;
    BYTE *in_data, *data;
    HRESULT hr;

    if (FAILED(hr = IMFSample_ConvertToContiguousBuffer(input, &in_buffer))) return hr;
    if (SUCCEEDED(hr = IMFSample_GetBufferByIndex(output, 0, &buffer)))
    {
        if (SUCCEEDED(hr = IMFMediaBuffer_Lock(buffer, &data, &max, NULL)))
        {
            if (SUCCEEDED(hr = IMFMediaBuffer_Lock(in_buffer, &in_data, NULL, &length)))
            {
                if (length > max) hr = MF_E_BUFFERTOOSMALL;
                else memcpy(data, in_data, length);
                IMFMediaBuffer_Unlock(in_buffer);
            }
            IMFMediaBuffer_Unlock(buffer);
        }
        if (SUCCEEDED(hr)) hr = IMFMediaBuffer_SetCurrentLength(buffer, length);
        IMFMediaBuffer_Release(buffer);
    }
    IMFMediaBuffer_Release(in_buffer);
    IMFSample_GetSampleTime(input, &time);
    IMFSample_GetSampleDuration(input, &duration);
    IMFSample_SetSampleTime(output, time);
    IMFSample_SetSampleDuration(output, duration);
    return hr;
}

static HRESULT WINAPI amft_ProcessOutput(IMFTransform *iface, DWORD flags, DWORD count,
        MFT_OUTPUT_DATA_BUFFER *buffers, DWORD *status)
{
    struct dmft_async *mft = impl_from_IMFTransform(iface);
    BOOL provides = mft->desc.kind == DMFT_ASYNC_DECODER;
    IMFSample *sample;
    LONGLONG time = -1;
    HRESULT hr;

    CHECK_UNLOCKED(mft, "ProcessOutput");
    if (FAILED(hr = dfault_check(DCALL_MFT_PROCESS_OUTPUT))) return hr;
    if (!buffers || !status || count != 1) return E_INVALIDARG;
    *status = 0;
    buffers[0].dwStatus = 0;
    buffers[0].pEvents = NULL;
    if (buffers[0].dwStreamID) return MF_E_INVALIDSTREAMNUMBER;
    if (provides != !buffers[0].pSample) return E_INVALIDARG;

    EnterCriticalSection(&mft->cs);
    if (!mft->ready_count)
        hr = MF_E_TRANSFORM_NEED_MORE_INPUT;
    else
    {
        sample = mft->ready[0];
        if (provides) buffers[0].pSample = sample; /* the reference goes to the caller */
        else
        {
            hr = amft_fill(sample, buffers[0].pSample);
            IMFSample_Release(sample);
        }
        memmove(mft->ready, mft->ready + 1, --mft->ready_count * sizeof(*mft->ready));
        if (SUCCEEDED(hr))
        {
            IMFSample_GetSampleTime(buffers[0].pSample, &time);
            DLOG("%s.ProcessOutput(t=%lld)", mft->name, (long long)time);
            ++mft->outputs;
        }
        /* Room again: more input, or the decoding that waited for it. */
        if (mft->desc.kind == DMFT_ASYNC_DECODER && mft->held_count) amft_schedule(mft);
        else amft_refill(mft);
    }
    LeaveCriticalSection(&mft->cs);
    return hr;
}

static const IMFTransformVtbl amft_vtbl =
{
    amft_QueryInterface, amft_AddRef, amft_Release,
    amft_GetStreamLimits, amft_GetStreamCount, amft_GetStreamIDs,
    amft_GetInputStreamInfo, amft_GetOutputStreamInfo, amft_GetAttributes,
    amft_GetInputStreamAttributes, amft_GetOutputStreamAttributes,
    amft_DeleteInputStream, amft_AddInputStreams,
    amft_GetInputAvailableType, amft_GetOutputAvailableType,
    amft_SetInputType, amft_SetOutputType, amft_GetInputCurrentType, amft_GetOutputCurrentType,
    amft_GetInputStatus, amft_GetOutputStatus, amft_SetOutputBounds, amft_ProcessEvent,
    amft_ProcessMessage, amft_ProcessInput, amft_ProcessOutput,
};

/* ---- creation and inspection ---- */

HRESULT dmft_async_create(const struct dmft_async_desc *desc, IMFTransform **out)
{
    struct dmft_async *mft;
    HRESULT hr;

    if (!out || !desc) return E_POINTER;
    *out = NULL;
    if (desc->kind != DMFT_ASYNC_ONE_TO_ONE && desc->kind != DMFT_ASYNC_DECODER) return E_INVALIDARG;
    if (!(mft = calloc(1, sizeof(*mft)))) return E_OUTOFMEMORY;
    mft->IMFTransform_iface.lpVtbl = &amft_vtbl;
    mft->IMFMediaEventGenerator_iface.lpVtbl = &amft_events_vtbl;
    mft->IMFShutdown_iface.lpVtbl = &amft_shutdown_vtbl;
    mft->decode_callback.lpVtbl = &amft_decode_vtbl;
    mft->refcount = 1;
    mft->desc = *desc;
    InitializeCriticalSection(&mft->cs);
    if (desc->name) dname_set(mft->name, sizeof(mft->name), "%s", desc->name);
    else dname_set(mft->name, sizeof(mft->name), "amft%ld", (long)(InterlockedIncrement(&dmft_next_id) - 1));
    if (FAILED(hr = MFCreateAttributes(&mft->attributes, 3))
            || FAILED(hr = IMFAttributes_SetUINT32(mft->attributes, &MF_TRANSFORM_ASYNC, TRUE))
            || FAILED(hr = IMFAttributes_SetUINT32(mft->attributes, &MFT_SUPPORT_DYNAMIC_FORMAT_CHANGE, TRUE))
            || FAILED(hr = MFCreateEventQueue(&mft->queue))
            || FAILED(hr = dtype_create_pcm(&mft->types[0]))
            || FAILED(hr = dtype_create_pcm(&mft->types[1])))
    {
        amft_Release(&mft->IMFTransform_iface);
        return hr;
    }
    *out = &mft->IMFTransform_iface;
    return S_OK;
}

void dmft_async_set_silent(IMFTransform *t, BOOL silent)
{
    struct dmft_async *mft = amft_from_iface(t);
    if (!mft) return;
    EnterCriticalSection(&mft->cs);
    mft->desc.silent = silent;
    LeaveCriticalSection(&mft->cs);
}

LONG dmft_async_refcount(IMFTransform *t)
{
    struct dmft_async *mft = amft_from_iface(t);
    return mft ? mft->refcount : -1;
}

unsigned dmft_async_outputs(IMFTransform *t)
{
    struct dmft_async *mft = amft_from_iface(t);
    return mft ? (unsigned)mft->outputs : 0;
}

unsigned dmft_async_locked_calls(IMFTransform *t)
{
    struct dmft_async *mft = amft_from_iface(t);
    return mft ? (unsigned)mft->locked_calls : 0;
}

BOOL dmft_async_is_shut_down(IMFTransform *t)
{
    struct dmft_async *mft = amft_from_iface(t);
    return mft && mft->shut_down;
}
