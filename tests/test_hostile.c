/*
 * Hostile and malformed input: NULL pointers, malformed topologies (missing,
 * wrong-typed and dangling pieces, cycles, duplicated ids, incompatible
 * types), very large topologies, Start positions of every PROPVARIANT type,
 * unknown time formats, unknown SetTopology flags, absurd rates.
 *
 * For each: the documented error (synchronously or as the completion
 * event's status, docs/DECISIONS.md), the session still plays a valid
 * topology afterwards, and after Shutdown + Release every double is back to
 * the test's own references.  Where neither the contract nor the decisions
 * name an HRESULT the test asserts a failure and prints what it observed
 * ("observed:" lines, recorded in docs/RELIABILITY.md).
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_DURATION 100000
#define MAX_TRACKED 64

/* ---- a context: one session, the doubles it was given, leak checks ---- */

struct ctx
{
    const char *label;
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *sources[MAX_TRACKED]; unsigned source_count;
    struct dsink *sinks[MAX_TRACKED]; unsigned sink_count;
    IUnknown *objects[MAX_TRACKED]; unsigned object_count;   /* topologies, transforms, activates ... */
    unsigned errors;
};

static struct dsource *ctx_source(struct ctx *c, unsigned streams, unsigned samples, BOOL deselect1, const char *name)
{
    struct dsource_desc d = {0};
    struct dsource *s = NULL;
    d.stream_count = streams;
    d.samples_per_stream = samples;
    d.sample_duration = SAMPLE_DURATION;
    d.sample_bytes = 4;
    d.seekable = d.can_pause = TRUE;
    d.eager_end_of_stream = TRUE;
    d.deselect_stream1 = deselect1;
    d.name = name;
    if (FAILED(dsource_create(&d, &s)) || c->source_count == MAX_TRACKED)
    {
        ok(0, "[%s] creating a source", c->label);
        return NULL;
    }
    c->sources[c->source_count++] = s;
    return s;
}

static struct dsink *ctx_sink(struct ctx *c, unsigned streams, BOOL rateless, const char *name)
{
    struct dsink_desc d = {0};
    struct dsink *k = NULL;
    d.stream_count = streams;
    d.rateless = rateless;
    d.request_depth = 2;
    d.name = name;
    if (FAILED(dsink_create(&d, &k)) || c->sink_count == MAX_TRACKED)
    {
        ok(0, "[%s] creating a sink", c->label);
        return NULL;
    }
    c->sinks[c->sink_count++] = k;
    return k;
}

/* The context keeps the reference; the caller's pointer stays valid. */
static void *ctx_keep(struct ctx *c, void *object)
{
    if (object && c->object_count < MAX_TRACKED) c->objects[c->object_count++] = object;
    return object;
}

static BOOL ctx_begin(struct ctx *c, const char *label)
{
    memset(c, 0, sizeof(*c));
    c->label = label;
    dlog_clear();
    if (!(c->session = create_session())) return FALSE;
    c->w = event_waiter_create((IMFMediaEventGenerator *)c->session);
    return TRUE;
}

/* Next event of `type`, others skipped; FALSE on timeout. */
static BOOL verbose;

static BOOL wait_event(struct ctx *c, MediaEventType type, DWORD timeout, HRESULT *status)
{
    DWORD deadline = GetTickCount() + timeout;
    for (;;)
    {
        DWORD now = GetTickCount(), left = (LONG)(deadline - now) > 0 ? deadline - now : 0;
        IMFMediaEvent *event = NULL;
        MediaEventType got;
        HRESULT hr, st = S_OK;

        if (FAILED(hr = event_waiter_next(c->w, left, &event)) || !event)
        {
            diag("[%s] waiting for %s: %s", c->label, event_name(type), hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT)
                    ? "timed out" : "failed");
            return FALSE;
        }
        IMFMediaEvent_GetType(event, &got);
        IMFMediaEvent_GetStatus(event, &st);
        IMFMediaEvent_Release(event);
        if (verbose) diag("  [%s] %s %#lx", c->label, event_name(got), (unsigned long)st);
        if (got == type)
        {
            if (status) *status = st;
            return TRUE;
        }
    }
}

