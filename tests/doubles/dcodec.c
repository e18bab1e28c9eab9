/*
 * dcodec.c: audio transforms the loader's tests register locally
 * (MFTRegisterLocal), so that resolution picks them as Windows would pick a
 * process-local decoder or converter.
 *
 *  DCODEC_DECODER: input DCODEC_SUBTYPE (audio), output PCM 16-bit mono
 *    48 kHz, the one type it offers and takes.
 *  DCODEC_CONVERTER: input any PCM; offers PCM 16-bit mono at 48 and 44.1 kHz
 *    and takes any PCM output type.
 *  Samples pass through unchanged, one held at a time (ProcessInput answers
 *  MF_E_NOTACCEPTING while one is held, ProcessOutput NEED_MORE_INPUT while
 *  none is; FLUSH drops it).  With `async`, the attribute store says
 *  MF_TRANSFORM_ASYNC and every type method fails with
 *  MF_E_TRANSFORM_ASYNC_LOCKED until MF_TRANSFORM_ASYNC_UNLOCK is set: what
 *  an asynchronous transform does before its client unlocks it.
 */
#include "doubles_private.h"
#include "dloader.h"
#include <stdlib.h>

/* {5d0f1a3e-7c52-4b8e-9f1d-2a6b8c4e7f10} */
const GUID DCODEC_SUBTYPE = {0x5d0f1a3e, 0x7c52, 0x4b8e, {0x9f, 0x1d, 0x2a, 0x6b, 0x8c, 0x4e, 0x7f, 0x10}};

struct dcodec
{
    IMFTransform IMFTransform_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    struct dcodec_desc desc;
    IMFAttributes *attributes;
    IMFMediaType *input_type, *output_type;
    IMFSample *held;
};

static const IMFTransformVtbl dcodec_vtbl;

static struct dcodec *impl_from_IMFTransform(IMFTransform *iface)
{
    return CONTAINING_RECORD(iface, struct dcodec, IMFTransform_iface);
}

static HRESULT make_audio_type(const GUID *subtype, UINT32 rate, IMFMediaType **out)
{
    IMFMediaType *type;
    HRESULT hr;

    if (FAILED(hr = MFCreateMediaType(&type))) return hr;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Audio);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, subtype);
    if (rate)
    {
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, 1);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, rate);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, 16);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT, 2);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND, 2 * rate);
        IMFMediaType_SetUINT32(type, &MF_MT_ALL_SAMPLES_INDEPENDENT, 1);
    }
    *out = type;
    return S_OK;
}

static BOOL type_is(IMFMediaType *type, const GUID *subtype)
{
    GUID major, sub;
    return SUCCEEDED(IMFMediaType_GetMajorType(type, &major)) && IsEqualGUID(&major, &MFMediaType_Audio)
            && SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &sub)) && IsEqualGUID(&sub, subtype);
}

/* The type methods of a locked asynchronous transform fail. */
static HRESULT dcodec_locked(struct dcodec *codec)
{
    UINT32 unlocked = 0;

    if (!codec->desc.async) return S_OK;
    IMFAttributes_GetUINT32(codec->attributes, &MF_TRANSFORM_ASYNC_UNLOCK, &unlocked);
    return unlocked ? S_OK : MF_E_TRANSFORM_ASYNC_LOCKED;
}

static HRESULT WINAPI dcodec_QueryInterface(IMFTransform *iface, REFIID riid, void **out)
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

static ULONG WINAPI dcodec_AddRef(IMFTransform *iface)
{
    return InterlockedIncrement(&impl_from_IMFTransform(iface)->refcount);
}

static ULONG WINAPI dcodec_Release(IMFTransform *iface)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    ULONG refcount = InterlockedDecrement(&codec->refcount);

    if (!refcount)
    {
        if (codec->held) IMFSample_Release(codec->held);
        if (codec->input_type) IMFMediaType_Release(codec->input_type);
        if (codec->output_type) IMFMediaType_Release(codec->output_type);
        IMFAttributes_Release(codec->attributes);
        DeleteCriticalSection(&codec->cs);
        free(codec);
    }
    return refcount;
}

static HRESULT WINAPI dcodec_GetStreamLimits(IMFTransform *iface, DWORD *in_min, DWORD *in_max,
        DWORD *out_min, DWORD *out_max)
{
    *in_min = *in_max = *out_min = *out_max = 1;
    return S_OK;
}

static HRESULT WINAPI dcodec_GetStreamCount(IMFTransform *iface, DWORD *inputs, DWORD *outputs)
{
    *inputs = *outputs = 1;
    return S_OK;
}

