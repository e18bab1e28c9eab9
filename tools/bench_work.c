/*
 * The benchmark's workloads, each run once per call for one kind of session.
 * Times run from just before the public call (Close, Start) to the moment
 * the consumer's callback dequeued the answering event.
 */
#include "bench.h"
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>

#define ENDLESS 10000000u   /* samples: a presentation that does not end while measured */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of n values (sorted in place). */
static double percentile(double *v, unsigned n, double p)
{
    unsigned rank;
    if (!n) return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    rank = (unsigned)(p / 100.0 * n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return v[rank - 1];
}

static void store_percentiles(struct bench_run *r, double *lat, unsigned n)
{
    r->values[0] = percentile(lat, n, 50);
    r->values[1] = percentile(lat, n, 99);
}

void memory_now(double *ws, double *pu);

/* ---- Close latency ---- */

void wl_close_empty(enum bench_kind kind, struct bench_run *r)
{
    unsigned i, n = opt.close_iterations;
    double *lat = calloc(n, sizeof(*lat));
    struct consumer *c = consumer_create();
    struct consumer_event ev;
    IMFMediaSession *session;
    LONGLONG t0;
    HRESULT hr;

    for (i = 0; i < n; ++i)
    {
        if (FAILED(hr = session_create(kind, &session)))
        {
            run_fail(r, hr, "creating the session");
            break;
        }
        if (FAILED(hr = consumer_attach(c, session)))
        {
            run_fail(r, hr, "BeginGetEvent");
            IMFMediaSession_Shutdown(session);
            IMFMediaSession_Release(session);
            break;
        }
        t0 = qpc_now();
        hr = IMFMediaSession_Close(session);
        if (SUCCEEDED(hr)) hr = consumer_wait(c, MESessionClosed, 0, opt.timeout_ms, &ev);
        if (FAILED(hr))
        {
            run_fail(r, hr, "Close -> MESessionClosed, empty session");
            if (hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT))
            {
                InterlockedIncrement(&bench_abandoned);
                return; /* abandoned with its consumer */
            }
            IMFMediaSession_Shutdown(session);
            consumer_detach(c);
            IMFMediaSession_Release(session);
            break;
        }
        lat[i] = qpc_us(ev.qpc - t0);
        IMFMediaSession_Shutdown(session);
        consumer_detach(c);
        IMFMediaSession_Release(session);
    }
    if (r->status == BENCH_OK) store_percentiles(r, lat, n);
    consumer_release(c);
    free(lat);
}

static BOOL wait_samples(struct rig *rig, unsigned count, struct bench_run *r)
{
    dsink_set_target(rig->sink, count);
    if (WaitForSingleObject(dsink_done_event(rig->sink), opt.timeout_ms) != WAIT_OBJECT_0)
        return run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "waiting for %u samples at the sink", count);
    return TRUE;
}

void wl_close_running(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, ENDLESS, 100000, 4, TRUE, 0};
    unsigned i, n = opt.running_iterations;
    double *lat = calloc(n, sizeof(*lat));
    struct consumer_event ev;
    struct rig rig;
    LONGLONG t0;
    HRESULT hr;

    for (i = 0; i < n && r->status == BENCH_OK; ++i)
    {
        if (rig_create(&rig, kind, &d, r))
        {
            if (FAILED(hr = rig_start(&rig, -1))
                    || FAILED(hr = consumer_wait(rig.consumer, MESessionStarted, 0, opt.timeout_ms, NULL)))
                run_fail(r, hr, "Start -> MESessionStarted");
            else if (wait_samples(&rig, 50, r))
            {
                t0 = qpc_now();
                hr = IMFMediaSession_Close(rig.session);
                if (SUCCEEDED(hr)) hr = consumer_wait(rig.consumer, MESessionClosed, 0, opt.timeout_ms, &ev);
                if (FAILED(hr)) run_fail(r, hr, "Close -> MESessionClosed, playing session");
                else lat[i] = qpc_us(ev.qpc - t0);
            }
        }
        rig_destroy(&rig, r);
    }
    if (r->status == BENCH_OK) store_percentiles(r, lat, n);
    free(lat);
}

/* ---- lifecycle ---- */

/* The baseline cycle: what any session's cycle does with the platform's
 * event machinery, without a session: an event queue, one subscription,
 * MESessionClosed through it, Shutdown, Release. */
