/*
 * An IMFActivate for a test sink.  It holds one reference on the sink from
 * creation ("the activated object"); ActivateObject hands the sink out
 * AddRef'd (taking the reference again after a DetachObject);
 * ShutdownObject shuts the sink down and drops the reference; DetachObject
 * drops it.  A shut-down sink cannot be activated again (MF_E_SHUTDOWN).
 * The IMFAttributes methods forward to an MFCreateAttributes store.
 * The activate keeps the sink's memory (not the sink) alive through the
 * sink's core count, so it never dangles.
 */
#include "doubles_private.h"
#include <stdlib.h>

struct dactivate
{
    IMFActivate IMFActivate_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    IMFAttributes *attributes;
    struct dsink *sink;     /* core reference */
    BOOL holds_sink;        /* COM reference on the sink */
    const char *name;
};

static const IMFActivateVtbl dactivate_vtbl;

static struct dactivate *impl_from_IMFActivate(IMFActivate *iface)
{
    return CONTAINING_RECORD(iface, struct dactivate, IMFActivate_iface);
}

static HRESULT WINAPI dactivate_QueryInterface(IMFActivate *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFActivate) || IsEqualIID(riid, &IID_IMFAttributes)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFActivate_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI dactivate_AddRef(IMFActivate *iface)
{
    return InterlockedIncrement(&impl_from_IMFActivate(iface)->refcount);
}

static ULONG WINAPI dactivate_Release(IMFActivate *iface)
{
    struct dactivate *activate = impl_from_IMFActivate(iface);
    ULONG refcount = InterlockedDecrement(&activate->refcount);

    if (!refcount)
    {
        if (activate->holds_sink) dsink_release(activate->sink);
        dsink_core_release(activate->sink);
        IMFAttributes_Release(activate->attributes);
        DeleteCriticalSection(&activate->cs);
        free(activate);
    }
    return refcount;
}

#define ATTR(iface) (impl_from_IMFActivate(iface)->attributes)

