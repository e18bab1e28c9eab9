/*
 * The class object for CLSID_MFSession.
 *
 * One object exposes both IClassFactory (what CoCreateInstance uses) and
 * IMFSessionFactory (creation with MFCreateMediaSession-style attributes).
 * Each live class object holds one module lock, so DllCanUnloadNow says
 * S_FALSE while a client keeps one.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE  /* const vtables (meson passes -DCONST_VTABLE too) */
#endif
#include <stdlib.h>

#include "mfsession_private.h"
#include "factory.h"

struct factory
{
    IClassFactory IClassFactory_iface;
    IMFSessionFactory IMFSessionFactory_iface;
    LONG refcount;
};

static struct factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct factory, IClassFactory_iface);
}

static struct factory *impl_from_IMFSessionFactory(IMFSessionFactory *iface)
{
    return CONTAINING_RECORD(iface, struct factory, IMFSessionFactory_iface);
}

static HRESULT WINAPI factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    struct factory *factory = impl_from_IClassFactory(iface);

    if (!out)
        return E_POINTER;
    if (!riid)
    {
        *out = NULL;
        return E_INVALIDARG;
    }

    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory))
        *out = &factory->IClassFactory_iface;
    else if (IsEqualIID(riid, &IID_IMFSessionFactory))
        *out = &factory->IMFSessionFactory_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }

    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI factory_AddRef(IClassFactory *iface)
{
    struct factory *factory = impl_from_IClassFactory(iface);
    return InterlockedIncrement(&factory->refcount);
}

static ULONG WINAPI factory_Release(IClassFactory *iface)
{
    struct factory *factory = impl_from_IClassFactory(iface);
    ULONG refcount = InterlockedDecrement(&factory->refcount);

    if (!refcount)
    {
        free(factory);
        module_unlock();
    }
    return refcount;
}

static HRESULT WINAPI factory_CreateInstance(IClassFactory *iface, IUnknown *outer,
        REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    return session_create(NULL, riid, out);
}

static HRESULT WINAPI factory_LockServer(IClassFactory *iface, BOOL lock)
{
    if (lock)
        module_lock();
    else
        module_unlock();
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl =
{
    factory_QueryInterface,
    factory_AddRef,
    factory_Release,
    factory_CreateInstance,
    factory_LockServer,
};

static HRESULT WINAPI session_factory_QueryInterface(IMFSessionFactory *iface, REFIID riid, void **out)
{
    struct factory *factory = impl_from_IMFSessionFactory(iface);
    return factory_QueryInterface(&factory->IClassFactory_iface, riid, out);
}

static ULONG WINAPI session_factory_AddRef(IMFSessionFactory *iface)
{
    struct factory *factory = impl_from_IMFSessionFactory(iface);
    return factory_AddRef(&factory->IClassFactory_iface);
}

static ULONG WINAPI session_factory_Release(IMFSessionFactory *iface)
{
    struct factory *factory = impl_from_IMFSessionFactory(iface);
    return factory_Release(&factory->IClassFactory_iface);
}

static HRESULT WINAPI session_factory_CreateSession(IMFSessionFactory *iface, IMFAttributes *config,
        REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    return session_create(config, riid, out);
}

static const IMFSessionFactoryVtbl session_factory_vtbl =
{
    session_factory_QueryInterface,
    session_factory_AddRef,
    session_factory_Release,
    session_factory_CreateSession,
};

HRESULT factory_create(REFIID riid, void **out)
{
    struct factory *factory;
    HRESULT hr;

    *out = NULL;
    if (!(factory = calloc(1, sizeof(*factory))))
        return E_OUTOFMEMORY;
    factory->IClassFactory_iface.lpVtbl = &factory_vtbl;
    factory->IMFSessionFactory_iface.lpVtbl = &session_factory_vtbl;
    factory->refcount = 1;
    module_lock();

    /* The QueryInterface reference is the caller's; a failed one leaves the
     * object at zero and frees it, lock included. */
    hr = factory_QueryInterface(&factory->IClassFactory_iface, riid, out);
    factory_Release(&factory->IClassFactory_iface);
    return hr;
}
