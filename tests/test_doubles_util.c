/*
 * test_doubles' shared helpers (declared in test_doubles.h).
 */
#include "test_doubles.h"

/* The next event of a generator within timeout_ms (polling GetEvent). */
static HRESULT poll_event(void *generator, DWORD timeout_ms, IMFMediaEvent **event)
{
    DWORD start = GetTickCount();
    HRESULT hr;

    for (;;)
    {
        hr = IMFMediaEventGenerator_GetEvent((IMFMediaEventGenerator *)generator, MF_EVENT_FLAG_NO_WAIT, event);
        if (hr != MF_E_NO_EVENTS_AVAILABLE) return hr;
        if (GetTickCount() - start >= timeout_ms) return HRESULT_FROM_WIN32(WAIT_TIMEOUT);
        Sleep(1);
    }
}

BOOL expect_event_(const char *file, int line, void *generator, MediaEventType type, DWORD timeout_ms,
        IMFMediaEvent **out)
{
    IMFMediaEvent *event = NULL;
    MediaEventType got = MEUnknown;
    HRESULT hr, status = E_FAIL;

    if (out) *out = NULL;
    if (SUCCEEDED(hr = poll_event(generator, timeout_ms, &event)))
    {
        IMFMediaEvent_GetType(event, &got);
        IMFMediaEvent_GetStatus(event, &status);
    }
    harness_set_location(file, line);
    if (!harness_ok(SUCCEEDED(hr) && got == type && status == S_OK, "event %s (got %s, status %#lx, hr %#lx)",
            event_name(type), SUCCEEDED(hr) ? event_name(got) : "none", status, hr))
    {
        if (event) IMFMediaEvent_Release(event);
        return FALSE;
    }
    if (out) *out = event;
    else IMFMediaEvent_Release(event);
    return TRUE;
}

void expect_no_event_(const char *file, int line, void *generator, DWORD wait_ms)
{
    IMFMediaEvent *event;
    MediaEventType type = MEUnknown;
    HRESULT hr = poll_event(generator, wait_ms, &event);

    if (SUCCEEDED(hr))
    {
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_Release(event);
    }
    harness_set_location(file, line);
    harness_ok(FAILED(hr), "no event (got %s)", SUCCEEDED(hr) ? event_name(type) : "none");
}

PROPVARIANT i8(LONGLONG v)
{
    PROPVARIANT value;
    PropVariantInit(&value);
    value.vt = VT_I8;
    value.hVal.QuadPart = v;
    return value;
}

LONG settle(LONG (*get)(void *), void *obj, LONG expected)
{
    DWORD start = GetTickCount();
    LONG v;
    while ((v = get(obj)) != expected && GetTickCount() - start < 1000) Sleep(5);
    return v;
}
LONG sink_rc(void *k) { return dsink_refcount(k); }
LONG source_rc(void *s) { return dsource_refcount(s); }

struct dsource_desc source_desc(unsigned streams, unsigned samples, BOOL eager)
{
    struct dsource_desc d;
    memset(&d, 0, sizeof(d));
    d.stream_count = streams;
    d.samples_per_stream = samples;
    d.sample_duration = DUR;
    d.sample_bytes = 4;
    d.seekable = d.can_pause = TRUE;
    d.eager_end_of_stream = eager;
    return d;
}

struct dsink_desc sink_desc(unsigned streams)
{
    struct dsink_desc d;
    memset(&d, 0, sizeof(d));
    d.stream_count = streams;
    d.rateless = TRUE;
    d.keep_samples = TRUE;
    return d;
}

IMFPresentationClock *create_clock(void)
{
    IMFPresentationTimeSource *time_source;
    IMFPresentationClock *clock = NULL;

    ok_hr(S_OK, MFCreatePresentationClock(&clock));
    ok_hr(S_OK, MFCreateSystemTimeSource(&time_source));
    ok_hr(S_OK, IMFPresentationClock_SetTimeSource(clock, time_source));
    IMFPresentationTimeSource_Release(time_source);
    return clock;
}

/* null_cb (test_doubles.h): a static object, so AddRef and Release count nothing. */
HRESULT WINAPI null_cb_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    *out = iface;
    return S_OK;
}
ULONG WINAPI null_cb_AddRef(IMFAsyncCallback *iface) { return 2; }
ULONG WINAPI null_cb_Release(IMFAsyncCallback *iface) { return 1; }
HRESULT WINAPI null_cb_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue) { return E_NOTIMPL; }
static HRESULT WINAPI null_cb_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result) { return S_OK; }
static const IMFAsyncCallbackVtbl null_cb_vtbl =
{
    null_cb_QueryInterface, null_cb_AddRef, null_cb_Release, null_cb_GetParameters, null_cb_Invoke,
};
IMFAsyncCallback null_cb = { &null_cb_vtbl };

BOOL is_pcm(IMFMediaType *type)
{
    GUID subtype;
    return SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype)) && IsEqualGUID(&subtype, &MFAudioFormat_PCM);
}

IMFSample *make_sample(LONGLONG time, LONGLONG duration, BYTE fill, DWORD bytes)
{
    IMFMediaBuffer *buffer;
    IMFSample *sample;
    BYTE *data;

    MFCreateSample(&sample);
    MFCreateMemoryBuffer(bytes, &buffer);
    IMFMediaBuffer_Lock(buffer, &data, NULL, NULL);
    memset(data, fill, bytes);
    IMFMediaBuffer_Unlock(buffer);
    IMFMediaBuffer_SetCurrentLength(buffer, bytes);
    IMFSample_AddBuffer(sample, buffer);
    IMFMediaBuffer_Release(buffer);
    IMFSample_SetSampleTime(sample, time);
    IMFSample_SetSampleDuration(sample, duration);
    return sample;
}
