/*
 * An unmodified Media Foundation client for test_redirect: it has never
 * heard of mfsession.  It calls MFCreateMediaSession from mf.dll (an import,
 * bound by the loader to whichever mf.dll it finds), plays the WAV file named
 * by its argument through the audio renderer to MESessionEnded, closes the
 * session and waits for MESessionClosed.
 *
 * Output: "session module: <path>" (the module holding the session's
 * vtable) and one line per event.  Exit status: 0 played and closed; 1 bad
 * usage; 2 a call failed; 3 an event carried a failure; 4 the watchdog fired
 * (no event for 20 s).
 */
#include <windows.h>
#include <stdio.h>
#include <mfapi.h>
#include <mfidl.h>

#include "media.h"

static DWORD WINAPI watchdog(void *arg)
{
    Sleep(20000);
    printf("watchdog: no end in 20 s\n");
    fflush(stdout);
    ExitProcess(4);
}

static void print_module(const void *address)
{
    WCHAR path[MAX_PATH];
    HMODULE module;

    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            address, &module) && GetModuleFileNameW(module, path, ARRAYSIZE(path)))
        printf("session module: %ls\n", path);
    else
        printf("session module: unknown\n");
}

/* Blocks on the session's next event until one of type `until` arrives. */
static int wait_event(IMFMediaSession *session, MediaEventType until)
{
    MediaEventType type;
    IMFMediaEvent *event;
    HRESULT hr, status;

    for (;;)
    {
        if (FAILED(hr = IMFMediaSession_GetEvent(session, 0, &event)))
        {
            printf("GetEvent: %#lx\n", (unsigned long)hr);
            return 2;
        }
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_GetStatus(event, &status);
        IMFMediaEvent_Release(event);
        printf("event %lu status %#lx\n", (unsigned long)type, (unsigned long)status);
        if (FAILED(status))
            return 3;
        if (type == until)
            return 0;
    }
}

int wmain(int argc, WCHAR **argv)
{
    IMFPresentationDescriptor *pd;
    IMFMediaSession *session;
    IMFMediaSource *source;
    IMFTopology *topology;
    IMFActivate *renderer;
    PROPVARIANT start;
    HRESULT hr;
    int ret;

    if (argc != 2)
    {
        printf("usage: redirect_client FILE.wav\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    CloseHandle(CreateThread(NULL, 0, watchdog, NULL, 0, NULL));

    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    if (FAILED(hr = MFCreateMediaSession(NULL, &session)))
    {
        printf("MFCreateMediaSession: %#lx\n", (unsigned long)hr);
        return 2;
    }
    print_module(session->lpVtbl);

    if (FAILED(hr = open_source(argv[1], &source))
            || FAILED(hr = IMFMediaSource_CreatePresentationDescriptor(source, &pd))
            || FAILED(hr = MFCreateAudioRendererActivate(&renderer)))
    {
        printf("open %ls: %#lx\n", argv[1], (unsigned long)hr);
        return 2;
    }
    topology = one_stream_topology(source, pd, renderer);
    PropVariantInit(&start);
    if (FAILED(hr = IMFMediaSession_SetTopology(session, 0, topology))
            || FAILED(hr = IMFMediaSession_Start(session, &GUID_NULL, &start)))
    {
        printf("SetTopology/Start: %#lx\n", (unsigned long)hr);
        return 2;
    }
    if ((ret = wait_event(session, MESessionEnded)))
        return ret;
    if (FAILED(hr = IMFMediaSession_Close(session)))
    {
        printf("Close: %#lx\n", (unsigned long)hr);
        return 2;
    }
    if ((ret = wait_event(session, MESessionClosed)))
        return ret;

    IMFMediaSession_Shutdown(session);
    IMFMediaSource_Shutdown(source);
    IMFMediaSession_Release(session);
    IMFTopology_Release(topology);
    IMFActivate_Release(renderer);
    IMFPresentationDescriptor_Release(pd);
    IMFMediaSource_Release(source);
    MFShutdown();
    printf("played\n");
    return 0;
}
