/*
 * mfplay: a console media player driving an IMFMediaSession the way the
 * reference playback client does (CONTRACT.md section 8).  Shared declarations
 * of its three files:
 *
 *   mfplay.c         options, the playback driver, exit statuses
 *   mfplay_events.c  console output, names of events and HRESULTs, the event listener
 *   mfplay_media.c   opening a source, describing its streams, the partial topology,
 *                    sample grabbers, the WAV tone generator
 */
#ifndef MFPLAY_H
#define MFPLAY_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>

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

/* ---- mfplay_events.c: the session's event listener ----
 * An IMFAsyncCallback that re-arms BeginGetEvent until MESessionClosed (or
 * until the session refuses), records every event and optionally prints the
 * timeline.  The main thread reads the record with a cursor and a timeout. */

struct event_record
{
    MediaEventType type;
    HRESULT status;
    UINT32 topology_status;     /* MF_EVENT_TOPOLOGY_STATUS, 0 if absent */
    double time_ms;
};

struct listener;
struct listener *listener_create(IMFMediaSession *session, BOOL print_events);
HRESULT listener_start(struct listener *listener);
/* The next event after *cursor; FALSE when none arrives within timeout_ms or
 * the listener stopped (see listener_finished). */
BOOL listener_next(struct listener *listener, unsigned int *cursor, DWORD timeout_ms, struct event_record *record);
BOOL listener_finished(struct listener *listener);
void listener_release(struct listener *listener);

/* ---- mfplay_media.c ---- */

struct media_options
{
    BOOL null_sinks;        /* every stream to a sample grabber */
    BOOL ignore_clock;      /* grabbers take samples as fast as they come */
};

/* What the topology holds, for the summary and for classifying failures. */
#define MEDIA_MAX_STREAMS 16
struct media_sinks
{
    unsigned int count;
    BOOL has_audio_renderer;
    struct
    {
        DWORD stream_id;
        GUID major;
        IMFActivate *activate;
        struct grabber *grabber;        /* NULL for the audio renderer */
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
 * connected to the audio renderer or a sample grabber.  Other streams are
 * deselected.  MF_E_TOPO_UNSUPPORTED when nothing is playable. */
HRESULT media_build_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd,
        const struct media_options *options, IMFTopology **topology, struct media_sinks *sinks);
void media_print_summary(const struct media_sinks *sinks);
void media_release_sinks(struct media_sinks *sinks);
/* Can an audio renderer be created at all?  The HRESULT of trying. */
HRESULT media_probe_audio_device(void);
/* Writes a 16-bit stereo 44.1 kHz sine tone; returns the number of data bytes, 0 on failure. */
DWORD media_write_wav(const WCHAR *path, double seconds);

#endif
