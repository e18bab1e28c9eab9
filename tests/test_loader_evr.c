/*
 * test_loader_evr: our loader with the platform's EVR (a window under Xvfb).
 *
 * Windows (Wine's test_topology_loader_evr): a source feeding the EVR's
 * stream sink directly gets the sample copier between them (three nodes,
 * the copier's MFT_SUPPORT_DYNAMIC_FORMAT_CHANGE set).  And the real files:
 * bars.avi (raw I420) and bars.mp4 (I420 from Wine 8's MP4 source, perhaps
 * H.264 from Wine 10's) must resolve into the EVR, every connection's type
 * complete (a frame size) and the last one taken by the EVR's handler.
 * Both are then set on our session (test_set); that they play and show the
 * bars is test_video's (the "evr" area).
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "test_loader_rig.h"
#include "doubles.h"
#include "media.h"

static const GUID test_MF_TOPOLOGY_DXVA_MODE =
        {0x1e8d34f6, 0xf5ab, 0x4e23, {0xbb, 0x88, 0x87, 0x4a, 0xa3, 0xa1, 0xa7, 0x4d}};
/* What our loader names the copier's class when the copier names none (docs/LOADER.md). */
static const GUID test_CLSID_MFSessionSampleCopier =
        {0xb5346462, 0x4e56, 0x4572, {0xa7, 0x82, 0xe7, 0xf3, 0x0f, 0xd4, 0x1e, 0xed}};

static IMFTopoLoader *loader;

struct evr
{
    HWND window;
    IMFActivate *activate;
    IMFMediaSink *sink;
    IMFStreamSink *stream;
};

static BOOL evr_create(struct evr *e)
{
    HRESULT hr;

    memset(e, 0, sizeof(*e));
    if (!(e->window = CreateWindowA("STATIC", "test_loader_evr", WS_OVERLAPPEDWINDOW, 0, 0, 320, 240,
            NULL, NULL, NULL, NULL)))
    {
        skip("no window (no X server?)");
        return FALSE;
    }
    ok_hr(S_OK, MFCreateVideoRendererActivate(e->window, &e->activate));
    if (FAILED(hr = IMFActivate_ActivateObject(e->activate, &IID_IMFMediaSink, (void **)&e->sink)))
    {
        skip("no EVR (%#lx)", (unsigned long)hr);
        IMFActivate_Release(e->activate);
        DestroyWindow(e->window);
        return FALSE;
    }
    ok_hr(S_OK, IMFMediaSink_GetStreamSinkById(e->sink, 0, &e->stream));
    return e->stream != NULL;
}

static void evr_destroy(struct evr *e)
{
    if (e->stream) IMFStreamSink_Release(e->stream);
    IMFActivate_ShutdownObject(e->activate);
    IMFActivate_Release(e->activate);
    IMFMediaSink_Release(e->sink);
    DestroyWindow(e->window);
}