/* Close (if not closed yet), Shutdown, Release, and nothing left referenced. */
static void ctx_end(struct ctx *c, BOOL close)
{
    DWORD start;
    unsigned i;
    BOOL good;
    HRESULT status;

    if (close)
    {
        ok_hr(S_OK, IMFMediaSession_Close(c->session));
        ok(wait_event(c, MESessionClosed, TEST_TIMEOUT, &status), "[%s] MESessionClosed", c->label);
    }
    ok_hr(S_OK, IMFMediaSession_Shutdown(c->session));
    event_waiter_destroy(c->w);
    IMFMediaSession_Release(c->session);
    start = GetTickCount();
    /* In the order kept: a topology first lets go of what its nodes hold. */
    for (i = 0; i < c->object_count; ++i)
    {
        while (get_refcount(c->objects[i]) != 1 && GetTickCount() - start < 2000) Sleep(5);
        if (get_refcount(c->objects[i]) != 1)
            ok(0, "[%s] object %u (topology, transform, activate or attribute store) still has %lu references "
                    "after Shutdown + Release", c->label, i, get_refcount(c->objects[i]));
        IUnknown_Release(c->objects[i]);
    }
    do
    {
        good = TRUE;
        for (i = 0; i < c->source_count; ++i) if (dsource_refcount(c->sources[i]) != 1) good = FALSE;
        for (i = 0; i < c->sink_count; ++i) if (dsink_refcount(c->sinks[i]) != 1) good = FALSE;
        if (good) break;
        Sleep(5);
    } while (GetTickCount() - start < 2000);
    ok(good, "[%s] every double is back to the test's reference after Shutdown + Release", c->label);
    for (i = 0; i < c->source_count; ++i)
    {
        if (dsource_refcount(c->sources[i]) != 1) diag("  source %u: %ld references", i, dsource_refcount(c->sources[i]));
        IMFMediaSource_Shutdown(dsource_iface(c->sources[i]));
        dsource_release(c->sources[i]);
    }
    for (i = 0; i < c->sink_count; ++i)
    {
        if (dsink_refcount(c->sinks[i]) != 1) diag("  sink %u: %ld references", i, dsink_refcount(c->sinks[i]));
        dsink_release(c->sinks[i]);
    }
}

static HRESULT start_pv(IMFMediaSession *session, const GUID *format, const PROPVARIANT *pos)
{
    return IMFMediaSession_Start(session, format, pos);
}

/* The session is still usable: a valid topology set with IMMEDIATE (it replaces
 * whatever is current instead of queuing behind it) plays to its end. */
static void play_valid(struct ctx *c)
{
    struct dsource *src = ctx_source(c, 1, 5, FALSE, "valid");
    struct dsink *sink = ctx_sink(c, 1, TRUE, "validsink");
    IMFTopology *topology = NULL;
    HRESULT status = E_FAIL;

    if (!src || !sink) return;
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(c, topology);
    ok_hr(S_OK, IMFMediaSession_SetTopology(c->session,
            MFSESSION_SETTOPOLOGY_NORESOLUTION | MFSESSION_SETTOPOLOGY_IMMEDIATE, topology));
    ok(wait_event(c, MESessionTopologySet, TEST_TIMEOUT, &status) && status == S_OK,
            "[%s] afterwards a valid topology is set (%#lx)", c->label, (unsigned long)status);
    ok_hr(S_OK, start_at(c->session, -1));
    ok(wait_event(c, MESessionEnded, TEST_TIMEOUT, &status), "[%s] and plays to MESessionEnded", c->label);
    ok(dsink_received(sink, 0) == 5, "[%s] all 5 samples delivered, got %u", c->label, dsink_received(sink, 0));
}

/* ---- NULL pointers ---- */

