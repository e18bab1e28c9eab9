/*
 * Test doubles for mfsession's playback tests and benchmarks: a media source
 * with N streams, a pass-through and a 2:1 transform, a media sink with stream
 * sinks, an IMFActivate wrapping a sink, and a topology builder.
 *
 * They behave like well-behaved Media Foundation components (the event
 * sequences of docs/CONTRACT.md section 5), record the calls they receive in a
 * shared call log, count their references exactly, and fail on demand.
 *
 * Call log entries name the object and the call: "src.Start(0)",
 * "src.Start(current)", "src.Stop", "src.Pause", "src.Shutdown",
 * "src.SetRate(2)", "s0.RequestSample", "mft0.ProcessMessage(FLUSH)",
 * "mft0.ProcessInput(t=0)", "mft0.ProcessOutput(t=0)",
 * "sink.SetPresentationClock", "sink.OnClockStart(0)", "sink.NotifyPreroll(0)",
 * "ss0.ProcessSample(t=100000)", "ss0.PlaceMarker(ENDOFSEGMENT)", "ss0.Flush",
 * "sink.Shutdown", "sink.BeginFinalize", "act.ActivateObject".
 * A call is logged before its fault switch is checked, so calls failed on
 * purpose are logged too.  Not logged: getters, event generator calls (both
 * still fault-switchable), a transform's ProcessInput/ProcessOutput that did
 * not move a sample (failed, MF_E_NOTACCEPTING, NEED_MORE_INPUT) and its
 * SetInputType/SetOutputType that did not set a type (failed, TEST_ONLY).
 */
#ifndef MFSESSION_TEST_DOUBLES_H
#define MFSESSION_TEST_DOUBLES_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include <mftransform.h>

#define DOUBLES_MAX_STREAMS 16

/* ---- call log -------------------------------------------------------------- */

void dlog_clear(void);                          /* also restarts dmft_create's numbering at mft0 */
void dlog_add(const char *fmt, ...);
int  dlog_find(const char *entry, int from);    /* first entry equal to `entry` at or after `from`, -1 if none */
int  dlog_count(const char *prefix);            /* entries starting with prefix */
int  dlog_size(void);                           /* number of entries */
BOOL dlog_entry(int index, char *buf, size_t size); /* copy of one entry */
void dlog_dump(void);                           /* diag() every entry */
void dlog_enable(BOOL enable);                  /* off: dlog_add returns at once, nothing recorded */

/* ---- fault injection ------------------------------------------------------- */

enum dcall
{
    DCALL_SOURCE_CREATE_PD, DCALL_SOURCE_START, DCALL_SOURCE_STOP, DCALL_SOURCE_PAUSE,
    DCALL_SOURCE_GET_CHARACTERISTICS, DCALL_SOURCE_BEGIN_GET_EVENT,
    DCALL_STREAM_REQUEST_SAMPLE, DCALL_STREAM_BEGIN_GET_EVENT,
    DCALL_MFT_PROCESS_INPUT, DCALL_MFT_PROCESS_OUTPUT, DCALL_MFT_PROCESS_MESSAGE,
    DCALL_MFT_SET_INPUT_TYPE, DCALL_MFT_SET_OUTPUT_TYPE,
    DCALL_SINK_GET_STREAM_SINK, DCALL_SINK_SET_CLOCK, DCALL_SINK_GET_CHARACTERISTICS,
    DCALL_SINK_SHUTDOWN, DCALL_SINK_BEGIN_FINALIZE, DCALL_SINK_PREROLL,
    DCALL_STREAMSINK_PROCESS_SAMPLE, DCALL_STREAMSINK_PLACE_MARKER, DCALL_STREAMSINK_FLUSH,
    DCALL_STREAMSINK_GET_MEDIA_TYPE_HANDLER, DCALL_STREAMSINK_BEGIN_GET_EVENT,
    DCALL_CLOCKSINK_ON_START, DCALL_CLOCKSINK_ON_STOP, DCALL_CLOCKSINK_ON_PAUSE,
    DCALL_ACTIVATE_ACTIVATE, DCALL_ACTIVATE_SHUTDOWN,
    /* additions */
    DCALL_SOURCE_SHUTDOWN, DCALL_SOURCE_SET_RATE,          /* IMFMediaSource::Shutdown, IMFRateControl::SetRate */
    DCALL_SINK_ADD_STREAM_SINK, DCALL_SINK_REMOVE_STREAM_SINK,
    DCALL_SINK_END_FINALIZE,                               /* EndFinalize returns the fault */
    DCALL_STREAMSINK_SET_MEDIA_TYPE,                       /* IMFMediaTypeHandler::SetCurrentMediaType */
    DCALL_CLOCKSINK_ON_RESTART, DCALL_CLOCKSINK_ON_SET_RATE,
    DCALL_ACTIVATE_DETACH,
    DCALL_COUNT
};
/* Process-wide for all doubles.  dfault_set(call, hr): every such call fails
 * with hr (S_OK clears).  dfault_fail_nth(n, hr): the n-th switchable call
 * from now (counted across all of them, 1-based, n=1 is the next call) fails
 * with hr, once; dfault_reset() clears everything and zeroes the counter;
 * dfault_calls() = switchable calls counted since the last reset.
 * A failing call returns before doing anything but logging. */
