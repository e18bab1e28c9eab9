/*
 * transform_output.c: the samples the session hands a synchronous
 * transform's outputs.
 *
 * MFT_OUTPUT_STREAM_INFO.cbSize is a minimum: a decoder that reports one
 * audio frame there would otherwise be called once per frame (measured: 3 s
 * of AAC came out as 6,149 samples).  An audio output gets room for what one
 * input sample becomes (its duration at the output's average byte rate,
 * whole blocks); cbAlignment is honoured; a sample the transform did not
 * write is kept for the next call instead of being freed.  Streams the
 * transform fills itself (PROVIDES_SAMPLES, CAN_PROVIDE_SAMPLES) get no
 * sample unless the renderer downstream has its own allocator
 * (video_alloc.c).  Where the renderer's samples cannot be written by the
 * transform, it writes a memory sample and the frame is copied into the
 * renderer's (sample_copy.c).  Serializer only.
 */
#include "transform_output.h"
#include "video_alloc.h"

/* No transform needs more than this for one output; a bogus duration or
 * byte rate must not make us allocate gigabytes. */
#define MAX_OUTPUT_BYTES (64u << 20)
/* Audio with no input duration known yet: 100 ms worth. */
#define DEFAULT_AUDIO_DIVISOR 10
/* Nothing known at all (no cbSize, not audio). */
#define DEFAULT_OUTPUT_BYTES 4096

static void output_drop_spare(struct transform_output *out)
{
    if (out->spare) IMFSample_Release(out->spare);
    out->spare = NULL;
    out->spare_size = 0;
    /* Back to the renderer's pool. */
    if (out->target) IMFSample_Release(out->target);
    out->target = NULL;
}

/* Without MF_MT_DEFAULT_STRIDE an RGB frame is bottom-up (as with a
 * BITMAPINFOHEADER's positive height; Wine's converters write it so) and
 * other formats top-down: 0 then stands for the contiguous layout. */
static LONG default_stride(IMFMediaType *type, UINT32 width)
{
    static const GUID *const rgb[] = {&MFVideoFormat_RGB32, &MFVideoFormat_ARGB32, &MFVideoFormat_RGB24,
            &MFVideoFormat_RGB555, &MFVideoFormat_RGB565, &MFVideoFormat_RGB8};
    LONG stride = 0;
    GUID subtype;
    unsigned i;

    if (FAILED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype))) return 0;
    for (i = 0; i < sizeof(rgb) / sizeof(rgb[0]); ++i)
        if (IsEqualGUID(&subtype, rgb[i]) && SUCCEEDED(MFGetStrideForBitmapInfoHeader(subtype.Data1, width, &stride)))
            return -labs(stride);
    return 0;
}

static void output_read_type(struct pnode *node, DWORD index, struct transform_output *out)
{
    IMFMediaType *type;
    UINT64 frame_size = 0;
    GUID major;
    UINT32 value;

    out->bytes_per_second = out->block_align = 0;
    memset(&out->frame, 0, sizeof(out->frame));
    if (FAILED(IMFTransform_GetOutputCurrentType(node->mft, index, &type))) return;
    if (FAILED(IMFMediaType_GetMajorType(type, &major))) major = GUID_NULL;
    if (IsEqualGUID(&major, &MFMediaType_Audio))
    {
        if (SUCCEEDED(IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND, &value)))
            out->bytes_per_second = value;
        if (SUCCEEDED(IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT, &value)))
            out->block_align = value;
    }
    else if (IsEqualGUID(&major, &MFMediaType_Video))
    {
        /* For a frame written into memory and copied into the renderer's sample. */
        if (SUCCEEDED(IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &frame_size))) out->frame.rows = (UINT32)frame_size;
        if (SUCCEEDED(IMFMediaType_GetUINT32(type, &MF_MT_DEFAULT_STRIDE, &value))) out->frame.stride = (INT32)value;
        else out->frame.stride = default_stride(type, (UINT32)(frame_size >> 32));
    }
    IMFMediaType_Release(type);
}

