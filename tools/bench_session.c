/*
 * The benchmark's session plumbing: creating either kind of session, one
 * event consumer for both, and the rigs (session + doubles + topology).
 */
#include "bench.h"
#include "common.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

LARGE_INTEGER qpc_freq;

LONGLONG qpc_now(void)
{
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    return now.QuadPart;
}

double qpc_us(LONGLONG ticks)
{
    return (double)ticks * 1e6 / (double)qpc_freq.QuadPart;
}

const char *kind_name(enum bench_kind kind)
{
    return kind == KIND_OURS ? "ours" : "platform";
}

BOOL run_fail(struct bench_run *r, HRESULT hr, const char *fmt, ...)
{
    va_list va;

    if (!r || r->status != BENCH_OK) return FALSE;
    r->status = hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT) ? BENCH_HUNG : BENCH_FAILED;
    r->hr = hr;
    va_start(va, fmt);
    vsnprintf(r->what, sizeof(r->what), fmt, va);
    va_end(va);
    return FALSE;
}

/* ---- sessions ---- */

static IClassFactory *ours_factory;

BOOL bench_load_ours(void)
{
    if (ours_factory) return TRUE;
    return SUCCEEDED(get_class_object(&IID_IClassFactory, (void **)&ours_factory));
}

HRESULT session_create(enum bench_kind kind, IMFMediaSession **out)
{
    *out = NULL;
    if (kind == KIND_PLATFORM) return MFCreateMediaSession(NULL, out);
    if (!ours_factory && !bench_load_ours()) return E_FAIL;
    return IClassFactory_CreateInstance(ours_factory, NULL, &IID_IMFMediaSession, (void **)out);
}

/* ---- the event consumer ---- */

#define RING 256

struct consumer
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    HANDLE signal;              /* auto-reset: something was pushed */
    IMFMediaSession *session;   /* referenced while attached */
    struct consumer_event ring[RING];
    unsigned head, tail;        /* head: next to read; tail: next to write */
    BOOL pending;               /* a BeginGetEvent is outstanding */
    HRESULT error;              /* BeginGetEvent / EndGetEvent failure */
};

static struct consumer *impl_from_callback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct consumer, IMFAsyncCallback_iface);
}

static HRESULT WINAPI consumer_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
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

static ULONG WINAPI consumer_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_callback(iface)->refcount);
}

static ULONG WINAPI consumer_Release(IMFAsyncCallback *iface)
{
    struct consumer *c = impl_from_callback(iface);
    ULONG refcount = InterlockedDecrement(&c->refcount);
    if (!refcount)
    {
        if (c->session) IMFMediaSession_Release(c->session);
        CloseHandle(c->signal);
        DeleteCriticalSection(&c->cs);
        free(c);
    }
    return refcount;
}

static HRESULT WINAPI consumer_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI consumer_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct consumer *c = impl_from_callback(iface);
    struct consumer_event ev = {0};
    IMFMediaSession *session;
    IMFMediaEvent *event = NULL;
    BOOL rearm;
    HRESULT hr;

    EnterCriticalSection(&c->cs);
    session = c->session;
    if (session) IMFMediaSession_AddRef(session);
    LeaveCriticalSection(&c->cs);
    if (!session) return S_OK;

    hr = IMFMediaSession_EndGetEvent(session, result, &event);
    ev.qpc = qpc_now();
    if (SUCCEEDED(hr))
    {
        IMFMediaEvent_GetType(event, &ev.type);
        IMFMediaEvent_GetStatus(event, &ev.status);
        if (ev.type == MESessionTopologyStatus)
            IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &ev.topo_status);
        IMFMediaEvent_Release(event);
    }

    EnterCriticalSection(&c->cs);
    if (FAILED(hr)) c->error = hr;
    else if (c->tail - c->head < RING) c->ring[c->tail++ % RING] = ev;
    /* Re-armed after every event but the last one a session sends. */
    rearm = c->pending = SUCCEEDED(hr) && ev.type != MESessionClosed;
    LeaveCriticalSection(&c->cs);
    if (rearm && FAILED(hr = IMFMediaSession_BeginGetEvent(session, iface, NULL)))
    {
        EnterCriticalSection(&c->cs);
        c->pending = FALSE;
        c->error = hr;
        LeaveCriticalSection(&c->cs);
    }
    SetEvent(c->signal);
    IMFMediaSession_Release(session);
    return S_OK;
}

static const IMFAsyncCallbackVtbl consumer_vtbl =
{
    consumer_QueryInterface, consumer_AddRef, consumer_Release, consumer_GetParameters, consumer_Invoke,
};

