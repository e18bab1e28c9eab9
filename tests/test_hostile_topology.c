/*
 * test_hostile: malformed topologies (missing, wrong-typed and dangling
 * pieces, cycles, duplicated ids, incompatible types) and very large ones.
 */
#include "test_hostile.h"

/* ---- malformed topologies ---- */

static const char *malformed_names[M_COUNT] =
{
    "empty topology", "source node without MF_TOPONODE_SOURCE", "MF_TOPONODE_SOURCE holds a non-source",
    "MF_TOPONODE_SOURCE is a UINT32", "no MF_TOPONODE_PRESENTATION_DESCRIPTOR", "PD attribute holds a non-PD",
    "no MF_TOPONODE_STREAM_DESCRIPTOR", "SD attribute holds a non-SD", "unselected stream",
    "stream descriptor of another PD",
    "cycle of transforms (NORESOLUTION)", "dangling transform (no input)", "unconnected output node",
    "output node without object (NORESOLUTION)", "output node without object (resolved)",
    "output node holding a media type (NORESOLUTION)", "output node holding a media type (resolved)",
    "transform node without object", "transform node holding a non-transform",
    "incompatible media types, no converter (resolved)", "duplicated node ids", "activate output with a stream id "
    "a fixed-stream sink lacks", "source node with no downstream node", "two nodes into one input port (MF keeps the last connection)",
};

static IMFTopologyNode *add_node(IMFTopology *topology, MF_TOPOLOGY_TYPE type)
{
    IMFTopologyNode *node = NULL;
    MFCreateTopologyNode(type, &node);
    IMFTopology_AddNode(topology, node);
    return node; /* the caller releases */
}

/* A source node for stream `index` of src, with the PD and SD (or damaged versions). */
static IMFTopologyNode *add_source_node(IMFTopology *topology, struct dsource *src, unsigned index,
        IMFPresentationDescriptor *pd)
{
    IMFTopologyNode *node = add_node(topology, MF_TOPOLOGY_SOURCESTREAM_NODE);
    IMFStreamDescriptor *sd;
    BOOL selected;

    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_SOURCE, (IUnknown *)dsource_iface(src));
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    if (SUCCEEDED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, index, &selected, &sd)))
    {
        IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
        IMFStreamDescriptor_Release(sd);
    }
    return node;
}

static IMFTopologyNode *add_output_node(IMFTopology *topology, IUnknown *object)
{
    IMFTopologyNode *node = add_node(topology, MF_TOPOLOGY_OUTPUT_NODE);
    if (object) IMFTopologyNode_SetObject(node, object);
    return node;
}

static IMFTopologyNode *add_transform_node(IMFTopology *topology, IUnknown *object)
{
    IMFTopologyNode *node = add_node(topology, MF_TOPOLOGY_TRANSFORM_NODE);
    if (object) IMFTopologyNode_SetObject(node, object);
    return node;
}

static IMFMediaType *video_type(void)
{
    IMFMediaType *type = NULL;
    MFCreateMediaType(&type);
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Video);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, &MFVideoFormat_RGB32);
    IMFMediaType_SetUINT64(type, &MF_MT_FRAME_SIZE, ((UINT64)64 << 32) | 48);
    return type;
}

