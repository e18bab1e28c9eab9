/*
 * test_loader_rig.c: the building blocks of the loader's tests (see the header).
 */
#include <stdio.h>
#include <string.h>

#include "test_loader_rig.h"
#include "doubles.h"

IMFMediaType *rig_audio_bare(const GUID *subtype)
{
    IMFMediaType *type;

    if (FAILED(MFCreateMediaType(&type))) return NULL;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Audio);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, subtype);
    return type;
}

IMFMediaType *rig_audio(const GUID *subtype, UINT32 channels, UINT32 rate, UINT32 bits)
{
    IMFMediaType *type = rig_audio_bare(subtype);

    if (!type) return NULL;
    IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, channels);
    IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, rate);
    if (bits)
    {
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, bits);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT, channels * bits / 8);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND, channels * bits / 8 * rate);
    }
    else
    {
        /* compressed: a nominal byte rate */
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND, 16000);
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT, 1);
    }
    return type;
}

IMFMediaType *rig_video(const GUID *subtype, UINT32 width, UINT32 height)
{
    IMFMediaType *type;

    if (FAILED(MFCreateMediaType(&type))) return NULL;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Video);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, subtype);
    if (width) IMFMediaType_SetUINT64(type, &MF_MT_FRAME_SIZE, ((UINT64)width << 32) | height);
    return type;
}

IMFTopologyNode *rig_source_node(IMFMediaType **types, unsigned count, IMFMediaType *current)
{
    IMFPresentationDescriptor *pd;
    IMFMediaTypeHandler *handler;
    IMFStreamDescriptor *sd;
    IMFTopologyNode *node;

    if (FAILED(MFCreateStreamDescriptor(0, count, types, &sd))) return NULL;
    if (current && SUCCEEDED(IMFStreamDescriptor_GetMediaTypeHandler(sd, &handler)))
    {
        IMFMediaTypeHandler_SetCurrentMediaType(handler, current);
        IMFMediaTypeHandler_Release(handler);
    }
    if (FAILED(MFCreatePresentationDescriptor(1, &sd, &pd)))
    {
        IMFStreamDescriptor_Release(sd);
        return NULL;
    }
    IMFPresentationDescriptor_SelectStream(pd, 0);
    MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &node);
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    IMFPresentationDescriptor_Release(pd);
    IMFStreamDescriptor_Release(sd);
    return node;
}

IMFTopologyNode *rig_node(MF_TOPOLOGY_TYPE type, IUnknown *object)
{
    IMFTopologyNode *node;

    if (FAILED(MFCreateTopologyNode(type, &node))) return NULL;
    if (object) IMFTopologyNode_SetObject(node, object);
    return node;
}

IMFTopologyNode *rig_output_node(IUnknown *object, int method)
{
    IMFTopologyNode *node = rig_node(MF_TOPOLOGY_OUTPUT_NODE, object);

    if (node && method >= 0) IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_CONNECT_METHOD, method);
    return node;
}

IMFStreamSink *rig_sink(IMFMediaType *current, IMFMediaType *refuse)
{
    struct dlsink_desc desc = {current, NULL, 0, refuse};
    IMFStreamSink *sink;

    return SUCCEEDED(dlsink_create(&desc, &sink)) ? sink : NULL;
}

IMFTopology *rig_topology(IMFTopologyNode **nodes, unsigned count)
{
    IMFTopology *topology;
    unsigned i;

    if (FAILED(MFCreateTopology(&topology))) return NULL;
    for (i = 0; i < count; ++i) IMFTopology_AddNode(topology, nodes[i]);
    return topology;
}

IMFTopology *rig_pair(IMFTopologyNode *source, IMFStreamSink *sink, int method, IMFTopologyNode **sink_node)
{
    IMFTopologyNode *nodes[2];
    IMFTopology *topology;

    nodes[0] = source;
    nodes[1] = rig_output_node((IUnknown *)sink, method);
    topology = rig_topology(nodes, 2);
    IMFTopologyNode_ConnectOutput(source, 0, nodes[1], 0);
    if (sink_node) *sink_node = nodes[1];
    else IMFTopologyNode_Release(nodes[1]);
    return topology;
}