/* Windows' case: RGB32 640x480, the EVR's type set to it, MF_CONNECT_DIRECT. */
static void test_copier(void)
{
    IMFTopologyNode *src, *out, *node;
    IMFTopology *topology, *result;
    IMFMediaTypeHandler *handler;
    IMFAttributes *attributes;
    IMFTransform *copier;
    IMFTopoLoader *platform;
    IMFMediaType *rgb32;
    MF_TOPOLOGY_TYPE kind;
    GUID clsid, own;
    struct evr e;
    UINT32 value;
    UINT64 start;
    WORD count = 0, i;
    char shape[512];
    HRESULT hr;

    if (!evr_create(&e)) return;
    rgb32 = rig_video(&MFVideoFormat_RGB32, 640, 480);
    IMFMediaType_SetUINT32(rgb32, &MF_MT_ALL_SAMPLES_INDEPENDENT, 1);
    IMFStreamSink_GetMediaTypeHandler(e.stream, &handler);
    ok_hr(S_OK, IMFMediaTypeHandler_SetCurrentMediaType(handler, rgb32));
    IMFMediaTypeHandler_Release(handler);
    src = rig_source_node(&rgb32, 1, rgb32);
    topology = rig_pair(src, e.stream, MF_CONNECT_DIRECT, &out);

    ok_hr(S_OK, IMFTopoLoader_Load(loader, topology, &result, NULL));
    if (result) IMFTopology_GetNodeCount(result, &count);
    rig_shape(result, shape, sizeof(shape));
    ok(count == 3, "source -> copier -> EVR: 3 nodes, got %u (%s)", count, shape);
    for (i = 0; result && i < count; ++i)
    {
        IMFTopology_GetNode(result, i, &node);
        IMFTopologyNode_GetNodeType(node, &kind);
        if (kind == MF_TOPOLOGY_TRANSFORM_NODE)
        {
            IUnknown *object;
            IMFTopologyNode_GetObject(node, &object);
            IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&copier);
            IUnknown_Release(object);
            value = 0;
            ok_hr(S_OK, IMFTransform_GetAttributes(copier, &attributes));
            IMFAttributes_GetUINT32(attributes, &MFT_SUPPORT_DYNAMIC_FORMAT_CHANGE, &value);
            ok(value == 1, "the copier supports dynamic format changes (%u)", value);
            /* Inserted, so named: the class the copier gives, else mfsession's name for it. */
            clsid = GUID_NULL;
            if (FAILED(IMFAttributes_GetGUID(attributes, &MFT_TRANSFORM_CLSID_Attribute, &own)))
                own = test_CLSID_MFSessionSampleCopier;
            ok_hr(S_OK, IMFTopologyNode_GetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, &clsid));
            ok(IsEqualGUID(&clsid, &own), "the copier node's MF_TOPONODE_TRANSFORM_OBJECTID (%08lx)",
                    (unsigned long)clsid.Data1);
            IMFAttributes_Release(attributes);
            IMFTransform_Release(copier);
        }
        else if (kind == MF_TOPOLOGY_OUTPUT_NODE)
        {
            value = 1;
            ok_hr(S_OK, IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_STREAMID, &value));
            ok(value == 0, "stream id 0");
        }
        else
        {
            start = 1;
            ok_hr(S_OK, IMFTopologyNode_GetUINT64(node, &MF_TOPONODE_MEDIASTART, &start));
            ok(start == 0, "media start 0");
        }
        IMFTopologyNode_Release(node);
    }
    if (result) IMFTopology_Release(result);

    /* What this platform's loader does with it (Wine 8 leaves the copier out). */
    MFCreateTopoLoader(&platform);
    hr = IMFTopoLoader_Load(platform, topology, &result, NULL);
    count = 0;
    if (SUCCEEDED(hr))
    {
        IMFTopology_GetNodeCount(result, &count);
        IMFTopology_Release(result);
    }
    diag("the platform's loader: %#lx, %u nodes", (unsigned long)hr, count);
    IMFTopoLoader_Release(platform);

    /* With MFTOPOLOGY_DXVA_NONE (1) no copier. */
    IMFTopology_SetUINT32(topology, &test_MF_TOPOLOGY_DXVA_MODE, 1);
    ok_hr(S_OK, IMFTopoLoader_Load(loader, topology, &result, NULL));
    count = 0;
    if (result) IMFTopology_GetNodeCount(result, &count);
    ok(count == 2, "MFTOPOLOGY_DXVA_NONE: no copier, %u nodes", count);
    if (result) IMFTopology_Release(result);

    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFMediaType_Release(rgb32);
    evr_destroy(&e);
}

/* Every connection of a resolved topology carries a frame size; the EVR takes the last. */
static void check_types(IMFTopology *topology, IMFStreamSink *stream, const char *what)
{
    IMFTopologyNode *out, *up;
    IMFMediaTypeHandler *handler;
    IMFTransform *mft;
    IMFMediaType *type = NULL;
    MF_TOPOLOGY_TYPE kind;
    IUnknown *object;
    UINT64 frame = 0;
    DWORD index;
    TOPOID id;
    WORD count, i;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count; ++i)
    {
        IMFTopology_GetNode(topology, i, &out);
        IMFTopologyNode_GetNodeType(out, &kind);
        if (kind == MF_TOPOLOGY_OUTPUT_NODE && SUCCEEDED(IMFTopologyNode_GetInput(out, 0, &up, &index)))
        {
            IMFTopologyNode_GetNodeType(up, &kind);
            IMFTopologyNode_GetTopoNodeID(up, &id);
            if (kind == MF_TOPOLOGY_TRANSFORM_NODE && SUCCEEDED(IMFTopologyNode_GetObject(up, &object)))
            {
                IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&mft);
                IUnknown_Release(object);
                if (FAILED(IMFTransform_GetOutputCurrentType(mft, index, &type))) type = NULL;
                IMFTransform_Release(mft);
            }
            ok(type != NULL, "%s: the EVR is fed by a transform with its output type set", what);
            if (type)
            {
                ok_hr(S_OK, IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &frame));
                ok(frame >> 32 && (UINT32)frame, "%s: a frame size (%ux%u)", what, (unsigned)(frame >> 32),
                        (unsigned)frame);
                IMFStreamSink_GetMediaTypeHandler(stream, &handler);
                ok_hr(S_OK, IMFMediaTypeHandler_IsMediaTypeSupported(handler, type, NULL));
                IMFMediaTypeHandler_Release(handler);
                IMFMediaType_Release(type);
            }
            IMFTopologyNode_Release(up);
        }
        IMFTopologyNode_Release(out);
    }
}

