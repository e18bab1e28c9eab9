/*
 * The session's internal model, shared by session.c (public vtables),
 * commands.c (serializer, state table, commands), callbacks.c (weak event
 * links), topology.c, pipeline.c, clock.c and rate.c.
 *
 * Threading: every field below the "serializer only" line is touched only by
 * the session's serializer (one item at a time, on Media Foundation work
 * queue threads), so it needs no lock.  The public methods touch only the
 * fields under `lock`.
 */
#ifndef MFSESSION_SESSION_INTERNAL_H
#define MFSESSION_SESSION_INTERNAL_H

#include "mfsession_private.h"
#include "trace.h"
#include <stdlib.h>

#ifndef MFSESSIONCAP_START
#define MFSESSIONCAP_START                 0x00000001
#define MFSESSIONCAP_SEEK                  0x00000002
#define MFSESSIONCAP_PAUSE                 0x00000004
#define MFSESSIONCAP_RATE_FORWARD          0x00000010
#define MFSESSIONCAP_RATE_REVERSE          0x00000020
#define MFSESSIONCAP_DOES_NOT_USE_NETWORK  0x00000040
#endif

/* A call into a component, traced as a span on the calling thread with its result. */
#define TRACED_CALL(session, name, expr) __extension__ ({ \
    HRESULT hr__; \
    TRACE('B', "call", name, session, NULL, 0, NULL); \
    hr__ = (expr); \
    TRACE('E', "call", name, session, NULL, 0, "\"hr\":\"0x%08lx\"", (unsigned long)hr__); \
    hr__; })

/* How long Close waits for a component that does not answer (ms). */
#define CLOSE_GRACE_MS 1500
/* How long any other command waits for a component's acknowledgement (ms):
 * sinks answer locally; sources may be network sources that buffer first. */
#define ACK_TIMEOUT_MS 1500
#define SOURCE_ACK_TIMEOUT_MS 10000
#define CLOCK_STOP_SETTLE_MS 300
#define PREROLL_WAIT_MS 1000
/* After a seek, how long a sink may ask for nothing before its clock restarts (operation.c). */
#define SEEK_STALL_MS 250
/* The deadline check's period while a step waits (ms). */
#define TIMER_TICK_MS 100

struct session;
struct pnode;

struct known_topology { TOPOID id; IMFTopology *object; };

/* Presentation states: what a command means (the rows of the state table). */
enum session_state
{
    STATE_EMPTY,    /* no current topology */
    STATE_STOPPED,  /* a current topology, stopped (also after MESessionEnded) */
    STATE_STARTED,
    STATE_PAUSED,
    STATE_CLOSED,
    STATE_COUNT
};

enum command_type
{
    CMD_SET_TOPOLOGY,
    CMD_CLEAR_TOPOLOGIES,
    CMD_START,
    CMD_PAUSE,
    CMD_STOP,
    CMD_CLOSE,
    CMD_SET_RATE,
    CMD_SWITCH,     /* internal: a queued topology takes over at the end of the current one */
    CMD_RECOVER,    /* internal: a seek's silent sinks get the clock restarted from stopped */
    CMD_COUNT
};

struct command
{
    struct command *next;
    enum command_type type;
    DWORD flags;                /* SetTopology flags */
    IMFTopology *topology;      /* SetTopology */
    GUID time_format;           /* Start */
    PROPVARIANT position;       /* Start */
    BOOL thin;                  /* SetRate */
    float rate;                 /* SetRate */
    UINT64 seq;                 /* per-session sequence, pairs the trace's command spans */
};

/* What a component event link points at. */
enum link_kind
{
    LINK_SOURCE,        /* IMFMediaSource events */
    LINK_STREAM,        /* IMFMediaStream events */
    LINK_STREAM_SINK,   /* IMFStreamSink events */
    LINK_TIMER,         /* the Close grace timer: no generator */
    LINK_TRANSFORM,     /* an asynchronous transform's events (async_mft.c) */
};

