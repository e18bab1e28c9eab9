/*
 * mfplay: the media side.  Opens a path or URL with the source resolver,
 * describes its streams, and builds the partial topology the reference client
 * builds (source-stream node -> output node holding an IMFActivate), with the
 * audio renderer for audio, the EVR for video in a window and sample
 * grabbers with --null.  The topology loader finds the decoders and
 * converters, the video processor in front of the EVR included (ours does;
 * Wine's own loader does not connect raw video to Wine's EVR, docs/LOADER.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mfplay.h"

/* ---- opening ---- */

static BOOL is_url(const WCHAR *location)
{
    return wcsstr(location, L"://") != NULL;
}

/* Under Wine a Unix path ("/tmp/tone.wav") is reached through the DOS name
 * Wine gives it; elsewhere a leading '/' is just a path on the current drive. */
BOOL unix_path_to_dos(const WCHAR *path, WCHAR *out, DWORD size)
{
    WCHAR *(CDECL *pwine_get_dos_file_name)(const char *);
    char unix_path[MAX_PATH * 3];
    WCHAR *dos;

    pwine_get_dos_file_name = (void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_dos_file_name");
    if (!pwine_get_dos_file_name) return FALSE;
    if (!WideCharToMultiByte(CP_UTF8, 0, path, -1, unix_path, sizeof(unix_path), NULL, NULL)) return FALSE;
    if (!(dos = pwine_get_dos_file_name(unix_path))) return FALSE;
    lstrcpynW(out, dos, size);
    HeapFree(GetProcessHeap(), 0, dos);
    return TRUE;
}

HRESULT media_open(const WCHAR *location, IMFMediaSource **source, WCHAR *resolved, DWORD resolved_size,
        BOOL *unsupported)
{
    IMFSourceResolver *resolver;
    MF_OBJECT_TYPE type;
    IUnknown *object;
    HANDLE file;
    HRESULT hr;
    DWORD attributes;

    *source = NULL;
    *unsupported = FALSE;
    if (is_url(location))
        lstrcpynW(resolved, location, resolved_size);
    else
    {
        if (!(location[0] == '/' && unix_path_to_dos(location, resolved, resolved_size))
                && !GetFullPathNameW(location, resolved_size, resolved, NULL))
            return HRESULT_FROM_WIN32(GetLastError());
        /* A clear "file not found" rather than whatever the resolver makes of it. */
        attributes = GetFileAttributesW(resolved);
        if (attributes == INVALID_FILE_ATTRIBUTES) return HRESULT_FROM_WIN32(GetLastError());
        if (attributes & FILE_ATTRIBUTE_DIRECTORY) return HRESULT_FROM_WIN32(ERROR_DIRECTORY);
        file = CreateFileW(resolved, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (file == INVALID_HANDLE_VALUE) return HRESULT_FROM_WIN32(GetLastError());
        CloseHandle(file);
    }

    if (FAILED(hr = MFCreateSourceResolver(&resolver))) return hr;
    hr = IMFSourceResolver_CreateObjectFromURL(resolver, resolved,
            MF_RESOLUTION_MEDIASOURCE | MF_RESOLUTION_CONTENT_DOES_NOT_HAVE_TO_MATCH_EXTENSION_OR_MIME_TYPE,
            NULL, &type, &object);
    IMFSourceResolver_Release(resolver);
    /* The file exists and is readable: whatever the resolver objects to is its content. */
    if (FAILED(hr) && !is_url(location) && hr != E_OUTOFMEMORY) *unsupported = TRUE;
    if (FAILED(hr)) return hr;
    hr = IUnknown_QueryInterface(object, &IID_IMFMediaSource, (void **)source);
    IUnknown_Release(object);
    return hr;
}

/* ---- describing ---- */

static const char *major_name(const GUID *major)
{
    if (IsEqualGUID(major, &MFMediaType_Audio)) return "audio";
    if (IsEqualGUID(major, &MFMediaType_Video)) return "video";
    if (IsEqualGUID(major, &MFMediaType_Stream)) return "stream";
    return "other";
}

/* Subtypes built on the FOURCC/WAVE_FORMAT base GUID are named from Data1;
 * anything else is printed as a GUID. */
static void subtype_name(const GUID *subtype, const GUID *major, char *out, size_t size)
{
    static const GUID base = {0, 0x0000, 0x0010, {0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};
    static const struct { DWORD tag; const char *name; } audio_tags[] =
    {
        {0x0001, "PCM"}, {0x0003, "Float"}, {0x0050, "MPEG"}, {0x0055, "MP3"}, {0x0092, "AC3-SPDIF"},
        {0x0160, "WMA1"}, {0x0161, "WMAudioV8"}, {0x0162, "WMAudioV9"}, {0x0163, "WMAudio Lossless"},
        {0x1600, "ADTS"}, {0x1610, "AAC"}, {0x6c61, "ALAC"}, {0x704f, "Opus"}, {0xf1ac, "FLAC"},
    };
    static const struct { DWORD code; const char *name; } d3d_formats[] =
    {
        {20, "RGB24"}, {21, "ARGB32"}, {22, "RGB32"}, {23, "RGB565"}, {24, "RGB555"}, {41, "RGB8"},
    };
    GUID rest = *subtype;
    DWORD code = subtype->Data1;
    unsigned int i;

    rest.Data1 = 0;
    if (!IsEqualGUID(&rest, &base))
    {
        snprintf(out, size, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)subtype->Data1,
                subtype->Data2, subtype->Data3, subtype->Data4[0], subtype->Data4[1], subtype->Data4[2],
                subtype->Data4[3], subtype->Data4[4], subtype->Data4[5], subtype->Data4[6], subtype->Data4[7]);
        return;
    }
    if (IsEqualGUID(major, &MFMediaType_Audio))
    {
        for (i = 0; i < ARRAYSIZE(audio_tags); ++i)
            if (audio_tags[i].tag == code) { snprintf(out, size, "%s", audio_tags[i].name); return; }
        snprintf(out, size, "WAVE_FORMAT 0x%04lx", (unsigned long)code);
        return;
    }
    for (i = 0; i < ARRAYSIZE(d3d_formats); ++i)
        if (d3d_formats[i].code == code) { snprintf(out, size, "%s", d3d_formats[i].name); return; }
    if (code > 0xffff)
        snprintf(out, size, "%c%c%c%c", (int)(code & 0xff), (int)((code >> 8) & 0xff),
                (int)((code >> 16) & 0xff), (int)((code >> 24) & 0xff));
    else
        snprintf(out, size, "0x%04lx", (unsigned long)code);
}

/* "audio PCM, 44100 Hz, 2 channels, 16 bit" or "video H264, 1280x720, 30.00 fps". */
static void describe_type(IMFMediaType *type, char *out, size_t size)
{
    GUID major = GUID_NULL, subtype = GUID_NULL;
    UINT32 rate = 0, channels = 0, bits = 0;
    UINT64 frame_size = 0, frame_rate = 0;
    char name[64];
    int len;

    IMFMediaType_GetGUID(type, &MF_MT_MAJOR_TYPE, &major);
    IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype);
    subtype_name(&subtype, &major, name, sizeof(name));
    len = snprintf(out, size, "%s %s", major_name(&major), name);
    if (IsEqualGUID(&major, &MFMediaType_Audio))
    {
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, &rate);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, &channels);
        IMFMediaType_GetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, &bits);
        len += snprintf(out + len, size - len, ", %u Hz, %u channel%s", rate, channels, channels == 1 ? "" : "s");
        if (bits) snprintf(out + len, size - len, ", %u bit", bits);
    }
    else if (IsEqualGUID(&major, &MFMediaType_Video))
    {
        IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &frame_size);
        IMFMediaType_GetUINT64(type, &MF_MT_FRAME_RATE, &frame_rate);
        len += snprintf(out + len, size - len, ", %ux%u", (UINT32)(frame_size >> 32), (UINT32)frame_size);
        if ((UINT32)frame_rate)
            snprintf(out + len, size - len, ", %.2f fps", (double)(UINT32)(frame_rate >> 32) / (UINT32)frame_rate);
    }
}

