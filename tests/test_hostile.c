/*
 * Hostile and malformed input: NULL pointers, malformed topologies (missing,
 * wrong-typed and dangling pieces, cycles, duplicated ids, incompatible
 * types), very large topologies, Start positions of every PROPVARIANT type,
 * unknown time formats, unknown SetTopology flags, absurd rates.
 *
 * For each: the documented error (synchronously or as the completion
 * event's status, docs/DECISIONS.md), the session still plays a valid
 * topology afterwards, and after Shutdown + Release every double is back to
 * the test's own references.  Where neither the contract nor the decisions
 * name an HRESULT the test asserts a failure and prints what it observed
 * ("observed:" lines, recorded in docs/RELIABILITY.md).
 *
 * The cases live here and in test_hostile_topology.c (malformed and large
 * topologies); the context every case uses in test_hostile_ctx.c.
 */
#include "test_hostile.h"
#include <propvarutil.h>
#include <math.h>

static HRESULT start_pv(IMFMediaSession *session, const GUID *format, const PROPVARIANT *pos)
{
    return IMFMediaSession_Start(session, format, pos);
}

/* ---- NULL pointers ---- */

static void check_null_pointers(IMFMediaSession *session, const char *when)
{
    IMFRateControl *rate_control = NULL;
    IMFRateSupport *rate_support = NULL;
    IMFGetService *gs = NULL;
    IMFAsyncResult *foreign = NULL;
    IMFMediaEvent *event = (void *)0xdeadbeef;
    float rate;

    diag("NULL pointers %s", when);
    ok_hr(E_POINTER, IMFMediaSession_GetEvent(session, 0, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, NULL));
    ok_hr(E_INVALIDARG, IMFMediaSession_BeginGetEvent(session, NULL, NULL));
    ok_hr(E_POINTER, IMFMediaSession_EndGetEvent(session, NULL, NULL));
    ok(FAILED(IMFMediaSession_EndGetEvent(session, NULL, &event)), "[%s] EndGetEvent(NULL result) fails", when);
    ok(event == NULL, "[%s] EndGetEvent(NULL result) clears the out pointer", when);
    if (SUCCEEDED(MFCreateAsyncResult(NULL, NULL, NULL, &foreign)))
    {
        HRESULT hr = IMFMediaSession_EndGetEvent(session, foreign, &event);
        ok(FAILED(hr), "[%s] EndGetEvent with a result the session did not issue fails: %#lx", when,
                (unsigned long)hr);
        if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
        IMFAsyncResult_Release(foreign);
    }
    ok_hr(E_POINTER, IMFMediaSession_Start(session, &GUID_NULL, NULL));
    ok_hr(E_POINTER, IMFMediaSession_Start(session, NULL, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetClock(session, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetSessionCapabilities(session, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, NULL));
    ok_hr(E_POINTER, IMFMediaSession_GetFullTopology(session, 0, 12345, NULL));
    ok_hr(E_POINTER, IMFMediaSession_QueryInterface(session, &IID_IUnknown, NULL));
    ok_hr(E_POINTER, IMFMediaSession_SetTopology(session, 0, NULL));
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFGetService, (void **)&gs)))
    {
        ok_hr(E_POINTER, IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl, NULL));
        IMFGetService_Release(gs);
    }
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&rate_control)))
    {
        ok_hr(E_POINTER, IMFRateControl_GetRate(rate_control, NULL, NULL));
        IMFRateControl_Release(rate_control);
    }
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFRateSupport, (void **)&rate_support)))
    {
        ok_hr(E_POINTER, IMFRateSupport_GetSlowestRate(rate_support, MFRATE_FORWARD, FALSE, NULL));
        ok_hr(E_POINTER, IMFRateSupport_GetFastestRate(rate_support, MFRATE_FORWARD, FALSE, NULL));
        rate = 0.0f;
        (void)rate;
        IMFRateSupport_Release(rate_support);
    }
}

