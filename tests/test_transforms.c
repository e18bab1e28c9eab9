/*
 * Transforms with several inputs or outputs, and a stream change, through the
 * session: a 1-in/2-out splitter, a 2-in/1-out merger, and a pass-through
 * that asks for a new output type once (MF_E_TRANSFORM_STREAM_CHANGE).
 * The transforms are written here, small and synchronous.
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>

#define DUR 100000
#define HELD 64

enum xkind { X_SPLIT, X_MERGE, X_STREAM_CHANGE };

struct xform
{
    IMFTransform IMFTransform_iface;
    LONG refcount;
    enum xkind kind;
    CRITICAL_SECTION cs;
    IMFSample *held[2][HELD];   /* per output: samples ready */
    unsigned count[2];
    unsigned inputs_seen;
    BOOL change_pending, changed;
    LONG set_output_type;
    IMFMediaType *type;
};

static struct xform *impl_from(IMFTransform *iface)
{
    return CONTAINING_RECORD(iface, struct xform, IMFTransform_iface);
}

static unsigned xin(struct xform *x) { return x->kind == X_MERGE ? 2 : 1; }
static unsigned xout(struct xform *x) { return x->kind == X_SPLIT ? 2 : 1; }

static HRESULT WINAPI x_QueryInterface(IMFTransform *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFTransform) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFTransform_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI x_AddRef(IMFTransform *iface) { return InterlockedIncrement(&impl_from(iface)->refcount); }

static ULONG WINAPI x_Release(IMFTransform *iface)
{
    struct xform *x = impl_from(iface);
    ULONG refcount = InterlockedDecrement(&x->refcount);
    unsigned o, i;
    if (!refcount)
    {
        for (o = 0; o < 2; ++o)
            for (i = 0; i < x->count[o]; ++i) IMFSample_Release(x->held[o][i]);
        if (x->type) IMFMediaType_Release(x->type);
        DeleteCriticalSection(&x->cs);
        free(x);
    }
    return refcount;
}

static HRESULT WINAPI x_GetStreamLimits(IMFTransform *iface, DWORD *a, DWORD *b, DWORD *c, DWORD *d)
{
    struct xform *x = impl_from(iface);
    *a = *b = xin(x);
    *c = *d = xout(x);
    return S_OK;
}

static HRESULT WINAPI x_GetStreamCount(IMFTransform *iface, DWORD *inputs, DWORD *outputs)
{
    struct xform *x = impl_from(iface);
    *inputs = xin(x);
    *outputs = xout(x);
    return S_OK;
}

static HRESULT WINAPI x_GetStreamIDs(IMFTransform *iface, DWORD a, DWORD *b, DWORD c, DWORD *d) { return E_NOTIMPL; }

static HRESULT WINAPI x_GetInputStreamInfo(IMFTransform *iface, DWORD id, MFT_INPUT_STREAM_INFO *info)
{
    memset(info, 0, sizeof(*info));
    return S_OK;
}

static HRESULT WINAPI x_GetOutputStreamInfo(IMFTransform *iface, DWORD id, MFT_OUTPUT_STREAM_INFO *info)
{
    memset(info, 0, sizeof(*info));
    info->dwFlags = MFT_OUTPUT_STREAM_PROVIDES_SAMPLES;
    return S_OK;
}

static HRESULT WINAPI x_GetAttributes(IMFTransform *iface, IMFAttributes **a) { return E_NOTIMPL; }
static HRESULT WINAPI x_GetInputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **a) { return E_NOTIMPL; }
static HRESULT WINAPI x_GetOutputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **a) { return E_NOTIMPL; }
static HRESULT WINAPI x_DeleteInputStream(IMFTransform *iface, DWORD id) { return E_NOTIMPL; }
static HRESULT WINAPI x_AddInputStreams(IMFTransform *iface, DWORD n, DWORD *ids) { return E_NOTIMPL; }

static HRESULT WINAPI x_GetInputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    if (index) return MF_E_NO_MORE_TYPES;
    return dtype_create_pcm(type);
}

static HRESULT WINAPI x_GetOutputAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    if (index) return MF_E_NO_MORE_TYPES;
    return dtype_create_pcm(type);
}

static HRESULT WINAPI x_SetInputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags) { return S_OK; }

