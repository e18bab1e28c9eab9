/*
 * An unmodified Media Engine client for the redirect's tests: it never
 * loads mf.dll itself.  The Media Engine (mfmediaengine.dll, created through
 * COM) makes its own session with MFCreateMediaSession.  It plays the file
 * named by its argument audio-only, pauses, with --seek seeks to 1 s while
 * paused, resumes and waits for MF_MEDIA_ENGINE_EVENT_ENDED; with --video it
 * plays video too, into a window of its own, straight to the end, and asks
 * for frames with OnVideoStreamTick as a frame loop does: Wine 10's engine
 * hands its video sink's samples on only when asked (its sink holds two and
 * then requests no more), whichever session it runs on, while Windows' and
 * Wine 8's render by themselves.  (Wine 8's Media Engine crashes in
 * SetCurrentTime, whichever session it runs on: docs/REDIRECT.md.)
 *
 * Exit status: 0 played to the end; 1 bad usage; 2 a call failed; 3 the
 * engine reported an error; 4 an event did not come within its timeout.
 */
#include <windows.h>
#include <stdio.h>
#include <mfapi.h>
#include <mfidl.h>
#include <initguid.h>
#include "mfmediaengine.h"

#define EVENT_TIMEOUT 15000
#define FRAME_TICK_MS 10    /* the frame loop's period while video plays */

static IMFMediaEngine *ticking;     /* with --video, once playing */
static unsigned int frames_ticked;  /* OnVideoStreamTick calls that had a new frame */

static HANDLE seen[32];     /* manual-reset, one per MF_MEDIA_ENGINE_EVENT value */

static HRESULT WINAPI notify_QueryInterface(IMFMediaEngineNotify *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFMediaEngineNotify) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* The notify object lives for the whole process. */
static ULONG WINAPI notify_AddRef(IMFMediaEngineNotify *iface) { return 2; }
static ULONG WINAPI notify_Release(IMFMediaEngineNotify *iface) { return 1; }

static HRESULT WINAPI notify_EventNotify(IMFMediaEngineNotify *iface, DWORD event, DWORD_PTR param1, DWORD param2)
{
    if (event == MF_MEDIA_ENGINE_EVENT_ERROR)
        printf("error %lu %#lx\n", (unsigned long)param1, (unsigned long)param2);
    if (event < ARRAYSIZE(seen))
        SetEvent(seen[event]);
    return S_OK;
}

static const IMFMediaEngineNotifyVtbl notify_vtbl =
{
    notify_QueryInterface, notify_AddRef, notify_Release, notify_EventNotify,
};
static IMFMediaEngineNotify notify = {&notify_vtbl};

/* Pumps this thread's messages while waiting: with --video the engine's
 * renderer talks to our window, which lives on this thread. */
