/*
 * mfplay: a console media player driving an IMFMediaSession the way the
 * reference playback client does (CONTRACT.md section 8).  Shared declarations
 * of its files:
 *
 *   mfplay.c          options, the playback driver (waits, transport, keys), exit statuses
 *   mfplay_events.c   console output, names of events and HRESULTs, the session and its listener
 *   mfplay_media.c    opening a source, describing its streams, the partial topology,
 *                     sample grabbers, the WAV tone generator
 *   mfplay_window.c   the video window (EVR position, repaint) and the keys
 *   mfplay_playlist.c several files as one gapless playlist (queued topologies, skip)
 */
#ifndef MFPLAY_H
#define MFPLAY_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include <evr.h>

/* Exit statuses (documented in the usage text and the README). */
enum mfplay_status
{
    MFPLAY_OK = 0,
    MFPLAY_USAGE = 1,       /* bad arguments, or Media Foundation / the session could not be set up */
    MFPLAY_OPEN = 2,        /* the file or URL cannot be opened */
    MFPLAY_FORMAT = 3,      /* nothing playable, or no decoder/converter for a stream */
    MFPLAY_AUDIO = 4,       /* the audio renderer cannot be created or started */
    MFPLAY_SESSION = 5,     /* MEError, or a session command completed with an error */
    MFPLAY_TIMEOUT = 6,     /* a wait ran out of time */
    MFPLAY_INTERRUPTED = 130,
};

/* ---- mfplay_events.c: output ---- */

void output_init(const char *program);  /* program: the prefix of out_error lines */
double now_ms(void);                       /* since output_init */
BOOL output_is_terminal(void);
void out_line(const char *fmt, ...);       /* stdout, ends the progress line first */
void out_error(const char *fmt, ...);      /* stderr, "<program>: " prefix */
void out_progress(const char *text);       /* in place on a terminal, else a plain line */
void out_progress_end(void);

const char *event_type_name(MediaEventType type);
const char *hr_name(HRESULT hr);           /* symbolic name or "" */
const char *topology_status_name(UINT32 status);

/* ---- mfplay_events.c: the session ---- */

/* Ours through the registry (CoCreateInstance), ours from `dll` (its
 * DllGetClassObject, no registration needed), or with `platform` the
 * platform's MFCreateMediaSession.  Failures are reported. */
HRESULT session_create(BOOL platform, const WCHAR *dll, IMFMediaSession **session);

/* ---- mfplay_events.c: the session's event listener ----
 * An IMFAsyncCallback that re-arms BeginGetEvent until MESessionClosed (or
 * until the session refuses), records every event and optionally prints the
 * timeline.  The main thread reads the record with a cursor and a timeout. */

struct event_record
{
    MediaEventType type;
    HRESULT status;
    UINT32 topology_status;     /* MF_EVENT_TOPOLOGY_STATUS, 0 if absent */
    BOOL has_offset;            /* MF_EVENT_PRESENTATION_TIME_OFFSET was present */
    LONGLONG offset;            /* presentation time minus the source's time, 100 ns */
    double time_ms;
};

struct listener;
struct listener *listener_create(IMFMediaSession *session, BOOL print_events);
HRESULT listener_start(struct listener *listener);
/* The next event after *cursor; FALSE when none arrives within timeout_ms or
 * the listener stopped (see listener_finished). */
BOOL listener_next(struct listener *listener, unsigned int *cursor, DWORD timeout_ms, struct event_record *record);
BOOL listener_finished(struct listener *listener);
/* From then on every event is also announced with PostMessage(hwnd, message):
 * the events arrive on work-queue threads, the window's thread waits for them
 * in its message loop (NULL: no more announcements). */
void listener_notify_window(struct listener *listener, HWND hwnd, UINT message);
void listener_release(struct listener *listener);

/* ---- mfplay_media.c ---- */

struct media_options
{
    BOOL null_sinks;        /* every stream to a sample grabber */
    BOOL ignore_clock;      /* grabbers take samples as fast as they come */
    HWND video_window;      /* video to the EVR in this window; NULL: to a sample grabber */
};