void dfault_set(enum dcall call, HRESULT hr);
void dfault_fail_nth(LONG n, HRESULT hr);
void dfault_reset(void);
LONG dfault_calls(void);
const char *dcall_name(enum dcall call);

/* The media type every double uses: audio PCM, 1 channel, 16-bit, 48 kHz. */
HRESULT dtype_create_pcm(IMFMediaType **type);

/* ---- media source ---------------------------------------------------------- */

struct dsource_desc
{
    unsigned stream_count;          /* 1..16 */
    unsigned samples_per_stream;    /* samples each stream delivers after Start(0) */
    LONGLONG sample_duration;       /* 100 ns units, e.g. 100000 */
    unsigned sample_bytes;          /* buffer size of each sample, e.g. 4 */
    BOOL seekable;                  /* MFMEDIASOURCE_CAN_SEEK */
    BOOL can_pause;                 /* MFMEDIASOURCE_CAN_PAUSE */
    BOOL eager_end_of_stream;       /* MEEndOfStream right after the last MEMediaSample */
    BOOL deselect_stream1;          /* stream 1 deselected in the presentation descriptor */
    BOOL rate_support;              /* IMFGetService(MF_RATE_CONTROL_SERVICE): rates -8..8, thinning */
    BOOL never_answer_start;        /* Start returns S_OK and queues nothing */
    BOOL async_samples;             /* RequestSample returns at once; the answer (MEMediaSample, or the
                                       lazy MEEndOfStream) is queued later from a work item, in request
                                       order, like a source that reads on its own thread */
    const char *name;               /* log prefix; NULL: "src" and streams "s0".. ; else "<name>" and "<name>.s0".. */
    BOOL rate_bounds_notimpl;       /* with rate_support: IMFRateSupport::GetSlowestRate/GetFastestRate return
                                       E_NOTIMPL while IsRateSupported and SetRate still work (Windows' rate tests) */
    BOOL hold_requests;             /* RequestSample is taken and never answered (a stream with nothing to deliver
                                       yet): sinks keep a request outstanding and the presentation never ends */
    BOOL end_when_spoken_for;       /* with async_samples: a request made when the requests kept cover every sample
                                       left returns MF_E_END_OF_STREAM at once, while their answers are still to
                                       come (Wine's WAV source says the end once its last sample is queued); the
                                       answers then come 20 ms after their requests */
};
/* See the implementation notes at the top of dsource.c for the exact events. */
struct dsource;
HRESULT dsource_create(const struct dsource_desc *desc, struct dsource **out);
IMFMediaSource *dsource_iface(struct dsource *s);             /* not AddRef'd */
IMFMediaStream *dsource_stream(struct dsource *s, unsigned i); /* not AddRef'd */
IMFPresentationDescriptor *dsource_pd(struct dsource *s);     /* the source's own PD, not AddRef'd;
                                                                 CreatePresentationDescriptor hands out clones of it */
LONG dsource_refcount(struct dsource *s);
LONG dsource_stream_refcount(struct dsource *s, unsigned i);  /* 1 = only the source's own reference */
unsigned dsource_delivered(struct dsource *s, unsigned stream); /* MEMediaSample events queued, cumulative */
BOOL dsource_is_shut_down(struct dsource *s);
void dsource_release(struct dsource *s);                      /* drops the creator's reference */

/* ---- media sink ------------------------------------------------------------ */

