/*
 * End to end: real media through our session, driven by the reference
 * playback client's three event-loop styles (CONTRACT.md section 8):
 *
 *   callback     BeginGetEvent callback re-arming itself; Start on
 *                MESessionTopologyStatus(READY), Close on MESessionEnded
 *   stop-close   GetEvent(0) loop; Start on READY, Stop on MESessionEnded,
 *                Close on MESessionStopped
 *   close        GetEvent(0) loop; Start on READY, Close on MESessionEnded
 *
 * each with a WAV file (written here) played through Wine's audio renderer
 * (a real device: PulseAudio, a null sink in CI) and through sample grabbers
 * with and without the presentation clock.  Every byte must reach a grabber,
 * playback through a clock must take about the file's duration, and
 * MESessionClosed must come within its timeout.
 *
 * The audio renderer needs an audio server: tools/run-tests.sh starts a
 * private PulseAudio when none runs.  Without one this test fails (it does
 * not skip), saying so.
 *
 * MFSESSION_E2E_PLATFORM=1 runs the same cases against the platform's
 * session (MFCreateMediaSession), to check the test itself.
 */
#include "media.h"
#include <stdio.h>
#include <stdlib.h>

#define WAV_RATE        44100
#define WAV_CHANNELS    2
#define WAV_MS          500
#define CASE_TIMEOUT    (WAV_MS + 10000)    /* every case, start to MESessionClosed */
#define CLOSE_TIMEOUT   5000                /* Close to MESessionClosed (the reference client's wait) */
#define MAX_EVENTS      64
#define AUDIO_BUFFER_MS 200                 /* what an audio renderer may hold when it reports the end */

enum style { STYLE_CALLBACK, STYLE_STOP_CLOSE, STYLE_CLOSE, STYLE_COUNT };
static const char *const style_names[] = { "callback", "stop-close", "close" };

enum sink { SINK_AUDIO_RENDERER, SINK_GRABBER_CLOCK, SINK_GRABBER_NO_CLOCK, SINK_COUNT };
static const char *const sink_names[] = { "audio renderer", "grabber with clock", "grabber ignoring clock" };

static BOOL use_platform_session;
static LARGE_INTEGER frequency;

static double now_ms(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1000.0 / (double)frequency.QuadPart;
}


static HRESULT create_activate(enum sink sink, struct grabber *g, IMFActivate **activate)
{
    if (sink == SINK_AUDIO_RENDERER) return MFCreateAudioRendererActivate(activate);
    return grabber_activate(g, sink != SINK_GRABBER_NO_CLOCK, activate);
}

/* ---- the client ---- */

struct client
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    enum style style;
    IMFMediaSession *session;
    HANDLE done;                /* MESessionClosed, or the session stopped answering */
    struct { MediaEventType type; HRESULT status; UINT32 topo_status; } events[MAX_EVENTS];
    unsigned int count;
    HRESULT call_failure;       /* first transport call that failed */
    double start_call, started, ended, close_call, closed;
};

static struct client *impl_from_client(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct client, IMFAsyncCallback_iface);
}

static HRESULT WINAPI client_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
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

static ULONG WINAPI client_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_client(iface)->refcount);
}

static ULONG WINAPI client_Release(IMFAsyncCallback *iface)
{
    struct client *c = impl_from_client(iface);
    ULONG refcount = InterlockedDecrement(&c->refcount);
    if (!refcount)
    {
        CloseHandle(c->done);
        free(c);
    }
    return refcount;
}

static HRESULT WINAPI client_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static void client_call(struct client *c, HRESULT hr)
{
    if (FAILED(hr) && SUCCEEDED(c->call_failure)) c->call_failure = hr;
}

/* What the client does on an event; FALSE once no more events are wanted
 * (MESessionClosed). */