static IMFTopology *build_malformed(struct ctx *c, enum malformed m, DWORD *flags)
{
    IMFTopologyNode *src_node = NULL, *out = NULL, *n1 = NULL, *n2 = NULL, *out2 = NULL;
    IMFPresentationDescriptor *pd = NULL, *pd2 = NULL;
    struct dsource *src, *src2;
    struct dsink *sink;
    IMFTopology *topology;
    IMFStreamDescriptor *sd;
    IMFAttributes *junk;
    IMFMediaType *type;
    IMFTransform *mft1, *mft2;
    BOOL selected;

    *flags = MFSESSION_SETTOPOLOGY_NORESOLUTION;
    src = ctx_source(c, 2, 20, m == M_NOT_SELECTED, NULL);
    sink = ctx_sink(c, 2, TRUE, NULL);
    if (!src || !sink) return NULL;
    MFCreateTopology(&topology);
    ctx_keep(c, topology);
    if (m == M_EMPTY) return topology;
    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &pd);
    MFCreateAttributes(&junk, 1);
    ctx_keep(c, junk);

    src_node = add_source_node(topology, src, m == M_NOT_SELECTED ? 1 : 0, pd);
    out = add_output_node(topology, (IUnknown *)dsink_stream(sink, 0));
    IMFTopologyNode_ConnectOutput(src_node, 0, out, 0);

    switch (m)
    {
    case M_NO_SOURCE: IMFTopologyNode_DeleteItem(src_node, &MF_TOPONODE_SOURCE); break;
    case M_SOURCE_NOT_A_SOURCE: IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_SOURCE, (IUnknown *)junk); break;
    case M_SOURCE_AS_UINT32: IMFTopologyNode_SetUINT32(src_node, &MF_TOPONODE_SOURCE, 1); break;
    case M_NO_PD: IMFTopologyNode_DeleteItem(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR); break;
    case M_PD_NOT_A_PD:
        IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, 0, &selected, &sd);
        IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)sd);
        IMFStreamDescriptor_Release(sd);
        break;
    case M_NO_SD: IMFTopologyNode_DeleteItem(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR); break;
    case M_SD_NOT_AN_SD: IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)pd); break;
    case M_SD_OF_OTHER_PD:
        /* A stream descriptor with an id the PD does not have. */
        type = NULL;
        dtype_create_pcm(&type);
        if (SUCCEEDED(MFCreateStreamDescriptor(77, 1, &type, &sd)))
        {
            IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
            IMFStreamDescriptor_Release(sd);
        }
        if (type) IMFMediaType_Release(type);
        break;
    case M_CYCLE:
        dmft_create(DMFT_PASSTHROUGH, &mft1);
        dmft_create(DMFT_PASSTHROUGH, &mft2);
        ctx_keep(c, mft1);
        ctx_keep(c, mft2);
        n1 = add_transform_node(topology, (IUnknown *)mft1);
        n2 = add_transform_node(topology, (IUnknown *)mft2);
        IMFTopologyNode_ConnectOutput(n1, 0, n2, 0);
        IMFTopologyNode_ConnectOutput(n2, 0, n1, 0);
        break;
    case M_DANGLING_TRANSFORM:
        dmft_create(DMFT_PASSTHROUGH, &mft1);
        ctx_keep(c, mft1);
        n1 = add_transform_node(topology, (IUnknown *)mft1);
        out2 = add_output_node(topology, (IUnknown *)dsink_stream(sink, 1));
        IMFTopologyNode_ConnectOutput(n1, 0, out2, 0);
        break;
    case M_UNCONNECTED_OUTPUT:
        out2 = add_output_node(topology, (IUnknown *)dsink_stream(sink, 1));
        break;
    case M_OUTPUT_NO_OBJECT_RESOLVED:
        *flags = 0;
        /* fall through */
    case M_OUTPUT_NO_OBJECT:
        IMFTopologyNode_SetObject(out, NULL);
        break;
    case M_OUTPUT_WRONG_OBJECT_RESOLVED:
        *flags = 0;
        /* fall through */
    case M_OUTPUT_WRONG_OBJECT:
        dtype_create_pcm(&type);
        IMFTopologyNode_SetObject(out, (IUnknown *)type);
        ctx_keep(c, type);
        break;
    case M_TRANSFORM_NO_OBJECT:
    case M_TRANSFORM_WRONG_OBJECT:
        IMFTopologyNode_DisconnectOutput(src_node, 0);
        n1 = add_transform_node(topology, m == M_TRANSFORM_WRONG_OBJECT ? (IUnknown *)junk : NULL);
        IMFTopologyNode_ConnectOutput(src_node, 0, n1, 0);
        IMFTopologyNode_ConnectOutput(n1, 0, out, 0);
        break;
    case M_INCOMPATIBLE_TYPES:
        /* The node's PD says video; the sink only takes audio; no converter exists. */
        *flags = 0;
        type = video_type();
        if (SUCCEEDED(MFCreateStreamDescriptor(0, 1, &type, &sd)))
        {
            IMFMediaTypeHandler *handler;
            if (SUCCEEDED(IMFStreamDescriptor_GetMediaTypeHandler(sd, &handler)))
            {
                IMFMediaTypeHandler_SetCurrentMediaType(handler, type);
                IMFMediaTypeHandler_Release(handler);
            }
            if (SUCCEEDED(MFCreatePresentationDescriptor(1, &sd, &pd2)))
            {
                IMFPresentationDescriptor_SelectStream(pd2, 0);
                IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd2);
                IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
                IMFPresentationDescriptor_Release(pd2);
            }
            IMFStreamDescriptor_Release(sd);
        }
        IMFMediaType_Release(type);
        /* A sink whose stream sink already holds audio. */
        {
            IMFMediaTypeHandler *handler;
            if (SUCCEEDED(IMFStreamSink_GetMediaTypeHandler(dsink_stream(sink, 0), &handler)))
            {
                dtype_create_pcm(&type);
                IMFMediaTypeHandler_SetCurrentMediaType(handler, type);
                IMFMediaType_Release(type);
                IMFMediaTypeHandler_Release(handler);
            }
        }
        break;
    case M_DUPLICATE_IDS:
        {
            TOPOID id;
            IMFTopologyNode *src1 = add_source_node(topology, src, 1, pd);
            out2 = add_output_node(topology, (IUnknown *)dsink_stream(sink, 1));
            IMFTopologyNode_ConnectOutput(src1, 0, out2, 0);
            IMFTopologyNode_GetTopoNodeID(out, &id);
            IMFTopologyNode_SetTopoNodeID(out2, id);
            IMFTopologyNode_Release(src1);
        }
        break;
    case M_BAD_STREAM_ID:
        {
            struct dsink_desc d = {0};
            struct dsink *fixed = NULL;
            IMFActivate *act = NULL;
            d.stream_count = 1;
            d.fixed_streams = TRUE;
            d.rateless = TRUE;
            d.name = "fixed";
            if (SUCCEEDED(dsink_create(&d, &fixed)))
            {
                c->sinks[c->sink_count++] = fixed;
                dactivate_create(fixed, &act);
                ctx_keep(c, act);
                IMFTopologyNode_SetObject(out, (IUnknown *)act);
                IMFTopologyNode_SetUINT32(out, &MF_TOPONODE_STREAMID, 5);
            }
        }
        break;
    case M_UNCONNECTED_SOURCE:
        n1 = add_source_node(topology, src, 1, pd);
        break;
    case M_TWO_INPUTS_ONE_PORT:
        /* Two source nodes feeding input 0 of the same output node. */
        src2 = ctx_source(c, 1, 20, FALSE, "second");
        if (src2)
        {
            IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src2), &pd2);
            n1 = add_source_node(topology, src2, 0, pd2);
            IMFTopologyNode_ConnectOutput(n1, 0, out, 0);
            IMFPresentationDescriptor_Release(pd2);
        }
        break;
    default:
        break;
    }
    if (src_node) IMFTopologyNode_Release(src_node);
    if (out) IMFTopologyNode_Release(out);
    if (n1) IMFTopologyNode_Release(n1);
    if (n2) IMFTopologyNode_Release(n2);
    if (out2) IMFTopologyNode_Release(out2);
    if (pd) IMFPresentationDescriptor_Release(pd);
    return topology;
}

