/*
 * Real platform objects through our session: a WAV file written by the test,
 * opened with the platform's source resolver, resolved by the platform's
 * topology loader, played into the platform's sample grabber sink.  Every
 * byte of the file must arrive, in order, and Close must end the session.
 */
#include "media.h"
#include <propvarutil.h>
#include <stdio.h>
#include <stdlib.h>

#define WAV_RATE 48000
#define WAV_SECONDS_X10 5   /* half a second */


static void play_wav(const WCHAR *path, DWORD data_bytes, BOOL use_clock)
{
    struct grabber g;
    IMFPresentationDescriptor *pd;
    IMFMediaSession *session;
    struct event_waiter *w;
    IMFMediaSource *source;
    IMFActivate *activate;
    IMFTopology *topology;
    PROPVARIANT pos;
    HRESULT hr, status = E_FAIL;
    const char *mode = use_clock ? "grabber with clock" : "grabber ignoring clock";

    grabber_init(&g);
    g.use_clock = use_clock;
    hr = open_source(path, &source);
    if (!ok(SUCCEEDED(hr), "[%s] the source resolver opens the WAV file, hr %#lx", mode, hr))
        return;
    IMFMediaSource_CreatePresentationDescriptor(source, &pd);
    grabber_activate(&g, use_clock, &activate);
    topology = one_stream_topology(source, pd, activate);
    if (!(session = create_session())) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);

    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topology));
    ok(event_waiter_wait_for(w, MESessionTopologySet, TEST_TIMEOUT, &status, NULL) && status == S_OK,
            "[%s] MESessionTopologySet S_OK (status %#lx)", mode, status);
    ok(event_waiter_wait_for(w, MESessionTopologyStatus, TEST_TIMEOUT, &status, NULL) && status == S_OK,
            "[%s] MESessionTopologyStatus arrives", mode);
    PropVariantInit(&pos);
    ok_hr(S_OK, IMFMediaSession_Start(session, &GUID_NULL, &pos));
    ok(event_waiter_wait_for(w, MESessionStarted, TEST_TIMEOUT, &status, NULL) && status == S_OK,
            "[%s] MESessionStarted S_OK (status %#lx)", mode, status);
    ok(event_waiter_wait_for(w, MESessionEnded, TEST_TIMEOUT * 2, &status, NULL) && status == S_OK,
            "[%s] MESessionEnded S_OK (status %#lx)", mode, status);
    ok(g.bytes == data_bytes, "[%s] every byte of the file reached the sink: %lld of %lu in %ld samples",
            mode, g.bytes, data_bytes, g.samples);
    ok(!g.out_of_order, "[%s] samples arrive in presentation order", mode);
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL) && status == S_OK,
            "[%s] MESessionClosed S_OK", mode);
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    ok(g.shut_down, "[%s] Shutdown shut the grabber sink down", mode);
    ok(!g.after_shutdown, "[%s] no sample after the sink shut down", mode);
    IMFMediaSource_Shutdown(source);
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
    IMFActivate_Release(activate);
    IMFTopology_Release(topology);
    IMFPresentationDescriptor_Release(pd);
    IMFMediaSource_Release(source);
}

START_TEST(real)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    DWORD bytes;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    GetTempPathW(MAX_PATH, dir);
    swprintf(path, MAX_PATH, L"%smfsession-test-%lu.wav", dir, GetCurrentProcessId());
    bytes = write_wav(path, WAV_RATE, 1, WAV_SECONDS_X10 * 100);
    play_wav(path, bytes, FALSE);
    play_wav(path, bytes, TRUE);
    DeleteFileW(path);
    MFShutdown();
    CoUninitialize();
}