/* What the EVR's stream sink answers (recorded: the loader works from it). */
static void evr_probe(struct evr *e)
{
    static const GUID *const subtypes[] = {&MFVideoFormat_I420, &MFVideoFormat_NV12, &MFVideoFormat_YUY2,
            &MFVideoFormat_RGB32, &MFVideoFormat_ARGB32};
    IMFMediaTypeHandler *handler;
    IMFMediaType *type;
    DWORD count = 0;
    unsigned i;
    HRESULT hr;

    IMFStreamSink_GetMediaTypeHandler(e->stream, &handler);
    hr = IMFMediaTypeHandler_GetCurrentMediaType(handler, &type);
    if (SUCCEEDED(hr)) IMFMediaType_Release(type);
    diag("EVR stream: GetCurrentMediaType %#lx, GetMediaTypeCount %#lx (%lu)", (unsigned long)hr,
            (unsigned long)IMFMediaTypeHandler_GetMediaTypeCount(handler, &count), (unsigned long)count);
    for (i = 0; i < ARRAYSIZE(subtypes); ++i)
    {
        type = rig_video(subtypes[i], 320, 240);
        hr = IMFMediaTypeHandler_IsMediaTypeSupported(handler, type, NULL);
        IMFMediaType_SetUINT64(type, &MF_MT_FRAME_RATE, ((UINT64)25 << 32) | 1);
        IMFMediaType_SetUINT64(type, &MF_MT_PIXEL_ASPECT_RATIO, ((UINT64)1 << 32) | 1);
        IMFMediaType_SetUINT32(type, &MF_MT_INTERLACE_MODE, MFVideoInterlace_Progressive);
        diag("EVR stream: %08lx 320x240 %#lx; with rate, aspect, interlace %#lx", (unsigned long)subtypes[i]->Data1,
                (unsigned long)hr, (unsigned long)IMFMediaTypeHandler_IsMediaTypeSupported(handler, type, NULL));
        IMFMediaType_SetUINT32(type, &MF_MT_ALL_SAMPLES_INDEPENDENT, 1);
        diag("  + all samples independent %#lx", (unsigned long)IMFMediaTypeHandler_IsMediaTypeSupported(handler, type, NULL));
        IMFMediaType_SetUINT64(type, &MF_MT_FRAME_SIZE, ((UINT64)640 << 32) | 480);
        diag("  + 640x480 %#lx", (unsigned long)IMFMediaTypeHandler_IsMediaTypeSupported(handler, type, NULL));
        IMFMediaType_Release(type);
    }
    IMFMediaTypeHandler_Release(handler);
}

/* Opens a file of the shared media folder with the platform's source, the
 * first video stream alone selected: its index and first type's subtype,
 * or ~0u (after a skip) when the file or a video stream is not there. */