static BOOL client_handle(struct client *c, IMFMediaEvent *event)
{
    MediaEventType type = MEUnknown;
    HRESULT status = S_OK;
    UINT32 topo_status = 0;
    PROPVARIANT empty;

    IMFMediaEvent_GetType(event, &type);
    IMFMediaEvent_GetStatus(event, &status);
    IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &topo_status);
    if (c->count < MAX_EVENTS)
    {
        c->events[c->count].type = type;
        c->events[c->count].status = status;
        c->events[c->count].topo_status = topo_status;
        c->count++;
    }

    PropVariantInit(&empty);
    switch (type)
    {
    case MESessionTopologyStatus:
        if (topo_status == MF_TOPOSTATUS_READY && SUCCEEDED(status))
        {
            c->start_call = now_ms();
            client_call(c, IMFMediaSession_Start(c->session, &GUID_NULL, &empty));
        }
        break;
    case MESessionStarted:
        c->started = now_ms();
        /* A client gives up on a failed start; Close so the case ends now. */
        if (FAILED(status)) goto close;
        break;
    case MESessionEnded:
        c->ended = now_ms();
        if (c->style == STYLE_STOP_CLOSE)
            client_call(c, IMFMediaSession_Stop(c->session));
        else
            goto close;
        break;
    case MESessionStopped:
        if (c->style == STYLE_STOP_CLOSE) goto close;
        break;
    case MESessionTopologySet:
    case MEError:
        if (FAILED(status)) goto close;
        break;
    case MESessionClosed:
        c->closed = now_ms();
        SetEvent(c->done);
        return FALSE;
    default:
        break;
    }
    return TRUE;

close:
    if (!c->close_call)
    {
        c->close_call = now_ms();
        client_call(c, IMFMediaSession_Close(c->session));
    }
    return TRUE;
}

static HRESULT WINAPI client_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct client *c = impl_from_client(iface);
    IMFMediaEvent *event;
    BOOL more;

    if (FAILED(IMFMediaSession_EndGetEvent(c->session, result, &event)))
    {
        SetEvent(c->done);
        return S_OK;
    }
    more = client_handle(c, event);
    IMFMediaEvent_Release(event);
    if (more && FAILED(IMFMediaSession_BeginGetEvent(c->session, iface, NULL)))
        SetEvent(c->done);
    return S_OK;
}

static const IMFAsyncCallbackVtbl client_vtbl =
{
    client_QueryInterface, client_AddRef, client_Release, client_GetParameters, client_Invoke,
};

/* The console styles: a GetEvent(0) loop on its own thread, so the test can
 * bound it with a timeout (Shutdown unblocks GetEvent). */
static DWORD WINAPI getevent_loop(void *arg)
{
    struct client *c = arg;
    IMFMediaEvent *event;
    BOOL more = TRUE;

    while (more && SUCCEEDED(IMFMediaSession_GetEvent(c->session, 0, &event)))
    {
        more = client_handle(c, event);
        IMFMediaEvent_Release(event);
    }
    SetEvent(c->done);
    IMFAsyncCallback_Release(&c->IMFAsyncCallback_iface);
    return 0;
}

static const char *event_label(MediaEventType type, UINT32 topo_status)
{
    static char buf[64];
    if (type != MESessionTopologyStatus) return event_name(type);
    snprintf(buf, sizeof(buf), "MESessionTopologyStatus(%u)", topo_status);
    return buf;
}

/* Index of the first event of a type (and topology status if non-zero) from
 * position start; -1 if none. */
static int find_event(const struct client *c, unsigned int start, MediaEventType type, UINT32 topo_status)
{
    unsigned int i;
    for (i = start; i < c->count; ++i)
        if (c->events[i].type == type && (!topo_status || c->events[i].topo_status == topo_status)) return i;
    return -1;
}

