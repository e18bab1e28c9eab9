/*
 * The test transforms: one input and one output stream (ids 0), audio PCM
 * types set at creation (so a topology needs no resolution), any audio PCM
 * type accepted later.
 *
 *  DMFT_PASSTHROUGH: holds one input sample and hands that very sample out
 *    (MFT_OUTPUT_STREAM_PROVIDES_SAMPLES: the caller passes pSample NULL).
 *  DMFT_TWO_TO_ONE: holds up to two inputs; the caller allocates the output
 *    (cbSize DMFT_OUTPUT_BYTES), which gets the first input's time, the sum of
 *    the durations and the concatenated bytes.
 *  ProcessInput: MF_E_NOTACCEPTING while output is ready or a drain is in
 *    progress.  ProcessOutput: MF_E_TRANSFORM_NEED_MORE_INPUT when no output
 *    is ready.  COMMAND_DRAIN: what is held comes out (a lone 2:1 input alone),
 *    then NEED_MORE_INPUT ends the drain.  COMMAND_FLUSH drops what is held.
 *  Logged: every ProcessMessage, accepted inputs, produced outputs, SetInputType
 *  and SetOutputType (not TEST_ONLY).
 */
#include "doubles_private.h"
#include <stdlib.h>
#include <string.h>

struct dmft
{
    IMFTransform IMFTransform_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    enum dmft_kind kind;
    char name[32];
    IMFAttributes *attributes;
    IMFMediaType *input_type, *output_type;
    IMFSample *held[2];
    unsigned held_count;
    BOOL draining;
    LONG inputs, outputs;
};

static const IMFTransformVtbl dmft_vtbl;

static struct dmft *impl_from_IMFTransform(IMFTransform *iface)
{
    return CONTAINING_RECORD(iface, struct dmft, IMFTransform_iface);
}

static struct dmft *dmft_from_iface(IMFTransform *iface)
{
    return iface && iface->lpVtbl == &dmft_vtbl ? impl_from_IMFTransform(iface) : NULL;
}

/* Lock held. */
static BOOL dmft_output_ready(struct dmft *mft)
{
    if (mft->kind == DMFT_PASSTHROUGH) return mft->held_count == 1;
    return mft->held_count == 2 || (mft->draining && mft->held_count == 1);
}

static void dmft_drop(struct dmft *mft)
{
    while (mft->held_count)
    {
        IMFSample *sample = mft->held[--mft->held_count];
        IMFSample_Release(sample);
    }
}

static HRESULT WINAPI dmft_QueryInterface(IMFTransform *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFTransform) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFTransform_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI dmft_AddRef(IMFTransform *iface)
{
    return InterlockedIncrement(&impl_from_IMFTransform(iface)->refcount);
}

static ULONG WINAPI dmft_Release(IMFTransform *iface)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    ULONG refcount = InterlockedDecrement(&mft->refcount);

    if (!refcount)
    {
        dmft_drop(mft);
        if (mft->input_type) IMFMediaType_Release(mft->input_type);
        if (mft->output_type) IMFMediaType_Release(mft->output_type);
        if (mft->attributes) IMFAttributes_Release(mft->attributes);
        DeleteCriticalSection(&mft->cs);
        free(mft);
    }
    return refcount;
}

static HRESULT WINAPI dmft_GetStreamLimits(IMFTransform *iface, DWORD *input_min, DWORD *input_max,
        DWORD *output_min, DWORD *output_max)
{
    if (!input_min || !input_max || !output_min || !output_max) return E_POINTER;
    *input_min = *input_max = *output_min = *output_max = 1;
    return S_OK;
}

static HRESULT WINAPI dmft_GetStreamCount(IMFTransform *iface, DWORD *inputs, DWORD *outputs)
{
    if (!inputs || !outputs) return E_POINTER;
    *inputs = *outputs = 1;
    return S_OK;
}

