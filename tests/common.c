/* Helpers shared by mfsession's tests: see common.h. */
#include "common.h"
#include <stdlib.h>
#include <string.h>

static HMODULE module;

HMODULE load_mfsession(void)
{
    WCHAR path[MAX_PATH];
    char env[MAX_PATH];
    DWORD len;
    unsigned i;

    if (module) return module;
    len = GetEnvironmentVariableA("MFSESSION_DLL", env, sizeof(env));
    if (len && len < sizeof(env))
    {
        if (env[0] == '/')
        {
            /* A Unix path: reach it through Wine's Z: drive. */
            path[0] = 'Z'; path[1] = ':';
            for (i = 0; env[i] && i + 2 < MAX_PATH - 1; ++i)
                path[i + 2] = env[i] == '/' ? '\\' : env[i];
            path[i + 2] = 0;
        }
        else
            MultiByteToWideChar(CP_ACP, 0, env, -1, path, MAX_PATH);
    }
    else
        wcscpy(path, L"mfsession.dll");
    module = LoadLibraryW(path);
    if (!module) diag("LoadLibrary(%ls) failed, error %lu", path, GetLastError());
    return module;
}

HRESULT get_class_object(REFIID riid, void **out)
{
    HRESULT (WINAPI *pDllGetClassObject)(REFCLSID, REFIID, void **);
    HMODULE m = load_mfsession();

    *out = NULL;
    if (!m) return E_FAIL;
    pDllGetClassObject = (void *)GetProcAddress(m, "DllGetClassObject");
    if (!pDllGetClassObject) return E_FAIL;
    return pDllGetClassObject(&CLSID_MFSession, riid, out);
}

HRESULT start_at(IMFMediaSession *session, LONGLONG position)
{
    PROPVARIANT pos;
    PropVariantInit(&pos);
    if (position >= 0)
    {
        pos.vt = VT_I8;
        pos.hVal.QuadPart = position;
    }
    return IMFMediaSession_Start(session, &GUID_NULL, &pos);
}

IMFMediaSession *create_session(void)
{
    IClassFactory *factory;
    IMFMediaSession *session = NULL;
    HRESULT hr;

    if (FAILED(hr = get_class_object(&IID_IClassFactory, (void **)&factory)))
    {
        ok(0, "DllGetClassObject failed, hr %#lx", hr);
        return NULL;
    }
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IMFMediaSession, (void **)&session);
    IClassFactory_Release(factory);
    if (FAILED(hr)) ok(0, "CreateInstance failed, hr %#lx", hr);
    return session;
}

HRESULT create_session_with(IMFAttributes *config, IMFMediaSession **session)
{
    IMFSessionFactory *factory;
    HRESULT hr;

    *session = NULL;
    if (FAILED(hr = get_class_object(&IID_IMFSessionFactory, (void **)&factory))) return hr;
    hr = IMFSessionFactory_CreateSession(factory, config, &IID_IMFMediaSession, (void **)session);
    IMFSessionFactory_Release(factory);
    return hr;
}

ULONG get_refcount(void *iface)
{
    IUnknown *unk = iface;
    IUnknown_AddRef(unk);
    return IUnknown_Release(unk);
}

/* The waiter's callback: a refcounted object that outlives the waiter when a
 * subscription is still pending on the generator's queue. */
struct waiter_callback
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    HANDLE done;
    IMFMediaEventGenerator *generator;
    IMFMediaEvent *event;
    HRESULT hr;
};

struct event_waiter
{
    struct waiter_callback *callback;
    BOOL pending;
};

static struct waiter_callback *impl_from_callback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct waiter_callback, IMFAsyncCallback_iface);
}

static HRESULT WINAPI waiter_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI waiter_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_callback(iface)->refcount);
}

static ULONG WINAPI waiter_Release(IMFAsyncCallback *iface)
{
    struct waiter_callback *cb = impl_from_callback(iface);
    ULONG refcount = InterlockedDecrement(&cb->refcount);
    if (!refcount)
    {
        if (cb->event) IMFMediaEvent_Release(cb->event);
        if (cb->generator) IMFMediaEventGenerator_Release(cb->generator);
        CloseHandle(cb->done);
        free(cb);
    }
    return refcount;
}

static HRESULT WINAPI waiter_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI waiter_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct waiter_callback *cb = impl_from_callback(iface);
    IMFMediaEvent *event = NULL;
    cb->hr = IMFMediaEventGenerator_EndGetEvent(cb->generator, result, &event);
    cb->event = event;
    SetEvent(cb->done);
    return S_OK;
}

