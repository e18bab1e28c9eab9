/* Real-media helpers shared by the tests: see media.h. */
#include "media.h"
#include <stdio.h>
#include <stdlib.h>

static struct grabber *impl_from_grabber(IMFSampleGrabberSinkCallback *iface)
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
    return InterlockedIncrement(&impl_from_grabber(iface)->refcount);
}

static ULONG WINAPI grabber_Release(IMFSampleGrabberSinkCallback *iface)
{
    return InterlockedDecrement(&impl_from_grabber(iface)->refcount);
}

static HRESULT WINAPI grabber_OnClockStart(IMFSampleGrabberSinkCallback *iface, MFTIME time, LONGLONG offset)
{
    struct grabber *g = impl_from_grabber(iface);
    if (g->marked) InterlockedExchange(&g->started_after_mark, 1);
    return S_OK;
}
static HRESULT WINAPI grabber_OnClockStop(IMFSampleGrabberSinkCallback *iface, MFTIME time) { return S_OK; }
static HRESULT WINAPI grabber_OnClockPause(IMFSampleGrabberSinkCallback *iface, MFTIME time) { return S_OK; }
static HRESULT WINAPI grabber_OnClockRestart(IMFSampleGrabberSinkCallback *iface, MFTIME time) { return S_OK; }
static HRESULT WINAPI grabber_OnClockSetRate(IMFSampleGrabberSinkCallback *iface, MFTIME time, float rate) { return S_OK; }
static HRESULT WINAPI grabber_OnSetPresentationClock(IMFSampleGrabberSinkCallback *iface, IMFPresentationClock *clock) { return S_OK; }

static HRESULT WINAPI grabber_OnProcessSample(IMFSampleGrabberSinkCallback *iface, REFGUID major, DWORD flags,
        LONGLONG time, LONGLONG duration, const BYTE *buffer, DWORD size)
{
    struct grabber *g = impl_from_grabber(iface);
    if (g->shut_down) g->after_shutdown = TRUE;
    if (g->samples && time < g->last_time) g->out_of_order = TRUE;
    g->last_time = time;
    g->bytes += size;
    g->duration += duration;
    if (g->marked) g->bytes_after_mark += size;
    if (g->started_after_mark) g->bytes_after_start += size;
    g->samples++;
    return S_OK;
}

static HRESULT WINAPI grabber_OnShutdown(IMFSampleGrabberSinkCallback *iface)
{
    impl_from_grabber(iface)->shut_down = TRUE;
    return S_OK;
}

static const IMFSampleGrabberSinkCallbackVtbl grabber_vtbl =
{
    grabber_QueryInterface, grabber_AddRef, grabber_Release,
    grabber_OnClockStart, grabber_OnClockStop, grabber_OnClockPause, grabber_OnClockRestart, grabber_OnClockSetRate,
    grabber_OnSetPresentationClock, grabber_OnProcessSample, grabber_OnShutdown,
};

void grabber_init(struct grabber *g)
{
    memset(g, 0, sizeof(*g));
    g->IMFSampleGrabberSinkCallback_iface.lpVtbl = &grabber_vtbl;
    g->refcount = 1;
}

DWORD write_wav(const WCHAR *path, DWORD rate, WORD channels, DWORD ms)
{
    DWORD frames = rate * ms / 1000, data = frames * channels * 2, i;
    short *pcm = malloc(data);
    FILE *f = _wfopen(path, L"wb");
    struct { char riff[4]; DWORD size; char wave[4]; char fmt[4]; DWORD fmt_size; WORD tag, channels;
             DWORD rate, bytes_per_sec; WORD align, bits; char data[4]; DWORD data_size; } hdr =
        { {'R','I','F','F'}, 36 + data, {'W','A','V','E'}, {'f','m','t',' '}, 16, 1, channels,
          rate, rate * channels * 2, (WORD)(channels * 2), 16, {'d','a','t','a'}, data };

    if (!pcm || !f)
    {
        ok(0, "cannot write %ls", path);
        free(pcm);
        if (f) fclose(f);
        return 0;
    }
    /* A quiet ramp: the content does not matter, the bytes do. */
    for (i = 0; i < frames * channels; ++i) pcm[i] = (short)(((i / channels) % 100) * 40 - 2000);
    fwrite(&hdr, sizeof(hdr), 1, f);
    fwrite(pcm, data, 1, f);
    fclose(f);
    free(pcm);
    return data;
}

HRESULT open_source(const WCHAR *path, IMFMediaSource **source)
{
    MF_OBJECT_TYPE type;
    IMFSourceResolver *resolver;
    IUnknown *object;
    HRESULT hr;

    if (FAILED(hr = MFCreateSourceResolver(&resolver))) return hr;
    hr = IMFSourceResolver_CreateObjectFromURL(resolver, path, MF_RESOLUTION_MEDIASOURCE, NULL, &type, &object);
    IMFSourceResolver_Release(resolver);
    if (FAILED(hr)) return hr;
    hr = IUnknown_QueryInterface(object, &IID_IMFMediaSource, (void **)source);
    IUnknown_Release(object);
    return hr;
}

