/*
 * bench_media.c: real files through each session into a rateless sample
 * grabber (MF_SAMPLEGRABBERSINK_IGNORE_CLOCK), with the platform's own
 * components: the source resolver's media source, and whatever decoders and
 * converters each session's topology loader inserts (ours: the project's
 * loader; the platform's session: Wine's).  The media are the shared test
 * files of tools/make-media.sh in MFSESSION_MEDIA_DIR:
 *
 *   media_mp3       tone.mp3 (3 s stereo) into a PCM grabber
 *   media_aac       tone.m4a (AAC-LC) into a PCM grabber
 *   media_h264      bars.mp4's video stream (H.264, 90 frames) into a grabber
 *                   of the decoder's NV12, or of the source's own subtype when
 *                   the source hands out decoded video (Wine's does: I420)
 *   media_rawvideo  bars.avi's video stream (I420) through the video
 *                   processor (inserted by the client, as test_video does)
 *                   into an RGB32 grabber
 *
 * One repetition is one play: a new source, a topology set and resolved
 * (not timed), then Start -> MESessionEnded timed with the bench's event
 * consumer; figures: that time (ms), the grabber's OnProcessSample calls and
 * their bytes.  A play that delivers less than 90% of the file's duration is
 * a failure, not a fast run.  Before its first repetition each session plays
 * the file once untimed (GStreamer's plugins and the decoders load then), and
 * the bench notes, once per session, the stream's type at the source, the
 * number of transforms in the resolved topology and the grabber's type.
 * A play is hung when neither a sample nor MESessionEnded comes for
 * end_grace_ms; one that delivered everything but never ended is played
 * again (play_noted), every such play in the notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "media.h"

/* Not in the import libraries (Wine: winegstreamer's video processor). */
static const GUID bench_CLSID_VideoProcessorMFT =
        {0x88753b26, 0x5b24, 0x49bd, {0xb2, 0xe7, 0x0c, 0x44, 0x5c, 0x78, 0xc9, 0x82}};

enum media_case { MEDIA_MP3, MEDIA_AAC, MEDIA_H264, MEDIA_RAW_VIDEO, MEDIA_COUNT };

static const struct
{
    const char *id, *file;
    const GUID *major;
    BOOL processor;     /* through the video processor to RGB32 */
} cases[MEDIA_COUNT] =
{
    {"media_mp3", "tone.mp3", &MFMediaType_Audio, FALSE},
    {"media_aac", "tone.m4a", &MFMediaType_Audio, FALSE},
    {"media_h264", "bars.mp4", &MFMediaType_Video, FALSE},
    {"media_rawvideo", "bars.avi", &MFMediaType_Video, TRUE},
};

/* One play.  On the heap: a session that hangs is abandoned with it, and its
 * grabber may still be called. */
struct play
{
    struct grabber g;
    IMFMediaSource *source;
    IMFPresentationDescriptor *pd;
    IMFActivate *activate;
    IMFTopology *topology;
    IMFMediaSession *session;
    struct consumer *consumer;
    UINT64 duration;        /* MF_PD_DURATION */
    char stream_type[96];   /* the selected stream's type at the source */
};

/* ---- describing media types, for the notes ---- */

static void subtype_name(const GUID *subtype, BOOL video, char *buf, size_t size)
{
    static const GUID base = {0, 0x0000, 0x0010, {0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};
    DWORD fourcc = subtype->Data1;

    if (memcmp(&subtype->Data2, &base.Data2, sizeof(GUID) - sizeof(DWORD)))
        snprintf(buf, size, "{%08lx-...}", subtype->Data1);
    else if (video && fourcc == 22) snprintf(buf, size, "RGB32");     /* D3DFMT_X8R8G8B8 */
    else if (video && fourcc == 21) snprintf(buf, size, "ARGB32");
    else if (!video && fourcc == 1) snprintf(buf, size, "PCM");
    else if (!video && fourcc == 3) snprintf(buf, size, "float");
    else if (fourcc < 0x10000) snprintf(buf, size, "format tag %#lx", fourcc);
    else snprintf(buf, size, "%c%c%c%c", (char)fourcc, (char)(fourcc >> 8), (char)(fourcc >> 16), (char)(fourcc >> 24));
}

static void describe_type(IMFMediaType *type, char *buf, size_t size)
{
    UINT32 bits = 0, rate = 0, channels = 0;
    UINT64 frame = 0;
    char name[32];
    GUID major, subtype;

    if (!type || FAILED(IMFMediaType_GetGUID(type, &MF_MT_MAJOR_TYPE, &major))
            || FAILED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype)))
    {
        snprintf(buf, size, "unknown");
        return;
    }
    subtype_name(&subtype, !IsEqualGUID(&major, &MFMediaType_Audio), name, sizeof(name));
    if (IsEqualGUID(&major, &MFMediaType_Audio))
    {
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, &bits);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, &rate);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, &channels);
        snprintf(buf, size, "%s %u-bit %u Hz %u ch", name, bits, rate, channels);
    }
    else
    {
        IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &frame);
        snprintf(buf, size, "%s %ux%u", name, (unsigned)(frame >> 32), (unsigned)frame);
    }
}