/* Fixed streams numbered from 0: the documented answer is E_NOTIMPL. */
static HRESULT WINAPI dcodec_GetStreamIDs(IMFTransform *iface, DWORD in_size, DWORD *inputs,
        DWORD out_size, DWORD *outputs)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dcodec_GetInputStreamInfo(IMFTransform *iface, DWORD id, MFT_INPUT_STREAM_INFO *info)
{
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    memset(info, 0, sizeof(*info));
    info->dwFlags = MFT_INPUT_STREAM_WHOLE_SAMPLES | MFT_INPUT_STREAM_DOES_NOT_ADDREF;
    return S_OK;
}

static HRESULT WINAPI dcodec_GetOutputStreamInfo(IMFTransform *iface, DWORD id, MFT_OUTPUT_STREAM_INFO *info)
{
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    memset(info, 0, sizeof(*info));
    info->dwFlags = MFT_OUTPUT_STREAM_WHOLE_SAMPLES | MFT_OUTPUT_STREAM_PROVIDES_SAMPLES;
    return S_OK;
}

static HRESULT WINAPI dcodec_GetAttributes(IMFTransform *iface, IMFAttributes **attributes)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);

    *attributes = codec->attributes;
    IMFAttributes_AddRef(*attributes);
    return S_OK;
}

/* No per-stream attributes: the documented answer is E_NOTIMPL. */
static HRESULT WINAPI dcodec_GetInputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **attributes)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dcodec_GetOutputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **attributes)
{
    return E_NOTIMPL;
}

/* Fixed streams: adding or removing one is E_NOTIMPL, as documented. */
static HRESULT WINAPI dcodec_DeleteInputStream(IMFTransform *iface, DWORD id)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dcodec_AddInputStreams(IMFTransform *iface, DWORD count, DWORD *ids)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dcodec_GetInputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (FAILED(hr = dcodec_locked(codec))) return hr;
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (index) return MF_E_NO_MORE_TYPES;
    return make_audio_type(codec->desc.kind == DCODEC_DECODER ? &DCODEC_SUBTYPE : &MFAudioFormat_PCM, 0, type);
}

static HRESULT WINAPI dcodec_GetOutputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    static const UINT32 rates[] = {48000, 44100};
    HRESULT hr;

    if (FAILED(hr = dcodec_locked(codec))) return hr;
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!codec->input_type) return MF_E_TRANSFORM_TYPE_NOT_SET;
    if (index >= (codec->desc.kind == DCODEC_DECODER ? 1 : ARRAYSIZE(rates))) return MF_E_NO_MORE_TYPES;
    return make_audio_type(&MFAudioFormat_PCM, rates[index], type);
}

static HRESULT set_type(struct dcodec *codec, IMFMediaType **slot, IMFMediaType *type, BOOL accept, DWORD flags)
{
    if (!accept) return MF_E_INVALIDMEDIATYPE;
    if (flags & MFT_SET_TYPE_TEST_ONLY) return S_OK;
    EnterCriticalSection(&codec->cs);
    if (*slot) IMFMediaType_Release(*slot);
    if ((*slot = type)) IMFMediaType_AddRef(type);
    LeaveCriticalSection(&codec->cs);
    return S_OK;
}

static HRESULT WINAPI dcodec_SetInputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (FAILED(hr = dcodec_locked(codec))) return hr;
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    return set_type(codec, &codec->input_type, type,
            !type || type_is(type, codec->desc.kind == DCODEC_DECODER ? &DCODEC_SUBTYPE : &MFAudioFormat_PCM), flags);
}

static HRESULT WINAPI dcodec_SetOutputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    UINT32 rate = 0, bits = 0, channels = 0;
    BOOL accept;
    HRESULT hr;

    if (FAILED(hr = dcodec_locked(codec))) return hr;
    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (type && !codec->input_type) return MF_E_TRANSFORM_TYPE_NOT_SET;
    accept = !type || type_is(type, &MFAudioFormat_PCM);
    if (type && accept && codec->desc.kind == DCODEC_DECODER)
    {
        /* A decoder produces its own format only. */
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, &rate);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, &bits);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, &channels);
        accept = rate == 48000 && bits == 16 && channels == 1;
    }
    return set_type(codec, &codec->output_type, type, accept, flags);
}

