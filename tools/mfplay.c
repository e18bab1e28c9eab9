/*
 * mfplay: a console media player for mfsession.
 *
 * It plays a file or URL the way the reference playback client does
 * (CONTRACT.md section 8): create the session (CoCreateInstance of
 * CLSID_MFSession, or the platform's MFCreateMediaSession with
 * --platform-session), listen with a BeginGetEvent callback that re-arms
 * itself, resolve the location into a media source, build a partial topology
 * (audio -> audio renderer, video -> sample grabber), SetTopology, Start on
 * MESessionTopologyStatus(READY), and at the end Close, wait for
 * MESessionClosed, shut the source and the session down.
 *
 * Every wait has a timeout and every failure has its own exit status (see
 * usage() and enum mfplay_status).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "mfplay.h"
#include "mfsession.h"

#define EVENT_TIMEOUT   15000   /* topology resolution, start, seek, pause, rate */
#define CLOSE_TIMEOUT   5000    /* the reference client waits 5 s for MESessionClosed */
#define PLAY_SLACK      10000   /* on top of the duration */
#define PAUSE_MS        500     /* --pause-at pauses this long */

struct options
{
    const WCHAR *location;
    const WCHAR *make_wav;
    double wav_seconds;
    const WCHAR *trace;
    BOOL platform_session, events, bench;
    struct media_options media;
    BOOL has_seek, has_rate, has_pause_at, has_timeout;
    double seek, rate, pause_at, timeout;
};

enum phase { PHASE_OPEN, PHASE_TOPOLOGY, PHASE_STARTED, PHASE_ENDED, PHASE_CLOSED, PHASE_COUNT };
static const char *const phase_names[PHASE_COUNT] = { "open", "topology set", "started", "ended", "closed" };

struct player
{
    const struct options *options;
    IMFMediaSession *session;
    struct listener *listener;
    unsigned int cursor;
    IMFMediaSource *source;
    IMFPresentationDescriptor *pd;
    IMFTopology *topology;
    struct media_sinks sinks;
    IMFPresentationClock *clock;
    UINT64 duration;            /* 100 ns, 0 if unknown */
    double rate;                /* rate in force */
    BOOL ended;                 /* MESessionEnded seen */
    BOOL closed;                /* MESessionClosed seen */
    HRESULT error;              /* status of an MEError seen, S_OK if none */
    double phase_ms[PHASE_COUNT];
    BOOL phase_done[PHASE_COUNT];
};

static volatile LONG interrupted;

static BOOL WINAPI ctrl_handler(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT) return FALSE;
    InterlockedExchange(&interrupted, 1);
    return TRUE;
}

static void usage(void)
{
    printf(
        "usage: mfplay [options] PATH|URL\n"
        "       mfplay --make-wav PATH [--wav-seconds S] [PATH|URL]\n"
        "\n"
        "Plays a media file with mfsession (CoCreateInstance(CLSID_MFSession); register\n"
        "mfsession.dll first with regsvr32) and shows its streams, a progress line and,\n"
        "on request, the session's events.\n"
        "\n"
        "  --platform-session  use the platform's MFCreateMediaSession instead, to compare\n"
        "  --null              send every stream to a sample grabber (no audio device needed)\n"
        "  --fast              sample grabbers ignore the clock (as fast as possible)\n"
        "  --events            print the session's event timeline\n"
        "  --seek SECONDS      seek there once playback has started\n"
        "  --rate R            set the playback rate before starting (IMFRateControl)\n"
        "  --pause-at SECONDS  pause for 0.5 s when the clock reaches SECONDS, then resume\n"
        "  --timeout SECONDS   give up playing after this long (default: duration + 10 s)\n"
        "  --bench             print how long each phase took\n"
        "  --trace FILE        set MFSESSION_TRACE=FILE before creating the session\n"
        "  --make-wav PATH     write a 440 Hz tone WAV (16-bit stereo 44.1 kHz) and play it if\n"
        "                      PATH|URL is given too; --wav-seconds sets its length (default 2)\n"
        "\n"
        "Exit status: 0 played to the end; 1 usage or setup error; 2 cannot open the file;\n"
        "3 unsupported format; 4 no audio device (try --null); 5 the session reported an\n"
        "error; 6 timeout; 130 interrupted.\n");
}