static HRESULT WINAPI x_SetOutputType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    struct xform *x = impl_from(iface);
    if (!(flags & MFT_SET_TYPE_TEST_ONLY))
    {
        InterlockedIncrement(&x->set_output_type);
        x->change_pending = FALSE;
    }
    return S_OK;
}

static HRESULT WINAPI x_GetInputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type) { return dtype_create_pcm(type); }
static HRESULT WINAPI x_GetOutputCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type) { return dtype_create_pcm(type); }
static HRESULT WINAPI x_GetInputStatus(IMFTransform *iface, DWORD id, DWORD *flags) { *flags = MFT_INPUT_STATUS_ACCEPT_DATA; return S_OK; }
static HRESULT WINAPI x_GetOutputStatus(IMFTransform *iface, DWORD *flags) { return E_NOTIMPL; }
static HRESULT WINAPI x_SetOutputBounds(IMFTransform *iface, LONGLONG a, LONGLONG b) { return E_NOTIMPL; }
static HRESULT WINAPI x_ProcessEvent(IMFTransform *iface, DWORD id, IMFMediaEvent *e) { return E_NOTIMPL; }

static HRESULT WINAPI x_ProcessMessage(IMFTransform *iface, MFT_MESSAGE_TYPE message, ULONG_PTR param)
{
    struct xform *x = impl_from(iface);
    unsigned o, i;
    if (message == MFT_MESSAGE_COMMAND_FLUSH)
    {
        EnterCriticalSection(&x->cs);
        for (o = 0; o < 2; ++o)
        {
            for (i = 0; i < x->count[o]; ++i) IMFSample_Release(x->held[o][i]);
            x->count[o] = 0;
        }
        LeaveCriticalSection(&x->cs);
    }
    return S_OK;
}

static HRESULT WINAPI x_ProcessInput(IMFTransform *iface, DWORD id, IMFSample *sample, DWORD flags)
{
    struct xform *x = impl_from(iface);
    unsigned o;
    HRESULT hr = S_OK;

    EnterCriticalSection(&x->cs);
    for (o = 0; o < xout(x); ++o)
        if (x->count[o] >= HELD) hr = MF_E_NOTACCEPTING;
    if (SUCCEEDED(hr))
    {
        for (o = 0; o < xout(x); ++o)
        {
            x->held[o][x->count[o]++] = sample;
            IMFSample_AddRef(sample);
        }
        if (x->kind == X_STREAM_CHANGE && !x->changed)
        {
            x->changed = TRUE;
            x->change_pending = TRUE;
        }
        x->inputs_seen++;
    }
    LeaveCriticalSection(&x->cs);
    return hr;
}

static HRESULT WINAPI x_ProcessOutput(IMFTransform *iface, DWORD flags, DWORD count, MFT_OUTPUT_DATA_BUFFER *buffers,
        DWORD *status)
{
    struct xform *x = impl_from(iface);
    BOOL any = FALSE;
    unsigned o, i;

    if (count != xout(x)) return E_INVALIDARG;
    EnterCriticalSection(&x->cs);
    if (x->change_pending)
    {
        LeaveCriticalSection(&x->cs);
        buffers[0].dwStatus = MFT_OUTPUT_DATA_BUFFER_FORMAT_CHANGE;
        return MF_E_TRANSFORM_STREAM_CHANGE;
    }
    for (o = 0; o < count; ++o)
    {
        buffers[o].dwStatus = 0;
        if (buffers[o].pSample) { LeaveCriticalSection(&x->cs); return E_INVALIDARG; }
        if (!x->count[o])
        {
            buffers[o].dwStatus = MFT_OUTPUT_DATA_BUFFER_NO_SAMPLE;
            continue;
        }
        buffers[o].pSample = x->held[o][0];
        for (i = 1; i < x->count[o]; ++i) x->held[o][i - 1] = x->held[o][i];
        x->count[o]--;
        any = TRUE;
    }
    LeaveCriticalSection(&x->cs);
    if (!any)
    {
        for (o = 0; o < count; ++o) buffers[o].dwStatus = 0;
        return MF_E_TRANSFORM_NEED_MORE_INPUT;
    }
    *status = 0;
    return S_OK;
}

