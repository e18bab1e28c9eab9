/*
 * Contract tests for the session without a topology (CONTRACT.md sections 1,
 * 2, 6 and 7): creation and its attributes, interfaces and services, the
 * presentation clock, transport commands and their completion events, the
 * synchronous topology checks, Close and Shutdown.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "common.h"

/* GUIDs the MinGW headers do not declare (values from the platform SDK). */
static const GUID test_IID_IMFTopologyNodeAttributeEditor =
    {0x676aa6dd, 0x238a, 0x410d, {0xbb, 0x99, 0x65, 0x66, 0x8d, 0x01, 0x60, 0x5a}};
static const GUID test_IID_IMFLocalMFTRegistration =
    {0x149c4d73, 0xb4be, 0x4f8d, {0x8b, 0x87, 0x07, 0x9e, 0x92, 0x6b, 0x6a, 0xdd}};
static const GUID test_MF_TOPONODE_ATTRIBUTE_EDITOR_SERVICE =
    {0x65656e1a, 0x077f, 0x4472, {0x83, 0xef, 0x31, 0x6f, 0x11, 0xd5, 0x08, 0x7a}};
static const GUID test_MF_LOCAL_MFT_REGISTRATION_SERVICE =
    {0xddf5cf9c, 0x4506, 0x45aa, {0xab, 0xf0, 0x6d, 0x5d, 0x94, 0xdd, 0x1b, 0x4a}};
static const GUID test_MF_LOW_LATENCY =
    {0x9c27891a, 0xed7a, 0x40e1, {0x88, 0xe8, 0xb2, 0x27, 0x27, 0xa0, 0x24, 0xee}};
static const GUID test_MF_SESSION_TOPOLOADER =
    {0x1e83d482, 0x1f1c, 0x4571, {0x84, 0x05, 0x88, 0xf4, 0xb2, 0x18, 0x1f, 0x71}};
static const GUID test_MF_SESSION_GLOBAL_TIME =
    {0x1e83d482, 0x1f1c, 0x4571, {0x84, 0x05, 0x88, 0xf4, 0xb2, 0x18, 0x1f, 0x72}};
static const GUID test_MF_SESSION_QUALITY_MANAGER =
    {0x1e83d482, 0x1f1c, 0x4571, {0x84, 0x05, 0x88, 0xf4, 0xb2, 0x18, 0x1f, 0x73}};
/* A CLSID nobody registers, and a GUID nobody uses as a service or key. */
static const GUID test_unregistered_clsid =
    {0x5e0c6a8e, 0x1d2b, 0x4c3a, {0x9f, 0x10, 0x6b, 0x7d, 0x21, 0x44, 0x0a, 0x01}};
static const GUID test_unknown_guid =
    {0x5e0c6a8e, 0x1d2b, 0x4c3a, {0x9f, 0x10, 0x6b, 0x7d, 0x21, 0x44, 0x0a, 0x02}};

/* Exact HRESULT check that names the rule it proves. */
#define expect_hr(rule, expected, actual) do { \
        HRESULT hr_ = (actual); \
        ok(hr_ == (HRESULT)(expected), "%s: expected %s (%#lx), got %#lx", rule, #expected, \
                (unsigned long)(HRESULT)(expected), (unsigned long)hr_); \
    } while (0)

/* The next event must be `type` with `status` and an empty value. */
#define expect_event(w, type, status, rule) expect_event_(__LINE__, w, type, status, rule)
static BOOL expect_event_(int line, struct event_waiter *w, MediaEventType type, HRESULT status,
        const char *rule)
{
    IMFMediaEvent *event;
    MediaEventType got_type = MEUnknown;
    HRESULT hr, got_status = E_FAIL;
    PROPVARIANT value;

    hr = event_waiter_next(w, TEST_TIMEOUT, &event);
    if (!ok(hr == S_OK && event, "%s: %s arrives within %u ms (line %d; hr %#lx)", rule,
            event_name(type), TEST_TIMEOUT, line, (unsigned long)hr))
        return FALSE;
    IMFMediaEvent_GetType(event, &got_type);
    IMFMediaEvent_GetStatus(event, &got_status);
    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    ok(got_type == type, "%s: next event is %s, got %s (line %d)", rule, event_name(type),
            event_name(got_type), line);
    ok(got_status == status, "%s: %s status is %#lx, got %#lx (line %d)", rule, event_name(got_type),
            (unsigned long)status, (unsigned long)got_status, line);
    ok(value.vt == VT_EMPTY, "%s: %s value is VT_EMPTY, got vt %u (line %d)", rule,
            event_name(got_type), value.vt, line);
    PropVariantClear(&value);
    IMFMediaEvent_Release(event);
    return got_type == type;
}

/* Nothing is queued: GetEvent(NO_WAIT) says so. */
#define expect_no_event(session, rule) expect_no_event_(__LINE__, session, rule)
static void expect_no_event_(int line, IMFMediaSession *session, const char *rule)
{
    IMFMediaEvent *event = NULL;
    MediaEventType type = MEUnknown;
    HRESULT hr;

    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    if (SUCCEEDED(hr) && event)
    {
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_Release(event);
    }
    ok(hr == MF_E_NO_EVENTS_AVAILABLE, "%s: no event queued, expected MF_E_NO_EVENTS_AVAILABLE, got %#lx%s%s (line %d)",
            rule, (unsigned long)hr, SUCCEEDED(hr) ? " with " : "", SUCCEEDED(hr) ? event_name(type) : "", line);
}

/* The refcount of an object once it has dropped back to `expected`, waiting up
 * to a second: work already queued when the session was released may still
 * hold the session (and through it the object) for a moment. */
static ULONG settled_refcount(void *iface, ULONG expected)
{
    DWORD start = GetTickCount();
    ULONG refcount;

    while ((refcount = get_refcount(iface)) != expected && GetTickCount() - start < 1000)
        Sleep(10);
    return refcount;
}

static struct event_waiter *waiter_for(IMFMediaSession *session)
{
    return event_waiter_create((IMFMediaEventGenerator *)session);
}

/* Start(GUID_NULL, VT_EMPTY): play from the current position. */
static HRESULT start_empty(IMFMediaSession *session)
{
    PROPVARIANT pos;
    PropVariantInit(&pos);
    return IMFMediaSession_Start(session, &GUID_NULL, &pos);
}