IMFTopoLoader *rig_our_loader(void)
{
    HRESULT (WINAPI *get_class_object)(REFCLSID, REFIID, void **);
    IClassFactory *factory;
    IMFTopoLoader *loader = NULL;
    HMODULE module = load_mfsession();

    if (!module) return NULL;
    get_class_object = (void *)GetProcAddress(module, "DllGetClassObject");
    if (!get_class_object || FAILED(get_class_object(&CLSID_MFSessionTopoLoader, &IID_IClassFactory,
            (void **)&factory)))
        return NULL;
    IClassFactory_CreateInstance(factory, NULL, &IID_IMFTopoLoader, (void **)&loader);
    IClassFactory_Release(factory);
    return loader;
}

static const char *subtype_name(const GUID *subtype)
{
    static const struct { const GUID *guid; const char *name; } names[] =
    {
        {&MFAudioFormat_PCM, "PCM"}, {&MFAudioFormat_Float, "Float"}, {&MFAudioFormat_MP3, "MP3"},
        {&MFAudioFormat_AAC, "AAC"}, {&MFVideoFormat_H264, "H264"}, {&MFVideoFormat_NV12, "NV12"},
        {&MFVideoFormat_I420, "I420"}, {&MFVideoFormat_RGB32, "RGB32"}, {&MFVideoFormat_YUY2, "YUY2"},
        {&MFVideoFormat_IYUV, "IYUV"}, {&MFVideoFormat_YV12, "YV12"}, {&MFVideoFormat_RGB24, "RGB24"},
        {&DCODEC_SUBTYPE, "DCODEC"},
    };
    unsigned i;

    for (i = 0; i < ARRAYSIZE(names); ++i)
        if (IsEqualGUID(subtype, names[i].guid)) return names[i].name;
    return "?";
}

static void type_text(IMFMediaType *type, char *buf, size_t size)
{
    UINT32 channels = 0, rate = 0, bits = 0;
    UINT64 frame = 0;
    GUID subtype = GUID_NULL;

    if (!type)
    {
        snprintf(buf, size, "-");
        return;
    }
    IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype);
    if (SUCCEEDED(IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &frame)))
        snprintf(buf, size, "%s/%ux%u", subtype_name(&subtype), (unsigned)(frame >> 32), (unsigned)frame);
    else
    {
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, &channels);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, &rate);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, &bits);
        snprintf(buf, size, "%s/%u/%u/%u", subtype_name(&subtype), channels, rate, bits);
    }
}

/* The type a node hands to its output (a source's current type, a transform's output type). */
static IMFMediaType *output_type(IMFTopologyNode *node, DWORD output)
{
    IMFMediaTypeHandler *handler;
    IMFStreamDescriptor *sd;
    IMFMediaType *type = NULL;
    IMFTransform *mft;
    MF_TOPOLOGY_TYPE kind;
    IUnknown *object;

    IMFTopologyNode_GetNodeType(node, &kind);
    if (kind == MF_TOPOLOGY_SOURCESTREAM_NODE
            && SUCCEEDED(IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, &IID_IMFStreamDescriptor,
                    (void **)&sd)))
    {
        if (SUCCEEDED(IMFStreamDescriptor_GetMediaTypeHandler(sd, &handler)))
        {
            if (FAILED(IMFMediaTypeHandler_GetCurrentMediaType(handler, &type))) type = NULL;
            IMFMediaTypeHandler_Release(handler);
        }
        IMFStreamDescriptor_Release(sd);
    }
    else if (kind == MF_TOPOLOGY_TRANSFORM_NODE && SUCCEEDED(IMFTopologyNode_GetObject(node, &object)))
    {
        if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&mft)))
        {
            if (FAILED(IMFTransform_GetOutputCurrentType(mft, output, &type))) type = NULL;
            IMFTransform_Release(mft);
        }
        IUnknown_Release(object);
    }
    return type;
}