static const IMFAsyncCallbackVtbl waiter_vtbl =
{
    waiter_QueryInterface, waiter_AddRef, waiter_Release, waiter_GetParameters, waiter_Invoke,
};

struct event_waiter *event_waiter_create(IMFMediaEventGenerator *generator)
{
    struct event_waiter *w = calloc(1, sizeof(*w));
    struct waiter_callback *cb = calloc(1, sizeof(*cb));
    cb->IMFAsyncCallback_iface.lpVtbl = &waiter_vtbl;
    cb->refcount = 1;
    cb->done = CreateEventW(NULL, FALSE, FALSE, NULL);
    cb->generator = generator;
    IMFMediaEventGenerator_AddRef(generator);
    w->callback = cb;
    return w;
}

HRESULT event_waiter_next(struct event_waiter *w, DWORD timeout_ms, IMFMediaEvent **event)
{
    struct waiter_callback *cb = w->callback;
    HRESULT hr;

    *event = NULL;
    if (!w->pending)
    {
        if (FAILED(hr = IMFMediaEventGenerator_BeginGetEvent(cb->generator, &cb->IMFAsyncCallback_iface, NULL)))
            return hr;
        w->pending = TRUE;
    }
    if (WaitForSingleObject(cb->done, timeout_ms) != WAIT_OBJECT_0)
        return HRESULT_FROM_WIN32(WAIT_TIMEOUT);
    w->pending = FALSE;
    *event = cb->event;
    cb->event = NULL;
    return cb->hr;
}

BOOL event_waiter_wait_for(struct event_waiter *w, MediaEventType type, DWORD timeout_ms,
        HRESULT *status, IMFMediaEvent **out)
{
    DWORD deadline = GetTickCount() + timeout_ms;
    IMFMediaEvent *event;
    MediaEventType t;
    HRESULT hr;

    if (out) *out = NULL;
    for (;;)
    {
        DWORD now = GetTickCount();
        DWORD left = (LONG)(deadline - now) > 0 ? deadline - now : 0;
        if (FAILED(hr = event_waiter_next(w, left, &event)))
        {
            diag("waiting for %s: %s (hr %#lx)", event_name(type),
                    hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT) ? "timed out" : "failed", hr);
            return FALSE;
        }
        IMFMediaEvent_GetType(event, &t);
        if (t == type)
        {
            if (status) IMFMediaEvent_GetStatus(event, status);
            if (out) *out = event;
            else IMFMediaEvent_Release(event);
            return TRUE;
        }
        IMFMediaEvent_Release(event);
    }
}

void event_waiter_destroy(struct event_waiter *w)
{
    if (!w) return;
    IMFAsyncCallback_Release(&w->callback->IMFAsyncCallback_iface);
    free(w);
}

const char *event_name(MediaEventType type)
{
    static char buf[16][32];
    static LONG next;
    char *b;
    switch (type)
    {
#define X(e) case e: return #e;
    X(MEError) X(MESessionTopologySet) X(MESessionTopologiesCleared) X(MESessionStarted)
    X(MESessionPaused) X(MESessionStopped) X(MESessionClosed) X(MESessionEnded)
    X(MESessionRateChanged) X(MESessionScrubSampleComplete) X(MESessionCapabilitiesChanged)
    X(MESessionTopologyStatus) X(MESessionNotifyPresentationTime) X(MEEndOfPresentation)
    X(MESessionStreamSinkFormatChanged) X(MENewPresentation)
#undef X
    default:
        b = buf[InterlockedIncrement(&next) & 15];
        snprintf(b, 32, "event %lu", (unsigned long)type);
        return b;
    }
}

BOOL wait_handle(HANDLE handle, DWORD timeout_ms, const char *what)
{
    DWORD ret = WaitForSingleObject(handle, timeout_ms);
    if (ret == WAIT_OBJECT_0) return TRUE;
    diag("timed out after %lu ms waiting for %s", (unsigned long)timeout_ms, what);
    return FALSE;
}

const char *wine_version(void)
{
    const char *(CDECL *get_version)(void);

    if (!(get_version = (void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version")))
        return NULL;
    return get_version();
}

unsigned int wine_major_version(void)
{
    const char *version = wine_version();

    return version ? (unsigned int)strtoul(version, NULL, 10) : 0;
}