/* Once per case and kind: what the resolved topology is made of. */
static void note_topology(enum media_case mc, enum bench_kind kind, struct play *p)
{
    static BOOL noted[MEDIA_COUNT][KIND_COUNT];
    IMFMediaTypeHandler *handler;
    IMFTopologyNode *node;
    IMFStreamSink *stream;
    IMFMediaType *type;
    IMFTopology *full;
    MF_TOPOLOGY_TYPE node_type;
    char grabber_type[96] = "unknown";
    unsigned transforms = 0;
    IUnknown *object;
    WORD count = 0, i;

    if (noted[mc][kind]) return;
    noted[mc][kind] = TRUE;
    if (FAILED(IMFMediaSession_GetFullTopology(p->session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &full)))
    {
        bench_note("%s, %s: the stream is %s at the source; no full topology to inspect", cases[mc].id,
                kind_name(kind), p->stream_type);
        return;
    }
    IMFTopology_GetNodeCount(full, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(full, i, &node))) continue;
        IMFTopologyNode_GetNodeType(node, &node_type);
        if (node_type == MF_TOPOLOGY_TRANSFORM_NODE) ++transforms;
        if (node_type == MF_TOPOLOGY_OUTPUT_NODE && SUCCEEDED(IMFTopologyNode_GetObject(node, &object)))
        {
            if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFStreamSink, (void **)&stream)))
            {
                if (SUCCEEDED(IMFStreamSink_GetMediaTypeHandler(stream, &handler)))
                {
                    if (SUCCEEDED(IMFMediaTypeHandler_GetCurrentMediaType(handler, &type)))
                    {
                        describe_type(type, grabber_type, sizeof(grabber_type));
                        IMFMediaType_Release(type);
                    }
                    IMFMediaTypeHandler_Release(handler);
                }
                IMFStreamSink_Release(stream);
            }
            IUnknown_Release(object);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(full);
    bench_note("%s, %s: the stream is %s at the source; %u transform(s); the grabber takes %s", cases[mc].id,
            kind_name(kind), p->stream_type, transforms, grabber_type);
}

/* ---- the topology ---- */

/* Selects the file's first stream of `major` (the others deselected); its index, ~0u if none. */
static DWORD select_stream(struct play *p, const GUID *major, IMFMediaType **current)
{
    IMFMediaTypeHandler *handler;
    IMFStreamDescriptor *sd;
    DWORD count = 0, i, found = ~0u;
    BOOL selected;
    GUID type;

    *current = NULL;
    IMFPresentationDescriptor_GetStreamDescriptorCount(p->pd, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(p->pd, i, &selected, &sd))) continue;
        IMFStreamDescriptor_GetMediaTypeHandler(sd, &handler);
        if (found == ~0u && SUCCEEDED(IMFMediaTypeHandler_GetMajorType(handler, &type)) && IsEqualGUID(&type, major)
                && SUCCEEDED(IMFMediaTypeHandler_GetCurrentMediaType(handler, current)))
        {
            found = i;
            IMFPresentationDescriptor_SelectStream(p->pd, i);
        }
        else
            IMFPresentationDescriptor_DeselectStream(p->pd, i);
        IMFMediaTypeHandler_Release(handler);
        IMFStreamDescriptor_Release(sd);
    }
    return found;
}

/* The grabber's type: PCM for audio; for video the decoder's NV12 when the
 * source hands out H.264, else the source's own subtype (nothing to convert). */
