/*
 * Concurrency tests for the session without a topology (CONTRACT.md sections
 * 1 and 2): transport calls from many threads, each queued command completing
 * with exactly one event; Close and Shutdown racing with everything else; and
 * many sessions created and destroyed, after which the module can unload.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "common.h"

#define THREADS 8
#define ITERATIONS 200
#define CLOSE_TIMEOUT 20000

/* Exact HRESULT check that names the rule it proves. */
#define expect_hr(rule, expected, actual) do { \
        HRESULT hr_ = (actual); \
        ok(hr_ == (HRESULT)(expected), "%s: expected %s (%#lx), got %#lx", rule, #expected, \
                (unsigned long)(HRESULT)(expected), (unsigned long)hr_); \
    } while (0)

enum transport_call { CALL_START, CALL_PAUSE, CALL_STOP, CALL_CLEAR, CALL_COUNT };
static const char *const call_names[CALL_COUNT] = {"Start", "Pause", "Stop", "ClearTopologies"};
static const MediaEventType call_events[CALL_COUNT] =
    {MESessionStarted, MESessionPaused, MESessionStopped, MESessionTopologiesCleared};
/* Without a topology, only ClearTopologies succeeds in its event. */
static const HRESULT call_statuses[CALL_COUNT] = {MF_E_INVALIDREQUEST, MF_E_INVALIDREQUEST, MF_E_INVALIDREQUEST, S_OK};

/* Set just before the test calls Close or Shutdown: a refusal seen while it is
 * still 0 came too early. */
static volatile LONG final_call_made;

static HRESULT transport(IMFMediaSession *session, enum transport_call call)
{
    PROPVARIANT pos;

    switch (call)
    {
    case CALL_START:
        PropVariantInit(&pos);
        return IMFMediaSession_Start(session, &GUID_NULL, &pos);
    case CALL_PAUSE: return IMFMediaSession_Pause(session);
    case CALL_STOP: return IMFMediaSession_Stop(session);
    default: return IMFMediaSession_ClearTopologies(session);
    }
}

static HRESULT (WINAPI *get_can_unload(void))(void)
{
    HMODULE module = load_mfsession();
    return module ? (void *)GetProcAddress(module, "DllCanUnloadNow") : NULL;
}

/* Polls DllCanUnloadNow for up to two seconds (released objects may finish on a work queue). */
static HRESULT poll_can_unload(void)
{
    HRESULT (WINAPI *can_unload)(void) = get_can_unload();
    DWORD start = GetTickCount();
    HRESULT hr;

    if (!can_unload) return E_NOTIMPL;
    while ((hr = can_unload()) != S_OK && GetTickCount() - start < 2000)
        Sleep(10);
    return hr;
}

/* ---------------------------------------------------------------------------
 * Worker threads hammering the session, and one consumer draining its events.
 */
struct worker
{
    IMFMediaSession *session;
    HANDLE go;
    LONG *progress;
    HRESULT refusal;            /* what a call gives once Close/Shutdown was called */
    LONG succeeded[CALL_COUNT];
    LONG refused;
    LONG unexpected;
    HRESULT first_unexpected;
    const char *first_unexpected_call;
    LONG refused_too_early;
    LONG succeeded_after_refusal;
    LONG query_failures;
    HRESULT first_query_failure;
};

static void record_unexpected(struct worker *w, const char *call, HRESULT hr)
{
    if (!w->unexpected++)
    {
        w->first_unexpected = hr;
        w->first_unexpected_call = call;
    }
}

static DWORD WINAPI worker_thread(void *arg)
{
    struct worker *w = arg;
    BOOL refused = FALSE;
    IMFClock *clock;
    unsigned i, c;
    DWORD caps;
    HRESULT hr;

    if (WaitForSingleObject(w->go, 10000) != WAIT_OBJECT_0) return 1;
    for (i = 0; i < ITERATIONS; ++i)
    {
        for (c = 0; c < CALL_COUNT; ++c)
        {
            hr = transport(w->session, c);
            if (hr == S_OK)
            {
                ++w->succeeded[c];
                if (refused) ++w->succeeded_after_refusal;
            }
            else if (hr == w->refusal)
            {
                ++w->refused;
                refused = TRUE;
                if (!final_call_made) ++w->refused_too_early;
            }
            else
                record_unexpected(w, call_names[c], hr);
        }

        hr = IMFMediaSession_GetSessionCapabilities(w->session, &caps);
        if (hr != S_OK && !(w->refusal == MF_E_SHUTDOWN && hr == MF_E_SHUTDOWN))
        {
            if (!w->query_failures++) w->first_query_failure = hr;
        }
        clock = NULL;
        hr = IMFMediaSession_GetClock(w->session, &clock);
        if (SUCCEEDED(hr) && clock) IMFClock_Release(clock);
        if (hr != S_OK && !(w->refusal == MF_E_SHUTDOWN && hr == MF_E_SHUTDOWN))
        {
            if (!w->query_failures++) w->first_query_failure = hr;
        }
        InterlockedIncrement(w->progress);
    }
    return 0;
}

