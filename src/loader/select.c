/*
 * select.c: which topology loader a new session gets.
 *
 * MF_SESSION_TOPOLOADER names it: CLSID_MFSessionTopoLoader is ours,
 * CLSID_MFSessionPlatformTopoLoader the platform's (MFCreateTopoLoader; the
 * SDK publishes no CLSID for it), anything else is created with
 * CoCreateInstance.  Without the attribute the session gets ours, unless
 * the DWORD value UsePlatformLoader under our loader's class key
 * (HKCU, then HKLM, Software\Classes\CLSID\{EF6D7742-...}) is non-zero: a
 * switch back to the platform's loader for every session on the machine.
 */
#include <wchar.h>

#include "loader.h"
#include "mfsession.h"

static BOOL platform_loader_configured(void)
{
    static const HKEY roots[] = {HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};
    WCHAR clsid[40], key[96];
    DWORD value, size;
    unsigned int i;

    StringFromGUID2(&CLSID_MFSessionTopoLoader, clsid, ARRAYSIZE(clsid));
    swprintf(key, ARRAYSIZE(key), L"Software\\Classes\\CLSID\\%ls", clsid);
    for (i = 0; i < ARRAYSIZE(roots); ++i)
    {
        size = sizeof(value);
        if (!RegGetValueW(roots[i], key, L"UsePlatformLoader", RRF_RT_REG_DWORD, NULL, &value, &size))
            return value != 0;
    }
    return FALSE;
}

HRESULT topoloader_select(const GUID *clsid, IMFTopoLoader **out)
{
    *out = NULL;
    if (!clsid)
        return platform_loader_configured() ? MFCreateTopoLoader(out)
                : topoloader_create(&IID_IMFTopoLoader, (void **)out);
    if (IsEqualCLSID(clsid, &CLSID_MFSessionTopoLoader))
        return topoloader_create(&IID_IMFTopoLoader, (void **)out);
    if (IsEqualCLSID(clsid, &CLSID_MFSessionPlatformTopoLoader))
        return MFCreateTopoLoader(out);
    return CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IMFTopoLoader, (void **)out);
}
