/*
 * An unmodified MFPlay client for the redirect's tests: MFPCreateMediaPlayer
 * (mfplay.dll, which makes its session with MFCreateMediaSession) plays the
 * file named by its argument; at the first MFP_EVENT_TYPE_PLAY it pauses,
 * then resumes, then seeks to 1 s, and waits for
 * MFP_EVENT_TYPE_PLAYBACK_ENDED.  MFPlay calls back through window messages
 * on this thread, so the thread pumps them.
 *
 * Exit status: 0 played to the end; 1 bad usage; 2 a call failed; 3 an
 * event carried a failure; 4 no end within 30 s.
 */
#include <windows.h>
#include <stdio.h>
#include <mfapi.h>
#include <mfplay.h>

/* Declared by mfplay.h, defined by no import library (initguid.h would
 * define evr.h's GUIDs too, which strmiids already has). */
const GUID IID_IMFPMediaPlayerCallback = {0x766c8ffb, 0x5fdb, 0x4fea, {0xa2, 0x8d, 0xb9, 0x12, 0x99, 0x6f, 0x51, 0xbd}};

static IMFPMediaPlayer *player;
static unsigned int plays;
static int result = -1;

static HRESULT WINAPI callback_QueryInterface(IMFPMediaPlayerCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFPMediaPlayerCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* The callback lives for the whole process. */
static ULONG WINAPI callback_AddRef(IMFPMediaPlayerCallback *iface) { return 2; }
static ULONG WINAPI callback_Release(IMFPMediaPlayerCallback *iface) { return 1; }

static void finish(int status)
{
    if (result < 0)
        result = status;
    PostQuitMessage(0);
}

static void WINAPI callback_OnMediaPlayerEvent(IMFPMediaPlayerCallback *iface, MFP_EVENT_HEADER *header)
{
    PROPVARIANT position;

    printf("event %d hr %#lx\n", header->eEventType, (unsigned long)header->hrEvent);
    if (FAILED(header->hrEvent))
    {
        finish(3);
        return;
    }
    switch (header->eEventType)
    {
    case MFP_EVENT_TYPE_PLAY:
        if (++plays == 1)
            IMFPMediaPlayer_Pause(player);
        else if (plays == 2)
        {
            position.vt = VT_I8;
            position.hVal.QuadPart = 10000000;
            IMFPMediaPlayer_SetPosition(player, &MFP_POSITIONTYPE_100NS, &position);
        }
        break;
    case MFP_EVENT_TYPE_PAUSE:
        IMFPMediaPlayer_Play(player);
        break;
    case MFP_EVENT_TYPE_PLAYBACK_ENDED:
        finish(plays >= 2 ? 0 : 3);
        break;
    default:
        break;
    }
}

static const IMFPMediaPlayerCallbackVtbl callback_vtbl =
{
    callback_QueryInterface, callback_AddRef, callback_Release, callback_OnMediaPlayerEvent,
};
static IMFPMediaPlayerCallback callback = {&callback_vtbl};

int wmain(int argc, WCHAR **argv)
{
    DWORD deadline;
    HRESULT hr;
    MSG msg;

    if (argc != 2)
    {
        printf("usage: redirect_mfplay FILE\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    if (FAILED(hr = MFPCreateMediaPlayer(argv[1], TRUE, 0, &callback, NULL, &player)))
    {
        printf("MFPCreateMediaPlayer: %#lx\n", (unsigned long)hr);
        return 2;
    }

    deadline = GetTickCount() + 30000;
    while (result < 0)
    {
        DWORD now = GetTickCount();

        if ((LONG)(deadline - now) <= 0)
        {
            printf("no end within 30 s\n");
            result = 4;
            break;
        }
        MsgWaitForMultipleObjects(0, NULL, FALSE, deadline - now, QS_ALLINPUT);
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }

    IMFPMediaPlayer_Shutdown(player);
    IMFPMediaPlayer_Release(player);
    if (!result)
        printf("played\n");
    return result;
}
