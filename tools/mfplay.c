/*
 * mfplay: a console media player for mfsession.
 *
 * It plays a file or URL the way the reference playback client does
 * (CONTRACT.md section 8): create the session (CoCreateInstance of
 * CLSID_MFSession, or the platform's MFCreateMediaSession with
 * --platform-session), listen with a BeginGetEvent callback that re-arms
 * itself, resolve the location into a media source, build a partial topology
 * (audio -> audio renderer, video -> the EVR in a window, or sample grabbers
 * with --null), SetTopology, Start on MESessionTopologyStatus(READY), and at
 * the end Close, wait for MESessionClosed, shut the sources and the session
 * down.  Several files play as one gapless playlist (mfplay_playlist.c).
 *
 * With a window the main thread runs its message loop whenever it waits
 * (player_next_event); keys, from the window or standard input, are acted on
 * between waits (handle_key).  Every wait has a timeout and every failure has
 * its own exit status (see usage() and enum mfplay_status).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "mfplay.h"

#define CLOSE_TIMEOUT   5000    /* the reference client waits 5 s for MESessionClosed */
#define PLAY_SLACK      10000   /* on top of the duration */
#define PAUSE_MS        500     /* --pause-at pauses this long */
#define SEEK_STEP       50000000 /* left/right: 5 s */

static const char *const phase_names[PHASE_COUNT] = { "open", "topology set", "started", "ended", "closed" };

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
        "usage: mfplay [options] PATH|URL...\n"
        "       mfplay --make-wav PATH [--wav-seconds S] [PATH|URL...]\n"
        "\n"
        "Plays media files with mfsession (CoCreateInstance(CLSID_MFSession); register\n"
        "mfsession.dll first with regsvr32, or name it with --dll) and shows their streams,\n"
        "a progress line and, on request, the session's events.  Video plays through the\n"
        "Enhanced Video Renderer in a window.  Several files play as one gapless playlist.\n"
        "\n"
        "Keys (in the window, or on standard input): space pause/resume, left/right (or\n"
        "',' and '.') seek 5 s back/forward, n next file, q (or closing the window) quit.\n"
        "\n"
        "  --platform-session  use the platform's MFCreateMediaSession instead, to compare\n"
        "  --dll PATH          load mfsession.dll from PATH instead of through the registry\n"
        "  --null              send every stream to a sample grabber (no window, no audio device)\n"
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
        "Exit status: 0 played to the end (or quit with q); 1 usage or setup error; 2 cannot\n"
        "open a file; 3 unsupported format; 4 no audio device (try --null); 5 the session\n"
        "reported an error; 6 timeout; 130 interrupted.\n");
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
        else if (!wcscmp(arg, L"--trace") || !wcscmp(arg, L"--make-wav") || !wcscmp(arg, L"--dll"))
        {
            if (!value) { out_error("%ls needs a file name", arg); return MFPLAY_USAGE; }
            if (!wcscmp(arg, L"--trace")) options->trace = value;
            else if (!wcscmp(arg, L"--dll")) options->dll = value;
            else options->make_wav = value;
            ++i;
        }
        else if (arg[0] == '-' && arg[1])
        {
            out_error("unknown option %ls (see --help)", arg);
            return MFPLAY_USAGE;
        }
        else if (options->location_count == MAX_ENTRIES)
        {
            out_error("at most %u files in a playlist", MAX_ENTRIES);
            return MFPLAY_USAGE;
        }
        else options->locations[options->location_count++] = arg;

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
    if (!options->location_count && !options->make_wav)
    {
        usage();
        return MFPLAY_USAGE;
    }
    return MFPLAY_OK;
}

/* ---- events ---- */

BOOL player_next_event(struct player *player, DWORD timeout_ms, struct event_record *record)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms, now;
    BOOL found = FALSE;

    if (!player->window)
        found = listener_next(player->listener, &player->cursor, timeout_ms, record);
    else
    {
        /* The listener announces each event to the window: wait in the message loop. */
        for (;;)
        {
            if ((found = listener_next(player->listener, &player->cursor, 0, record))) break;
            if (listener_finished(player->listener)) break;
            if ((now = GetTickCount64()) >= deadline) break;
            window_pump((DWORD)(deadline - now));
        }
    }
    if (found) playlist_observe(player, record);
    return found;
}