HRESULT grabber_activate(struct grabber *g, BOOL use_clock, IMFActivate **activate)
{
    IMFMediaType *type;
    HRESULT hr;

    *activate = NULL;
    if (FAILED(hr = MFCreateMediaType(&type))) return hr;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Audio);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, &MFAudioFormat_PCM);
    hr = MFCreateSampleGrabberSinkActivate(type, &g->IMFSampleGrabberSinkCallback_iface, activate);
    IMFMediaType_Release(type);
    if (SUCCEEDED(hr) && !use_clock) IMFActivate_SetUINT32(*activate, &MF_SAMPLEGRABBERSINK_IGNORE_CLOCK, TRUE);
    return hr;
}

IMFTopology *one_stream_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd, IMFActivate *output)
{
    return stream_topology(source, pd, 0, output);
}

IMFTopology *stream_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd, DWORD index, IMFActivate *output)
{
    IMFTopologyNode *src_node, *out_node;
    IMFStreamDescriptor *sd;
    IMFTopology *topology;
    BOOL selected;

    MFCreateTopology(&topology);
    IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, index, &selected, &sd);
    MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &src_node);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_SOURCE, (IUnknown *)source);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    IMFTopologyNode_SetUnknown(src_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    MFCreateTopologyNode(MF_TOPOLOGY_OUTPUT_NODE, &out_node);
    IMFTopologyNode_SetObject(out_node, (IUnknown *)output);
    IMFTopologyNode_SetUINT32(out_node, &MF_TOPONODE_STREAMID, 0);
    IMFTopologyNode_SetUINT32(out_node, &MF_TOPONODE_NOSHUTDOWN_ON_REMOVE, FALSE);
    IMFTopology_AddNode(topology, src_node);
    IMFTopology_AddNode(topology, out_node);
    IMFTopologyNode_ConnectOutput(src_node, 0, out_node, 0);
    IMFTopologyNode_Release(src_node);
    IMFTopologyNode_Release(out_node);
    IMFStreamDescriptor_Release(sd);
    return topology;
}

BOOL run_child(const char *args, DWORD timeout_ms, void *result, DWORD size, char *log, DWORD log_size,
        char *why, size_t why_size)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    char exe[MAX_PATH], out_path[MAX_PATH], log_path[MAX_PATH + 4], cmd[4 * MAX_PATH];
    STARTUPINFOA si = {sizeof(si)};
    static LONG serial;
    PROCESS_INFORMATION pi;
    DWORD code = 1, got = 0;
    HANDLE file, out;

    *why = 0;
    if (log && log_size) *log = 0;
    memset(result, 0, size);
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    GetTempPathA(sizeof(out_path), out_path);
    snprintf(out_path + strlen(out_path), sizeof(out_path) - strlen(out_path), "mfsession-child-%lu-%ld.bin",
            GetCurrentProcessId(), InterlockedIncrement(&serial));
    snprintf(log_path, sizeof(log_path), "%s.log", out_path);
    snprintf(cmd, sizeof(cmd), "\"%s\" child %s \"%s\"", exe, args, out_path);
    DeleteFileA(out_path);
    /* The child's own output (its TAP lines) goes to a file, not into ours. */
    out = CreateFileA(log_path, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = out;
    if (out == INVALID_HANDLE_VALUE || !CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        snprintf(why, why_size, "the child did not start (error %lu)", GetLastError());
        if (out != INVALID_HANDLE_VALUE) CloseHandle(out);
        return FALSE;
    }
    CloseHandle(out);
    if (WaitForSingleObject(pi.hProcess, timeout_ms) != WAIT_OBJECT_0)
    {
        TerminateProcess(pi.hProcess, 0xdead);
        WaitForSingleObject(pi.hProcess, 5000);
        snprintf(why, why_size, "it did not finish within %lu ms", timeout_ms);
    }
    else if (GetExitCodeProcess(pi.hProcess, &code) && code)
        snprintf(why, why_size, "the child exited with %#lx", code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if (log && log_size && (file = CreateFileA(log_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
            OPEN_EXISTING, 0, NULL)) != INVALID_HANDLE_VALUE)
    {
        ReadFile(file, log, log_size - 1, &got, NULL);
        log[got] = 0;
        CloseHandle(file);
    }
    DeleteFileA(log_path);
    got = 0;
    if (code) return FALSE;
    file = CreateFileA(out_path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (file != INVALID_HANDLE_VALUE)
    {
        ReadFile(file, result, size, &got, NULL);
        CloseHandle(file);
        DeleteFileA(out_path);
    }
    if (got == size) return TRUE;
    snprintf(why, why_size, "the child wrote no result");
    return FALSE;
}

BOOL child_write_result(const char *path, const void *result, DWORD size)
{
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD written = 0;

    if (file == INVALID_HANDLE_VALUE) return FALSE;
    WriteFile(file, result, size, &written, NULL);
    CloseHandle(file);
    return written == size;
}