UINT64 media_duration(IMFPresentationDescriptor *pd)
{
    UINT64 duration = 0;
    IMFPresentationDescriptor_GetUINT64(pd, &MF_PD_DURATION, &duration);
    return duration;
}

static HRESULT stream_media_type(IMFStreamDescriptor *sd, GUID *major, IMFMediaType **type)
{
    IMFMediaTypeHandler *handler;
    HRESULT hr;

    *type = NULL;
    if (FAILED(hr = IMFStreamDescriptor_GetMediaTypeHandler(sd, &handler))) return hr;
    if (FAILED(hr = IMFMediaTypeHandler_GetMajorType(handler, major))) *major = GUID_NULL;
    if (FAILED(IMFMediaTypeHandler_GetCurrentMediaType(handler, type)))
        IMFMediaTypeHandler_GetMediaTypeByIndex(handler, 0, type);
    IMFMediaTypeHandler_Release(handler);
    return S_OK;
}

void media_describe(IMFMediaSource *source, IMFPresentationDescriptor *pd)
{
    DWORD count = 0, i, characteristics = 0, id;
    UINT64 duration = media_duration(pd);
    IMFStreamDescriptor *sd;
    IMFMediaType *type;
    char text[160];
    BOOL selected;
    GUID major;

    IMFMediaSource_GetCharacteristics(source, &characteristics);
    IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count);
    if (duration)
        snprintf(text, sizeof(text), "%.3f s", duration / 1e7);
    else
        snprintf(text, sizeof(text), "unknown");
    out_line("duration %s; source%s%s%s; %lu stream%s", text,
            characteristics & MFMEDIASOURCE_CAN_SEEK ? " can seek" : " cannot seek",
            characteristics & MFMEDIASOURCE_CAN_PAUSE ? ", can pause" : ", cannot pause",
            characteristics & MFMEDIASOURCE_IS_LIVE ? ", live" : "",
            (unsigned long)count, count == 1 ? "" : "s");
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, i, &selected, &sd))) continue;
        id = 0;
        IMFStreamDescriptor_GetStreamIdentifier(sd, &id);
        stream_media_type(sd, &major, &type);
        if (type)
            describe_type(type, text, sizeof(text));
        else
            snprintf(text, sizeof(text), "%s (no media type)", major_name(&major));
        out_line("  stream %lu (id %lu%s): %s", (unsigned long)i, (unsigned long)id,
                selected ? "" : ", not selected", text);
        if (type) IMFMediaType_Release(type);
        IMFStreamDescriptor_Release(sd);
    }
}