/* Close, then MESessionClosed(S_OK). */
static BOOL close_and_wait(IMFMediaSession *session, struct event_waiter *w, const char *rule)
{
    HRESULT status = E_FAIL;
    expect_hr(rule, S_OK, IMFMediaSession_Close(session));
    if (!ok(event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL),
            "%s: MESessionClosed arrives within %u ms", rule, TEST_TIMEOUT))
        return FALSE;
    ok(status == S_OK, "%s: MESessionClosed status S_OK, got %#lx", rule, (unsigned long)status);
    return TRUE;
}

static void check_interface(IUnknown *unk, REFIID iid, HRESULT expected, const char *name, const char *rule)
{
    IUnknown *out = (IUnknown *)(ULONG_PTR)0xdeadbeef;
    HRESULT hr = IUnknown_QueryInterface(unk, iid, (void **)&out);

    ok(hr == expected, "%s: QueryInterface(%s) expected %#lx, got %#lx", rule, name,
            (unsigned long)expected, (unsigned long)hr);
    if (SUCCEEDED(hr))
    {
        ok(out != NULL, "%s: QueryInterface(%s) returns an interface", rule, name);
        if (out) IUnknown_Release(out);
    }
    else
        ok(out == NULL, "%s: QueryInterface(%s) failing sets *out to NULL, got %p", rule, name, out);
}

/* ---------------------------------------------------------------------------
 * A minimal media source: only its identity and its refcount matter.  The
 * session must not call into it for the synchronous topology checks, but every
 * method answers sensibly if it does.
 */
struct fake_source
{
    IMFMediaSource IMFMediaSource_iface;
    LONG refcount;
};

static struct fake_source *impl_from_source(IMFMediaSource *iface)
{
    return CONTAINING_RECORD(iface, struct fake_source, IMFMediaSource_iface);
}

static HRESULT WINAPI fake_source_QueryInterface(IMFMediaSource *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFMediaSource) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFMediaSource_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI fake_source_AddRef(IMFMediaSource *iface)
{
    return InterlockedIncrement(&impl_from_source(iface)->refcount);
}

static ULONG WINAPI fake_source_Release(IMFMediaSource *iface)
{
    /* Freed by the test, which needs the count after the session let go. */
    return InterlockedDecrement(&impl_from_source(iface)->refcount);
}

static HRESULT WINAPI fake_source_GetEvent(IMFMediaSource *iface, DWORD flags, IMFMediaEvent **event)
{
    if (event) *event = NULL;
    return MF_E_NO_EVENTS_AVAILABLE;
}