static HRESULT WINAPI dmft_GetStreamIDs(IMFTransform *iface, DWORD input_size, DWORD *inputs,
        DWORD output_size, DWORD *outputs)
{
    return E_NOTIMPL; /* fixed ids: 0 and 0 */
}

static HRESULT WINAPI dmft_GetInputStreamInfo(IMFTransform *iface, DWORD id, MFT_INPUT_STREAM_INFO *info)
{
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!info) return E_POINTER;
    memset(info, 0, sizeof(*info));
    info->dwFlags = MFT_INPUT_STREAM_WHOLE_SAMPLES | MFT_INPUT_STREAM_SINGLE_SAMPLE_PER_BUFFER;
    return S_OK;
}

static HRESULT WINAPI dmft_GetOutputStreamInfo(IMFTransform *iface, DWORD id, MFT_OUTPUT_STREAM_INFO *info)
{
    struct dmft *mft = impl_from_IMFTransform(iface);

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!info) return E_POINTER;
    memset(info, 0, sizeof(*info));
    info->dwFlags = MFT_OUTPUT_STREAM_WHOLE_SAMPLES | MFT_OUTPUT_STREAM_SINGLE_SAMPLE_PER_BUFFER;
    if (mft->kind == DMFT_PASSTHROUGH)
        info->dwFlags |= MFT_OUTPUT_STREAM_PROVIDES_SAMPLES;
    else
        info->cbSize = DMFT_OUTPUT_BYTES;
    return S_OK;
}

static HRESULT WINAPI dmft_GetAttributes(IMFTransform *iface, IMFAttributes **attributes)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    if (!attributes) return E_POINTER;
    *attributes = mft->attributes;
    IMFAttributes_AddRef(*attributes);
    return S_OK;
}

static HRESULT WINAPI dmft_GetInputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **attributes)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dmft_GetOutputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **attributes)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dmft_DeleteInputStream(IMFTransform *iface, DWORD id)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dmft_AddInputStreams(IMFTransform *iface, DWORD count, DWORD *ids)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dmft_GetInputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!type) return E_POINTER;
    *type = NULL;
    if (index) return MF_E_NO_MORE_TYPES;
    return dtype_create_pcm(type);
}

static HRESULT WINAPI dmft_GetOutputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!type) return E_POINTER;
    *type = NULL;
    if (index) return MF_E_NO_MORE_TYPES;
    /* Output follows the input type. */
    EnterCriticalSection(&mft->cs);
    if (mft->input_type && SUCCEEDED(hr = MFCreateMediaType(type)))
        hr = IMFMediaType_CopyAllItems(mft->input_type, (IMFAttributes *)*type);
    else if (!mft->input_type)
        hr = dtype_create_pcm(type);
    LeaveCriticalSection(&mft->cs);
    return hr;
}

static HRESULT dmft_set_type(struct dmft *mft, IMFMediaType **slot, const char *what, DWORD id,
        IMFMediaType *type, DWORD flags)
{
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (type && !dtype_is_pcm(type)) return MF_E_INVALIDMEDIATYPE;
    if (flags & MFT_SET_TYPE_TEST_ONLY) return S_OK;
    DLOG(type ? "%s.%s" : "%s.%s(NULL)", mft->name, what);
    EnterCriticalSection(&mft->cs);
    if (*slot) IMFMediaType_Release(*slot);
    if ((*slot = type)) IMFMediaType_AddRef(type);
    LeaveCriticalSection(&mft->cs);
    return S_OK;
}

static HRESULT WINAPI dmft_SetInputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_MFT_SET_INPUT_TYPE))) return hr;
    return dmft_set_type(mft, &mft->input_type, "SetInputType", id, type, flags);
}

static HRESULT WINAPI dmft_SetOutputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_MFT_SET_OUTPUT_TYPE))) return hr;
    return dmft_set_type(mft, &mft->output_type, "SetOutputType", id, type, flags);
}