struct consumer *consumer_create(void)
{
    struct consumer *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    c->IMFAsyncCallback_iface.lpVtbl = &consumer_vtbl;
    c->refcount = 1;
    InitializeCriticalSection(&c->cs);
    c->signal = CreateEventW(NULL, FALSE, FALSE, NULL);
    return c;
}

HRESULT consumer_attach(struct consumer *c, IMFMediaSession *session)
{
    HRESULT hr;

    EnterCriticalSection(&c->cs);
    c->session = session;
    IMFMediaSession_AddRef(session);
    c->head = c->tail = 0;
    c->error = S_OK;
    c->pending = TRUE;
    LeaveCriticalSection(&c->cs);
    ResetEvent(c->signal);
    if (FAILED(hr = IMFMediaSession_BeginGetEvent(session, &c->IMFAsyncCallback_iface, NULL)))
    {
        EnterCriticalSection(&c->cs);
        c->pending = FALSE;
        LeaveCriticalSection(&c->cs);
    }
    return hr;
}

HRESULT consumer_wait(struct consumer *c, MediaEventType type, UINT32 topo_status, DWORD timeout_ms,
        struct consumer_event *out)
{
    DWORD start = GetTickCount(), elapsed;
    struct consumer_event ev;
    BOOL got;
    HRESULT error;

    for (;;)
    {
        EnterCriticalSection(&c->cs);
        got = c->head != c->tail;
        if (got) ev = c->ring[c->head++ % RING];
        error = c->error;
        LeaveCriticalSection(&c->cs);
        if (got)
        {
            if (ev.type == type && (type != MESessionTopologyStatus || ev.topo_status == topo_status))
            {
                if (out) *out = ev;
                return FAILED(ev.status) ? ev.status : S_OK;
            }
            if (ev.type == MEError || (ev.type == MESessionClosed && type != MESessionClosed))
                return FAILED(ev.status) ? ev.status : MF_E_SHUTDOWN;
            /* A failed command answers with its own event and a failure status. */
            if (FAILED(ev.status) && ev.type != MESessionTopologyStatus)
                return ev.status;
            continue;
        }
        if (FAILED(error)) return error;
        elapsed = GetTickCount() - start;
        if (elapsed >= timeout_ms) return HRESULT_FROM_WIN32(WAIT_TIMEOUT);
        WaitForSingleObject(c->signal, timeout_ms - elapsed);
    }
}

BOOL consumer_idle(struct consumer *c)
{
    BOOL idle;
    EnterCriticalSection(&c->cs);
    idle = !c->pending;
    LeaveCriticalSection(&c->cs);
    return idle;
}

void consumer_detach(struct consumer *c)
{
    IMFMediaSession *session;
    EnterCriticalSection(&c->cs);
    session = c->session;
    c->session = NULL;
    LeaveCriticalSection(&c->cs);
    if (session) IMFMediaSession_Release(session);
}

void consumer_release(struct consumer *c)
{
    if (c) IMFAsyncCallback_Release(&c->IMFAsyncCallback_iface);
}

/* ---- rigs ---- */

static HRESULT build_tee(struct dsource *src, struct dsink *sink, unsigned outputs, IMFTopology **out)
{
    IMFTopologyNode *src_node = NULL, *tee = NULL, *node;
    IMFPresentationDescriptor *pd = NULL;
    IMFStreamDescriptor *sd = NULL;
    IMFTopology *topology = NULL;
    BOOL selected;
    unsigned i;
    HRESULT hr;

    *out = NULL;
    if (FAILED(hr = MFCreateTopology(&topology))) return hr;
    if (FAILED(hr = IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &pd))) goto done;
    if (FAILED(hr = IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, 0, &selected, &sd))) goto done;
    if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &src_node))) goto done;
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_SOURCE, (IUnknown *)dsource_iface(src));
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_TEE_NODE, &tee))) goto done;
    IMFTopology_AddNode(topology, src_node);
    IMFTopology_AddNode(topology, tee);
    IMFTopologyNode_ConnectOutput(src_node, 0, tee, 0);
    for (i = 0; i < outputs; ++i)
    {
        if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_OUTPUT_NODE, &node))) goto done;
        IMFTopologyNode_SetObject(node, (IUnknown *)dsink_stream(sink, i));
        IMFTopology_AddNode(topology, node);
        IMFTopologyNode_ConnectOutput(tee, i, node, 0);
        IMFTopologyNode_Release(node);
    }
    *out = topology;
    topology = NULL;
done:
    if (src_node) IMFTopologyNode_Release(src_node);
    if (tee) IMFTopologyNode_Release(tee);
    if (sd) IMFStreamDescriptor_Release(sd);
    if (pd) IMFPresentationDescriptor_Release(pd);
    if (topology) IMFTopology_Release(topology);
    return hr;
}