/* What the contract and docs/DECISIONS.md name; 0: none named (any failure, observed value printed). */
static HRESULT malformed_expected(enum malformed m)
{
    switch (m)
    {
    case M_EMPTY: return E_INVALIDARG;
    case M_NO_SOURCE: case M_SOURCE_NOT_A_SOURCE: case M_SOURCE_AS_UINT32: return MF_E_TOPO_MISSING_SOURCE;
    case M_NO_PD: case M_PD_NOT_A_PD: return MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR;
    case M_NO_SD: case M_SD_NOT_AN_SD: return MF_E_TOPO_MISSING_STREAM_DESCRIPTOR;
    case M_NOT_SELECTED: return MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED;
    default: return 0;
    }
}

/* A topology the session took: it starts and stops, so it did not wedge the session. */
static void start_then_stop(struct ctx *c, const char *name)
{
    HRESULT status = E_FAIL;

    ok_hr(S_OK, start_at(c->session, -1));
    ok(wait_event(c, MESessionStarted, TEST_TIMEOUT, &status), "[%s] Start completes (%#lx)", name,
            (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Stop(c->session));
    ok(wait_event(c, MESessionStopped, TEST_TIMEOUT, &status), "[%s] Stop completes", name);
}

void test_malformed(enum malformed m)
{
    const char *name = malformed_names[m];
    HRESULT hr, expected = malformed_expected(m), status = S_OK;
    IMFTopology *topology;
    struct ctx c;
    DWORD flags;
    BOOL completed;

    if (!ctx_begin(&c, name)) return;
    if (!(topology = build_malformed(&c, m, &flags)))
    {
        ctx_end(&c, TRUE);
        return;
    }
    hr = IMFMediaSession_SetTopology(c.session, flags, topology);
    if (m < M_SYNC_COUNT)
    {
        if (expected)
            ok(hr == expected, "[%s] SetTopology fails synchronously with %#lx, got %#lx", name,
                    (unsigned long)expected, (unsigned long)hr);
        else
            ok(FAILED(hr), "[%s] SetTopology fails synchronously, got %#lx", name, (unsigned long)hr);
        if (SUCCEEDED(hr)) wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status);
    }
    else if (FAILED(hr))
    {
        diag("observed: %s: SetTopology returns %#lx synchronously", name, (unsigned long)hr);
        ok(1, "[%s] refused synchronously (%#lx)", name, (unsigned long)hr);
    }
    else
    {
        completed = wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status);
        ok(completed, "[%s] MESessionTopologySet arrives", name);
        if (m == M_UNCONNECTED_SOURCE || m == M_TWO_INPUTS_ONE_PORT)
        {
            /* A source stream nobody reads may be legal; then the stream is just not played. */
            diag("observed: %s: MESessionTopologySet status %#lx", name, (unsigned long)status);
            if (SUCCEEDED(status))
            {
                start_then_stop(&c, name);
            }
        }
        else
        {
            ok(FAILED(status), "[%s] MESessionTopologySet carries a failure, got %#lx", name, (unsigned long)status);
            diag("observed: %s: MESessionTopologySet status %#lx", name, (unsigned long)status);
            if (SUCCEEDED(status))
            {
                /* It was accepted: at least it must not wedge the session. */
                start_then_stop(&c, name);
            }
        }
    }
    play_valid(&c);
    ctx_end(&c, TRUE);
}

