/*
 * types.c: completing the bare types a converter offers or a sink asks for.
 *
 * Wine's video processor offers output types that carry little more than a
 * subtype (and a frame size); the EVR's mixer, and any sink that checks a
 * type whole, refuses those (Wine's asks for MF_MT_ALL_SAMPLES_INDEPENDENT).
 * Windows' loader negotiates a full type: the frame the converter receives,
 * in the subtype it offers.  So a candidate is completed from the
 * converter's input type with what describes the picture (frame size and
 * rate, pixel aspect ratio, interlace mode, the apertures), and with what
 * depends on the subtype computed for the candidate's own subtype (default
 * stride and sample size), never copied: a stride or size of the input's
 * format describes other buffers, and a transform that trusts them
 * allocates too little.  Items the candidate has are kept.
 *
 * A sink's partial audio type (the sample grabber's "PCM", no rate) is
 * completed the same way from the converter's input: its channels, rate
 * and sample size, the block alignment and byte rate computed.  The
 * platform's loader picks that type (PCM at the source's rate and sample
 * size), where the converter's own first offer would be another rate.
 */
#include "loader_private.h"

static const GUID *const picture_items[] =
{
    &MF_MT_FRAME_SIZE,
    &MF_MT_FRAME_RATE,
    &MF_MT_PIXEL_ASPECT_RATIO,
    &MF_MT_INTERLACE_MODE,
    &MF_MT_GEOMETRIC_APERTURE,
    &MF_MT_MINIMUM_DISPLAY_APERTURE,
    &MF_MT_PAN_SCAN_APERTURE,
    &MF_MT_VIDEO_NOMINAL_RANGE,
};

/* What describes the sound, whatever the sample format. */
static const GUID *const sound_items[] =
{
    &MF_MT_AUDIO_NUM_CHANNELS,
    &MF_MT_AUDIO_SAMPLES_PER_SECOND,
    &MF_MT_AUDIO_CHANNEL_MASK,
    &MF_MT_AUDIO_BITS_PER_SAMPLE,
    &MF_MT_ALL_SAMPLES_INDEPENDENT,
};

static BOOL major_is(IMFMediaType *type, const GUID *major)
{
    GUID value;
    return SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_MAJOR_TYPE, &value)) && IsEqualGUID(&value, major);
}

static BOOL has(IMFMediaType *type, const GUID *key)
{
    return SUCCEEDED(IMFMediaType_GetItem(type, key, NULL));
}

static void copy_missing(IMFMediaType *type, IMFMediaType *from, const GUID *const *keys, unsigned int count)
{
    PROPVARIANT value;
    unsigned int i;

    for (i = 0; i < count; ++i)
    {
        PropVariantInit(&value);
        if (!has(type, keys[i]) && SUCCEEDED(IMFMediaType_GetItem(from, keys[i], &value)))
            IMFMediaType_SetItem(type, keys[i], &value);
        PropVariantClear(&value);
    }
}

static void complete_video(IMFMediaType *type, IMFMediaType *from, const GUID *subtype)
{
    UINT32 width, height, size;
    UINT64 frame;
    LONG stride;

    copy_missing(type, from, picture_items, ARRAYSIZE(picture_items));
    if (FAILED(IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &frame))) return;
    width = (UINT32)(frame >> 32);
    height = (UINT32)frame;
    /* Top-down (a positive stride): the bitmap convention that
     * MFGetStrideForBitmapInfoHeader gives RGB (negative, bottom-up) made the
     * EVR's type bottom-up while Wine 8's video processor writes top-down
     * whatever the stride (test_video: bars.mp4 upside down); Wine's own
     * loader hands on the input's positive stride. */
    if (!has(type, &MF_MT_DEFAULT_STRIDE) && SUCCEEDED(MFGetStrideForBitmapInfoHeader(subtype->Data1, width, &stride)))
        IMFMediaType_SetUINT32(type, &MF_MT_DEFAULT_STRIDE, (UINT32)(stride < 0 ? -stride : stride));
    if (!has(type, &MF_MT_SAMPLE_SIZE) && SUCCEEDED(MFCalculateImageSize(subtype, width, height, &size)) && size)
        IMFMediaType_SetUINT32(type, &MF_MT_SAMPLE_SIZE, size);
    /* Raw frames: each sample a whole picture (the EVR's mixer asks for it). */
    if (!has(type, &MF_MT_FIXED_SIZE_SAMPLES)) IMFMediaType_SetUINT32(type, &MF_MT_FIXED_SIZE_SAMPLES, 1);
    if (!has(type, &MF_MT_ALL_SAMPLES_INDEPENDENT)) IMFMediaType_SetUINT32(type, &MF_MT_ALL_SAMPLES_INDEPENDENT, 1);
}

static void complete_audio(IMFMediaType *type, IMFMediaType *from)
{
    UINT32 channels, bits, rate;

    GUID subtype;

    /* Float samples are 32-bit whatever the input's sample size. */
    if (!has(type, &MF_MT_AUDIO_BITS_PER_SAMPLE) && SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype))
            && IsEqualGUID(&subtype, &MFAudioFormat_Float))
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, 32);
    copy_missing(type, from, sound_items, ARRAYSIZE(sound_items));
    if (FAILED(IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, &channels))
            || FAILED(IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, &bits))
            || FAILED(IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, &rate)))
        return;
    /* Computed for the candidate's own sample size, never copied. */
    if (!has(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT))
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT, channels * bits / 8);
    if (!has(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND))
        IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND, channels * bits / 8 * rate);
}

static BOOL raw_video_subtype(const GUID *subtype)
{
    UINT32 size = 0;
    return SUCCEEDED(MFCalculateImageSize(subtype, 16, 16, &size)) && size;
}

BOOL type_is_raw(IMFMediaType *type)
{
    GUID subtype;

    if (FAILED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype))) return FALSE;
    if (major_is(type, &MFMediaType_Audio))
        return IsEqualGUID(&subtype, &MFAudioFormat_PCM) || IsEqualGUID(&subtype, &MFAudioFormat_Float);
    return major_is(type, &MFMediaType_Video) && raw_video_subtype(&subtype);
}

HRESULT type_complete(IMFMediaType *candidate, IMFMediaType *from, IMFMediaType **out)
{
    BOOL video, audio;
    IMFMediaType *type;
    GUID subtype;
    HRESULT hr;

    *out = NULL;
    video = from && major_is(candidate, &MFMediaType_Video) && major_is(from, &MFMediaType_Video)
            && SUCCEEDED(IMFMediaType_GetGUID(candidate, &MF_MT_SUBTYPE, &subtype)) && raw_video_subtype(&subtype);
    /* A partial audio type: a subtype and no rate (a grabber's, a renderer's). */
    audio = from && major_is(candidate, &MFMediaType_Audio) && major_is(from, &MFMediaType_Audio)
            && !has(candidate, &MF_MT_AUDIO_SAMPLES_PER_SECOND);
    if (!video && !audio)
    {
        /* Compressed, complete already, or nothing to complete it from. */
        *out = candidate;
        IMFMediaType_AddRef(candidate);
        return S_OK;
    }
    if (FAILED(hr = MFCreateMediaType(&type))) return hr;
    if (FAILED(hr = IMFMediaType_CopyAllItems(candidate, (IMFAttributes *)type)))
    {
        IMFMediaType_Release(type);
        return hr;
    }
    if (video) complete_video(type, from, &subtype);
    else complete_audio(type, from);
    *out = type;
    return S_OK;
}