static int wait_for(DWORD event, const char *what)
{
    HANDLE handles[2] = {seen[event], seen[MF_MEDIA_ENGINE_EVENT_ERROR]};
    DWORD start = GetTickCount(), elapsed, ret;
    MSG msg;

    for (;;)
    {
        elapsed = GetTickCount() - start;
        if (elapsed >= EVENT_TIMEOUT)
        {
            printf("%s: timed out\n", what);
            return 4;
        }
        ret = MsgWaitForMultipleObjects(2, handles, FALSE,
                ticking ? min(FRAME_TICK_MS, EVENT_TIMEOUT - elapsed) : EVENT_TIMEOUT - elapsed, QS_ALLINPUT);
        if (ret == WAIT_OBJECT_0)
        {
            printf("%s\n", what);
            return 0;
        }
        if (ret == WAIT_OBJECT_0 + 1)
        {
            printf("%s: error event\n", what);
            return 3;
        }
        if (ticking)
        {
            LONGLONG pts;
            if (IMFMediaEngine_OnVideoStreamTick(ticking, &pts) == S_OK) ++frames_ticked;
        }
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}

static HWND create_window(void)
{
    WNDCLASSW class = {0};

    class.lpfnWndProc = DefWindowProcW;
    class.hInstance = GetModuleHandleW(NULL);
    class.lpszClassName = L"redirect_engine";
    RegisterClassW(&class);
    return CreateWindowW(L"redirect_engine", L"redirect_engine", WS_OVERLAPPEDWINDOW | WS_VISIBLE,
            0, 0, 320, 240, NULL, NULL, class.hInstance, NULL);
}

int wmain(int argc, WCHAR **argv)
{
    IMFMediaEngineClassFactory *factory;
    IMFAttributes *attributes;
    IMFMediaEngine *engine;
    BOOL seek = FALSE, video = FALSE;
    HWND window = NULL;
    unsigned int i;
    HRESULT hr;
    BSTR url;
    int ret;

    for (i = 1; i + 1 < (unsigned int)argc; ++i)
    {
        if (!wcscmp(argv[i], L"--seek"))
            seek = TRUE;
        else if (!wcscmp(argv[i], L"--video"))
            video = TRUE;
        else
            break;
    }
    if (argc < 2 || i != (unsigned int)argc - 1)
    {
        printf("usage: redirect_engine [--seek] [--video] FILE\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 0; i < ARRAYSIZE(seen); ++i)
        seen[i] = CreateEventW(NULL, TRUE, FALSE, NULL);

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    if (FAILED(hr = CoCreateInstance(&CLSID_MFMediaEngineClassFactory, NULL, CLSCTX_INPROC_SERVER,
            &IID_IMFMediaEngineClassFactory, (void **)&factory)))
    {
        printf("media engine class factory: %#lx\n", (unsigned long)hr);
        return 2;
    }
    MFCreateAttributes(&attributes, 3);
    IMFAttributes_SetUnknown(attributes, &MF_MEDIA_ENGINE_CALLBACK, (IUnknown *)&notify);
    if (video)
    {
        if (!(window = create_window()))
        {
            printf("CreateWindow: error %lu\n", GetLastError());
            return 2;
        }
        IMFAttributes_SetUINT64(attributes, &MF_MEDIA_ENGINE_PLAYBACK_HWND, (UINT64)(ULONG_PTR)window);
        IMFAttributes_SetUINT32(attributes, &MF_MEDIA_ENGINE_VIDEO_OUTPUT_FORMAT, 87 /* DXGI_FORMAT_B8G8R8A8_UNORM */);
    }
    hr = IMFMediaEngineClassFactory_CreateInstance(factory, video ? 0 : MF_MEDIA_ENGINE_AUDIOONLY, attributes, &engine);
    IMFAttributes_Release(attributes);
    IMFMediaEngineClassFactory_Release(factory);
    if (FAILED(hr))
    {
        printf("CreateInstance: %#lx\n", (unsigned long)hr);
        return 2;
    }

    url = SysAllocString(argv[argc - 1]);
    hr = IMFMediaEngine_SetSource(engine, url);
    SysFreeString(url);
    if (FAILED(hr))
    {
        printf("SetSource: %#lx\n", (unsigned long)hr);
        return 2;
    }
    if ((ret = wait_for(MF_MEDIA_ENGINE_EVENT_CANPLAY, "can play")))
        return ret;

    if (FAILED(hr = IMFMediaEngine_Play(engine)) || (ret = wait_for(MF_MEDIA_ENGINE_EVENT_PLAYING, "playing")))
        return ret ? ret : 2;
    /* Video plays straight through: pausing a video engine's renderer is a
     * different path that this test does not aim at (docs/REDIRECT.md). */
    if (video)
    {
        ticking = engine;
        goto play_out;
    }
    if (FAILED(hr = IMFMediaEngine_Pause(engine)) || (ret = wait_for(MF_MEDIA_ENGINE_EVENT_PAUSE, "paused")))
        return ret ? ret : 2;
    if (seek && (FAILED(hr = IMFMediaEngine_SetCurrentTime(engine, 1.0))
            || (ret = wait_for(MF_MEDIA_ENGINE_EVENT_SEEKED, "seeked"))))
        return ret ? ret : 2;
    ResetEvent(seen[MF_MEDIA_ENGINE_EVENT_PLAYING]);
    if (FAILED(hr = IMFMediaEngine_Play(engine)) || (ret = wait_for(MF_MEDIA_ENGINE_EVENT_PLAYING, "resumed")))
        return ret ? ret : 2;
play_out:
    if ((ret = wait_for(MF_MEDIA_ENGINE_EVENT_ENDED, "ended")))
        return ret;

    if (video)
    {
        DWORD width = 0, height = 0;
        IMFMediaEngine_GetNativeVideoSize(engine, &width, &height);
        printf("video %lux%lu\n", (unsigned long)width, (unsigned long)height);
        printf("frames ticked %u\n", frames_ticked);
        ticking = NULL;
    }
    IMFMediaEngine_Shutdown(engine);
    IMFMediaEngine_Release(engine);
    if (window)
        DestroyWindow(window);
    MFShutdown();
    CoUninitialize();
    printf("played\n");
    return 0;
}
