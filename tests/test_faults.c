/*
 * Fault injection: every switchable call of the test doubles fails in turn
 * (dfault_set), then the N-th switchable call of a clean run fails
 * (dfault_fail_nth), during one full client scenario:
 *
 *   SetTopology -> SetRate(2) -> Start -> a few samples -> Pause -> Start ->
 *   seek -> Stop -> Start -> Close -> Shutdown -> Release
 *
 * Properties checked for every run (contract sections 1, 2 and 5):
 *   - every command completes (any status) or an MEError was raised; no wait
 *     is unbounded;
 *   - Close ends with MESessionClosed within CLOSE_BOUND ms, and nothing
 *     follows it;
 *   - Shutdown returns, and after Shutdown + Release every double is back to
 *     the test's own references (polled up to 2 s for in-flight work items).
 *
 * Then sources shut down by the client mid-start, mid-seek, mid-pause and
 * mid-close, and a sink that never requests a sample.
 *
 * Environment: MFSESSION_LONG=1 runs every N; MFSESSION_SEED picks the sample
 * of N in CI mode; MFSESSION_FAULT_N=n replays one N only.
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_DURATION 100000      /* 10 ms */
#define CMD_TIMEOUT 4000            /* ms a command may take before it counts as stuck: above the
                                       session's own bounds (sinks 1.5 s) with room for a loaded CI */
#define CLOSE_BOUND 5000            /* ms Close may take (contract section 8: a client waits 5 s) */
#define RELEASE_POLL 2000           /* ms for in-flight work items to let go */
#define CI_NTH_SAMPLES 30

static BOOL long_mode, verbose, keep_log;

/* ---- event tracking ---- */

struct tracker
{
    struct event_waiter *w;
    unsigned errors;            /* MEError events seen */
    HRESULT first_error;
    unsigned counts[8];         /* per completion kind, see kind_of */
    BOOL closed;
    BOOL last_after_closed;     /* an event arrived after MESessionClosed */
};

static int kind_of(MediaEventType type)
{
    switch (type)
    {
    case MESessionTopologySet: return 0;
    case MESessionStarted: return 1;
    case MESessionPaused: return 2;
    case MESessionStopped: return 3;
    case MESessionClosed: return 4;
    case MESessionRateChanged: return 5;
    case MESessionTopologiesCleared: return 6;
    default: return 7;
    }
}

/* Reads events until `type`; FALSE on timeout.  Counts everything it reads. */
static BOOL track_until(struct tracker *t, MediaEventType type, DWORD timeout, HRESULT *status)
{
    DWORD deadline = GetTickCount() + timeout;
    for (;;)
    {
        DWORD now = GetTickCount(), left = (LONG)(deadline - now) > 0 ? deadline - now : 0;
        IMFMediaEvent *event = NULL;
        MediaEventType got;
        HRESULT hr, st = S_OK;

        if (FAILED(hr = event_waiter_next(t->w, left, &event)) || !event) return FALSE;
        IMFMediaEvent_GetType(event, &got);
        IMFMediaEvent_GetStatus(event, &st);
        IMFMediaEvent_Release(event);
        harness_progress();
        if (verbose) diag("  %s: %s %#lx", harness_test, event_name(got), (unsigned long)st);
        if (t->closed) t->last_after_closed = TRUE;
        t->counts[kind_of(got)]++;
        if (got == MEError)
        {
            if (!t->errors++) t->first_error = st;
        }
        if (got == MESessionClosed) t->closed = TRUE;
        if (got == type)
        {
            if (status) *status = st;
            return TRUE;
        }
    }
}

/* ---- the scenario ---- */

/* The call is made only while the scenario goes on. */
#define command(r, o, name, call, done) do { if (!(r)->skip_rest) command_done(r, o, name, call, done); } while (0)

struct run
{
    const char *label;
    IMFMediaSession *session;
    struct tracker t;
    struct dsource *src;
    struct dsink *sink;
    IMFActivate *act;
    IMFTransform *mft;
    IMFTopology *topology;
    BOOL stuck;                 /* a command neither completed nor raised MEError */
    BOOL skip_rest;
    unsigned failed_commands;
    DWORD close_ms;
    BOOL release_ok;
};