BOOL rig_create(struct rig *rig, enum bench_kind kind, const struct rig_desc *d, struct bench_run *r)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    IMFTransform *mfts[DOUBLES_MAX_STREAMS] = {0};
    HRESULT hr;

    memset(rig, 0, sizeof(*rig));
    rig->kind = kind;
    sd.stream_count = d->streams;
    sd.samples_per_stream = d->samples;
    sd.sample_duration = d->sample_duration ? d->sample_duration : 100000;
    sd.sample_bytes = d->sample_bytes ? d->sample_bytes : 4;
    sd.seekable = TRUE;
    sd.can_pause = TRUE;
    sd.eager_end_of_stream = !d->lazy_eos;
    sd.async_samples = d->async_source;
    kd.stream_count = d->shape == SHAPE_TEE ? d->tee_outputs : d->streams;
    kd.rateless = d->rateless;
    kd.request_depth = opt.request_depth;

    if (FAILED(hr = dsource_create(&sd, &rig->src))) return run_fail(r, hr, "dsource_create");
    if (FAILED(hr = dsink_create(&kd, &rig->sink))) return run_fail(r, hr, "dsink_create");
    if (d->shape == SHAPE_TEE)
        hr = build_tee(rig->src, rig->sink, d->tee_outputs, &rig->topology);
    else
    {
        if (d->shape == SHAPE_MFT)
        {
            if (FAILED(hr = dmft_create(DMFT_PASSTHROUGH, &rig->mft))) return run_fail(r, hr, "dmft_create");
            mfts[0] = rig->mft;
        }
        hr = dtopology_build(rig->src, rig->sink, d->shape == SHAPE_MFT ? mfts : NULL, NULL, &rig->topology);
    }
    if (FAILED(hr)) return run_fail(r, hr, "building the topology");

    if (FAILED(hr = session_create(kind, &rig->session))) return run_fail(r, hr, "creating the session");
    if (!(rig->consumer = consumer_create())) return run_fail(r, E_OUTOFMEMORY, "consumer");
    if (FAILED(hr = consumer_attach(rig->consumer, rig->session))) return run_fail(r, hr, "BeginGetEvent");
    /* The topology loaders (ours uses the platform's) do not resolve tee
     * nodes: the tee topology is complete as built and set as is. */
    if (FAILED(hr = IMFMediaSession_SetTopology(rig->session,
            d->shape == SHAPE_TEE ? MFSESSION_SETTOPOLOGY_NORESOLUTION : 0, rig->topology)))
        return run_fail(r, hr, "SetTopology");
    if (FAILED(hr = consumer_wait(rig->consumer, MESessionTopologyStatus, MF_TOPOSTATUS_READY, opt.timeout_ms, NULL)))
        return run_fail(r, hr, "waiting for MF_TOPOSTATUS_READY");
    return TRUE;
}

HRESULT rig_start(struct rig *rig, LONGLONG position)
{
    PROPVARIANT pos;
    PropVariantInit(&pos);
    if (position >= 0)
    {
        pos.vt = VT_I8;
        pos.hVal.QuadPart = position;
    }
    return IMFMediaSession_Start(rig->session, &GUID_NULL, &pos);
}

void rig_destroy(struct rig *rig, struct bench_run *r)
{
    BOOL abandon = FALSE;
    HRESULT hr;

    if (rig->session)
    {
        if (rig->consumer && !consumer_idle(rig->consumer))
        {
            if (FAILED(hr = IMFMediaSession_Close(rig->session)))
                run_fail(r, hr, "Close");
            else if (FAILED(hr = consumer_wait(rig->consumer, MESessionClosed, 0, opt.timeout_ms, NULL)))
            {
                run_fail(r, hr, "waiting for MESessionClosed");
                abandon = hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT);
            }
        }
        if (abandon)
        {
            /* A session that does not close may not shut down either: leave it. */
            rig->session = NULL;
            rig->consumer = NULL;
            InterlockedIncrement(&bench_abandoned);
        }
        else
        {
            IMFMediaSession_Shutdown(rig->session);
        }
    }
    if (rig->consumer)
    {
        consumer_detach(rig->consumer);
        consumer_release(rig->consumer);
    }
    if (rig->session) IMFMediaSession_Release(rig->session);
    if (rig->topology) IMFTopology_Release(rig->topology);
    if (rig->src && !abandon)
    {
        IMFMediaSource_Shutdown(dsource_iface(rig->src));
        dsource_release(rig->src);
    }
    if (rig->sink && !abandon)
    {
        IMFMediaSink_Shutdown(dsink_iface(rig->sink));
        dsink_release(rig->sink);
    }
    if (rig->mft) IMFTransform_Release(rig->mft);
    memset(rig, 0, sizeof(*rig));
}