static void check_null_pointers(IMFMediaSession *session, const char *when)
{
    IMFRateControl *rate_control = NULL;
    IMFRateSupport *rate_support = NULL;
    IMFGetService *gs = NULL;
    IMFAsyncResult *foreign = NULL;
    IMFMediaEvent *event = (void *)0xdeadbeef;
    float rate;

    diag("NULL pointers %s", when);
    ok_hr(E_POINTER, IMFMediaSession_GetEvent(session, 0, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, NULL));
    ok_hr(E_INVALIDARG, IMFMediaSession_BeginGetEvent(session, NULL, NULL));
    ok_hr(E_POINTER, IMFMediaSession_EndGetEvent(session, NULL, NULL));
    ok(FAILED(IMFMediaSession_EndGetEvent(session, NULL, &event)), "[%s] EndGetEvent(NULL result) fails", when);
    ok(event == NULL, "[%s] EndGetEvent(NULL result) clears the out pointer", when);
    if (SUCCEEDED(MFCreateAsyncResult(NULL, NULL, NULL, &foreign)))
    {
        HRESULT hr = IMFMediaSession_EndGetEvent(session, foreign, &event);
        ok(FAILED(hr), "[%s] EndGetEvent with a result the session did not issue fails: %#lx", when,
                (unsigned long)hr);
        if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
        IMFAsyncResult_Release(foreign);
    }
    ok_hr(E_POINTER, IMFMediaSession_Start(session, &GUID_NULL, NULL));
    ok_hr(E_POINTER, IMFMediaSession_Start(session, NULL, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetClock(session, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetSessionCapabilities(session, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetFullTopology(session, 0, 12345, NULL));
    ok_hr(E_POINTER, IMFMediaSession_QueryInterface(session, &IID_IUnknown, NULL));
    ok_hr(E_POINTER, IMFMediaSession_SetTopology(session, 0, NULL));
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFGetService, (void **)&gs)))
    {
        ok_hr(E_POINTER, IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, NULL));
        IMFGetService_Release(gs);
    }
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&rate_control)))
    {
        ok_hr(E_POINTER, IMFRateControl_GetRate(rate_control, NULL, NULL));
        IMFRateControl_Release(rate_control);
    }
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFRateSupport, (void **)&rate_support)))
    {
        ok_hr(E_POINTER, IMFRateSupport_GetSlowestRate(rate_support, MFRATE_FORWARD, FALSE, NULL));
        ok_hr(E_POINTER, IMFRateSupport_GetFastestRate(rate_support, MFRATE_FORWARD, FALSE, NULL));
        rate = 0.0f;
        (void)rate;
        IMFRateSupport_Release(rate_support);
    }
}

static void test_null_pointers(void)
{
    struct ctx c;
    if (!ctx_begin(&c, "NULL pointers")) return;
    check_null_pointers(c.session, "before Shutdown");
    play_valid(&c);
    ok_hr(S_OK, IMFMediaSession_Close(c.session));
    wait_event(&c, MESessionClosed, TEST_TIMEOUT, NULL);
    check_null_pointers(c.session, "after Close");
    ok_hr(S_OK, IMFMediaSession_Shutdown(c.session));
    check_null_pointers(c.session, "after Shutdown (argument checks come first, contract 1)");
    {
        /* ctx_end without a second Shutdown */
        unsigned i;
        DWORD start = GetTickCount();
        event_waiter_destroy(c.w);
        IMFMediaSession_Release(c.session);
        while (get_refcount(c.objects[0]) != 1 && GetTickCount() - start < 2000) Sleep(5);
        for (i = 0; i < c.object_count; ++i) IUnknown_Release(c.objects[i]);
        while ((dsource_refcount(c.sources[0]) != 1 || dsink_refcount(c.sinks[0]) != 1) && GetTickCount() - start < 2000)
            Sleep(5);
        ok(dsource_refcount(c.sources[0]) == 1 && dsink_refcount(c.sinks[0]) == 1, "[NULL pointers] doubles released");
        IMFMediaSource_Shutdown(dsource_iface(c.sources[0]));
        dsource_release(c.sources[0]);
        dsink_release(c.sinks[0]);
    }
}

