/*
 * Contract tests for the session without a topology (CONTRACT.md sections 1,
 * 2, 6 and 7): creation and its attributes, interfaces and services, the
 * presentation clock, transport commands and their completion events, the
 * synchronous topology checks, Close and Shutdown.
 *
 * The parts live in test_session.c (creation, interfaces and services, the
 * clock, capabilities), test_session_transport.c (transport commands,
 * SetTopology's checks) and test_session_close.c (Close, Shutdown); the shared
 * checks in test_session_util.c.
 */
#include "test_session.h"


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

/* GetService(MF_RATE_CONTROL_SERVICE, iid): reported, not failed, while the
 * rate work has not provided it. */
static void check_rate_service(IMFGetService *gs, REFIID iid, const char *name, const char *what)
{
    IUnknown *out = NULL;
    char rule[128];
    HRESULT hr;

    hr = IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, iid, (void **)&out);
    if (hr == E_NOINTERFACE || hr == MF_E_UNSUPPORTED_SERVICE)
        skip("[6] GetService(MF_RATE_CONTROL_SERVICE, %s) gives %#lx: %s not implemented yet", name,
                (unsigned long)hr, what);
    else
    {
        snprintf(rule, sizeof(rule), "[6] GetService(MF_RATE_CONTROL_SERVICE) gives %s", name);
        expect_hr(rule, S_OK, hr);
    }
    if (SUCCEEDED(hr) && out) IUnknown_Release(out);
}

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

        check_rate_service(gs, &IID_IMFRateControl, "IMFRateControl", "rate control");
        check_rate_service(gs, &IID_IMFRateSupport, "IMFRateSupport", "rate support");
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
