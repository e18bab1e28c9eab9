/*
 * demo: a small Media Session client.
 *
 * Creates the session the way an application would (CoCreateInstance of
 * CLSID_MFSession, registered with regsvr32), listens to its events with
 * BeginGetEvent and prints each one with a timestamp while it drives the
 * transport without a topology: Start, Pause and Stop (their events carry
 * MF_E_INVALIDREQUEST), ClearTopologies, then Close.  It waits up to 5 s for
 * MESessionClosed, shuts the session down and exits 0 only if
 * MESessionClosed arrived with S_OK (2 if the whole run took over 30 s).
 *
 * To extend it (e.g. to play a file), add steps to run_demo(): the listener
 * logs every event and listener_wait() waits for the next one of a type.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE  /* const vtables (meson passes -DCONST_VTABLE too) */
#endif
#include <stdio.h>
#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include "mfsession.h"

#define STEP_TIMEOUT  2000
#define CLOSE_TIMEOUT 5000
#define DEMO_TIMEOUT  30000     /* the whole run, in case a call never returns */
#define MAX_EVENTS    256

static LARGE_INTEGER start_time, frequency;

static double now_ms(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)(t.QuadPart - start_time.QuadPart) * 1000.0 / (double)frequency.QuadPart;
}

static const char *event_type_name(MediaEventType type)
{
    switch (type)
    {
#define X(e) case e: return #e;
    X(MEError) X(MESessionUnknown) X(MESessionTopologySet) X(MESessionTopologiesCleared)
    X(MESessionStarted) X(MESessionPaused) X(MESessionStopped) X(MESessionClosed)
    X(MESessionEnded) X(MESessionRateChanged) X(MESessionScrubSampleComplete)
    X(MESessionCapabilitiesChanged) X(MESessionTopologyStatus) X(MESessionNotifyPresentationTime)
    X(MENewPresentation) X(MEEndOfPresentation) X(MESessionStreamSinkFormatChanged)
#undef X
    default: return "(other event)";
    }
}

static const char *status_name(HRESULT hr)
{
    switch (hr)
    {
#define X(e) case e: return #e;
    X(S_OK) X(MF_E_INVALIDREQUEST) X(MF_E_SHUTDOWN) X(MF_E_SESSION_PAUSEWHILESTOPPED)
    X(MF_E_TOPO_CODEC_NOT_FOUND) X(MF_E_INVALID_POSITION) X(E_FAIL) X(E_INVALIDARG)
    X(E_OUTOFMEMORY) X(E_NOINTERFACE) X(REGDB_E_CLASSNOTREG)
#undef X
    default: return "";
    }
}

/* The event listener: an IMFAsyncCallback that re-arms BeginGetEvent until
 * MESessionClosed and logs every event for the main thread to wait on. */
struct listener
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    IMFMediaSession *session;
    SRWLOCK lock;
    CONDITION_VARIABLE changed;
    struct { MediaEventType type; HRESULT status; } events[MAX_EVENTS];
    unsigned int count;
    BOOL done;              /* no more events will come */
};

static struct listener *impl_from_IMFAsyncCallback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct listener, IMFAsyncCallback_iface);
}

static HRESULT WINAPI listener_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
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

static ULONG WINAPI listener_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_IMFAsyncCallback(iface)->refcount);
}

static ULONG WINAPI listener_Release(IMFAsyncCallback *iface)
{
    struct listener *listener = impl_from_IMFAsyncCallback(iface);
    ULONG refcount = InterlockedDecrement(&listener->refcount);

    if (!refcount)
    {
        if (listener->session) IMFMediaSession_Release(listener->session);
        HeapFree(GetProcessHeap(), 0, listener);
    }
    return refcount;
}

static HRESULT WINAPI listener_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static void listener_finish(struct listener *listener)
{
    AcquireSRWLockExclusive(&listener->lock);
    listener->done = TRUE;
    ReleaseSRWLockExclusive(&listener->lock);
    WakeAllConditionVariable(&listener->changed);
}