static IMFMediaType *grabber_type(const GUID *major, IMFMediaType *stream)
{
    IMFMediaType *type;
    GUID subtype = GUID_NULL;

    if (FAILED(MFCreateMediaType(&type))) return NULL;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, major);
    IMFMediaType_GetGUID(stream, &MF_MT_SUBTYPE, &subtype);
    if (IsEqualGUID(major, &MFMediaType_Audio)) subtype = MFAudioFormat_PCM;
    else if (IsEqualGUID(&subtype, &MFVideoFormat_H264)) subtype = MFVideoFormat_NV12;
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, &subtype);
    return type;
}

/* The video processor with the stream's type in and RGB32 of the same frame
 * out (*out_type). */
static HRESULT create_processor(IMFMediaType *in_type, IMFTransform **mft, IMFMediaType **out_type)
{
    HRESULT hr;

    *out_type = NULL;
    if (FAILED(hr = CoCreateInstance(&bench_CLSID_VideoProcessorMFT, NULL, CLSCTX_INPROC_SERVER, &IID_IMFTransform,
            (void **)mft)))
        return hr;
    if (SUCCEEDED(hr = MFCreateMediaType(out_type)))
    {
        IMFMediaType_CopyAllItems(in_type, (IMFAttributes *)*out_type);
        IMFMediaType_SetGUID(*out_type, &MF_MT_SUBTYPE, &MFVideoFormat_RGB32);
        /* The source's stride and sample size are I420's. */
        IMFMediaType_DeleteItem(*out_type, &MF_MT_DEFAULT_STRIDE);
        IMFMediaType_DeleteItem(*out_type, &MF_MT_SAMPLE_SIZE);
        if (SUCCEEDED(hr = IMFTransform_SetInputType(*mft, 0, in_type, 0)))
            hr = IMFTransform_SetOutputType(*mft, 0, *out_type, 0);
    }
    if (FAILED(hr))
    {
        if (*out_type) IMFMediaType_Release(*out_type);
        IMFTransform_Release(*mft);
        *out_type = NULL;
        *mft = NULL;
    }
    return hr;
}

/* A transform node holding mft between the topology's source node (0) and output node (1). */
static HRESULT insert_transform(IMFTopology *topology, IMFTransform *mft)
{
    IMFTopologyNode *src_node, *out_node, *mft_node;
    HRESULT hr;

    if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_TRANSFORM_NODE, &mft_node))) return hr;
    IMFTopologyNode_SetObject(mft_node, (IUnknown *)mft);
    IMFTopology_AddNode(topology, mft_node);
    IMFTopology_GetNode(topology, 0, &src_node);
    IMFTopology_GetNode(topology, 1, &out_node);
    if (SUCCEEDED(hr = IMFTopologyNode_ConnectOutput(src_node, 0, mft_node, 0)))
        hr = IMFTopologyNode_ConnectOutput(mft_node, 0, out_node, 0);
    IMFTopologyNode_Release(src_node);
    IMFTopologyNode_Release(out_node);
    IMFTopologyNode_Release(mft_node);
    return hr;
}

/* Source, presentation descriptor, grabber and the partial topology. */
static BOOL play_prepare(struct play *p, enum media_case mc, struct bench_run *r)
{
    IMFMediaType *stream = NULL, *type = NULL;
    IMFTransform *processor = NULL;
    char dir[MAX_PATH], path[2 * MAX_PATH];
    WCHAR wpath[2 * MAX_PATH];
    DWORD index;
    HRESULT hr;

    if (!GetEnvironmentVariableA("MFSESSION_MEDIA_DIR", dir, sizeof(dir)))
        return run_fail(r, HRESULT_FROM_WIN32(ERROR_ENVVAR_NOT_FOUND),
                "MFSESSION_MEDIA_DIR is not set (tools/bench.sh makes the media)");
    snprintf(path, sizeof(path), "%s/%s", dir, cases[mc].file);
    MultiByteToWideChar(CP_ACP, 0, path, -1, wpath, ARRAYSIZE(wpath));
    if (FAILED(hr = open_source(wpath, &p->source))) return run_fail(r, hr, "the source resolver on %s", path);
    if (FAILED(hr = IMFMediaSource_CreatePresentationDescriptor(p->source, &p->pd)))
        return run_fail(r, hr, "CreatePresentationDescriptor");
    IMFPresentationDescriptor_GetUINT64(p->pd, &MF_PD_DURATION, &p->duration);
    if ((index = select_stream(p, cases[mc].major, &stream)) == ~0u)
        return run_fail(r, MF_E_INVALIDSTREAMNUMBER, "%s has no stream of that type", cases[mc].file);
    describe_type(stream, p->stream_type, sizeof(p->stream_type));
    if (cases[mc].processor) hr = create_processor(stream, &processor, &type);
    else hr = (type = grabber_type(cases[mc].major, stream)) ? S_OK : E_OUTOFMEMORY;
    IMFMediaType_Release(stream);
    if (FAILED(hr)) return run_fail(r, hr, cases[mc].processor ? "the video processor (I420 in, RGB32 out)" : "type");
    hr = MFCreateSampleGrabberSinkActivate(type, &p->g.IMFSampleGrabberSinkCallback_iface, &p->activate);
    IMFMediaType_Release(type);
    if (SUCCEEDED(hr))
    {
        IMFActivate_SetUINT32(p->activate, &MF_SAMPLEGRABBERSINK_IGNORE_CLOCK, TRUE);
        p->topology = stream_topology(p->source, p->pd, index, p->activate);
        if (processor) hr = insert_transform(p->topology, processor);
    }
    if (processor) IMFTransform_Release(processor);
    return SUCCEEDED(hr) || run_fail(r, hr, "building the topology");
}

