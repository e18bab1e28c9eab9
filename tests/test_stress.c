/*
 * Concurrency stress.
 *
 * 1. A seeded randomized test: 4 threads issue random sequences of every
 *    public call on one session (SetTopology with real double topologies,
 *    ClearTopologies, Start (VT_EMPTY / VT_I8), Pause, Stop, SetRate,
 *    GetClock, GetSessionCapabilities, GetFullTopology, one Close), while a
 *    consumer reads events (GetEvent(0) or BeginGetEvent, by seed).  Half the
 *    seeds add component faults: MEError from a source or stream at random
 *    moments (in the middle of commands too) and one failing component call.
 *    A model of the contract checks every return code (S_OK, also after
 *    Close), that each accepted command produced exactly one completion event
 *    of its type, that after MESessionClosed only completions of calls made
 *    after Close come (MF_E_INVALIDREQUEST), that after Shutdown every call
 *    returns MF_E_SHUTDOWN (E_POINTER/E_INVALIDARG aside), and that nothing
 *    the run created is still referenced once the session is gone.
 *    CI: MFSESSION_SEEDS seeds (default 20) or 40 s, whichever first;
 *    MFSESSION_SEED=n replays one seed; MFSESSION_LONG=1 runs 300 seeds.
 * 2. 64 sessions playing at once, each with its own doubles.
 * 3. Shutdown + Release on one thread while playback runs and a consumer
 *    blocks in GetEvent on another; Release without Shutdown while playing.
 *
 * 2 and 3, and a rate change raced by Close, live in test_stress_sessions.c.
 */
#include "test_stress.h"

#define WORKERS 4
#define MAX_DOUBLES 256

enum op
{
    OP_SET_TOPOLOGY, OP_CLEAR, OP_START, OP_START_AT, OP_PAUSE, OP_STOP, OP_SET_RATE, OP_GET_CLOCK, OP_CAPS,
    OP_FULL_TOPOLOGY, OP_COMPONENT_ERROR, OP_COUNT
};
/* Completion kinds (the events counted). */
enum kind { K_TOPOLOGY_SET, K_CLEARED, K_STARTED, K_PAUSED, K_STOPPED, K_RATE, K_CLOSED, K_COUNT };
static const char *kind_names[K_COUNT] = {"MESessionTopologySet", "MESessionTopologiesCleared", "MESessionStarted",
        "MESessionPaused", "MESessionStopped", "MESessionRateChanged", "MESessionClosed"};

static int kind_of(MediaEventType type)
{
    switch (type)
    {
    case MESessionTopologySet: return K_TOPOLOGY_SET;
    case MESessionTopologiesCleared: return K_CLEARED;
    case MESessionStarted: return K_STARTED;
    case MESessionPaused: return K_PAUSED;
    case MESessionStopped: return K_STOPPED;
    case MESessionRateChanged: return K_RATE;
    case MESessionClosed: return K_CLOSED;
    default: return -1;
    }
}