void transform_output_prepare(struct pnode *node)
{
    MFT_OUTPUT_STREAM_INFO info;
    DWORD i;

    if (node->kind != PNODE_TRANSFORM || !node->output_count) return;
    if (!node->touts && !(node->touts = mfs_calloc(node->output_count, sizeof(*node->touts)))) return;
    for (i = 0; i < node->output_count; ++i)
    {
        struct transform_output *out = &node->touts[i];

        output_drop_spare(out);
        memset(&info, 0, sizeof(info));
        if (SUCCEEDED(IMFTransform_GetOutputStreamInfo(node->mft, i, &info)))
        {
            out->flags = info.dwFlags;
            out->min_size = info.cbSize;
            out->alignment = info.cbAlignment;
        }
        /* An optional stream nobody consumes is deselected: it then produces
         * nothing and needs no buffer. */
        if (!node->outputs[i] && (out->flags & MFT_OUTPUT_STREAM_OPTIONAL))
            IMFTransform_SetOutputType(node->mft, i, NULL, 0);
        output_read_type(node, i, out);
    }
    /* Stream 0's view, kept for the code that predates the table. */
    node->mft_provides_samples = !!(node->touts[0].flags & (MFT_OUTPUT_STREAM_PROVIDES_SAMPLES
            | MFT_OUTPUT_STREAM_CAN_PROVIDE_SAMPLES));
    node->mft_output_size = node->touts[0].min_size;
}

void transform_output_release(struct pnode *node)
{
    DWORD i;

    if (!node->touts) return;
    for (i = 0; i < node->output_count; ++i) output_drop_spare(&node->touts[i]);
    mfs_free(node->touts);
    node->touts = NULL;
}

void transform_output_note_input(struct pnode *node, IMFSample *sample)
{
    LONGLONG duration;

    if (SUCCEEDED(IMFSample_GetSampleDuration(sample, &duration)) && duration > 0)
        node->mft_input_duration = duration;
}

/* The buffer size for one call on an output that the session fills. */
static DWORD output_size(const struct pnode *node, const struct transform_output *out)
{
    ULONGLONG size = out->min_size;

    if (out->bytes_per_second)
    {
        ULONGLONG want;
        if (node->mft_input_duration > 0)
            want = ((ULONGLONG)node->mft_input_duration * out->bytes_per_second + 9999999) / 10000000;
        else
            want = out->bytes_per_second / DEFAULT_AUDIO_DIVISOR;
        if (out->block_align > 1) want = (want + out->block_align - 1) / out->block_align * out->block_align;
        if (want > size) size = want;
    }
    if (!size) size = DEFAULT_OUTPUT_BYTES;
    if (size > MAX_OUTPUT_BYTES) size = out->min_size > MAX_OUTPUT_BYTES ? out->min_size : MAX_OUTPUT_BYTES;
    return (DWORD)size;
}

static HRESULT output_new_sample(const struct transform_output *out, DWORD size, IMFSample **sample)
{
    IMFMediaBuffer *buffer;
    HRESULT hr;

    /* MFCreateAlignedMemoryBuffer takes the alignment minus one (MF_16_BYTE_ALIGNMENT is 15). */
    if (out->alignment > 1) hr = MFCreateAlignedMemoryBuffer(size, out->alignment - 1, &buffer);
    else hr = MFCreateMemoryBuffer(size, &buffer);
    if (FAILED(hr)) return hr;
    if (SUCCEEDED(hr = MFCreateSample(sample)))
    {
        if (FAILED(hr = IMFSample_AddBuffer(*sample, buffer)))
        {
            IMFSample_Release(*sample);
            *sample = NULL;
        }
    }
    IMFMediaBuffer_Release(buffer);
    return hr;
}

/* The allocator of the video renderer this output feeds directly, if any;
 * asked for at the first output, when the sink is attached. */
static struct video_alloc *output_video_alloc(struct pnode *node, DWORD output)
{
    struct edge *edge = output < node->output_count ? node->outputs[output] : NULL;

    if (!edge || edge->down->kind != PNODE_SINK) return NULL;
    video_alloc_attach(edge->down);
    return edge->down->video;
}

/* The transform writes the renderer's samples itself, unless they offer it
 * no memory to write (then it writes ours and the frame is copied); a
 * Direct3D-aware one always writes them. */
static BOOL output_copies(const struct pnode *node, const struct video_alloc *video)
{
    return video && video_alloc_copies(video) && !node->d3d_manager_set;
}

