/*
 * test_loader: mfsession's topology loader alone (CLSID_MFSessionTopoLoader).
 *
 * What it must resolve, and the codes of what it must refuse, are Windows'
 * as Wine's conformance test test_topology_loader records them: a new
 * topology with the input's ids; a direct connection when the sink takes
 * the source's type, else a converter, else a decoder (and a converter
 * after it) as the sink node's connect method allows; the sink's handler
 * never told a type by the loader; MF_TOPOLOGY_RESOLUTION_STATUS set.
 * Doubles make each case exact; Wine's own transforms (resampler, MP3 and
 * H.264 decoders, video processor) are what a real branch meets.
 */
#include <stdio.h>
#include <string.h>

#include "test_loader_rig.h"
#include "doubles.h"
#include "media.h"
#include <wchar.h>

/* The platform transforms' CLSIDs are defined here: no import library carries them. */
#include <initguid.h>
#include <wmcodecdsp.h>

static IMFTopoLoader *loader;

static HRESULT load(IMFTopology *input, IMFTopology **output)
{
    *output = (IMFTopology *)0xdeadbeef;
    return IMFTopoLoader_Load(loader, input, output, NULL);
}

/* Whether the platform registers an audio decoder MFT for a subtype. */
static BOOL decoder_available(const GUID *subtype)
{
    MFT_REGISTER_TYPE_INFO in = {MFMediaType_Audio, *subtype};
    IMFActivate **activates;
    UINT32 count = 0, i;

    if (FAILED(MFTEnumEx(MFT_CATEGORY_AUDIO_DECODER, MFT_ENUM_FLAG_SYNCMFT | MFT_ENUM_FLAG_ASYNCMFT, &in, NULL,
            &activates, &count)))
        return FALSE;
    for (i = 0; i < count; ++i) IMFActivate_Release(activates[i]);
    CoTaskMemFree(activates);
    return count > 0;
}

static void release_all(IUnknown **objects, unsigned count)
{
    unsigned i;
    for (i = 0; i < count; ++i)
        if (objects[i]) IUnknown_Release(objects[i]);
}

/* ---- bad input ---- */

