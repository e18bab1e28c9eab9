/*
 * The redirect's DllMain: it only remembers its module.  Loading the
 * system's mf.dll and mfsession.dll waits for the first call (forward.c,
 * session.c), outside the loader lock.
 */
#include <windows.h>

#include "redirect.h"

HINSTANCE redirect_module;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
    {
        redirect_module = instance;
        DisableThreadLibraryCalls(instance);
    }
    return TRUE;
}