static void run_case(const WCHAR *path, DWORD data_bytes, enum style style, enum sink sink)
{
    struct grabber g;
    const char *name_style = style_names[style], *name_sink = sink_names[sink];
    IMFPresentationDescriptor *pd = NULL;
    IMFMediaSession *session = NULL;
    IMFMediaSource *source = NULL;
    IMFActivate *activate = NULL;
    IMFTopology *topology = NULL;
    HANDLE thread = NULL;
    struct client *c;
    int set, ready, started, ended, stopped, closed, error, topo_ended;
    double play_ms, file_ms = WAV_MS;
    unsigned int i;
    char sequence[1024];
    int len = 0;
    HRESULT hr;

    grabber_init(&g);
    hr = open_source(path, &source);
    if (!ok(hr == S_OK, "[%s, %s] the source resolver opens the WAV file, hr %#lx", name_style, name_sink, hr))
        return;
    IMFMediaSource_CreatePresentationDescriptor(source, &pd);
    hr = create_activate(sink, &g, &activate);
    if (!ok(hr == S_OK, "[%s, %s] the sink's activate is created, hr %#lx", name_style, name_sink, hr))
        goto done;
    topology = one_stream_topology(source, pd, activate);
    if (use_platform_session)
        MFCreateMediaSession(NULL, &session);
    else
        session = create_session();
    if (!session) goto done;

    c = calloc(1, sizeof(*c));
    c->IMFAsyncCallback_iface.lpVtbl = &client_vtbl;
    c->refcount = 1;
    c->style = style;
    c->session = session;
    c->done = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (style == STYLE_CALLBACK)
        ok_hr(S_OK, IMFMediaSession_BeginGetEvent(session, &c->IMFAsyncCallback_iface, NULL));
    else
    {
        IMFAsyncCallback_AddRef(&c->IMFAsyncCallback_iface);   /* the thread's */
        thread = CreateThread(NULL, 0, getevent_loop, c, 0, NULL);
    }
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topology));

    if (!ok(WaitForSingleObject(c->done, CASE_TIMEOUT) == WAIT_OBJECT_0,
            "[%s, %s] the client's loop ends with MESessionClosed within %u ms", name_style, name_sink, CASE_TIMEOUT))
        diag("[%s, %s] %u events so far", name_style, name_sink, c->count);
    /* Shutdown also ends a GetEvent(0) still blocked after a timeout. */
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    if (thread)
    {
        wait_handle(thread, TEST_TIMEOUT, "the GetEvent loop thread");
        CloseHandle(thread);
    }

    for (i = 0; i < c->count && len < (int)sizeof(sequence) - 80; ++i)
        len += snprintf(sequence + len, sizeof(sequence) - len, "%s%s(%#lx)", i ? " " : "",
                event_label(c->events[i].type, c->events[i].topo_status), c->events[i].status);
    diag("[%s, %s] events: %s", name_style, name_sink, sequence);

    ok(c->call_failure == S_OK, "[%s, %s] every transport call returned S_OK (first failure %#lx)",
            name_style, name_sink, c->call_failure);
    set = find_event(c, 0, MESessionTopologySet, 0);
    ready = find_event(c, 0, MESessionTopologyStatus, MF_TOPOSTATUS_READY);
    started = find_event(c, 0, MESessionStarted, 0);
    topo_ended = find_event(c, 0, MESessionTopologyStatus, MF_TOPOSTATUS_ENDED);
    ended = find_event(c, 0, MESessionEnded, 0);
    stopped = find_event(c, 0, MESessionStopped, 0);
    closed = find_event(c, 0, MESessionClosed, 0);
    error = find_event(c, 0, MEError, 0);

    ok(set >= 0 && c->events[set].status == S_OK, "[%s, %s] MESessionTopologySet with S_OK", name_style, name_sink);
    ok(ready > set, "[%s, %s] MESessionTopologyStatus(READY) after MESessionTopologySet", name_style, name_sink);
    ok(started > ready && c->events[started].status == S_OK,
            "[%s, %s] MESessionStarted with S_OK after READY (status %#lx)", name_style, name_sink,
            started >= 0 ? c->events[started].status : E_FAIL);
    ok(ended > started && c->events[ended].status == S_OK, "[%s, %s] MESessionEnded with S_OK after MESessionStarted",
            name_style, name_sink);
    ok(topo_ended > started && topo_ended < ended,
            "[%s, %s] MESessionTopologyStatus(ENDED) comes before MESessionEnded", name_style, name_sink);
    if (style == STYLE_STOP_CLOSE)
        ok(stopped > ended && c->events[stopped].status == S_OK,
                "[%s, %s] Stop after the end: MESessionStopped with S_OK", name_style, name_sink);
    else
        ok(stopped < 0, "[%s, %s] no MESessionStopped when the client closes on MESessionEnded", name_style, name_sink);
    ok(error < 0, "[%s, %s] no MEError", name_style, name_sink);
    ok(closed >= 0 && closed == (int)c->count - 1 && c->events[closed].status == S_OK,
            "[%s, %s] MESessionClosed with S_OK is the last event", name_style, name_sink);
    if (closed >= 0)
        ok(c->closed - c->close_call < CLOSE_TIMEOUT, "[%s, %s] MESessionClosed %.0f ms after Close (limit %u ms)",
                name_style, name_sink, c->closed - c->close_call, CLOSE_TIMEOUT);

    if (ended >= 0 && started >= 0)
    {
        /* Wall time from the Start call to MESessionEnded.  The audio
         * renderer answers the end-of-segment marker once the last sample is
         * in the device's buffer, not once it was heard: allow for that
         * buffer (Wine's is up to 200 ms).  Instant delivery would take a
         * few ms, as the clock-ignoring grabber shows. */
        double low = file_ms * 0.9 - (sink == SINK_AUDIO_RENDERER ? AUDIO_BUFFER_MS : 0), high = file_ms * 2.0;

        play_ms = c->ended - c->start_call;
        if (sink == SINK_GRABBER_NO_CLOCK)
            diag("[%s, %s] played %.0f ms of audio in %.0f ms", name_style, name_sink, file_ms, play_ms);
        else
            ok(play_ms >= low && play_ms <= high,
                    "[%s, %s] Start to MESessionEnded took %.0f ms for a %.0f ms file (allowed %.0f..%.0f)",
                    name_style, name_sink, play_ms, file_ms, low, high);
    }
    if (sink != SINK_AUDIO_RENDERER)
    {
        ok(g.bytes == data_bytes, "[%s, %s] every byte reached the grabber: %lld of %lu in %ld samples",
                name_style, name_sink, g.bytes, data_bytes, g.samples);
        ok(!g.out_of_order, "[%s, %s] samples arrive in presentation order", name_style, name_sink);
    }

    IMFAsyncCallback_Release(&c->IMFAsyncCallback_iface);