HRESULT transform_output_get_sample(struct pnode *node, DWORD output, IMFSample **sample)
{
    struct transform_output fallback = {0}, *out = node->touts ? &node->touts[output] : &fallback;
    struct video_alloc *video;
    DWORD size;
    HRESULT hr;

    *sample = NULL;
    if (out->flags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES) return S_OK;
    if (!node->outputs[output] && (out->flags & (MFT_OUTPUT_STREAM_OPTIONAL | MFT_OUTPUT_STREAM_DISCARDABLE
            | MFT_OUTPUT_STREAM_LAZY_READ)))
        return S_OK; /* deselected, or discarded with MFT_PROCESS_OUTPUT_DISCARD_WHEN_NO_BUFFER */
    if ((video = output_video_alloc(node, output)))
    {
        /* The renderer's sample first, also when the frame is copied into it:
         * an empty pool parks the pump before the transform is called. */
        if (!out->target && FAILED(hr = video_alloc_sample(video, &out->target))) return hr;
        if (!output_copies(node, video) || !node->touts)
        {
            *sample = out->target;
            out->target = NULL;
            return S_OK;
        }
    }
    else if (out->flags & MFT_OUTPUT_STREAM_CAN_PROVIDE_SAMPLES)
        return S_OK; /* it fills its own samples better than we would (no copy) */
    if (out->spare)
    {
        /* Reused: the transform did not write it last time. */
        *sample = out->spare;
        out->spare = NULL;
        if (out->spare_size >= output_size(node, out)) return S_OK;
        IMFSample_Release(*sample);
        *sample = NULL;
    }
    size = output_size(node, out);
    if (SUCCEEDED(hr = output_new_sample(out, size, sample))) out->spare_size = size;
    return hr;
}

DWORD transform_output_process_flags(struct pnode *node, const MFT_OUTPUT_DATA_BUFFER *buffers, DWORD count)
{
    DWORD i;

    if (!node->touts) return 0;
    for (i = 0; i < count; ++i)
        if (!buffers[i].pSample && (node->touts[i].flags & (MFT_OUTPUT_STREAM_DISCARDABLE | MFT_OUTPUT_STREAM_LAZY_READ))
                && !node->outputs[i])
            return MFT_PROCESS_OUTPUT_DISCARD_WHEN_NO_BUFFER;
    return 0;
}

void transform_output_return_sample(struct pnode *node, DWORD output, IMFSample *sample)
{
    struct transform_output *out = node->touts ? &node->touts[output] : NULL;
    struct video_alloc *video;
    IMFMediaBuffer *buffer;
    IMFSample **keep;

    if (!sample) return;
    video = out ? output_video_alloc(node, output) : NULL;
    /* The renderer's own sample waits as the next target; a memory one as the spare. */
    keep = video && !output_copies(node, video) ? &out->target : out ? &out->spare : NULL;
    /* One the transform allocated itself is not ours to hand back to it. */
    if (!keep || *keep || (!video && (out->flags & (MFT_OUTPUT_STREAM_PROVIDES_SAMPLES
            | MFT_OUTPUT_STREAM_CAN_PROVIDE_SAMPLES))))
    {
        IMFSample_Release(sample);
        return;
    }
    if (SUCCEEDED(IMFSample_GetBufferByIndex(sample, 0, &buffer)))
    {
        IMFMediaBuffer_SetCurrentLength(buffer, 0);
        IMFMediaBuffer_Release(buffer);
    }
    *keep = sample;
}

HRESULT transform_output_finish_sample(struct pnode *node, DWORD output, IMFSample **sample)
{
    struct transform_output *out = node->touts ? &node->touts[output] : NULL;
    IMFSample *written = *sample;
    HRESULT hr;

    if (!out || !out->target || !output_copies(node, output_video_alloc(node, output))) return S_OK;
    hr = sample_copy_frame(written, out->target, &out->frame);
    /* The memory sample stays ours for the next call; the renderer's goes down. */
    *sample = SUCCEEDED(hr) ? out->target : NULL;
    if (SUCCEEDED(hr)) out->target = NULL;
    transform_output_return_sample(node, output, written);
    return hr;
}