/* ---- malformed topologies ---- */

enum malformed
{
    /* synchronous (contract 2: structural checks) */
    M_EMPTY, M_NO_SOURCE, M_SOURCE_NOT_A_SOURCE, M_SOURCE_AS_UINT32, M_NO_PD, M_PD_NOT_A_PD, M_NO_SD, M_SD_NOT_AN_SD,
    M_NOT_SELECTED, M_SD_OF_OTHER_PD,
    M_SYNC_COUNT,
    /* in the completion event */
    M_CYCLE = M_SYNC_COUNT, M_DANGLING_TRANSFORM, M_UNCONNECTED_OUTPUT, M_OUTPUT_NO_OBJECT, M_OUTPUT_NO_OBJECT_RESOLVED,
    M_OUTPUT_WRONG_OBJECT, M_OUTPUT_WRONG_OBJECT_RESOLVED, M_TRANSFORM_NO_OBJECT, M_TRANSFORM_WRONG_OBJECT,
    M_INCOMPATIBLE_TYPES, M_DUPLICATE_IDS, M_BAD_STREAM_ID, M_UNCONNECTED_SOURCE, M_TWO_INPUTS_ONE_PORT,
    M_COUNT
};

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

static void test_malformed(enum malformed m)
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
                ok_hr(S_OK, start_at(c.session, -1));
                ok(wait_event(&c, MESessionStarted, TEST_TIMEOUT, &status), "[%s] Start completes (%#lx)", name,
                        (unsigned long)status);
                ok_hr(S_OK, IMFMediaSession_Stop(c.session));
                ok(wait_event(&c, MESessionStopped, TEST_TIMEOUT, &status), "[%s] Stop completes", name);
            }
        }
        else
        {
            ok(FAILED(status), "[%s] MESessionTopologySet carries a failure, got %#lx", name, (unsigned long)status);
            diag("observed: %s: MESessionTopologySet status %#lx", name, (unsigned long)status);
            if (SUCCEEDED(status))
            {
                /* It was accepted: at least it must not wedge the session. */
                ok_hr(S_OK, start_at(c.session, -1));
                ok(wait_event(&c, MESessionStarted, TEST_TIMEOUT, &status), "[%s] Start completes (%#lx)", name,
                        (unsigned long)status);
                ok_hr(S_OK, IMFMediaSession_Stop(c.session));
                ok(wait_event(&c, MESessionStopped, TEST_TIMEOUT, &status), "[%s] Stop completes", name);
            }
        }
    }
    play_valid(&c);
    ctx_end(&c, TRUE);
}

/* ---- large topologies ---- */

static void test_long_chain(unsigned length, DWORD flags)
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
static void test_many_streams(DWORD flags, unsigned SOURCES, unsigned STREAMS)
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

/* ---- Start arguments ---- */

struct counted_unknown
{
    IUnknown IUnknown_iface;
    LONG refcount;
};

static HRESULT WINAPI cu_QueryInterface(IUnknown *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown)) { *out = iface; IUnknown_AddRef(iface); return S_OK; }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI cu_AddRef(IUnknown *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct counted_unknown, IUnknown_iface)->refcount);
}
static ULONG WINAPI cu_Release(IUnknown *iface)
{
    return InterlockedDecrement(&CONTAINING_RECORD(iface, struct counted_unknown, IUnknown_iface)->refcount);
}
static const IUnknownVtbl cu_vtbl = {cu_QueryInterface, cu_AddRef, cu_Release};

struct position_case
{
    const char *name;
    VARTYPE vt;
    LONGLONG i8;
    double r8;
    HRESULT expected;   /* contract/decisions */
};

