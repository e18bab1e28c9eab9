/*
 * The direct-drive limit: the same test source stream and stream sink as the
 * one-stream throughput workload, driven with no session at all.
 *
 *   poll:      one thread; GetEvent(MF_EVENT_FLAG_NO_WAIT) on the stream sink
 *              and the stream; MEStreamSinkRequestSample -> RequestSample,
 *              MEMediaSample -> ProcessSample.  The doubles queue their events
 *              synchronously, so this never waits: it is the components' own
 *              cost (event objects, samples, their locks) and nothing else.
 *   poll_async: the same thread, the source answering from a work item
 *              (dsource async_samples, lazy end of stream): the components'
 *              cost plus the source's own work item per sample.
 *   callbacks: BeginGetEvent callbacks on the stream and the stream sink, each
 *              re-armed after it handled its event: the same two work-queue
 *              hops per sample that any asynchronous client (a session) has.
 *   ddrive:    the doubles' own ddrive_play (polling, Sleep(1) when idle;
 *              its time includes its teardown).
 *
 * Each times source Start (VT_I8 0) to the end-of-segment marker coming back,
 * like a session's Start -> MESessionEnded.
 *
 * Also here: the costs of the primitives a sample's trip is made of, for the
 * profile.
 */
#include "bench.h"
#include <propvarutil.h>
#include <stdio.h>
#include <stdlib.h>

struct direct
{
    struct dsource *src;
    struct dsink *sink;
    IMFPresentationClock *clock;
    IMFPresentationTimeSource *time_source;
    IMFPresentationDescriptor *pd;
    IMFMediaStream *stream;
    IMFStreamSink *stream_sink;
};

/* async: the source answers every RequestSample from a work item, with a lazy
 * end of stream (as tp_async_lazy); else at once, with an eager one (as tp_1stream). */
static BOOL direct_setup(struct direct *d, unsigned samples, BOOL async, struct bench_run *r)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    HRESULT hr;

    memset(d, 0, sizeof(*d));
    sd.stream_count = 1;
    sd.samples_per_stream = samples;
    sd.sample_duration = 100000;
    sd.sample_bytes = 4;
    sd.seekable = TRUE;
    sd.can_pause = TRUE;
    sd.eager_end_of_stream = !async;
    sd.async_samples = async;
    kd.stream_count = 1;
    kd.rateless = TRUE;
    kd.request_depth = opt.request_depth;
    if (FAILED(hr = dsource_create(&sd, &d->src))) return run_fail(r, hr, "dsource_create");
    if (FAILED(hr = dsink_create(&kd, &d->sink))) return run_fail(r, hr, "dsink_create");
    /* Referenced: a callback still pending after a failure may touch them after the teardown. */
    d->stream = dsource_stream(d->src, 0);
    IMFMediaStream_AddRef(d->stream);
    d->stream_sink = dsink_stream(d->sink, 0);
    IMFStreamSink_AddRef(d->stream_sink);
    if (FAILED(hr = MFCreatePresentationClock(&d->clock))) return run_fail(r, hr, "MFCreatePresentationClock");
    if (FAILED(hr = MFCreateSystemTimeSource(&d->time_source))) return run_fail(r, hr, "MFCreateSystemTimeSource");
    if (FAILED(hr = IMFPresentationClock_SetTimeSource(d->clock, d->time_source))) return run_fail(r, hr, "SetTimeSource");
    if (FAILED(hr = IMFMediaSink_SetPresentationClock(dsink_iface(d->sink), d->clock)))
        return run_fail(r, hr, "SetPresentationClock");
    if (FAILED(hr = IMFMediaSource_CreatePresentationDescriptor(dsource_iface(d->src), &d->pd)))
        return run_fail(r, hr, "CreatePresentationDescriptor");
    return TRUE;
}

