/* Helpers of the Windows-behaviour tests: see test_windows_rig.h. */
#include "test_windows_rig.h"
#include <stdlib.h>
#include <string.h>

BOOL windows_platform;

void windows_init(void)
{
    char value[8];
    DWORD len = GetEnvironmentVariableA("MFSESSION_WINDOWS_PLATFORM", value, sizeof(value));
    windows_platform = len && len < sizeof(value) && value[0] == '1';
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    ok_hr(S_OK, MFStartup(MF_VERSION, MFSTARTUP_FULL));
    if (windows_platform) diag("running against the platform's MFCreateMediaSession");
}

void windows_exit(void)
{
    MFShutdown();
    CoUninitialize();
}

IMFMediaSession *windows_session(IMFAttributes *config)
{
    IMFMediaSession *session = NULL;
    HRESULT hr;

    if (windows_platform)
        hr = MFCreateMediaSession(config, &session);
    else if (!config)
        return create_session();
    else
        hr = create_session_with(config, &session);
    ok(hr == S_OK, "a session is created, hr %#lx", (unsigned long)hr);
    return session;
}

HRESULT expect_status_(int line, struct event_waiter *w, MediaEventType type, HRESULT status, VARTYPE vt,
        const char *rule)
{
    IMFMediaEvent *event;
    PROPVARIANT value;
    HRESULT got = E_ABORT;

    if (!event_waiter_wait_for(w, type, TEST_TIMEOUT, &got, &event))
    {
        harness_set_location(__FILE__, line);
        harness_ok(0, "%s: %s never came (waited %u ms)", rule, event_name(type), TEST_TIMEOUT);
        return E_ABORT;
    }
    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    harness_set_location(__FILE__, line);
    harness_ok(got == status, "%s: %s status %#lx, expected %#lx", rule, event_name(type),
            (unsigned long)got, (unsigned long)status);
    if (vt != ANY_VT)
    {
        harness_set_location(__FILE__, line);
        harness_ok(value.vt == vt, "%s: %s value type %u, expected %u", rule, event_name(type), value.vt, vt);
    }
    PropVariantClear(&value);
    IMFMediaEvent_Release(event);
    return got;
}

HRESULT wait_status_(int line, struct event_waiter *w, MediaEventType type, const char *rule)
{
    HRESULT got = E_ABORT;

    if (event_waiter_wait_for(w, type, TEST_TIMEOUT, &got, NULL)) return got;
    harness_set_location(__FILE__, line);
    harness_ok(0, "%s: %s never came (waited %u ms)", rule, event_name(type), TEST_TIMEOUT);
    return E_ABORT;
}

BOOL wait_topology_status_(int line, struct event_waiter *w, UINT32 status, const char *rule)
{
    DWORD deadline = GetTickCount() + TEST_TIMEOUT;
    IMFMediaEvent *event;
    UINT32 got;

    for (;;)
    {
        LONG left = (LONG)(deadline - GetTickCount());
        if (left <= 0 || !event_waiter_wait_for(w, MESessionTopologyStatus, (DWORD)left, NULL, &event)) break;
        got = 0;
        IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &got);
        IMFMediaEvent_Release(event);
        if (got == status) return TRUE;
    }
    harness_set_location(__FILE__, line);
    harness_ok(0, "%s: MESessionTopologyStatus(%u) never came", rule, status);
    return FALSE;
}

void rig_source_desc(struct dsource_desc *desc)
{
    memset(desc, 0, sizeof(*desc));
    desc->stream_count = 1;
    desc->samples_per_stream = 100;
    desc->sample_duration = 1000000;
    desc->sample_bytes = 4;
    desc->seekable = TRUE;
    desc->can_pause = TRUE;
    desc->eager_end_of_stream = TRUE;
}

void rig_sink_desc(struct dsink_desc *desc)
{
    memset(desc, 0, sizeof(*desc));
    desc->stream_count = 1;
    /* The doubles' sink does not pace itself by the clock: it stops asking after a
     * few samples, so the presentation never ends under a scenario's feet. */
    desc->request_limit = 3;
}

BOOL rig_open(struct rig *r, const struct dsource_desc *sd, const struct dsink_desc *kd)
{
    struct dsource_desc source_desc;
    struct dsink_desc sink_desc;

    memset(r, 0, sizeof(*r));
    dfault_reset();
    dlog_clear();
    if (!sd) rig_source_desc(&source_desc);
    if (!kd) rig_sink_desc(&sink_desc);
    if (FAILED(dsource_create(sd ? sd : &source_desc, &r->src))
            || FAILED(dsink_create(kd ? kd : &sink_desc, &r->sink))
            || FAILED(dtopology_build(r->src, r->sink, NULL, NULL, &r->topology))
            || !(r->session = windows_session(NULL)))
    {
        ok(0, "the scenario's components are made");
        return FALSE;
    }
    r->w = event_waiter_create((IMFMediaEventGenerator *)r->session);
    return TRUE;
}

BOOL rig_ready(struct rig *r)
{
    HRESULT hr = IMFMediaSession_SetTopology(r->session, 0, r->topology);
    if (!ok(hr == S_OK, "SetTopology(0) is accepted, hr %#lx", (unsigned long)hr)) return FALSE;
    return wait_topology_status(r->w, MF_TOPOSTATUS_READY, "the topology becomes READY");
}

BOOL rig_started(struct rig *r)
{
    ok_hr(S_OK, start_at(r->session, -1));
    return expect_status(r->w, MESessionStarted, S_OK, VT_EMPTY, "Start(VT_EMPTY)") == S_OK;
}