static void test_bad_input(void)
{
    IMFMediaType *pcm = rig_audio(&MFAudioFormat_PCM, 1, 44100, 16);
    IMFTopologyNode *src, *out, *mft_a, *mft_b, *nodes[4];
    IMFTopology *topology, *other, *result;
    struct dcodec_desc conv = {DCODEC_CONVERTER, FALSE, 1};
    IMFTransform *mfts[2];
    IMFStreamSink *sink = rig_sink(pcm, NULL);
    IMFActivate *activate;
    struct dsink_desc sink_desc = {1};
    struct dsink *dsink;
    UINT32 attributes = 0;
    DWORD index;
    WORD count;
    HRESULT hr;

    ok_hr(E_POINTER, IMFTopoLoader_Load(loader, NULL, &result, NULL));
    MFCreateTopology(&topology);
    ok_hr(E_POINTER, IMFTopoLoader_Load(loader, topology, NULL, NULL));

    /* Windows: an empty topology, a source alone, or nodes left unconnected are MF_E_TOPO_UNSUPPORTED. */
    ok_hr(MF_E_TOPO_UNSUPPORTED, load(topology, &result));
    ok(result == NULL, "no output topology on failure");
    src = rig_source_node(&pcm, 1, NULL);
    IMFTopology_AddNode(topology, src);
    ok_hr(MF_E_TOPO_UNSUPPORTED, load(topology, &result));
    ok(result == NULL, "no output topology on failure");

    dsink_create(&sink_desc, &dsink);
    dactivate_create(dsink, &activate);
    out = rig_output_node((IUnknown *)activate, -1);
    IMFTopology_AddNode(topology, out);
    ok_hr(MF_E_TOPO_UNSUPPORTED, load(topology, &result));
    /* Windows leaves activation to the session: a connected activate is refused. */
    IMFTopologyNode_ConnectOutput(src, 0, out, 0);
    ok_hr(MF_E_TOPO_SINK_ACTIVATES_UNSUPPORTED, load(topology, &result));
    ok(dlog_count("act.ActivateObject") == 0, "the loader activated nothing");

    /* An output node without an object. */
    IMFTopologyNode_SetObject(out, NULL);
    ok_hr(MF_E_TOPO_UNSUPPORTED, load(topology, &result));
    IMFTopologyNode_SetObject(out, (IUnknown *)sink);

    /* A source node without its stream descriptor. */
    IMFTopologyNode_DeleteItem(src, &MF_TOPONODE_STREAM_DESCRIPTOR);
    ok_hr(MF_E_TOPO_MISSING_STREAM_DESCRIPTOR, load(topology, &result));
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFTopology_Release(topology);

    /* A cycle: source -> a -> b -> a (b feeds a's second input). */
    dcodec_create(&conv, &mfts[0]);
    dcodec_create(&conv, &mfts[1]);
    nodes[0] = rig_source_node(&pcm, 1, NULL);
    nodes[1] = mft_a = rig_node(MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)mfts[0]);
    nodes[2] = mft_b = rig_node(MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)mfts[1]);
    nodes[3] = rig_output_node((IUnknown *)sink, -1);
    topology = rig_topology(nodes, 4);
    IMFTopologyNode_ConnectOutput(nodes[0], 0, mft_a, 0);
    IMFTopologyNode_ConnectOutput(mft_a, 0, mft_b, 0);
    IMFTopologyNode_ConnectOutput(mft_b, 0, mft_a, 1);
    IMFTopologyNode_ConnectOutput(mft_b, 1, nodes[3], 0);
    hr = load(topology, &result);
    ok_hr(MF_E_TOPO_LOOPS_IN_TOPOLOGY, hr);
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 4, "a refused topology keeps its 4 nodes, has %u", count);
    IMFTopology_Clear(topology);
    IMFTopology_Release(topology);
    release_all((IUnknown **)nodes, 4);
    release_all((IUnknown **)mfts, 2);

    /* A node connected to a node of another topology. */
    nodes[0] = rig_source_node(&pcm, 1, NULL);
    nodes[1] = rig_output_node((IUnknown *)sink, -1);
    topology = rig_topology(nodes, 1);
    other = rig_topology(nodes + 1, 1);
    IMFTopologyNode_ConnectOutput(nodes[0], 0, nodes[1], 0);
    ok_hr(MF_E_TOPO_UNSUPPORTED, load(topology, &result));
    ok(dlsink_supported_count(sink) == 0, "nothing was asked of the sink of a refused topology");
    IMFTopology_Release(topology);
    IMFTopology_Release(other);
    release_all((IUnknown **)nodes, 2);

    /* A transform node without an object: refused, the input as it was. */
    nodes[0] = rig_source_node(&pcm, 1, NULL);
    nodes[1] = rig_node(MF_TOPOLOGY_TRANSFORM_NODE, NULL);
    nodes[2] = rig_output_node((IUnknown *)sink, -1);
    topology = rig_topology(nodes, 3);
    IMFTopologyNode_ConnectOutput(nodes[0], 0, nodes[1], 0);
    IMFTopologyNode_ConnectOutput(nodes[1], 0, nodes[2], 0);
    ok_hr(MF_E_TOPO_UNSUPPORTED, load(topology, &result));
    ok(result == NULL, "no output topology on failure");
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 3, "the refused topology keeps its 3 nodes, has %u", count);
    mft_a = NULL;
    ok(SUCCEEDED(IMFTopologyNode_GetOutput(nodes[0], 0, &mft_a, &index)) && mft_a == nodes[1],
            "the refused topology keeps its connections");
    if (mft_a) IMFTopologyNode_Release(mft_a);
    IMFTopology_GetCount(topology, &attributes);
    ok(attributes == 0, "the refused topology gets no attributes (%u)", attributes);
    IMFTopology_Clear(topology);
    IMFTopology_Release(topology);
    release_all((IUnknown **)nodes, 3);

    IMFActivate_ShutdownObject(activate);
    IMFActivate_Release(activate);
    dsink_release(dsink);
    IMFStreamSink_Release(sink);
    IMFMediaType_Release(pcm);
}

/* ---- a direct connection and what the output carries ---- */