static HRESULT dmft_get_type(struct dmft *mft, IMFMediaType *const *slot, DWORD id, IMFMediaType **type)
{
    HRESULT hr = S_OK;

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!type) return E_POINTER;
    EnterCriticalSection(&mft->cs);
    if ((*type = *slot)) IMFMediaType_AddRef(*type);
    else hr = MF_E_TRANSFORM_TYPE_NOT_SET;
    LeaveCriticalSection(&mft->cs);
    return hr;
}

static HRESULT WINAPI dmft_GetInputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    return dmft_get_type(mft, &mft->input_type, id, type);
}

static HRESULT WINAPI dmft_GetOutputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    return dmft_get_type(mft, &mft->output_type, id, type);
}

static HRESULT WINAPI dmft_GetInputStatus(IMFTransform *iface, DWORD id, DWORD *flags)
{
    struct dmft *mft = impl_from_IMFTransform(iface);

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!flags) return E_POINTER;
    EnterCriticalSection(&mft->cs);
    *flags = dmft_output_ready(mft) || mft->draining ? 0 : MFT_INPUT_STATUS_ACCEPT_DATA;
    LeaveCriticalSection(&mft->cs);
    return S_OK;
}

static HRESULT WINAPI dmft_GetOutputStatus(IMFTransform *iface, DWORD *flags)
{
    struct dmft *mft = impl_from_IMFTransform(iface);

    if (!flags) return E_POINTER;
    EnterCriticalSection(&mft->cs);
    *flags = dmft_output_ready(mft) ? MFT_OUTPUT_STATUS_SAMPLE_READY : 0;
    LeaveCriticalSection(&mft->cs);
    return S_OK;
}

static HRESULT WINAPI dmft_SetOutputBounds(IMFTransform *iface, LONGLONG lower, LONGLONG upper)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dmft_ProcessEvent(IMFTransform *iface, DWORD id, IMFMediaEvent *event)
{
    return E_NOTIMPL;
}

static const char *message_name(MFT_MESSAGE_TYPE message, char *buf, size_t size)
{
    switch ((int)message)
    {
    case MFT_MESSAGE_COMMAND_FLUSH: return "FLUSH";
    case MFT_MESSAGE_COMMAND_DRAIN: return "DRAIN";
    case MFT_MESSAGE_SET_D3D_MANAGER: return "SET_D3D_MANAGER";
    case MFT_MESSAGE_NOTIFY_BEGIN_STREAMING: return "NOTIFY_BEGIN_STREAMING";
    case MFT_MESSAGE_NOTIFY_END_STREAMING: return "NOTIFY_END_STREAMING";
    case MFT_MESSAGE_NOTIFY_END_OF_STREAM: return "NOTIFY_END_OF_STREAM";
    case MFT_MESSAGE_NOTIFY_START_OF_STREAM: return "NOTIFY_START_OF_STREAM";
    case MFT_MESSAGE_COMMAND_MARKER: return "MARKER";
    default:
        dname_set(buf, size, "%#x", (unsigned)message);
        return buf;
    }
}

static HRESULT WINAPI dmft_ProcessMessage(IMFTransform *iface, MFT_MESSAGE_TYPE message, ULONG_PTR param)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    char buf[16];
    HRESULT hr;

    DLOG("%s.ProcessMessage(%s)", mft->name, message_name(message, buf, sizeof(buf)));
    if (FAILED(hr = dfault_check(DCALL_MFT_PROCESS_MESSAGE))) return hr;

    switch ((int)message)
    {
    case MFT_MESSAGE_SET_D3D_MANAGER:
        return E_NOTIMPL;
    case MFT_MESSAGE_COMMAND_FLUSH:
        EnterCriticalSection(&mft->cs);
        dmft_drop(mft);
        mft->draining = FALSE;
        LeaveCriticalSection(&mft->cs);
        return S_OK;
    case MFT_MESSAGE_COMMAND_DRAIN:
        EnterCriticalSection(&mft->cs);
        mft->draining = TRUE;
        LeaveCriticalSection(&mft->cs);
        return S_OK;
    default:
        return S_OK;
    }
}