/* ---- sample grabbers ---- */

struct grabber
{
    IMFSampleGrabberSinkCallback IMFSampleGrabberSinkCallback_iface;
    LONG refcount;
    volatile LONG samples;
    volatile LONGLONG bytes;
};

static struct grabber *impl_from_IMFSampleGrabberSinkCallback(IMFSampleGrabberSinkCallback *iface)
{
    return CONTAINING_RECORD(iface, struct grabber, IMFSampleGrabberSinkCallback_iface);
}

static HRESULT WINAPI grabber_QueryInterface(IMFSampleGrabberSinkCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFSampleGrabberSinkCallback) || IsEqualIID(riid, &IID_IMFClockStateSink)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFSampleGrabberSinkCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI grabber_AddRef(IMFSampleGrabberSinkCallback *iface)
{
    return InterlockedIncrement(&impl_from_IMFSampleGrabberSinkCallback(iface)->refcount);
}

static ULONG WINAPI grabber_Release(IMFSampleGrabberSinkCallback *iface)
{
    struct grabber *grabber = impl_from_IMFSampleGrabberSinkCallback(iface);
    ULONG refcount = InterlockedDecrement(&grabber->refcount);

    if (!refcount) free(grabber);
    return refcount;
}

static HRESULT WINAPI grabber_OnClockStart(IMFSampleGrabberSinkCallback *iface, MFTIME time, LONGLONG offset)
{
    return S_OK;
}

static HRESULT WINAPI grabber_OnClockStop(IMFSampleGrabberSinkCallback *iface, MFTIME time)
{
    return S_OK;
}

static HRESULT WINAPI grabber_OnClockPause(IMFSampleGrabberSinkCallback *iface, MFTIME time)
{
    return S_OK;
}

static HRESULT WINAPI grabber_OnClockRestart(IMFSampleGrabberSinkCallback *iface, MFTIME time)
{
    return S_OK;
}