struct dsink_desc
{
    unsigned stream_count;    /* 0..16 stream sinks created with the sink (ids 0..n-1) */
    BOOL rateless;            /* MEDIASINK_RATELESS */
    BOOL fixed_streams;       /* MEDIASINK_FIXED_STREAMS */
    BOOL prerollable;         /* IMFMediaSinkPreroll (+ MEDIASINK_CAN_PREROLL) */
    BOOL finalizable;         /* IMFFinalizableMediaSink */
    BOOL time_source;         /* IMFPresentationTimeSource, backed by a system time source; its
                                 QueryInterface(IMFClockStateSink) gives a separate tear-off that
                                 only runs that time source (stream sinks hear each change once) */
    unsigned request_depth;   /* MEStreamSinkRequestSample kept outstanding per stream sink (0 = 1) */
    BOOL never_request;       /* never sends MEStreamSinkRequestSample */
    unsigned request_limit;   /* > 0: a stream sink requests no more once it received this many samples
                                 (outstanding requests included), so a test controls how far playback goes */
    BOOL keep_samples;        /* record (time, duration) of every sample received */
    BOOL renderer_services;   /* IMFGetService: the MR_* renderer services answer with the sink (IUnknown) */
    BOOL flush_forgets;       /* Flush drops the requests outstanding, and a stream sink asks again only
                                 when the clock starts from stopped (Wine's sample grabber after a seek);
                                 request_limit then counts from the flush */
    unsigned stop_event_delay_ms; /* > 0: MEStreamSinkStopped is queued that long after OnClockStop, from a
                                 scheduled work item (logged "<ss>.Stopped"), as a sink that a clock tells
                                 asynchronously answers */
    const char *name;         /* log prefix; NULL: "sink", stream sinks "ss0".., activate "act";
                                 else "<name>", "<name>.ss0".., "<name>.act" */
};
struct dsink;
HRESULT dsink_create(const struct dsink_desc *desc, struct dsink **out);
IMFMediaSink *dsink_iface(struct dsink *k);                   /* not AddRef'd */
IMFStreamSink *dsink_stream(struct dsink *k, unsigned i);     /* i-th current stream sink, not AddRef'd */
LONG dsink_refcount(struct dsink *k);
LONG dsink_stream_refcount(struct dsink *k, unsigned i);      /* 1 = only the sink's own reference */
unsigned dsink_received(struct dsink *k, unsigned stream);    /* samples received (accepted) */
LONGLONG dsink_sample_time(struct dsink *k, unsigned stream, unsigned index);     /* keep_samples; -1 if none */
LONGLONG dsink_sample_duration(struct dsink *k, unsigned stream, unsigned index); /* keep_samples; -1 if none */
unsigned dsink_markers(struct dsink *k, unsigned stream);     /* ENDOFSEGMENT markers received */
unsigned dsink_unrequested(struct dsink *k, unsigned stream); /* samples accepted with no request outstanding */
unsigned dsink_dropped(struct dsink *k, unsigned stream);     /* samples ignored (S_OK): clock stopped, none requested */
BOOL dsink_is_shut_down(struct dsink *k);
/* Manual-reset event, set once every stream sink got an ENDOFSEGMENT marker,
 * or, after dsink_set_target(k, n) with n > 0, once every stream sink received n samples. */
HANDLE dsink_done_event(struct dsink *k);
void dsink_set_target(struct dsink *k, unsigned samples);
void dsink_reset_counts(struct dsink *k);   /* all counters and kept samples to 0; resets the done event */
void dsink_release(struct dsink *k);

/* An IMFActivate (and IMFAttributes) for a dsink: holds a reference on the
 * sink from creation; ActivateObject hands it out AddRef'd; ShutdownObject
 * shuts the sink down and drops the held reference; DetachObject drops it. */
HRESULT dactivate_create(struct dsink *sink, IMFActivate **out);
LONG dactivate_refcount(IMFActivate *a);

/* ---- transforms ------------------------------------------------------------ */