struct outcome
{
    BOOL hang, close_late, leak, shutdown_hang, event_after_close, bad_hr;
};

static HRESULT set_rate(IMFMediaSession *session, BOOL thin, float rate)
{
    IMFRateControl *control;
    HRESULT hr;
    if (FAILED(hr = IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&control))) return hr;
    hr = IMFRateControl_SetRate(control, thin, rate);
    IMFRateControl_Release(control);
    return hr;
}

/* One command: its call must return S_OK and its completion must come (any
 * status) unless an MEError was raised.  A stuck command ends the scenario
 * early (straight to Close). */
static void command_done(struct run *r, struct outcome *o, const char *name, HRESULT call_hr, MediaEventType done)
{
    HRESULT status = S_OK;

    if (call_hr != S_OK)
    {
        ok(0, "[%s] %s returned %#lx, expected S_OK (contract 2: transport calls only queue)", r->label, name,
                (unsigned long)call_hr);
        o->bad_hr = TRUE;
        return;
    }
    if (track_until(&r->t, done, CMD_TIMEOUT, &status))
    {
        if (FAILED(status)) r->failed_commands++;
        return;
    }
    if (!r->t.errors)
    {
        ok(0, "[%s] %s neither completed (%s) nor raised MEError within %u ms", r->label, name,
                event_name(done), CMD_TIMEOUT);
        o->hang = TRUE;
    }
    r->stuck = TRUE;
    r->skip_rest = TRUE;
}

/* Releases the test's topology once nothing else holds it, then waits for the
 * doubles to drop back to the test's own references. */
static BOOL poll_refs(struct run *r)
{
    DWORD start = GetTickCount();
    BOOL topology_free;

    while (!(topology_free = get_refcount(r->topology) == 1) && GetTickCount() - start < RELEASE_POLL) Sleep(5);
    if (!topology_free)
        ok(0, "[%s] the session still holds the client's topology: %lu references", r->label,
                get_refcount(r->topology));
    IMFTopology_Release(r->topology);
    r->topology = NULL;
    for (;;)
    {
        BOOL good = dsource_refcount(r->src) == 1 && dmft_refcount(r->mft) == 1 && dactivate_refcount(r->act) == 1;
        if (good) return topology_free;
        if (GetTickCount() - start > RELEASE_POLL) return FALSE;
        Sleep(5);
    }
}

struct shutdown_call { IMFMediaSession *session; HRESULT hr; };

static DWORD WINAPI shutdown_thread(void *arg)
{
    struct shutdown_call *call = arg;
    call->hr = IMFMediaSession_Shutdown(call->session);
    IMFMediaSession_Release(call->session);
    return 0;
}

/* Shutdown + Release on a helper thread, bounded: FALSE if it hangs. */
static BOOL shutdown_release(IMFMediaSession *session, HRESULT *hr)
{
    /* On the heap: a hung call keeps using it (and it is leaked). */
    struct shutdown_call *call = malloc(sizeof(*call));
    HANDLE thread;
    BOOL done;

    call->session = session;
    call->hr = E_FAIL;
    thread = CreateThread(NULL, 0, shutdown_thread, call, 0, NULL);
    done = WaitForSingleObject(thread, CLOSE_BOUND) == WAIT_OBJECT_0;
    CloseHandle(thread);
    *hr = call->hr;
    if (done) free(call);
    return done;
}

static BOOL run_setup(struct run *r, const char *label)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    IMFTransform *mfts[2] = {NULL, NULL};

    dlog_clear();
    memset(r, 0, sizeof(*r));
    r->label = label;
    harness_test = label;
    sd.stream_count = 2;
    sd.samples_per_stream = 1000;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.seekable = sd.can_pause = TRUE;
    sd.rate_support = TRUE;
    kd.stream_count = 0;
    kd.prerollable = TRUE;
    kd.finalizable = TRUE;
    kd.request_depth = 2;
    if (FAILED(dsource_create(&sd, &r->src)) || FAILED(dsink_create(&kd, &r->sink))
            || FAILED(dactivate_create(r->sink, &r->act)) || FAILED(dmft_create(DMFT_PASSTHROUGH, &r->mft)))
    {
        ok(0, "[%s] creating the doubles", label);
        return FALSE;
    }
    mfts[0] = r->mft;
    if (FAILED(dtopology_build(r->src, NULL, mfts, r->act, &r->topology)))
    {
        ok(0, "[%s] building the topology", label);
        return FALSE;
    }
    if (!(r->session = create_session())) return FALSE;
    r->t.w = event_waiter_create((IMFMediaEventGenerator *)r->session);
    return TRUE;
}