/* Close (waited for), Shutdown, Release.  A session that does not close is
 * abandoned, leaked with everything it may still call (the grabber, the
 * source), as rig_destroy does: shutting Wine's source down under the hung
 * session crashed GStreamer mid-run once (a heap corruption, all results
 * lost); left running, Wine's GStreamer threads crash the process at exit
 * instead, after the results are written (bench.exe then exits with a
 * segmentation fault).  A Close that fails after MESessionEnded came does
 * not undo the measurement: it is noted, once per case and kind. */
static void play_destroy(struct play *p, enum media_case mc, enum bench_kind kind, struct bench_run *r)
{
    static BOOL noted[MEDIA_COUNT][KIND_COUNT];
    HRESULT hr = S_OK;

    if (p->session && p->consumer && !consumer_idle(p->consumer))
    {
        if (SUCCEEDED(hr = IMFMediaSession_Close(p->session)))
            hr = consumer_wait(p->consumer, MESessionClosed, 0, opt.timeout_ms, NULL);
        if (FAILED(hr) && r->status == BENCH_OK && !noted[mc][kind])
        {
            noted[mc][kind] = TRUE;
            bench_note("%s, %s: Close after MESessionEnded: %s (%#lx); the session was abandoned", cases[mc].id,
                    kind_name(kind), hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT) ? "no MESessionClosed within the timeout"
                    : "failed", (unsigned long)hr);
        }
        if (hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT))
        {
            InterlockedIncrement(&bench_abandoned);
            return;
        }
    }
    if (p->session) IMFMediaSession_Shutdown(p->session);
    if (p->consumer)
    {
        consumer_detach(p->consumer);
        consumer_release(p->consumer);
    }
    if (p->session) IMFMediaSession_Release(p->session);
    if (p->topology) IMFTopology_Release(p->topology);
    if (p->activate)
    {
        IMFActivate_ShutdownObject(p->activate);
        IMFActivate_Release(p->activate);
    }
    if (p->pd) IMFPresentationDescriptor_Release(p->pd);
    if (p->source)
    {
        IMFMediaSource_Shutdown(p->source);
        IMFMediaSource_Release(p->source);
    }
    free(p);
}