static void test_direct(void)
{
    IMFMediaType *pcm = rig_audio(&MFAudioFormat_PCM, 1, 44100, 16);
    IMFStreamSink *sink = rig_sink(pcm, NULL);
    IMFTopologyNode *src = rig_source_node(&pcm, 1, NULL), *out, *found;
    IMFTopology *topology, *result, *again;
    TOPOID id_in, id_out, node_id;
    UINT32 status = 0, value = 0, count = 0;
    WORD nodes = 0;
    char shape[512];

    topology = rig_pair(src, sink, MF_CONNECT_DIRECT, &out);
    ok_hr(S_OK, load(topology, &result));
    ok(result && result != topology, "a new topology");
    IMFTopology_GetTopologyID(topology, &id_in);
    IMFTopology_GetTopologyID(result, &id_out);
    ok(id_in == id_out, "same topology id (%s)", id_in == id_out ? "kept" : "changed");
    IMFTopologyNode_GetTopoNodeID(src, &node_id);
    ok_hr(S_OK, IMFTopology_GetNodeByID(result, node_id, &found));
    if (found) IMFTopologyNode_Release(found);
    IMFTopologyNode_GetTopoNodeID(out, &node_id);
    ok_hr(S_OK, IMFTopology_GetNodeByID(result, node_id, &found));
    if (found) IMFTopologyNode_Release(found);
    IMFTopology_GetNodeCount(result, &nodes);
    ok(nodes == 2, "source and sink only, got %u nodes", nodes);
    ok_hr(S_OK, IMFTopology_GetUINT32(result, &MF_TOPOLOGY_RESOLUTION_STATUS, &status));
    ok(status == MF_TOPOLOGY_RESOLUTION_SUCCEEDED, "resolution status %#x", status);
    /* Windows: the resolution status is the output's only attribute. */
    IMFTopology_GetCount(result, &count);
    ok(count == 1, "the output topology has 1 attribute, has %u", count);
    IMFTopology_GetCount(topology, &count);
    ok(count == 0, "the input topology is left without attributes, has %u", count);
    ok(dlsink_set_count(sink) == 0, "the loader never sets the sink's type");
    ok(dlsink_enum_count(sink) == 0, "no sink types listed when the source's type is taken");
    rig_shape(result, shape, sizeof(shape));
    /* A stream without a current type keeps its default (the first type), unset. */
    ok(!strcmp(shape, "SRC[-] -> OUT"), "shape %s", shape);

    /* A resolved topology loads again, its attributes and ids kept. */
    IMFTopology_SetUINT32(result, &IID_IMFTopology, 123);
    ok_hr(S_OK, load(result, &again));
    ok(again && again != result, "a new topology again");
    ok_hr(S_OK, IMFTopology_GetUINT32(again, &IID_IMFTopology, &value));
    ok(value == 123, "attribute kept");
    IMFTopology_GetTopologyID(again, &id_out);
    ok(id_in == id_out, "the topology id is kept on a second Load");
    IMFTopologyNode_GetTopoNodeID(src, &node_id);
    ok_hr(S_OK, IMFTopology_GetNodeByID(again, node_id, &found));
    if (found) IMFTopologyNode_Release(found);
    IMFTopology_Release(again);
    IMFTopology_Release(result);

    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
    IMFMediaType_Release(pcm);
}

/* ---- Windows' table: source type(s) against one sink ---- */

enum { PCM44, PCM48, PCM44_BARE, FLOAT48S, MP3, TYPE_COUNT };

static IMFMediaType *types[TYPE_COUNT];

struct table_case
{
    const char *what;
    int source, current, sink;      /* indices into types; -1 none */
    int method;                     /* sink node's connect method, -1 unset */
    BOOL enumerate;                 /* MF_TOPOLOGY_ENUMERATE_SOURCE_TYPES */
    HRESULT expect;
    const GUID *decoder, *converter;
};