/* Source Start(0) and its MESourceStarted, then the clock: the sink starts asking. */
static BOOL direct_start(struct direct *d, struct bench_run *r)
{
    IMFMediaEvent *event;
    MediaEventType type;
    DWORD start = GetTickCount();
    PROPVARIANT pos;
    HRESULT hr;

    PropVariantInit(&pos);
    pos.vt = VT_I8;
    pos.hVal.QuadPart = 0;
    if (FAILED(hr = IMFMediaSource_Start(dsource_iface(d->src), d->pd, NULL, &pos)))
        return run_fail(r, hr, "source Start");
    for (;;)
    {
        if (SUCCEEDED(IMFMediaSource_GetEvent(dsource_iface(d->src), MF_EVENT_FLAG_NO_WAIT, &event)))
        {
            IMFMediaEvent_GetType(event, &type);
            IMFMediaEvent_Release(event);
            if (type == MESourceStarted) break;
            continue;
        }
        if (GetTickCount() - start > opt.timeout_ms)
            return run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "waiting for MESourceStarted");
        SwitchToThread();
    }
    if (FAILED(hr = IMFPresentationClock_Start(d->clock, 0))) return run_fail(r, hr, "clock Start");
    return TRUE;
}

static void direct_teardown(struct direct *d)
{
    IMFMediaEvent *event;

    if (d->clock) IMFPresentationClock_Stop(d->clock);
    if (d->src)
    {
        IMFMediaSource_Stop(dsource_iface(d->src));
        while (SUCCEEDED(IMFMediaSource_GetEvent(dsource_iface(d->src), MF_EVENT_FLAG_NO_WAIT, &event)))
            IMFMediaEvent_Release(event);
    }
    if (d->sink) IMFMediaSink_Shutdown(dsink_iface(d->sink));
    if (d->src) IMFMediaSource_Shutdown(dsource_iface(d->src));
    if (d->pd) IMFPresentationDescriptor_Release(d->pd);
    if (d->clock) IMFPresentationClock_Release(d->clock);
    if (d->time_source) IMFPresentationTimeSource_Release(d->time_source);
    if (d->src) dsource_release(d->src);
    if (d->sink) dsink_release(d->sink);
    d->src = NULL;
    d->sink = NULL;
    d->pd = NULL;
    d->clock = NULL;
    d->time_source = NULL;
}

/* Last: a callback may still hold the stream and the stream sink. */
static void direct_release_streams(struct direct *d)
{
    if (d->stream) IMFMediaStream_Release(d->stream);
    if (d->stream_sink) IMFStreamSink_Release(d->stream_sink);
    d->stream = NULL;
    d->stream_sink = NULL;
}

/* MEMediaSample's sample into the stream sink. */
static HRESULT deliver(IMFStreamSink *stream_sink, IMFMediaEvent *event)
{
    IMFSample *sample;
    PROPVARIANT value;
    HRESULT hr;

    PropVariantInit(&value);
    if (FAILED(hr = IMFMediaEvent_GetValue(event, &value))) return hr;
    if (value.vt == VT_UNKNOWN && value.punkVal
            && SUCCEEDED(hr = IUnknown_QueryInterface(value.punkVal, &IID_IMFSample, (void **)&sample)))
    {
        hr = IMFStreamSink_ProcessSample(stream_sink, sample);
        IMFSample_Release(sample);
    }
    PropVariantClear(&value);
    return hr;
}

static HRESULT place_marker(IMFStreamSink *stream_sink)
{
    PROPVARIANT empty;
    PropVariantInit(&empty);
    return IMFStreamSink_PlaceMarker(stream_sink, MFSTREAMSINK_MARKER_ENDOFSEGMENT, NULL, &empty);
}