static BOOL parse_number(const WCHAR *text, double *value)
{
    WCHAR *end;

    if (!text) return FALSE;
    *value = wcstod(text, &end);
    return end != text && !*end;
}

static int parse_options(int argc, WCHAR **argv, struct options *options)
{
    int i;

    memset(options, 0, sizeof(*options));
    options->wav_seconds = 2.0;
    for (i = 1; i < argc; ++i)
    {
        const WCHAR *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        double *number = NULL;
        BOOL *flag = NULL;

        if (!wcscmp(arg, L"--help") || !wcscmp(arg, L"-h")) { usage(); exit(MFPLAY_OK); }
        else if (!wcscmp(arg, L"--platform-session")) options->platform_session = TRUE;
        else if (!wcscmp(arg, L"--null")) options->media.null_sinks = TRUE;
        else if (!wcscmp(arg, L"--fast")) options->media.ignore_clock = TRUE;
        else if (!wcscmp(arg, L"--events")) options->events = TRUE;
        else if (!wcscmp(arg, L"--bench")) options->bench = TRUE;
        else if (!wcscmp(arg, L"--seek")) { number = &options->seek; flag = &options->has_seek; }
        else if (!wcscmp(arg, L"--rate")) { number = &options->rate; flag = &options->has_rate; }
        else if (!wcscmp(arg, L"--pause-at")) { number = &options->pause_at; flag = &options->has_pause_at; }
        else if (!wcscmp(arg, L"--timeout")) { number = &options->timeout; flag = &options->has_timeout; }
        else if (!wcscmp(arg, L"--wav-seconds")) number = &options->wav_seconds;
        else if (!wcscmp(arg, L"--trace") || !wcscmp(arg, L"--make-wav"))
        {
            if (!value) { out_error("%ls needs a file name", arg); return MFPLAY_USAGE; }
            if (!wcscmp(arg, L"--trace")) options->trace = value; else options->make_wav = value;
            ++i;
        }
        else if (arg[0] == '-' && arg[1])
        {
            out_error("unknown option %ls (see --help)", arg);
            return MFPLAY_USAGE;
        }
        else if (options->location)
        {
            out_error("one file at a time: %ls and %ls", options->location, arg);
            return MFPLAY_USAGE;
        }
        else options->location = arg;

        if (number)
        {
            if (!parse_number(value, number) || *number < 0.0)
            {
                out_error("%ls needs a non-negative number", arg);
                return MFPLAY_USAGE;
            }
            if (flag) *flag = TRUE;
            ++i;
        }
    }
    if (options->has_rate && options->rate == 0.0)
    {
        out_error("--rate 0 would scrub, not play; give a positive rate");
        return MFPLAY_USAGE;
    }
    if (!options->location && !options->make_wav)
    {
        usage();
        return MFPLAY_USAGE;
    }
    return MFPLAY_OK;
}

/* ---- events ---- */

enum wait_result { WAITED, WAIT_TIMED_OUT, WAIT_ERROR_EVENT, WAIT_SESSION_GONE };

/* Consumes events up to the next one of the given type.  MEError ends the wait
 * (the caller fails with its status); MESessionEnded and MESessionClosed are
 * remembered on the way. */
static enum wait_result wait_event(struct player *player, MediaEventType type, DWORD timeout_ms,
        struct event_record *out)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms, now;
    struct event_record record;

    for (;;)
    {
        now = GetTickCount64();
        if (now >= deadline) return WAIT_TIMED_OUT;
        if (!listener_next(player->listener, &player->cursor, (DWORD)(deadline - now), &record))
            return listener_finished(player->listener) ? WAIT_SESSION_GONE : WAIT_TIMED_OUT;
        if (record.type == MESessionEnded) player->ended = TRUE;
        if (record.type == MESessionClosed) player->closed = TRUE;
        if (record.type == type)
        {
            if (out) *out = record;
            return WAITED;
        }
        if (record.type == MEError)
        {
            player->error = record.status;
            if (out) *out = record;
            return WAIT_ERROR_EVENT;
        }
    }
}