static HRESULT WINAPI fake_source_BeginGetEvent(IMFMediaSource *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_EndGetEvent(IMFMediaSource *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    if (event) *event = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_QueueEvent(IMFMediaSource *iface, MediaEventType type, REFGUID ext_type,
        HRESULT hr, const PROPVARIANT *value)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_GetCharacteristics(IMFMediaSource *iface, DWORD *flags)
{
    *flags = 0;
    return S_OK;
}

static HRESULT WINAPI fake_source_CreatePresentationDescriptor(IMFMediaSource *iface, IMFPresentationDescriptor **pd)
{
    *pd = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Start(IMFMediaSource *iface, IMFPresentationDescriptor *pd, const GUID *format,
        const PROPVARIANT *pos)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Stop(IMFMediaSource *iface)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Pause(IMFMediaSource *iface)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Shutdown(IMFMediaSource *iface)
{
    return S_OK;
}

static const IMFMediaSourceVtbl fake_source_vtbl =
{
    fake_source_QueryInterface, fake_source_AddRef, fake_source_Release,
    fake_source_GetEvent, fake_source_BeginGetEvent, fake_source_EndGetEvent, fake_source_QueueEvent,
    fake_source_GetCharacteristics, fake_source_CreatePresentationDescriptor,
    fake_source_Start, fake_source_Stop, fake_source_Pause, fake_source_Shutdown,
};

/* ---------------------------------------------------------------------------
 * Creation and the attributes of section 7.
 */
static void test_creation_attributes(void)
{
    static const char rule_create[] = "[7] creation with configuration attributes succeeds";
    static const char rule_release[] = "[2 Shutdown] the configuration attributes are not referenced after Shutdown and Release";
    IMFMediaSession *session;
    IMFAttributes *config;
    struct event_waiter *w;
    ULONG before, after;
    HRESULT hr;
    unsigned i;
    struct
    {
        const GUID *key;
        const char *name;
        BOOL is_guid;
        const GUID *guid;
        UINT32 value;
    }
    cases[] =
    {
        {&test_MF_SESSION_TOPOLOADER, "MF_SESSION_TOPOLOADER = unregistered CLSID", TRUE, &test_unregistered_clsid},
        {&test_MF_SESSION_QUALITY_MANAGER, "MF_SESSION_QUALITY_MANAGER = GUID_NULL", TRUE, &GUID_NULL},
        {&test_MF_SESSION_GLOBAL_TIME, "MF_SESSION_GLOBAL_TIME = 1", FALSE, NULL, 1},
        {&test_MF_LOW_LATENCY, "MF_LOW_LATENCY = 1", FALSE, NULL, 1},
        {&test_unknown_guid, "an unknown key", FALSE, NULL, 7},
    };

    hr = create_session_with(NULL, &session);
    expect_hr("[7] creation with NULL configuration gives the defaults", S_OK, hr);
    if (session)
    {
        expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
    }

    for (i = 0; i < ARRAYSIZE(cases); ++i)
    {
        char rule[256];

        if (FAILED(hr = MFCreateAttributes(&config, 1)))
        {
            ok(0, "MFCreateAttributes failed, hr %#lx", (unsigned long)hr);
            return;
        }
        if (cases[i].is_guid)
            IMFAttributes_SetGUID(config, cases[i].key, cases[i].guid);
        else
            IMFAttributes_SetUINT32(config, cases[i].key, cases[i].value);
        before = get_refcount(config);

        snprintf(rule, sizeof(rule), "%s (%s)", rule_create, cases[i].name);
        hr = create_session_with(config, &session);
        expect_hr(rule, S_OK, hr);
        if (session)
        {
            /* The session works: a transport command completes. */
            w = waiter_for(session);
            snprintf(rule, sizeof(rule), "[2 Close] a session created with %s closes", cases[i].name);
            close_and_wait(session, w, rule);
            event_waiter_destroy(w);
            expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
            IMFMediaSession_Release(session);
        }
        after = settled_refcount(config, before);
        ok(after == before, "%s (%s): refcount %lu before, %lu after", rule_release, cases[i].name,
                (unsigned long)before, (unsigned long)after);
        IMFAttributes_Release(config);
    }

    /* Every key at once. */
    if (SUCCEEDED(MFCreateAttributes(&config, 4)))
    {
        for (i = 0; i < ARRAYSIZE(cases); ++i)
        {
            if (cases[i].is_guid) IMFAttributes_SetGUID(config, cases[i].key, cases[i].guid);
            else IMFAttributes_SetUINT32(config, cases[i].key, cases[i].value);
        }
        before = get_refcount(config);
        hr = create_session_with(config, &session);
        expect_hr("[7] creation with every documented key and an unknown one succeeds", S_OK, hr);
        if (session)
        {
            IMFMediaSession_Shutdown(session);
            IMFMediaSession_Release(session);
        }
        after = settled_refcount(config, before);
        ok(after == before, "%s (all keys): refcount %lu before, %lu after", rule_release,
                (unsigned long)before, (unsigned long)after);
        IMFAttributes_Release(config);
    }
}

/* ---------------------------------------------------------------------------
 * QueryInterface and GetService (section 6).
 */
static void test_query_interface(void)
{
    static const char rule_qi[] = "[6] QueryInterface";
    IUnknown *unk1 = NULL, *unk2 = NULL;
    IMFMediaEventGenerator *generator = NULL;
    IMFGetService *gs = NULL;
    IMFMediaSession *session;
    IMFRateControl *rate_control;
    IMFRateSupport *rate_support;
    HRESULT hr;
    float rate;
    BOOL thin;

    if (!(session = create_session())) return;

    check_interface((IUnknown *)session, &IID_IUnknown, S_OK, "IUnknown", rule_qi);
    check_interface((IUnknown *)session, &IID_IMFMediaSession, S_OK, "IMFMediaSession", rule_qi);
    check_interface((IUnknown *)session, &IID_IMFMediaEventGenerator, S_OK, "IMFMediaEventGenerator", rule_qi);
    check_interface((IUnknown *)session, &IID_IMFGetService, S_OK, "IMFGetService", rule_qi);
    check_interface((IUnknown *)session, &IID_IMFAttributes, E_NOINTERFACE, "IMFAttributes",
            "[6] IMFAttributes is not exposed by QueryInterface");
    check_interface((IUnknown *)session, &test_IID_IMFTopologyNodeAttributeEditor, E_NOINTERFACE,
            "IMFTopologyNodeAttributeEditor", "[6] the attribute editor is a service only");
    check_interface((IUnknown *)session, &test_IID_IMFLocalMFTRegistration, E_NOINTERFACE,
            "IMFLocalMFTRegistration", "[6] local MFT registration is a service only");
    check_interface((IUnknown *)session, &IID_IMFClockStateSink, E_NOINTERFACE, "IMFClockStateSink",
            "[6] the session is not a clock state sink");

    /* COM identity: IUnknown from any interface is the same pointer. */
    IMFMediaSession_QueryInterface(session, &IID_IUnknown, (void **)&unk1);
    IMFMediaSession_QueryInterface(session, &IID_IMFMediaEventGenerator, (void **)&generator);
    IMFMediaSession_QueryInterface(session, &IID_IMFGetService, (void **)&gs);
    if (generator)
    {
        IMFMediaEventGenerator_QueryInterface(generator, &IID_IUnknown, (void **)&unk2);
        ok(unk1 && unk1 == unk2, "[6] COM identity: IUnknown from IMFMediaEventGenerator is the session's (%p, %p)",
                unk1, unk2);
        if (unk2) IUnknown_Release(unk2);
        unk2 = NULL;
    }
    if (gs)
    {
        IMFGetService_QueryInterface(gs, &IID_IUnknown, (void **)&unk2);
        ok(unk1 && unk1 == unk2, "[6] COM identity: IUnknown from IMFGetService is the session's (%p, %p)",
                unk1, unk2);
        if (unk2) IUnknown_Release(unk2);
        unk2 = NULL;
    }

    /* Rate interfaces come from the rate work: report, don't fail, when absent. */
    hr = IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&rate_control);
    if (hr == E_NOINTERFACE)
        skip("[6] QueryInterface(IMFRateControl) gives E_NOINTERFACE: rate control not implemented yet");
    else
    {
        expect_hr("[6] IMFRateControl is reachable by QueryInterface", S_OK, hr);
        if (SUCCEEDED(hr))
        {
            rate = 0.0f;
            thin = TRUE;
            expect_hr("[6 Rate] GetRate S_OK", S_OK, IMFRateControl_GetRate(rate_control, &thin, &rate));
            ok(rate == 1.0f && !thin, "[6 Rate] default rate 1.0, not thinned: got %f, thin %d", rate, thin);
            IMFRateControl_Release(rate_control);
        }
    }
    hr = IMFMediaSession_QueryInterface(session, &IID_IMFRateSupport, (void **)&rate_support);
    if (hr == E_NOINTERFACE)
        skip("[6] QueryInterface(IMFRateSupport) gives E_NOINTERFACE: rate support not implemented yet");
    else
    {
        expect_hr("[6] IMFRateSupport is reachable by QueryInterface", S_OK, hr);
        if (SUCCEEDED(hr)) IMFRateSupport_Release(rate_support);
    }

    if (gs)
    {
        IUnknown *out;

        out = (IUnknown *)(ULONG_PTR)0xdeadbeef;
        hr = IMFGetService_GetService(gs, &test_unknown_guid, &IID_IUnknown, (void **)&out);
        /* E_NOINTERFACE on Windows (test_media_session); Wine's session says MF_E_UNSUPPORTED_SERVICE. */
        expect_hr("[6] GetService: unknown service gives E_NOINTERFACE", E_NOINTERFACE, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);

        expect_hr("[1] GetService: NULL out pointer gives E_POINTER", E_POINTER,
                IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, NULL));

        out = NULL;
        hr = IMFGetService_GetService(gs, &test_MF_TOPONODE_ATTRIBUTE_EDITOR_SERVICE,
                &test_IID_IMFTopologyNodeAttributeEditor, (void **)&out);
        expect_hr("[6] GetService(MF_TOPONODE_ATTRIBUTE_EDITOR_SERVICE) gives IMFTopologyNodeAttributeEditor", S_OK, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);

        out = NULL;
        hr = IMFGetService_GetService(gs, &test_MF_LOCAL_MFT_REGISTRATION_SERVICE,
                &test_IID_IMFLocalMFTRegistration, (void **)&out);
        expect_hr("[6] GetService(MF_LOCAL_MFT_REGISTRATION_SERVICE) gives IMFLocalMFTRegistration", S_OK, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);

        out = NULL;
        hr = IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, (void **)&out);
        if (hr == E_NOINTERFACE || hr == MF_E_UNSUPPORTED_SERVICE)
            skip("[6] GetService(MF_RATE_CONTROL_SERVICE, IMFRateControl) gives %#lx: rate control not implemented yet",
                    (unsigned long)hr);
        else
            expect_hr("[6] GetService(MF_RATE_CONTROL_SERVICE) gives IMFRateControl", S_OK, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);

        out = NULL;
        hr = IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateSupport, (void **)&out);
        if (hr == E_NOINTERFACE || hr == MF_E_UNSUPPORTED_SERVICE)
            skip("[6] GetService(MF_RATE_CONTROL_SERVICE, IMFRateSupport) gives %#lx: rate support not implemented yet",
                    (unsigned long)hr);
        else
            expect_hr("[6] GetService(MF_RATE_CONTROL_SERVICE) gives IMFRateSupport", S_OK, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);
    }

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));

    /* After Shutdown: QueryInterface still works, services do not. */
    check_interface((IUnknown *)session, &IID_IMFGetService, S_OK, "IMFGetService",
            "[6] QueryInterface still works after Shutdown");
    if (gs)
    {
        IUnknown *out = NULL;
        hr = IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateSupport, (void **)&out);
        expect_hr("[6] GetService after Shutdown gives MF_E_SHUTDOWN (rate control service)", MF_E_SHUTDOWN, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);
        out = NULL;
        hr = IMFGetService_GetService(gs, &test_unknown_guid, &IID_IUnknown, (void **)&out);
        expect_hr("[6] GetService after Shutdown gives MF_E_SHUTDOWN (unknown service)", MF_E_SHUTDOWN, hr);
        if (SUCCEEDED(hr) && out) IUnknown_Release(out);
        expect_hr("[1] GetService: NULL out pointer gives E_POINTER even after Shutdown", E_POINTER,
                IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, NULL));
        IMFGetService_Release(gs);
    }
    if (generator) IMFMediaEventGenerator_Release(generator);
    if (unk1) IUnknown_Release(unk1);
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * The presentation clock (section 2, GetClock).
 */
