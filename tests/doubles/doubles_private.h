/* Shared by the doubles' implementation files only. */
#ifndef MFSESSION_TEST_DOUBLES_PRIVATE_H
#define MFSESSION_TEST_DOUBLES_PRIVATE_H

/* COM C macros, and const vtables (lpVtbl points to const). */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif

#include "doubles.h"

/* Logging costs one load when switched off. */
extern volatile LONG dlog_on;
#define DLOG(...) do { if (dlog_on) dlog_add(__VA_ARGS__); } while (0)

/* Next number for dmft_create's default names; dlog_clear sets it to 0. */
extern volatile LONG dmft_next_id;

/* Counts one switchable call; S_OK or the injected failure. */
HRESULT dfault_check(enum dcall call);

/* Accepts any audio type (the stream sinks' and transforms' rule). */
BOOL dtype_is_audio(IMFMediaType *type);
BOOL dtype_is_pcm(IMFMediaType *type);

/* Empties an event queue (releasing the events) before it is shut down, so
 * events nobody will read no longer hold references. */
void dqueue_drain(IMFMediaEventQueue *queue);

/* For dactivate: the sink's memory stays valid while a core reference is held;
 * dsink_try_addref takes a COM reference unless the sink already died. */
void dsink_core_addref(struct dsink *k);
void dsink_core_release(struct dsink *k);
BOOL dsink_try_addref(struct dsink *k);
const char *dsink_name(struct dsink *k);
const char *dsink_activate_name(struct dsink *k);

/* Makes a bounded copy of a log name. */
void dname_set(char *dst, size_t size, const char *fmt, ...);

/* ---- the source's internals (dsource.c, dsource_stream.c, dsource_rate.c) ---- */

enum dsource_state { DSOURCE_STOPPED, DSOURCE_STARTED, DSOURCE_PAUSED, DSOURCE_SHUTDOWN };

struct dstream
{
    IMFMediaStream IMFMediaStream_iface;
    LONG refcount;
    struct dsource *source;         /* no reference: see dsource.c */
    unsigned index;
    char name[40];
    IMFMediaEventQueue *queue;
    IMFStreamDescriptor *sd;
    BOOL active, announced, eos;
    unsigned next;                  /* index of the next sample */
    LONG delivered;
    IUnknown **pending;             /* tokens of requests received while paused, or not yet
                                       answered (async_samples) */
    unsigned pending_count, pending_size;
    IMFAsyncCallback serve_callback; /* async_samples: answers the oldest pending request */
};

struct dsource
{
    IMFMediaSource IMFMediaSource_iface;
    IMFGetService IMFGetService_iface;
    IMFRateControl IMFRateControl_iface;
    IMFRateSupport IMFRateSupport_iface;
    LONG refcount;
    LONG core;
    CRITICAL_SECTION cs;
    struct dsource_desc desc;
    char name[32];
    enum dsource_state state;
    IMFMediaEventQueue *queue;
    IMFAttributes *source_attributes;   /* IMFMediaSourceEx::GetSourceAttributes */
    IMFPresentationDescriptor *pd;
    struct dstream *streams[DOUBLES_MAX_STREAMS];
    BOOL eop_sent, thin;
    float rate;
};

extern const IMFGetServiceVtbl dsource_service_vtbl;
extern const IMFRateControlVtbl dsource_rate_vtbl;
extern const IMFRateSupportVtbl dsource_ratesupport_vtbl;

/* dsource.c: frees the memory once the source and every stream are gone;
 * queues MEEndOfPresentation once every active stream ended (lock held). */
void dsource_core_release(struct dsource *source);
void dsource_check_end_of_presentation(struct dsource *source);
/* dsource_stream.c: the stream's vtables; with the source lock held: drop
 * the kept requests, answer one request, end the stream. */
extern const IMFMediaStreamVtbl dstream_vtbl;
extern const IMFAsyncCallbackVtbl dstream_serve_vtbl;
void dstream_drop_pending(struct dstream *stream);
HRESULT dstream_deliver(struct dstream *stream, IUnknown *token);
void dstream_end(struct dstream *stream);

/* ---- the sink's internals (dsink.c, dstreamsink.c) ---- */

enum dsink_clock_state { DSINK_STOPPED, DSINK_RUNNING, DSINK_PAUSED };

struct dstreamsink
{
    IMFStreamSink IMFStreamSink_iface;
    IMFMediaTypeHandler IMFMediaTypeHandler_iface;
    LONG refcount;
    struct dsink *sink;             /* no reference: the sink's core count keeps it valid */
    DWORD id;
    char name[40];
    IMFMediaEventQueue *queue;
    IMFMediaType *type;
    BOOL removed;
    BOOL preroll_pending;           /* NotifyPreroll seen, first sample not yet */
    unsigned outstanding;           /* requests sent and not answered yet */
    BOOL starved;                   /* flush_forgets: flushed, asks again when the clock starts from stopped */
    LONG limit_base;                /* flush_forgets: received at the last flush (request_limit counts from it) */
    LONG received, markers, unrequested, dropped;
    LONGLONG *times, *durations;    /* keep_samples */
    unsigned kept, kept_size;
};

struct dsink
{
    IMFFinalizableMediaSink IMFFinalizableMediaSink_iface;  /* also the IMFMediaSink */
    IMFClockStateSink IMFClockStateSink_iface;
    IMFMediaSinkPreroll IMFMediaSinkPreroll_iface;
    IMFPresentationTimeSource IMFPresentationTimeSource_iface;
    IMFGetService IMFGetService_iface;
    IMFClockStateSink time_source_sink_iface;  /* the time source's, see dsink_clock.c */
    LONG refcount;
    LONG core;                      /* the sink's COM life + every live stream sink + activates */
    CRITICAL_SECTION cs;            /* also guards the stream sinks */
    struct dsink_desc desc;
    char name[32], activate_name[40];
    BOOL shut_down;
    enum dsink_clock_state clock_state;
    IMFPresentationClock *clock;
    IMFPresentationTimeSource *system_time_source;
    IMFClockStateSink *system_time_sink;
    struct dstreamsink *streams[DOUBLES_MAX_STREAMS];
    unsigned stream_count;
    unsigned target;
    HANDLE done;
};

extern const IMFClockStateSinkVtbl dsink_clock_vtbl;
extern const IMFMediaSinkPrerollVtbl dsink_preroll_vtbl;
extern const IMFPresentationTimeSourceVtbl dsink_time_vtbl;
extern const IMFClockStateSinkVtbl dsink_time_source_sink_vtbl;

HRESULT dstreamsink_create(struct dsink *sink, DWORD id, IMFMediaType *type, struct dstreamsink **out);
/* Lock held: queue MEStreamSinkRequestSample until request_depth are outstanding. */
void dstreamsink_request(struct dstreamsink *stream);
/* No lock: drain and shut down the stream sink's event queue. */
void dstreamsink_shutdown_queue(struct dstreamsink *stream);
/* Lock held: set the done event when the goal is reached. */
void dsink_check_done(struct dsink *sink);

#endif