static void test_null_pointers(void)
{
    struct ctx c;
    if (!ctx_begin(&c, "NULL pointers")) return;
    check_null_pointers(c.session, "before Shutdown");
    play_valid(&c);
    ok_hr(S_OK, IMFMediaSession_Close(c.session));
    wait_event(&c, MESessionClosed, TEST_TIMEOUT, NULL);
    check_null_pointers(c.session, "after Close");
    ok_hr(S_OK, IMFMediaSession_Shutdown(c.session));
    check_null_pointers(c.session, "after Shutdown (argument checks come first, contract 1)");
    {
        /* ctx_end without a second Shutdown */
        unsigned i;
        DWORD start = GetTickCount();
        event_waiter_destroy(c.w);
        IMFMediaSession_Release(c.session);
        while (get_refcount(c.objects[0]) != 1 && GetTickCount() - start < 2000) Sleep(5);
        for (i = 0; i < c.object_count; ++i) IUnknown_Release(c.objects[i]);
        while ((dsource_refcount(c.sources[0]) != 1 || dsink_refcount(c.sinks[0]) != 1) && GetTickCount() - start < 2000)
            Sleep(5);
        ok(dsource_refcount(c.sources[0]) == 1 && dsink_refcount(c.sinks[0]) == 1, "[NULL pointers] doubles released");
        IMFMediaSource_Shutdown(dsource_iface(c.sources[0]));
        dsource_release(c.sources[0]);
        dsink_release(c.sinks[0]);
    }
}
/* ---- Start arguments ---- */

struct counted_unknown
{
    IUnknown IUnknown_iface;
    LONG refcount;
};

static HRESULT WINAPI cu_QueryInterface(IUnknown *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown)) { *out = iface; IUnknown_AddRef(iface); return S_OK; }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI cu_AddRef(IUnknown *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct counted_unknown, IUnknown_iface)->refcount);
}
static ULONG WINAPI cu_Release(IUnknown *iface)
{
    return InterlockedDecrement(&CONTAINING_RECORD(iface, struct counted_unknown, IUnknown_iface)->refcount);
}
static const IUnknownVtbl cu_vtbl = {cu_QueryInterface, cu_AddRef, cu_Release};

struct position_case
{
    const char *name;
    VARTYPE vt;
    LONGLONG i8;
    double r8;
    HRESULT expected;   /* contract/decisions */
};

static void start_with(struct ctx *c, const struct position_case *pc, const GUID *format, HRESULT expected,
        const char *state, struct counted_unknown *unk)
{
    PROPVARIANT pos;
    HRESULT hr, status = E_FAIL;

    PropVariantInit(&pos);
    pos.vt = pc->vt;
    switch (pc->vt)
    {
    case VT_I8: pos.hVal.QuadPart = pc->i8; break;
    case VT_UI8: pos.uhVal.QuadPart = (ULONGLONG)pc->i8; break;
    case VT_I4: pos.lVal = (LONG)pc->i8; break;
    case VT_R8: pos.dblVal = pc->r8; break;
    case VT_BSTR: pos.bstrVal = SysAllocString(L"10000"); break;
    case VT_UNKNOWN: pos.punkVal = &unk->IUnknown_iface; break;
    case VT_LPWSTR: pos.pwszVal = (WCHAR *)L"0"; break;
    default: break;
    }
    hr = start_pv(c->session, format, &pos);
    if (pc->vt == VT_BSTR) SysFreeString(pos.bstrVal);
    if (FAILED(hr))
    {
        diag("observed: Start(%s) %s: returns %#lx synchronously", pc->name, state, (unsigned long)hr);
        ok(hr == expected, "[Start(%s) %s] refused synchronously with %#lx, expected %#lx in the event", pc->name,
                state, (unsigned long)hr, (unsigned long)expected);
        return;
    }
    ok(wait_event(c, MESessionStarted, TEST_TIMEOUT, &status), "[Start(%s) %s] MESessionStarted arrives", pc->name,
            state);
    ok(status == expected, "[Start(%s) %s] completes with %#lx, got %#lx", pc->name, state, (unsigned long)expected,
            (unsigned long)status);
}