done:
    if (source) IMFMediaSource_Shutdown(source);
    if (session) IMFMediaSession_Release(session);
    if (activate) IMFActivate_Release(activate);
    if (topology) IMFTopology_Release(topology);
    if (pd) IMFPresentationDescriptor_Release(pd);
    if (source) IMFMediaSource_Release(source);
}

/* The audio renderer needs a device; say clearly why the audio cases cannot run. */
static BOOL audio_device_available(void)
{
    char server[MAX_PATH] = "";
    IMFMediaSink *sink;
    HRESULT hr;

    GetEnvironmentVariableA("PULSE_SERVER", server, sizeof(server));
    hr = MFCreateAudioRenderer(NULL, &sink);
    if (!ok(hr == S_OK, "an audio renderer can be created (MFCreateAudioRenderer hr %#lx, PULSE_SERVER '%s'): "
            "no audio device; run the tests with tools/run-tests.sh, which starts a private PulseAudio "
            "with a null sink, or start an audio server", hr, server))
        return FALSE;
    IMFMediaSink_Shutdown(sink);
    IMFMediaSink_Release(sink);
    return TRUE;
}

START_TEST(e2e)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    char env[8] = "";
    BOOL audio;
    DWORD bytes;
    int style, sink;

    QueryPerformanceFrequency(&frequency);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    use_platform_session = GetEnvironmentVariableA("MFSESSION_E2E_PLATFORM", env, sizeof(env)) && env[0] == '1';
    if (use_platform_session) diag("running against the platform's session (MFCreateMediaSession)");

    GetTempPathW(MAX_PATH, dir);
    swprintf(path, MAX_PATH, L"%smfsession-e2e-%lu.wav", dir, GetCurrentProcessId());
    if ((bytes = write_wav(path, WAV_RATE, WAV_CHANNELS, WAV_MS)))
    {
        audio = audio_device_available();
        for (sink = 0; sink < SINK_COUNT; ++sink)
        {
            if (sink == SINK_AUDIO_RENDERER && !audio) continue;
            for (style = 0; style < STYLE_COUNT; ++style)
                run_case(path, bytes, style, sink);
        }
        DeleteFileW(path);
    }
    MFShutdown();
    CoUninitialize();
}