/* A weak link from a component's event queue back to the session: the
 * callback handed to BeginGetEvent.  It holds the generator only until it is
 * detached, and the session only through a try-AddRef, so a subscription
 * left pending on a component keeps nothing but this small object alive. */
struct event_link
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    SRWLOCK lock;
    struct session *session;            /* NULL once detached */
    IMFMediaEventGenerator *generator;  /* NULL once detached */
    enum link_kind kind;
    void *context;                      /* the struct pnode or struct source it serves */
    DWORD queue;                        /* work queue the callback runs on */
    HRESULT failure;                    /* the component's queue failed: no more events come (serializer) */
    BOOL idle_listed;                   /* no subscription pending: on the session's idle list (serializer) */
    struct event_link *idle_next;
    /* Retired (callbacks.c): its topology is gone but its component may be
     * played again (a sequencer's native stream), so the link keeps the
     * generator and whatever subscription it has, for the next follower. */
    BOOL retired;
    IMFMediaEvent *stash;               /* retired: the one event its subscription took meanwhile */
    const void *retired_source;         /* retired: the source whose stream it followed (identity only) */
    BOOL stale;                         /* taken over: events until the stream's restart are old (pipeline.c) */
    struct event_link *retired_next;    /* the session's retired links (serializer) */
};

HRESULT event_link_create(struct session *session, enum link_kind kind, void *context,
        IMFMediaEventGenerator *generator, struct event_link **out);
void event_link_detach(struct event_link *link);
void event_link_release(struct event_link *link);

/* A component event waiting for the serializer. */
struct component_event
{
    struct component_event *next;
    struct event_link *link;    /* referenced */
    IMFMediaEvent *event;       /* referenced; NULL for internal wake-ups */
    int kind;                   /* 0: component event; else internal (operation.c) */
    BOOL unsubscribed;          /* delivered by a callback: the link has no subscription now */
    HRESULT status;             /* internal: finalize result */
};

/* A media source of the current topology. */
struct source
{
    struct topology *topology;
    IMFMediaSource *object;
    IMFPresentationDescriptor *pd;
    struct event_link *link;
    DWORD characteristics;
    BOOL started;           /* acknowledged its last Start */
    BOOL ended;             /* MEEndOfPresentation received */
    BOOL segment_ended;     /* ...or MEEndOfPresentationSegment: a sequencer source goes on (sequencer.c) */
    BOOL continues;         /* it played the previous segment: starts this one with VT_EMPTY */
};

/* One sample queue entry: a sample, or an end-of-stream marker (NULL). */
struct queued_sample
{
    struct queued_sample *next;
    IMFSample *sample;
};

/* A connection from an upstream node's output to a downstream node's input. */
struct edge
{
    struct pnode *up;
    DWORD up_output;
    struct pnode *down;
    DWORD down_input;
    LONG requests;                      /* unmet requests from downstream */
    struct queued_sample *head, *tail;  /* produced, not yet delivered */
    BOOL ended;                         /* end of stream delivered downstream */
};

enum pnode_kind { PNODE_SOURCE, PNODE_TRANSFORM, PNODE_TEE, PNODE_SINK };

struct pnode
{
    enum pnode_kind kind;
    IMFTopologyNode *node;
    TOPOID id;
    struct edge **inputs;   /* inputs[i]: edge feeding input i */
    DWORD input_count;
    struct edge **outputs;  /* outputs[i]: edge leaving output i (NULL if unconnected) */
    DWORD output_count;
    LONG upstream_pending;  /* requests made upstream not yet answered */

    /* PNODE_SOURCE */
    struct source *source;
    LONGLONG media_stop;    /* MF_TOPONODE_MEDIASTOP, or -1 */
    LONGLONG media_start;   /* MF_TOPONODE_MEDIASTART, or -1 */
    IMFStreamDescriptor *sd;
    DWORD stream_id;
    IMFMediaStream *stream;
    struct event_link *stream_link;
    BOOL stream_ended;
    BOOL end_refused;       /* RequestSample said MF_E_END_OF_STREAM with answers still owed: the end waits for them */
    BOOL trimmed;           /* ended here by MEDIASTOP/PROJECTSTOP, not by the source */