static unsigned rnd(unsigned *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

struct run
{
    unsigned seed;
    IMFMediaSession *session;
    IMFRateControl *rate;
    volatile LONG accepted[K_COUNT];    /* calls that returned S_OK */
    volatile LONG events[K_COUNT];      /* completion events seen */
    volatile LONG close_begun, close_returned;
    volatile LONG bad;                  /* return codes outside the model */
    volatile LONG after_closed;         /* events after MESessionClosed */
    volatile LONG events_total;
    volatile LONG after_closed_type;
    LONG close_worker, close_at;
    char first_bad[256];
    SRWLOCK lock;
    struct dsource *sources[MAX_DOUBLES];
    struct dsink *sinks[MAX_DOUBLES];
    IMFTopology *topologies[MAX_DOUBLES];
    unsigned double_count;
    HANDLE closed;
    BOOL use_begin;
    BOOL faults;                        /* components fail at random (MEError, one failing call) */
};

struct worker
{
    struct run *run;
    unsigned index;
    unsigned state;
    unsigned ops;
};

static void note_bad(struct run *r, const char *what, HRESULT hr)
{
    if (InterlockedIncrement(&r->bad) == 1)
        snprintf(r->first_bad, sizeof(r->first_bad), "%s returned %#lx", what, (unsigned long)hr);
}

/* S_OK, before and after Close: a call made after Close completes with
 * MF_E_INVALIDREQUEST in its event (observed on Windows), it is not refused. */
static void check_transport(struct run *r, const char *what, HRESULT hr, BOOL closed_before, int kind)
{
    if (hr == S_OK) InterlockedIncrement(&r->accepted[kind]);
    else note_bad(r, what, hr);
}

static IMFTopology *new_topology(struct run *r, unsigned *state)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dsource *src = NULL;
    struct dsink *sink = NULL;
    IMFTopology *topology = NULL;

    sd.stream_count = 1 + rnd(state) % 2;
    sd.samples_per_stream = 5 + rnd(state) % 30;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.seekable = sd.can_pause = TRUE;
    sd.eager_end_of_stream = rnd(state) & 1;
    sd.rate_support = rnd(state) & 1;
    kd.stream_count = sd.stream_count;
    kd.rateless = rnd(state) & 1;
    kd.request_depth = 1 + rnd(state) % 3;
    if (FAILED(dsource_create(&sd, &src))) return NULL;
    if (FAILED(dsink_create(&kd, &sink)))
    {
        dsource_release(src);
        return NULL;
    }
    dtopology_build(src, sink, NULL, NULL, &topology);
    AcquireSRWLockExclusive(&r->lock);
    if (r->double_count < MAX_DOUBLES)
    {
        r->sources[r->double_count] = src;
        r->sinks[r->double_count] = sink;
        r->topologies[r->double_count] = topology;
        r->double_count++;
        IMFTopology_AddRef(topology);
        ReleaseSRWLockExclusive(&r->lock);
        return topology;
    }
    ReleaseSRWLockExclusive(&r->lock);
    IMFTopology_Release(topology);
    dsource_release(src);
    dsink_release(sink);
    return NULL;
}