static void test_table(void)
{
    static const struct table_case cases[] =
    {
        {"same type, no current type", PCM44, -1, PCM44, MF_CONNECT_DIRECT, FALSE, S_OK},
        {"current type other than the sink's", PCM48, PCM44, PCM48, MF_CONNECT_DIRECT, FALSE, MF_E_INVALIDMEDIATYPE},
        {"... with source types enumerated", PCM48, PCM44, PCM48, MF_CONNECT_DIRECT, TRUE, S_OK},
        {"incomplete listed type, complete current", PCM44_BARE, PCM44, PCM44, MF_CONNECT_DIRECT, FALSE, S_OK},
        {"... enumerated: the listed type fails", PCM44_BARE, PCM44, PCM44, MF_CONNECT_DIRECT, TRUE, MF_E_NO_MORE_TYPES},
        {"other rate, direct", PCM44, -1, PCM48, MF_CONNECT_DIRECT, FALSE, MF_E_INVALIDMEDIATYPE},
        {"other rate, current type taken", PCM44, PCM48, PCM48, MF_CONNECT_DIRECT, FALSE, S_OK},
        {"other rate, enumerated, direct", PCM44, PCM48, PCM48, MF_CONNECT_DIRECT, TRUE, MF_E_NO_MORE_TYPES},
        {"other rate, converter allowed", PCM44, -1, PCM48, MF_CONNECT_ALLOW_CONVERTER, FALSE, S_OK,
                NULL, &CLSID_CResamplerMediaObject},
        {"other rate, enumerated, converter", PCM44, PCM48, PCM48, MF_CONNECT_ALLOW_CONVERTER, TRUE, S_OK,
                NULL, &CLSID_CResamplerMediaObject},
        {"other rate, decoder allowed", PCM44, -1, PCM48, MF_CONNECT_ALLOW_DECODER, FALSE, S_OK,
                NULL, &CLSID_CResamplerMediaObject},
        {"other rate, default method", PCM44, -1, PCM48, -1, FALSE, S_OK, NULL, &CLSID_CResamplerMediaObject},
        {"MP3, direct", MP3, MP3, PCM44, MF_CONNECT_DIRECT, FALSE, MF_E_INVALIDMEDIATYPE},
        {"MP3, enumerated, direct", MP3, MP3, PCM44, MF_CONNECT_DIRECT, TRUE, MF_E_NO_MORE_TYPES},
        {"MP3, converter only", MP3, MP3, PCM44, MF_CONNECT_ALLOW_CONVERTER, FALSE,
                MF_E_TRANSFORM_NOT_POSSIBLE_FOR_CURRENT_MEDIATYPE_COMBINATION},
        {"MP3, decoder allowed", MP3, MP3, PCM44, MF_CONNECT_ALLOW_DECODER, FALSE, S_OK, &CLSID_CMP3DecMediaObject},
        {"MP3 to float 48 kHz stereo: decoder and converter", MP3, MP3, FLOAT48S, MF_CONNECT_ALLOW_DECODER, FALSE,
                S_OK, &CLSID_CMP3DecMediaObject, &CLSID_CResamplerMediaObject},
    };
    IMFTopologyNode *src, *out, *node;
    IMFTopology *topology, *result;
    IMFStreamSink *sink;
    GUID clsid;
    UINT32 decoder;
    unsigned i, expect_nodes;
    WORD nodes;
    char shape[512];
    HRESULT hr;

    for (i = 0; i < ARRAYSIZE(cases); ++i)
    {
        const struct table_case *c = &cases[i];

        if (c->decoder && !decoder_available(&MFAudioFormat_MP3))
        {
            /* Wine 8.0 decodes MP3 inside its media source only: no MFT to insert. */
            skip("%s: no MP3 decoder MFT on this platform", c->what);
            continue;
        }

        src = rig_source_node(&types[c->source], 1, c->current >= 0 ? types[c->current] : NULL);
        sink = rig_sink(types[c->sink], NULL);
        topology = rig_pair(src, sink, c->method, &out);
        if (c->enumerate) IMFTopology_SetUINT32(topology, &MF_TOPOLOGY_ENUMERATE_SOURCE_TYPES, 1);
        hr = load(topology, &result);
        ok(hr == c->expect, "%s: expected %#lx, got %#lx", c->what, (unsigned long)c->expect, (unsigned long)hr);
        if (SUCCEEDED(hr))
        {
            UINT32 status = 0, attributes = 0;

            ok(SUCCEEDED(IMFTopology_GetUINT32(result, &MF_TOPOLOGY_RESOLUTION_STATUS, &status))
                    && status == MF_TOPOLOGY_RESOLUTION_SUCCEEDED, "%s: MF_TOPOLOGY_RESOLUTION_STATUS %#x", c->what, status);
            /* Windows: the status, and MF_TOPOLOGY_ENUMERATE_SOURCE_TYPES when the input had it. */
            IMFTopology_GetCount(result, &attributes);
            ok(attributes == (c->enumerate ? 2u : 1u), "%s: %u output attributes", c->what, attributes);
            rig_shape(result, shape, sizeof(shape));
            expect_nodes = 2 + !!c->decoder + !!c->converter;
            IMFTopology_GetNodeCount(result, &nodes);
            /* Wine's MP3 decoder may produce the sink's type itself: a converter is then not needed. */
            ok(nodes == expect_nodes || (c->decoder && !c->converter && nodes == 3 + 1),
                    "%s: %u nodes (%s)", c->what, nodes, shape);
            if (c->decoder && (node = rig_transform(result, 0)))
            {
                clsid = GUID_NULL;
                decoder = 0;
                IMFTopologyNode_GetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, &clsid);
                IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &decoder);
                ok(IsEqualGUID(&clsid, c->decoder), "%s: decoder class (%s)", c->what, shape);
                ok(decoder == 1, "%s: MF_TOPONODE_DECODER set", c->what);
                IMFTopologyNode_Release(node);
            }
            if (c->converter && (node = rig_transform(result, c->decoder ? 1 : 0)))
            {
                clsid = GUID_NULL;
                decoder = 0;
                IMFTopologyNode_GetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, &clsid);
                ok(IsEqualGUID(&clsid, c->converter), "%s: converter class (%s)", c->what, shape);
                ok(FAILED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &decoder)),
                        "%s: a converter is not marked as a decoder", c->what);
                IMFTopologyNode_Release(node);
            }
            IMFTopology_Release(result);
        }
        else
            ok(result == NULL, "%s: no output on failure", c->what);
        ok(dlsink_set_count(sink) == 0, "%s: sink type never set by the loader", c->what);
        ok(dlsink_enum_count(sink) == 0, "%s: a sink with a current type is not listed", c->what);
        IMFTopology_Release(topology);
        IMFTopologyNode_Release(src);
        IMFTopologyNode_Release(out);
        IMFStreamSink_Release(sink);
    }
}