static HRESULT WINAPI grabber_OnClockSetRate(IMFSampleGrabberSinkCallback *iface, MFTIME time, float rate)
{
    return S_OK;
}

static HRESULT WINAPI grabber_OnSetPresentationClock(IMFSampleGrabberSinkCallback *iface, IMFPresentationClock *clock)
{
    return S_OK;
}

static HRESULT WINAPI grabber_OnProcessSample(IMFSampleGrabberSinkCallback *iface, REFGUID major, DWORD flags,
        LONGLONG time, LONGLONG duration, const BYTE *buffer, DWORD size)
{
    struct grabber *grabber = impl_from_IMFSampleGrabberSinkCallback(iface);

    InterlockedIncrement(&grabber->samples);
    InterlockedAdd64(&grabber->bytes, size);
    return S_OK;
}

static HRESULT WINAPI grabber_OnShutdown(IMFSampleGrabberSinkCallback *iface)
{
    return S_OK;
}

static const IMFSampleGrabberSinkCallbackVtbl grabber_vtbl =
{
    grabber_QueryInterface,
    grabber_AddRef,
    grabber_Release,
    grabber_OnClockStart,
    grabber_OnClockStop,
    grabber_OnClockPause,
    grabber_OnClockRestart,
    grabber_OnClockSetRate,
    grabber_OnSetPresentationClock,
    grabber_OnProcessSample,
    grabber_OnShutdown,
};

/* A grabber taking uncompressed samples of the stream's major type: the
 * topology loader inserts the decoder and converter it needs. */
static HRESULT create_grabber_activate(const GUID *major, BOOL ignore_clock, struct grabber **out,
        IMFActivate **activate)
{
    struct grabber *grabber;
    IMFMediaType *type;
    HRESULT hr;

    if (!(grabber = calloc(1, sizeof(*grabber)))) return E_OUTOFMEMORY;
    grabber->IMFSampleGrabberSinkCallback_iface.lpVtbl = &grabber_vtbl;
    grabber->refcount = 1;
    if (FAILED(hr = MFCreateMediaType(&type))) goto failed;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, major);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE,
            IsEqualGUID(major, &MFMediaType_Audio) ? &MFAudioFormat_PCM : &MFVideoFormat_RGB32);
    hr = MFCreateSampleGrabberSinkActivate(type, &grabber->IMFSampleGrabberSinkCallback_iface, activate);
    IMFMediaType_Release(type);
    if (FAILED(hr)) goto failed;
    if (ignore_clock) IMFActivate_SetUINT32(*activate, &MF_SAMPLEGRABBERSINK_IGNORE_CLOCK, TRUE);
    *out = grabber;
    return S_OK;

failed:
    IMFSampleGrabberSinkCallback_Release(&grabber->IMFSampleGrabberSinkCallback_iface);
    return hr;
}

/* ---- the partial topology ---- */

/* The source-stream node of `sd`, added to `topology`. */
static HRESULT add_source_node(IMFTopology *topology, IMFMediaSource *source, IMFPresentationDescriptor *pd,
        IMFStreamDescriptor *sd, IMFTopologyNode **out)
{
    IMFTopologyNode *node;
    HRESULT hr;

    if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &node))) return hr;
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_SOURCE, (IUnknown *)source);
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    if (FAILED(hr = IMFTopology_AddNode(topology, node)))
    {
        IMFTopologyNode_Release(node);
        return hr;
    }
    *out = node;
    return S_OK;
}

/* source stream -> output node holding the activate (the loader does the rest). */
static HRESULT add_partial_branch(IMFTopology *topology, IMFTopologyNode *source_node, IMFActivate *activate)
{
    IMFTopologyNode *output_node;
    HRESULT hr;

    if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_OUTPUT_NODE, &output_node))) return hr;
    IMFTopologyNode_SetObject(output_node, (IUnknown *)activate);
    IMFTopologyNode_SetUINT32(output_node, &MF_TOPONODE_STREAMID, 0);
    IMFTopologyNode_SetUINT32(output_node, &MF_TOPONODE_NOSHUTDOWN_ON_REMOVE, FALSE);
    if (SUCCEEDED(hr = IMFTopology_AddNode(topology, output_node)))
        hr = IMFTopologyNode_ConnectOutput(source_node, 0, output_node, 0);
    IMFTopologyNode_Release(output_node);
    return hr;
}