static void do_op(struct worker *w, enum op op)
{
    static const float rates[] = {1.0f, 0.5f, 2.0f, 0.0f, -1.0f, 1.0f};
    static const DWORD flags[] = {0, MFSESSION_SETTOPOLOGY_NORESOLUTION, MFSESSION_SETTOPOLOGY_IMMEDIATE,
            MFSESSION_SETTOPOLOGY_IMMEDIATE | MFSESSION_SETTOPOLOGY_NORESOLUTION};
    struct run *r = w->run;
    BOOL closed_before = r->close_returned != 0;
    IMFTopology *topology;
    PROPVARIANT pos;
    IMFClock *clock;
    DWORD caps;
    HRESULT hr;

    switch (op)
    {
    case OP_SET_TOPOLOGY:
        if (!(topology = new_topology(r, &w->state))) return;
        closed_before = r->close_returned != 0;
        hr = IMFMediaSession_SetTopology(r->session, flags[rnd(&w->state) % 4], topology);
        IMFTopology_Release(topology);
        check_transport(r, "SetTopology", hr, closed_before, K_TOPOLOGY_SET);
        break;
    case OP_CLEAR:
        check_transport(r, "ClearTopologies", IMFMediaSession_ClearTopologies(r->session), closed_before, K_CLEARED);
        break;
    case OP_START:
    case OP_START_AT:
        PropVariantInit(&pos);
        if (op == OP_START_AT)
        {
            pos.vt = VT_I8;
            pos.hVal.QuadPart = (LONGLONG)(rnd(&w->state) % 20) * SAMPLE_DURATION;
        }
        check_transport(r, "Start", IMFMediaSession_Start(r->session, &GUID_NULL, &pos), closed_before, K_STARTED);
        break;
    case OP_PAUSE:
        check_transport(r, "Pause", IMFMediaSession_Pause(r->session), closed_before, K_PAUSED);
        break;
    case OP_STOP:
        check_transport(r, "Stop", IMFMediaSession_Stop(r->session), closed_before, K_STOPPED);
        break;
    case OP_SET_RATE:
        check_transport(r, "SetRate", IMFRateControl_SetRate(r->rate, FALSE, rates[rnd(&w->state) % 6]),
                closed_before, K_RATE);
        break;
    case OP_GET_CLOCK:
        if ((hr = IMFMediaSession_GetClock(r->session, &clock)) == S_OK) IMFClock_Release(clock);
        else note_bad(r, "GetClock", hr);
        break;
    case OP_CAPS:
        if ((hr = IMFMediaSession_GetSessionCapabilities(r->session, &caps)) != S_OK)
            note_bad(r, "GetSessionCapabilities", hr);
        break;
    case OP_COMPONENT_ERROR:
        /* A source or one of its streams fails mid-stream, maybe in the middle
         * of a command: MEError from its queue, as a failing source sends it. */
        AcquireSRWLockShared(&r->lock);
        if (r->double_count)
        {
            struct dsource *src = r->sources[rnd(&w->state) % r->double_count];
            if (rnd(&w->state) & 1)
                IMFMediaSource_QueueEvent(dsource_iface(src), MEError, &GUID_NULL, E_FAIL, NULL);
            else
                IMFMediaStream_QueueEvent(dsource_stream(src, 0), MEError, &GUID_NULL, E_FAIL, NULL);
        }
        ReleaseSRWLockShared(&r->lock);
        break;
    case OP_FULL_TOPOLOGY:
        topology = NULL;
        if (rnd(&w->state) & 1)
        {
            hr = IMFMediaSession_GetFullTopology(r->session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
            if (hr != S_OK && hr != MF_E_INVALIDREQUEST) note_bad(r, "GetFullTopology(CURRENT)", hr);
        }
        else
        {
            hr = IMFMediaSession_GetFullTopology(r->session, 0, rnd(&w->state), &topology);
            if (hr != S_OK && hr != MF_E_NOT_FOUND) note_bad(r, "GetFullTopology(id)", hr);
        }
        if (topology) IMFTopology_Release(topology);
        break;
    default:
        break;
    }
}

static DWORD WINAPI worker_thread(void *arg)
{
    struct worker *w = arg;
    struct run *r = w->run;
    unsigned i;

    for (i = 0; i < w->ops; ++i)
    {
        unsigned pick = rnd(&w->state) % 100;
        enum op op = pick < 12 ? OP_SET_TOPOLOGY : pick < 17 ? OP_CLEAR : pick < 32 ? OP_START
                : pick < 42 ? OP_START_AT : pick < 52 ? OP_PAUSE : pick < 62 ? OP_STOP : pick < 70 ? OP_SET_RATE
                : pick < 76 ? OP_GET_CLOCK : pick < 83 ? OP_CAPS : pick < 95 ? OP_FULL_TOPOLOGY
                : r->faults ? OP_COMPONENT_ERROR : OP_CAPS;
        if ((LONG)w->index == r->close_worker && (LONG)i == r->close_at)
        {
            HRESULT hr;
            InterlockedExchange(&r->close_begun, 1);
            hr = IMFMediaSession_Close(r->session);
            if (hr == S_OK) InterlockedIncrement(&r->accepted[K_CLOSED]);
            else note_bad(r, "Close", hr);
            InterlockedExchange(&r->close_returned, 1);
            continue;
        }
        do_op(w, op);
        if (rnd(&w->state) % 4 == 0) Sleep(rnd(&w->state) % 3);
    }
    return 0;
}

static void count_event(struct run *r, IMFMediaEvent *event)
{
    MediaEventType type;
    HRESULT status = S_OK;
    int kind;

    IMFMediaEvent_GetType(event, &type);
    IMFMediaEvent_GetStatus(event, &status);
    kind = kind_of(type);
    InterlockedIncrement(&r->events_total);
    /* After MESessionClosed: only completions of calls made after Close, with MF_E_INVALIDREQUEST. */
    if (WaitForSingleObject(r->closed, 0) == WAIT_OBJECT_0
            && (kind < 0 || kind == K_CLOSED || status != MF_E_INVALIDREQUEST)
            && InterlockedIncrement(&r->after_closed) == 1)
        r->after_closed_type = type;
    if (kind >= 0) InterlockedIncrement(&r->events[kind]);
    if (type == MESessionClosed) SetEvent(r->closed);
}

static DWORD WINAPI get_event_thread(void *arg)
{
    struct run *r = arg;
    IMFMediaEvent *event;
    HRESULT hr;

    while (SUCCEEDED(hr = IMFMediaSession_GetEvent(r->session, 0, &event)))
    {
        count_event(r, event);
        IMFMediaEvent_Release(event);
    }
    if (hr != MF_E_SHUTDOWN) note_bad(r, "GetEvent", hr);
    return 0;
}

/* A BeginGetEvent consumer re-arming itself until the queue shuts down. */
struct consumer
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    struct run *run;
    HANDLE done;
};