static void start_with(struct ctx *c, const struct position_case *pc, const GUID *format, HRESULT expected,
        const char *state, struct counted_unknown *unk)
{
    PROPVARIANT pos;
    HRESULT hr, status = E_FAIL;

    PropVariantInit(&pos);
    pos.vt = pc->vt;
    switch (pc->vt)
    {
    case VT_I8: pos.hVal.QuadPart = pc->i8; break;
    case VT_UI8: pos.uhVal.QuadPart = (ULONGLONG)pc->i8; break;
    case VT_I4: pos.lVal = (LONG)pc->i8; break;
    case VT_R8: pos.dblVal = pc->r8; break;
    case VT_BSTR: pos.bstrVal = SysAllocString(L"10000"); break;
    case VT_UNKNOWN: pos.punkVal = &unk->IUnknown_iface; break;
    case VT_LPWSTR: pos.pwszVal = (WCHAR *)L"0"; break;
    default: break;
    }
    hr = start_pv(c->session, format, &pos);
    if (pc->vt == VT_BSTR) SysFreeString(pos.bstrVal);
    if (FAILED(hr))
    {
        diag("observed: Start(%s) %s: returns %#lx synchronously", pc->name, state, (unsigned long)hr);
        ok(hr == expected, "[Start(%s) %s] refused synchronously with %#lx, expected %#lx in the event", pc->name,
                state, (unsigned long)hr, (unsigned long)expected);
        return;
    }
    ok(wait_event(c, MESessionStarted, TEST_TIMEOUT, &status), "[Start(%s) %s] MESessionStarted arrives", pc->name,
            state);
    ok(status == expected, "[Start(%s) %s] completes with %#lx, got %#lx", pc->name, state, (unsigned long)expected,
            (unsigned long)status);
}

static void test_start_positions(void)
{
    static const GUID unknown_format = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
    /* Long enough that the (unpaced) doubles do not reach the end between the states. */
    const LONGLONG duration = 10000000 * (LONGLONG)SAMPLE_DURATION;
    const struct position_case cases[] =
    {
        /* Negative positions reach the source, whose answer decides (observed on
         * Windows); the double refuses them with MF_E_INVALID_POSITION. */
        {"VT_I8 -1", VT_I8, -1, 0, MF_E_INVALID_POSITION},
        {"VT_I8 INT64_MIN", VT_I8, (LONGLONG)0x8000000000000000ull, 0, MF_E_INVALID_POSITION},
        {"VT_I8 INT64_MAX", VT_I8, 0x7fffffffffffffffll, 0, MF_E_INVALID_POSITION},
        {"VT_I8 duration + 1", VT_I8, duration + 1, 0, MF_E_INVALID_POSITION},
        {"VT_R8 1.0", VT_R8, 0, 1.0, MF_E_INVALIDTYPE},
        {"VT_R8 NaN", VT_R8, 0, NAN, MF_E_INVALIDTYPE},
        {"VT_BSTR", VT_BSTR, 0, 0, MF_E_INVALIDTYPE},
        {"VT_UNKNOWN", VT_UNKNOWN, 0, 0, MF_E_INVALIDTYPE},
        {"VT_I4 0", VT_I4, 0, 0, MF_E_INVALIDTYPE},
        {"VT_UI8 0", VT_UI8, 0, 0, MF_E_INVALIDTYPE},
        {"VT_NULL", VT_NULL, 0, 0, MF_E_INVALIDTYPE},
    };
    static const char *states[] = {"while stopped", "while started (seek)", "while paused"};
    struct counted_unknown unk = {{&cu_vtbl}, 1};
    const struct position_case empty = {"VT_EMPTY", VT_EMPTY, 0, 0, S_OK};
    const struct position_case zero = {"VT_I8 0", VT_I8, 0, 0, S_OK};
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT status = E_FAIL;
    struct ctx c;
    unsigned i, st;

    if (!ctx_begin(&c, "Start positions")) return;
    src = ctx_source(&c, 1, 10000000, FALSE, NULL);
    sink = ctx_sink(&c, 1, FALSE, NULL);
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(&c, topology);
    ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, 0, topology));
    wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status);
    for (st = 0; st < 3; ++st)
    {
        if (st == 1)
        {
            ok_hr(S_OK, start_at(c.session, -1));
            ok(wait_event(&c, MESessionStarted, TEST_TIMEOUT, &status) && status == S_OK, "started");
        }
        if (st == 2)
        {
            ok_hr(S_OK, IMFMediaSession_Pause(c.session));
            ok(wait_event(&c, MESessionPaused, TEST_TIMEOUT, &status) && status == S_OK, "paused");
        }
        for (i = 0; i < ARRAYSIZE(cases); ++i)
        {
            /* A seek the source refuses leaves the presentation stopped (its
             * sources stopped for it): those run while stopped only. */
            if (st && cases[i].vt == VT_I8 && cases[i].i8 < 0) continue;
            start_with(&c, &cases[i], &GUID_NULL, cases[i].expected, states[st], &unk);
            if (st == 2)
            {
                /* Still paused: a Pause is a no-op success, not PAUSEWHILESTOPPED. */
                ok_hr(S_OK, IMFMediaSession_Pause(c.session));
                ok(wait_event(&c, MESessionPaused, TEST_TIMEOUT, &status) && status == S_OK,
                        "[Start(%s) while paused] the session stays paused (%#lx)", cases[i].name,
                        (unsigned long)status);
            }
        }
        start_with(&c, &empty, &unknown_format, MF_E_UNSUPPORTED_TIME_FORMAT, states[st], &unk);
        start_with(&c, &zero, &unknown_format, MF_E_UNSUPPORTED_TIME_FORMAT, states[st], &unk);
        if (st == 0)
        {
            /* Still stopped: Pause from Stopped answers PAUSEWHILESTOPPED. */
            ok_hr(S_OK, IMFMediaSession_Pause(c.session));
            ok(wait_event(&c, MESessionPaused, TEST_TIMEOUT, &status), "Pause after the refused Starts");
            ok(status == MF_E_SESSION_PAUSEWHILESTOPPED, "[refused Starts while stopped] the session stays stopped "
                    "(Pause gives %#lx)", (unsigned long)status);
        }
    }
    ok(unk.refcount == 1, "[Start(VT_UNKNOWN)] the position's object is released again: %ld references", unk.refcount);
    ok_hr(S_OK, IMFMediaSession_Stop(c.session));
    wait_event(&c, MESessionStopped, TEST_TIMEOUT, &status);
    play_valid(&c);
    ctx_end(&c, TRUE);
}