static void direct_poll(struct bench_run *r, BOOL async)
{
    BOOL eos = FALSE, done = FALSE, any;
    IMFMediaEvent *event;
    MediaEventType type;
    struct direct d;
    DWORD start;
    LONGLONG t0;
    HRESULT hr;

    double ws0, ws1, pu;

    if (!direct_setup(&d, opt.samples, async, r)) goto out;
    memory_now(&ws0, &pu);
    t0 = qpc_now();
    if (!direct_start(&d, r)) goto out;
    start = GetTickCount();
    while (!done)
    {
        any = FALSE;
        while (SUCCEEDED(IMFStreamSink_GetEvent(d.stream_sink, MF_EVENT_FLAG_NO_WAIT, &event)))
        {
            IMFMediaEvent_GetType(event, &type);
            IMFMediaEvent_Release(event);
            any = TRUE;
            if (type == MEStreamSinkRequestSample && !eos)
            {
                /* Eager end of stream: the source may have ended before we saw it. */
                if (FAILED(hr = IMFMediaStream_RequestSample(d.stream, NULL)) && hr != MF_E_END_OF_STREAM)
                {
                    run_fail(r, hr, "RequestSample");
                    goto out;
                }
            }
            else if (type == MEStreamSinkMarker)
                done = TRUE;
        }
        while (SUCCEEDED(IMFMediaStream_GetEvent(d.stream, MF_EVENT_FLAG_NO_WAIT, &event)))
        {
            IMFMediaEvent_GetType(event, &type);
            any = TRUE;
            if (type == MEMediaSample) hr = deliver(d.stream_sink, event);
            else if (type == MEEndOfStream)
            {
                eos = TRUE;
                hr = place_marker(d.stream_sink);
            }
            else hr = S_OK;
            IMFMediaEvent_Release(event);
            if (FAILED(hr))
            {
                run_fail(r, hr, type == MEMediaSample ? "ProcessSample" : "PlaceMarker");
                goto out;
            }
        }
        if (!any)
        {
            if (GetTickCount() - start > opt.play_timeout_ms)
            {
                run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "direct drive (poll) stalled");
                goto out;
            }
            SwitchToThread();
        }
    }
    r->values[0] = opt.samples / (qpc_us(qpc_now() - t0) / 1e6);
    r->values[1] = qpc_us(qpc_now() - t0) / opt.samples;
    memory_now(&ws1, &pu);
    r->values[2] = (ws1 - ws0) / opt.samples;
    if (dsink_received(d.sink, 0) != opt.samples)
        run_fail(r, E_FAIL, "direct drive (poll): %u of %u samples", dsink_received(d.sink, 0), opt.samples);
out:
    direct_teardown(&d);
    direct_release_streams(&d);
}

void wl_direct_poll(struct bench_run *r)
{
    direct_poll(r, FALSE);
}

/* The same polling thread with a source answering from a work item: the
 * limit for tp_async_lazy (the source's work item per sample, no other hop). */
void wl_direct_poll_async(struct bench_run *r)
{
    direct_poll(r, TRUE);
}

/* ---- callbacks ---- */

struct direct_cb;

struct dcallback
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    struct direct_cb *owner;
    BOOL sink;      /* the stream sink's events, else the stream's */
};

struct direct_cb
{
    struct direct d;
    struct dcallback stream_cb, sink_cb;
    LONG refcount;              /* the creator and every callback reference */
    volatile LONG eos;
    HANDLE done;
    HRESULT hr;
};

static void direct_cb_release(struct direct_cb *o)
{
    if (InterlockedDecrement(&o->refcount)) return;
    direct_release_streams(&o->d);
    CloseHandle(o->done);
    free(o);
}

static struct dcallback *impl_from_dcallback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct dcallback, IMFAsyncCallback_iface);
}

static HRESULT WINAPI dcb_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
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

static ULONG WINAPI dcb_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_dcallback(iface)->owner->refcount);
}

static ULONG WINAPI dcb_Release(IMFAsyncCallback *iface)
{
    direct_cb_release(impl_from_dcallback(iface)->owner);
    return 1;
}

static HRESULT WINAPI dcb_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static void dcb_fail(struct direct_cb *o, HRESULT hr)
{
    if (SUCCEEDED(o->hr)) o->hr = hr;
    SetEvent(o->done);
}

static HRESULT WINAPI dcb_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct dcallback *cb = impl_from_dcallback(iface);
    struct direct_cb *o = cb->owner;
    IMFMediaEvent *event = NULL;
    MediaEventType type;
    BOOL rearm = TRUE;
    HRESULT hr;

    if (cb->sink)
    {
        if (FAILED(hr = IMFStreamSink_EndGetEvent(o->d.stream_sink, result, &event)))
        {
            dcb_fail(o, hr);
            return S_OK;
        }
        IMFMediaEvent_GetType(event, &type);
        if (type == MEStreamSinkRequestSample && !o->eos)
        {
            /* A request racing the stream's MEEndOfStream is answered MF_E_END_OF_STREAM. */
            if (FAILED(hr = IMFMediaStream_RequestSample(o->d.stream, NULL)) && hr != MF_E_END_OF_STREAM)
                dcb_fail(o, hr);
        }
        else if (type == MEStreamSinkMarker)
        {
            rearm = FALSE;
            SetEvent(o->done);
        }
        IMFMediaEvent_Release(event);
        if (rearm && FAILED(hr = IMFStreamSink_BeginGetEvent(o->d.stream_sink, iface, NULL))) dcb_fail(o, hr);
    }
    else
    {
        if (FAILED(hr = IMFMediaStream_EndGetEvent(o->d.stream, result, &event)))
        {
            dcb_fail(o, hr);
            return S_OK;
        }
        IMFMediaEvent_GetType(event, &type);
        hr = S_OK;
        if (type == MEMediaSample) hr = deliver(o->d.stream_sink, event);
        else if (type == MEEndOfStream)
        {
            InterlockedExchange(&o->eos, 1);
            hr = place_marker(o->d.stream_sink);
            rearm = FALSE;
        }
        IMFMediaEvent_Release(event);
        if (FAILED(hr)) dcb_fail(o, hr);
        else if (rearm && FAILED(hr = IMFMediaStream_BeginGetEvent(o->d.stream, iface, NULL))) dcb_fail(o, hr);
    }
    return S_OK;
}