static BOOL baseline_cycle(struct consumer **c, struct bench_run *r)
{
    IMFMediaEventQueue *queue;
    HRESULT hr;

    if (FAILED(hr = MFCreateEventQueue(&queue))) return run_fail(r, hr, "MFCreateEventQueue");
    /* The consumer only calls AddRef, Release, BeginGetEvent and EndGetEvent,
     * which an event queue has in the same vtable slots as a session. */
    if (FAILED(hr = consumer_attach(*c, (IMFMediaSession *)queue)))
    {
        IMFMediaEventQueue_Release(queue);
        return run_fail(r, hr, "BeginGetEvent");
    }
    hr = IMFMediaEventQueue_QueueEventParamVar(queue, MESessionClosed, &GUID_NULL, S_OK, NULL);
    if (SUCCEEDED(hr)) hr = consumer_wait(*c, MESessionClosed, 0, opt.timeout_ms, NULL);
    IMFMediaEventQueue_Shutdown(queue);
    consumer_detach(*c);
    IMFMediaEventQueue_Release(queue);
    if (FAILED(hr)) return run_fail(r, hr, "baseline cycle");
    return TRUE;
}

/* The work-item cycle: one MFPutWorkItem whose callback sets an event. */
struct signal_callback
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    HANDLE event;
};

static HRESULT WINAPI signal_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    *out = iface;
    return S_OK;
}
static ULONG WINAPI signal_AddRef(IMFAsyncCallback *iface) { return 2; }
static ULONG WINAPI signal_Release(IMFAsyncCallback *iface) { return 1; }
static HRESULT WINAPI signal_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue) { return E_NOTIMPL; }
static HRESULT WINAPI signal_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    SetEvent(CONTAINING_RECORD(iface, struct signal_callback, IMFAsyncCallback_iface)->event);
    return S_OK;
}
static const IMFAsyncCallbackVtbl signal_vtbl =
{
    signal_QueryInterface, signal_AddRef, signal_Release, signal_GetParameters, signal_Invoke,
};

static BOOL work_item_cycle(struct bench_run *r)
{
    static struct signal_callback cb = {{&signal_vtbl}};
    HRESULT hr;

    if (!cb.event) cb.event = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (FAILED(hr = MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &cb.IMFAsyncCallback_iface, NULL)))
        return run_fail(r, hr, "MFPutWorkItem");
    if (WaitForSingleObject(cb.event, opt.timeout_ms) != WAIT_OBJECT_0)
        return run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "work item");
    return TRUE;
}

/* One cycle: create, Close, MESessionClosed, Shutdown, Release. */
static BOOL lifecycle_cycle(enum bench_kind kind, struct consumer **c, struct bench_run *r)
{
    IMFMediaSession *session;
    HRESULT hr;

    if (kind == KIND_COUNT) return baseline_cycle(c, r);
    if (kind == KIND_COUNT + 1) return work_item_cycle(r);

    if (FAILED(hr = session_create(kind, &session))) return run_fail(r, hr, "creating the session");
    if (FAILED(hr = consumer_attach(*c, session)))
    {
        IMFMediaSession_Release(session);
        return run_fail(r, hr, "BeginGetEvent");
    }
    hr = IMFMediaSession_Close(session);
    if (SUCCEEDED(hr)) hr = consumer_wait(*c, MESessionClosed, 0, opt.timeout_ms, NULL);
    if (hr == HRESULT_FROM_WIN32(WAIT_TIMEOUT))
    {
        *c = NULL;  /* abandoned with the session */
        InterlockedIncrement(&bench_abandoned);
        return run_fail(r, hr, "Close -> MESessionClosed");
    }
    IMFMediaSession_Shutdown(session);
    consumer_detach(*c);
    IMFMediaSession_Release(session);
    if (FAILED(hr)) return run_fail(r, hr, "Close -> MESessionClosed");
    return TRUE;
}

void wl_lifecycle(enum bench_kind kind, struct bench_run *r)
{
    struct consumer *c = consumer_create();
    unsigned i, n = opt.lifecycle_cycles;
    LONGLONG t0 = qpc_now();

    for (i = 0; i < n; ++i)
        if (!lifecycle_cycle(kind, &c, r)) break;
    if (r->status == BENCH_OK) r->values[0] = n / (qpc_us(qpc_now() - t0) / 1e6);
    consumer_release(c);
}