    /* PNODE_TRANSFORM */
    IMFTransform *mft;
    BOOL mft_provides_samples;
    DWORD mft_output_size;
    BOOL draining;
    DWORD inputs_ended;

    /* PNODE_SINK */
    IMFStreamSink *stream_sink;
    IMFMediaSink *media_sink;
    struct event_link *sink_link;
    BOOL sink_started;
    BOOL marker_pending;
    BOOL sink_ended;
    BOOL prerolled;         /* a preroll answer is expected */
    BOOL start_expected;    /* a started answer is expected */
    BOOL stop_expected;     /* a stopped answer is expected (seek) */
    BOOL scrub_expected;    /* at rate 0: a scrub-complete answer is expected */
    BOOL clock_refused;     /* its media sink refused the presentation clock: it answers no clock change */
    ULONG samples_in;       /* samples given to the stream sink (seek_recover watches it) */
    ULONG samples_at_seek;  /* ...at the last seek or scrub start */
    BOOL scrub_said;        /* at rate 0: the sink said it scrubbed (MEStreamSinkScrubSampleComplete) */

    /* transform pumping guards */
    BOOL pumping, repump, draining_hold;
    char track[24];         /* trace track name, "stream N" */

    /* Output samples and the video renderer's allocator (transform_output.c, video_alloc.c) */
    struct transform_output *touts;     /* PNODE_TRANSFORM: one per output, or NULL */
    LONGLONG mft_input_duration;        /* PNODE_TRANSFORM: duration of the last input sample */
    BOOL d3d_manager_set;               /* PNODE_TRANSFORM: MFT_MESSAGE_SET_D3D_MANAGER accepted */
    struct video_alloc *video;          /* PNODE_SINK: the stream sink's sample allocator, or NULL */
    BOOL video_checked;                 /* PNODE_SINK: asked for its allocator (once its link exists) */

    /* PNODE_TRANSFORM with MF_TRANSFORM_ASYNC: driven by its events, not pumped (async_mft.c) */
    struct async_mft *async;
};

/* A media sink of the current topology (deduplicated). */
struct media_sink
{
    IMFMediaSink *object;
    IMFActivate *activate;  /* where it came from, if any */
    DWORD characteristics;
    BOOL finalize_pending;
};

/* A topology known to the session, resolved, with its pipeline when current. */
struct topology
{
    struct topology *next;
    IMFTopology *object;        /* the full topology (MESessionTopologySet value) */
    IMFTopology *input;         /* what the client passed (referenced) */
    TOPOID id;                  /* the full topology's id */
    TOPOID input_id;            /* the client's topology id */
    struct source *sources;
    unsigned source_count;
    struct pnode *nodes;
    unsigned node_count;
    struct media_sink *sinks;
    unsigned sink_count;
    DWORD caps;
    BOOL begun_streaming;
    BOOL clock_attached;        /* its sinks have the presentation clock (from its first start) */
    BOOL started_source_sent;
    BOOL flushing;              /* sources told to stop: samples still on the way are dropped */
    BOOL switching;             /* becoming current at the end of the previous one */
    BOOL canceled;              /* its sequencer source canceled it (a skip): it gives way at once */
    LONGLONG start_position;    /* where its sources start when it takes over */
    LONGLONG offset;            /* added to its sample times: its place on the presentation timeline */
    LONGLONG presentation_end;  /* end of the last sample delivered, on the presentation timeline */
    LONGLONG project_stop;      /* MF_TOPOLOGY_PROJECTSTOP under MF_SESSION_GLOBAL_TIME, or -1 */
    LONGLONG duration;
};