static const IMFAsyncCallbackVtbl dcb_vtbl =
{
    dcb_QueryInterface, dcb_AddRef, dcb_Release, dcb_GetParameters, dcb_Invoke,
};

void wl_direct_callbacks(struct bench_run *r)
{
    struct direct_cb *o = calloc(1, sizeof(*o));
    double ws0 = 0, ws1, pu;
    LONGLONG t0, t1;
    HRESULT hr;

    o->refcount = 1;
    o->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    o->stream_cb.IMFAsyncCallback_iface.lpVtbl = &dcb_vtbl;
    o->stream_cb.owner = o;
    o->sink_cb.IMFAsyncCallback_iface.lpVtbl = &dcb_vtbl;
    o->sink_cb.owner = o;
    o->sink_cb.sink = TRUE;

    if (!direct_setup(&o->d, opt.samples, FALSE, r)) goto out;
    memory_now(&ws0, &pu);
    t0 = qpc_now();
    /* The stream exists from creation: subscribe before anything is queued. */
    if (FAILED(hr = IMFMediaStream_BeginGetEvent(o->d.stream, &o->stream_cb.IMFAsyncCallback_iface, NULL))
            || FAILED(hr = IMFStreamSink_BeginGetEvent(o->d.stream_sink, &o->sink_cb.IMFAsyncCallback_iface, NULL)))
    {
        run_fail(r, hr, "BeginGetEvent");
        goto out;
    }
    if (!direct_start(&o->d, r)) goto out;
    if (WaitForSingleObject(o->done, opt.play_timeout_ms) != WAIT_OBJECT_0)
    {
        run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "direct drive (callbacks) stalled");
        goto out;
    }
    t1 = qpc_now();
    if (FAILED(o->hr)) run_fail(r, o->hr, "direct drive (callbacks)");
    else if (dsink_received(o->d.sink, 0) != opt.samples)
        run_fail(r, E_FAIL, "direct drive (callbacks): %u of %u samples", dsink_received(o->d.sink, 0), opt.samples);
    else
    {
        r->values[0] = opt.samples / (qpc_us(t1 - t0) / 1e6);
        r->values[1] = qpc_us(t1 - t0) / opt.samples;
        memory_now(&ws1, &pu);
        r->values[2] = (ws1 - ws0) / opt.samples;
    }
out:
    /* Shutting the queues down drops any subscription still pending (and its reference). */
    direct_teardown(&o->d);
    direct_cb_release(o);
}

void wl_direct_ddrive(struct bench_run *r)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dsource *src = NULL;
    struct dsink *sink = NULL;
    char error[256];
    LONGLONG t0, t1;
    HRESULT hr;

    sd.stream_count = 1;
    sd.samples_per_stream = opt.samples;
    sd.sample_duration = 100000;
    sd.sample_bytes = 4;
    sd.seekable = TRUE;
    sd.can_pause = TRUE;
    sd.eager_end_of_stream = TRUE;
    kd.stream_count = 1;
    kd.rateless = TRUE;
    kd.request_depth = opt.request_depth;
    if (FAILED(hr = dsource_create(&sd, &src)) || FAILED(hr = dsink_create(&kd, &sink)))
    {
        run_fail(r, hr, "creating the doubles");
        goto out;
    }
    t0 = qpc_now();
    hr = ddrive_play(src, sink, NULL, opt.play_timeout_ms, error, sizeof(error));
    t1 = qpc_now();
    if (FAILED(hr)) run_fail(r, hr, "ddrive_play: %s", error);
    else
    {
        r->values[0] = opt.samples / (qpc_us(t1 - t0) / 1e6);
        r->values[1] = qpc_us(t1 - t0) / opt.samples;
    }