/* MEError ends the wait (the caller fails with its status); MESessionEnded
 * and MESessionClosed are remembered on the way. */
enum wait_result player_wait_event(struct player *player, MediaEventType type, DWORD timeout_ms,
        struct event_record *out)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms, now;
    struct event_record record;

    for (;;)
    {
        now = GetTickCount64();
        if (now >= deadline) return WAIT_TIMED_OUT;
        if (!player_next_event(player, (DWORD)(deadline - now), &record))
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

void player_mark_phase(struct player *player, enum phase phase, double since)
{
    player->phase_ms[phase] = now_ms() - since;
    player->phase_done[phase] = TRUE;
}

int player_wait_failed(struct player *player, enum wait_result result, const char *what, DWORD timeout_ms)
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

int player_topology_failure(struct player *player, HRESULT hr)
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

/* Opening a file failed (media_open's answer), or building its topology did. */
int player_open_failure(struct player *player, const WCHAR *location, HRESULT hr, BOOL unsupported,
        BOOL building)
{
    if (building)
    {
        if (hr == MF_E_TOPO_UNSUPPORTED)
        {
            out_error("unsupported format: no audio or video stream to play in %ls", location);
            return MFPLAY_FORMAT;
        }
        if (player->sinks.has_audio_renderer)
            return audio_failure("MFCreateAudioRendererActivate", hr, media_probe_audio_device());
        out_error("cannot build the topology: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return MFPLAY_USAGE;
    }
    if (unsupported || is_format_error(hr))
    {
        out_error("unsupported format: %ls: 0x%08lx %s", location, (unsigned long)hr, hr_name(hr));
        return MFPLAY_FORMAT;
    }
    out_error("cannot open %ls: 0x%08lx %s", location, (unsigned long)hr, hr_name(hr));
    return MFPLAY_OPEN;
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
    if ((result = player_wait_event(player, MESessionRateChanged, EVENT_TIMEOUT, &record)) != WAITED)
    {
        player_wait_failed(player, result, "MESessionRateChanged", EVENT_TIMEOUT);
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
static int transport(struct player *player, const char *what, HRESULT hr, MediaEventType completion,
        struct event_record *record)
{
    enum wait_result result;

    if (FAILED(hr))
    {
        out_error("%s failed: 0x%08lx %s", what, (unsigned long)hr, hr_name(hr));
        return MFPLAY_SESSION;
    }
    if ((result = player_wait_event(player, completion, EVENT_TIMEOUT, record)) != WAITED)
        return player_wait_failed(player, result, event_type_name(completion), EVENT_TIMEOUT);
    if (FAILED(record->status))
    {
        out_error("%s: %s carried 0x%08lx %s", what, event_type_name(completion), (unsigned long)record->status,
                hr_name(record->status));
        return MFPLAY_SESSION;
    }
    return MFPLAY_OK;
}

int player_start(struct player *player)
{
    struct event_record record;
    enum wait_result result;
    double since = now_ms();
    PROPVARIANT position;
    HRESULT hr;

    PropVariantInit(&position);
    if (FAILED(hr = IMFMediaSession_Start(player->session, &GUID_NULL, &position)))
        return start_failure(player, hr);
    if ((result = player_wait_event(player, MESessionStarted, EVENT_TIMEOUT, &record)) != WAITED)
    {
        if (result == WAIT_ERROR_EVENT) return start_failure(player, record.status);
        return player_wait_failed(player, result, "MESessionStarted", EVENT_TIMEOUT);
    }
    if (FAILED(record.status)) return start_failure(player, record.status);
    if (!player->phase_done[PHASE_STARTED]) player_mark_phase(player, PHASE_STARTED, since);
    player->paused = FALSE;
    return MFPLAY_OK;
}

/* A seek within the current file (100 ns); the session plays on from there. */
static int seek_to(struct player *player, LONGLONG position)
{
    struct event_record record;
    PROPVARIANT value;
    char what[64];
    int status;

    value.vt = VT_I8;
    value.hVal.QuadPart = position;
    snprintf(what, sizeof(what), "seek to %.3f s", position / 1e7);
    out_line("seeking to %.3f s", position / 1e7);
    if ((status = transport(player, what, IMFMediaSession_Start(player->session, &GUID_NULL, &value),
            MESessionStarted, &record)))
        return status;
    /* The new start's offset between the presentation clock and the file. */
    if (record.has_offset) player->offset = record.offset;
    player->paused = FALSE;
    return MFPLAY_OK;
}

static void show_progress(struct player *player, const char *state)
{
    const struct entry *entry = &player->entries[player->current];
    /* After the end the clock is stopped (and reads 0): show the whole duration. */
    double duration = entry->duration / 1e7, position = player->ended ? duration : playlist_position(player) / 1e7;
    char bar[21], text[160], which[32] = "";
    int filled, i;

    /* A clock reading past the end (seen from Wine's clock at rates other than 1) is not shown as such. */
    if (duration > 0 && position > duration) position = duration;
    if (position < 0) position = 0;
    filled = duration > 0 ? (int)(20 * position / duration) : 0;
    if (player->entry_count > 1) snprintf(which, sizeof(which), "%u/%u ", player->current + 1, player->entry_count);

    for (i = 0; i < 20; ++i) bar[i] = i < filled ? '=' : ' ';
    bar[20] = 0;
    if (duration > 0)
        snprintf(text, sizeof(text), "%s[%s] %7.2f / %.2f s  %s", which, bar, position, duration, state);
    else
        snprintf(text, sizeof(text), "%s%7.2f s  %s", which, position, state);
    out_progress(text);
}

/* --pause-at: Pause, 0.5 s with the progress line showing the clock held, Start to resume. */
static int pause_and_resume(struct player *player)
{
    struct event_record record;
    PROPVARIANT position;
    ULONGLONG until;
    int status;

    if ((status = transport(player, "Pause", IMFMediaSession_Pause(player->session), MESessionPaused, &record)))
        return status;
    until = GetTickCount64() + PAUSE_MS;
    while (GetTickCount64() < until)
    {
        show_progress(player, "paused");
        if (player->window) window_pump(100); else Sleep(100);
    }
    PropVariantInit(&position);
    return transport(player, "Start (resume)", IMFMediaSession_Start(player->session, &GUID_NULL, &position),
            MESessionStarted, &record);
}

static BOOL session_can(struct player *player, DWORD capability)
{
    DWORD caps = 0;
    return SUCCEEDED(IMFMediaSession_GetSessionCapabilities(player->session, &caps)) && (caps & capability);
}

/* A key: the command it stands for, with its completion.  *quit for q, the
 * window's close box and n on the last file. */
static int handle_key(struct player *player, enum key key, BOOL *quit)
{
    const struct entry *entry = &player->entries[player->current];
    struct event_record record;
    PROPVARIANT empty;
    LONGLONG position;
    BOOL last;
    int status;

    *quit = FALSE;
    switch (key)
    {
    case KEY_PAUSE:
        if (player->paused)
        {
            PropVariantInit(&empty);
            if ((status = transport(player, "Start (resume)", IMFMediaSession_Start(player->session, &GUID_NULL,
                    &empty), MESessionStarted, &record)))
                return status;
            player->paused = FALSE;
            out_line("resumed at %.3f s", playlist_position(player) / 1e7);
            return MFPLAY_OK;
        }
        if (!session_can(player, MFSESSIONCAP_PAUSE))
        {
            out_line("pause: this presentation cannot pause");
            return MFPLAY_OK;
        }
        if ((status = transport(player, "Pause", IMFMediaSession_Pause(player->session), MESessionPaused, &record)))
            return status;
        player->paused = TRUE;
        out_line("paused at %.3f s", playlist_position(player) / 1e7);
        return MFPLAY_OK;

    case KEY_BACK:
    case KEY_FORWARD:
        if (!session_can(player, MFSESSIONCAP_SEEK))
        {
            out_line("seek: this presentation cannot seek");
            return MFPLAY_OK;
        }
        position = playlist_position(player) + (key == KEY_BACK ? -SEEK_STEP : SEEK_STEP);
        if (position < 0) position = 0;
        if (entry->duration && position > (LONGLONG)entry->duration) position = entry->duration;
        return seek_to(player, position);

    case KEY_NEXT:
        if ((status = playlist_skip(player, &last))) return status;
        if (last)
        {
            out_line("next: that was the last file");
            *quit = TRUE;
        }
        return MFPLAY_OK;

    case KEY_QUIT:
        out_line("quit at %.3f s", playlist_position(player) / 1e7);
        *quit = TRUE;
        return MFPLAY_OK;

    default:
        return MFPLAY_OK;
    }
}

/* When playing gives up: the rest of the playlist at the current rate, plus slack. */
static ULONGLONG play_deadline(struct player *player)
{
    LONGLONG rest = -playlist_position(player);
    unsigned int i;

    if (player->options->has_timeout) return ~0ull;     /* a fixed deadline, see play() */
    for (i = player->current; i < player->entry_count; ++i)
    {
        if (!player->entries[i].duration) return GetTickCount64() + 3600 * 1000; /* unknown: an hour at most */
        rest += player->entries[i].duration;
    }
    if (rest < 0) rest = 0;
    return GetTickCount64() + (ULONGLONG)(rest / 1e4 / player->rate) + PLAY_SLACK;
}

/* Plays until MESessionEnded after the last file (or a quit), showing
 * progress, acting on keys, seeking and pausing as asked. */
static int play(struct player *player)
{
    const struct options *options = player->options;
    DWORD tick = output_is_terminal() ? 100 : 500;
    ULONGLONG deadline, fixed_deadline = ~0ull, next_progress = 0;
    struct event_record record;
    BOOL paused_once = FALSE, quit;
    double since = now_ms();
    enum key key;
    int status;

    if (options->has_timeout) fixed_deadline = GetTickCount64() + (ULONGLONG)(options->timeout * 1000.0);
    if (options->has_seek && !player->ended && (status = seek_to(player, (LONGLONG)(options->seek * 1e7))))
        return status;
    deadline = play_deadline(player);
    while (!player->ended)
    {
        if (InterlockedCompareExchange(&interrupted, 0, 0))
        {
            out_progress_end();
            out_error("interrupted");
            return MFPLAY_INTERRUPTED;
        }
        if ((key = keys_pop()) != KEY_NONE)
        {
            if ((status = handle_key(player, key, &quit))) return status;
            if (quit)
            {
                out_progress_end();
                return MFPLAY_OK;
            }
            deadline = play_deadline(player);
            next_progress = 0;
            continue;
        }
        if (GetTickCount64() >= next_progress)
        {
            show_progress(player, player->paused ? "paused" : "playing");
            next_progress = GetTickCount64() + tick;
        }
        if (options->has_pause_at && !paused_once && !player->paused
                && playlist_position(player) >= (LONGLONG)(options->pause_at * 1e7))
        {
            paused_once = TRUE;
            if ((status = pause_and_resume(player))) return status;
            deadline = play_deadline(player);
            continue;
        }
        /* Paused by a key, the player waits for the next key as long as it takes. */
        if (player->paused) deadline = play_deadline(player);
        if (GetTickCount64() >= deadline || GetTickCount64() >= fixed_deadline)
        {
            out_progress_end();
            out_error("timeout: no MESessionEnded after %.1f s of playback", (now_ms() - since) / 1000.0);
            return MFPLAY_TIMEOUT;
        }
        if (!player_next_event(player, 50, &record))
        {
            if (listener_finished(player->listener))
                return player_wait_failed(player, WAIT_SESSION_GONE, "MESessionEnded", 0);
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
    player_mark_phase(player, PHASE_ENDED, since);
    if (options->has_pause_at && !paused_once)
        out_line("note: --pause-at %.3f s is past the end; playback was not paused", options->pause_at);
    return MFPLAY_OK;
}

/* Close, MESessionClosed (5 s at most), the sources' and the session's Shutdown. */
static int close_session(struct player *player)
{
    double since = now_ms();
    enum wait_result result;
    int status = MFPLAY_OK;
    unsigned int i;
    HRESULT hr;

    /* From here the window paints black: no call into the renderer from the
     * window procedure while the session takes the pipeline down. */
    if (player->window) window_set_display(player->window, NULL);
    if (!player->closed)
    {
        if (FAILED(hr = IMFMediaSession_Close(player->session)))
        {
            out_error("Close failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
            status = MFPLAY_SESSION;
        }
        else if ((result = player_wait_event(player, MESessionClosed, CLOSE_TIMEOUT, NULL)) != WAITED)
            status = player_wait_failed(player, result, "MESessionClosed", CLOSE_TIMEOUT);
        else
            player_mark_phase(player, PHASE_CLOSED, since);
    }
    for (i = 0; i < player->entry_count; ++i)
        if (player->entries[i].source) IMFMediaSource_Shutdown(player->entries[i].source);
    IMFMediaSession_Shutdown(player->session);
    return status;
}

static int run(struct player *player)
{
    int status;

    if ((status = playlist_open(player))) return status;
    if (player->window) listener_notify_window(player->listener, player->window, WM_MFPLAY_EVENT);
    if ((status = playlist_set_topologies(player))) return status;
    if (player->options->has_rate) set_rate(player);
    if ((status = player_start(player))) return status;
    playlist_attach_display(player, TRUE);
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

/* --trace: both the Win32 environment and the C runtime's copy. */
static void set_trace(struct options *options, WCHAR *trace_path, DWORD size)
{
    WCHAR *setting;

    if (options->trace[0] == '/' && unix_path_to_dos(options->trace, trace_path, size))
        options->trace = trace_path;
    SetEnvironmentVariableW(L"MFSESSION_TRACE", options->trace);
    if ((setting = malloc((wcslen(options->trace) + 17) * sizeof(WCHAR))))
    {
        swprintf(setting, wcslen(options->trace) + 17, L"MFSESSION_TRACE=%ls", options->trace);
        _wputenv(setting);
        free(setting);
    }
}

int wmain(int argc, WCHAR **argv)
{
    static struct player player;
    struct options options;
    IMFClock *clock;
    WCHAR trace_path[MAX_PATH], dll_path[MAX_PATH];
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
        if (!options.location_count) return MFPLAY_OK;
    }
    if (options.trace) set_trace(&options, trace_path, ARRAYSIZE(trace_path));
    if (options.dll && options.dll[0] == '/' && unix_path_to_dos(options.dll, dll_path, ARRAYSIZE(dll_path)))
        options.dll = dll_path;
    keys_init();
    keys_read_stdin();

    init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr = MFStartup(MF_VERSION, MFSTARTUP_FULL)))
    {
        out_error("MFStartup failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return MFPLAY_USAGE;
    }
    player.options = &options;
    player.rate = 1.0;
    if (FAILED(session_create(options.platform_session, options.dll, &player.session)))
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
                : options.dll ? "mfsession (DllGetClassObject of --dll)"
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
    if (player.listener) listener_notify_window(player.listener, NULL, 0);
    if (player.display) IMFVideoDisplayControl_Release(player.display);
    window_destroy(player.window);
    if (player.clock) IMFPresentationClock_Release(player.clock);
    playlist_release(&player);
    media_release_sinks(&player.sinks);
    listener_release(player.listener);
    if (player.session) IMFMediaSession_Release(player.session);
    MFShutdown();
    if (SUCCEEDED(init)) CoUninitialize();
    if (!status) out_line("done");
    return status;
}