static void test_clock(void)
{
    IMFPresentationClock *presentation_clock;
    IMFClock *clock = NULL, *clock2 = NULL;
    IMFShutdown *shutdown = NULL;
    MFSHUTDOWN_STATUS status;
    IMFMediaSession *session;
    IMFRateControl *rate_control;
    struct event_waiter *w;
    HRESULT hr;

    if (!(session = create_session())) return;

    expect_hr("[1] GetClock(NULL) gives E_POINTER", E_POINTER, IMFMediaSession_GetClock(session, NULL));
    hr = IMFMediaSession_GetClock(session, &clock);
    expect_hr("[2 GetClock] S_OK from creation", S_OK, hr);
    if (FAILED(hr) || !clock)
    {
        IMFMediaSession_Shutdown(session);
        IMFMediaSession_Release(session);
        return;
    }

    hr = IMFClock_QueryInterface(clock, &IID_IMFPresentationClock, (void **)&presentation_clock);
    expect_hr("[2 GetClock] the clock exposes IMFPresentationClock", S_OK, hr);
    if (SUCCEEDED(hr)) IMFPresentationClock_Release(presentation_clock);
    hr = IMFClock_QueryInterface(clock, &IID_IMFRateControl, (void **)&rate_control);
    expect_hr("[2 GetClock] the clock exposes IMFRateControl", S_OK, hr);
    if (SUCCEEDED(hr)) IMFRateControl_Release(rate_control);
    hr = IMFClock_QueryInterface(clock, &IID_IMFShutdown, (void **)&shutdown);
    expect_hr("[2 GetClock] the clock exposes IMFShutdown", S_OK, hr);
    if (FAILED(hr)) shutdown = NULL;

    hr = IMFMediaSession_GetClock(session, &clock2);
    expect_hr("[2 GetClock] S_OK again", S_OK, hr);
    ok(clock2 == clock, "[5 Clock] the session owns one presentation clock from creation: %p then %p", clock, clock2);
    if (SUCCEEDED(hr) && clock2) IMFClock_Release(clock2);

    /* Still valid after Close. */
    w = waiter_for(session);
    close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
    event_waiter_destroy(w);
    clock2 = NULL;
    hr = IMFMediaSession_GetClock(session, &clock2);
    expect_hr("[2 Close] GetClock stays valid after Close", S_OK, hr);
    if (SUCCEEDED(hr) && clock2) IMFClock_Release(clock2);

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    clock2 = NULL;
    hr = IMFMediaSession_GetClock(session, &clock2);
    expect_hr("[2 GetClock] MF_E_SHUTDOWN after Shutdown", MF_E_SHUTDOWN, hr);
    if (SUCCEEDED(hr) && clock2) IMFClock_Release(clock2);
    expect_hr("[1] GetClock(NULL) gives E_POINTER even after Shutdown", E_POINTER,
            IMFMediaSession_GetClock(session, NULL));

    if (shutdown)
    {
        status = MFSHUTDOWN_INITIATED;
        hr = IMFShutdown_GetShutdownStatus(shutdown, &status);
        expect_hr("[2 Shutdown] the clock's IMFShutdown::GetShutdownStatus answers after session Shutdown", S_OK, hr);
        ok(status == MFSHUTDOWN_COMPLETED,
                "[2 Shutdown] Shutdown shuts the clock down: status MFSHUTDOWN_COMPLETED (%d), got %d",
                MFSHUTDOWN_COMPLETED, status);
        IMFShutdown_Release(shutdown);
    }

    IMFMediaSession_Release(session);
    /* The client's reference keeps the clock usable as an object. */
    IMFClock_Release(clock);
}

/* ---------------------------------------------------------------------------
 * GetSessionCapabilities and GetFullTopology without a topology.
 */