void memory_now(double *ws, double *pu)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    memset(&pmc, 0, sizeof(pmc));
    pmc.cb = sizeof(pmc);
    if (K32GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc)))
    {
        *ws = (double)pmc.WorkingSetSize;
        *pu = (double)pmc.PrivateUsage;
    }
    else
        *ws = *pu = -1;
}

static double live_session_bytes(enum bench_kind kind, struct bench_run *r);

void lifecycle_memory(enum bench_kind kind, unsigned first, unsigned cycles, struct bench_run *r)
{
    struct consumer *c = consumer_create();
    LONGLONG t0 = 0;
    unsigned i;

    for (i = 0; i < cycles; ++i)
    {
        if (i == first)
        {
            memory_now(&r->values[0], &r->values[2]);
            t0 = qpc_now();
        }
        if (!lifecycle_cycle(kind, &c, r)) break;
    }
    if (r->status == BENCH_OK)
    {
        memory_now(&r->values[1], &r->values[3]);
        r->values[4] = (cycles - first) / (qpc_us(qpc_now() - t0) / 1e6);
    }
    consumer_release(c);
    r->values[5] = -1;
    if (r->status == BENCH_OK && kind < KIND_COUNT) r->values[5] = live_session_bytes(kind, r);
}

/* The working set a live session costs: MEMORY_LIVE sessions created and kept
 * (no topology), the growth divided among them; then shut down and released. */
#define MEMORY_LIVE 500
static double live_session_bytes(enum bench_kind kind, struct bench_run *r)
{
    IMFMediaSession **sessions = calloc(MEMORY_LIVE, sizeof(*sessions));
    double before, after, unused;
    unsigned i, made = 0;
    HRESULT hr = S_OK;

    if (!sessions) return -1;
    memory_now(&before, &unused);
    for (i = 0; i < MEMORY_LIVE && SUCCEEDED(hr); ++i)
        if (SUCCEEDED(hr = session_create(kind, &sessions[i]))) ++made;
    memory_now(&after, &unused);
    for (i = 0; i < made; ++i)
    {
        IMFMediaSession_Shutdown(sessions[i]);
        IMFMediaSession_Release(sessions[i]);
    }
    free(sessions);
    if (FAILED(hr)) run_fail(r, hr, "creating live sessions");
    return made == MEMORY_LIVE && before >= 0 ? (after - before) / MEMORY_LIVE : -1;
}

/* ---- Start and seek latency ---- */

void wl_start(enum bench_kind kind, struct bench_run *r)
{
    /* Lazy end of stream: the platform's session never ends an eager one (see PERFORMANCE.md). */
    struct rig_desc d = {SHAPE_PLAIN, 1, 20, 100000, 4, TRUE, 0, TRUE};
    unsigned i, n = opt.running_iterations;
    double *lat = calloc(n, sizeof(*lat));
    struct consumer_event ev;
    struct rig rig;
    LONGLONG t0;
    HRESULT hr;

    for (i = 0; i < n && r->status == BENCH_OK; ++i)
    {
        if (rig_create(&rig, kind, &d, r))
        {
            t0 = qpc_now();
            hr = rig_start(&rig, -1);
            if (SUCCEEDED(hr)) hr = consumer_wait(rig.consumer, MESessionStarted, 0, opt.timeout_ms, &ev);
            if (FAILED(hr)) run_fail(r, hr, "Start -> MESessionStarted");
            else
            {
                lat[i] = qpc_us(ev.qpc - t0);
                if (FAILED(hr = consumer_wait(rig.consumer, MESessionEnded, 0, opt.play_timeout_ms, NULL)))
                    run_fail(r, hr, "waiting for MESessionEnded");
            }
        }
        rig_destroy(&rig, r);
    }
    if (r->status == BENCH_OK) store_percentiles(r, lat, n);
    free(lat);
}

void wl_seek(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, ENDLESS, 100000, 4, TRUE, 0};
    unsigned i, n = opt.seek_iterations;
    double *lat = calloc(n, sizeof(*lat));
    struct consumer_event ev;
    struct rig rig;
    LONGLONG t0;
    HRESULT hr;

    if (rig_create(&rig, kind, &d, r))
    {
        if (FAILED(hr = rig_start(&rig, -1))
                || FAILED(hr = consumer_wait(rig.consumer, MESessionStarted, 0, opt.timeout_ms, NULL)))
            run_fail(r, hr, "Start -> MESessionStarted");
        for (i = 0; i < n && r->status == BENCH_OK; ++i)
        {
            /* Somewhere in the first 1000 s, a different place each time. */
            LONGLONG position = (LONGLONG)((i * 7919u) % 10000u) * 1000000;
            if (!wait_samples(&rig, 20, r)) break;
            dsink_reset_counts(rig.sink);
            t0 = qpc_now();
            hr = rig_start(&rig, position);
            if (SUCCEEDED(hr)) hr = consumer_wait(rig.consumer, MESessionStarted, 0, opt.timeout_ms, &ev);
            if (FAILED(hr)) run_fail(r, hr, "Start(VT_I8) while running -> MESessionStarted");
            else lat[i] = qpc_us(ev.qpc - t0);
        }
    }
    rig_destroy(&rig, r);
    if (r->status == BENCH_OK) store_percentiles(r, lat, n);
    free(lat);
}

