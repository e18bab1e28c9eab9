/*
 * Self-registration: DllRegisterServer, DllUnregisterServer and DllInstall.
 *
 * The keys live under <root>\Software\Classes, where root is HKLM (machine,
 * regsvr32's default) or HKCU (per user, "regsvr32 /n /i:user"):
 *
 *   CLSID\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}   = description
 *       InprocServer32                             = module path, ThreadingModel=Both
 *       ProgID                                     = MFSession.MediaSession.1
 *       VersionIndependentProgID                   = MFSession.MediaSession
 *   MFSession.MediaSession.1                       = description
 *       CLSID                                      = {9BC800B1-...}
 *   MFSession.MediaSession                         = description
 *       CLSID                                      = {9BC800B1-...}
 *       CurVer                                     = MFSession.MediaSession.1
 *
 *   CLSID\{EF6D7742-1E6E-4A0A-8C72-65DB3E3841E6}   = description (the topology loader)
 *       InprocServer32                             = module path, ThreadingModel=Both
 *       ProgID                                     = MFSession.TopoLoader.1
 *   MFSession.TopoLoader.1                         = description
 *       CLSID                                      = {EF6D7742-...}
 *
 * Nothing else is written, and unregistration deletes only these trees.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mfsession_private.h"

#define CLASSES_KEY     L"Software\\Classes\\"
#define DESCRIPTION     L"mfsession Media Session"
#define PROGID          L"MFSession.MediaSession.1"
#define VERSION_PROGID  L"MFSession.MediaSession"
#define LOADER_DESCRIPTION L"mfsession Topology Loader"
#define LOADER_PROGID      L"MFSession.TopoLoader.1"

/* GetModuleFileNameW has no way to ask for the length: grow the buffer up to
 * the longest path Windows supports, and fail rather than register a
 * truncated path. */
static HRESULT get_module_path(WCHAR **path)
{
    DWORD size, len;
    WCHAR *buffer;

    for (size = MAX_PATH; size <= 32768; size *= 2)
    {
        if (!(buffer = malloc(size * sizeof(WCHAR))))
            return E_OUTOFMEMORY;
        SetLastError(ERROR_SUCCESS);
        len = GetModuleFileNameW(mfsession_module, buffer, size);
        if (!len)
        {
            DWORD error = GetLastError();
            free(buffer);
            return HRESULT_FROM_WIN32(error ? error : ERROR_MOD_NOT_FOUND);
        }
        if (len < size && GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        {
            *path = buffer;
            return S_OK;
        }
        free(buffer);
    }
    return HRESULT_FROM_WIN32(ERROR_FILENAME_EXCED_RANGE);
}

/* Creates <root>\Software\Classes\<subkey> and sets one string value
 * (name NULL: the default value). */
static HRESULT set_value(HKEY root, const WCHAR *subkey, const WCHAR *name, const WCHAR *data)
{
    WCHAR path[256];
    LSTATUS status;
    HKEY key;

    if (swprintf(path, ARRAYSIZE(path), L"%ls%ls", CLASSES_KEY, subkey) < 0)
        return E_UNEXPECTED;
    status = RegCreateKeyExW(root, path, 0, NULL, REG_OPTION_NON_VOLATILE, KEY_SET_VALUE, NULL, &key, NULL);
    if (status != ERROR_SUCCESS)
        return HRESULT_FROM_WIN32(status);
    status = RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)data,
            (DWORD)((wcslen(data) + 1) * sizeof(WCHAR)));
    RegCloseKey(key);
    return HRESULT_FROM_WIN32(status);
}

/* One COM class of this module and the keys it owns. */
struct com_class
{
    const CLSID *clsid;
    const WCHAR *description;
    const WCHAR *progid;            /* <progid>\CLSID */
    const WCHAR *version_progid;    /* NULL: none; else <vprogid>\CLSID and \CurVer */
};

static const struct com_class com_classes[] =
{
    {&CLSID_MFSession, DESCRIPTION, PROGID, VERSION_PROGID},
    {&CLSID_MFSessionTopoLoader, LOADER_DESCRIPTION, LOADER_PROGID, NULL},
};

/* Deletes exactly the trees register_class writes.  A key that is already
 * gone is not a failure: unregistering never fails. */