/* The sink slot for the n-th stream of a major type: the one an earlier file
 * made, or a new one.  -1 with *hr set when it cannot be made. */
static int sink_slot(struct media_sinks *sinks, const GUID *major, unsigned int ordinal, DWORD id,
        const struct media_options *options, HRESULT *hr)
{
    BOOL audio = IsEqualGUID(major, &MFMediaType_Audio);
    struct grabber *grabber = NULL;
    IMFActivate *activate;
    unsigned int i;

    for (i = 0; i < sinks->count; ++i)
        if (IsEqualGUID(&sinks->stream[i].major, major) && sinks->stream[i].ordinal == ordinal) return i;
    *hr = S_OK;
    if (sinks->count == MEDIA_MAX_STREAMS) return -1;
    if (audio && !options->null_sinks)
    {
        /* Set before trying: a failure to create it is an audio device problem. */
        sinks->has_audio_renderer = TRUE;
        *hr = MFCreateAudioRendererActivate(&activate);
    }
    else if (!audio && options->video_window && !options->null_sinks)
    {
        sinks->has_video_renderer = TRUE;
        *hr = MFCreateVideoRendererActivate(options->video_window, &activate);
    }
    else
        *hr = create_grabber_activate(major, options->ignore_clock, &grabber, &activate);
    if (FAILED(*hr)) return -1;
    i = sinks->count++;
    memset(&sinks->stream[i], 0, sizeof(sinks->stream[i]));
    sinks->stream[i].stream_id = id;
    sinks->stream[i].major = *major;
    sinks->stream[i].ordinal = ordinal;
    sinks->stream[i].activate = activate;
    sinks->stream[i].grabber = grabber;
    return i;
}

HRESULT media_build_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd,
        const struct media_options *options, IMFTopology **out, struct media_sinks *sinks)
{
    unsigned int audio_streams = 0, video_streams = 0, ordinal, branches = 0;
    IMFTopologyNode *source_node;
    IMFTopology *topology;
    IMFStreamDescriptor *sd;
    IMFMediaType *type;
    DWORD count = 0, i, id;
    BOOL selected, audio;
    GUID major;
    HRESULT hr;
    int slot;

    *out = NULL;
    if (FAILED(hr = MFCreateTopology(&topology))) return hr;
    IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count);
    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        if (FAILED(hr = IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, i, &selected, &sd))) break;
        stream_media_type(sd, &major, &type);
        if (type) IMFMediaType_Release(type);
        id = 0;
        IMFStreamDescriptor_GetStreamIdentifier(sd, &id);
        audio = IsEqualGUID(&major, &MFMediaType_Audio);
        if (selected && !audio && !IsEqualGUID(&major, &MFMediaType_Video))
        {
            out_line("  stream %lu: %s is not played", (unsigned long)i, major_name(&major));
            IMFPresentationDescriptor_DeselectStream(pd, i);
            selected = FALSE;
        }
        ordinal = audio ? audio_streams : video_streams;
        slot = -1;
        if (selected && (slot = sink_slot(sinks, &major, ordinal, id, options, &hr)) < 0 && SUCCEEDED(hr))
        {
            out_line("  stream %lu: more than %u streams, not played", (unsigned long)i, MEDIA_MAX_STREAMS);
            IMFPresentationDescriptor_DeselectStream(pd, i);
            selected = FALSE;
        }
        if (selected && slot >= 0)
        {
            if (audio) ++audio_streams; else ++video_streams;
            if (SUCCEEDED(hr = add_source_node(topology, source, pd, sd, &source_node)))
            {
                hr = add_partial_branch(topology, source_node, sinks->stream[slot].activate);
                IMFTopologyNode_Release(source_node);
                ++branches;
            }
        }
        IMFStreamDescriptor_Release(sd);
    }
    if (SUCCEEDED(hr) && !branches) hr = MF_E_TOPO_UNSUPPORTED;
    if (FAILED(hr))
    {
        IMFTopology_Release(topology);
        return hr;
    }
    *out = topology;
    return S_OK;
}