static void test_capabilities_and_full_topology(void)
{
    IMFMediaSession *session;
    IMFTopology *topology;
    struct event_waiter *w;
    DWORD caps;
    HRESULT hr;

    if (!(session = create_session())) return;

    caps = 0xdeadbeef;
    expect_hr("[2 GetSessionCapabilities] S_OK without a topology", S_OK,
            IMFMediaSession_GetSessionCapabilities(session, &caps));
    diag("capabilities without a topology: %#lx", (unsigned long)caps);
    expect_hr("[2 GetSessionCapabilities] NULL gives E_POINTER", E_POINTER,
            IMFMediaSession_GetSessionCapabilities(session, NULL));

    topology = (IMFTopology *)(ULONG_PTR)0xdeadbeef;
    hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
    expect_hr("[2 GetFullTopology] CURRENT with none set gives MF_E_INVALIDREQUEST", MF_E_INVALIDREQUEST, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
    expect_hr("[1] GetFullTopology: NULL out pointer gives E_POINTER", E_POINTER,
            IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, NULL));
    topology = (IMFTopology *)(ULONG_PTR)0xdeadbeef;
    hr = IMFMediaSession_GetFullTopology(session, 0, 12345, &topology);
    expect_hr("[2 GetFullTopology] an id that is not queued gives MF_E_NOT_FOUND", MF_E_NOT_FOUND, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);

    /* Both stay valid after Close. */
    w = waiter_for(session);
    close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
    event_waiter_destroy(w);
    expect_hr("[2 Close] GetSessionCapabilities stays valid after Close", S_OK,
            IMFMediaSession_GetSessionCapabilities(session, &caps));
    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, 0, 12345, &topology);
    expect_hr("[2 Close] GetFullTopology stays valid after Close (unknown id: MF_E_NOT_FOUND)", MF_E_NOT_FOUND, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
    expect_hr("[2 Close] GetFullTopology(CURRENT) after Close, none set: MF_E_INVALIDREQUEST", MF_E_INVALIDREQUEST, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    expect_hr("[2 GetSessionCapabilities] MF_E_SHUTDOWN after Shutdown", MF_E_SHUTDOWN,
            IMFMediaSession_GetSessionCapabilities(session, &caps));
    expect_hr("[1] GetSessionCapabilities(NULL) gives E_POINTER even after Shutdown", E_POINTER,
            IMFMediaSession_GetSessionCapabilities(session, NULL));
    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
    expect_hr("[2 GetFullTopology] MF_E_SHUTDOWN after Shutdown", MF_E_SHUTDOWN, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
    expect_hr("[1] GetFullTopology(NULL) gives E_POINTER even after Shutdown", E_POINTER,
            IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, NULL));
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * Transport commands without a topology: each returns S_OK and completes with
 * its own event, in call order, carrying the failure as its status.
 */
static void test_transport_without_topology(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;
    PROPVARIANT pos;

    if (!(session = create_session())) return;
    w = waiter_for(session);

    expect_no_event(session, "[3] GetEvent(NO_WAIT) on a new session gives MF_E_NO_EVENTS_AVAILABLE");

    /* Argument checks are synchronous and queue nothing. */
    expect_hr("[2 Start] NULL position gives E_POINTER (GUID_NULL format)", E_POINTER,
            IMFMediaSession_Start(session, &GUID_NULL, NULL));
    expect_hr("[2 Start] NULL position gives E_POINTER (NULL format)", E_POINTER,
            IMFMediaSession_Start(session, NULL, NULL));

    expect_hr("[1] Start is queued and returns S_OK", S_OK, start_empty(session));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST,
            "[2 Start] no topology: MESessionStarted with status MF_E_INVALIDREQUEST");

    PropVariantInit(&pos);
    expect_hr("[2 Start] NULL format means GUID_NULL: S_OK", S_OK, IMFMediaSession_Start(session, NULL, &pos));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST,
            "[2 Start] no topology, NULL format: MESessionStarted with status MF_E_INVALIDREQUEST");

    pos.vt = VT_I8;
    pos.hVal.QuadPart = 10000000;
    expect_hr("[2 Start] VT_I8 position: S_OK", S_OK, IMFMediaSession_Start(session, &GUID_NULL, &pos));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST,
            "[2 Start] no topology, VT_I8 position: MESessionStarted with status MF_E_INVALIDREQUEST");

    expect_hr("[1] Pause is queued and returns S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_event(w, MESessionPaused, MF_E_INVALIDREQUEST,
            "[2 Pause] no topology: MESessionPaused with status MF_E_INVALIDREQUEST");

    expect_hr("[1] Stop is queued and returns S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_event(w, MESessionStopped, MF_E_INVALIDREQUEST,
            "[2 Stop] no topology: MESessionStopped with status MF_E_INVALIDREQUEST");

    expect_hr("[1] ClearTopologies is queued and returns S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_event(w, MESessionTopologiesCleared, S_OK, "[2 ClearTopologies] MESessionTopologiesCleared(S_OK)");
    expect_hr("[2 ClearTopologies] may be repeated: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_event(w, MESessionTopologiesCleared, S_OK,
            "[2 ClearTopologies] repeated: MESessionTopologiesCleared(S_OK)");

    /* Back to back: completions come strictly in call order. */
    expect_hr("[1] Stop back to back: S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_hr("[1] Start back to back: S_OK", S_OK, start_empty(session));
    expect_hr("[1] ClearTopologies back to back: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_hr("[1] Pause back to back: S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_hr("[1] Start back to back: S_OK", S_OK, start_empty(session));
    expect_event(w, MESessionStopped, MF_E_INVALIDREQUEST, "[1] commands complete in call order (1: Stop)");
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[1] commands complete in call order (2: Start)");
    expect_event(w, MESessionTopologiesCleared, S_OK, "[1] commands complete in call order (3: ClearTopologies)");
    expect_event(w, MESessionPaused, MF_E_INVALIDREQUEST, "[1] commands complete in call order (4: Pause)");
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[1] commands complete in call order (5: Start)");

    /* A failed command leaves no error behind: nothing else was queued. */
    Sleep(100);
    expect_no_event(session, "[1] a failed command reports its failure in its own completion event: nothing else (no MEError) is queued");

    close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * SetTopology: argument and structural checks are synchronous.
 */
static HRESULT make_stream_descriptor(IMFStreamDescriptor **sd)
{
    IMFMediaType *type;
    HRESULT hr;

    if (FAILED(hr = MFCreateMediaType(&type))) return hr;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Audio);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, &MFAudioFormat_PCM);
    hr = MFCreateStreamDescriptor(1, 1, &type, sd);
    IMFMediaType_Release(type);
    return hr;
}

/* A topology holding one source-stream node with the given attributes (NULL: left out). */
static IMFTopology *make_source_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd,
        IMFStreamDescriptor *sd, IMFTopologyNode **out_node)
{
    IMFTopologyNode *node;
    IMFTopology *topology;

    *out_node = NULL;
    if (FAILED(MFCreateTopology(&topology))) return NULL;
    if (FAILED(MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &node)))
    {
        IMFTopology_Release(topology);
        return NULL;
    }
    if (source) IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_SOURCE, (IUnknown *)source);
    if (pd) IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    if (sd) IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    IMFTopology_AddNode(topology, node);
    *out_node = node;
    return topology;
}

