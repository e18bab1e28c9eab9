/*
 * classfactory.c: the class object for CLSID_MFSessionTopoLoader.
 * Each live class object holds one module lock, like the session's.
 */
#include <stdlib.h>

#include "loader.h"

struct loader_factory
{
    IClassFactory IClassFactory_iface;
    LONG refcount;
};

static struct loader_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct loader_factory, IClassFactory_iface);
}

static HRESULT WINAPI loader_factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory))
    {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI loader_factory_AddRef(IClassFactory *iface)
{
    struct loader_factory *factory = impl_from_IClassFactory(iface);
    return InterlockedIncrement(&factory->refcount);
}

static ULONG WINAPI loader_factory_Release(IClassFactory *iface)
{
    struct loader_factory *factory = impl_from_IClassFactory(iface);
    ULONG refcount = InterlockedDecrement(&factory->refcount);

    if (!refcount)
    {
        free(factory);
        module_unlock();
    }
    return refcount;
}

static HRESULT WINAPI loader_factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    return topoloader_create(riid, out);
}

static HRESULT WINAPI loader_factory_LockServer(IClassFactory *iface, BOOL lock)
{
    if (lock) module_lock();
    else module_unlock();
    return S_OK;
}

static const IClassFactoryVtbl loader_factory_vtbl =
{
    loader_factory_QueryInterface,
    loader_factory_AddRef,
    loader_factory_Release,
    loader_factory_CreateInstance,
    loader_factory_LockServer,
};

HRESULT topoloader_factory_create(REFIID riid, void **out)
{
    struct loader_factory *factory;
    HRESULT hr;

    *out = NULL;
    if (!(factory = calloc(1, sizeof(*factory)))) return E_OUTOFMEMORY;
    factory->IClassFactory_iface.lpVtbl = &loader_factory_vtbl;
    factory->refcount = 1;
    module_lock();
    hr = loader_factory_QueryInterface(&factory->IClassFactory_iface, riid, out);
    loader_factory_Release(&factory->IClassFactory_iface);
    return hr;
}