static DWORD open_video(const WCHAR *name, IMFMediaSource **source, IMFPresentationDescriptor **pd, GUID *subtype)
{
    IMFMediaTypeHandler *handler;
    IMFStreamDescriptor *sd;
    IMFMediaType *type;
    WCHAR path[MAX_PATH];
    char dir[MAX_PATH];
    DWORD count, i, video = ~0u;
    BOOL selected;
    GUID major;
    HRESULT hr;

    *source = NULL;
    *pd = NULL;
    if (!GetEnvironmentVariableA("MFSESSION_MEDIA_DIR", dir, sizeof(dir)))
    {
        skip("MFSESSION_MEDIA_DIR is not set (tools/run-tests.sh sets it with make_media)");
        return ~0u;
    }
    swprintf(path, ARRAYSIZE(path), L"%hs/%ls", dir, name);
    if (FAILED(hr = open_source(path, source)))
    {
        skip("%ls cannot be opened (%#lx)", name, (unsigned long)hr);
        *source = NULL;
        return ~0u;
    }
    IMFMediaSource_CreatePresentationDescriptor(*source, pd);
    IMFPresentationDescriptor_GetStreamDescriptorCount(*pd, &count);
    for (i = 0; i < count; ++i)
    {
        IMFPresentationDescriptor_GetStreamDescriptorByIndex(*pd, i, &selected, &sd);
        IMFStreamDescriptor_GetMediaTypeHandler(sd, &handler);
        if (video == ~0u && SUCCEEDED(IMFMediaTypeHandler_GetMajorType(handler, &major))
                && IsEqualGUID(&major, &MFMediaType_Video)
                && SUCCEEDED(IMFMediaTypeHandler_GetMediaTypeByIndex(handler, 0, &type)))
        {
            IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, subtype);
            IMFMediaType_Release(type);
            IMFPresentationDescriptor_SelectStream(*pd, i);
            video = i;
        }
        else
            IMFPresentationDescriptor_DeselectStream(*pd, i);
        IMFMediaTypeHandler_Release(handler);
        IMFStreamDescriptor_Release(sd);
    }
    ok(video != ~0u, "%ls has a video stream", name);
    return video;
}

static void close_video(IMFMediaSource *source, IMFPresentationDescriptor *pd)
{
    if (pd) IMFPresentationDescriptor_Release(pd);
    if (!source) return;
    IMFMediaSource_Shutdown(source);
    IMFMediaSource_Release(source);
}

/* The first video stream of a file into the EVR, by our loader (and the platform's, recorded). */
static void file_case(const WCHAR *name)
{
    IMFTopologyNode *src_node, *out;
    IMFPresentationDescriptor *pd;
    IMFStreamDescriptor *sd = NULL;
    IMFTopology *topology, *result;
    IMFTopoLoader *platform;
    IMFMediaSource *source;
    GUID subtype = GUID_NULL;
    char shape[1024], what[64];
    BOOL selected;
    DWORD video;
    struct evr e;
    HRESULT hr;

    snprintf(what, sizeof(what), "%ls", name);
    if ((video = open_video(name, &source, &pd, &subtype)) != ~0u)
        IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, video, &selected, &sd);
    if (sd && evr_create(&e))
    {
        evr_probe(&e);
        MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &src_node);
        IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_SOURCE, (IUnknown *)source);
        IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
        IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
        topology = rig_pair(src_node, e.stream, -1, &out);

        MFCreateTopoLoader(&platform);
        hr = IMFTopoLoader_Load(platform, topology, &result, NULL);
        rig_shape(SUCCEEDED(hr) ? result : NULL, shape, sizeof(shape));
        if (SUCCEEDED(hr)) IMFTopology_Release(result);
        diag("%s (video %08lx) into the EVR, the platform's loader: %#lx %s", what, (unsigned long)subtype.Data1,
                (unsigned long)hr, shape);
        IMFTopoLoader_Release(platform);

        hr = IMFTopoLoader_Load(loader, topology, &result, NULL);
        ok_hr(S_OK, hr);
        rig_shape(SUCCEEDED(hr) ? result : NULL, shape, sizeof(shape));
        diag("%s into the EVR, ours: %s", what, shape);
        if (SUCCEEDED(hr))
        {
            ok(strstr(shape, "-> OUT") != NULL, "%s reaches the EVR: %s", what, shape);
            if (IsEqualGUID(&subtype, &MFVideoFormat_H264))
                ok(strstr(shape, "DEC{62ce7e72}") != NULL, "%s: H.264 through the H.264 decoder: %s", what, shape);
            check_types(result, e.stream, what);
            IMFTopology_Release(result);
        }
        IMFTopology_Release(topology);
        IMFTopologyNode_Release(src_node);
        IMFTopologyNode_Release(out);
        evr_destroy(&e);
    }
    if (sd) IMFStreamDescriptor_Release(sd);
    close_video(source, pd);
}

