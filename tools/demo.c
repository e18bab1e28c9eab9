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
 * (tools/mfplay_events.c, shared with mfplay) logs every event and
 * listener_wait() waits for the next one of a type.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE  /* const vtables (meson passes -DCONST_VTABLE too) */
#endif
#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include "mfsession.h"
#include "mfplay.h"     /* the event listener, names and output of tools/mfplay_events.c */

#define STEP_TIMEOUT  2000
#define CLOSE_TIMEOUT 5000
#define DEMO_TIMEOUT  30000     /* the whole run, in case a call never returns */

/* Waits for the next event of the given type after *cursor (the events
 * before it are consumed); FALSE on timeout or when the listener stopped. */
static BOOL listener_wait(struct listener *listener, MediaEventType type, DWORD timeout,
        unsigned int *cursor, HRESULT *status)
{
    ULONGLONG deadline = GetTickCount64() + timeout, now;
    struct event_record record;

    while ((now = GetTickCount64()) < deadline
            && listener_next(listener, cursor, (DWORD)(deadline - now), &record))
    {
        if (record.type != type) continue;
        *status = record.status;
        return TRUE;
    }
    out_line("[%9.1f ms] no %s within %lu ms", now_ms(), event_type_name(type), (unsigned long)timeout);
    return FALSE;
}

/* A call is printed before it is made (its events may arrive before it
 * returns) and its result after. */
static void call_begin(const char *call)
{
    out_line("[%9.1f ms] call  %s", now_ms(), call);
}

static HRESULT call_end(HRESULT hr)
{
    out_line("[%9.1f ms]       returned 0x%08lx %s", now_ms(), (unsigned long)hr, hr_name(hr));
    return hr;
}

/* Waits for the completion event of a transport call that returned hr. */
static void wait_completion(struct listener *listener, unsigned int *cursor, HRESULT hr,
        MediaEventType completion, HRESULT expected)
{
    HRESULT status;

    if (FAILED(hr)) return;
    if (listener_wait(listener, completion, STEP_TIMEOUT, cursor, &status) && status != expected)
        out_line("[%9.1f ms] note: %s carried %#lx, a session without a topology gives %#lx", now_ms(),
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
    if (FAILED(call_end(listener_start(listener))))
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
    out_line("[%9.1f ms] FAILED: the demo did not finish within %u ms", now_ms(), DEMO_TIMEOUT);
    TerminateProcess(GetCurrentProcess(), 2);
    return 0;
}

int main(void)
{
    IMFMediaSession *session = NULL;
    struct listener *listener = NULL;
    HRESULT hr, init;
    BOOL closed = FALSE;

    output_init("demo");
    CloseHandle(CreateThread(NULL, 0, watchdog, NULL, 0, NULL));

    init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr = MFStartup(MF_VERSION, MFSTARTUP_FULL)))
    {
        out_error("MFStartup failed, hr %#lx", (unsigned long)hr);
        return 1;
    }

    call_begin("CoCreateInstance(CLSID_MFSession, IID_IMFMediaSession)");
    hr = call_end(CoCreateInstance(&CLSID_MFSession, NULL, CLSCTX_INPROC_SERVER, &IID_IMFMediaSession,
            (void **)&session));
    if (FAILED(hr))
    {
        if (hr == REGDB_E_CLASSNOTREG)
            out_error("mfsession.dll is not registered: run tools/demo.sh, or regsvr32 mfsession.dll");
    }
    else if (!(listener = listener_create(session, TRUE)))
        out_error("out of memory");
    else
    {
        closed = run_demo(session, listener);
        call_begin("Shutdown()");
        call_end(IMFMediaSession_Shutdown(session));
    }

    listener_release(listener);
    if (session) IMFMediaSession_Release(session);
    MFShutdown();
    if (SUCCEEDED(init)) CoUninitialize();

    out_line("[%9.1f ms] %s", now_ms(), closed ? "MESessionClosed arrived with S_OK" : "FAILED: no MESessionClosed with S_OK");
    return closed ? 0 : 1;
}