/* The command in flight: waiting for acknowledgements from components. */
enum op_step
{
    STEP_NONE,
    STEP_SOURCES_STARTING,
    STEP_PREROLLING,
    STEP_SINKS_STARTING,
    STEP_SOURCES_PAUSING,
    STEP_SOURCES_STOPPING,
    STEP_SEEK_STOPPING,
    STEP_FINALIZING,
    STEP_CLOCK_STOPPING,    /* seek: the sinks hear the clock stop before anything restarts */
};

struct operation
{
    struct command *command;    /* owned */
    enum op_step step;
    unsigned acks;              /* acknowledgements still expected in this step */
    HRESULT status;             /* first failure seen */
    LONGLONG position;          /* start position */
    BOOL seeking;
    BOOL seek_restarted;        /* a seek's sinks did not confirm: the clock went through stopped once */
    BOOL restart_pending;       /* that restart waits for the sinks to hear the stop */
    BOOL resuming;
    BOOL closing;
    BOOL timer_armed;
    BOOL timer_short;           /* armed with the Close grace */
    ULONGLONG deadline;         /* GetTickCount64() bound of the step's wait */
    BOOL stop_issued, start_issued, pause_issued, finalize_issued;
    BOOL flush_sinks;
};

struct session
{
    IMFMediaSession IMFMediaSession_iface;
    IMFGetService IMFGetService_iface;
    IMFRateControl IMFRateControl_iface;
    IMFRateSupport IMFRateSupport_iface;
    IMFTopologyNodeAttributeEditor IMFTopologyNodeAttributeEditor_iface;
    IMFLocalMFTRegistration IMFLocalMFTRegistration_iface;
    IMFAsyncCallback drain_callback;   /* runs the serializer */
    IMFAsyncCallback finalize_callback;
    LONG refcount;

    IMFMediaEventQueue *event_queue;
    IMFPresentationClock *clock;
    IMFPresentationTimeSource *system_time_source;
    BOOL clock_has_source;      /* serializer only: a presentation started, the clock has a time source */
    IMFTopoLoader *loader;
    IMFQualityManager *quality_manager;
    BOOL global_time;
    UINT32 low_latency;

    /* Public side, under lock. */
    CRITICAL_SECTION lock;
    BOOL close_requested;
    BOOL shut_down;
    struct command *commands_head, *commands_tail;
    struct component_event *events_head, *events_tail;
    struct component_event *spare_events;   /* recycled event items */
    unsigned spare_count;
    BOOL draining;              /* someone runs the serializer */
    UINT64 command_seq;
    DWORD drain_thread;
    CONDITION_VARIABLE idle;
    DWORD caps;                 /* last reported capabilities, readable anywhere */
    IMFTopology *current_full;  /* current topology object, for GetFullTopology */
    TOPOID current_full_id;     /* its id (read under the lock without calling the object) */
    struct known_topology *known;   /* topologies GetFullTopology can find by id */
    unsigned known_count, known_size;
    float rate;                 /* in force */
    struct rate_info { HRESULT hr; float slowest, fastest; } rate_info[2][2]; /* [direction][thin], snapshot */
    BOOL thin;

    /* ---- serializer only ---- */
    enum session_state state;
    struct operation op;        /* op.command != NULL while a command is in flight */
    struct topology *current;
    struct topology *queue_head; /* queued topologies */
    struct event_link *idle_links; /* links with no subscription: polled, then armed when the serializer idles */
    struct event_link *retired_links; /* stream links kept for a component played again (callbacks.c) */
    BOOL torn_down;
    BOOL closed_sent;            /* MESessionClosed queued: nothing follows it... */
    BOOL completing_after_close; /* ...but the completions of calls made after Close */
    BOOL cancel_until_close;     /* a command was superseded by Close: the rest before it are cancelled */
    unsigned scrubs_pending;     /* stream sinks still to finish their scrub (rate 0) */
    BOOL scrub_done_early;       /* they finished before the Start completed */
    ULONGLONG seek_watch_deadline; /* after a seek: when sinks still asking for nothing get their clock restarted */
    struct event_link *timer_link;   /* weak: a pending timer does not keep the session alive */
    BOOL tick_pending;               /* serializer only */
    BOOL arm_at_tick;                /* a tick ran: subscribe parked links when out of work (serializer only) */
    struct topology *pending_topology; /* becomes current once the stop is done */
    struct shutdown_entry *shutdown_entries; /* sinks and transforms to shut down at Shutdown (shutdown_list.c) */
    unsigned shutdown_count, shutdown_size;
};