struct consumer
{
    struct event_waiter *waiter;
    LONG counts[CALL_COUNT];
    LONG closed;
    HRESULT closed_status;
    LONG other;
    MediaEventType first_other;
    LONG bad_status;
    MediaEventType first_bad_type;
    HRESULT first_bad_status;
    HRESULT stop_hr;            /* S_OK when it stopped at MESessionClosed */
};

static DWORD WINAPI consumer_thread(void *arg)
{
    struct consumer *c = arg;
    IMFMediaEvent *event;
    MediaEventType type;
    HRESULT hr, status;
    unsigned i;

    for (;;)
    {
        /* After MESessionClosed come only the completions of calls made after
         * Close; a second of silence then ends the stream. */
        if (FAILED(hr = event_waiter_next(c->waiter, c->closed ? 1000 : CLOSE_TIMEOUT, &event)))
        {
            c->stop_hr = c->closed ? S_OK : hr;
            return c->closed ? 0 : 1;
        }
        type = MEUnknown;
        status = E_FAIL;
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_GetStatus(event, &status);
        IMFMediaEvent_Release(event);

        if (type == MESessionClosed)
        {
            ++c->closed;
            c->closed_status = status;
            continue;
        }
        for (i = 0; i < CALL_COUNT; ++i)
            if (type == call_events[i]) break;
        if (i == CALL_COUNT)
        {
            if (!c->other++) c->first_other = type;
            continue;
        }
        ++c->counts[i];
        /* A call made after Close completes with MF_E_INVALIDREQUEST (observed on Windows). */
        if (status != (c->closed ? MF_E_INVALIDREQUEST : call_statuses[i]) && !c->bad_status++)
        {
            c->first_bad_type = type;
            c->first_bad_status = status;
        }
    }
}

/* Checks what each worker saw. */
static void check_workers(struct worker *workers, const char *scenario, BOOL expect_no_refusal)
{
    unsigned i;

    for (i = 0; i < THREADS; ++i)
    {
        struct worker *w = &workers[i];
        ok(!w->unexpected, "[2] %s: every transport call gives S_OK or %#lx (thread %u: %ld others, first %s -> %#lx)",
                scenario, (unsigned long)w->refusal, i, w->unexpected,
                w->first_unexpected_call ? w->first_unexpected_call : "-", (unsigned long)w->first_unexpected);
        ok(!w->refused_too_early, "[2] %s: no call is refused before Close/Shutdown was called (thread %u: %ld)",
                scenario, i, w->refused_too_early);
        ok(!w->succeeded_after_refusal,
                "[2] %s: once refused, a thread's later transport calls stay refused (thread %u: %ld succeeded after)",
                scenario, i, w->succeeded_after_refusal);
        ok(!w->query_failures,
                "[2] %s: GetSessionCapabilities and GetClock stay valid (thread %u: %ld failures, first %#lx)",
                scenario, i, w->query_failures, (unsigned long)w->first_query_failure);
        if (expect_no_refusal)
            ok(!w->refused, "[2] %s: nothing is refused before Close (thread %u: %ld refused)", scenario, i, w->refused);
    }
}

static BOOL wait_threads(HANDLE *threads, unsigned count, DWORD timeout, const char *what)
{
    DWORD ret = WaitForMultipleObjects(count, threads, TRUE, timeout);
    if (ret < WAIT_OBJECT_0 + count) return TRUE;
    diag("timed out after %lu ms waiting for %s", (unsigned long)timeout, what);
    return FALSE;
}

/* Eight threads issue transport commands while one consumer drains the
 * events; Close comes after them or in the middle of them. */