/* ---- large topologies ---- */

void test_long_chain(unsigned length, DWORD flags)
{
    char label[64];
    IMFTopologyNode *prev, *node, *out;
    IMFPresentationDescriptor *pd;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    IMFTransform **mfts;
    HRESULT status = E_FAIL;
    struct ctx c;
    DWORD start;
    unsigned i;

    snprintf(label, sizeof(label), "%u pass-through transforms in a chain (%s)", length,
            flags ? "NORESOLUTION" : "resolved");
    if (!ctx_begin(&c, label)) return;
    dlog_enable(FALSE);
    src = ctx_source(&c, 1, 20, FALSE, NULL);
    sink = ctx_sink(&c, 1, TRUE, NULL);
    MFCreateTopology(&topology);
    ctx_keep(&c, topology);
    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &pd);
    prev = add_source_node(topology, src, 0, pd);
    IMFPresentationDescriptor_Release(pd);
    mfts = calloc(length, sizeof(*mfts));
    for (i = 0; i < length; ++i)
    {
        dmft_create(DMFT_PASSTHROUGH, &mfts[i]);
        node = add_transform_node(topology, (IUnknown *)mfts[i]);
        IMFTopologyNode_ConnectOutput(prev, 0, node, 0);
        IMFTopologyNode_Release(prev);
        prev = node;
    }
    out = add_output_node(topology, (IUnknown *)dsink_stream(sink, 0));
    IMFTopologyNode_ConnectOutput(prev, 0, out, 0);
    IMFTopologyNode_Release(prev);
    IMFTopologyNode_Release(out);

    start = GetTickCount();
    ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, flags, topology));
    ok(wait_event(&c, MESessionTopologySet, 30000, &status), "[%s] MESessionTopologySet arrives", label);
    diag("%s: MESessionTopologySet %#lx after %lu ms", label, (unsigned long)status,
            (unsigned long)(GetTickCount() - start));
    if (SUCCEEDED(status))
    {
        start = GetTickCount();
        ok_hr(S_OK, start_at(c.session, -1));
        ok(wait_event(&c, MESessionEnded, 30000, &status), "[%s] plays to MESessionEnded", label);
        ok(dsink_received(sink, 0) == 20, "[%s] every sample through %u transforms: %u of 20", label, length,
                dsink_received(sink, 0));
        diag("%s: played 20 samples in %lu ms", label, (unsigned long)(GetTickCount() - start));
    }
    else
        ok(0, "[%s] a long chain is a valid topology, got %#lx", label, (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Close(c.session));
    ok(wait_event(&c, MESessionClosed, TEST_TIMEOUT, &status), "[%s] MESessionClosed", label);
    ok_hr(S_OK, IMFMediaSession_Shutdown(c.session));
    event_waiter_destroy(c.w);
    c.w = NULL;
    IMFMediaSession_Release(c.session);
    IUnknown_Release(c.objects[0]);
    c.object_count = 0;
    start = GetTickCount();
    for (i = 0; i < length; ++i)
    {
        while (dmft_refcount(mfts[i]) != 1 && GetTickCount() - start < 2000) Sleep(5);
        if (dmft_refcount(mfts[i]) != 1)
        {
            ok(0, "[%s] transform %u still has %ld references", label, i, dmft_refcount(mfts[i]));
            break;
        }
    }
    for (i = 0; i < length; ++i) IMFTransform_Release(mfts[i]);
    free(mfts);
    while ((dsource_refcount(src) != 1 || dsink_refcount(sink) != 1) && GetTickCount() - start < 2000) Sleep(5);
    ok(dsource_refcount(src) == 1 && dsink_refcount(sink) == 1, "[%s] source and sink released (%ld, %ld)", label,
            dsource_refcount(src), dsink_refcount(sink));
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
    dlog_enable(TRUE);
}