/* SetTopology fails synchronously with `expected`, and queues nothing: the
 * next completion is the ClearTopologies queued after it. */
static void check_rejected_topology(IMFMediaSession *session, struct event_waiter *w, IMFTopology *topology,
        HRESULT expected, const char *rule)
{
    char msg[300];
    HRESULT hr;

    hr = IMFMediaSession_SetTopology(session, 0, topology);
    ok(hr == expected, "%s: expected %#lx, got %#lx", rule, (unsigned long)expected, (unsigned long)hr);
    expect_hr("[2 ClearTopologies] S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    snprintf(msg, sizeof(msg), "%s: a rejected SetTopology queues nothing (next event is the ClearTopologies after it)", rule);
    expect_event(w, MESessionTopologiesCleared, S_OK, msg);
}

static void test_set_topology_checks(void)
{
    static const struct { HRESULT hr; const char *rule; } missing[] =
    {
        {MF_E_TOPO_MISSING_SOURCE,
                "[2 SetTopology] a source node without MF_TOPONODE_SOURCE gives MF_E_TOPO_MISSING_SOURCE"},
        {MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR,
                "[2 SetTopology] a source node without MF_TOPONODE_PRESENTATION_DESCRIPTOR gives "
                "MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR"},
        {MF_E_TOPO_MISSING_STREAM_DESCRIPTOR,
                "[2 SetTopology] a source node without MF_TOPONODE_STREAM_DESCRIPTOR gives "
                "MF_E_TOPO_MISSING_STREAM_DESCRIPTOR"},
    };
    struct fake_source source = {{&fake_source_vtbl}, 1};
    IMFPresentationDescriptor *pd = NULL, *pd_deselected = NULL;
    ULONG topology_ref, node_ref, pd_ref, sd_ref;
    IMFStreamDescriptor *sd = NULL;
    IMFMediaSession *session;
    IMFTopology *topology;
    IMFTopologyNode *node;
    struct event_waiter *w;
    IMFMediaEvent *event;
    IMFTopology *empty, *no_nodes = NULL;
    ULONG no_nodes_ref = 0;
    PROPVARIANT value;
    HRESULT hr, status;
    unsigned i;

    if (!(session = create_session())) return;
    w = waiter_for(session);

    expect_hr("[1] SetTopology(0, NULL) gives E_POINTER", E_POINTER, IMFMediaSession_SetTopology(session, 0, NULL));

    if (SUCCEEDED(MFCreateTopology(&no_nodes)))
    {
        no_nodes_ref = get_refcount(no_nodes);
        check_rejected_topology(session, w, no_nodes, E_INVALIDARG,
                "[2 SetTopology] a topology with no nodes gives E_INVALIDARG");
    }

    /* CLEAR_CURRENT with nothing current: completes with an empty value. */
    expect_hr("[2 SetTopology] CLEAR_CURRENT with NULL: S_OK", S_OK,
            IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL));
    hr = event_waiter_next(w, TEST_TIMEOUT, &event);
    if (ok(hr == S_OK && event, "[2 SetTopology] CLEAR_CURRENT: MESessionTopologySet arrives within %u ms (hr %#lx)",
            TEST_TIMEOUT, (unsigned long)hr))
    {
        MediaEventType type = MEUnknown;
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_GetStatus(event, &status);
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(type == MESessionTopologySet, "[2 SetTopology] CLEAR_CURRENT completes with MESessionTopologySet, got %s",
                event_name(type));
        ok(status == S_OK, "[2 SetTopology] CLEAR_CURRENT with nothing current: status S_OK, got %#lx",
                (unsigned long)status);
        ok(value.vt == VT_EMPTY, "[2 SetTopology] CLEAR_CURRENT with nothing current: value VT_EMPTY, got vt %u",
                value.vt);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }

    /* Structural checks on a source-stream node (observed, synchronous). */
    if (FAILED(hr = make_stream_descriptor(&sd))
            || FAILED(hr = MFCreatePresentationDescriptor(1, &sd, &pd))
            || FAILED(hr = MFCreatePresentationDescriptor(1, &sd, &pd_deselected)))
    {
        ok(0, "creating descriptors failed, hr %#lx", (unsigned long)hr);
        goto done;
    }
    IMFPresentationDescriptor_SelectStream(pd, 0);
    IMFPresentationDescriptor_DeselectStream(pd_deselected, 0);

    /* A source node missing one of its three attributes. */
    for (i = 0; i < ARRAYSIZE(missing); ++i)
    {
        if (!(topology = make_source_topology(i == 0 ? NULL : &source.IMFMediaSource_iface, i == 1 ? NULL : pd,
                i == 2 ? NULL : sd, &node)))
            continue;
        check_rejected_topology(session, w, topology, missing[i].hr, missing[i].rule);
        IMFTopologyNode_Release(node);
        IMFTopology_Release(topology);
    }
    if ((topology = make_source_topology(&source.IMFMediaSource_iface, pd_deselected, sd, &node)))
    {
        topology_ref = get_refcount(topology);
        node_ref = get_refcount(node);
        pd_ref = get_refcount(pd_deselected);
        sd_ref = get_refcount(sd);
        check_rejected_topology(session, w, topology, MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED,
                "[2 SetTopology] a deselected stream descriptor gives MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED");
        hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &empty);
        expect_hr("[2 SetTopology] a rejected topology does not become current", MF_E_INVALIDREQUEST, hr);
        if (SUCCEEDED(hr)) IMFTopology_Release(empty);

        close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
        event_waiter_destroy(w);
        w = NULL;
        expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
        session = NULL;

        settled_refcount(topology, topology_ref);
        settled_refcount(node, node_ref);
        settled_refcount(pd_deselected, pd_ref);
        settled_refcount(sd, sd_ref);
        ok(get_refcount(topology) == topology_ref && get_refcount(node) == node_ref,
                "[2 Shutdown] the rejected topology and its node are not referenced after Shutdown and Release "
                "(topology %lu -> %lu, node %lu -> %lu)", (unsigned long)topology_ref,
                (unsigned long)get_refcount(topology), (unsigned long)node_ref, (unsigned long)get_refcount(node));
        ok(get_refcount(pd_deselected) == pd_ref && get_refcount(sd) == sd_ref,
                "[2 Shutdown] the descriptors are not referenced after Shutdown and Release "
                "(pd %lu -> %lu, sd %lu -> %lu)", (unsigned long)pd_ref, (unsigned long)get_refcount(pd_deselected),
                (unsigned long)sd_ref, (unsigned long)get_refcount(sd));
        IMFTopologyNode_Release(node);
        IMFTopology_Release(topology);
    }