static void test_transport_from_many_threads(BOOL close_mid_flight)
{
    const char *scenario = close_mid_flight ? "Close in the middle of 8 threads' calls"
            : "8 threads' calls, then Close";
    struct worker workers[THREADS];
    HANDLE threads[THREADS], consumer_handle, go;
    LONG progress = 0, expected[CALL_COUNT] = {0};
    struct consumer consumer;
    IMFMediaSession *session;
    BOOL workers_done, consumer_done;
    IMFMediaEvent *event;
    DWORD start;
    unsigned i, c;
    HRESULT hr;

    if (!(session = create_session())) return;
    final_call_made = 0;
    go = CreateEventW(NULL, TRUE, FALSE, NULL);

    memset(&consumer, 0, sizeof(consumer));
    consumer.waiter = event_waiter_create((IMFMediaEventGenerator *)session);
    consumer.stop_hr = E_FAIL;
    consumer_handle = CreateThread(NULL, 0, consumer_thread, &consumer, 0, NULL);

    memset(workers, 0, sizeof(workers));
    for (i = 0; i < THREADS; ++i)
    {
        workers[i].session = session;
        workers[i].go = go;
        workers[i].progress = &progress;
        workers[i].refusal = MF_E_INVALIDREQUEST;
        threads[i] = CreateThread(NULL, 0, worker_thread, &workers[i], 0, NULL);
    }
    SetEvent(go);

    if (close_mid_flight)
    {
        start = GetTickCount();
        while (progress < THREADS * ITERATIONS / 4 && GetTickCount() - start < 10000)
            Sleep(1);
        InterlockedExchange(&final_call_made, 1);
        expect_hr("[2 Close] S_OK while other threads issue commands", S_OK, IMFMediaSession_Close(session));
    }
    workers_done = wait_threads(threads, THREADS, 60000, "the worker threads");
    ok(workers_done, "[1] %s: no transport call blocks (all threads finish within 60 s)", scenario);
    if (!close_mid_flight)
    {
        InterlockedExchange(&final_call_made, 1);
        expect_hr("[2 Close] S_OK after 8 threads' calls", S_OK, IMFMediaSession_Close(session));
    }

    consumer_done = wait_handle(consumer_handle, CLOSE_TIMEOUT + 5000, "the event consumer");
    ok(consumer_done && consumer.stop_hr == S_OK,
            "[2 Close] %s: MESessionClosed arrives within %u ms (consumer stopped with %#lx)", scenario,
            CLOSE_TIMEOUT, (unsigned long)consumer.stop_hr);

    if (!workers_done || !consumer_done)
    {
        /* Threads still use the session: leave it alive. */
        skip("%s: further checks skipped after a hang", scenario);
        return;
    }

    check_workers(workers, scenario, !close_mid_flight);
    for (i = 0; i < THREADS; ++i)
        for (c = 0; c < CALL_COUNT; ++c)
            expected[c] += workers[i].succeeded[c];
    for (c = 0; c < CALL_COUNT; ++c)
    {
        ok(consumer.counts[c] == expected[c],
                "[1] %s: each queued %s completes with exactly one %s (%ld calls gave S_OK, %ld events)",
                scenario, call_names[c], event_name(call_events[c]), expected[c], consumer.counts[c]);
    }
    diag("%s: S_OK calls Start %ld, Pause %ld, Stop %ld, ClearTopologies %ld", scenario,
            expected[0], expected[1], expected[2], expected[3]);
    ok(!consumer.bad_status, "[2] %s: completion statuses without a topology (Started/Paused/Stopped "
            "MF_E_INVALIDREQUEST, TopologiesCleared S_OK; after Close all MF_E_INVALIDREQUEST): %ld wrong, first %s "
            "with %#lx", scenario,
            consumer.bad_status, event_name(consumer.first_bad_type), (unsigned long)consumer.first_bad_status);
    ok(!consumer.other, "[1] %s: no event other than completions (%ld others, first %s)", scenario, consumer.other,
            consumer.other ? event_name(consumer.first_other) : "-");
    ok(consumer.closed == 1 && consumer.closed_status == S_OK, "[2 Close] %s: one MESessionClosed(S_OK), got %ld (%#lx)",
            scenario, consumer.closed, (unsigned long)consumer.closed_status);

    /* Nothing but those completions came: the consumer ended on a second of
     * silence with every count exact and no other event (checked above). */

    for (i = 0; i < THREADS; ++i) CloseHandle(threads[i]);
    CloseHandle(consumer_handle);
    CloseHandle(go);
    event_waiter_destroy(consumer.waiter);
    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * Close and Shutdown called from many threads at once.
 */
struct racer
{
    IMFMediaSession *session;
    HANDLE go;
    BOOL shutdown;
    HRESULT hr;
};

static DWORD WINAPI racer_thread(void *arg)
{
    struct racer *r = arg;
    r->hr = E_FAIL;
    if (WaitForSingleObject(r->go, 10000) != WAIT_OBJECT_0) return 1;
    r->hr = r->shutdown ? IMFMediaSession_Shutdown(r->session) : IMFMediaSession_Close(r->session);
    return 0;
}

static BOOL race(IMFMediaSession *session, BOOL shutdown, struct racer *racers)
{
    HANDLE threads[THREADS], go = CreateEventW(NULL, TRUE, FALSE, NULL);
    BOOL done;
    unsigned i;

    for (i = 0; i < THREADS; ++i)
    {
        racers[i].session = session;
        racers[i].go = go;
        racers[i].shutdown = shutdown;
        threads[i] = CreateThread(NULL, 0, racer_thread, &racers[i], 0, NULL);
    }
    Sleep(20);
    SetEvent(go);
    done = wait_threads(threads, THREADS, TEST_TIMEOUT, shutdown ? "concurrent Shutdown calls" : "concurrent Close calls");
    for (i = 0; i < THREADS; ++i) CloseHandle(threads[i]);
    CloseHandle(go);
    return done;
}

static void test_concurrent_close(void)
{
    struct racer racers[THREADS];
    IMFMediaSession *session;
    struct event_waiter *w;
    IMFMediaEvent *event;
    unsigned i, succeeded = 0, refused = 0;
    HRESULT hr, status = E_FAIL;

    if (!(session = create_session())) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);

    if (!ok(race(session, FALSE, racers), "[1] Close from 8 threads at once does not block"))
        return;
    for (i = 0; i < THREADS; ++i)
    {
        if (racers[i].hr == S_OK) ++succeeded;
        else if (racers[i].hr == MF_E_INVALIDREQUEST) ++refused;
        else diag("concurrent Close: thread %u got %#lx", i, (unsigned long)racers[i].hr);
    }
    ok(succeeded == 1 && refused == THREADS - 1,
            "[2 Close] Close from 8 threads at once: exactly one S_OK, the others MF_E_INVALIDREQUEST "
            "(got %u S_OK, %u MF_E_INVALIDREQUEST)", succeeded, refused);

    ok(event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL),
            "[2 Close] MESessionClosed arrives after concurrent Close calls (within %u ms)", TEST_TIMEOUT);
    ok(status == S_OK, "[2 Close] MESessionClosed status S_OK, got %#lx", (unsigned long)status);
    Sleep(200);
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[2 Close] concurrent Close calls queue exactly one MESessionClosed, and it is the last event",
            MF_E_NO_EVENTS_AVAILABLE, hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);

    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