/* Many source streams: 7 sources of 15 streams (105 streams) into 7 sinks. */
void test_many_streams(DWORD flags, unsigned SOURCES, unsigned STREAMS)
{
    enum { SAMPLES = 10, MAXSRC = 16 };
    char label[64], name[16];
    struct dsource *src[MAXSRC];
    struct dsink *sink[MAXSRC];
    IMFTopology *topology;
    HRESULT status = E_FAIL;
    struct ctx c;
    unsigned i, s, short_streams = 0;
    DWORD start;

    snprintf(label, sizeof(label), "%u source streams (%s)", SOURCES * STREAMS, flags ? "NORESOLUTION" : "resolved");
    if (!ctx_begin(&c, label)) return;
    dlog_enable(verbose);
    MFCreateTopology(&topology);
    ctx_keep(&c, topology);
    for (i = 0; i < SOURCES; ++i)
    {
        IMFPresentationDescriptor *pd;
        snprintf(name, sizeof(name), "src%u", i);
        src[i] = ctx_source(&c, STREAMS, SAMPLES, FALSE, _strdup(name));
        snprintf(name, sizeof(name), "sink%u", i);
        sink[i] = ctx_sink(&c, STREAMS, TRUE, _strdup(name));
        if (!src[i] || !sink[i]) return;
        IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src[i]), &pd);
        for (s = 0; s < STREAMS; ++s)
        {
            IMFTopologyNode *node = add_source_node(topology, src[i], s, pd);
            IMFTopologyNode *out = add_output_node(topology, (IUnknown *)dsink_stream(sink[i], s));
            IMFTopologyNode_ConnectOutput(node, 0, out, 0);
            IMFTopologyNode_Release(node);
            IMFTopologyNode_Release(out);
        }
        IMFPresentationDescriptor_Release(pd);
    }
    start = GetTickCount();
    ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, flags, topology));
    ok(wait_event(&c, MESessionTopologySet, 30000, &status) && SUCCEEDED(status),
            "[%s] MESessionTopologySet %#lx after %lu ms", label, (unsigned long)status,
            (unsigned long)(GetTickCount() - start));
    if (SUCCEEDED(status))
    {
        ok_hr(S_OK, start_at(c.session, -1));
        ok(wait_event(&c, MESessionEnded, 10000, &status), "[%s] plays to MESessionEnded", label);
        for (i = 0; i < SOURCES; ++i)
            for (s = 0; s < STREAMS; ++s)
                if (dsink_received(sink[i], s) != SAMPLES) ++short_streams;
        ok(!short_streams, "[%s] every stream got its %u samples (%u short)", label, SAMPLES, short_streams);
        diag("%s: played in %lu ms", label, (unsigned long)(GetTickCount() - start));
        if (short_streams && verbose) dlog_dump();
    }
    ctx_end(&c, TRUE);
    dlog_enable(TRUE);
}