static void mark_phase(struct player *player, enum phase phase, double since)
{
    player->phase_ms[phase] = now_ms() - since;
    player->phase_done[phase] = TRUE;
}

/* A wait that did not deliver: message and exit status. */
static int wait_failed(struct player *player, enum wait_result result, const char *what, DWORD timeout_ms)
{
    switch (result)
    {
    case WAIT_TIMED_OUT:
        out_error("timeout: no %s within %lu ms", what, (unsigned long)timeout_ms);
        return MFPLAY_TIMEOUT;
    case WAIT_ERROR_EVENT:
        out_error("the session reported MEError 0x%08lx %s while waiting for %s",
                (unsigned long)player->error, hr_name(player->error), what);
        return MFPLAY_SESSION;
    default:
        out_error("the session stopped sending events while waiting for %s", what);
        return MFPLAY_SESSION;
    }
}

/* ---- failures ---- */

static BOOL is_format_error(HRESULT hr)
{
    return hr == MF_E_TOPO_CODEC_NOT_FOUND || hr == MF_E_TOPO_UNSUPPORTED || hr == MF_E_INVALIDMEDIATYPE
            || hr == MF_E_NO_MORE_TYPES || hr == MF_E_UNSUPPORTED_BYTESTREAM_TYPE || hr == MF_E_INVALID_FILE_FORMAT
            || hr == MF_E_UNSUPPORTED_FORMAT || hr == MF_E_UNSUPPORTED_D3D_TYPE || hr == MF_E_TRANSFORM_TYPE_NOT_SET;
}

static int audio_failure(const char *what, HRESULT hr, HRESULT probe)
{
    out_error("no audio device: %s failed with 0x%08lx %s (creating an audio renderer: 0x%08lx %s)", what,
            (unsigned long)hr, hr_name(hr), (unsigned long)probe, hr_name(probe));
    out_error("is an audio server (PulseAudio) running?  Use --null to play without an audio device.");
    return MFPLAY_AUDIO;
}