/* ---- throughput ---- */

/* Plays the rig from Start to MESessionEnded; samples per second over `counted` samples. */
static void play(struct rig *rig, unsigned counted, unsigned sink_streams, unsigned per_sink_stream,
        struct bench_run *r)
{
    struct consumer_event ev;
    LONGLONG t0;
    unsigned i, received = 0;
    HRESULT hr;

    double ws0, ws1, pu;

    dsink_set_target(rig->sink, per_sink_stream);
    memory_now(&ws0, &pu);
    t0 = qpc_now();
    if (FAILED(hr = rig_start(rig, -1)))
    {
        run_fail(r, hr, "Start");
        return;
    }
    /* Every sample first, then MESessionEnded within a short grace: a session
     * that delivers everything but never ends is told apart from a slow one,
     * and one that stops delivering is caught after opt.timeout_ms without
     * progress rather than the whole playback timeout. */
    for (;;)
    {
        DWORD start = GetTickCount(), progress = start;
        unsigned last = 0;
        while (WaitForSingleObject(dsink_done_event(rig->sink), 100) != WAIT_OBJECT_0)
        {
            DWORD now = GetTickCount();
            for (i = 0, received = 0; i < sink_streams; ++i) received += dsink_received(rig->sink, i);
            if (received != last)
            {
                last = received;
                progress = now;
            }
            if (now - progress > opt.timeout_ms || now - start > opt.play_timeout_ms)
            {
                run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "Start -> every sample: the sink got %u of %u",
                        received, sink_streams * per_sink_stream);
                return;
            }
        }
        break;
    }
    if (FAILED(hr = consumer_wait(rig->consumer, MESessionEnded, 0, opt.end_grace_ms, &ev)))
    {
        run_fail(r, hr, "every sample delivered, then no MESessionEnded (%u end-of-segment marker(s) placed)",
                dsink_markers(rig->sink, 0));
        return;
    }
    for (i = 0; i < sink_streams; ++i)
        if (dsink_received(rig->sink, i) != per_sink_stream)
        {
            run_fail(r, E_FAIL, "stream sink %u received %u of %u samples", i, dsink_received(rig->sink, i),
                    per_sink_stream);
            return;
        }
    r->values[0] = counted / (qpc_us(ev.qpc - t0) / 1e6);
    r->values[1] = qpc_us(ev.qpc - t0) / counted;  /* us per sample */
    memory_now(&ws1, &pu);
    r->values[2] = (ws1 - ws0) / counted;           /* working-set bytes per sample */
}

static void throughput(enum bench_kind kind, const struct rig_desc *d, struct bench_run *r)
{
    unsigned sink_streams = d->shape == SHAPE_TEE ? d->tee_outputs : d->streams;
    struct rig rig;

    if (rig_create(&rig, kind, d, r))
        play(&rig, d->streams * d->samples, sink_streams, d->samples, r);
    rig_destroy(&rig, r);
}

void throughput_once(enum bench_kind kind, unsigned samples, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, samples, 100000, 4, TRUE, 0};
    throughput(kind, &d, r);
}

void wl_tp_plain_lazy(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, opt.samples, 100000, 4, TRUE, 0, TRUE};
    throughput(kind, &d, r);
}

void wl_tp_async_lazy(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, opt.samples, 100000, 4, TRUE, 0, TRUE, TRUE};
    throughput(kind, &d, r);
}

void wl_tp_mft_lazy(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_MFT, 1, opt.samples, 100000, 4, TRUE, 0, TRUE};
    throughput(kind, &d, r);
}

void wl_tp_8streams_lazy(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 8, opt.samples / 8, 100000, 4, TRUE, 0, TRUE};
    throughput(kind, &d, r);
}

