/*
 * bench_loader.c: how long IMFTopoLoader::Load takes, ours against the
 * platform's (MFCreateTopoLoader), on four partial topologies built from the
 * test doubles: a converter branch (PCM 44.1 -> 48 kHz, the resampler), a
 * decoder branch (H.264 -> NV12, the H.264 decoder), a decoder+converter
 * branch (a locally registered decoder, then the resampler) and a 4-way tee
 * with a converter on two branches.  Two more give the platform's loader,
 * which resolves neither of the last two under Wine 8 (nor the tee under
 * Wine 10), the same work in shapes it does resolve: the tee's four branches
 * as four sources without a tee (the same two resamplers), and the local
 * decoder alone (decoder+converter is that plus the converter row).  Each
 * repetition loads the same input
 * `iterations` times (a loader never changes its input) and reports the p50
 * and p99 of one Load, in microseconds.  A loader that cannot resolve the
 * shape (Wine 8's, for the last two) is reported failed with its code.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "test_loader_rig.h"

#define LOAD_ITERATIONS 200

enum loader_shape { SHAPE_CONVERT, SHAPE_DECODE, SHAPE_DECODE_CONVERT, SHAPE_TEE4, SHAPE_BRANCHES4, SHAPE_DECODE_LOCAL };

static IMFMediaType *audio(UINT32 rate)
{
    return rig_audio(&MFAudioFormat_PCM, 1, rate, 16);
}

/* Connects `up`'s output `index` to a new output node holding a dlsink whose current type is `type`. */
static void add_sink(IMFTopology *topology, IMFTopologyNode *up, DWORD index, IMFMediaType *type)
{
    IMFStreamSink *sink = rig_sink(type, NULL);
    IMFTopologyNode *out = rig_output_node((IUnknown *)sink, -1);

    IMFTopology_AddNode(topology, out);
    IMFTopologyNode_ConnectOutput(up, index, out, 0);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
}

static IMFTopology *build(enum loader_shape shape)
{
    IMFMediaType *in, *out, *out2;
    IMFTopologyNode *src, *tee;
    IMFTopology *topology;
    unsigned i;

    switch (shape)
    {
    case SHAPE_CONVERT: in = audio(44100); out = audio(48000); break;
    case SHAPE_DECODE: in = rig_video(&MFVideoFormat_H264, 320, 240); out = rig_video(&MFVideoFormat_NV12, 320, 240); break;
    case SHAPE_DECODE_CONVERT: in = rig_audio_bare(&DCODEC_SUBTYPE); out = audio(44100); break;
    case SHAPE_DECODE_LOCAL: in = rig_audio_bare(&DCODEC_SUBTYPE); out = audio(48000); break;
    default: in = audio(44100); out = audio(44100); break;
    }
    MFCreateTopology(&topology);
    src = rig_source_node(&in, 1, in);
    IMFTopology_AddNode(topology, src);
    if (shape == SHAPE_TEE4)
    {
        out2 = audio(48000);
        MFCreateTopologyNode(MF_TOPOLOGY_TEE_NODE, &tee);
        IMFTopology_AddNode(topology, tee);
        IMFTopologyNode_ConnectOutput(src, 0, tee, 0);
        for (i = 0; i < 4; ++i) add_sink(topology, tee, i, i % 2 ? out2 : out);
        IMFTopologyNode_Release(tee);
        IMFMediaType_Release(out2);
    }
    else if (shape == SHAPE_BRANCHES4)
    {
        /* The tee's branches, each from a source of its own. */
        out2 = audio(48000);
        add_sink(topology, src, 0, out);
        for (i = 1; i < 4; ++i)
        {
            IMFTopologyNode *more = rig_source_node(&in, 1, in);
            IMFTopology_AddNode(topology, more);
            add_sink(topology, more, 0, i % 2 ? out2 : out);
            IMFTopologyNode_Release(more);
        }
        IMFMediaType_Release(out2);
    }
    else
        add_sink(topology, src, 0, out);
    IMFTopologyNode_Release(src);
    IMFMediaType_Release(in);
    IMFMediaType_Release(out);
    return topology;
}

static HRESULT create_loader(enum bench_kind kind, IMFTopoLoader **loader)
{
    if (kind == KIND_PLATFORM) return MFCreateTopoLoader(loader);
    return (*loader = rig_our_loader()) ? S_OK : E_FAIL;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void measure(enum bench_kind kind, enum loader_shape shape, struct bench_run *r)
{
    struct dcodec_desc decoder = {DCODEC_DECODER, FALSE, 1};
    IClassFactory *cookie = NULL;
    IMFTopology *topology, *result;
    IMFTopoLoader *loader;
    double *times;
    LONGLONG start;
    unsigned i, n = opt.quick ? LOAD_ITERATIONS / 4 : LOAD_ITERATIONS;
    HRESULT hr;

    if (FAILED(hr = create_loader(kind, &loader)))
    {
        r->status = BENCH_FAILED;
        r->hr = hr;
        snprintf(r->what, sizeof(r->what), "loader not created");
        return;
    }
    if (!(times = calloc(n, sizeof(*times))))
    {
        IMFTopoLoader_Release(loader);
        r->status = BENCH_FAILED;
        r->hr = E_OUTOFMEMORY;
        return;
    }
    if (shape == SHAPE_DECODE_CONVERT || shape == SHAPE_DECODE_LOCAL) dcodec_register_local(&decoder, &cookie);
    topology = build(shape);
    for (i = 0; i < n; ++i)
    {
        start = qpc_now();
        hr = IMFTopoLoader_Load(loader, topology, &result, NULL);
        times[i] = qpc_us(qpc_now() - start);
        if (FAILED(hr))
        {
            r->status = BENCH_FAILED;
            r->hr = hr;
            snprintf(r->what, sizeof(r->what), "Load");
            break;
        }
        IMFTopology_Release(result);
    }
    if (i == n)
    {
        qsort(times, n, sizeof(*times), compare_double);
        r->status = BENCH_OK;
        r->values[0] = times[n / 2];
        r->values[1] = times[(n * 99) / 100];
    }
    IMFTopology_Clear(topology);
    IMFTopology_Release(topology);
    if (cookie) dcodec_unregister_local(cookie);
    IMFTopoLoader_Release(loader);
    free(times);
}

void wl_loader_convert(enum bench_kind kind, struct bench_run *r) { measure(kind, SHAPE_CONVERT, r); }
void wl_loader_decode(enum bench_kind kind, struct bench_run *r) { measure(kind, SHAPE_DECODE, r); }
void wl_loader_decode_convert(enum bench_kind kind, struct bench_run *r) { measure(kind, SHAPE_DECODE_CONVERT, r); }
void wl_loader_tee4(enum bench_kind kind, struct bench_run *r) { measure(kind, SHAPE_TEE4, r); }
void wl_loader_branches4(enum bench_kind kind, struct bench_run *r) { measure(kind, SHAPE_BRANCHES4, r); }
void wl_loader_decode_local(enum bench_kind kind, struct bench_run *r) { measure(kind, SHAPE_DECODE_LOCAL, r); }