static struct consumer *impl_from_consumer(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct consumer, IMFAsyncCallback_iface);
}

static HRESULT WINAPI consumer_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI consumer_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_consumer(iface)->refcount);
}

static ULONG WINAPI consumer_Release(IMFAsyncCallback *iface)
{
    struct consumer *c = impl_from_consumer(iface);
    ULONG refcount = InterlockedDecrement(&c->refcount);
    if (!refcount)
    {
        CloseHandle(c->done);
        free(c);
    }
    return refcount;
}

static HRESULT WINAPI consumer_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI consumer_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct consumer *c = impl_from_consumer(iface);
    IMFMediaEvent *event = NULL;
    MediaEventType type = MEUnknown;
    HRESULT hr;

    if (FAILED(hr = IMFMediaSession_EndGetEvent(c->run->session, result, &event)))
    {
        if (hr != MF_E_SHUTDOWN) note_bad(c->run, "EndGetEvent", hr);
        SetEvent(c->done);
        return S_OK;
    }
    IMFMediaEvent_GetType(event, &type);
    count_event(c->run, event);
    IMFMediaEvent_Release(event);
    /* On past MESessionClosed: calls made after Close still complete. */
    if (FAILED(hr = IMFMediaSession_BeginGetEvent(c->run->session, iface, NULL)))
    {
        if (hr != MF_E_SHUTDOWN) note_bad(c->run, "BeginGetEvent", hr);
        SetEvent(c->done);
    }
    return S_OK;
}

static const IMFAsyncCallbackVtbl consumer_vtbl =
{
    consumer_QueryInterface, consumer_AddRef, consumer_Release, consumer_GetParameters, consumer_Invoke,
};

static void check_after_shutdown(IMFMediaSession *session, IMFRateControl *rate, unsigned seed)
{
    IMFMediaEvent *event;
    IMFTopology *topology;
    IMFClock *clock;
    PROPVARIANT pos;
    DWORD caps;
    HRESULT hr[14];
    unsigned i;
    BOOL good = TRUE;
    struct consumer *c = calloc(1, sizeof(*c));

    c->IMFAsyncCallback_iface.lpVtbl = &consumer_vtbl;
    c->refcount = 1;
    c->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    PropVariantInit(&pos);
    hr[0] = IMFMediaSession_Start(session, &GUID_NULL, &pos);
    hr[1] = IMFMediaSession_Pause(session);
    hr[2] = IMFMediaSession_Stop(session);
    hr[3] = IMFMediaSession_Close(session);
    hr[4] = IMFMediaSession_ClearTopologies(session);
    hr[5] = IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL);
    hr[6] = IMFRateControl_SetRate(rate, FALSE, 1.0f);
    hr[7] = IMFMediaSession_GetClock(session, &clock);
    hr[8] = IMFMediaSession_GetSessionCapabilities(session, &caps);
    hr[9] = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
    hr[10] = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    hr[11] = IMFMediaSession_GetEvent(session, 0, &event);
    hr[12] = IMFMediaSession_BeginGetEvent(session, &c->IMFAsyncCallback_iface, NULL);
    hr[13] = IMFMediaSession_Shutdown(session);
    for (i = 0; i < ARRAYSIZE(hr); ++i)
        if (hr[i] != MF_E_SHUTDOWN)
        {
            ok(0, "[seed %u] after Shutdown, call %u returned %#lx, expected MF_E_SHUTDOWN", seed, i,
                    (unsigned long)hr[i]);
            good = FALSE;
        }
    if (good) ok(1, "[seed %u] after Shutdown every call returns MF_E_SHUTDOWN", seed);
    IMFAsyncCallback_Release(&c->IMFAsyncCallback_iface);
}