static HRESULT WINAPI listener_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct listener *listener = impl_from_IMFAsyncCallback(iface);
    MediaEventType type = MEUnknown;
    HRESULT hr, status = S_OK;
    IMFMediaEvent *event;

    if (FAILED(hr = IMFMediaSession_EndGetEvent(listener->session, result, &event)))
    {
        printf("[%9.1f ms] EndGetEvent failed, hr %#lx %s\n", now_ms(), (unsigned long)hr, status_name(hr));
        listener_finish(listener);
        return S_OK;
    }
    IMFMediaEvent_GetType(event, &type);
    IMFMediaEvent_GetStatus(event, &status);
    IMFMediaEvent_Release(event);
    printf("[%9.1f ms] event %-32s status 0x%08lx %s\n", now_ms(), event_type_name(type),
            (unsigned long)status, status_name(status));
    fflush(stdout);

    AcquireSRWLockExclusive(&listener->lock);
    if (listener->count < MAX_EVENTS)
    {
        listener->events[listener->count].type = type;
        listener->events[listener->count].status = status;
        listener->count++;
    }
    ReleaseSRWLockExclusive(&listener->lock);
    WakeAllConditionVariable(&listener->changed);

    /* MESessionClosed is the last event the session queues. */
    if (type == MESessionClosed
            || FAILED(IMFMediaSession_BeginGetEvent(listener->session, iface, NULL)))
        listener_finish(listener);
    return S_OK;
}

static const IMFAsyncCallbackVtbl listener_vtbl =
{
    listener_QueryInterface,
    listener_AddRef,
    listener_Release,
    listener_GetParameters,
    listener_Invoke,
};

static struct listener *listener_create(IMFMediaSession *session)
{
    struct listener *listener = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*listener));

    if (!listener) return NULL;
    listener->IMFAsyncCallback_iface.lpVtbl = &listener_vtbl;
    listener->refcount = 1;
    listener->session = session;
    IMFMediaSession_AddRef(session);
    InitializeSRWLock(&listener->lock);
    InitializeConditionVariable(&listener->changed);
    return listener;
}

/* Waits for the next event of the given type after *cursor (the events
 * before it were already consumed); FALSE on timeout. */
static BOOL listener_wait(struct listener *listener, MediaEventType type, DWORD timeout,
        unsigned int *cursor, HRESULT *status)
{
    ULONGLONG deadline = GetTickCount64() + timeout, now;
    BOOL found = FALSE;
    unsigned int i;

    AcquireSRWLockExclusive(&listener->lock);
    for (;;)
    {
        for (i = *cursor; i < listener->count && !found; ++i)
        {
            if (listener->events[i].type != type) continue;
            *status = listener->events[i].status;
            *cursor = i + 1;
            found = TRUE;
        }
        if (found || listener->done) break;
        now = GetTickCount64();
        if (now >= deadline
                || !SleepConditionVariableSRW(&listener->changed, &listener->lock, (DWORD)(deadline - now), 0))
            break;
    }
    ReleaseSRWLockExclusive(&listener->lock);
    if (!found)
        printf("[%9.1f ms] no %s within %lu ms\n", now_ms(), event_type_name(type), (unsigned long)timeout);
    return found;
}

/* A call is printed before it is made (its events may arrive before it
 * returns) and its result after. */
static void call_begin(const char *call)
{
    printf("[%9.1f ms] call  %s\n", now_ms(), call);
    fflush(stdout);
}

static HRESULT call_end(HRESULT hr)
{
    printf("[%9.1f ms]       returned 0x%08lx %s\n", now_ms(), (unsigned long)hr, status_name(hr));
    fflush(stdout);
    return hr;
}

/* Waits for the completion event of a transport call that returned hr. */
static void wait_completion(struct listener *listener, unsigned int *cursor, HRESULT hr,
        MediaEventType completion, HRESULT expected)
{
    HRESULT status;

    if (FAILED(hr)) return;
    if (listener_wait(listener, completion, STEP_TIMEOUT, cursor, &status) && status != expected)
        printf("[%9.1f ms] note: %s carried %#lx, a session without a topology gives %#lx\n", now_ms(),
                event_type_name(completion), (unsigned long)status, (unsigned long)expected);
}