BOOL media_video_size(IMFPresentationDescriptor *pd, UINT32 *width, UINT32 *height)
{
    DWORD count = 0, i;
    IMFStreamDescriptor *sd;
    IMFMediaType *type;
    UINT64 size = 0;
    BOOL selected, found = FALSE;
    GUID major;

    IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count);
    for (i = 0; i < count && !found; ++i)
    {
        if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, i, &selected, &sd))) continue;
        stream_media_type(sd, &major, &type);
        if (selected && IsEqualGUID(&major, &MFMediaType_Video))
        {
            found = TRUE;
            if (type) IMFMediaType_GetUINT64(type, &MF_MT_FRAME_SIZE, &size);
            *width = (UINT32)(size >> 32);
            *height = (UINT32)size;
        }
        if (type) IMFMediaType_Release(type);
        IMFStreamDescriptor_Release(sd);
    }
    return found;
}

void media_print_summary(const struct media_sinks *sinks)
{
    const struct grabber *grabber;
    unsigned int i;

    for (i = 0; i < sinks->count; ++i)
    {
        if (!(grabber = sinks->stream[i].grabber)) continue;
        out_line("stream id %lu (%s, sample grabber): %ld samples, %lld bytes",
                (unsigned long)sinks->stream[i].stream_id, major_name(&sinks->stream[i].major),
                grabber->samples, (long long)grabber->bytes);
    }
}

void media_release_sinks(struct media_sinks *sinks)
{
    unsigned int i;

    for (i = 0; i < sinks->count; ++i)
    {
        if (!sinks->stream[i].grabber) IMFActivate_ShutdownObject(sinks->stream[i].activate);
        IMFActivate_Release(sinks->stream[i].activate);
        if (sinks->stream[i].grabber)
            IMFSampleGrabberSinkCallback_Release(&sinks->stream[i].grabber->IMFSampleGrabberSinkCallback_iface);
    }
    sinks->count = 0;
}

HRESULT media_probe_audio_device(void)
{
    IMFMediaSink *sink;
    HRESULT hr;

    if (FAILED(hr = MFCreateAudioRenderer(NULL, &sink))) return hr;
    IMFMediaSink_Shutdown(sink);
    IMFMediaSink_Release(sink);
    return S_OK;
}

/* ---- the tone generator ---- */

DWORD media_write_wav(const WCHAR *path, double seconds)
{
    enum { RATE = 44100, CHANNELS = 2 };
    DWORD frames = (DWORD)(seconds * RATE + 0.5), fade = RATE / 100, data = frames * CHANNELS * 2, i;
    struct
    {
        char riff[4]; DWORD riff_size; char wave[4];
        char fmt[4]; DWORD fmt_size; WORD format, channels; DWORD rate, bytes_per_second; WORD align, bits;
        char data[4]; DWORD data_size;
    } header =
    {
        {'R','I','F','F'}, 36 + data, {'W','A','V','E'},
        {'f','m','t',' '}, 16, 1, CHANNELS, RATE, RATE * CHANNELS * 2, CHANNELS * 2, 16,
        {'d','a','t','a'}, data,
    };
    WCHAR dos_path[MAX_PATH];
    short *pcm;
    double gain;
    FILE *file;
    BOOL written;

    if (path[0] == '/' && unix_path_to_dos(path, dos_path, MAX_PATH)) path = dos_path;
    if (!frames || !(pcm = malloc(data))) return 0;
    for (i = 0; i < frames; ++i)
    {
        /* 440 Hz at a third of full scale, with 10 ms fades against clicks. */
        gain = i < fade ? (double)i / fade : frames - i < fade ? (double)(frames - i) / fade : 1.0;
        pcm[i * 2] = pcm[i * 2 + 1] = (short)(10000.0 * gain * sin(2.0 * 3.14159265358979 * 440.0 * i / RATE));
    }
    if (!(file = _wfopen(path, L"wb")))
    {
        free(pcm);
        return 0;
    }
    written = fwrite(&header, sizeof(header), 1, file) == 1 && fwrite(pcm, data, 1, file) == 1;
    written = !fclose(file) && written;
    free(pcm);
    return written ? data : 0;
}