/* The scenario; faults must be armed by the caller right before. */
static void run_scenario(struct run *r, struct outcome *o)
{
    DWORD start;
    HRESULT hr, status = E_FAIL;

    command(r, o, "SetTopology", IMFMediaSession_SetTopology(r->session, 0, r->topology), MESessionTopologySet);
    command(r, o, "SetRate(2)", set_rate(r->session, FALSE, 2.0f), MESessionRateChanged);
    if (!r->skip_rest)
    {
        dsink_set_target(r->sink, 3);
        command(r, o, "Start", start_at(r->session, -1), MESessionStarted);
        if (!r->skip_rest) WaitForSingleObject(dsink_done_event(r->sink), 500);
    }
    command(r, o, "Pause", IMFMediaSession_Pause(r->session), MESessionPaused);
    command(r, o, "Start(resume)", start_at(r->session, -1), MESessionStarted);
    command(r, o, "Start(seek)", start_at(r->session, 20 * SAMPLE_DURATION), MESessionStarted);
    command(r, o, "Stop", IMFMediaSession_Stop(r->session), MESessionStopped);
    command(r, o, "Start(again)", start_at(r->session, -1), MESessionStarted);

    start = GetTickCount();
    hr = IMFMediaSession_Close(r->session);
    if (hr != S_OK)
    {
        ok(0, "[%s] Close returned %#lx", r->label, (unsigned long)hr);
        o->bad_hr = TRUE;
    }
    else if (!r->t.closed && !track_until(&r->t, MESessionClosed, CLOSE_BOUND, &status))
    {
        ok(0, "[%s] no MESessionClosed within %u ms", r->label, CLOSE_BOUND);
        o->close_late = TRUE;
    }
    r->close_ms = GetTickCount() - start;
    if (r->t.closed)
    {
        IMFMediaEvent *event = NULL;
        /* Nothing after MESessionClosed (a short look). */
        if (SUCCEEDED(event_waiter_next(r->t.w, 20, &event)) && event)
        {
            MediaEventType type;
            IMFMediaEvent_GetType(event, &type);
            ok(0, "[%s] %s after MESessionClosed (contract 2: Closed is the last event)", r->label,
                    event_name(type));
            IMFMediaEvent_Release(event);
            o->event_after_close = TRUE;
        }
        if (r->t.last_after_closed) o->event_after_close = TRUE;
    }
}

/* Shutdown, Release, faults off, and every double back to the test's references. */
static void run_teardown(struct run *r, struct outcome *o)
{
    HRESULT hr = E_FAIL;

    event_waiter_destroy(r->t.w);
    if (!shutdown_release(r->session, &hr))
    {
        ok(0, "[%s] Shutdown + Release did not return within %u ms", r->label, CLOSE_BOUND);
        o->shutdown_hang = TRUE;
        dfault_reset();
        return; /* objects may still be in use: leak them */
    }
    if (hr != S_OK)
    {
        ok(0, "[%s] Shutdown returned %#lx", r->label, (unsigned long)hr);
        o->bad_hr = TRUE;
    }
    dfault_reset();
    if (!poll_refs(r))
    {
        ok(0, "[%s] after Shutdown + Release: source %ld, transform %ld, activate %ld references "
                "(expected 1 each)", r->label, dsource_refcount(r->src), dmft_refcount(r->mft),
                dactivate_refcount(r->act));
        o->leak = TRUE;
    }
    IMFActivate_Release(r->act);
    if (dsink_refcount(r->sink) != 1)
    {
        ok(0, "[%s] after Shutdown + Release the sink has %ld references (expected 1)", r->label,
                dsink_refcount(r->sink));
        o->leak = TRUE;
    }
    /* Unread events on the source's queues (MENewStream carries the stream)
     * go with the source's Shutdown: count the streams' references after it. */
    IMFMediaSource_Shutdown(dsource_iface(r->src));
    {
        unsigned i;
        for (i = 0; i < 2; ++i)
            if (dsource_stream_refcount(r->src, i) != 1)
            {
                ok(0, "[%s] source stream %u has %ld references after the source's Shutdown (expected 1)",
                        r->label, i, dsource_stream_refcount(r->src, i));
                o->leak = TRUE;
            }
    }
    dsource_release(r->src);
    dsink_release(r->sink);
    IMFTransform_Release(r->mft);
    harness_progress();
}