/* A sink without a current type that lists types (MF_E_NOT_INITIALIZED) is
 * listed for the converter's output; one without a list is not. */
static void test_sink_lists(void)
{
    IMFMediaType *list[1] = {types[PCM48]};
    struct dlsink_desc desc = {NULL, list, 1, types[PCM44]};
    IMFTopologyNode *src = rig_source_node(&types[PCM44], 1, NULL), *out;
    IMFTopology *topology, *result;
    IMFStreamSink *sink;
    char shape[512];

    dlsink_create(&desc, &sink);
    topology = rig_pair(src, sink, -1, &out);
    ok_hr(S_OK, load(topology, &result));
    rig_shape(result, shape, sizeof(shape));
    ok(!strcmp(shape, "SRC[-] -> MFT{f447b69e}[PCM/1/48000/16] -> OUT"), "listed type: %s", shape);
    ok(dlsink_enum_count(sink) > 0, "the sink's list was read");
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);

    /* No current type, no list, the source's type refused: the converter's own types are offered. */
    desc.types = NULL;
    desc.type_count = 0;
    dlsink_create(&desc, &sink);
    topology = rig_pair(src, sink, -1, &out);
    ok_hr(S_OK, load(topology, &result));
    ok(dlsink_enum_count(sink) == 0, "no list read from a sink that answers E_FAIL");
    ok(rig_count(result, MF_TOPOLOGY_TRANSFORM_NODE) == 1, "one converter");
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
    IMFTopologyNode_Release(src);
}

/* A transform node whose types are unset: the source's type is its input,
 * its own offers are tried on the sink (Windows: MF_E_NO_MORE_TYPES when
 * the sink takes none, direct). */
static void test_transform_types_unset(void)
{
    struct dcodec_desc desc = {DCODEC_CONVERTER, FALSE, 5};
    IMFMediaType *pcm8 = rig_audio(&MFAudioFormat_PCM, 1, 48000, 8);
    IMFTopologyNode *nodes[3];
    IMFTopology *topology, *result;
    IMFStreamSink *sink;
    IMFTransform *mft;
    char shape[512];
    int round;

    for (round = 0; round < 2; ++round)
    {
        dcodec_create(&desc, &mft);
        sink = rig_sink(round ? pcm8 : types[PCM44], NULL);
        nodes[0] = rig_source_node(&types[PCM48], 1, NULL);
        nodes[1] = rig_node(MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)mft);
        nodes[2] = rig_output_node((IUnknown *)sink, MF_CONNECT_DIRECT);
        topology = rig_topology(nodes, 3);
        IMFTopologyNode_ConnectOutput(nodes[0], 0, nodes[1], 0);
        IMFTopologyNode_ConnectOutput(nodes[1], 0, nodes[2], 0);
        if (!round)
        {
            ok_hr(S_OK, load(topology, &result));
            rig_shape(result, shape, sizeof(shape));
            ok(!strcmp(shape, "SRC[-] -> MFT{00000000}[PCM/1/44100/16] -> OUT"), "shape %s", shape);
            if (result) IMFTopology_Release(result);
        }
        else
            ok_hr(MF_E_NO_MORE_TYPES, load(topology, &result));
        IMFTopology_Release(topology);
        release_all((IUnknown **)nodes, 3);
        IMFStreamSink_Release(sink);
        IMFTransform_Release(mft);
    }
    IMFMediaType_Release(pcm8);
}