/* The sinks the topologies hold, for the summary and for classifying failures.
 * A playlist's topologies share them: the n-th audio (video) stream of every
 * file goes to the same sink, so a switch between files keeps it running. */
#define MEDIA_MAX_STREAMS 16
struct media_sinks
{
    unsigned int count;
    BOOL has_audio_renderer;
    BOOL has_video_renderer;
    struct
    {
        DWORD stream_id;                /* in the first file that used it */
        GUID major;
        unsigned int ordinal;           /* the n-th stream of its major type in a file */
        IMFActivate *activate;
        struct grabber *grabber;        /* NULL for the renderers */
    } stream[MEDIA_MAX_STREAMS];
};

/* Under Wine, the DOS name of a Unix path ("/tmp/x" -> "Z:\tmp\x"); FALSE elsewhere. */
BOOL unix_path_to_dos(const WCHAR *path, WCHAR *out, DWORD size);
/* A path (Windows or, under Wine, Unix) or a URL, resolved into a media source.
 * *unsupported is set when an existing, readable file was refused by the resolver. */
HRESULT media_open(const WCHAR *location, IMFMediaSource **source, WCHAR *resolved, DWORD resolved_size,
        BOOL *unsupported);
/* Prints the presentation's duration and each stream's format. */
void media_describe(IMFMediaSource *source, IMFPresentationDescriptor *pd);
UINT64 media_duration(IMFPresentationDescriptor *pd);
/* A partial topology: one source-stream node per selected audio/video stream,
 * connected to the audio renderer, the EVR or a sample grabber, reusing the
 * sinks already in `sinks` (zeroed before the first call).  Other streams
 * are deselected.  MF_E_TOPO_UNSUPPORTED when nothing is playable. */
HRESULT media_build_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd,
        const struct media_options *options, IMFTopology **topology, struct media_sinks *sinks);
/* The first video stream's frame size, FALSE when the file has no video. */
BOOL media_video_size(IMFPresentationDescriptor *pd, UINT32 *width, UINT32 *height);
void media_print_summary(const struct media_sinks *sinks);
/* Also shuts the renderers' activates down (after the session's Shutdown). */
void media_release_sinks(struct media_sinks *sinks);
/* Can an audio renderer be created at all?  The HRESULT of trying. */
HRESULT media_probe_audio_device(void);
/* Writes a 16-bit stereo 44.1 kHz sine tone; returns the number of data bytes, 0 on failure. */
DWORD media_write_wav(const WCHAR *path, double seconds);

/* ---- mfplay_window.c: the keys ---- */

enum key { KEY_NONE, KEY_PAUSE, KEY_BACK, KEY_FORWARD, KEY_NEXT, KEY_QUIT };

/* Keys come from the window and from standard input (a console's key presses,
 * or the bytes of a pipe: ' ' pause, ',' '<' back, '.' '>' forward, 'n', 'q'). */
void keys_init(void);
void keys_push(enum key key);   /* any thread */
enum key keys_pop(void);        /* KEY_NONE when none waits */
void keys_read_stdin(void);     /* starts the thread reading standard input */

/* ---- mfplay_window.c: the video window ---- */

#define WM_MFPLAY_EVENT (WM_APP + 1)   /* the listener's announcement: an event arrived */

/* A visible top-level window whose client area is width x height, on the calling thread. */
HWND window_create(const WCHAR *title, UINT32 width, UINT32 height);
/* The renderer's display control once the topology is READY (NULL to drop
 * it): the video keeps its aspect ratio in the client area (letterboxed),
 * WM_PAINT repaints it. */
void window_set_display(HWND hwnd, IMFVideoDisplayControl *display);
/* Dispatches the thread's messages for at most timeout_ms, returning early as
 * soon as one arrived (a key, an event announcement). */
void window_pump(DWORD timeout_ms);
void window_destroy(HWND hwnd);

/* ---- mfplay.c: the player (shared with mfplay_playlist.c) ---- */

#define EVENT_TIMEOUT   15000   /* topology resolution, start, seek, pause, rate */
#define MAX_ENTRIES     64