static void test_start_positions(void)
{
    static const GUID unknown_format = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
    /* Long enough that the (unpaced) doubles do not reach the end between the states. */
    const LONGLONG duration = 10000000 * (LONGLONG)SAMPLE_DURATION;
    const struct position_case cases[] =
    {
        /* Negative positions reach the source, whose answer decides (observed on
         * Windows); the double refuses them with MF_E_INVALID_POSITION. */
        {"VT_I8 -1", VT_I8, -1, 0, MF_E_INVALID_POSITION},
        {"VT_I8 INT64_MIN", VT_I8, (LONGLONG)0x8000000000000000ull, 0, MF_E_INVALID_POSITION},
        {"VT_I8 INT64_MAX", VT_I8, 0x7fffffffffffffffll, 0, MF_E_INVALID_POSITION},
        {"VT_I8 duration + 1", VT_I8, duration + 1, 0, MF_E_INVALID_POSITION},
        {"VT_R8 1.0", VT_R8, 0, 1.0, MF_E_INVALIDTYPE},
        {"VT_R8 NaN", VT_R8, 0, NAN, MF_E_INVALIDTYPE},
        {"VT_BSTR", VT_BSTR, 0, 0, MF_E_INVALIDTYPE},
        {"VT_UNKNOWN", VT_UNKNOWN, 0, 0, MF_E_INVALIDTYPE},
        {"VT_I4 0", VT_I4, 0, 0, MF_E_INVALIDTYPE},
        {"VT_UI8 0", VT_UI8, 0, 0, MF_E_INVALIDTYPE},
        {"VT_NULL", VT_NULL, 0, 0, MF_E_INVALIDTYPE},
    };
    static const char *states[] = {"while stopped", "while started (seek)", "while paused"};
    struct counted_unknown unk = {{&cu_vtbl}, 1};
    const struct position_case empty = {"VT_EMPTY", VT_EMPTY, 0, 0, S_OK};
    const struct position_case zero = {"VT_I8 0", VT_I8, 0, 0, S_OK};
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT status = E_FAIL;
    struct ctx c;
    unsigned i, st;

    if (!ctx_begin(&c, "Start positions")) return;
    src = ctx_source(&c, 1, 10000000, FALSE, NULL);
    sink = ctx_sink(&c, 1, FALSE, NULL);
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(&c, topology);
    ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, 0, topology));
    wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status);
    for (st = 0; st < 3; ++st)
    {
        if (st == 1)
        {
            ok_hr(S_OK, start_at(c.session, -1));
            ok(wait_event(&c, MESessionStarted, TEST_TIMEOUT, &status) && status == S_OK, "started");
        }
        if (st == 2)
        {
            ok_hr(S_OK, IMFMediaSession_Pause(c.session));
            ok(wait_event(&c, MESessionPaused, TEST_TIMEOUT, &status) && status == S_OK, "paused");
        }
        for (i = 0; i < ARRAYSIZE(cases); ++i)
        {
            /* A seek the source refuses leaves the presentation stopped (its
             * sources stopped for it): those run while stopped only. */
            if (st && cases[i].vt == VT_I8 && cases[i].i8 < 0) continue;
            start_with(&c, &cases[i], &GUID_NULL, cases[i].expected, states[st], &unk);
            if (st == 2)
            {
                /* Still paused: a Pause is a no-op success, not PAUSEWHILESTOPPED. */
                ok_hr(S_OK, IMFMediaSession_Pause(c.session));
                ok(wait_event(&c, MESessionPaused, TEST_TIMEOUT, &status) && status == S_OK,
                        "[Start(%s) while paused] the session stays paused (%#lx)", cases[i].name,
                        (unsigned long)status);
            }
        }
        start_with(&c, &empty, &unknown_format, MF_E_UNSUPPORTED_TIME_FORMAT, states[st], &unk);
        start_with(&c, &zero, &unknown_format, MF_E_UNSUPPORTED_TIME_FORMAT, states[st], &unk);
        if (st == 0)
        {
            /* Still stopped: Pause from Stopped answers PAUSEWHILESTOPPED. */
            ok_hr(S_OK, IMFMediaSession_Pause(c.session));
            ok(wait_event(&c, MESessionPaused, TEST_TIMEOUT, &status), "Pause after the refused Starts");
            ok(status == MF_E_SESSION_PAUSEWHILESTOPPED, "[refused Starts while stopped] the session stays stopped "
                    "(Pause gives %#lx)", (unsigned long)status);
        }
    }
    ok(unk.refcount == 1, "[Start(VT_UNKNOWN)] the position's object is released again: %ld references", unk.refcount);
    ok_hr(S_OK, IMFMediaSession_Stop(c.session));
    wait_event(&c, MESessionStopped, TEST_TIMEOUT, &status);
    play_valid(&c);
    ctx_end(&c, TRUE);
}

/* ---- flags, rates, ids, services ---- */

static void test_unknown_flags(DWORD flags)
{
    char label[64];
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT hr, status = E_FAIL;
    struct ctx c;

    snprintf(label, sizeof(label), "SetTopology flags %#lx", (unsigned long)flags);
    if (!ctx_begin(&c, label)) return;
    src = ctx_source(&c, 1, 5, FALSE, NULL);
    sink = ctx_sink(&c, 1, TRUE, NULL);
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(&c, topology);
    hr = IMFMediaSession_SetTopology(c.session, flags, topology);
    if (SUCCEEDED(hr))
    {
        ok(wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status), "[%s] MESessionTopologySet arrives", label);
        diag("observed: %s: SetTopology S_OK, MESessionTopologySet %#lx (unknown bits %s)", label,
                (unsigned long)status, SUCCEEDED(status) ? "ignored" : "refused");
    }
    else
        diag("observed: %s: SetTopology returns %#lx synchronously", label, (unsigned long)hr);
    ok(hr == S_OK || hr == E_INVALIDARG, "[%s] ignored or E_INVALIDARG, got %#lx", label, (unsigned long)hr);
    play_valid(&c);
    ctx_end(&c, TRUE);
}