static BOOL outcome_good(const struct outcome *o)
{
    return !o->hang && !o->close_late && !o->leak && !o->shutdown_hang && !o->event_after_close && !o->bad_hr;
}

/* ---- every call failing ---- */

static LONG clean_run_calls(void)
{
    struct outcome o = {0};
    struct run r;
    LONG calls;

    if (!run_setup(&r, "clean run")) return 0;
    dfault_reset();
    run_scenario(&r, &o);
    calls = dfault_calls();
    if (r.failed_commands || r.t.errors) dlog_dump();
    ok(!r.failed_commands && !r.t.errors, "[clean run] no command fails and no MEError without faults "
            "(%u failed, %u MEError)", r.failed_commands, r.t.errors);
    run_teardown(&r, &o);
    ok(outcome_good(&o), "[clean run] completes, closes in %lu ms, releases everything", (unsigned long)r.close_ms);
    diag("clean run: %ld switchable calls up to Close", calls);
    return calls;
}

static void test_every_call_failing(void)
{
    static const HRESULT codes[] = {E_FAIL, MF_E_SHUTDOWN};
    unsigned call, c, good = 0, total = 0, with_error = 0, with_failure = 0;
    char label[96];

    for (c = 0; c < (long_mode ? 2u : 1u); ++c)
        for (call = 0; call < DCALL_COUNT; ++call)
        {
            struct outcome o = {0};
            struct run r;
            snprintf(label, sizeof(label), "dfault_set(%s, %#lx)", dcall_name(call), (unsigned long)codes[c]);
            if (!run_setup(&r, label)) continue;
            dfault_reset();
            dfault_set(call, codes[c]);
            run_scenario(&r, &o);
            run_teardown(&r, &o);
            ++total;
            if (r.t.errors) ++with_error;
            if (r.failed_commands) ++with_failure;
            if (outcome_good(&o)) ++good;
            ok(outcome_good(&o), "[%s] no hang, Close in %lu ms, %u command(s) failed, %u MEError (first %#lx), "
                    "nothing leaked", label, (unsigned long)r.close_ms, r.failed_commands, r.t.errors,
                    (unsigned long)r.t.first_error);
        }
    diag("every call failing: %u runs, %u good, %u with failing commands, %u with MEError", total, good,
            with_failure, with_error);
}

/* ---- the N-th call failing ---- */