void rig_close(struct rig *r)
{
    dfault_reset();
    if (r->session)
    {
        if (SUCCEEDED(IMFMediaSession_Close(r->session)))
            event_waiter_wait_for(r->w, MESessionClosed, TEST_TIMEOUT, NULL, NULL);
        IMFMediaSession_Shutdown(r->session);
    }
    if (r->src) IMFMediaSource_Shutdown(dsource_iface(r->src));
    event_waiter_destroy(r->w);
    if (r->session) IMFMediaSession_Release(r->session);
    if (r->topology) IMFTopology_Release(r->topology);
    if (r->sink) dsink_release(r->sink);
    if (r->src) dsource_release(r->src);
    memset(r, 0, sizeof(*r));
}

HRESULT start_i8(IMFMediaSession *session, LONGLONG position)
{
    PROPVARIANT pos;

    PropVariantInit(&pos);
    pos.vt = VT_I8;
    pos.hVal.QuadPart = position;
    return IMFMediaSession_Start(session, &GUID_NULL, &pos);
}

HRESULT transport_call(IMFMediaSession *session, MediaEventType completion)
{
    switch (completion)
    {
    case MESessionStarted: return start_at(session, -1);
    case MESessionPaused: return IMFMediaSession_Pause(session);
    case MESessionStopped: return IMFMediaSession_Stop(session);
    case MESessionClosed: return IMFMediaSession_Close(session);
    case MESessionTopologiesCleared: return IMFMediaSession_ClearTopologies(session);
    default: return E_INVALIDARG;
    }
}

IMFPresentationClock *session_clock(IMFMediaSession *session)
{
    IMFPresentationClock *clock = NULL;
    IMFClock *base;

    if (FAILED(IMFMediaSession_GetClock(session, &base))) return NULL;
    IMFClock_QueryInterface(base, &IID_IMFPresentationClock, (void **)&clock);
    IMFClock_Release(base);
    return clock;
}

/* ---- a clock state sink for the call log ---- */

static HRESULT WINAPI clk_QueryInterface(IMFClockStateSink *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFClockStateSink) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* A static object: the count only has to look plausible. */
static ULONG WINAPI clk_AddRef(IMFClockStateSink *iface) { return 2; }
static ULONG WINAPI clk_Release(IMFClockStateSink *iface) { return 1; }

static HRESULT WINAPI clk_OnClockStart(IMFClockStateSink *iface, MFTIME time, LONGLONG offset)
{
    dlog_add("clk.OnClockStart");
    return S_OK;
}

static HRESULT WINAPI clk_OnClockStop(IMFClockStateSink *iface, MFTIME time)
{
    dlog_add("clk.OnClockStop");
    return S_OK;
}

static HRESULT WINAPI clk_OnClockPause(IMFClockStateSink *iface, MFTIME time)
{
    dlog_add("clk.OnClockPause");
    return S_OK;
}

static HRESULT WINAPI clk_OnClockRestart(IMFClockStateSink *iface, MFTIME time)
{
    dlog_add("clk.OnClockRestart");
    return S_OK;
}

static HRESULT WINAPI clk_OnClockSetRate(IMFClockStateSink *iface, MFTIME time, float rate)
{
    dlog_add("clk.OnClockSetRate");
    return S_OK;
}

static const IMFClockStateSinkVtbl clk_vtbl =
{
    clk_QueryInterface, clk_AddRef, clk_Release,
    clk_OnClockStart, clk_OnClockStop, clk_OnClockPause, clk_OnClockRestart, clk_OnClockSetRate,
};

static IMFClockStateSink clk = { &clk_vtbl };

IMFClockStateSink *logging_clock_sink(void)
{
    return &clk;
}

/* ---- the call log ---- */

static BOOL has_prefix(const char *entry, const char *prefix)
{
    return !strncmp(entry, prefix, strlen(prefix));
}

const char *dlog_filtered(int from, const char *const *prefixes, char *buf, size_t size)
{
    char entry[128];
    size_t used = 0;
    int i, n = dlog_size();
    unsigned p;

    buf[0] = 0;
    for (i = from < 0 ? 0 : from; i < n; ++i)
    {
        if (!dlog_entry(i, entry, sizeof(entry))) break;
        for (p = 0; prefixes[p]; ++p)
            if (has_prefix(entry, prefixes[p])) break;
        if (!prefixes[p]) continue;
        used += snprintf(buf + used, used < size ? size - used : 0, "%s%s", used ? "," : "", entry);
        if (used >= size) break;
    }
    return buf;
}

int dlog_count_from(const char *prefix, int from)
{
    char entry[128];
    int i, n = dlog_size(), count = 0;

    for (i = from < 0 ? 0 : from; i < n; ++i)
        if (dlog_entry(i, entry, sizeof(entry)) && has_prefix(entry, prefix)) ++count;
    return count;
}

BOOL dlog_wait(const char *prefix, int from, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    HANDLE timer = CreateEventW(NULL, FALSE, FALSE, NULL);
    BOOL found;

    /* Polls the log: the doubles signal nothing for a logged call. */
    while (!(found = dlog_count_from(prefix, from) > 0) && GetTickCount() - start < timeout_ms)
        WaitForSingleObject(timer, 10);
    CloseHandle(timer);
    return found;
}

/* ---- topology nodes ---- */

static IMFTopologyNode *first_node_of(IMFTopology *topology, MF_TOPOLOGY_TYPE wanted)
{
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE type;
    WORD i, count = 0;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &type)) && type == wanted) return node;
        IMFTopologyNode_Release(node);
    }
    return NULL;
}

IMFTopologyNode *first_output_node(IMFTopology *topology)
{
    return first_node_of(topology, MF_TOPOLOGY_OUTPUT_NODE);
}

IMFTopologyNode *first_source_node(IMFTopology *topology)
{
    return first_node_of(topology, MF_TOPOLOGY_SOURCESTREAM_NODE);
}