static const IMFTransformVtbl x_vtbl =
{
    x_QueryInterface, x_AddRef, x_Release, x_GetStreamLimits, x_GetStreamCount, x_GetStreamIDs,
    x_GetInputStreamInfo, x_GetOutputStreamInfo, x_GetAttributes, x_GetInputStreamAttributes,
    x_GetOutputStreamAttributes, x_DeleteInputStream, x_AddInputStreams, x_GetInputAvailableType,
    x_GetOutputAvailableType, x_SetInputType, x_SetOutputType, x_GetInputCurrentType, x_GetOutputCurrentType,
    x_GetInputStatus, x_GetOutputStatus, x_SetOutputBounds, x_ProcessEvent, x_ProcessMessage,
    x_ProcessInput, x_ProcessOutput,
};

static struct xform *xform_create(enum xkind kind)
{
    struct xform *x = calloc(1, sizeof(*x));
    x->IMFTransform_iface.lpVtbl = &x_vtbl;
    x->refcount = 1;
    x->kind = kind;
    InitializeCriticalSection(&x->cs);
    return x;
}

/* ---- topology helpers ---- */

static IMFTopologyNode *add_node(IMFTopology *topology, MF_TOPOLOGY_TYPE type, IUnknown *object)
{
    IMFTopologyNode *node;
    MFCreateTopologyNode(type, &node);
    if (object) IMFTopologyNode_SetObject(node, object);
    IMFTopology_AddNode(topology, node);
    return node;
}

static IMFTopologyNode *add_source_node(IMFTopology *topology, struct dsource *src, IMFPresentationDescriptor *pd,
        DWORD index)
{
    IMFTopologyNode *node = add_node(topology, MF_TOPOLOGY_SOURCESTREAM_NODE, NULL);
    IMFStreamDescriptor *sd;
    BOOL selected;
    IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, index, &selected, &sd);
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_SOURCE, (IUnknown *)dsource_iface(src));
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    IMFStreamDescriptor_Release(sd);
    return node;
}

static struct dsource *make_source(unsigned streams, unsigned samples)
{
    struct dsource_desc desc = {0};
    struct dsource *src = NULL;
    desc.stream_count = streams;
    desc.samples_per_stream = samples;
    desc.sample_duration = DUR;
    desc.sample_bytes = 4;
    desc.seekable = desc.can_pause = TRUE;
    desc.eager_end_of_stream = TRUE;
    dsource_create(&desc, &src);
    return src;
}

static struct dsink *make_sink(unsigned streams)
{
    struct dsink_desc desc = {0};
    struct dsink *sink = NULL;
    desc.stream_count = streams;
    desc.rateless = TRUE;
    desc.keep_samples = TRUE;
    desc.request_depth = 2;
    dsink_create(&desc, &sink);
    return sink;
}

static BOOL play(IMFTopology *topology, const char *label)
{
    IMFMediaSession *session = create_session();
    struct event_waiter *w;
    HRESULT status = E_FAIL;
    PROPVARIANT pos;
    BOOL ended;

    if (!session) return FALSE;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology));
    PropVariantInit(&pos);
    ok_hr(S_OK, IMFMediaSession_Start(session, &GUID_NULL, &pos));
    ok(event_waiter_wait_for(w, MESessionStarted, TEST_TIMEOUT, &status, NULL) && status == S_OK,
            "[2 %s] MESessionStarted S_OK (%#lx)", label, status);
    ended = event_waiter_wait_for(w, MESessionEnded, TEST_TIMEOUT, &status, NULL);
    ok(ended, "[5 %s] the presentation ends", label);
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, NULL, NULL), "[2 %s] closed", label);
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
    return ended;
}

static BOOL times_in_order(struct dsink *sink, unsigned stream, unsigned count)
{
    unsigned i;
    for (i = 0; i < count; ++i)
        if (dsink_sample_time(sink, stream, i) != (LONGLONG)i * DUR) return FALSE;
    return TRUE;
}