static HRESULT get_current(struct dcodec *codec, IMFMediaType *slot, IMFMediaType **type)
{
    HRESULT hr;

    if (FAILED(hr = dcodec_locked(codec))) return hr;
    if (!slot) return MF_E_TRANSFORM_TYPE_NOT_SET;
    if (FAILED(hr = MFCreateMediaType(type))) return hr;
    return IMFMediaType_CopyAllItems(slot, (IMFAttributes *)*type);
}

static HRESULT WINAPI dcodec_GetInputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    EnterCriticalSection(&codec->cs);
    hr = get_current(codec, codec->input_type, type);
    LeaveCriticalSection(&codec->cs);
    return hr;
}

static HRESULT WINAPI dcodec_GetOutputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    HRESULT hr;

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    EnterCriticalSection(&codec->cs);
    hr = get_current(codec, codec->output_type, type);
    LeaveCriticalSection(&codec->cs);
    return hr;
}

static HRESULT WINAPI dcodec_GetInputStatus(IMFTransform *iface, DWORD id, DWORD *flags)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    EnterCriticalSection(&codec->cs);
    *flags = codec->held ? 0 : MFT_INPUT_STATUS_ACCEPT_DATA;
    LeaveCriticalSection(&codec->cs);
    return S_OK;
}

static HRESULT WINAPI dcodec_GetOutputStatus(IMFTransform *iface, DWORD *flags)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);

    EnterCriticalSection(&codec->cs);
    *flags = codec->held ? MFT_OUTPUT_STATUS_SAMPLE_READY : 0;
    LeaveCriticalSection(&codec->cs);
    return S_OK;
}

/* Output bounds and events are optional for a transform (E_NOTIMPL documented). */
static HRESULT WINAPI dcodec_SetOutputBounds(IMFTransform *iface, LONGLONG lower, LONGLONG upper)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dcodec_ProcessEvent(IMFTransform *iface, DWORD id, IMFMediaEvent *event)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI dcodec_ProcessMessage(IMFTransform *iface, MFT_MESSAGE_TYPE message, ULONG_PTR param)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);

    if (message == MFT_MESSAGE_COMMAND_FLUSH)
    {
        EnterCriticalSection(&codec->cs);
        if (codec->held) IMFSample_Release(codec->held);
        codec->held = NULL;
        LeaveCriticalSection(&codec->cs);
    }
    return S_OK;
}

static HRESULT WINAPI dcodec_ProcessInput(IMFTransform *iface, DWORD id, IMFSample *sample, DWORD flags)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    HRESULT hr = S_OK;

    if (id) return MF_E_INVALIDSTREAMNUMBER;
    if (!sample) return E_POINTER;
    EnterCriticalSection(&codec->cs);
    if (!codec->input_type || !codec->output_type) hr = MF_E_TRANSFORM_TYPE_NOT_SET;
    else if (codec->held) hr = MF_E_NOTACCEPTING;
    else
    {
        codec->held = sample;
        IMFSample_AddRef(sample);
    }
    LeaveCriticalSection(&codec->cs);
    return hr;
}

static HRESULT WINAPI dcodec_ProcessOutput(IMFTransform *iface, DWORD flags, DWORD count,
        MFT_OUTPUT_DATA_BUFFER *buffers, DWORD *status)
{
    struct dcodec *codec = impl_from_IMFTransform(iface);
    HRESULT hr = S_OK;

    *status = 0;
    if (count != 1) return E_INVALIDARG;
    EnterCriticalSection(&codec->cs);
    if (!codec->held) hr = MF_E_TRANSFORM_NEED_MORE_INPUT;
    else
    {
        buffers[0].pSample = codec->held;
        buffers[0].dwStatus = 0;
        codec->held = NULL;
    }
    LeaveCriticalSection(&codec->cs);
    return hr;
}

static const IMFTransformVtbl dcodec_vtbl =
{
    dcodec_QueryInterface, dcodec_AddRef, dcodec_Release,
    dcodec_GetStreamLimits, dcodec_GetStreamCount, dcodec_GetStreamIDs,
    dcodec_GetInputStreamInfo, dcodec_GetOutputStreamInfo, dcodec_GetAttributes,
    dcodec_GetInputStreamAttributes, dcodec_GetOutputStreamAttributes,
    dcodec_DeleteInputStream, dcodec_AddInputStreams,
    dcodec_GetInputAvailableType, dcodec_GetOutputAvailableType,
    dcodec_SetInputType, dcodec_SetOutputType,
    dcodec_GetInputCurrentType, dcodec_GetOutputCurrentType,
    dcodec_GetInputStatus, dcodec_GetOutputStatus, dcodec_SetOutputBounds,
    dcodec_ProcessEvent, dcodec_ProcessMessage, dcodec_ProcessInput, dcodec_ProcessOutput,
};