static void unregister_class(HKEY root, const struct com_class *cls)
{
    WCHAR clsid[40], path[128];

    StringFromGUID2(cls->clsid, clsid, ARRAYSIZE(clsid));
    swprintf(path, ARRAYSIZE(path), L"%lsCLSID\\%ls", CLASSES_KEY, clsid);
    RegDeleteTreeW(root, path);
    swprintf(path, ARRAYSIZE(path), L"%ls%ls", CLASSES_KEY, cls->progid);
    RegDeleteTreeW(root, path);
    if (cls->version_progid)
    {
        swprintf(path, ARRAYSIZE(path), L"%ls%ls", CLASSES_KEY, cls->version_progid);
        RegDeleteTreeW(root, path);
    }
}

static HRESULT register_class(HKEY root, const struct com_class *cls, const WCHAR *module_path)
{
    WCHAR clsid[40], clsid_key[64], inproc_key[96], sub_key[128];
    HRESULT hr;

    StringFromGUID2(cls->clsid, clsid, ARRAYSIZE(clsid));
    swprintf(clsid_key, ARRAYSIZE(clsid_key), L"CLSID\\%ls", clsid);
    swprintf(inproc_key, ARRAYSIZE(inproc_key), L"%ls\\InprocServer32", clsid_key);
    if (FAILED(hr = set_value(root, clsid_key, NULL, cls->description))) return hr;
    if (FAILED(hr = set_value(root, inproc_key, NULL, module_path))) return hr;
    if (FAILED(hr = set_value(root, inproc_key, L"ThreadingModel", L"Both"))) return hr;
    swprintf(sub_key, ARRAYSIZE(sub_key), L"%ls\\ProgID", clsid_key);
    if (FAILED(hr = set_value(root, sub_key, NULL, cls->progid))) return hr;
    if (cls->version_progid)
    {
        swprintf(sub_key, ARRAYSIZE(sub_key), L"%ls\\VersionIndependentProgID", clsid_key);
        if (FAILED(hr = set_value(root, sub_key, NULL, cls->version_progid))) return hr;
    }

    if (FAILED(hr = set_value(root, cls->progid, NULL, cls->description))) return hr;
    swprintf(sub_key, ARRAYSIZE(sub_key), L"%ls\\CLSID", cls->progid);
    if (FAILED(hr = set_value(root, sub_key, NULL, clsid))) return hr;
    if (!cls->version_progid) return S_OK;

    if (FAILED(hr = set_value(root, cls->version_progid, NULL, cls->description))) return hr;
    swprintf(sub_key, ARRAYSIZE(sub_key), L"%ls\\CLSID", cls->version_progid);
    if (FAILED(hr = set_value(root, sub_key, NULL, clsid))) return hr;
    swprintf(sub_key, ARRAYSIZE(sub_key), L"%ls\\CurVer", cls->version_progid);
    return set_value(root, sub_key, NULL, cls->progid);
}

static HRESULT unregister_server(HKEY root)
{
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(com_classes); ++i)
        unregister_class(root, &com_classes[i]);
    return S_OK;
}

static HRESULT register_server(HKEY root)
{
    WCHAR *module_path;
    unsigned int i;
    HRESULT hr = S_OK;

    if (FAILED(hr = get_module_path(&module_path)))
        return hr;
    for (i = 0; i < ARRAYSIZE(com_classes) && SUCCEEDED(hr); ++i)
        hr = register_class(root, &com_classes[i], module_path);
    /* Leave no half registration behind. */
    if (FAILED(hr)) unregister_server(root);
    free(module_path);
    return hr;
}

HRESULT WINAPI DllRegisterServer(void)
{
    return register_server(HKEY_LOCAL_MACHINE);
}

HRESULT WINAPI DllUnregisterServer(void)
{
    return unregister_server(HKEY_LOCAL_MACHINE);
}

/* regsvr32 /i[:cmdline] calls DllInstall(TRUE, cmdline), /u /i calls
 * DllInstall(FALSE, cmdline).  "user" registers for the current user only. */
HRESULT WINAPI DllInstall(BOOL install, const WCHAR *cmdline)
{
    HKEY root;

    if (!cmdline || !cmdline[0] || !_wcsicmp(cmdline, L"machine"))
        root = HKEY_LOCAL_MACHINE;
    else if (!_wcsicmp(cmdline, L"user"))
        root = HKEY_CURRENT_USER;
    else
        return E_INVALIDARG;

    return install ? register_server(root) : unregister_server(root);
}