static HRESULT WINAPI dmft_ProcessInput(IMFTransform *iface, DWORD id, IMFSample *sample, DWORD flags)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    LONGLONG time = -1;
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_MFT_PROCESS_INPUT))) return hr;
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!sample) return E_POINTER;

    EnterCriticalSection(&mft->cs);
    if (!mft->input_type || !mft->output_type)
        hr = MF_E_TRANSFORM_TYPE_NOT_SET;
    else if (mft->draining || dmft_output_ready(mft))
        hr = MF_E_NOTACCEPTING;
    else
    {
        if (dlog_on)
        {
            IMFSample_GetSampleTime(sample, &time);
            dlog_add("%s.ProcessInput(t=%lld)", mft->name, (long long)time);
        }
        mft->held[mft->held_count++] = sample;
        IMFSample_AddRef(sample);
        ++mft->inputs;
    }
    LeaveCriticalSection(&mft->cs);
    return hr;
}

/* Appends the bytes of `in` to `out` at *offset. */
static HRESULT dmft_copy(IMFSample *in, BYTE *out, DWORD max, DWORD *offset)
{
    IMFMediaBuffer *buffer;
    DWORD length;
    BYTE *data;
    HRESULT hr;

    if (FAILED(hr = IMFSample_ConvertToContiguousBuffer(in, &buffer))) return hr;
    if (SUCCEEDED(hr = IMFMediaBuffer_Lock(buffer, &data, NULL, &length)))
    {
        if (*offset + length > max)
            hr = MF_E_BUFFERTOOSMALL;
        else
        {
            memcpy(out + *offset, data, length);
            *offset += length;
        }
        IMFMediaBuffer_Unlock(buffer);
    }
    IMFMediaBuffer_Release(buffer);
    return hr;
}

/* 2:1: fills the caller's sample from the held inputs (lock held). */
static HRESULT dmft_combine(struct dmft *mft, IMFSample *output)
{
    LONGLONG time = 0, duration = 0, d;
    IMFMediaBuffer *buffer;
    DWORD max, length = 0;
    unsigned i;
    BYTE *data;
    HRESULT hr;

    if (FAILED(hr = IMFSample_GetBufferByIndex(output, 0, &buffer))) return hr;
    if (SUCCEEDED(hr = IMFMediaBuffer_Lock(buffer, &data, &max, NULL)))
    {
        for (i = 0; i < mft->held_count && SUCCEEDED(hr); ++i)
            hr = dmft_copy(mft->held[i], data, max, &length);
        IMFMediaBuffer_Unlock(buffer);
    }
    if (SUCCEEDED(hr)) hr = IMFMediaBuffer_SetCurrentLength(buffer, length);
    IMFMediaBuffer_Release(buffer);
    if (FAILED(hr)) return hr;

    IMFSample_GetSampleTime(mft->held[0], &time);
    for (i = 0; i < mft->held_count; ++i)
        if (SUCCEEDED(IMFSample_GetSampleDuration(mft->held[i], &d))) duration += d;
    IMFSample_SetSampleTime(output, time);
    IMFSample_SetSampleDuration(output, duration);
    dmft_drop(mft);
    return S_OK;
}