void wl_tp_tee_lazy(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_TEE, 1, opt.samples, 100000, 4, TRUE, 4, TRUE};
    throughput(kind, &d, r);
}

void wl_tp_plain(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, opt.samples, 100000, 4, TRUE, 0};
    throughput(kind, &d, r);
}

void wl_tp_mft(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_MFT, 1, opt.samples, 100000, 4, TRUE, 0};
    throughput(kind, &d, r);
}

void wl_tp_8streams(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 8, opt.samples / 8, 100000, 4, TRUE, 0};
    throughput(kind, &d, r);
}

void wl_tp_tee(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_TEE, 1, opt.samples, 100000, 4, TRUE, 4};
    throughput(kind, &d, r);
}

/* ---- scale: many sessions at once ---- */

void wl_scale(enum bench_kind kind, struct bench_run *r)
{
    struct rig_desc d = {SHAPE_PLAIN, 1, opt.scale_samples, 100000, 4, TRUE, 0, TRUE};
    unsigned i, n = opt.scale_sessions, created = 0;
    struct rig *rigs = calloc(n, sizeof(*rigs));
    struct consumer_event ev;
    LONGLONG t0, last = 0;
    HRESULT hr;

    for (created = 0; created < n; ++created)
        if (!rig_create(&rigs[created], kind, &d, r))
        {
            ++created;
            break;
        }
    if (r->status == BENCH_OK)
    {
        t0 = qpc_now();
        for (i = 0; i < n; ++i)
            if (FAILED(hr = rig_start(&rigs[i], -1)))
            {
                run_fail(r, hr, "Start of session %u", i);
                break;
            }
        for (i = 0; i < n && r->status == BENCH_OK; ++i)
        {
            if (FAILED(hr = consumer_wait(rigs[i].consumer, MESessionEnded, 0, opt.play_timeout_ms, &ev)))
                run_fail(r, hr, "session %u: Start -> MESessionEnded", i);
            else if (ev.qpc > last)
                last = ev.qpc;
        }
        if (r->status == BENCH_OK)
        {
            r->values[0] = (double)n * d.samples / (qpc_us(last - t0) / 1e6);
            for (i = 0; i < n; ++i)
                if (dsink_received(rigs[i].sink, 0) != d.samples)
                    run_fail(r, E_FAIL, "session %u: %u of %u samples", i, dsink_received(rigs[i].sink, 0), d.samples);
        }
    }
    for (i = 0; i < created; ++i) rig_destroy(&rigs[i], r);
    free(rigs);
}

/* ---- CPU per second of media on a clocked sink ---- */

static double cpu_ms(void)
{
    FILETIME creation, exit_time, kernel, user;
    ULARGE_INTEGER k, u;
    if (!GetProcessTimes(GetCurrentProcess(), &creation, &exit_time, &kernel, &user)) return 0;
    k.LowPart = kernel.dwLowDateTime;
    k.HighPart = kernel.dwHighDateTime;
    u.LowPart = user.dwLowDateTime;
    u.HighPart = user.dwHighDateTime;
    return (double)(k.QuadPart + u.QuadPart) / 10000.0;
}

void wl_cpu(enum bench_kind kind, struct bench_run *r)
{
    /* 48 kHz mono 16-bit: 10 ms = 960 bytes. */
    struct rig_desc d = {SHAPE_PLAIN, 1, opt.cpu_media_seconds * 100, 100000, 960, FALSE, 0, TRUE};
    struct consumer_event ev;
    struct rig rig;
    double cpu0;
    LONGLONG t0;
    HRESULT hr;

    if (rig_create(&rig, kind, &d, r))
    {
        cpu0 = cpu_ms();
        t0 = qpc_now();
        hr = rig_start(&rig, -1);
        if (SUCCEEDED(hr)) hr = consumer_wait(rig.consumer, MESessionEnded, 0, opt.play_timeout_ms, &ev);
        if (FAILED(hr)) run_fail(r, hr, "Start -> MESessionEnded (clocked sink)");
        else if (dsink_received(rig.sink, 0) != d.samples)
            run_fail(r, E_FAIL, "%u of %u samples", dsink_received(rig.sink, 0), d.samples);
        else
        {
            r->values[0] = (cpu_ms() - cpu0) / opt.cpu_media_seconds;
            r->values[1] = qpc_us(ev.qpc - t0) / 1000.0 / opt.cpu_media_seconds;
        }
    }
    rig_destroy(&rig, r);
}