/* ---- flags, rates, ids, services ---- */

static void test_unknown_flags(DWORD flags)
{
    char label[64];
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT hr, status = E_FAIL;
    struct ctx c;

    snprintf(label, sizeof(label), "SetTopology flags %#lx", (unsigned long)flags);
    if (!ctx_begin(&c, label)) return;
    src = ctx_source(&c, 1, 5, FALSE, NULL);
    sink = ctx_sink(&c, 1, TRUE, NULL);
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(&c, topology);
    hr = IMFMediaSession_SetTopology(c.session, flags, topology);
    if (SUCCEEDED(hr))
    {
        ok(wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status), "[%s] MESessionTopologySet arrives", label);
        diag("observed: %s: SetTopology S_OK, MESessionTopologySet %#lx (unknown bits %s)", label,
                (unsigned long)status, SUCCEEDED(status) ? "ignored" : "refused");
    }
    else
        diag("observed: %s: SetTopology returns %#lx synchronously", label, (unsigned long)hr);
    ok(hr == S_OK || hr == E_INVALIDARG, "[%s] ignored or E_INVALIDARG, got %#lx", label, (unsigned long)hr);
    play_valid(&c);
    ctx_end(&c, TRUE);
}

static void test_absurd_rates(void)
{
    static const float rates[] = {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 1e-30f};
    static const char *names[] = {"NaN", "+INF", "-INF", "1e30", "-1e30", "1e-30"};
    IMFRateControl *control;
    IMFRateSupport *support;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT hr, status;
    struct ctx c;
    unsigned i, pass;
    float rate, nearest;
    BOOL thin;

    if (!ctx_begin(&c, "absurd rates")) return;
    IMFMediaSession_QueryInterface(c.session, &IID_IMFRateControl, (void **)&control);
    IMFMediaSession_QueryInterface(c.session, &IID_IMFRateSupport, (void **)&support);
    for (pass = 0; pass < 2; ++pass)
    {
        const char *when = pass ? "with a topology" : "without a topology";
        if (pass == 1)
        {
            src = ctx_source(&c, 1, 5, FALSE, NULL);
            sink = ctx_sink(&c, 1, FALSE, NULL);
            dtopology_build(src, sink, NULL, NULL, &topology);
            ctx_keep(&c, topology);
            ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, 0, topology));
            wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status);
        }
        for (i = 0; i < ARRAYSIZE(rates); ++i)
        {
            /* Without a topology Windows takes any rate (test_media_session_rate_control):
             * only the non-finite ones are refused, as bad input. */
            BOOL taken = pass == 0 && isfinite(rates[i]);
            status = S_OK;
            hr = IMFRateControl_SetRate(control, FALSE, rates[i]);
            if (SUCCEEDED(hr))
            {
                ok(wait_event(&c, MESessionRateChanged, TEST_TIMEOUT, &status), "[SetRate(%s) %s] completes",
                        names[i], when);
                if (taken)
                    ok(status == S_OK, "[SetRate(%s) %s] taken, got %#lx", names[i], when, (unsigned long)status);
                else
                    ok(FAILED(status), "[SetRate(%s) %s] refused (MF_E_UNSUPPORTED_RATE expected), got %#lx", names[i],
                            when, (unsigned long)status);
                if (FAILED(status) && status != MF_E_UNSUPPORTED_RATE)
                    diag("observed: SetRate(%s) %s: %#lx", names[i], when, (unsigned long)status);
            }
            else
                diag("observed: SetRate(%s) %s: returns %#lx synchronously", names[i], when, (unsigned long)hr);
            rate = 0.0f;
            IMFRateControl_GetRate(control, &thin, &rate);
            if (taken)
                ok(rate == rates[i], "[SetRate(%s) %s] the rate in force is %s, got %g", names[i], when, names[i], rate);
            else
                ok(rate == 1.0f, "[SetRate(%s) %s] the rate in force stays 1.0, got %f", names[i], when, rate);
            if (rate != 1.0f) IMFRateControl_SetRate(control, FALSE, 1.0f), wait_event(&c, MESessionRateChanged,
                    TEST_TIMEOUT, &status);
            hr = IMFRateSupport_IsRateSupported(support, FALSE, rates[i], &nearest);
            ok(FAILED(hr), "[IsRateSupported(%s) %s] not supported, got %#lx", names[i], when, (unsigned long)hr);
        }
    }
    IMFRateControl_Release(control);
    IMFRateSupport_Release(support);
    play_valid(&c);
    ctx_end(&c, TRUE);
}

