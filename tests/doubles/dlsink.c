/*
 * dlsink.c: a stream sink for the loader's tests whose IMFMediaTypeHandler is
 * the thing under observation.  It stands alone (no media sink owns it:
 * GetMediaSink answers MF_E_STREAMSINK_REMOVED) and is never played; its
 * samples and markers are still answered as a stream sink answers them.
 */
#include "doubles_private.h"
#include "dloader.h"
#include <stdlib.h>

struct dlsink
{
    IMFStreamSink IMFStreamSink_iface;
    IMFMediaTypeHandler IMFMediaTypeHandler_iface;
    LONG refcount;
    IMFMediaEventQueue *queue;
    CRITICAL_SECTION cs;
    IMFMediaType *current, *refuse;
    IMFMediaType **types;
    unsigned type_count;
    LONG enum_count, set_count, supported_count;
};

static const IMFStreamSinkVtbl dlsink_vtbl;

static struct dlsink *impl_from_IMFStreamSink(IMFStreamSink *iface)
{
    return CONTAINING_RECORD(iface, struct dlsink, IMFStreamSink_iface);
}

static struct dlsink *impl_from_IMFMediaTypeHandler(IMFMediaTypeHandler *iface)
{
    return CONTAINING_RECORD(iface, struct dlsink, IMFMediaTypeHandler_iface);
}

static HRESULT WINAPI dlsink_QueryInterface(IMFStreamSink *iface, REFIID riid, void **out)
{
    struct dlsink *sink = impl_from_IMFStreamSink(iface);

    if (IsEqualIID(riid, &IID_IMFStreamSink) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = &sink->IMFStreamSink_iface;
    else if (IsEqualIID(riid, &IID_IMFMediaTypeHandler))
        *out = &sink->IMFMediaTypeHandler_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI dlsink_AddRef(IMFStreamSink *iface)
{
    return InterlockedIncrement(&impl_from_IMFStreamSink(iface)->refcount);
}

static ULONG WINAPI dlsink_Release(IMFStreamSink *iface)
{
    struct dlsink *sink = impl_from_IMFStreamSink(iface);
    ULONG refcount = InterlockedDecrement(&sink->refcount);
    unsigned i;

    if (!refcount)
    {
        IMFMediaEventQueue_Shutdown(sink->queue);
        IMFMediaEventQueue_Release(sink->queue);
        if (sink->current) IMFMediaType_Release(sink->current);
        if (sink->refuse) IMFMediaType_Release(sink->refuse);
        for (i = 0; i < sink->type_count; ++i) IMFMediaType_Release(sink->types[i]);
        free(sink->types);
        DeleteCriticalSection(&sink->cs);
        free(sink);
    }
    return refcount;
}

static HRESULT WINAPI dlsink_GetEvent(IMFStreamSink *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_GetEvent(impl_from_IMFStreamSink(iface)->queue, flags, event);
}

static HRESULT WINAPI dlsink_BeginGetEvent(IMFStreamSink *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return IMFMediaEventQueue_BeginGetEvent(impl_from_IMFStreamSink(iface)->queue, callback, state);
}

static HRESULT WINAPI dlsink_EndGetEvent(IMFStreamSink *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_EndGetEvent(impl_from_IMFStreamSink(iface)->queue, result, event);
}

static HRESULT WINAPI dlsink_QueueEvent(IMFStreamSink *iface, MediaEventType type, REFGUID ext_type,
        HRESULT status, const PROPVARIANT *value)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFStreamSink(iface)->queue, type, ext_type,
            status, value);
}

static HRESULT WINAPI dlsink_GetMediaSink(IMFStreamSink *iface, IMFMediaSink **sink)
{
    *sink = NULL;
    return MF_E_STREAMSINK_REMOVED;
}

static HRESULT WINAPI dlsink_GetIdentifier(IMFStreamSink *iface, DWORD *id)
{
    *id = 0;
    return S_OK;
}

static HRESULT WINAPI dlsink_GetMediaTypeHandler(IMFStreamSink *iface, IMFMediaTypeHandler **handler)
{
    struct dlsink *sink = impl_from_IMFStreamSink(iface);

    *handler = &sink->IMFMediaTypeHandler_iface;
    IMFMediaTypeHandler_AddRef(*handler);
    return S_OK;
}