static inline struct session *impl_from_IMFMediaSession(IMFMediaSession *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMFMediaSession_iface);
}

/* session.c */
void session_lock_ref(struct session *session);
BOOL session_try_addref(struct session *session);
void session_release(struct session *session);

/* commands.c */
HRESULT session_post_command(struct session *session, struct command *command);
void session_post_event(struct session *session, struct event_link *link, IMFMediaEvent *event,
        BOOL on_worker);
void session_post_link_failure(struct session *session, struct event_link *link, HRESULT hr);
void session_shutdown_pipeline(struct session *session);
/* The topology loader, chosen on first use unless MF_SESSION_TOPOLOADER named one (serializer only). */
HRESULT session_loader(struct session *session, IMFTopoLoader **out);
void session_queue_event(struct session *session, MediaEventType type, HRESULT status,
        const PROPVARIANT *value);
void session_forward_event(struct session *session, IMFMediaEvent *event);
void session_queue_event_unk(struct session *session, MediaEventType type, HRESULT status,
        IUnknown *unk, IMFAttributes *attributes);
void command_free(struct command *command);
extern const IMFAsyncCallbackVtbl session_drain_vtbl, session_finalize_vtbl;

/* topology.c */
HRESULT topology_check(IMFTopology *topology);
HRESULT topology_prepare(struct session *session, IMFTopology *input, DWORD flags,
        struct topology **out);
void topology_destroy(struct session *session, struct topology *topology);
HRESULT topology_make_current(struct session *session, struct topology *topology);
DWORD topology_caps(struct topology *topology);
void topology_remember(struct session *session, struct topology *topology);
void topology_forget(struct session *session, struct topology *topology);
void topology_forget_all(struct session *session);

/* pipeline.c */
void pipeline_on_stream_event(struct session *session, struct pnode *node, IMFMediaEvent *event,
        MediaEventType type, HRESULT status);
void pipeline_on_sink_event(struct session *session, struct pnode *node, IMFMediaEvent *event,
        MediaEventType type, HRESULT status);
void pipeline_flush(struct session *session, struct topology *topology, BOOL keep_sink_requests);
void pipeline_kick(struct session *session, struct topology *topology);
void pipeline_notify_transforms(struct topology *topology, MFT_MESSAGE_TYPE message);
BOOL pipeline_ended(struct topology *topology);
void pipeline_attach_stream(struct session *session, struct source *source, IMFMediaStream *stream);
void pipeline_release(struct topology *topology);
void pipeline_reset(struct session *session, struct topology *topology);
void pipeline_expect_sink_start(struct topology *topology);
void pipeline_prepare_transforms(struct topology *topology);
void pipeline_forget_sink_requests(struct topology *topology);
void pipeline_refresh_node_attributes(struct topology *topology);

/* commands.c / operation.c */
void session_complete(struct session *session, struct command *command, HRESULT status);
void op_finish(struct session *session, HRESULT status);
void op_advance(struct session *session);
void session_drain(struct session *session);
/* What a serializer item carries besides a component's event (serializer.c). */
enum internal_kind { ITEM_COMPONENT = 0, ITEM_TIMER, ITEM_FINALIZED, ITEM_REFRESH, ITEM_LINK_FAILED };
/* operation.c, for the serializer: one item handled; the session's tick
 * (schedule_tick) and the current step's deadline (arm_timer). */