/* release_doubles (test_stress.h) */
BOOL release_doubles(struct dsource **sources, struct dsink **sinks, IMFTopology **topologies, unsigned count,
        const char *label)
{
    DWORD start = GetTickCount();
    BOOL good = TRUE;
    unsigned i;

    for (i = 0; i < count; ++i)
    {
        if (!topologies[i]) continue;
        while (get_refcount(topologies[i]) != 1 && GetTickCount() - start < 2000) Sleep(5);
        if (get_refcount(topologies[i]) != 1)
        {
            if (good) ok(0, "[%s] topology %u still has %lu references", label, i, get_refcount(topologies[i]));
            good = FALSE;
        }
        IMFTopology_Release(topologies[i]);
    }
    for (i = 0; i < count; ++i)
    {
        while ((dsource_refcount(sources[i]) != 1 || dsink_refcount(sinks[i]) != 1) && GetTickCount() - start < 2000)
            Sleep(5);
        if (dsource_refcount(sources[i]) != 1 || dsink_refcount(sinks[i]) != 1)
        {
            if (good) ok(0, "[%s] double pair %u still referenced: source %ld, sink %ld", label, i,
                    dsource_refcount(sources[i]), dsink_refcount(sinks[i]));
            good = FALSE;
        }
        IMFMediaSource_Shutdown(dsource_iface(sources[i]));
        dsource_release(sources[i]);
        dsink_release(sinks[i]);
    }
    return good;
}
static BOOL run_seed(unsigned seed, unsigned ops)
{
    struct worker workers[WORKERS];
    HANDLE threads[WORKERS], consumer_thread = NULL;
    struct consumer *consumer = NULL;
    struct run *r = calloc(1, sizeof(*r));
    char label[32];
    BOOL good = TRUE, closed;
    unsigned i, k, state = seed * 2654435761u + 1;
    DWORD wait;
    HRESULT hr;

    snprintf(label, sizeof(label), "seed %u", seed);
    r->seed = seed;
    InitializeSRWLock(&r->lock);
    r->closed = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!(r->session = create_session())) return FALSE;
    IMFMediaSession_QueryInterface(r->session, &IID_IMFRateControl, (void **)&r->rate);
    r->use_begin = rnd(&state) & 1;
    r->close_worker = rnd(&state) % (WORKERS + 1);  /* WORKERS: nobody, the main thread closes */
    r->close_at = ops / 2 + rnd(&state) % (ops / 2);
    /* Half the seeds with faults: MEError from sources and streams, and one
     * component call (any of the doubles' switchable calls) failing. */
    if ((r->faults = rnd(&state) & 1))
    {
        static const HRESULT codes[] = {E_FAIL, E_OUTOFMEMORY, MF_E_SHUTDOWN, MF_E_INVALIDREQUEST};
        dfault_reset();
        dfault_fail_nth(1 + rnd(&state) % 400, codes[rnd(&state) % ARRAYSIZE(codes)]);
    }
    if (r->use_begin)
    {
        consumer = calloc(1, sizeof(*consumer));
        consumer->IMFAsyncCallback_iface.lpVtbl = &consumer_vtbl;
        consumer->refcount = 1;
        consumer->run = r;
        consumer->done = CreateEventW(NULL, TRUE, FALSE, NULL);
        if ((hr = IMFMediaSession_BeginGetEvent(r->session, &consumer->IMFAsyncCallback_iface, NULL)) != S_OK)
            note_bad(r, "BeginGetEvent", hr);
    }
    else
        consumer_thread = CreateThread(NULL, 0, get_event_thread, r, 0, NULL);

    for (i = 0; i < WORKERS; ++i)
    {
        workers[i].run = r;
        workers[i].index = i;
        workers[i].state = seed * 7919u + i * 104729u + 17;
        workers[i].ops = ops;
        threads[i] = CreateThread(NULL, 0, worker_thread, &workers[i], 0, NULL);
    }
    wait = WaitForMultipleObjects(WORKERS, threads, TRUE, 60000);
    if (wait == WAIT_TIMEOUT)
    {
        ok(0, "[%s] worker threads stuck in a session call for 60 s", label);
        return FALSE; /* leak everything: threads still use it */
    }
    for (i = 0; i < WORKERS; ++i) CloseHandle(threads[i]);
    if (!r->close_begun)
    {
        InterlockedExchange(&r->close_begun, 1);
        hr = IMFMediaSession_Close(r->session);
        if (hr == S_OK) InterlockedIncrement(&r->accepted[K_CLOSED]);
        else note_bad(r, "Close", hr);
        InterlockedExchange(&r->close_returned, 1);
    }
    closed = WaitForSingleObject(r->closed, 15000) == WAIT_OBJECT_0;
    good &= ok(closed, "[%s] MESessionClosed arrives (%ld events so far)", label, r->events_total);
    /* The completions of calls made after Close follow it: wait for them (bounded). */
    {
        DWORD waited = GetTickCount();
        for (;;)
        {
            for (k = 0; k < K_COUNT; ++k) if (r->events[k] < r->accepted[k]) break;
            if (k == K_COUNT || GetTickCount() - waited > 5000) break;
            Sleep(10);
        }
    }
    Sleep(100); /* anything more would show now */

    /* The model: one completion per accepted command. */
    for (k = 0; k < K_COUNT; ++k)
        if (r->events[k] != r->accepted[k])
        {
            good &= ok(0, "[%s] %ld %s events for %ld accepted calls (replay: MFSESSION_SEED=%u)", label,
                    r->events[k], kind_names[k], r->accepted[k], seed);
        }
    good &= ok(!r->after_closed, "[%s] after MESessionClosed only the completions of calls made after Close "
            "(%ld others, first: %s)", label,
            r->after_closed, r->after_closed ? event_name(r->after_closed_type) : "none");

    ok_hr(S_OK, IMFMediaSession_Shutdown(r->session));
    if (consumer_thread)
    {
        good &= ok(WaitForSingleObject(consumer_thread, 5000) == WAIT_OBJECT_0,
                "[%s] a consumer blocked in GetEvent(0) returns at Shutdown", label);
        CloseHandle(consumer_thread);
    }
    if (consumer)
    {
        WaitForSingleObject(consumer->done, 2000);
        IMFAsyncCallback_Release(&consumer->IMFAsyncCallback_iface);
    }
    good &= ok(!r->bad, "[%s] every return code fits the contract%s%s", label, r->bad ? ": first: " : "",
            r->bad ? r->first_bad : "");
    check_after_shutdown(r->session, r->rate, seed);
    dfault_reset();
    IMFRateControl_Release(r->rate);
    IMFMediaSession_Release(r->session);
    good &= release_doubles(r->sources, r->sinks, r->topologies, r->double_count, label);
    if (!good) diag("seed %u FAILED: replay with MFSESSION_SEED=%u", seed, seed);
    CloseHandle(r->closed);
    free(r);
    return good;
}