struct options
{
    const WCHAR *locations[MAX_ENTRIES];
    unsigned int location_count;
    const WCHAR *make_wav;
    double wav_seconds;
    const WCHAR *trace;
    const WCHAR *dll;           /* --dll: mfsession.dll loaded directly, no registration needed */
    BOOL platform_session, events, bench;
    struct media_options media;
    BOOL has_seek, has_rate, has_pause_at, has_timeout;
    double seek, rate, pause_at, timeout;
};

enum phase { PHASE_OPEN, PHASE_TOPOLOGY, PHASE_STARTED, PHASE_ENDED, PHASE_CLOSED, PHASE_COUNT };

/* One file of the playlist. */
struct entry
{
    const WCHAR *location;      /* as given */
    WCHAR resolved[MAX_PATH + 64];
    IMFMediaSource *source;
    IMFPresentationDescriptor *pd;
    IMFTopology *topology;      /* the partial topology given to SetTopology */
    UINT64 duration;            /* 100 ns, 0 if unknown */
};

struct player
{
    const struct options *options;
    IMFMediaSession *session;
    struct listener *listener;
    unsigned int cursor;
    struct entry entries[MAX_ENTRIES];
    unsigned int entry_count;
    unsigned int current;       /* the entry playing (its topology was the last READY) */
    unsigned int next_ready;    /* the entry the next READY is for */
    LONGLONG offset;            /* the current entry's presentation time offset, 100 ns */
    struct media_sinks sinks;
    HWND window;                /* NULL without video (or with --null) */
    IMFVideoDisplayControl *display;
    IMFPresentationClock *clock;
    double rate;                /* rate in force */
    BOOL ended;                 /* MESessionEnded seen */
    BOOL closed;                /* MESessionClosed seen */
    BOOL paused;
    HRESULT error;              /* status of an MEError seen, S_OK if none */
    double phase_ms[PHASE_COUNT];
    BOOL phase_done[PHASE_COUNT];
};

enum wait_result { WAITED, WAIT_TIMED_OUT, WAIT_ERROR_EVENT, WAIT_SESSION_GONE };

/* The next event (every consumer goes through it: it keeps the playlist's
 * position up to date); with a window, its messages are dispatched meanwhile. */
BOOL player_next_event(struct player *player, DWORD timeout_ms, struct event_record *record);
/* Consumes events up to the next one of the given type. */
enum wait_result player_wait_event(struct player *player, MediaEventType type, DWORD timeout_ms,
        struct event_record *out);
/* A wait that did not deliver: message and exit status. */
int player_wait_failed(struct player *player, enum wait_result result, const char *what, DWORD timeout_ms);
/* SetTopology (or its MESessionTopologySet) failed: message and exit status. */
int player_topology_failure(struct player *player, HRESULT hr);
/* Opening a file (media_open's answer) or building its topology failed: message and exit status. */
int player_open_failure(struct player *player, const WCHAR *location, HRESULT hr, BOOL unsupported,
        BOOL building);
/* Start(VT_EMPTY) from stopped and its MESessionStarted. */
int player_start(struct player *player);
/* --bench: how long a phase took, from `since` (now_ms()). */
void player_mark_phase(struct player *player, enum phase phase, double since);

/* ---- mfplay_playlist.c ---- */

/* Opens every file, describes it, opens the window when one has video, and
 * builds each file's partial topology (sharing the sinks). */
int playlist_open(struct player *player);
/* The first file's topology set and READY, the others queued behind it
 * (SetTopology(0, ...): the session plays them one after another). */
int playlist_set_topologies(struct player *player);
/* The EVR's IMFVideoDisplayControl through the session's MR_VIDEO_RENDER_SERVICE,
 * handed to the window (once; `report`: say so when it is not there). */
void playlist_attach_display(struct player *player, BOOL report);
/* Follows the presentations: a READY makes the entry it was for current. */
void playlist_observe(struct player *player, const struct event_record *record);
/* 'n': the next file now (SetTopology IMMEDIATE, the rest queued again,
 * Start).  *last is set when the current file was the last. */
int playlist_skip(struct player *player, BOOL *last);
/* The current file's position (the clock less its offset), 100 ns. */
LONGLONG playlist_position(struct player *player);
void playlist_release(struct player *player);

#endif