void session_dispatch(struct session *session, struct component_event *item);
void schedule_tick(struct session *session);
void arm_timer(struct session *session);
void session_queue_topology_status(struct session *session, struct topology *topology, MF_TOPOSTATUS status);
HRESULT session_make_current(struct session *session, struct topology *topology);
void session_drop_current(struct session *session, struct topology *next);
void retire_sinks(struct session *session, struct topology *old, struct topology *next);
/* Stream links across topologies that play the same component again (callbacks.c). */
HRESULT event_link_follow(struct session *session, enum link_kind kind, void *context,
        IMFMediaEventGenerator *generator, struct event_link **out);
void event_link_retire(struct session *session, struct event_link *link, const void *source);
void event_links_purge_retired(struct session *session, struct topology *keep);
BOOL topology_has_source(const struct topology *t, const void *source);
void session_clear_queue(struct session *session);
BOOL sources_running(struct topology *topology);
void session_update_caps(struct session *session);
void session_run_command(struct session *session, struct command *command);
void session_set_state(struct session *session, enum session_state state);
const char *command_name(enum command_type type);
const char *media_event_name(MediaEventType type);
void component_event_free(struct component_event *item);
/* Serializer only: puts a link with no pending subscription on the idle list. */
void session_list_idle_link(struct session *session, struct event_link *link);
BOOL session_enqueue(struct session *session, struct component_event *item, BOOL claim);
struct component_event *session_take_spare(struct session *session);
void session_recycle_locked(struct session *session, struct component_event *item);
void session_finish_topology_switch(struct session *session);
void session_on_timer_fired(struct session *session);
void session_set_current_topology(struct session *session, struct topology *topology);
void session_post_refresh(struct session *session);
void session_on_scrub_progress(struct session *session, struct pnode *node);
void session_propagate_low_latency(struct session *session, struct topology *topology);

/* switch.c */
void session_begin_switch(struct session *session);
void session_complete_switch(struct session *session);
HRESULT session_apply_rate(struct session *session, BOOL thin, float rate);

/* sequencer.c */
BOOL sequencer_time_format(const GUID *format);
HRESULT sequencer_check_start(const GUID *format, const PROPVARIANT *pos);
void sequencer_on_source_started(struct session *session, struct source *source, IMFMediaEvent *event);
void sequencer_on_segment_end(struct session *session, struct source *source, IMFMediaEvent *event);
BOOL sequencer_segment_over(struct topology *t);
BOOL sequencer_waits_for_next(struct topology *t);
void sequencer_prepare_switch(struct topology *old, struct topology *next);

/* hooks the pipeline calls */
void session_on_pipeline_error(struct session *session, HRESULT hr);
void session_on_ack(struct session *session, enum op_step step, HRESULT status);
void session_check_end(struct session *session);

/* presentation.c */
HRESULT presentation_attach_sources(struct session *session, struct topology *topology);
HRESULT presentation_attach_sinks(struct session *session, struct topology *topology);

/* shutdown_list.c */
void shutdown_list_add_topology(struct session *session, struct topology *topology);
void shutdown_list_run(struct session *session);

/* clock.c */
HRESULT clock_begin_presentation(struct session *session, struct topology *topology);
void clock_release_sinks(struct session *session, struct topology *topology);

/* rate.c */
extern const IMFRateControlVtbl session_rate_control_vtbl;
extern const IMFRateSupportVtbl session_rate_support_vtbl;
DWORD rate_caps(struct topology *topology);
void rate_snapshot(struct session *session);

/* services.c */
extern const IMFTopologyNodeAttributeEditorVtbl session_attribute_editor_vtbl;
extern const IMFLocalMFTRegistrationVtbl session_local_mft_vtbl;
HRESULT services_forward(struct session *session, REFGUID service, REFIID riid, void **out);
BOOL services_is_forwarded(REFGUID service);

/* guids.c: a private node attribute: the IMFActivate an output node's sink came from. */
extern const GUID MFSESSION_NODE_ACTIVATE;

static inline void *mfs_calloc(size_t count, size_t size) { return calloc(count, size); }
static inline void mfs_free(void *p) { free(p); }

#endif