static void test_odd_queries(void)
{
    static const GUID unknown = {0x87654321, 0x4321, 0x8765, {8, 7, 6, 5, 4, 3, 2, 1}};
    IMFTopology *topology = (void *)0xdeadbeef;
    IMFGetService *gs;
    IUnknown *unk = (void *)0xdeadbeef;
    struct ctx c;
    HRESULT hr;

    if (!ctx_begin(&c, "odd queries")) return;
    ok_hr(MF_E_INVALIDREQUEST, IMFMediaSession_GetFullTopology(c.session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology));
    ok(topology == NULL, "GetFullTopology clears the out pointer on failure");
    ok_hr(MF_E_NOT_FOUND, IMFMediaSession_GetFullTopology(c.session, 0, 0xfeedfacecafeull, &topology));
    ok_hr(MF_E_NOT_FOUND, IMFMediaSession_GetFullTopology(c.session, 0, 0, &topology));
    ok_hr(MF_E_INVALIDREQUEST, IMFMediaSession_GetFullTopology(c.session, 0xffffffff, 0, &topology));
    if (SUCCEEDED(IMFMediaSession_QueryInterface(c.session, &IID_IMFGetService, (void **)&gs)))
    {
        hr = IMFGetService_GetService(gs, &unknown, &IID_IUnknown, (void **)&unk);
        ok(hr == MF_E_UNSUPPORTED_SERVICE || hr == E_NOINTERFACE, "unknown service: %#lx", (unsigned long)hr);
        hr = IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &unknown, (void **)&unk);
        ok(hr == E_NOINTERFACE, "rate service with an unknown interface: %#lx", (unsigned long)hr);
        IMFGetService_Release(gs);
    }
    ok_hr(E_NOINTERFACE, IMFMediaSession_QueryInterface(c.session, &unknown, (void **)&unk));
    ok(unk == NULL, "QueryInterface clears the out pointer");
    ok_hr(MF_E_NO_EVENTS_AVAILABLE, IMFMediaSession_GetEvent(c.session, MF_EVENT_FLAG_NO_WAIT, (IMFMediaEvent **)&unk));
    /* ClearTopologies and SetTopology(CLEAR_CURRENT, NULL) with nothing set. */
    ok_hr(S_OK, IMFMediaSession_ClearTopologies(c.session));
    ok(wait_event(&c, MESessionTopologiesCleared, TEST_TIMEOUT, NULL), "ClearTopologies with nothing queued completes");
    ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL));
    ok(wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, NULL), "SetTopology(CLEAR_CURRENT, NULL) with nothing completes");
    play_valid(&c);
    ctx_end(&c, TRUE);
}