/* SetTopology (or its MESessionTopologySet) failed. */
static int topology_failure(struct player *player, HRESULT hr)
{
    HRESULT probe;

    if (player->sinks.has_audio_renderer && FAILED(probe = media_probe_audio_device()))
        return audio_failure("SetTopology with the audio renderer", hr, probe);
    if (is_format_error(hr))
    {
        out_error("unsupported format: the topology cannot be resolved (0x%08lx %s): no decoder or converter "
                "for a stream", (unsigned long)hr, hr_name(hr));
        return MFPLAY_FORMAT;
    }
    out_error("SetTopology failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
    return MFPLAY_SESSION;
}

/* Start failed (the call or its MESessionStarted). */
static int start_failure(struct player *player, HRESULT hr)
{
    HRESULT probe;

    if (player->sinks.has_audio_renderer && FAILED(probe = media_probe_audio_device()))
        return audio_failure("Start with the audio renderer", hr, probe);
    if (player->sinks.has_audio_renderer)
    {
        out_error("Start failed: 0x%08lx %s (the audio renderer may have failed: try --null)",
                (unsigned long)hr, hr_name(hr));
        return MFPLAY_AUDIO;
    }
    out_error("Start failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
    return MFPLAY_SESSION;
}

/* ---- the steps ---- */

static int open_media(struct player *player)
{
    const struct options *options = player->options;
    WCHAR resolved[MAX_PATH + 64];
    double since = now_ms();
    BOOL unsupported;
    HRESULT hr;

    hr = media_open(options->location, &player->source, resolved, ARRAYSIZE(resolved), &unsupported);
    if (FAILED(hr))
    {
        if (unsupported || is_format_error(hr))
        {
            out_error("unsupported format: %ls: 0x%08lx %s", options->location, (unsigned long)hr, hr_name(hr));
            return MFPLAY_FORMAT;
        }
        out_error("cannot open %ls: 0x%08lx %s", options->location, (unsigned long)hr, hr_name(hr));
        return MFPLAY_OPEN;
    }
    mark_phase(player, PHASE_OPEN, since);
    if (FAILED(hr = IMFMediaSource_CreatePresentationDescriptor(player->source, &player->pd)))
    {
        out_error("unsupported format: %ls has no presentation descriptor: 0x%08lx %s", resolved,
                (unsigned long)hr, hr_name(hr));
        return MFPLAY_FORMAT;
    }
    player->duration = media_duration(player->pd);
    out_line("%ls", resolved);
    media_describe(player->source, player->pd);

    if (FAILED(hr = media_build_topology(player->source, player->pd, &options->media, &player->topology,
            &player->sinks)))
    {
        if (hr == MF_E_TOPO_UNSUPPORTED)
        {
            out_error("unsupported format: no audio or video stream to play in %ls", resolved);
            return MFPLAY_FORMAT;
        }
        if (player->sinks.has_audio_renderer)
            return audio_failure("MFCreateAudioRendererActivate", hr, media_probe_audio_device());
        out_error("cannot build the topology: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return MFPLAY_USAGE;
    }
    return MFPLAY_OK;
}

/* SetTopology, then MESessionTopologySet and MESessionTopologyStatus(READY) in either order. */
static int set_topology(struct player *player)
{
    struct event_record record;
    ULONGLONG deadline = GetTickCount64() + EVENT_TIMEOUT, now;
    BOOL set = FALSE, ready = FALSE;
    double since = now_ms();
    HRESULT hr;

    if (FAILED(hr = IMFMediaSession_SetTopology(player->session, 0, player->topology)))
        return topology_failure(player, hr);
    while (!set || !ready)
    {
        now = GetTickCount64();
        if (now >= deadline || !listener_next(player->listener, &player->cursor, (DWORD)(deadline - now), &record))
            return wait_failed(player, listener_finished(player->listener) ? WAIT_SESSION_GONE : WAIT_TIMED_OUT,
                    "MESessionTopologyStatus(READY)", EVENT_TIMEOUT);
        if (record.type == MEError || (record.type == MESessionTopologySet && FAILED(record.status)))
            return topology_failure(player, record.status);
        if (record.type == MESessionTopologySet) set = TRUE;
        if (record.type == MESessionTopologyStatus && record.topology_status == MF_TOPOSTATUS_READY) ready = TRUE;
    }
    mark_phase(player, PHASE_TOPOLOGY, since);
    return MFPLAY_OK;
}

/* --rate: IMFRateControl through MF_RATE_CONTROL_SERVICE, before Start.  A
 * rate the session refuses is reported and playback goes on at 1.0. */
static void set_rate(struct player *player)
{
    float rate = (float)player->options->rate;
    struct event_record record;
    enum wait_result result;
    IMFRateControl *control;
    HRESULT hr;

    if (FAILED(hr = MFGetService((IUnknown *)player->session, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl,
            (void **)&control)))
    {
        out_error("--rate %g: the session offers no rate control: 0x%08lx %s; playing at 1.0", rate,
                (unsigned long)hr, hr_name(hr));
        return;
    }
    hr = IMFRateControl_SetRate(control, FALSE, rate);
    IMFRateControl_Release(control);
    if (FAILED(hr))
    {
        out_error("--rate %g: not supported: 0x%08lx %s; playing at 1.0", rate, (unsigned long)hr, hr_name(hr));
        return;
    }
    if ((result = wait_event(player, MESessionRateChanged, EVENT_TIMEOUT, &record)) != WAITED)
    {
        wait_failed(player, result, "MESessionRateChanged", EVENT_TIMEOUT);
        return;
    }
    if (FAILED(record.status))
    {
        out_error("--rate %g: not supported: MESessionRateChanged 0x%08lx %s; playing at 1.0", rate,
                (unsigned long)record.status, hr_name(record.status));
        return;
    }
    player->rate = rate;
    out_line("rate %g", rate);
}

/* One transport command and its completion event. */
static int transport(struct player *player, const char *what, HRESULT hr, MediaEventType completion)
{
    struct event_record record;
    enum wait_result result;

    if (FAILED(hr))
    {
        out_error("%s failed: 0x%08lx %s", what, (unsigned long)hr, hr_name(hr));
        return MFPLAY_SESSION;
    }
    if ((result = wait_event(player, completion, EVENT_TIMEOUT, &record)) != WAITED)
        return wait_failed(player, result, event_type_name(completion), EVENT_TIMEOUT);
    if (FAILED(record.status))
    {
        out_error("%s: %s carried 0x%08lx %s", what, event_type_name(completion), (unsigned long)record.status,
                hr_name(record.status));
        return MFPLAY_SESSION;
    }
    return MFPLAY_OK;
}

static int start(struct player *player)
{
    struct event_record record;
    enum wait_result result;
    double since = now_ms();
    PROPVARIANT position;
    HRESULT hr;

    PropVariantInit(&position);
    if (FAILED(hr = IMFMediaSession_Start(player->session, &GUID_NULL, &position)))
        return start_failure(player, hr);
    if ((result = wait_event(player, MESessionStarted, EVENT_TIMEOUT, &record)) != WAITED)
    {
        if (result == WAIT_ERROR_EVENT) return start_failure(player, record.status);
        return wait_failed(player, result, "MESessionStarted", EVENT_TIMEOUT);
    }
    if (FAILED(record.status)) return start_failure(player, record.status);
    mark_phase(player, PHASE_STARTED, since);
    return MFPLAY_OK;
}

static int seek(struct player *player)
{
    PROPVARIANT position;
    char what[64];

    position.vt = VT_I8;
    position.hVal.QuadPart = (LONGLONG)(player->options->seek * 1e7);
    snprintf(what, sizeof(what), "seek to %.3f s", player->options->seek);
    out_line("seeking to %.3f s", player->options->seek);
    return transport(player, what, IMFMediaSession_Start(player->session, &GUID_NULL, &position), MESessionStarted);
}

static LONGLONG clock_time(struct player *player)
{
    MFTIME time = 0;

    if (player->clock && FAILED(IMFPresentationClock_GetTime(player->clock, &time))) time = 0;
    return time;
}

static void show_progress(struct player *player, const char *state)
{
    /* After the end the clock is stopped (and reads 0): show the whole duration. */
    double duration = player->duration / 1e7, position = player->ended ? duration : clock_time(player) / 1e7;
    char bar[21], text[128];
    int filled, i;

    /* A clock reading past the end (seen from Wine's clock at rates other than 1) is not shown as such. */
    if (duration > 0 && position > duration) position = duration;
    filled = duration > 0 ? (int)(20 * position / duration) : 0;

    for (i = 0; i < 20; ++i) bar[i] = i < filled ? '=' : ' ';
    bar[20] = 0;
    if (duration > 0)
        snprintf(text, sizeof(text), "[%s] %7.2f / %.2f s  %s", bar, position, duration, state);
    else
        snprintf(text, sizeof(text), "%7.2f s  %s", position, state);
    out_progress(text);
}

/* --pause-at: Pause, 0.5 s with the progress line showing the clock held, Start to resume. */
static int pause_and_resume(struct player *player)
{
    PROPVARIANT position;
    ULONGLONG until;
    int status;

    if ((status = transport(player, "Pause", IMFMediaSession_Pause(player->session), MESessionPaused)))
        return status;
    until = GetTickCount64() + PAUSE_MS;
    while (GetTickCount64() < until)
    {
        show_progress(player, "paused");
        Sleep(100);
    }
    PropVariantInit(&position);
    return transport(player, "Start (resume)", IMFMediaSession_Start(player->session, &GUID_NULL, &position),
            MESessionStarted);
}

/* Plays until MESessionEnded, showing progress, seeking and pausing as asked. */
static int play(struct player *player)
{
    const struct options *options = player->options;
    DWORD tick = output_is_terminal() ? 100 : 500;
    ULONGLONG deadline, next_progress = 0;
    struct event_record record;
    BOOL paused_once = FALSE;
    double since = now_ms();
    int status;

    if (options->has_timeout)
        deadline = GetTickCount64() + (ULONGLONG)(options->timeout * 1000.0);
    else if (player->duration)
        deadline = GetTickCount64() + (ULONGLONG)(player->duration / 1e4 / player->rate) + PLAY_SLACK;
    else
        deadline = GetTickCount64() + 3600 * 1000;  /* unknown duration: an hour at most */

    if (options->has_seek && !player->ended && (status = seek(player))) return status;
    while (!player->ended)
    {
        if (InterlockedCompareExchange(&interrupted, 0, 0))
        {
            out_progress_end();
            out_error("interrupted");
            return MFPLAY_INTERRUPTED;
        }
        if (GetTickCount64() >= next_progress)
        {
            show_progress(player, "playing");
            next_progress = GetTickCount64() + tick;
        }
        if (options->has_pause_at && !paused_once && clock_time(player) >= (LONGLONG)(options->pause_at * 1e7))
        {
            paused_once = TRUE;
            if ((status = pause_and_resume(player))) return status;
            deadline += PAUSE_MS;
            continue;
        }
        if (GetTickCount64() >= deadline)
        {
            out_progress_end();
            out_error("timeout: no MESessionEnded after %.1f s of playback", (now_ms() - since) / 1000.0);
            return MFPLAY_TIMEOUT;
        }
        if (!listener_next(player->listener, &player->cursor, 50, &record))
        {
            if (listener_finished(player->listener))
                return wait_failed(player, WAIT_SESSION_GONE, "MESessionEnded", 0);
            continue;
        }
        if (record.type == MESessionEnded) player->ended = TRUE;
        if (record.type == MEError)
        {
            out_progress_end();
            out_error("the session reported MEError 0x%08lx %s during playback", (unsigned long)record.status,
                    hr_name(record.status));
            return MFPLAY_SESSION;
        }
    }
    show_progress(player, "ended");
    out_progress_end();
    mark_phase(player, PHASE_ENDED, since);
    if (options->has_pause_at && !paused_once)
        out_line("note: --pause-at %.3f s is past the end; playback was not paused", options->pause_at);
    return MFPLAY_OK;
}

/* Close, MESessionClosed (5 s at most), the source's and the session's Shutdown. */
static int close_session(struct player *player)
{
    double since = now_ms();
    enum wait_result result;
    int status = MFPLAY_OK;
    HRESULT hr;

    if (!player->closed)
    {
        if (FAILED(hr = IMFMediaSession_Close(player->session)))
        {
            out_error("Close failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
            status = MFPLAY_SESSION;
        }
        else if ((result = wait_event(player, MESessionClosed, CLOSE_TIMEOUT, NULL)) != WAITED)
            status = wait_failed(player, result, "MESessionClosed", CLOSE_TIMEOUT);
        else
            mark_phase(player, PHASE_CLOSED, since);
    }
    if (player->source) IMFMediaSource_Shutdown(player->source);
    IMFMediaSession_Shutdown(player->session);
    return status;
}

static HRESULT create_session(const struct options *options, IMFMediaSession **session)
{
    HRESULT hr;

    if (options->platform_session)
    {
        if (FAILED(hr = MFCreateMediaSession(NULL, session)))
            out_error("MFCreateMediaSession failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return hr;
    }
    hr = CoCreateInstance(&CLSID_MFSession, NULL, CLSCTX_INPROC_SERVER, &IID_IMFMediaSession, (void **)session);
    if (hr == REGDB_E_CLASSNOTREG)
        out_error("mfsession.dll is not registered: run regsvr32 mfsession.dll (tools/demo.sh does), "
                "or use --platform-session");
    else if (FAILED(hr))
        out_error("CoCreateInstance(CLSID_MFSession) failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
    return hr;
}

static int run(struct player *player)
{
    int status;

    if ((status = open_media(player))) return status;
    if ((status = set_topology(player))) return status;
    if (player->options->has_rate) set_rate(player);
    if ((status = start(player))) return status;
    return play(player);
}

static void print_bench(const struct player *player)
{
    unsigned int i;

    for (i = 0; i < PHASE_COUNT; ++i)
    {
        if (player->phase_done[i])
            out_line("bench: %-13s %9.1f ms", phase_names[i], player->phase_ms[i]);
        else
            out_line("bench: %-13s %9s", phase_names[i], "-");
    }
}

int wmain(int argc, WCHAR **argv)
{
    struct player player = {0};
    struct options options;
    IMFClock *clock;
    WCHAR *trace_setting, trace_path[MAX_PATH];
    HRESULT hr, init;
    int status, close_status;
    DWORD bytes;

    output_init("mfplay");
    if ((status = parse_options(argc, argv, &options))) return status;
    SetConsoleCtrlHandler(ctrl_handler, TRUE);

    if (options.make_wav)
    {
        if (!(bytes = media_write_wav(options.make_wav, options.wav_seconds)))
        {
            out_error("cannot write %ls", options.make_wav);
            return MFPLAY_USAGE;
        }
        out_line("wrote %ls: %.2f s tone, 44100 Hz, 2 channels, 16 bit, %lu data bytes", options.make_wav,
                options.wav_seconds, (unsigned long)bytes);
        if (!options.location) return MFPLAY_OK;
    }
    if (options.trace)
    {
        /* Both the Win32 environment and the C runtime's copy. */
        if (options.trace[0] == '/' && unix_path_to_dos(options.trace, trace_path, ARRAYSIZE(trace_path)))
            options.trace = trace_path;
        SetEnvironmentVariableW(L"MFSESSION_TRACE", options.trace);
        if ((trace_setting = malloc((wcslen(options.trace) + 17) * sizeof(WCHAR))))
        {
            swprintf(trace_setting, wcslen(options.trace) + 17, L"MFSESSION_TRACE=%ls", options.trace);
            _wputenv(trace_setting);
            free(trace_setting);
        }
    }

    init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr = MFStartup(MF_VERSION, MFSTARTUP_FULL)))
    {
        out_error("MFStartup failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return MFPLAY_USAGE;
    }
    player.options = &options;
    player.rate = 1.0;
    if (FAILED(create_session(&options, &player.session)))
        status = MFPLAY_USAGE;
    else if (!(player.listener = listener_create(player.session, options.events)))
        status = MFPLAY_USAGE;
    else if (FAILED(hr = listener_start(player.listener)))
    {
        out_error("BeginGetEvent failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        status = MFPLAY_SESSION;
    }
    else
    {
        out_line("session: %s", options.platform_session ? "platform (MFCreateMediaSession)"
                : "mfsession (CoCreateInstance(CLSID_MFSession))");
        if (SUCCEEDED(IMFMediaSession_GetClock(player.session, &clock)))
        {
            IMFClock_QueryInterface(clock, &IID_IMFPresentationClock, (void **)&player.clock);
            IMFClock_Release(clock);
        }
        status = run(&player);
        if (player.ended) media_print_summary(&player.sinks);
        close_status = close_session(&player);
        if (!status) status = close_status;
    }

    if (options.bench) print_bench(&player);
    if (player.clock) IMFPresentationClock_Release(player.clock);
    if (player.topology) IMFTopology_Release(player.topology);
    media_release_sinks(&player.sinks);
    if (player.pd) IMFPresentationDescriptor_Release(player.pd);
    if (player.source) IMFMediaSource_Release(player.source);
    listener_release(player.listener);
    if (player.session) IMFMediaSession_Release(player.session);
    MFShutdown();
    if (SUCCEEDED(init)) CoUninitialize();
    if (!status) out_line("done");
    return status;
}