done:
    if (w)
    {
        close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
        event_waiter_destroy(w);
    }
    if (session)
    {
        expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
    }
    if (no_nodes)
    {
        ok(settled_refcount(no_nodes, no_nodes_ref) == no_nodes_ref,
                "[2 Shutdown] the rejected empty topology is not referenced after Shutdown and Release: "
                "refcount %lu before, %lu after", (unsigned long)no_nodes_ref, (unsigned long)get_refcount(no_nodes));
        IMFTopology_Release(no_nodes);
    }
    settled_refcount(&source.IMFMediaSource_iface, 1);
    ok(source.refcount == 1, "[2 Shutdown] the media source is not referenced after Shutdown and Release: refcount %ld",
            source.refcount);
    if (pd_deselected) IMFPresentationDescriptor_Release(pd_deselected);
    if (pd) IMFPresentationDescriptor_Release(pd);
    if (sd) IMFStreamDescriptor_Release(sd);
}

/* ---------------------------------------------------------------------------
 * Close (section 2): valid from every state, MESessionClosed ends the
 * presentation's events.  Afterwards a transport call still returns S_OK and
 * its completion event carries MF_E_INVALIDREQUEST (recorded on Windows for
 * ClearTopologies, test_media_session_events; the others alike, so that a
 * client waiting for the event gets it); only a second Close is refused.
 */
static void call_after_close(IMFMediaSession *session, const char *when)
{
    IMFRateControl *rate_control;
    PROPVARIANT pos;

    PropVariantInit(&pos);
#define ANSWERED(call, name) do { \
        HRESULT answered_hr_ = (call); \
        ok(answered_hr_ == S_OK, "[2 Close] %s returns S_OK %s, got %#lx", name, when, (unsigned long)answered_hr_); \
    } while (0)
    ANSWERED(IMFMediaSession_Start(session, &GUID_NULL, &pos), "Start");
    ANSWERED(IMFMediaSession_Pause(session), "Pause");
    ANSWERED(IMFMediaSession_Stop(session), "Stop");
    ANSWERED(IMFMediaSession_ClearTopologies(session), "ClearTopologies");
    ANSWERED(IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL), "SetTopology");
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&rate_control)))
    {
        ANSWERED(IMFRateControl_SetRate(rate_control, FALSE, 1.0f), "SetRate");
        IMFRateControl_Release(rate_control);
    }
#undef ANSWERED
    expect_hr("[2 Close] a second Close is refused at once", MF_E_INVALIDREQUEST, IMFMediaSession_Close(session));
}

/* The completion events of call_after_close's calls, in call order. */
static void expect_answered_after_close(struct event_waiter *w, const char *when)
{
    static const MediaEventType types[] = {MESessionStarted, MESessionPaused, MESessionStopped,
            MESessionTopologiesCleared, MESessionTopologySet, MESessionRateChanged};
    char rule[200];
    unsigned i;

    for (i = 0; i < ARRAYSIZE(types); ++i)
    {
        snprintf(rule, sizeof(rule), "[2 Close] a call made %s completes with MF_E_INVALIDREQUEST, in call order (%u)",
                when, i + 1);
        expect_event(w, types[i], MF_E_INVALIDREQUEST, rule);
    }
}

static void check_valid_after_close(IMFMediaSession *session, const char *when)
{
    char rule[200];
    IMFTopology *topology;
    IMFClock *clock;
    DWORD caps;
    HRESULT hr;

    clock = NULL;
    hr = IMFMediaSession_GetClock(session, &clock);
    snprintf(rule, sizeof(rule), "[2 Close] GetClock stays valid %s", when);
    expect_hr(rule, S_OK, hr);
    if (SUCCEEDED(hr) && clock) IMFClock_Release(clock);

    snprintf(rule, sizeof(rule), "[2 Close] GetSessionCapabilities stays valid %s", when);
    expect_hr(rule, S_OK, IMFMediaSession_GetSessionCapabilities(session, &caps));

    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, 0, 12345, &topology);
    snprintf(rule, sizeof(rule), "[2 Close] GetFullTopology stays valid %s (unknown id: MF_E_NOT_FOUND)", when);
    expect_hr(rule, MF_E_NOT_FOUND, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
}