static HRESULT WINAPI dactivate_GetItem(IMFActivate *iface, REFGUID key, PROPVARIANT *value)
{
    return IMFAttributes_GetItem(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_GetItemType(IMFActivate *iface, REFGUID key, MF_ATTRIBUTE_TYPE *type)
{
    return IMFAttributes_GetItemType(ATTR(iface), key, type);
}

static HRESULT WINAPI dactivate_CompareItem(IMFActivate *iface, REFGUID key, REFPROPVARIANT value, BOOL *result)
{
    return IMFAttributes_CompareItem(ATTR(iface), key, value, result);
}

static HRESULT WINAPI dactivate_Compare(IMFActivate *iface, IMFAttributes *theirs, MF_ATTRIBUTES_MATCH_TYPE type,
        BOOL *result)
{
    return IMFAttributes_Compare(ATTR(iface), theirs, type, result);
}

static HRESULT WINAPI dactivate_GetUINT32(IMFActivate *iface, REFGUID key, UINT32 *value)
{
    return IMFAttributes_GetUINT32(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_GetUINT64(IMFActivate *iface, REFGUID key, UINT64 *value)
{
    return IMFAttributes_GetUINT64(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_GetDouble(IMFActivate *iface, REFGUID key, double *value)
{
    return IMFAttributes_GetDouble(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_GetGUID(IMFActivate *iface, REFGUID key, GUID *value)
{
    return IMFAttributes_GetGUID(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_GetStringLength(IMFActivate *iface, REFGUID key, UINT32 *length)
{
    return IMFAttributes_GetStringLength(ATTR(iface), key, length);
}

static HRESULT WINAPI dactivate_GetString(IMFActivate *iface, REFGUID key, WCHAR *value, UINT32 size, UINT32 *length)
{
    return IMFAttributes_GetString(ATTR(iface), key, value, size, length);
}

static HRESULT WINAPI dactivate_GetAllocatedString(IMFActivate *iface, REFGUID key, WCHAR **value, UINT32 *length)
{
    return IMFAttributes_GetAllocatedString(ATTR(iface), key, value, length);
}

static HRESULT WINAPI dactivate_GetBlobSize(IMFActivate *iface, REFGUID key, UINT32 *size)
{
    return IMFAttributes_GetBlobSize(ATTR(iface), key, size);
}

static HRESULT WINAPI dactivate_GetBlob(IMFActivate *iface, REFGUID key, UINT8 *buf, UINT32 bufsize, UINT32 *blobsize)
{
    return IMFAttributes_GetBlob(ATTR(iface), key, buf, bufsize, blobsize);
}

static HRESULT WINAPI dactivate_GetAllocatedBlob(IMFActivate *iface, REFGUID key, UINT8 **buf, UINT32 *size)
{
    return IMFAttributes_GetAllocatedBlob(ATTR(iface), key, buf, size);
}

static HRESULT WINAPI dactivate_GetUnknown(IMFActivate *iface, REFGUID key, REFIID riid, void **out)
{
    return IMFAttributes_GetUnknown(ATTR(iface), key, riid, out);
}

static HRESULT WINAPI dactivate_SetItem(IMFActivate *iface, REFGUID key, REFPROPVARIANT value)
{
    return IMFAttributes_SetItem(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_DeleteItem(IMFActivate *iface, REFGUID key)
{
    return IMFAttributes_DeleteItem(ATTR(iface), key);
}

static HRESULT WINAPI dactivate_DeleteAllItems(IMFActivate *iface)
{
    return IMFAttributes_DeleteAllItems(ATTR(iface));
}

static HRESULT WINAPI dactivate_SetUINT32(IMFActivate *iface, REFGUID key, UINT32 value)
{
    return IMFAttributes_SetUINT32(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_SetUINT64(IMFActivate *iface, REFGUID key, UINT64 value)
{
    return IMFAttributes_SetUINT64(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_SetDouble(IMFActivate *iface, REFGUID key, double value)
{
    return IMFAttributes_SetDouble(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_SetGUID(IMFActivate *iface, REFGUID key, REFGUID value)
{
    return IMFAttributes_SetGUID(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_SetString(IMFActivate *iface, REFGUID key, const WCHAR *value)
{
    return IMFAttributes_SetString(ATTR(iface), key, value);
}

static HRESULT WINAPI dactivate_SetBlob(IMFActivate *iface, REFGUID key, const UINT8 *buf, UINT32 size)
{
    return IMFAttributes_SetBlob(ATTR(iface), key, buf, size);
}

static HRESULT WINAPI dactivate_SetUnknown(IMFActivate *iface, REFGUID key, IUnknown *unknown)
{
    return IMFAttributes_SetUnknown(ATTR(iface), key, unknown);
}

static HRESULT WINAPI dactivate_LockStore(IMFActivate *iface)
{
    return IMFAttributes_LockStore(ATTR(iface));
}

static HRESULT WINAPI dactivate_UnlockStore(IMFActivate *iface)
{
    return IMFAttributes_UnlockStore(ATTR(iface));
}

static HRESULT WINAPI dactivate_GetCount(IMFActivate *iface, UINT32 *count)
{
    return IMFAttributes_GetCount(ATTR(iface), count);
}

static HRESULT WINAPI dactivate_GetItemByIndex(IMFActivate *iface, UINT32 index, GUID *key, PROPVARIANT *value)
{
    return IMFAttributes_GetItemByIndex(ATTR(iface), index, key, value);
}

static HRESULT WINAPI dactivate_CopyAllItems(IMFActivate *iface, IMFAttributes *dest)
{
    return IMFAttributes_CopyAllItems(ATTR(iface), dest);
}

#undef ATTR

static HRESULT WINAPI dactivate_ActivateObject(IMFActivate *iface, REFIID riid, void **out)
{
    struct dactivate *activate = impl_from_IMFActivate(iface);
    HRESULT hr;

    DLOG("%s.ActivateObject", activate->name);
    if (FAILED(hr = dfault_check(DCALL_ACTIVATE_ACTIVATE))) return hr;
    if (!out) return E_POINTER;
    *out = NULL;

    EnterCriticalSection(&activate->cs);
    if (dsink_is_shut_down(activate->sink))
        hr = MF_E_SHUTDOWN;
    else if (!activate->holds_sink && !(activate->holds_sink = dsink_try_addref(activate->sink)))
        hr = MF_E_SHUTDOWN; /* the sink's last reference went away */
    else
        hr = IMFMediaSink_QueryInterface(dsink_iface(activate->sink), riid, out);
    LeaveCriticalSection(&activate->cs);
    return hr;
}

/* Takes the held reference out, under the lock. */
static BOOL dactivate_take_sink(struct dactivate *activate)
{
    BOOL held;
    EnterCriticalSection(&activate->cs);
    held = activate->holds_sink;
    activate->holds_sink = FALSE;
    LeaveCriticalSection(&activate->cs);
    return held;
}

static HRESULT WINAPI dactivate_ShutdownObject(IMFActivate *iface)
{
    struct dactivate *activate = impl_from_IMFActivate(iface);
    HRESULT hr;

    DLOG("%s.ShutdownObject", activate->name);
    if (FAILED(hr = dfault_check(DCALL_ACTIVATE_SHUTDOWN))) return hr;
    if (dactivate_take_sink(activate))
    {
        IMFMediaSink_Shutdown(dsink_iface(activate->sink));
        dsink_release(activate->sink);
    }
    return S_OK;
}

static HRESULT WINAPI dactivate_DetachObject(IMFActivate *iface)
{
    struct dactivate *activate = impl_from_IMFActivate(iface);
    HRESULT hr;

    DLOG("%s.DetachObject", activate->name);
    if (FAILED(hr = dfault_check(DCALL_ACTIVATE_DETACH))) return hr;
    if (dactivate_take_sink(activate)) dsink_release(activate->sink);
    return S_OK;
}

static const IMFActivateVtbl dactivate_vtbl =
{
    dactivate_QueryInterface, dactivate_AddRef, dactivate_Release,
    dactivate_GetItem, dactivate_GetItemType, dactivate_CompareItem, dactivate_Compare,
    dactivate_GetUINT32, dactivate_GetUINT64, dactivate_GetDouble, dactivate_GetGUID,
    dactivate_GetStringLength, dactivate_GetString, dactivate_GetAllocatedString,
    dactivate_GetBlobSize, dactivate_GetBlob, dactivate_GetAllocatedBlob, dactivate_GetUnknown,
    dactivate_SetItem, dactivate_DeleteItem, dactivate_DeleteAllItems,
    dactivate_SetUINT32, dactivate_SetUINT64, dactivate_SetDouble, dactivate_SetGUID,
    dactivate_SetString, dactivate_SetBlob, dactivate_SetUnknown,
    dactivate_LockStore, dactivate_UnlockStore, dactivate_GetCount, dactivate_GetItemByIndex,
    dactivate_CopyAllItems,
    dactivate_ActivateObject, dactivate_ShutdownObject, dactivate_DetachObject,
};

HRESULT dactivate_create(struct dsink *sink, IMFActivate **out)
{
    struct dactivate *activate;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!sink || !dsink_try_addref(sink)) return E_INVALIDARG;
    if (!(activate = calloc(1, sizeof(*activate))))
    {
        dsink_release(sink);
        return E_OUTOFMEMORY;
    }
    if (FAILED(hr = MFCreateAttributes(&activate->attributes, 4)))
    {
        free(activate);
        dsink_release(sink);
        return hr;
    }
    activate->IMFActivate_iface.lpVtbl = &dactivate_vtbl;
    activate->refcount = 1;
    activate->sink = sink;
    activate->holds_sink = TRUE;
    activate->name = dsink_activate_name(sink);
    dsink_core_addref(sink);
    InitializeCriticalSection(&activate->cs);
    *out = &activate->IMFActivate_iface;
    return S_OK;
}

LONG dactivate_refcount(IMFActivate *a)
{
    if (!a || a->lpVtbl != &dactivate_vtbl) return -1;
    return impl_from_IMFActivate(a)->refcount;
}