/* ---- tees ---- */

static IMFTopology *tee_topology(IMFTopologyNode *src, IMFStreamSink **sinks, unsigned count, const int *methods)
{
    IMFTopologyNode *tee = rig_node(MF_TOPOLOGY_TEE_NODE, NULL), *out;
    IMFTopology *topology;
    unsigned i;

    topology = rig_topology(&src, 1);
    IMFTopology_AddNode(topology, tee);
    IMFTopologyNode_ConnectOutput(src, 0, tee, 0);
    for (i = 0; i < count; ++i)
    {
        out = rig_output_node((IUnknown *)sinks[i], methods ? methods[i] : -1);
        IMFTopology_AddNode(topology, out);
        IMFTopologyNode_ConnectOutput(tee, i, out, 0);
        IMFTopologyNode_Release(out);
    }
    IMFTopologyNode_Release(tee);
    return topology;
}

static void test_tees(void)
{
    static const int optional[2] = {-1, MF_CONNECT_DIRECT | MF_CONNECT_AS_OPTIONAL};
    struct dcodec_desc decoder = {DCODEC_DECODER, FALSE, 13};
    IMFMediaType *coded = rig_audio_bare(&DCODEC_SUBTYPE);
    IClassFactory *cookie;
    IMFStreamSink *sinks[4];
    IMFTopologyNode *src;
    IMFTopology *topology, *result;
    char shape[1024];
    unsigned i;

    /* Two and four branches that take the source's type. */
    for (i = 0; i < 4; ++i) sinks[i] = rig_sink(types[PCM44], NULL);
    src = rig_source_node(&types[PCM44], 1, NULL);
    topology = tee_topology(src, sinks, 2, NULL);
    ok_hr(S_OK, load(topology, &result));
    rig_shape(result, shape, sizeof(shape));
    ok(!strcmp(shape, "SRC[-] -> TEE{ -> OUT |  -> OUT}"), "2-way tee: %s", shape);
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);

    src = rig_source_node(&types[PCM44], 1, NULL);
    topology = tee_topology(src, sinks, 4, NULL);
    ok_hr(S_OK, load(topology, &result));
    ok(rig_count(result, MF_TOPOLOGY_OUTPUT_NODE) == 4 && rig_count(result, MF_TOPOLOGY_TRANSFORM_NODE) == 0,
            "4-way tee resolves directly");
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    for (i = 0; i < 4; ++i) IMFStreamSink_Release(sinks[i]);

    /* A converter on the branch whose sink needs another type only. */
    sinks[0] = rig_sink(types[PCM44], NULL);
    sinks[1] = rig_sink(types[PCM48], NULL);
    src = rig_source_node(&types[PCM44], 1, NULL);
    topology = tee_topology(src, sinks, 2, NULL);
    ok_hr(S_OK, load(topology, &result));
    rig_shape(result, shape, sizeof(shape));
    ok(!strcmp(shape, "SRC[-] -> TEE{ -> OUT |  -> MFT{f447b69e}[PCM/1/48000/16] -> OUT}"),
            "a converter per branch: %s", shape);
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);

    /* The same branch optional and direct only: dropped, the rest plays. */
    topology = tee_topology(src, sinks, 2, optional);
    ok_hr(S_OK, load(topology, &result));
    rig_shape(result, shape, sizeof(shape));
    ok(!strcmp(shape, "SRC[-] -> TEE{ -> OUT}"), "optional branch dropped: %s", shape);
    ok(rig_count(result, MF_TOPOLOGY_OUTPUT_NODE) == 1, "one output node left");
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFStreamSink_Release(sinks[1]);

    /* Not optional: the branch's code. */
    sinks[1] = rig_sink(types[PCM48], NULL);
    src = rig_source_node(&types[PCM44], 1, NULL);
    {
        static const int direct[2] = {-1, MF_CONNECT_DIRECT};
        topology = tee_topology(src, sinks, 2, direct);
    }
    ok_hr(MF_E_INVALIDMEDIATYPE, load(topology, &result));
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFStreamSink_Release(sinks[0]);
    IMFStreamSink_Release(sinks[1]);

    /* A compressed source into a tee: one decoder before the tee, the
     * decoded type to every branch, a converter where a sink wants another. */
    ok_hr(S_OK, dcodec_register_local(&decoder, &cookie));
    sinks[0] = rig_sink(types[PCM48], NULL);
    sinks[1] = rig_sink(types[PCM44], NULL);
    src = rig_source_node(&coded, 1, coded);
    topology = tee_topology(src, sinks, 2, NULL);
    ok_hr(S_OK, load(topology, &result));
    rig_shape(result, shape, sizeof(shape));
    ok(!strcmp(shape, "SRC[DCODEC/0/0/0] -> DEC{00000000}[PCM/1/48000/16] -> TEE{ -> OUT |  -> "
            "MFT{f447b69e}[PCM/1/44100/16] -> OUT}"), "one decoder before the tee: %s", shape);
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFStreamSink_Release(sinks[0]);
    IMFStreamSink_Release(sinks[1]);
    dcodec_unregister_local(cookie);
    IMFMediaType_Release(coded);
}