static void append(char *buf, size_t size, const char *text)
{
    size_t len = strlen(buf);
    if (len + 1 < size) snprintf(buf + len, size - len, "%s", text);
}

static void shape_from(IMFTopologyNode *node, char *buf, size_t size, unsigned depth)
{
    char text[96];
    IMFTopologyNode *down;
    MF_TOPOLOGY_TYPE kind;
    DWORD outputs, i, index;
    IMFMediaType *type;
    GUID clsid = GUID_NULL;
    UINT32 decoder = 0;

    if (depth > 400) return;
    IMFTopologyNode_GetNodeType(node, &kind);
    switch (kind)
    {
    case MF_TOPOLOGY_SOURCESTREAM_NODE: append(buf, size, "SRC"); break;
    case MF_TOPOLOGY_OUTPUT_NODE: append(buf, size, "OUT"); return;
    case MF_TOPOLOGY_TEE_NODE: append(buf, size, "TEE"); break;
    default:
        IMFTopologyNode_GetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, &clsid);
        IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &decoder);
        snprintf(text, sizeof(text), "%s{%08lx}", decoder ? "DEC" : "MFT", (unsigned long)clsid.Data1);
        append(buf, size, text);
        break;
    }
    IMFTopologyNode_GetOutputCount(node, &outputs);
    if (kind == MF_TOPOLOGY_TEE_NODE) append(buf, size, "{");
    for (i = 0; i < outputs; ++i)
    {
        if (FAILED(IMFTopologyNode_GetOutput(node, i, &down, &index))) continue;
        if (i) append(buf, size, " | ");
        if (kind != MF_TOPOLOGY_TEE_NODE)
        {
            type = output_type(node, i);
            type_text(type, text, sizeof(text));
            if (type) IMFMediaType_Release(type);
            append(buf, size, "[");
            append(buf, size, text);
            append(buf, size, "]");
        }
        append(buf, size, " -> ");
        shape_from(down, buf, size, depth + 1);
        IMFTopologyNode_Release(down);
    }
    if (kind == MF_TOPOLOGY_TEE_NODE) append(buf, size, "}");
}

void rig_shape(IMFTopology *topology, char *buf, size_t size)
{
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE kind;
    WORD count, i;
    BOOL first = TRUE;

    buf[0] = 0;
    if (!topology || FAILED(IMFTopology_GetNodeCount(topology, &count))) return;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        IMFTopologyNode_GetNodeType(node, &kind);
        if (kind == MF_TOPOLOGY_SOURCESTREAM_NODE)
        {
            if (!first) append(buf, size, " ; ");
            first = FALSE;
            shape_from(node, buf, size, 0);
        }
        IMFTopologyNode_Release(node);
    }
}

unsigned rig_count(IMFTopology *topology, MF_TOPOLOGY_TYPE type)
{
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE kind;
    unsigned n = 0;
    WORD count, i;

    if (!topology || FAILED(IMFTopology_GetNodeCount(topology, &count))) return 0;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &kind)) && kind == type) ++n;
        IMFTopologyNode_Release(node);
    }
    return n;
}

IMFTopologyNode *rig_transform(IMFTopology *topology, unsigned n)
{
    IMFTopologyNode *node = NULL, *down;
    MF_TOPOLOGY_TYPE kind;
    WORD count, i;
    DWORD index;

    if (!topology || FAILED(IMFTopology_GetNodeCount(topology, &count))) return NULL;
    for (i = 0; i < count && !node; ++i)
    {
        IMFTopology_GetNode(topology, i, &node);
        IMFTopologyNode_GetNodeType(node, &kind);
        if (kind != MF_TOPOLOGY_SOURCESTREAM_NODE)
        {
            IMFTopologyNode_Release(node);
            node = NULL;
        }
    }
    while (node)
    {
        if (FAILED(IMFTopologyNode_GetOutput(node, 0, &down, &index)))
        {
            IMFTopologyNode_Release(node);
            return NULL;
        }
        IMFTopologyNode_Release(node);
        node = down;
        IMFTopologyNode_GetNodeType(node, &kind);
        if (kind == MF_TOPOLOGY_TRANSFORM_NODE && !n--) return node;
        if (kind == MF_TOPOLOGY_OUTPUT_NODE)
        {
            IMFTopologyNode_Release(node);
            return NULL;
        }
    }
    return NULL;
}