enum dmft_kind
{
    DMFT_PASSTHROUGH,   /* hands the input sample out unchanged (MFT_OUTPUT_STREAM_PROVIDES_SAMPLES) */
    DMFT_TWO_TO_ONE     /* 2 inputs -> 1 output (caller allocates): first's time, sum of durations,
                           concatenated bytes; after DRAIN a lone last input is output alone */
};
#define DMFT_OUTPUT_BYTES 4096  /* cbSize of the 2:1 output stream */
HRESULT dmft_create(enum dmft_kind kind, IMFTransform **out);     /* logged as "mft<N>", N from 0 per dlog_clear */
HRESULT dmft_create_named(enum dmft_kind kind, const char *name, IMFTransform **out);
LONG dmft_refcount(IMFTransform *t);                              /* -1 if not a dmft */
unsigned dmft_inputs(IMFTransform *t);                            /* samples accepted by ProcessInput */
unsigned dmft_outputs(IMFTransform *t);                           /* samples produced by ProcessOutput */

/* ---- topology -------------------------------------------------------------- */

/* For each stream selected in the source's PD: a source node (MF_TOPONODE_SOURCE,
 * _PRESENTATION_DESCRIPTOR (a clone of dsource_pd, shared by all nodes),
 * _STREAM_DESCRIPTOR) -> [a transform node holding mfts[i] when mfts && mfts[i]] ->
 * an output node holding stream sink i of `sink`, or, when `activate` is set,
 * the activate with MF_TOPONODE_STREAMID = i.  Calls no method of the doubles
 * (nothing is logged or counted by dfault). */
HRESULT dtopology_build(struct dsource *src, struct dsink *sink, IMFTransform **mfts,
        IMFActivate *activate, IMFTopology **out);

/* ---- direct drive ---------------------------------------------------------- */

/* Plays `src` into `sink` without a session (see ddrive.c for the exact
 * sequence): source Start(0) with a system-time-source presentation clock,
 * every MEStreamSinkRequestSample answered by one ProcessSample pulled through
 * mfts[i] (when mfts && mfts[i]), end of stream drained into
 * PlaceMarker(ENDOFSEGMENT); then clock Stop, source Stop, sink and source
 * Shutdown.  Stream i plays into stream sink i.  S_OK when the presentation
 * played to its end; otherwise the first failure's HRESULT
 * (HRESULT_FROM_WIN32(WAIT_TIMEOUT) when stuck) and its description in `error`.
 * A baseline for benchmarks: the doubles' own cost without the session. */
HRESULT ddrive_play(struct dsource *src, struct dsink *sink, IMFTransform **mfts, DWORD timeout_ms,
        char *error, size_t error_size);

/* ---- asynchronous transforms (dmft_async.c) --------------------------------- */

/* MF_TRANSFORM_ASYNC transforms, locked until MF_TRANSFORM_ASYNC_UNLOCK, driven
 * by METransformNeedInput/HaveOutput/DrainComplete/Marker (see dmft_async.c). */
enum dmft_async_kind
{
    DMFT_ASYNC_ONE_TO_ONE,  /* one input asked for at a time; caller-allocated output, a copy of the input */
    DMFT_ASYNC_DECODER      /* decoder-like N:M: two outputs of half the duration per input, from a work
                               item, one input of latency; provides its samples */
};
#define DMFT_ASYNC_OUTPUT_BYTES 1024    /* cbSize of the 1:1 output stream */
#define DMFT_ASYNC_READY_MAX 4          /* outputs waiting for ProcessOutput before it stops asking for input */
struct dmft_async_desc
{
    enum dmft_async_kind kind;
    const char *name;               /* log prefix; NULL: "amft<N>", N shared with dmft_create's numbering */
    BOOL silent;                    /* never raises an event (no input request, output, drain end, marker) */
    HRESULT have_output_status;     /* FAILED: every METransformHaveOutput carries this status */
    HRESULT message_failure;        /* FAILED: ProcessMessage(failing_message) returns it (logged first) */
    MFT_MESSAGE_TYPE failing_message;
};
HRESULT dmft_async_create(const struct dmft_async_desc *desc, IMFTransform **out);
void dmft_async_set_silent(IMFTransform *t, BOOL silent);   /* from now on, raise no event (or again) */
LONG dmft_async_refcount(IMFTransform *t);                  /* -1 if not a dmft_async */
unsigned dmft_async_outputs(IMFTransform *t);               /* samples produced by ProcessOutput */
unsigned dmft_async_locked_calls(IMFTransform *t);          /* calls refused because it was still locked */
BOOL dmft_async_is_shut_down(IMFTransform *t);              /* IMFShutdown::Shutdown was called */

#endif
