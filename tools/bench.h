/*
 * mfsession's benchmark (tools/bench.c): our session against the platform's
 * (Wine's built-in) session and against a session-less direct drive of the
 * same test doubles.  See docs/PERFORMANCE.md.
 *
 *   bench.c           options, the workload table, repetitions, child processes, main
 *   bench_figures.c   figures, their statistics, the targets
 *   bench_report.c    the table, the notes, the JSON file (bench_report.h: what these three share)
 *   bench_session.c   session creation, the event consumer, topologies
 *   bench_work.c      the workloads (close, lifecycle, start, seek, throughput, scale, cpu)
 *   bench_direct.c    the direct drive (no session) and the primitive costs (profile)
 *   bench_loader.c    IMFTopoLoader::Load, ours against the platform's loader
 *   bench_media.c     real files through the platform's components into rateless grabbers
 */
#ifndef MFSESSION_BENCH_H
#define MFSESSION_BENCH_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include "doubles.h"

enum bench_kind { KIND_OURS, KIND_PLATFORM, KIND_COUNT };

/* How a measurement ended. */
enum bench_status { BENCH_OK, BENCH_FAILED, BENCH_HUNG };

#define BENCH_MAX_VALUES 6

/* What one run of a workload produced: up to four figures (e.g. p50 and p99). */
struct bench_run
{
    enum bench_status status;
    HRESULT hr;                 /* BENCH_FAILED */
    char what[128];             /* what failed or hung */
    double values[BENCH_MAX_VALUES];
};

/* Options shared by the workloads. */
struct bench_options
{
    unsigned reps;
    unsigned samples;           /* throughput samples per run (one stream) */
    unsigned close_iterations;  /* empty-session Close latency, per repetition */
    unsigned running_iterations;/* running-session Close latency and start latency, per repetition */
    unsigned seek_iterations;
    unsigned lifecycle_cycles;  /* per repetition, for the rate */
    unsigned scale_sessions;
    unsigned scale_samples;
    unsigned cpu_media_seconds;
    unsigned request_depth;
    DWORD timeout_ms;           /* any single wait for an event */
    DWORD play_timeout_ms;      /* a whole playback */
    DWORD end_grace_ms;         /* MESessionEnded after the sink got every sample */
    BOOL quick;
};
extern struct bench_options opt;

/* ---- bench_session.c ---- */

extern LARGE_INTEGER qpc_freq;
LONGLONG qpc_now(void);
double qpc_us(LONGLONG ticks);

const char *kind_name(enum bench_kind kind);
BOOL bench_load_ours(void);
HRESULT session_create(enum bench_kind kind, IMFMediaSession **out);

/* The event consumer: one BeginGetEvent callback, re-armed after every event
 * (until MESessionClosed), that stamps each event with QueryPerformanceCounter
 * when it is dequeued and hands it to the waiting thread.  The same consumer
 * serves both kinds of session. */
struct consumer;
struct consumer_event
{
    MediaEventType type;
    HRESULT status;
    UINT32 topo_status;     /* MESessionTopologyStatus */
    LONGLONG qpc;           /* when the callback got it */
};
struct consumer *consumer_create(void);
HRESULT consumer_attach(struct consumer *c, IMFMediaSession *session);   /* AddRefs, subscribes */
/* Waits for an event of `type` (others are skipped); for MESessionTopologyStatus,
 * for that `topo_status`.  S_OK with *ev; HRESULT_FROM_WIN32(WAIT_TIMEOUT) on
 * timeout; the event's status when it failed; MF_E_SHUTDOWN if MESessionClosed
 * or MEError came instead. */
HRESULT consumer_wait(struct consumer *c, MediaEventType type, UINT32 topo_status, DWORD timeout_ms,
        struct consumer_event *ev);
BOOL consumer_idle(struct consumer *c);     /* no subscription pending (after MESessionClosed) */
void consumer_detach(struct consumer *c);   /* releases the session; only when idle */
void consumer_release(struct consumer *c);  /* a pending subscription keeps it alive */

/* A session with a consumer and the doubles it plays. */
struct rig
{
    enum bench_kind kind;
    IMFMediaSession *session;
    struct consumer *consumer;
    struct dsource *src;
    struct dsink *sink;
    IMFTransform *mft;
    IMFTopology *topology;
};

enum topo_shape { SHAPE_PLAIN, SHAPE_MFT, SHAPE_TEE };

struct rig_desc
{
    enum topo_shape shape;
    unsigned streams;
    unsigned samples;           /* per stream */
    LONGLONG sample_duration;
    unsigned sample_bytes;
    BOOL rateless;
    unsigned tee_outputs;
    BOOL lazy_eos;              /* MEEndOfStream on the request after the last sample (else right after it) */
    BOOL async_source;          /* the source answers RequestSample from a work item (dsource async_samples) */
};

/* Creates the session, its consumer, the doubles and the topology, sets it
 * and waits for MF_TOPOSTATUS_READY.  On failure r says why (and the rig may
 * be half built: rig_destroy copes). */