/* Drives the session without a topology; TRUE when it closed with S_OK. */
static BOOL run_demo(IMFMediaSession *session, struct listener *listener)
{
    unsigned int cursor = 0;
    PROPVARIANT start_position;
    HRESULT hr, status;

    PropVariantInit(&start_position);
    call_begin("BeginGetEvent(listener)");
    if (FAILED(call_end(IMFMediaSession_BeginGetEvent(session, &listener->IMFAsyncCallback_iface, NULL))))
        return FALSE;

    call_begin("Start(GUID_NULL, VT_EMPTY)");
    hr = call_end(IMFMediaSession_Start(session, &GUID_NULL, &start_position));
    wait_completion(listener, &cursor, hr, MESessionStarted, MF_E_INVALIDREQUEST);

    call_begin("Pause()");
    hr = call_end(IMFMediaSession_Pause(session));
    wait_completion(listener, &cursor, hr, MESessionPaused, MF_E_INVALIDREQUEST);

    call_begin("Stop()");
    hr = call_end(IMFMediaSession_Stop(session));
    wait_completion(listener, &cursor, hr, MESessionStopped, MF_E_INVALIDREQUEST);

    call_begin("ClearTopologies()");
    hr = call_end(IMFMediaSession_ClearTopologies(session));
    wait_completion(listener, &cursor, hr, MESessionTopologiesCleared, S_OK);

    call_begin("Close()");
    if (FAILED(call_end(IMFMediaSession_Close(session))))
        return FALSE;
    if (!listener_wait(listener, MESessionClosed, CLOSE_TIMEOUT, &cursor, &status))
        return FALSE;
    return status == S_OK;
}

/* A call that never returns (a deadlocked session) must not hang the demo. */
static DWORD WINAPI watchdog(void *arg)
{
    Sleep(DEMO_TIMEOUT);
    printf("[%9.1f ms] FAILED: the demo did not finish within %u ms\n", now_ms(), DEMO_TIMEOUT);
    fflush(stdout);
    TerminateProcess(GetCurrentProcess(), 2);
    return 0;
}

int main(void)
{
    IMFMediaSession *session = NULL;
    struct listener *listener = NULL;
    HRESULT hr, init;
    BOOL closed = FALSE;

    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start_time);
    setvbuf(stdout, NULL, _IOLBF, 0);
    CloseHandle(CreateThread(NULL, 0, watchdog, NULL, 0, NULL));

    init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr = MFStartup(MF_VERSION, MFSTARTUP_FULL)))
    {
        printf("MFStartup failed, hr %#lx\n", (unsigned long)hr);
        return 1;
    }

    call_begin("CoCreateInstance(CLSID_MFSession, IID_IMFMediaSession)");
    hr = call_end(CoCreateInstance(&CLSID_MFSession, NULL, CLSCTX_INPROC_SERVER, &IID_IMFMediaSession,
            (void **)&session));
    if (FAILED(hr))
    {
        if (hr == REGDB_E_CLASSNOTREG)
            printf("mfsession.dll is not registered: run tools/demo.sh, or regsvr32 mfsession.dll\n");
    }
    else if (!(listener = listener_create(session)))
        printf("out of memory\n");
    else
    {
        closed = run_demo(session, listener);
        call_begin("Shutdown()");
        call_end(IMFMediaSession_Shutdown(session));
    }

    if (listener) IMFAsyncCallback_Release(&listener->IMFAsyncCallback_iface);
    if (session) IMFMediaSession_Release(session);
    MFShutdown();
    if (SUCCEEDED(init)) CoUninitialize();

    printf("[%9.1f ms] %s\n", now_ms(), closed ? "MESessionClosed arrived with S_OK" : "FAILED: no MESessionClosed with S_OK");
    return closed ? 0 : 1;
}