static void test_concurrent_shutdown(void)
{
    struct racer racers[THREADS];
    IMFMediaSession *session;
    unsigned i, succeeded = 0, refused = 0;

    if (!(session = create_session())) return;
    if (!ok(race(session, TRUE, racers), "[1] Shutdown from 8 threads at once does not block"))
        return;
    for (i = 0; i < THREADS; ++i)
    {
        if (racers[i].hr == S_OK) ++succeeded;
        else if (racers[i].hr == MF_E_SHUTDOWN) ++refused;
        else diag("concurrent Shutdown: thread %u got %#lx", i, (unsigned long)racers[i].hr);
    }
    ok(succeeded == 1 && refused == THREADS - 1,
            "[2 Shutdown] Shutdown from 8 threads at once: exactly one S_OK, the others MF_E_SHUTDOWN "
            "(got %u S_OK, %u MF_E_SHUTDOWN)", succeeded, refused);
    IMFMediaSession_Release(session);
}

/* Shutdown while eight threads issue commands: every call gives S_OK or
 * MF_E_SHUTDOWN, nothing blocks, nothing crashes after the last Release. */
static void test_shutdown_during_calls(void)
{
    static const char scenario[] = "Shutdown in the middle of 8 threads' calls";
    struct worker workers[THREADS];
    HANDLE threads[THREADS], go;
    IMFMediaSession *session;
    LONG progress = 0;
    DWORD start;
    unsigned i;

    if (!(session = create_session())) return;
    final_call_made = 0;
    go = CreateEventW(NULL, TRUE, FALSE, NULL);
    memset(workers, 0, sizeof(workers));
    for (i = 0; i < THREADS; ++i)
    {
        workers[i].session = session;
        workers[i].go = go;
        workers[i].progress = &progress;
        workers[i].refusal = MF_E_SHUTDOWN;
        threads[i] = CreateThread(NULL, 0, worker_thread, &workers[i], 0, NULL);
    }
    SetEvent(go);
    start = GetTickCount();
    while (progress < THREADS * ITERATIONS / 4 && GetTickCount() - start < 10000)
        Sleep(1);
    InterlockedExchange(&final_call_made, 1);
    expect_hr("[2 Shutdown] S_OK while other threads issue commands", S_OK, IMFMediaSession_Shutdown(session));
    if (!ok(wait_threads(threads, THREADS, 60000, "the worker threads"),
            "[1] %s: no call blocks (all threads finish within 60 s)", scenario))
        return;
    check_workers(workers, scenario, FALSE);
    for (i = 0; i < THREADS; ++i) CloseHandle(threads[i]);
    CloseHandle(go);
    IMFMediaSession_Release(session);
    /* Commands that were queued must not touch the released session. */
    Sleep(300);
    ok(1, "[2 Shutdown] %s: the process survives the queued commands after the last Release", scenario);
}

