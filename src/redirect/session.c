/*
 * MFCreateMediaSession and MFCreatePMPMediaSession: mfsession's session
 * instead of the platform's.
 *
 * mfsession.dll is found once per process: the machine's registration of
 * CLSID_MFSession (its InprocServer32 path), else mfsession.dll beside the
 * redirect.  It is loaded by full path and its DllGetClassObject asked for
 * IMFSessionFactory, which takes the configuration attributes these
 * functions take.  No COM activation: the application may never have called
 * CoInitialize, which MFStartup does not need.
 *
 * When MFSESSION_REDIRECT=0, or mfsession.dll cannot be found or loaded, the
 * call goes to the system's mf.dll, so the application plays all the same;
 * the reason is logged once.
 */
#include <windows.h>
#include <wchar.h>
#include <mfapi.h>
#include <mfidl.h>

#include "mfsession.h"
#include "redirect.h"

typedef HRESULT (WINAPI *get_class_object_fn)(REFCLSID clsid, REFIID riid, void **out);
typedef HRESULT (WINAPI *create_session_fn)(IMFAttributes *config, IMFMediaSession **session);
typedef HRESULT (WINAPI *create_pmp_session_fn)(DWORD flags, IMFAttributes *config,
        IMFMediaSession **session, IMFActivate **enabler);

static INIT_ONCE ours_once = INIT_ONCE_STATIC_INIT;
static get_class_object_fn ours_get_class_object;

static BOOL redirect_disabled(void)
{
    WCHAR value[8];
    DWORD len = GetEnvironmentVariableW(L"MFSESSION_REDIRECT", value, ARRAYSIZE(value));
    return len && len < ARRAYSIZE(value) && !wcscmp(value, L"0");
}

/* InprocServer32 of CLSID_MFSession; HKEY_CLASSES_ROOT gives the per-user
 * registration first on Windows, and a 32-bit process its own view. */
static BOOL registered_path(WCHAR *path, DWORD size)
{
    DWORD bytes = size * sizeof(WCHAR);

    return !RegGetValueW(HKEY_CLASSES_ROOT, L"CLSID\\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}\\InprocServer32",
            NULL, RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ, NULL, path, &bytes) && path[0];
}

static BOOL beside_path(WCHAR *path, DWORD size)
{
    DWORD len = GetModuleFileNameW(redirect_module, path, size);
    WCHAR *name;

    if (!len || len >= size)
        return FALSE;
    for (name = path + len; name > path && name[-1] != '\\' && name[-1] != '/'; --name);
    if ((size_t)(name - path) + ARRAYSIZE(L"mfsession.dll") > size)
        return FALSE;
    wcscpy(name, L"mfsession.dll");
    return TRUE;
}

static HMODULE load_ours(const WCHAR *path, WCHAR *reason, size_t size)
{
    HMODULE module = LoadLibraryW(path);

    if (!module)
    {
        swprintf(reason, size, L"%ls did not load (error %lu)", path, (unsigned long)GetLastError());
        return NULL;
    }
    if (!(ours_get_class_object = (get_class_object_fn)(void *)GetProcAddress(module, "DllGetClassObject")))
    {
        swprintf(reason, size, L"%ls has no DllGetClassObject", path);
        FreeLibrary(module);
        return NULL;
    }
    return module;
}

/* Keeps mfsession.dll loaded for the rest of the process: sessions of ours
 * may outlive any one call, and the application never sees the module. */
static BOOL CALLBACK ours_load(INIT_ONCE *once, void *param, void **context)
{
    WCHAR path[MAX_PATH], reason[2 * MAX_PATH + 96];
    HMODULE module = NULL;

    if (redirect_disabled())
    {
        redirect_log_note(L"mfsession redirect: MFSESSION_REDIRECT=0, using the system's session\n");
        return TRUE;
    }
    reason[0] = 0;
    if (registered_path(path, ARRAYSIZE(path)))
        module = load_ours(path, reason, ARRAYSIZE(reason));
    else
        wcscpy(reason, L"CLSID_MFSession is not registered");
    /* A registration left behind by a removed build must not hide the copy
     * installed beside the redirect. */
    if (!module && beside_path(path, ARRAYSIZE(path)))
    {
        if (GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES)
            module = load_ours(path, reason, ARRAYSIZE(reason));
        else
            swprintf(reason + wcslen(reason), ARRAYSIZE(reason) - wcslen(reason), L", and %ls does not exist", path);
    }
    if (!module)
        redirect_log_fallback(reason);
    return TRUE;
}

/* Our class object, or NULL (already logged) to use the system's session. */
static IMFSessionFactory *ours_factory(void)
{
    IMFSessionFactory *factory;
    WCHAR reason[96];
    HRESULT hr;

    InitOnceExecuteOnce(&ours_once, ours_load, NULL, NULL);
    if (!ours_get_class_object)
        return NULL;
    if (FAILED(hr = ours_get_class_object(&CLSID_MFSession, &IID_IMFSessionFactory, (void **)&factory)))
    {
        swprintf(reason, ARRAYSIZE(reason), L"mfsession.dll's class object failed (%#lx)", (unsigned long)hr);
        redirect_log_fallback(reason);
        return NULL;
    }
    return factory;
}

static HRESULT create_ours(IMFSessionFactory *factory, IMFAttributes *config, IMFMediaSession **session)
{
    HRESULT hr = IMFSessionFactory_CreateSession(factory, config, &IID_IMFMediaSession, (void **)session);
    IMFSessionFactory_Release(factory);
    return hr;
}

HRESULT WINAPI MFCreateMediaSession(IMFAttributes *config, IMFMediaSession **session)
{
    IMFSessionFactory *factory;
    create_session_fn system_create;

    if (!session)
        return E_POINTER;
    if ((factory = ours_factory()))
        return create_ours(factory, config, session);

    if (!(system_create = (create_session_fn)(void *)forward_system_export("MFCreateMediaSession")))
        return HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND);
    return system_create(config, session);
}

/* Our session runs in the application's process and plays no protected
 * content: whatever the flags, it is what Windows gives for unprotected
 * content, with no enabler to run (*enabler NULL). */
HRESULT WINAPI MFCreatePMPMediaSession(DWORD flags, IMFAttributes *config, IMFMediaSession **session,
        IMFActivate **enabler)
{
    IMFSessionFactory *factory;
    create_pmp_session_fn system_create;

    if (!session)
        return E_POINTER;
    if ((factory = ours_factory()))
    {
        if (enabler)
            *enabler = NULL;
        return create_ours(factory, config, session);
    }

    if (!(system_create = (create_pmp_session_fn)(void *)forward_system_export("MFCreatePMPMediaSession")))
        return HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND);
    return system_create(flags, config, session, enabler);
}