/* An H.264 stream (a stream descriptor of its own: Wine's MP4 sources
 * hand bars.mp4 out decoded) into the EVR: through the H.264 decoder. */
static void test_h264(void)
{
    IMFMediaType *h264 = rig_video(&MFVideoFormat_H264, 320, 240);
    IMFTopologyNode *src, *out;
    IMFTopology *topology, *result;
    struct evr e;
    char shape[512];

    if (!evr_create(&e)) goto done;
    IMFMediaType_SetUINT64(h264, &MF_MT_FRAME_RATE, ((UINT64)30 << 32) | 1);
    src = rig_source_node(&h264, 1, h264);
    topology = rig_pair(src, e.stream, -1, &out);
    ok_hr(S_OK, IMFTopoLoader_Load(loader, topology, &result, NULL));
    rig_shape(result, shape, sizeof(shape));
    diag("H.264 into the EVR, ours: %s", shape);
    ok(strstr(shape, "SRC[H264/320x240] -> DEC{62ce7e72}") == shape && strstr(shape, "-> OUT"),
            "H.264 reaches the EVR through the H.264 decoder: %s", shape);
    if (result)
    {
        check_types(result, e.stream, "H.264");
        IMFTopology_Release(result);
    }
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    evr_destroy(&e);
done:
    IMFMediaType_Release(h264);
}

static void test_files(void)
{
    file_case(L"bars.avi");
    file_case(L"bars.mp4");
}

/* The file's video alone through our session (our loader, flags 0) into
 * the EVR: the topology is resolved and set.  Playing it is test_video's
 * (the "evr" area): through our session it played to the end in some runs
 * here and stalled, then hung in Close, in others (Wine 8, reported). */
static void set_case(const WCHAR *name)
{
    IMFPresentationDescriptor *pd;
    struct event_waiter *waiter;
    IMFMediaSession *session;
    IMFTopology *topology;
    IMFMediaSource *source;
    IMFActivate *activate;
    HRESULT status, hr;
    GUID subtype;
    char what[64];
    DWORD video;
    HWND window;

    snprintf(what, sizeof(what), "%ls", name);
    if ((video = open_video(name, &source, &pd, &subtype)) == ~0u)
    {
        close_video(source, pd);
        return;
    }
    window = CreateWindowA("STATIC", "test_loader_evr", WS_OVERLAPPEDWINDOW | WS_VISIBLE, 0, 0, 320, 240,
            NULL, NULL, NULL, NULL);
    if (!window || FAILED(create_session_with(NULL, &session)))
    {
        skip("%s: no window or session", what);
        goto done;
    }
    MFCreateVideoRendererActivate(window, &activate);
    topology = stream_topology(source, pd, video, activate);
    waiter = event_waiter_create((IMFMediaEventGenerator *)session);
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topology));
    status = E_FAIL;
    /* Generous: under a loaded machine Wine 10's GStreamer-backed pieces
     * took more than 5 s to resolve bars.avi here. */
    ok(event_waiter_wait_for(waiter, MESessionTopologySet, TEST_TIMEOUT * 4, &status, NULL) && status == S_OK,
            "%s: our loader resolves the topology into the EVR (%#lx)", what, (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(event_waiter_wait_for(waiter, MESessionClosed, TEST_TIMEOUT, &hr, NULL), "%s: closed", what);
    event_waiter_destroy(waiter);
    IMFMediaSession_Shutdown(session);
    IMFMediaSession_Release(session);
    IMFTopology_Release(topology);
    IMFActivate_ShutdownObject(activate);
    IMFActivate_Release(activate);
done:
    if (window) DestroyWindow(window);
    close_video(source, pd);
}

static void test_set(void)
{
    set_case(L"bars.avi");
    set_case(L"bars.mp4");
}

/* Wine's GStreamer side may crash at process exit after every check passed
 * (test_windows_real): the checks run in a child. */
START_TEST_ISOLATED(loader_evr, 120000)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(60000);
    dlog_enable(FALSE);
    if (!(loader = rig_our_loader()))
    {
        ok(0, "our loader could be created");
        return;
    }
    RUN(test_copier);
    RUN(test_files);
    RUN(test_set);
    RUN(test_h264);
    IMFTopoLoader_Release(loader);
    MFShutdown();
    CoUninitialize();
}