static unsigned rand_next(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

static void run_nth(LONG n)
{
    struct outcome o = {0};
    struct run r;
    char label[64];

    snprintf(label, sizeof(label), "dfault_fail_nth(%ld, E_FAIL)", n);
    if (!run_setup(&r, label)) return;
    dfault_reset();
    dfault_fail_nth(n, E_FAIL);
    run_scenario(&r, &o);
    run_teardown(&r, &o);
    if (keep_log && !outcome_good(&o)) dlog_dump();
    ok(outcome_good(&o), "[%s] no hang, Close in %lu ms, %u command(s) failed, %u MEError; replay with "
            "MFSESSION_FAULT_N=%ld", label, (unsigned long)r.close_ms, r.failed_commands, r.t.errors, n);
}

static void test_nth_call_failing(LONG calls)
{
    char env[32];
    unsigned seed, i, count;
    LONG n;

    if (GetEnvironmentVariableA("MFSESSION_FAULT_N", env, sizeof(env)))
    {
        run_nth(atol(env));
        return;
    }
    if (calls <= 0)
    {
        skip("no switchable calls counted");
        return;
    }
    if (long_mode)
    {
        diag("fail-nth: every N from 1 to %ld", calls);
        for (n = 1; n <= calls; ++n) run_nth(n);
        return;
    }
    seed = GetEnvironmentVariableA("MFSESSION_SEED", env, sizeof(env)) ? (unsigned)strtoul(env, NULL, 0)
            : (unsigned)GetTickCount();
    count = calls < CI_NTH_SAMPLES ? (unsigned)calls : CI_NTH_SAMPLES;
    diag("fail-nth: %u of N in 1..%ld, seed %u (MFSESSION_SEED=%u replays the sample)", count, calls, seed, seed);
    /* The first few calls always (setup), then a random sample. */
    for (i = 0; i < count; ++i)
    {
        n = i < 5 ? (LONG)i + 1 : 1 + (LONG)(rand_next(&seed) % (unsigned)calls);
        run_nth(n);
    }
}

/* The small rig the tests below share. */
struct simple
{
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    IMFMediaSession *session;
    struct tracker t;
};

/* Fills sd and kd with the shared defaults where 0 (one stream of 4-byte
 * samples of SAMPLE_DURATION, one stream sink), makes the doubles, a topology
 * and a session with a tracker, and sets the topology.  FALSE when something
 * could not be made. */
static BOOL begin_simple(const char *label, struct dsource_desc *sd, struct dsink_desc *kd, struct simple *s)
{
    memset(s, 0, sizeof(*s));
    harness_test = label;
    dfault_reset();
    if (!sd->stream_count) sd->stream_count = 1;
    if (!sd->sample_duration) sd->sample_duration = SAMPLE_DURATION;
    if (!sd->sample_bytes) sd->sample_bytes = 4;
    if (!kd->stream_count) kd->stream_count = 1;
    if (FAILED(dsource_create(sd, &s->src))) return FALSE;
    if (FAILED(dsink_create(kd, &s->sink)))
    {
        dsource_release(s->src);
        return FALSE;
    }
    dtopology_build(s->src, s->sink, NULL, NULL, &s->topology);
    if (!(s->session = create_session()))
    {
        IMFTopology_Release(s->topology);
        dsource_release(s->src);
        dsink_release(s->sink);
        return FALSE;
    }
    s->t.w = event_waiter_create((IMFMediaEventGenerator *)s->session);
    ok_hr(S_OK, IMFMediaSession_SetTopology(s->session, 0, s->topology));
    return TRUE;
}

/* Shutdown + Release (bounded), then the topology and every double back to the
 * test's own references, before the client shuts its source down. */
static void finish_simple(const char *label, struct simple *s)
{
    DWORD start = GetTickCount();
    BOOL returned;
    HRESULT hr = E_FAIL;

    event_waiter_destroy(s->t.w);
    returned = shutdown_release(s->session, &hr);
    ok(returned && hr == S_OK, "[%s] Shutdown + Release return (%lu ms), hr %#lx", label,
            (unsigned long)(GetTickCount() - start), (unsigned long)hr);
    if (!returned) return;
    start = GetTickCount();
    while (get_refcount(s->topology) != 1 && GetTickCount() - start < RELEASE_POLL) Sleep(5);
    ok(get_refcount(s->topology) == 1, "[%s] the topology is released: %lu references", label,
            get_refcount(s->topology));
    IMFTopology_Release(s->topology);
    while ((dsource_refcount(s->src) != 1 || dsink_refcount(s->sink) != 1) && GetTickCount() - start < RELEASE_POLL)
        Sleep(5);
    ok(dsource_refcount(s->src) == 1 && dsink_refcount(s->sink) == 1,
            "[%s] every double back to the test's reference: source %ld, sink %ld", label,
            dsource_refcount(s->src), dsink_refcount(s->sink));
    IMFMediaSource_Shutdown(dsource_iface(s->src));
    ok(dsource_stream_refcount(s->src, 0) == 1, "[%s] the source stream back to the source's reference: %ld", label,
            dsource_stream_refcount(s->src, 0));
    dsource_release(s->src);
    dsink_release(s->sink);
    harness_progress();
}

/* ---- components going away under the session ---- */

enum midway { MID_START, MID_SEEK, MID_PAUSE, MID_CLOSE };

static void test_source_shutdown_midway(enum midway when)
{
    static const char *labels[] = {"source shut down mid-start", "source shut down mid-seek",
            "source shut down mid-pause", "source shut down mid-close"};
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct simple s;
    const char *label = labels[when];
    HRESULT status = S_OK;
    DWORD start;

    sd.samples_per_stream = 1000;
    sd.seekable = sd.can_pause = TRUE;
    sd.never_answer_start = when == MID_START;
    kd.request_depth = 2;
    if (!begin_simple(label, &sd, &kd, &s)) return;
    ok(track_until(&s.t, MESessionTopologySet, TEST_TIMEOUT, &status) && status == S_OK, "[%s] topology set", label);
    ok_hr(S_OK, start_at(s.session, -1));
    if (when != MID_START)
        ok(track_until(&s.t, MESessionStarted, TEST_TIMEOUT, &status) && status == S_OK, "[%s] started", label);

    start = GetTickCount();
    switch (when)
    {
    case MID_START:
        Sleep(50); /* the source's Start was called and will never answer */
        IMFMediaSource_Shutdown(dsource_iface(s.src));
        ok(track_until(&s.t, MESessionStarted, CLOSE_BOUND, &status),
                "[%s] the pending Start completes within %u ms (contract 5)", label, CLOSE_BOUND);
        ok(FAILED(status), "[%s] with an error status, got %#lx", label, (unsigned long)status);
        diag("%s: MESessionStarted %#lx after %lu ms", label, (unsigned long)status,
                (unsigned long)(GetTickCount() - start));
        break;
    case MID_SEEK:
        ok_hr(S_OK, start_at(s.session, 30 * SAMPLE_DURATION));
        IMFMediaSource_Shutdown(dsource_iface(s.src));
        ok(track_until(&s.t, MESessionStarted, CLOSE_BOUND, &status),
                "[%s] the seek completes (status %#lx) within %u ms", label, (unsigned long)status, CLOSE_BOUND);
        diag("%s: MESessionStarted %#lx after %lu ms", label, (unsigned long)status,
                (unsigned long)(GetTickCount() - start));
        break;
    case MID_PAUSE:
        ok_hr(S_OK, IMFMediaSession_Pause(s.session));
        IMFMediaSource_Shutdown(dsource_iface(s.src));
        ok(track_until(&s.t, MESessionPaused, CLOSE_BOUND, &status),
                "[%s] the pause completes (status %#lx) within %u ms", label, (unsigned long)status, CLOSE_BOUND);
        diag("%s: MESessionPaused %#lx after %lu ms", label, (unsigned long)status,
                (unsigned long)(GetTickCount() - start));
        break;
    case MID_CLOSE:
        break;
    }
    start = GetTickCount();
    ok_hr(S_OK, IMFMediaSession_Close(s.session));
    if (when == MID_CLOSE) IMFMediaSource_Shutdown(dsource_iface(s.src));
    ok(track_until(&s.t, MESessionClosed, CLOSE_BOUND, &status), "[%s] MESessionClosed within %u ms (took %lu)",
            label, CLOSE_BOUND, (unsigned long)(GetTickCount() - start));
    finish_simple(label, &s);
}

static void test_sink_never_requests(BOOL shutdown_without_close)
{
    const char *label = shutdown_without_close ? "sink never requests, Shutdown without Close"
            : "sink never requests";
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct simple s;
    HRESULT status = S_OK;
    DWORD start;

    sd.samples_per_stream = 100;
    sd.seekable = sd.can_pause = TRUE;
    kd.never_request = TRUE;
    kd.finalizable = TRUE;
    if (!begin_simple(label, &sd, &kd, &s)) return;
    ok_hr(S_OK, start_at(s.session, -1));
    ok(track_until(&s.t, MESessionStarted, CLOSE_BOUND, &status), "[%s] Start completes (%#lx)", label,
            (unsigned long)status);
    Sleep(100);
    ok(dsink_received(s.sink, 0) == 0, "[%s] no sample pushed unasked: %u", label, dsink_received(s.sink, 0));
    if (!shutdown_without_close)
    {
        ok_hr(S_OK, IMFMediaSession_Stop(s.session));
        ok(track_until(&s.t, MESessionStopped, CLOSE_BOUND, &status), "[%s] Stop completes (%#lx)", label,
                (unsigned long)status);
        ok_hr(S_OK, start_at(s.session, -1));
        ok(track_until(&s.t, MESessionStarted, CLOSE_BOUND, &status), "[%s] Start again completes (%#lx)", label,
                (unsigned long)status);
        start = GetTickCount();
        ok_hr(S_OK, IMFMediaSession_Close(s.session));
        ok(track_until(&s.t, MESessionClosed, CLOSE_BOUND, &status), "[%s] MESessionClosed within %u ms (took %lu)",
                label, CLOSE_BOUND, (unsigned long)(GetTickCount() - start));
    }
    finish_simple(label, &s);
}

/* A source that never answers Start, and the client shuts the session down
 * (no Close): Shutdown must not wait for the source. */
static void test_shutdown_while_start_pending(void)
{
    const char *label = "Shutdown while a Start is pending";
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct simple s;
    HRESULT status;

    sd.samples_per_stream = 10;
    sd.never_answer_start = TRUE;
    if (!begin_simple(label, &sd, &kd, &s)) return;
    track_until(&s.t, MESessionTopologySet, TEST_TIMEOUT, &status);
    ok_hr(S_OK, start_at(s.session, -1));
    Sleep(50);
    finish_simple(label, &s);
}

/* A Start stuck on a source that never answers, with more commands queued
 * behind it, then Close: the client waits 5 s for MESessionClosed (contract 8). */
static void test_close_behind_stuck_commands(void)
{
    const char *label = "Close with commands queued behind a stuck Start";
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct simple s;
    HRESULT status;
    DWORD start;

    sd.samples_per_stream = 10;
    sd.seekable = sd.can_pause = TRUE;
    sd.never_answer_start = TRUE;
    if (!begin_simple(label, &sd, &kd, &s)) return;
    track_until(&s.t, MESessionTopologySet, TEST_TIMEOUT, &status);
    ok_hr(S_OK, start_at(s.session, -1));
    ok_hr(S_OK, IMFMediaSession_Pause(s.session));
    ok_hr(S_OK, start_at(s.session, -1));
    ok_hr(S_OK, start_at(s.session, 3 * SAMPLE_DURATION));
    ok_hr(S_OK, start_at(s.session, 5 * SAMPLE_DURATION));
    Sleep(50);
    start = GetTickCount();
    ok_hr(S_OK, IMFMediaSession_Close(s.session));
    ok(track_until(&s.t, MESessionClosed, CLOSE_BOUND + 5000, &status), "[%s] MESessionClosed arrives", label);
    ok(GetTickCount() - start <= CLOSE_BOUND, "[%s] MESessionClosed within %u ms, took %lu ms (%u commands completed "
            "before it)", label, CLOSE_BOUND, (unsigned long)(GetTickCount() - start),
            s.t.counts[1] + s.t.counts[2]);
    finish_simple(label, &s);
}

START_TEST(faults)
{
    char env[16];
    LONG calls;
    DWORD begin = GetTickCount();

    long_mode = GetEnvironmentVariableA("MFSESSION_LONG", env, sizeof(env)) && env[0] && env[0] != '0';
    verbose = GetEnvironmentVariableA("MFSESSION_VERBOSE", env, sizeof(env)) && env[0] && env[0] != '0';
    keep_log = GetEnvironmentVariableA("MFSESSION_DLOG", env, sizeof(env)) && env[0] && env[0] != '0';
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(30000);
    dlog_enable(keep_log);

    calls = clean_run_calls();
    if (!GetEnvironmentVariableA("MFSESSION_FAULTS_ONLY_MIDWAY", env, sizeof(env)))
    {
        if (!GetEnvironmentVariableA("MFSESSION_FAULT_N", env, sizeof(env))) test_every_call_failing();
        test_nth_call_failing(calls);
    }
    test_source_shutdown_midway(MID_START);
    test_source_shutdown_midway(MID_SEEK);
    test_source_shutdown_midway(MID_PAUSE);
    test_source_shutdown_midway(MID_CLOSE);
    test_sink_never_requests(FALSE);
    test_sink_never_requests(TRUE);
    test_shutdown_while_start_pending();
    test_close_behind_stuck_commands();

    dfault_reset();
    diag("test_faults took %lu ms", (unsigned long)(GetTickCount() - begin));
    MFShutdown();
    CoUninitialize();
}
