/*
 * The DLL's entry points and its single lock count.
 *
 * The lock count answers DllCanUnloadNow: every live object (class objects
 * included) holds one lock, and IClassFactory::LockServer adds or removes one.
 */
#include "mfsession_private.h"
#include "factory.h"
#include "loader/loader.h"

HINSTANCE mfsession_module;
static LONG module_locks;

void module_lock(void)
{
    InterlockedIncrement(&module_locks);
}

void module_unlock(void)
{
    InterlockedDecrement(&module_locks);
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        mfsession_module = instance;
        DisableThreadLibraryCalls(instance);
        break;
    case DLL_PROCESS_DETACH:
        trace_process_detach();
        break;
    }
    return TRUE;
}

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!clsid || !riid)
        return E_INVALIDARG;
    if (IsEqualCLSID(clsid, &CLSID_MFSessionTopoLoader))
        return topoloader_factory_create(riid, out);
    if (!IsEqualCLSID(clsid, &CLSID_MFSession))
        return CLASS_E_CLASSNOTAVAILABLE;
    return factory_create(riid, out);
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    /* An interlocked read: the count may change on any thread. */
    return InterlockedCompareExchange(&module_locks, 0, 0) > 0 ? S_FALSE : S_OK;
}