out:
    if (src) dsource_release(src);
    if (sink) dsink_release(sink);
}

/* ---- primitives ---- */

struct chain
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    IMFMediaEventQueue *queue;  /* event-queue chain; NULL: work-item chain */
    LONG remaining;
    HANDLE done;
};

static struct chain *impl_from_chain(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct chain, IMFAsyncCallback_iface);
}

static ULONG WINAPI chain_AddRef(IMFAsyncCallback *iface) { return 2; }
static ULONG WINAPI chain_Release(IMFAsyncCallback *iface) { return 1; }

static HRESULT WINAPI chain_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct chain *c = impl_from_chain(iface);
    IMFMediaEvent *event;

    if (c->queue && SUCCEEDED(IMFMediaEventQueue_EndGetEvent(c->queue, result, &event)))
        IMFMediaEvent_Release(event);
    if (--c->remaining <= 0)
    {
        SetEvent(c->done);
        return S_OK;
    }
    if (c->queue)
    {
        IMFMediaEventQueue_BeginGetEvent(c->queue, iface, NULL);
        IMFMediaEventQueue_QueueEventParamVar(c->queue, MEMediaSample, &GUID_NULL, S_OK, NULL);
    }
    else
        MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, iface, NULL);
    return S_OK;
}

static const IMFAsyncCallbackVtbl chain_vtbl =
{
    dcb_QueryInterface, chain_AddRef, chain_Release, dcb_GetParameters, chain_Invoke,
};

/* Microseconds per hop of a chain of n work items / events, each posted by the previous one. */
static double chain_run(BOOL events, LONG n)
{
    /* Static: the work queue releases the callback after its last Invoke returned. */
    static struct chain chains[2];
    struct chain *cp = &chains[!!events];
    LONGLONG t0;
    double us = -1;
#define c (*cp)

    c.IMFAsyncCallback_iface.lpVtbl = &chain_vtbl;
    c.queue = NULL;
    c.remaining = n;
    c.done = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (events) MFCreateEventQueue(&c.queue);
    t0 = qpc_now();
    if (events)
    {
        IMFMediaEventQueue_BeginGetEvent(c.queue, &c.IMFAsyncCallback_iface, NULL);
        IMFMediaEventQueue_QueueEventParamVar(c.queue, MEMediaSample, &GUID_NULL, S_OK, NULL);
    }
    else
        MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &c.IMFAsyncCallback_iface, NULL);
    if (WaitForSingleObject(c.done, 30000) == WAIT_OBJECT_0) us = qpc_us(qpc_now() - t0) / n;
    if (c.queue)
    {
        IMFMediaEventQueue_Shutdown(c.queue);
        IMFMediaEventQueue_Release(c.queue);
    }
    /* Left open: the last Invoke may still be returning. */
    return us;
#undef c
}

/* Two threads passing a turn back and forth through auto-reset events. */
static HANDLE pingpong_events[2];
static LONG pingpong_n;

static DWORD WINAPI pingpong_thread(void *arg)
{
    LONG i;
    for (i = 0; i < pingpong_n; ++i)
    {
        if (WaitForSingleObject(pingpong_events[0], 10000) != WAIT_OBJECT_0) break;
        SetEvent(pingpong_events[1]);
    }
    return 0;
}

static double pingpong(LONG n)
{
    HANDLE thread;
    LONGLONG t0;
    double us;
    LONG i;

    pingpong_n = n;
    pingpong_events[0] = CreateEventW(NULL, FALSE, FALSE, NULL);
    pingpong_events[1] = CreateEventW(NULL, FALSE, FALSE, NULL);
    thread = CreateThread(NULL, 0, pingpong_thread, NULL, 0, NULL);
    t0 = qpc_now();
    for (i = 0; i < n; ++i)
    {
        SetEvent(pingpong_events[0]);
        if (WaitForSingleObject(pingpong_events[1], 10000) != WAIT_OBJECT_0) break;
    }
    us = qpc_us(qpc_now() - t0) / (2.0 * n);
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
    CloseHandle(pingpong_events[0]);
    CloseHandle(pingpong_events[1]);
    return us;
}