/* The same topology object set again and again (queued behind itself). */
static void test_same_topology_twice(void)
{
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT status = E_FAIL;
    struct ctx c;
    unsigned i;

    if (!ctx_begin(&c, "the same topology set three times")) return;
    src = ctx_source(&c, 1, 5, FALSE, NULL);
    sink = ctx_sink(&c, 1, TRUE, NULL);
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(&c, topology);
    for (i = 0; i < 3; ++i)
    {
        ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology));
        ok(wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status), "[same topology] set %u: %#lx", i,
                (unsigned long)status);
    }
    ok_hr(S_OK, start_at(c.session, -1));
    ok(wait_event(&c, MESessionStarted, TEST_TIMEOUT, &status), "[same topology] Start completes: %#lx",
            (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Stop(c.session));
    ok(wait_event(&c, MESessionStopped, TEST_TIMEOUT, &status), "[same topology] Stop completes");
    play_valid(&c);
    ctx_end(&c, TRUE);
}

START_TEST(hostile)
{
    unsigned m;
    char env[16];
    BOOL long_mode = GetEnvironmentVariableA("MFSESSION_LONG", env, sizeof(env)) && env[0] != '0';

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    verbose = GetEnvironmentVariableA("MFSESSION_VERBOSE", env, sizeof(env)) && env[0] != '0';
    if (GetEnvironmentVariableA("MFSESSION_STREAMS", env, sizeof(env)))
    {
        test_many_streams(MFSESSION_SETTOPOLOGY_NORESOLUTION, atoi(env), atoi(strchr(env, 'x') + 1));
        goto done;
    }
    if (GetEnvironmentVariableA("MFSESSION_CASE", env, sizeof(env)))
    {
        test_malformed(atoi(env));
        goto done;
    }
    test_null_pointers();
    for (m = 0; m < M_COUNT; ++m) test_malformed(m);
    test_long_chain(300, MFSESSION_SETTOPOLOGY_NORESOLUTION);
    test_long_chain(long_mode ? 300 : 50, 0);
    test_start_positions();
    test_unknown_flags(0x80);
    test_unknown_flags(0x80000000);
    test_absurd_rates();
    test_odd_queries();
    test_same_topology_twice();
    test_many_streams(MFSESSION_SETTOPOLOGY_NORESOLUTION, 7, 15);
    if (GetEnvironmentVariableA("MFSESSION_WINE_CRASHERS", env, sizeof(env)))
        test_many_streams(0, 7, 15); /* see docs/RELIABILITY.md: crashes in Wine's CloneFrom with borrowed nodes */
done:
    MFShutdown();
    CoUninitialize();
}