static HRESULT WINAPI dmft_ProcessOutput(IMFTransform *iface, DWORD flags, DWORD count,
        MFT_OUTPUT_DATA_BUFFER *buffers, DWORD *status)
{
    struct dmft *mft = impl_from_IMFTransform(iface);
    IMFSample *sample = NULL;
    LONGLONG time = -1;
    HRESULT hr;

    if (FAILED(hr = dfault_check(DCALL_MFT_PROCESS_OUTPUT))) return hr;
    if (!buffers || !status || count != 1) return E_INVALIDARG;
    *status = 0;
    buffers[0].dwStatus = 0;
    buffers[0].pEvents = NULL;
    if (buffers[0].dwStreamID) return MF_E_INVALIDSTREAMNUMBER;
    /* Passthrough provides the sample; 2:1 needs the caller's. */
    if ((mft->kind == DMFT_PASSTHROUGH) != !buffers[0].pSample) return E_INVALIDARG;

    EnterCriticalSection(&mft->cs);
    if (!dmft_output_ready(mft))
    {
        mft->draining = FALSE; /* a drain ends with NEED_MORE_INPUT */
        hr = MF_E_TRANSFORM_NEED_MORE_INPUT;
    }
    else if (mft->kind == DMFT_PASSTHROUGH)
    {
        sample = mft->held[0];
        mft->held_count = 0;
        buffers[0].pSample = sample; /* the held reference goes to the caller */
    }
    else
    {
        sample = buffers[0].pSample;
        hr = dmft_combine(mft, sample);
    }
    if (SUCCEEDED(hr))
    {
        if (dlog_on)
        {
            IMFSample_GetSampleTime(sample, &time);
            dlog_add("%s.ProcessOutput(t=%lld)", mft->name, (long long)time);
        }
        ++mft->outputs;
    }
    LeaveCriticalSection(&mft->cs);
    return hr;
}

static const IMFTransformVtbl dmft_vtbl =
{
    dmft_QueryInterface, dmft_AddRef, dmft_Release,
    dmft_GetStreamLimits, dmft_GetStreamCount, dmft_GetStreamIDs,
    dmft_GetInputStreamInfo, dmft_GetOutputStreamInfo, dmft_GetAttributes,
    dmft_GetInputStreamAttributes, dmft_GetOutputStreamAttributes,
    dmft_DeleteInputStream, dmft_AddInputStreams,
    dmft_GetInputAvailableType, dmft_GetOutputAvailableType,
    dmft_SetInputType, dmft_SetOutputType, dmft_GetInputCurrentType, dmft_GetOutputCurrentType,
    dmft_GetInputStatus, dmft_GetOutputStatus, dmft_SetOutputBounds, dmft_ProcessEvent,
    dmft_ProcessMessage, dmft_ProcessInput, dmft_ProcessOutput,
};

HRESULT dmft_create_named(enum dmft_kind kind, const char *name, IMFTransform **out)
{
    struct dmft *mft;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (kind != DMFT_PASSTHROUGH && kind != DMFT_TWO_TO_ONE) return E_INVALIDARG;
    if (!(mft = calloc(1, sizeof(*mft)))) return E_OUTOFMEMORY;
    mft->IMFTransform_iface.lpVtbl = &dmft_vtbl;
    mft->refcount = 1;
    mft->kind = kind;
    InitializeCriticalSection(&mft->cs);
    if (name) dname_set(mft->name, sizeof(mft->name), "%s", name);
    else dname_set(mft->name, sizeof(mft->name), "mft%ld", (long)(InterlockedIncrement(&dmft_next_id) - 1));
    if (FAILED(hr = MFCreateAttributes(&mft->attributes, 2))
            || FAILED(hr = dtype_create_pcm(&mft->input_type))
            || FAILED(hr = dtype_create_pcm(&mft->output_type)))
    {
        dmft_Release(&mft->IMFTransform_iface);
        return hr;
    }
    *out = &mft->IMFTransform_iface;
    return S_OK;
}

HRESULT dmft_create(enum dmft_kind kind, IMFTransform **out)
{
    return dmft_create_named(kind, NULL, out);
}

LONG dmft_refcount(IMFTransform *t)
{
    struct dmft *mft = dmft_from_iface(t);
    return mft ? mft->refcount : -1;
}

unsigned dmft_inputs(IMFTransform *t)
{
    struct dmft *mft = dmft_from_iface(t);
    return mft ? (unsigned)mft->inputs : 0;
}

unsigned dmft_outputs(IMFTransform *t)
{
    struct dmft *mft = dmft_from_iface(t);
    return mft ? (unsigned)mft->outputs : 0;
}