#define TIME_LOOP(n, body) __extension__ ({ LONGLONG t0_ = qpc_now(); LONG i_; \
        for (i_ = 0; i_ < (n); ++i_) { body; } qpc_us(qpc_now() - t0_) / (n); })

static void * volatile sink_ptr;

unsigned measure_primitives(struct primitive *out, unsigned max)
{
    unsigned count = 0;
    IMFMediaEventQueue *queue;
    IMFMediaEvent *event;
    IMFAttributes *attributes;
    IMFMediaBuffer *buffer;
    IMFSample *sample;
    CRITICAL_SECTION cs;
    HANDLE handle;
    void *p;

#define ADD(i, l, v) do { if (count < max) { out[count].id = i; out[count].label = l; out[count].us = (v); ++count; } } while (0)

    ADD("work_item_hop", "MFPutWorkItem hop (chained, standard queue)", chain_run(FALSE, 20000));
    ADD("event_queue_hop", "event queue hop: QueueEvent -> BeginGetEvent callback (chained)", chain_run(TRUE, 20000));
    ADD("thread_pingpong", "cross-thread wake: SetEvent -> WaitForSingleObject on another thread (one way)",
            pingpong(5000));
    handle = CreateEventW(NULL, FALSE, FALSE, NULL);
    ADD("set_wait_event", "SetEvent + WaitForSingleObject, same thread (wineserver round trips)",
            TIME_LOOP(20000, { SetEvent(handle); WaitForSingleObject(handle, 0); }));
    CloseHandle(handle);
    MFCreateEventQueue(&queue);
    ADD("queue_get_nowait", "QueueEventParamVar + GetEvent(NO_WAIT), same thread",
            TIME_LOOP(100000, { IMFMediaEventQueue_QueueEventParamVar(queue, MEMediaSample, &GUID_NULL, S_OK, NULL);
                if (SUCCEEDED(IMFMediaEventQueue_GetEvent(queue, MF_EVENT_FLAG_NO_WAIT, &event)))
                    IMFMediaEvent_Release(event); }));
    IMFMediaEventQueue_Shutdown(queue);
    IMFMediaEventQueue_Release(queue);
    ADD("media_event", "MFCreateMediaEvent + Release",
            TIME_LOOP(100000, { if (SUCCEEDED(MFCreateMediaEvent(MEMediaSample, &GUID_NULL, S_OK, NULL, &event)))
                IMFMediaEvent_Release(event); }));
    ADD("attributes", "MFCreateAttributes + SetUINT32 + Release",
            TIME_LOOP(100000, { if (SUCCEEDED(MFCreateAttributes(&attributes, 1))) {
                IMFAttributes_SetUINT32(attributes, &MF_EVENT_TOPOLOGY_STATUS, 1); IMFAttributes_Release(attributes); } }));
    ADD("sample_alloc", "MFCreateSample + MFCreateMemoryBuffer(4) + AddBuffer + Release (the source's per sample)",
            TIME_LOOP(100000, { if (SUCCEEDED(MFCreateSample(&sample))) {
                if (SUCCEEDED(MFCreateMemoryBuffer(4, &buffer))) { IMFSample_AddBuffer(sample, buffer);
                    IMFMediaBuffer_Release(buffer); }
                IMFSample_Release(sample); } }));
    ADD("calloc_free", "calloc(1, 32) + free (msvcrt)", TIME_LOOP(1000000, { p = calloc(1, 32); sink_ptr = p; free(p); }));
    InitializeCriticalSection(&cs);
    ADD("critical_section", "EnterCriticalSection + LeaveCriticalSection, uncontended",
            TIME_LOOP(1000000, { EnterCriticalSection(&cs); sink_ptr = &cs; LeaveCriticalSection(&cs); }));
    {
        SRWLOCK lock = SRWLOCK_INIT;
        ADD("srw_lock", "AcquireSRWLockExclusive + Release, uncontended",
                TIME_LOOP(1000000, { AcquireSRWLockExclusive(&lock); sink_ptr = &lock; ReleaseSRWLockExclusive(&lock); }));
    }
    DeleteCriticalSection(&cs);
    ADD("qpc", "QueryPerformanceCounter", TIME_LOOP(1000000, { qpc_now(); }));
#undef ADD
    return count;
}