static void test_absurd_rates(void)
{
    static const float rates[] = {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 1e-30f};
    static const char *names[] = {"NaN", "+INF", "-INF", "1e30", "-1e30", "1e-30"};
    IMFRateControl *control;
    IMFRateSupport *support;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT hr, status;
    struct ctx c;
    unsigned i, pass;
    float rate, nearest;
    BOOL thin;

    if (!ctx_begin(&c, "absurd rates")) return;
    IMFMediaSession_QueryInterface(c.session, &IID_IMFRateControl, (void **)&control);
    IMFMediaSession_QueryInterface(c.session, &IID_IMFRateSupport, (void **)&support);
    for (pass = 0; pass < 2; ++pass)
    {
        const char *when = pass ? "with a topology" : "without a topology";
        if (pass == 1)
        {
            src = ctx_source(&c, 1, 5, FALSE, NULL);
            sink = ctx_sink(&c, 1, FALSE, NULL);
            dtopology_build(src, sink, NULL, NULL, &topology);
            ctx_keep(&c, topology);
            ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, 0, topology));
            wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status);
        }
        for (i = 0; i < ARRAYSIZE(rates); ++i)
        {
            /* Without a topology Windows takes any rate (test_media_session_rate_control):
             * only the non-finite ones are refused, as bad input. */
            BOOL taken = pass == 0 && isfinite(rates[i]);
            status = S_OK;
            hr = IMFRateControl_SetRate(control, FALSE, rates[i]);
            if (SUCCEEDED(hr))
            {
                ok(wait_event(&c, MESessionRateChanged, TEST_TIMEOUT, &status), "[SetRate(%s) %s] completes",
                        names[i], when);
                if (taken)
                    ok(status == S_OK, "[SetRate(%s) %s] taken, got %#lx", names[i], when, (unsigned long)status);
                else
                    ok(FAILED(status), "[SetRate(%s) %s] refused (MF_E_UNSUPPORTED_RATE expected), got %#lx", names[i],
                            when, (unsigned long)status);
                if (FAILED(status) && status != MF_E_UNSUPPORTED_RATE)
                    diag("observed: SetRate(%s) %s: %#lx", names[i], when, (unsigned long)status);
            }
            else
                diag("observed: SetRate(%s) %s: returns %#lx synchronously", names[i], when, (unsigned long)hr);
            rate = 0.0f;
            IMFRateControl_GetRate(control, &thin, &rate);
            if (taken)
                ok(rate == rates[i], "[SetRate(%s) %s] the rate in force is %s, got %g", names[i], when, names[i], rate);
            else
                ok(rate == 1.0f, "[SetRate(%s) %s] the rate in force stays 1.0, got %f", names[i], when, rate);
            if (rate != 1.0f) IMFRateControl_SetRate(control, FALSE, 1.0f), wait_event(&c, MESessionRateChanged,
                    TEST_TIMEOUT, &status);
            hr = IMFRateSupport_IsRateSupported(support, FALSE, rates[i], &nearest);
            ok(FAILED(hr), "[IsRateSupported(%s) %s] not supported, got %#lx", names[i], when, (unsigned long)hr);
        }
    }
    IMFRateControl_Release(control);
    IMFRateSupport_Release(support);
    play_valid(&c);
    ctx_end(&c, TRUE);
}