BOOL rig_create(struct rig *rig, enum bench_kind kind, const struct rig_desc *desc, struct bench_run *r);
/* Close (waits for MESessionClosed), Shutdown, Release.  A session that does
 * not close is abandoned (leaked, not shut down); r (may be NULL) says so. */
void rig_destroy(struct rig *rig, struct bench_run *r);
/* How many sessions were abandoned (see rig_destroy): main then ends the
 * process without MFShutdown. */
extern LONG bench_abandoned;
HRESULT rig_start(struct rig *rig, LONGLONG position);     /* position < 0: VT_EMPTY */

/* Records a failure or a hang in r; returns FALSE for chaining. */
BOOL run_fail(struct bench_run *r, HRESULT hr, const char *fmt, ...);

/* ---- bench_work.c ---- */

void wl_close_empty(enum bench_kind kind, struct bench_run *r);     /* p50, p99 (us) */
void wl_close_running(enum bench_kind kind, struct bench_run *r);   /* p50, p99 (us) */
void wl_lifecycle(enum bench_kind kind, struct bench_run *r);       /* cycles/s */
void wl_start(enum bench_kind kind, struct bench_run *r);           /* p50, p99 (us) */
void wl_seek(enum bench_kind kind, struct bench_run *r);            /* p50, p99 (us) */
void wl_tp_plain(enum bench_kind kind, struct bench_run *r);        /* samples/s */
void wl_tp_mft(enum bench_kind kind, struct bench_run *r);
void wl_tp_8streams(enum bench_kind kind, struct bench_run *r);
void wl_tp_tee(enum bench_kind kind, struct bench_run *r);
void wl_tp_plain_lazy(enum bench_kind kind, struct bench_run *r);  /* the same, lazy end of stream */
void wl_tp_async_lazy(enum bench_kind kind, struct bench_run *r);  /* the same, a source answering later */
void wl_tp_mft_lazy(enum bench_kind kind, struct bench_run *r);
void wl_tp_8streams_lazy(enum bench_kind kind, struct bench_run *r);
void wl_tp_tee_lazy(enum bench_kind kind, struct bench_run *r);
void wl_scale(enum bench_kind kind, struct bench_run *r);           /* total samples/s */
void wl_cpu(enum bench_kind kind, struct bench_run *r);             /* CPU ms per media s, wall ms per media s */
/* bench_loader.c: one IMFTopoLoader::Load, p50 and p99 (us), ours or the platform's loader. */
void wl_loader_convert(enum bench_kind kind, struct bench_run *r);
void wl_loader_decode(enum bench_kind kind, struct bench_run *r);
void wl_loader_decode_convert(enum bench_kind kind, struct bench_run *r);
void wl_loader_tee4(enum bench_kind kind, struct bench_run *r);
void wl_loader_branches4(enum bench_kind kind, struct bench_run *r);
void wl_loader_decode_local(enum bench_kind kind, struct bench_run *r);
/* bench_media.c: a real file (MFSESSION_MEDIA_DIR) into a rateless sample
 * grabber; values: Start -> MESessionEnded (ms), OnProcessSample calls, bytes. */
void wl_media_mp3(enum bench_kind kind, struct bench_run *r);
void wl_media_aac(enum bench_kind kind, struct bench_run *r);
void wl_media_h264(enum bench_kind kind, struct bench_run *r);
void wl_media_rawvideo(enum bench_kind kind, struct bench_run *r);
/* bench.c: a line for the table's and the JSON's notes (what a workload found
 * the platform's components doing). */
void bench_note(const char *fmt, ...);
/* In a child process: the notes as "NOTE text" lines, for the parent (run_child). */
void bench_notes_print(void);
/* Child process: `cycles` lifecycle cycles (kind KIND_COUNT: the baseline
 * cycle, an event queue and one subscription without a session).  values: working set after
 * `first` cycles and at the end, private usage after `first` and at the end
 * (bytes), cycles per second over the second phase. */
void lifecycle_memory(enum bench_kind kind, unsigned first, unsigned cycles, struct bench_run *r);
/* One-stream throughput of one session: for the tracing child. */
void throughput_once(enum bench_kind kind, unsigned samples, struct bench_run *r);

void memory_now(double *working_set, double *private_usage);   /* bytes */

/* ---- bench_direct.c ---- */

void wl_direct_poll(struct bench_run *r);       /* samples/s: one thread, GetEvent(NO_WAIT) */
void wl_direct_poll_async(struct bench_run *r); /* the same, the source answering from a work item */
void wl_direct_callbacks(struct bench_run *r);  /* samples/s: BeginGetEvent callbacks */
void wl_direct_ddrive(struct bench_run *r);     /* samples/s: the doubles' ddrive_play */

/* The primitives a sample's trip is made of, each in microseconds per operation. */
struct primitive
{
    const char *id;
    const char *label;
    double us;
};
unsigned measure_primitives(struct primitive *out, unsigned max);

#endif