/* ---------------------------------------------------------------------------
 * Many sessions, one after the other; then the module can unload.
 */
static void test_many_sessions(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;
    unsigned i, created = 0, closed = 0, shut_down = 0;
    HRESULT hr, status;

    hr = poll_can_unload();
    if (hr == E_NOTIMPL)
    {
        ok(0, "DllCanUnloadNow is exported by mfsession.dll");
        return;
    }
    ok(hr == S_OK, "[main] DllCanUnloadNow gives S_OK before any session exists, got %#lx", (unsigned long)hr);

    for (i = 0; i < 200; ++i)
    {
        harness_progress();
        if (!(session = create_session())) break;
        ++created;
        w = event_waiter_create((IMFMediaEventGenerator *)session);
        status = E_FAIL;
        if (IMFMediaSession_Close(session) == S_OK
                && event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL) && status == S_OK)
            ++closed;
        else
        {
            diag("session %u: Close/MESessionClosed failed (status %#lx)", i, (unsigned long)status);
            event_waiter_destroy(w);
            IMFMediaSession_Shutdown(session);
            IMFMediaSession_Release(session);
            break;
        }
        event_waiter_destroy(w);
        if (IMFMediaSession_Shutdown(session) == S_OK) ++shut_down;
        IMFMediaSession_Release(session);
    }
    ok(created == 200 && closed == 200 && shut_down == 200,
            "[2] 200 sessions one after the other: create, Close, MESessionClosed, Shutdown "
            "(created %u, closed %u, shut down %u)", created, closed, shut_down);

    hr = poll_can_unload();
    ok(hr == S_OK, "[main] DllCanUnloadNow gives S_OK once 200 closed and shut-down sessions are released "
            "(within 2 s), got %#lx", (unsigned long)hr);
}

START_TEST(concurrency)
{
    HRESULT hr;

    harness_watchdog(90000);
    hr = MFStartup(MF_VERSION, MFSTARTUP_FULL);
    ok_hr(S_OK, hr);

    RUN(test_many_sessions);
    harness_test = "test_transport_from_many_threads(FALSE)";
    test_transport_from_many_threads(FALSE);
    harness_test = "test_transport_from_many_threads(TRUE)";
    test_transport_from_many_threads(TRUE);
    RUN(test_concurrent_close);
    RUN(test_concurrent_shutdown);
    RUN(test_shutdown_during_calls);

    hr = poll_can_unload();
    ok(hr == S_OK, "[main] DllCanUnloadNow gives S_OK once every session of this test is released (within 2 s), "
            "got %#lx", (unsigned long)hr);

    harness_test = "MFShutdown";
    hr = MFShutdown();
    ok_hr(S_OK, hr);
}