IMFTopology *rig_session_tee(struct dsource *src, struct dsink *sink)
{
    IMFPresentationDescriptor *pd;
    IMFTopologyNode *src_node, *tee, *out;
    IMFStreamDescriptor *sd;
    IMFTopology *topology;
    BOOL selected;
    unsigned i;

    IMFMediaSource_CreatePresentationDescriptor(dsource_iface(src), &pd);
    IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, 0, &selected, &sd);
    MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &src_node);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_SOURCE, (IUnknown *)dsource_iface(src));
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    tee = rig_node(MF_TOPOLOGY_TEE_NODE, NULL);
    topology = rig_topology(&src_node, 1);
    IMFTopology_AddNode(topology, tee);
    IMFTopologyNode_ConnectOutput(src_node, 0, tee, 0);
    for (i = 0; i < 2; ++i)
    {
        out = rig_output_node((IUnknown *)dsink_stream(sink, i), -1);
        IMFTopology_AddNode(topology, out);
        IMFTopologyNode_ConnectOutput(tee, i, out, 0);
        IMFTopologyNode_Release(out);
    }
    IMFTopologyNode_Release(src_node);
    IMFTopologyNode_Release(tee);
    IMFStreamDescriptor_Release(sd);
    IMFPresentationDescriptor_Release(pd);
    return topology;
}

HRESULT rig_set_topology_status(IMFMediaSession *session, IMFTopology *topology)
{
    struct event_waiter *waiter = event_waiter_create((IMFMediaEventGenerator *)session);
    HRESULT status = HRESULT_FROM_WIN32(WAIT_TIMEOUT), hr;

    if (FAILED(hr = IMFMediaSession_SetTopology(session, 0, topology))) status = hr;
    else if (!event_waiter_wait_for(waiter, MESessionTopologySet, TEST_TIMEOUT, &status, NULL))
        status = HRESULT_FROM_WIN32(WAIT_TIMEOUT);
    event_waiter_destroy(waiter);
    return status;
}

void rig_session_done(IMFMediaSession *session, IMFTopology *topology, struct dsource *src, struct dsink *sink)
{
    IMFMediaSession_Shutdown(session);
    IMFMediaSession_Release(session);
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    IMFMediaSink_Shutdown(dsink_iface(sink));
    dsink_release(sink);
}

/* ---- a static class object ---- */

static struct rig_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct rig_factory, IClassFactory_iface);
}

static HRESULT WINAPI rig_factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IClassFactory) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI rig_factory_AddRef(IClassFactory *iface) { return 2; }
static ULONG WINAPI rig_factory_Release(IClassFactory *iface) { return 1; }
static HRESULT WINAPI rig_factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **out)
{
    struct rig_factory *factory = impl_from_IClassFactory(iface);

    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    return factory->create(factory, riid, out);
}
static HRESULT WINAPI rig_factory_LockServer(IClassFactory *iface, BOOL lock) { return S_OK; }

static const IClassFactoryVtbl rig_factory_vtbl =
{
    rig_factory_QueryInterface, rig_factory_AddRef, rig_factory_Release, rig_factory_CreateInstance,
    rig_factory_LockServer,
};

void rig_factory_init(struct rig_factory *factory, HRESULT (*create)(struct rig_factory *, REFIID, void **))
{
    factory->IClassFactory_iface.lpVtbl = &rig_factory_vtbl;
    factory->create = create;
    factory->cookie = 0;
}