/* One play of the case by one session: values ms, callbacks, bytes. */
static void play_once(enum media_case mc, enum bench_kind kind, struct bench_run *r)
{
    struct consumer_event ended;
    struct play *p;
    LONGLONG start;
    HRESULT hr;

    if (!(p = calloc(1, sizeof(*p))))
    {
        run_fail(r, E_OUTOFMEMORY, "play");
        return;
    }
    grabber_init(&p->g);
    if (!play_prepare(p, mc, r)) goto done;
    if (FAILED(hr = session_create(kind, &p->session))) { run_fail(r, hr, "creating the session"); goto done; }
    if (!(p->consumer = consumer_create())) { run_fail(r, E_OUTOFMEMORY, "consumer"); goto done; }
    if (FAILED(hr = consumer_attach(p->consumer, p->session))) { run_fail(r, hr, "BeginGetEvent"); goto done; }
    if (FAILED(hr = IMFMediaSession_SetTopology(p->session, 0, p->topology))) { run_fail(r, hr, "SetTopology"); goto done; }
    /* Resolution (decoders created, GStreamer pipelines prerolled) is not timed. */
    if (FAILED(hr = consumer_wait(p->consumer, MESessionTopologyStatus, MF_TOPOSTATUS_READY, 2 * opt.timeout_ms, NULL)))
    {
        run_fail(r, hr, "waiting for MF_TOPOSTATUS_READY");
        goto done;
    }
    start = qpc_now();
    {
        PROPVARIANT pos;
        PropVariantInit(&pos);
        hr = IMFMediaSession_Start(p->session, &GUID_NULL, &pos);
    }
    if (FAILED(hr)) { run_fail(r, hr, "Start"); goto done; }
    /* Hung: no MESessionEnded and no new sample for end_grace_ms. */
    for (;;)
    {
        LONG before = p->g.samples;
        if ((hr = consumer_wait(p->consumer, MESessionEnded, 0, opt.end_grace_ms, &ended))
                != HRESULT_FROM_WIN32(WAIT_TIMEOUT) || p->g.samples == before)
            break;
    }
    if (FAILED(hr))
    {
        run_fail(r, hr, "no MESessionEnded (%ld samples, %lld of %llu ms of media)", p->g.samples,
                p->g.duration / 10000, p->duration / 10000);
        if (hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT) && (UINT64)p->g.duration * 10 >= p->duration * 9) r->values[4] = 1;
        goto done;
    }
    /* Fewer bytes would be a faster run that did not do the work. */
    if (!p->g.samples || (p->duration && (UINT64)p->g.duration * 10 < p->duration * 9))
    {
        run_fail(r, E_FAIL, "only %lld of %llu ms of media reached the grabber (%ld samples)", p->g.duration / 10000,
                p->duration / 10000, p->g.samples);
        goto done;
    }
    r->values[0] = qpc_us(ended.qpc - start) / 1000;
    r->values[1] = p->g.samples;
    r->values[2] = (double)p->g.bytes;
    r->values[3] = (double)p->g.duration / 10000;
    note_topology(mc, kind, p);
done:
    play_destroy(p, mc, kind, r);
}

#define MAX_ATTEMPTS 3

/* A play in which every sample arrived but MESessionEnded did not (the
 * platform's session on Wine, now and then: docs/PERFORMANCE.md) is noted
 * and played again, up to MAX_ATTEMPTS times: the figure is then the time of
 * a play that ended, and the notes say how often one did not. */
static void play_noted(enum media_case mc, enum bench_kind kind, const char *which, struct bench_run *r)
{
    static unsigned plays[MEDIA_COUNT][KIND_COUNT];
    unsigned attempt;

    for (attempt = 1;; ++attempt)
    {
        memset(r, 0, sizeof(*r));
        ++plays[mc][kind];
        play_once(mc, kind, r);
        if (r->status == BENCH_OK || r->values[4] != 1) return;
        bench_note("%s, %s: play %u (%s): %s%s", cases[mc].id, kind_name(kind), plays[mc][kind], which, r->what,
                attempt < MAX_ATTEMPTS ? "; played again" : "; given up");
        if (attempt == MAX_ATTEMPTS) return;
    }
}

static void measure(enum media_case mc, enum bench_kind kind, struct bench_run *r)
{
    static BOOL warm[MEDIA_COUNT][KIND_COUNT];

    if (!warm[mc][kind])
    {
        warm[mc][kind] = TRUE;
        play_noted(mc, kind, "warm-up", r);
        /* A session that cannot play the file at all fails here already. */
        if (r->status != BENCH_OK) return;
    }
    play_noted(mc, kind, "timed", r);
}

void wl_media_mp3(enum bench_kind kind, struct bench_run *r) { measure(MEDIA_MP3, kind, r); }
void wl_media_aac(enum bench_kind kind, struct bench_run *r) { measure(MEDIA_AAC, kind, r); }
void wl_media_h264(enum bench_kind kind, struct bench_run *r) { measure(MEDIA_H264, kind, r); }
void wl_media_rawvideo(enum bench_kind kind, struct bench_run *r) { measure(MEDIA_RAW_VIDEO, kind, r); }