static void test_random(BOOL long_mode)
{
    char env[32];
    unsigned seeds = long_mode ? 2000 : 100, i, passed = 0, run = 0, base;
    DWORD start = GetTickCount(), budget = long_mode ? 1800000 : 40000;

    if (GetEnvironmentVariableA("MFSESSION_SEED", env, sizeof(env)))
    {
        unsigned seed = (unsigned)strtoul(env, NULL, 0);
        diag("replaying seed %u", seed);
        run_seed(seed, 60);
        return;
    }
    if (GetEnvironmentVariableA("MFSESSION_SEEDS", env, sizeof(env))) seeds = (unsigned)strtoul(env, NULL, 0);
    base = GetTickCount() % 100000;
    diag("random transport: seeds %u..%u (time budget %lu s)", base, base + seeds - 1, (unsigned long)budget / 1000);
    for (i = 0; i < seeds && GetTickCount() - start < budget; ++i)
    {
        ++run;
        if (run_seed(base + i, 60)) ++passed;
    }
    diag("random transport: %u seeds run, %u passed, %lu ms", run, passed, (unsigned long)(GetTickCount() - start));
}

START_TEST(stress)
{
    char env[16];
    BOOL long_mode = GetEnvironmentVariableA("MFSESSION_LONG", env, sizeof(env)) && env[0] != '0';
    DWORD start = GetTickCount();
    unsigned i;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    dlog_enable(FALSE);
    test_random(long_mode);
    if (!GetEnvironmentVariableA("MFSESSION_SEED", env, sizeof(env)))
    {
        test_rate_then_close(long_mode ? 500 : 50);
        test_many_sessions(64);
        for (i = 0; i < (long_mode ? 40u : 6u); ++i)
        {
            test_release_while_running(TRUE, i);
            test_release_while_running(FALSE, i);
        }
    }
    diag("test_stress took %lu ms", (unsigned long)(GetTickCount() - start));
    MFShutdown();
    CoUninitialize();
}