static void test_close(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;

    /* Close from a fresh session: refused calls start at the call, not at the event. */
    if (!(session = create_session())) return;
    w = waiter_for(session);
    expect_hr("[2 Close] S_OK from a new session", S_OK, IMFMediaSession_Close(session));
    call_after_close(session, "once Close was called (before MESessionClosed)");
    check_valid_after_close(session, "once Close was called (before MESessionClosed)");
    expect_event(w, MESessionClosed, S_OK, "[2 Close] completes with MESessionClosed(S_OK) before the calls made after it");
    expect_answered_after_close(w, "once Close was called (before MESessionClosed)");
    call_after_close(session, "after MESessionClosed");
    expect_answered_after_close(w, "after MESessionClosed");
    check_valid_after_close(session, "after MESessionClosed");
    Sleep(200);
    expect_no_event(session, "[2 Close] after MESessionClosed, only the completions of calls made after Close");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK after Close", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);

    /* Commands queued before Close still complete, in order, then MESessionClosed. */
    if (!(session = create_session())) return;
    w = waiter_for(session);
    expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
    expect_hr("[1] Pause queued: S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_hr("[1] Stop queued: S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_hr("[1] ClearTopologies queued: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_hr("[2 Close] S_OK with commands still queued", S_OK, IMFMediaSession_Close(session));
    call_after_close(session, "once Close was called with commands still queued");
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[2 Close] queued commands complete first, in order (1: Started)");
    expect_event(w, MESessionPaused, MF_E_INVALIDREQUEST, "[2 Close] queued commands complete first, in order (2: Paused)");
    expect_event(w, MESessionStopped, MF_E_INVALIDREQUEST, "[2 Close] queued commands complete first, in order (3: Stopped)");
    expect_event(w, MESessionTopologiesCleared, S_OK, "[2 Close] queued commands complete first, in order (4: TopologiesCleared)");
    expect_event(w, MESessionClosed, S_OK, "[2 Close] MESessionClosed(S_OK) comes after the commands queued before it");
    expect_answered_after_close(w, "once Close was called with commands still queued");
    Sleep(200);
    expect_no_event(session, "[2 Close] after MESessionClosed, only the completions of calls made after Close (commands were queued)");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK after Close", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);

    /* Close after failed commands (the "after an error" states). */
    if (!(session = create_session())) return;
    w = waiter_for(session);
    expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[2 Start] no topology: MESessionStarted(MF_E_INVALIDREQUEST)");
    expect_hr("[2 Close] S_OK after a failed Start", S_OK, IMFMediaSession_Close(session));
    expect_event(w, MESessionClosed, S_OK, "[2 Close] MESessionClosed(S_OK) after a failed Start");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK after Close", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * Shutdown (section 2): synchronous, from any state, once.
 */
static void check_everything_shut_down(IMFMediaSession *session, const char *when)
{
    IMFMediaEvent *event;
    IMFTopology *topology;
    IMFClock *clock;
    PROPVARIANT pos;
    DWORD caps;
    HRESULT hr;

    PropVariantInit(&pos);
#define SHUT(expected, call, name) do { \
        HRESULT shut_hr_ = (call); \
        ok(shut_hr_ == (expected), "[2 Shutdown] %s %s: expected %s (%#lx), got %#lx", name, when, #expected, \
                (unsigned long)(expected), (unsigned long)shut_hr_); \
    } while (0)
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Shutdown(session), "a second Shutdown gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL),
            "SetTopology gives MF_E_SHUTDOWN");
    SHUT(E_POINTER, IMFMediaSession_SetTopology(session, 0, NULL), "SetTopology(NULL) still gives E_POINTER");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_ClearTopologies(session), "ClearTopologies gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Start(session, &GUID_NULL, &pos), "Start gives MF_E_SHUTDOWN");
    SHUT(E_POINTER, IMFMediaSession_Start(session, &GUID_NULL, NULL), "Start(NULL position) still gives E_POINTER");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Pause(session), "Pause gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Stop(session), "Stop gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Close(session), "Close gives MF_E_SHUTDOWN");
    clock = NULL;
    hr = IMFMediaSession_GetClock(session, &clock);
    SHUT(MF_E_SHUTDOWN, hr, "GetClock gives MF_E_SHUTDOWN");
    if (SUCCEEDED(hr) && clock) IMFClock_Release(clock);
    SHUT(E_POINTER, IMFMediaSession_GetClock(session, NULL), "GetClock(NULL) still gives E_POINTER");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_GetSessionCapabilities(session, &caps), "GetSessionCapabilities gives MF_E_SHUTDOWN");
    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
    SHUT(MF_E_SHUTDOWN, hr, "GetFullTopology gives MF_E_SHUTDOWN");
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    SHUT(MF_E_SHUTDOWN, hr, "GetEvent gives MF_E_SHUTDOWN");
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_QueueEvent(session, MEExtendedType, &GUID_NULL, S_OK, NULL),
            "QueueEvent gives MF_E_SHUTDOWN");
#undef SHUT
}

static void test_shutdown(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;

    /* Right after creation, without Close. */
    if ((session = create_session()))
    {
        expect_hr("[2 Shutdown] S_OK without Close", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown of a new session)");
        IMFMediaSession_Release(session);
    }

    /* With commands still queued. */
    if ((session = create_session()))
    {
        expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
        expect_hr("[1] Pause queued: S_OK", S_OK, IMFMediaSession_Pause(session));
        expect_hr("[1] Stop queued: S_OK", S_OK, IMFMediaSession_Stop(session));
        expect_hr("[1] ClearTopologies queued: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
        expect_hr("[2 Shutdown] S_OK with commands still queued", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown with commands queued)");
        IMFMediaSession_Release(session);
        /* Queued work must not touch a released session. */
        Sleep(200);
    }

    /* After Close was called, before MESessionClosed arrives. */
    if ((session = create_session()))
    {
        expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
        expect_hr("[2 Close] S_OK", S_OK, IMFMediaSession_Close(session));
        expect_hr("[2 Shutdown] S_OK while Close is pending", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown while Close was pending)");
        IMFMediaSession_Release(session);
        Sleep(200);
    }

    /* After MESessionClosed. */
    if ((session = create_session()))
    {
        w = waiter_for(session);
        close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
        event_waiter_destroy(w);
        expect_hr("[2 Shutdown] S_OK after MESessionClosed", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown following MESessionClosed)");
        IMFMediaSession_Release(session);
    }

    /* After a failed command (the no-topology Started state). */
    if ((session = create_session()))
    {
        w = waiter_for(session);
        expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
        expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[2 Start] no topology: MESessionStarted(MF_E_INVALIDREQUEST)");
        event_waiter_destroy(w);
        expect_hr("[2 Shutdown] S_OK after a failed Start", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown following a failed Start)");
        IMFMediaSession_Release(session);
    }
}

START_TEST(session)
{
    HRESULT hr;

    harness_watchdog(60000);
    hr = MFStartup(MF_VERSION, MFSTARTUP_FULL);
    ok_hr(S_OK, hr);

    RUN(test_creation_attributes);
    RUN(test_query_interface);
    RUN(test_clock);
    RUN(test_capabilities_and_full_topology);
    RUN(test_transport_without_topology);
    RUN(test_set_topology_checks);
    RUN(test_close);
    RUN(test_shutdown);

    harness_test = "MFShutdown";
    hr = MFShutdown();
    ok_hr(S_OK, hr);
}