static void test_odd_queries(void)
{
    static const GUID unknown = {0x87654321, 0x4321, 0x8765, {8, 7, 6, 5, 4, 3, 2, 1}};
    IMFTopology *topology = (void *)0xdeadbeef;
    IMFGetService *gs;
    IUnknown *unk = (void *)0xdeadbeef;
    struct ctx c;
    HRESULT hr;

    if (!ctx_begin(&c, "odd queries")) return;
    ok_hr(MF_E_INVALIDREQUEST, IMFMediaSession_GetFullTopology(c.session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology));
    ok(topology == NULL, "GetFullTopology clears the out pointer on failure");
    ok_hr(MF_E_NOT_FOUND, IMFMediaSession_GetFullTopology(c.session, 0, 0xfeedfacecafeull, &topology));
    ok_hr(MF_E_NOT_FOUND, IMFMediaSession_GetFullTopology(c.session, 0, 0, &topology));
    ok_hr(MF_E_INVALIDREQUEST, IMFMediaSession_GetFullTopology(c.session, 0xffffffff, 0, &topology));
    if (SUCCEEDED(IMFMediaSession_QueryInterface(c.session, &IID_IMFGetService, (void **)&gs)))
    {
        hr = IMFGetService_GetService(gs, &unknown, &IID_IUnknown, (void **)&unk);
        ok(hr == MF_E_UNSUPPORTED_SERVICE || hr == E_NOINTERFACE, "unknown service: %#lx", (unsigned long)hr);
        hr = IMFGetService_GetService(gs, &MF_RATE_CONTROL_SERVICE, &unknown, (void **)&unk);
        ok(hr == E_NOINTERFACE, "rate service with an unknown interface: %#lx", (unsigned long)hr);
        IMFGetService_Release(gs);
    }
    ok_hr(E_NOINTERFACE, IMFMediaSession_QueryInterface(c.session, &unknown, (void **)&unk));
    ok(unk == NULL, "QueryInterface clears the out pointer");
    ok_hr(MF_E_NO_EVENTS_AVAILABLE, IMFMediaSession_GetEvent(c.session, MF_EVENT_FLAG_NO_WAIT, (IMFMediaEvent **)&unk));
    /* ClearTopologies and SetTopology(CLEAR_CURRENT, NULL) with nothing set. */
    ok_hr(S_OK, IMFMediaSession_ClearTopologies(c.session));
    ok(wait_event(&c, MESessionTopologiesCleared, TEST_TIMEOUT, NULL), "ClearTopologies with nothing queued completes");
    ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL));
    ok(wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, NULL), "SetTopology(CLEAR_CURRENT, NULL) with nothing completes");
    play_valid(&c);
    ctx_end(&c, TRUE);
}

/* The same topology object set again and again (queued behind itself). */
static void test_same_topology_twice(void)
{
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    HRESULT status = E_FAIL;
    struct ctx c;
    unsigned i;

    if (!ctx_begin(&c, "the same topology set three times")) return;
    src = ctx_source(&c, 1, 5, FALSE, NULL);
    sink = ctx_sink(&c, 1, TRUE, NULL);
    dtopology_build(src, sink, NULL, NULL, &topology);
    ctx_keep(&c, topology);
    for (i = 0; i < 3; ++i)
    {
        ok_hr(S_OK, IMFMediaSession_SetTopology(c.session, MFSESSION_SETTOPOLOGY_NORESOLUTION, topology));
        ok(wait_event(&c, MESessionTopologySet, TEST_TIMEOUT, &status), "[same topology] set %u: %#lx", i,
                (unsigned long)status);
    }
    ok_hr(S_OK, start_at(c.session, -1));
    ok(wait_event(&c, MESessionStarted, TEST_TIMEOUT, &status), "[same topology] Start completes: %#lx",
            (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Stop(c.session));
    ok(wait_event(&c, MESessionStopped, TEST_TIMEOUT, &status), "[same topology] Stop completes");
    play_valid(&c);
    ctx_end(&c, TRUE);
}

START_TEST(hostile)
{
    unsigned m;
    char env[16];
    BOOL long_mode = GetEnvironmentVariableA("MFSESSION_LONG", env, sizeof(env)) && env[0] != '0';

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    verbose = GetEnvironmentVariableA("MFSESSION_VERBOSE", env, sizeof(env)) && env[0] != '0';
    if (GetEnvironmentVariableA("MFSESSION_STREAMS", env, sizeof(env)))
    {
        test_many_streams(MFSESSION_SETTOPOLOGY_NORESOLUTION, atoi(env), atoi(strchr(env, 'x') + 1));
        goto done;
    }
    if (GetEnvironmentVariableA("MFSESSION_CASE", env, sizeof(env)))
    {
        test_malformed(atoi(env));
        goto done;
    }
    test_null_pointers();
    for (m = 0; m < M_COUNT; ++m) test_malformed(m);
    test_long_chain(300, MFSESSION_SETTOPOLOGY_NORESOLUTION);
    test_long_chain(long_mode ? 300 : 50, 0);
    test_start_positions();
    test_unknown_flags(0x80);
    test_unknown_flags(0x80000000);
    test_absurd_rates();
    test_odd_queries();
    test_same_topology_twice();
    test_many_streams(MFSESSION_SETTOPOLOGY_NORESOLUTION, 7, 15);
    if (GetEnvironmentVariableA("MFSESSION_WINE_CRASHERS", env, sizeof(env)))
        test_many_streams(0, 7, 15); /* see docs/RELIABILITY.md: crashes in Wine's CloneFrom with borrowed nodes */
done:
    MFShutdown();
    CoUninitialize();
}