static HRESULT WINAPI dlsink_ProcessSample(IMFStreamSink *iface, IMFSample *sample)
{
    return sample ? S_OK : E_POINTER;
}

static HRESULT WINAPI dlsink_PlaceMarker(IMFStreamSink *iface, MFSTREAMSINK_MARKER_TYPE type,
        const PROPVARIANT *value, const PROPVARIANT *context)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFStreamSink(iface)->queue, MEStreamSinkMarker,
            &GUID_NULL, S_OK, context);
}

static HRESULT WINAPI dlsink_Flush(IMFStreamSink *iface)
{
    return S_OK;
}

static const IMFStreamSinkVtbl dlsink_vtbl =
{
    dlsink_QueryInterface, dlsink_AddRef, dlsink_Release,
    dlsink_GetEvent, dlsink_BeginGetEvent, dlsink_EndGetEvent, dlsink_QueueEvent,
    dlsink_GetMediaSink, dlsink_GetIdentifier, dlsink_GetMediaTypeHandler,
    dlsink_ProcessSample, dlsink_PlaceMarker, dlsink_Flush,
};

static HRESULT WINAPI dlhandler_QueryInterface(IMFMediaTypeHandler *iface, REFIID riid, void **out)
{
    return dlsink_QueryInterface(&impl_from_IMFMediaTypeHandler(iface)->IMFStreamSink_iface, riid, out);
}

static ULONG WINAPI dlhandler_AddRef(IMFMediaTypeHandler *iface)
{
    return dlsink_AddRef(&impl_from_IMFMediaTypeHandler(iface)->IMFStreamSink_iface);
}

static ULONG WINAPI dlhandler_Release(IMFMediaTypeHandler *iface)
{
    return dlsink_Release(&impl_from_IMFMediaTypeHandler(iface)->IMFStreamSink_iface);
}

/* Whether `type` carries every item of `pattern`. */
static BOOL type_covers(IMFMediaType *pattern, IMFMediaType *type)
{
    BOOL result = FALSE;
    return SUCCEEDED(IMFMediaType_Compare(pattern, (IMFAttributes *)type, MF_ATTRIBUTES_MATCH_OUR_ITEMS, &result))
            && result;
}