/* ---- media sinks, long chains ---- */

static void test_media_sink_stream_id(void)
{
    struct dsink_desc desc = {2};
    IMFTopologyNode *src, *out, *found;
    IMFTopology *topology, *result;
    IMFMediaType *pcm;
    struct dsink *dsink;
    IUnknown *object;
    TOPOID id;

    dtype_create_pcm(&pcm);
    dsink_create(&desc, &dsink);
    src = rig_source_node(&pcm, 1, NULL);
    out = rig_output_node((IUnknown *)dsink_iface(dsink), -1);
    IMFTopologyNode_SetUINT32(out, &MF_TOPONODE_STREAMID, 1);
    topology = rig_topology(&src, 1);
    IMFTopology_AddNode(topology, out);
    IMFTopologyNode_ConnectOutput(src, 0, out, 0);
    ok_hr(S_OK, load(topology, &result));
    IMFTopologyNode_GetTopoNodeID(out, &id);
    if (result && SUCCEEDED(IMFTopology_GetNodeByID(result, id, &found)))
    {
        IMFTopologyNode_GetObject(found, &object);
        ok(object == (IUnknown *)dsink_stream(dsink, 1), "the stream sink named by MF_TOPONODE_STREAMID");
        IUnknown_Release(object);
        IMFTopologyNode_Release(found);
    }
    IMFTopologyNode_GetObject(out, &object);
    ok(object == (IUnknown *)dsink_iface(dsink), "the input's node still holds the media sink");
    IUnknown_Release(object);
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFMediaSink_Shutdown(dsink_iface(dsink));
    dsink_release(dsink);
    IMFMediaType_Release(pcm);
}

/* 300 nodes: a source, 298 pass-through transforms with their types unset, a sink. */
static void test_long_chain(void)
{
    struct dcodec_desc desc = {DCODEC_CONVERTER, FALSE, 3};
    IMFTopologyNode *nodes[300];
    IMFTopology *topology, *result;
    IMFStreamSink *sink = rig_sink(types[PCM48], NULL);
    IMFTransform *mft;
    DWORD start, took;
    WORD count = 0;
    unsigned i;

    nodes[0] = rig_source_node(&types[PCM48], 1, NULL);
    for (i = 1; i < 299; ++i)
    {
        dcodec_create(&desc, &mft);
        nodes[i] = rig_node(MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)mft);
        IMFTransform_Release(mft);
    }
    nodes[299] = rig_output_node((IUnknown *)sink, -1);
    topology = rig_topology(nodes, 300);
    for (i = 0; i < 299; ++i) IMFTopologyNode_ConnectOutput(nodes[i], 0, nodes[i + 1], 0);
    start = GetTickCount();
    ok_hr(S_OK, load(topology, &result));
    took = GetTickCount() - start;
    if (result) IMFTopology_GetNodeCount(result, &count);
    ok(count == 300, "300 nodes resolved, got %u", count);
    ok(took < 10000, "resolved in %lu ms", (unsigned long)took);
    diag("300-node chain resolved in %lu ms", (unsigned long)took);
    if (result) IMFTopology_Release(result);

    /* The same chain closed into a loop is refused quickly. */
    IMFTopologyNode_ConnectOutput(nodes[298], 1, nodes[1], 1);
    ok_hr(MF_E_TOPO_LOOPS_IN_TOPOLOGY, load(topology, &result));
    IMFTopology_Clear(topology);
    IMFTopology_Release(topology);
    release_all((IUnknown **)nodes, 300);
    IMFStreamSink_Release(sink);
}

/* ---- Wine's real video transforms ---- */

/* Resolves source type `source` (also its current type when `current`)
 * into a sink taking `sink`; the shape is returned in buf. */