static void test_split(void)
{
    struct dsource *src = make_source(1, 40);
    struct dsink *sink = make_sink(2);
    struct xform *x = xform_create(X_SPLIT);
    IMFPresentationDescriptor *pd;
    IMFTopologyNode *s, *t, *o0, *o1;
    IMFTopology *topology;

    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &pd);
    MFCreateTopology(&topology);
    s = add_source_node(topology, src, pd, 0);
    t = add_node(topology, MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)&x->IMFTransform_iface);
    o0 = add_node(topology, MF_TOPOLOGY_OUTPUT_NODE, (IUnknown *)dsink_stream(sink, 0));
    o1 = add_node(topology, MF_TOPOLOGY_OUTPUT_NODE, (IUnknown *)dsink_stream(sink, 1));
    IMFTopologyNode_ConnectOutput(s, 0, t, 0);
    IMFTopologyNode_ConnectOutput(t, 0, o0, 0);
    IMFTopologyNode_ConnectOutput(t, 1, o1, 0);
    play(topology, "1-in/2-out transform");
    ok(dsink_received(sink, 0) == 40 && dsink_received(sink, 1) == 40,
            "[3 1-in/2-out] both outputs deliver every sample: %u %u", dsink_received(sink, 0), dsink_received(sink, 1));
    ok(times_in_order(sink, 0, 40) && times_in_order(sink, 1, 40), "[3 1-in/2-out] in order with their times");
    ok(dsink_markers(sink, 0) == 1 && dsink_markers(sink, 1) == 1, "[5 1-in/2-out] each output ends with a marker");
    IMFTopologyNode_Release(s); IMFTopologyNode_Release(t); IMFTopologyNode_Release(o0); IMFTopologyNode_Release(o1);
    IMFTopology_Release(topology);
    IMFPresentationDescriptor_Release(pd);
    ok(x->refcount == 1, "[2 1-in/2-out] the transform is released, refcount %ld", x->refcount);
    IMFTransform_Release(&x->IMFTransform_iface);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}

static void test_merge(void)
{
    struct dsource *src = make_source(2, 25);
    struct dsink *sink = make_sink(1);
    struct xform *x = xform_create(X_MERGE);
    IMFPresentationDescriptor *pd;
    IMFTopologyNode *s0, *s1, *t, *o;
    IMFTopology *topology;

    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &pd);
    MFCreateTopology(&topology);
    s0 = add_source_node(topology, src, pd, 0);
    s1 = add_source_node(topology, src, pd, 1);
    t = add_node(topology, MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)&x->IMFTransform_iface);
    o = add_node(topology, MF_TOPOLOGY_OUTPUT_NODE, (IUnknown *)dsink_stream(sink, 0));
    IMFTopologyNode_ConnectOutput(s0, 0, t, 0);
    IMFTopologyNode_ConnectOutput(s1, 0, t, 1);
    IMFTopologyNode_ConnectOutput(t, 0, o, 0);
    play(topology, "2-in/1-out transform");
    ok(dsink_received(sink, 0) == 50, "[3 2-in/1-out] the output carries the samples of both inputs: %u of 50",
            dsink_received(sink, 0));
    ok(dsink_markers(sink, 0) == 1, "[5 2-in/1-out] one marker once both inputs ended");
    IMFTopologyNode_Release(s0); IMFTopologyNode_Release(s1); IMFTopologyNode_Release(t); IMFTopologyNode_Release(o);
    IMFTopology_Release(topology);
    IMFPresentationDescriptor_Release(pd);
    ok(x->refcount == 1, "[2 2-in/1-out] the transform is released, refcount %ld", x->refcount);
    IMFTransform_Release(&x->IMFTransform_iface);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}

static void test_stream_change(void)
{
    struct dsource *src = make_source(1, 30);
    struct dsink *sink = make_sink(1);
    struct xform *x = xform_create(X_STREAM_CHANGE);
    IMFTransform *mfts[1] = {&x->IMFTransform_iface};
    IMFTopology *topology;

    dtopology_build(src, sink, mfts, NULL, &topology);
    play(topology, "stream change");
    ok(x->set_output_type >= 1, "[3 stream change] MF_E_TRANSFORM_STREAM_CHANGE: the new output type is set (%ld)",
            x->set_output_type);
    ok(dsink_received(sink, 0) == 30 && times_in_order(sink, 0, 30),
            "[3 stream change] no sample lost across the change: %u of 30", dsink_received(sink, 0));
    IMFTopology_Release(topology);
    ok(x->refcount == 1, "[2 stream change] the transform is released, refcount %ld", x->refcount);
    IMFTransform_Release(&x->IMFTransform_iface);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}

START_TEST(transforms)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    dlog_enable(FALSE);
    test_split();
    test_merge();
    test_stream_change();
    MFShutdown();
    CoUninitialize();
}