static HRESULT WINAPI dlhandler_IsMediaTypeSupported(IMFMediaTypeHandler *iface, IMFMediaType *type,
        IMFMediaType **closest)
{
    struct dlsink *sink = impl_from_IMFMediaTypeHandler(iface);
    HRESULT hr = S_OK;

    if (closest) *closest = NULL;
    if (!type) return E_POINTER;
    InterlockedIncrement(&sink->supported_count);
    EnterCriticalSection(&sink->cs);
    if (sink->refuse && type_covers(sink->refuse, type)) hr = MF_E_INVALIDMEDIATYPE;
    else if (sink->current && !type_covers(sink->current, type)) hr = MF_E_INVALIDMEDIATYPE;
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dlhandler_GetMediaTypeCount(IMFMediaTypeHandler *iface, DWORD *count)
{
    *count = impl_from_IMFMediaTypeHandler(iface)->type_count;
    return S_OK;
}

static HRESULT WINAPI dlhandler_GetMediaTypeByIndex(IMFMediaTypeHandler *iface, DWORD index, IMFMediaType **type)
{
    struct dlsink *sink = impl_from_IMFMediaTypeHandler(iface);

    InterlockedIncrement(&sink->enum_count);
    if (index >= sink->type_count) return MF_E_NO_MORE_TYPES;
    *type = sink->types[index];
    IMFMediaType_AddRef(*type);
    return S_OK;
}

static HRESULT WINAPI dlhandler_SetCurrentMediaType(IMFMediaTypeHandler *iface, IMFMediaType *type)
{
    struct dlsink *sink = impl_from_IMFMediaTypeHandler(iface);

    if (!type) return E_POINTER;
    InterlockedIncrement(&sink->set_count);
    EnterCriticalSection(&sink->cs);
    if (sink->current) IMFMediaType_Release(sink->current);
    sink->current = type;
    IMFMediaType_AddRef(type);
    LeaveCriticalSection(&sink->cs);
    return S_OK;
}

static HRESULT WINAPI dlhandler_GetCurrentMediaType(IMFMediaTypeHandler *iface, IMFMediaType **type)
{
    struct dlsink *sink = impl_from_IMFMediaTypeHandler(iface);
    HRESULT hr;

    *type = NULL;
    EnterCriticalSection(&sink->cs);
    if (sink->current)
    {
        if (SUCCEEDED(hr = MFCreateMediaType(type))
                && FAILED(hr = IMFMediaType_CopyAllItems(sink->current, (IMFAttributes *)*type)))
        {
            IMFMediaType_Release(*type);
            *type = NULL;
        }
    }
    else
        hr = sink->type_count ? MF_E_NOT_INITIALIZED : E_FAIL;
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dlhandler_GetMajorType(IMFMediaTypeHandler *iface, GUID *major)
{
    struct dlsink *sink = impl_from_IMFMediaTypeHandler(iface);
    IMFMediaType *type = sink->current ? sink->current : sink->type_count ? sink->types[0] : NULL;

    if (!type) return MF_E_NOT_INITIALIZED;
    return IMFMediaType_GetMajorType(type, major);
}

static const IMFMediaTypeHandlerVtbl dlhandler_vtbl =
{
    dlhandler_QueryInterface, dlhandler_AddRef, dlhandler_Release,
    dlhandler_IsMediaTypeSupported, dlhandler_GetMediaTypeCount, dlhandler_GetMediaTypeByIndex,
    dlhandler_SetCurrentMediaType, dlhandler_GetCurrentMediaType, dlhandler_GetMajorType,
};

static HRESULT copy_type(IMFMediaType *from, IMFMediaType **to)
{
    HRESULT hr;

    *to = NULL;
    if (!from) return S_OK;
    if (FAILED(hr = MFCreateMediaType(to))) return hr;
    if (FAILED(hr = IMFMediaType_CopyAllItems(from, (IMFAttributes *)*to)))
    {
        IMFMediaType_Release(*to);
        *to = NULL;
    }
    return hr;
}

HRESULT dlsink_create(const struct dlsink_desc *desc, IMFStreamSink **out)
{
    struct dlsink *sink;
    unsigned i;
    HRESULT hr;

    *out = NULL;
    if (!(sink = calloc(1, sizeof(*sink)))) return E_OUTOFMEMORY;
    sink->IMFStreamSink_iface.lpVtbl = &dlsink_vtbl;
    sink->IMFMediaTypeHandler_iface.lpVtbl = &dlhandler_vtbl;
    sink->refcount = 1;
    InitializeCriticalSection(&sink->cs);
    if (FAILED(hr = MFCreateEventQueue(&sink->queue)))
    {
        DeleteCriticalSection(&sink->cs);
        free(sink);
        return hr;
    }
    if (SUCCEEDED(hr = copy_type(desc->current, &sink->current)))
        hr = copy_type(desc->refuse, &sink->refuse);
    if (SUCCEEDED(hr) && desc->type_count)
    {
        if (!(sink->types = calloc(desc->type_count, sizeof(*sink->types)))) hr = E_OUTOFMEMORY;
        for (i = 0; SUCCEEDED(hr) && i < desc->type_count; ++i)
        {
            sink->types[i] = desc->types[i];
            IMFMediaType_AddRef(sink->types[i]);
            sink->type_count = i + 1;
        }
    }
    if (FAILED(hr))
    {
        dlsink_Release(&sink->IMFStreamSink_iface);
        return hr;
    }
    *out = &sink->IMFStreamSink_iface;
    return S_OK;
}

static struct dlsink *dlsink_from(IMFStreamSink *iface)
{
    return iface && iface->lpVtbl == &dlsink_vtbl ? impl_from_IMFStreamSink(iface) : NULL;
}

unsigned dlsink_enum_count(IMFStreamSink *iface)
{
    struct dlsink *sink = dlsink_from(iface);
    return sink ? (unsigned)sink->enum_count : 0;
}

unsigned dlsink_set_count(IMFStreamSink *iface)
{
    struct dlsink *sink = dlsink_from(iface);
    return sink ? (unsigned)sink->set_count : 0;
}

unsigned dlsink_supported_count(IMFStreamSink *iface)
{
    struct dlsink *sink = dlsink_from(iface);
    return sink ? (unsigned)sink->supported_count : 0;
}