static HRESULT video_case(IMFMediaType *source, BOOL current, IMFMediaType *sink_type, char *buf, size_t size)
{
    IMFTopologyNode *src = rig_source_node(&source, 1, current ? source : NULL), *out;
    IMFStreamSink *sink = rig_sink(sink_type, NULL);
    IMFTopology *topology, *result;
    HRESULT hr;

    topology = rig_pair(src, sink, -1, &out);
    hr = load(topology, &result);
    buf[0] = 0;
    if (SUCCEEDED(hr))
    {
        rig_shape(result, buf, size);
        IMFTopology_Release(result);
    }
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
    return hr;
}

static void test_video(void)
{
    IMFMediaType *i420 = rig_video(&MFVideoFormat_I420, 1280, 720);
    IMFMediaType *rgb32 = rig_video(&MFVideoFormat_RGB32, 1280, 720);
    IMFMediaType *nv12 = rig_video(&MFVideoFormat_NV12, 1280, 720);
    IMFMediaType *h264 = rig_video(&MFVideoFormat_H264, 1280, 720);
    char shape[512];

    /* I420 -> RGB32: a converter (Windows: the colour converter; Wine: its video processor). */
    ok_hr(S_OK, video_case(i420, FALSE, rgb32, shape, sizeof(shape)));
    ok(!strcmp(shape, "SRC[-] -> MFT{88753b26}[RGB32/1280x720] -> OUT")
            || !strcmp(shape, "SRC[-] -> MFT{98230571}[RGB32/1280x720] -> OUT"),
            "I420 -> RGB32 through a colour converter: %s", shape);

    /* H.264 -> NV12: the decoder alone; H.264 -> RGB32: decoder and converter. */
    ok_hr(S_OK, video_case(h264, TRUE, nv12, shape, sizeof(shape)));
    ok(!strcmp(shape, "SRC[H264/1280x720] -> DEC{62ce7e72}[NV12/1280x720] -> OUT"), "H.264 to NV12: %s", shape);
    ok_hr(S_OK, video_case(h264, TRUE, rgb32, shape, sizeof(shape)));
    ok(!strcmp(shape, "SRC[H264/1280x720] -> DEC{62ce7e72}[NV12/1280x720] -> MFT{88753b26}[RGB32/1280x720] -> OUT"),
            "H.264 to RGB32: %s", shape);

    IMFMediaType_Release(i420);
    IMFMediaType_Release(rgb32);
    IMFMediaType_Release(nv12);
    IMFMediaType_Release(h264);
}

static void test_class(void)
{
    IMFTopoLoader *other = NULL;
    IUnknown *unk;

    ok(loader != NULL, "CLSID_MFSessionTopoLoader creatable through DllGetClassObject");
    ok_hr(S_OK, IMFTopoLoader_QueryInterface(loader, &IID_IUnknown, (void **)&unk));
    IUnknown_Release(unk);
    ok_hr(E_NOINTERFACE, IMFTopoLoader_QueryInterface(loader, &IID_IMFMediaSession, (void **)&unk));
    other = rig_our_loader();
    ok(other && other != loader, "each CreateInstance is a new loader");
    if (other) IMFTopoLoader_Release(other);
}

START_TEST(loader)
{
    unsigned i;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(60000);
    types[PCM44] = rig_audio(&MFAudioFormat_PCM, 1, 44100, 16);
    types[PCM48] = rig_audio(&MFAudioFormat_PCM, 1, 48000, 16);
    types[PCM44_BARE] = rig_audio_bare(&MFAudioFormat_PCM);
    IMFMediaType_SetUINT32(types[PCM44_BARE], &MF_MT_AUDIO_SAMPLES_PER_SECOND, 44100);
    types[FLOAT48S] = rig_audio(&MFAudioFormat_Float, 2, 48000, 32);
    types[MP3] = rig_audio(&MFAudioFormat_MP3, 2, 44100, 0);

    if (!(loader = rig_our_loader()))
    {
        ok(0, "our loader could be created");
        return;
    }
    RUN(test_class);
    RUN(test_bad_input);
    RUN(test_direct);
    RUN(test_table);
    RUN(test_sink_lists);
    RUN(test_transform_types_unset);
    RUN(test_tees);
    RUN(test_media_sink_stream_id);
    RUN(test_long_chain);
    RUN(test_video);
    IMFTopoLoader_Release(loader);

    for (i = 0; i < TYPE_COUNT; ++i) IMFMediaType_Release(types[i]);
    MFShutdown();
    CoUninitialize();
}
