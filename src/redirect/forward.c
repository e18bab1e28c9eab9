/*
 * Forwarding to the system's mf.dll.
 *
 * Every forwarded export is a thunk (thunks.c) that jumps through its slot.
 * A slot starts out pointing at the thunk's first-call path, which saves the
 * caller's argument registers, calls forward_init and jumps through the slot
 * again.  forward_init loads the system's mf.dll by full path (the redirect
 * itself is the mf.dll of the application's directory, so a plain
 * LoadLibrary("mf.dll") would return it) and points every slot at its
 * export, or at a stand-in when the system's mf.dll lacks it.  It runs once,
 * under InitOnceExecuteOnce, on whichever thread calls a forward first and
 * never in DllMain: the loader lock is not held while another DLL loads.
 */
#include <windows.h>
#include <wchar.h>

#include "redirect.h"
#include "exports.h"

/* The slots and stand-ins the thunks use (thunks.c defines the labels). */
#define FORWARD(name, bytes) \
    extern void redirect_first_##name(void); \
    extern void redirect_missing_##name(void); \
    void (*volatile redirect_slot_##name)(void) = redirect_first_##name;
#define FORWARD_UNDOCUMENTED(name) FORWARD(name, 0)
REDIRECT_FORWARDS
#undef FORWARD
#undef FORWARD_UNDOCUMENTED

struct forward
{
    const char *name;
    void (*volatile *slot)(void);
    void (*missing)(void);
};

static const struct forward forwards[] =
{
#define FORWARD(name, bytes) {#name, &redirect_slot_##name, redirect_missing_##name},
#define FORWARD_UNDOCUMENTED(name) FORWARD(name, 0)
    REDIRECT_FORWARDS
#undef FORWARD
#undef FORWARD_UNDOCUMENTED
};

static INIT_ONCE forward_once = INIT_ONCE_STATIC_INIT;
static HMODULE system_mf;

/* The system's mf.dll: <system directory>\mf.dll.  When that is the redirect
 * itself (installed for the whole prefix, see tools/install-redirect.sh), the
 * installer kept the system's file beside it as mf-system.dll. */
static HMODULE load_system_mf(DWORD *error)
{
    WCHAR path[MAX_PATH];
    HMODULE module;
    UINT len;

    len = GetSystemDirectoryW(path, MAX_PATH - 16);
    if (!len || len >= MAX_PATH - 16)
    {
        *error = len ? ERROR_BUFFER_OVERFLOW : GetLastError();
        return NULL;
    }
    wcscpy(path + len, L"\\mf.dll");
    if (!(module = LoadLibraryW(path)))
    {
        *error = GetLastError();
        return NULL;
    }
    if (module != redirect_module)
        return module;

    FreeLibrary(module);
    wcscpy(path + len, L"\\mf-system.dll");
    if (!(module = LoadLibraryW(path)))
        *error = GetLastError();
    return module;
}

static BOOL CALLBACK forward_load(INIT_ONCE *once, void *param, void **context)
{
    WCHAR message[160];
    DWORD error = 0;
    size_t i, missing = 0;
    FARPROC proc;

    system_mf = load_system_mf(&error);
    for (i = 0; i < ARRAYSIZE(forwards); ++i)
    {
        proc = system_mf ? GetProcAddress(system_mf, forwards[i].name) : NULL;
        if (!proc)
            ++missing;
        /* A plain pointer store is atomic; a thread racing us reads either
         * the first-call path (and waits on the once) or the final target. */
        InterlockedExchangePointer((void *volatile *)forwards[i].slot,
                proc ? (void *)proc : (void *)forwards[i].missing);
    }

    if (!system_mf)
    {
        swprintf(message, ARRAYSIZE(message),
                L"mfsession redirect: the system's mf.dll did not load (error %lu); its exports fail\n",
                (unsigned long)error);
        OutputDebugStringW(message);
    }
    else if (missing)
    {
        swprintf(message, ARRAYSIZE(message),
                L"mfsession redirect: the system's mf.dll lacks %u of the %u forwarded exports\n",
                (unsigned int)missing, (unsigned int)ARRAYSIZE(forwards));
        OutputDebugStringW(message);
    }
    return TRUE;
}

void forward_init(void)
{
    InitOnceExecuteOnce(&forward_once, forward_load, NULL, NULL);
}

HMODULE forward_system_module(void)
{
    forward_init();
    return system_mf;
}

FARPROC forward_system_export(const char *name)
{
    HMODULE module = forward_system_module();
    return module ? GetProcAddress(module, name) : NULL;
}

/* The stand-in of an undocumented export the system's mf.dll lacks: with no
 * prototype to return through, fail as the loader fails a missing import. */
void redirect_missing_undocumented(void)
{
    RaiseException(STATUS_ENTRYPOINT_NOT_FOUND, EXCEPTION_NONCONTINUABLE, 0, NULL);
}