HRESULT dcodec_create(const struct dcodec_desc *desc, IMFTransform **out)
{
    struct dcodec *codec;
    HRESULT hr;

    *out = NULL;
    if (!(codec = calloc(1, sizeof(*codec)))) return E_OUTOFMEMORY;
    codec->IMFTransform_iface.lpVtbl = &dcodec_vtbl;
    codec->refcount = 1;
    codec->desc = *desc;
    InitializeCriticalSection(&codec->cs);
    if (FAILED(hr = MFCreateAttributes(&codec->attributes, 2)))
    {
        DeleteCriticalSection(&codec->cs);
        free(codec);
        return hr;
    }
    if (desc->async) IMFAttributes_SetUINT32(codec->attributes, &MF_TRANSFORM_ASYNC, 1);
    *out = &codec->IMFTransform_iface;
    return S_OK;
}

UINT32 dcodec_tag(IUnknown *object)
{
    IMFTransform *mft;
    UINT32 tag = 0;

    if (!object || FAILED(IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&mft))) return 0;
    if (mft->lpVtbl == &dcodec_vtbl) tag = impl_from_IMFTransform(mft)->desc.tag;
    IMFTransform_Release(mft);
    return tag;
}

/* ---- the class factory MFTRegisterLocal keeps ---- */

struct dcodec_factory
{
    IClassFactory IClassFactory_iface;
    LONG refcount;
    struct dcodec_desc desc;
};

static struct dcodec_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct dcodec_factory, IClassFactory_iface);
}

static HRESULT WINAPI dcodec_factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IClassFactory) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI dcodec_factory_AddRef(IClassFactory *iface)
{
    return InterlockedIncrement(&impl_from_IClassFactory(iface)->refcount);
}

static ULONG WINAPI dcodec_factory_Release(IClassFactory *iface)
{
    struct dcodec_factory *factory = impl_from_IClassFactory(iface);
    ULONG refcount = InterlockedDecrement(&factory->refcount);

    if (!refcount) free(factory);
    return refcount;
}

static HRESULT WINAPI dcodec_factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **out)
{
    struct dcodec_factory *factory = impl_from_IClassFactory(iface);
    IMFTransform *mft;
    HRESULT hr;

    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    if (FAILED(hr = dcodec_create(&factory->desc, &mft))) return hr;
    hr = IMFTransform_QueryInterface(mft, riid, out);
    IMFTransform_Release(mft);
    return hr;
}

static HRESULT WINAPI dcodec_factory_LockServer(IClassFactory *iface, BOOL lock)
{
    return S_OK;
}

static const IClassFactoryVtbl dcodec_factory_vtbl =
{
    dcodec_factory_QueryInterface, dcodec_factory_AddRef, dcodec_factory_Release,
    dcodec_factory_CreateInstance, dcodec_factory_LockServer,
};

HRESULT dcodec_register_local(const struct dcodec_desc *desc, IClassFactory **cookie)
{
    MFT_REGISTER_TYPE_INFO in = {MFMediaType_Audio, MFAudioFormat_PCM}, out = {MFMediaType_Audio, MFAudioFormat_PCM};
    struct dcodec_factory *factory;
    HRESULT hr;

    *cookie = NULL;
    if (!(factory = calloc(1, sizeof(*factory)))) return E_OUTOFMEMORY;
    factory->IClassFactory_iface.lpVtbl = &dcodec_factory_vtbl;
    factory->refcount = 1;
    factory->desc = *desc;
    if (desc->kind == DCODEC_DECODER) in.guidSubtype = DCODEC_SUBTYPE;
    hr = MFTRegisterLocal(&factory->IClassFactory_iface,
            desc->kind == DCODEC_DECODER ? &MFT_CATEGORY_AUDIO_DECODER : &MFT_CATEGORY_AUDIO_EFFECT,
            desc->kind == DCODEC_DECODER ? L"mfsession test decoder" : L"mfsession test converter",
            desc->async ? MFT_ENUM_FLAG_ASYNCMFT : MFT_ENUM_FLAG_SYNCMFT, 1, &in, 1, &out);
    if (FAILED(hr))
    {
        IClassFactory_Release(&factory->IClassFactory_iface);
        return hr;
    }
    *cookie = &factory->IClassFactory_iface;
    return S_OK;
}

void dcodec_unregister_local(IClassFactory *cookie)
{
    if (!cookie) return;
    MFTUnregisterLocal(cookie);
    IClassFactory_Release(cookie);
}
