/*
 * Leaks and lifetime.
 *
 *  - create / play / close / shutdown / release cycles (200 in CI, 2000
 *    with MFSESSION_LONG=1), in several variants (transforms, activate with
 *    a finalizable sink, close mid-play, release without Shutdown, a source
 *    the client never shuts down); after each cycle every double is back to
 *    the test's own reference.  Working set, private bytes and handle count
 *    are printed (diag) before and after, not asserted (docs/RELIABILITY.md);
 *  - DllCanUnloadNow: S_FALSE while a session lives, S_OK (polled up to 2 s)
 *    once every object is gone, including after a Shutdown with a Close
 *    grace timer still armed;
 *  - FreeLibrary: the DLL really unloads, and the process keeps doing Media
 *    Foundation work for 500 ms afterwards: a late callback into the
 *    unloaded DLL would crash the test.  Thread counts are printed.
 */
#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <psapi.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_DURATION 100000

static HRESULT (WINAPI *can_unload)(void);

static unsigned thread_count(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    DWORD pid = GetCurrentProcessId();
    unsigned count = 0;

    if (snap == INVALID_HANDLE_VALUE) return 0;
    te.dwSize = sizeof(te);
    if (Thread32First(snap, &te))
        do if (te.th32OwnerProcessID == pid) ++count; while (Thread32Next(snap, &te));
    CloseHandle(snap);
    return count;
}

static void memory_figures(const char *when)
{
    PROCESS_MEMORY_COUNTERS_EX pmc = {0};
    DWORD handles = 0;

    pmc.cb = sizeof(pmc);
    GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc));
    GetProcessHandleCount(GetCurrentProcess(), &handles);
    diag("figures %s: working set %lu KiB, private %lu KiB, handles %lu, threads %u", when,
            (unsigned long)(pmc.WorkingSetSize / 1024), (unsigned long)(pmc.PrivateUsage / 1024),
            (unsigned long)handles, thread_count());
}

static HRESULT poll_can_unload(DWORD timeout)
{
    DWORD start = GetTickCount();
    HRESULT hr;
    while ((hr = can_unload()) != S_OK && GetTickCount() - start < timeout) Sleep(10);
    return hr;
}

enum variant { V_PLAIN, V_TRANSFORM_ACTIVATE, V_CLOSE_MID_PLAY, V_RELEASE_NO_SHUTDOWN, V_SOURCE_FIRST,
        V_COUNT };
static const char *variant_names[V_COUNT] = {"plain", "transform + activate + finalizable sink", "close mid-play",
        "release without Shutdown", "source shut down before the session's Shutdown"};

/* One cycle; FALSE on any failure (reported once by the caller). */
static BOOL cycle(enum variant v, unsigned n, char *why, size_t why_size)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dsource *src = NULL;
    struct dsink *sink = NULL;
    IMFActivate *act = NULL;
    IMFTransform *mfts[1] = {NULL};
    IMFTopology *topology = NULL;
    IMFMediaSession *session;
    struct event_waiter *w;
    PROPVARIANT pos;
    BOOL good = TRUE;
    DWORD start;

    why[0] = 0;
    sd.stream_count = 1;
    sd.samples_per_stream = v == V_CLOSE_MID_PLAY ? 100000 : 8;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.seekable = sd.can_pause = TRUE;
    sd.eager_end_of_stream = n & 1;
    kd.stream_count = v == V_TRANSFORM_ACTIVATE ? 0 : 1;
    kd.rateless = TRUE;
    kd.finalizable = v == V_TRANSFORM_ACTIVATE;
    kd.prerollable = v == V_TRANSFORM_ACTIVATE;
    if (FAILED(dsource_create(&sd, &src)) || FAILED(dsink_create(&kd, &sink))) return FALSE;
    if (v == V_TRANSFORM_ACTIVATE)
    {
        dactivate_create(sink, &act);
        dmft_create(DMFT_PASSTHROUGH, &mfts[0]);
    }
    dtopology_build(src, act ? NULL : sink, mfts[0] ? mfts : NULL, act, &topology);
    if (!(session = create_session())) return FALSE;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    IMFMediaSession_SetTopology(session, n & 2 ? MFSESSION_SETTOPOLOGY_NORESOLUTION : 0, topology);
    PropVariantInit(&pos);
    IMFMediaSession_Start(session, &GUID_NULL, &pos);
    if (v == V_CLOSE_MID_PLAY)
    {
        if (!event_waiter_wait_for(w, MESessionStarted, TEST_TIMEOUT, NULL, NULL))
            good = FALSE, snprintf(why, why_size, "no MESessionStarted");
    }
    else if (!event_waiter_wait_for(w, MESessionEnded, TEST_TIMEOUT, NULL, NULL))
        good = FALSE, snprintf(why, why_size, "no MESessionEnded");
    if (v != V_RELEASE_NO_SHUTDOWN)
    {
        IMFMediaSession_Close(session);
        if (!event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, NULL, NULL))
            good = FALSE, snprintf(why, why_size, "no MESessionClosed");
        if (v == V_SOURCE_FIRST) IMFMediaSource_Shutdown(dsource_iface(src));
        IMFMediaSession_Shutdown(session);
    }
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
    start = GetTickCount();
    while (get_refcount(topology) != 1 && GetTickCount() - start < 2000) Sleep(2);
    if (get_refcount(topology) != 1)
        good = FALSE, snprintf(why, why_size, "topology has %lu references", get_refcount(topology));
    IMFTopology_Release(topology);
    while ((dsource_refcount(src) != 1 || (mfts[0] && dmft_refcount(mfts[0]) != 1)
            || (act && dactivate_refcount(act) != 1)) && GetTickCount() - start < 2000)
        Sleep(2);
    if (dsource_refcount(src) != 1)
        good = FALSE, snprintf(why, why_size, "source has %ld references", dsource_refcount(src));
    if (mfts[0] && dmft_refcount(mfts[0]) != 1)
        good = FALSE, snprintf(why, why_size, "transform has %ld references", dmft_refcount(mfts[0]));
    if (act && dactivate_refcount(act) != 1)
        good = FALSE, snprintf(why, why_size, "activate has %ld references", dactivate_refcount(act));
    if (act) IMFActivate_Release(act);
    if (dsink_refcount(sink) != 1)
        good = FALSE, snprintf(why, why_size, "sink has %ld references", dsink_refcount(sink));
    if (!dsink_is_shut_down(sink))
        good = FALSE, snprintf(why, why_size, "sink not shut down");
    IMFMediaSource_Shutdown(dsource_iface(src));
    if (dsource_stream_refcount(src, 0) != 1)
        good = FALSE, snprintf(why, why_size, "source stream has %ld references", dsource_stream_refcount(src, 0));
    if (mfts[0]) IMFTransform_Release(mfts[0]);
    dsource_release(src);
    dsink_release(sink);
    return good;
}

static SIZE_T working_set(void)
{
    PROCESS_MEMORY_COUNTERS pmc = {0};
    pmc.cb = sizeof(pmc);
    GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc));
    return pmc.WorkingSetSize;
}

/* Working-set growth per cycle of: a bare session, the doubles alone
 * (ddrive_play, no session), a full session cycle.  Figures only. */
static void memory_growth(unsigned count)
{
    char why[128];
    SIZE_T before;
    unsigned i;

    before = working_set();
    for (i = 0; i < count; ++i)
    {
        IMFMediaSession *session = create_session();
        IMFMediaSession_Shutdown(session);
        IMFMediaSession_Release(session);
    }
    diag("figures: bare session create/Shutdown/Release: %+ld bytes of working set per cycle over %u",
            (long)((SSIZE_T)(working_set() - before) / (SSIZE_T)count), count);

    before = working_set();
    for (i = 0; i < count; ++i)
    {
        struct dsource_desc sd = {0};
        struct dsink_desc kd = {0};
        struct dsource *src;
        struct dsink *sink;
        sd.stream_count = 1;
        sd.samples_per_stream = 8;
        sd.sample_duration = SAMPLE_DURATION;
        sd.sample_bytes = 4;
        sd.eager_end_of_stream = TRUE;
        kd.stream_count = 1;
        kd.rateless = TRUE;
        dsource_create(&sd, &src);
        dsink_create(&kd, &sink);
        ddrive_play(src, sink, NULL, TEST_TIMEOUT, why, sizeof(why));
        dsource_release(src);
        dsink_release(sink);
    }
    diag("figures: the doubles alone (ddrive_play, no session): %+ld bytes per cycle over %u",
            (long)((SSIZE_T)(working_set() - before) / (SSIZE_T)count), count);

    before = working_set();
    for (i = 0; i < count; ++i) cycle(V_PLAIN, i, why, sizeof(why));
    diag("figures: full session cycle (play 8 samples, Close, Shutdown): %+ld bytes per cycle over %u",
            (long)((SSIZE_T)(working_set() - before) / (SSIZE_T)count), count);
}

static void test_cycles(unsigned count)
{
    unsigned i, failures[V_COUNT] = {0}, runs[V_COUNT] = {0}, v;
    char why[128], first[V_COUNT][128];
    DWORD start = GetTickCount();

    memory_figures("before the cycles");
    for (i = 0; i < count; ++i)
    {
        v = i % V_COUNT;
        ++runs[v];
        if (!cycle(v, i, why, sizeof(why)) && !failures[v]++)
            snprintf(first[v], sizeof(first[v]), "cycle %u: %s", i, why);
        if (i == count / 10) memory_figures("after 10% of the cycles");
    }
    memory_figures("after the cycles");
    for (v = 0; v < V_COUNT; ++v)
        ok(!failures[v], "[cycles: %s] %u cycles, every double back to 1 after each: %u failed%s%s", variant_names[v],
                runs[v], failures[v], failures[v] ? ", first " : "", failures[v] ? first[v] : "");
    diag("%u cycles in %lu ms", count, (unsigned long)(GetTickCount() - start));
}

/* Shutdown right after Close while a Close grace timer is armed (a source
 * that never answers Start): the module must still unload once it fires. */
static void test_shutdown_with_timer_armed(void)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    IMFMediaSession *session;
    PROPVARIANT pos;
    HRESULT hr;

    sd.stream_count = 1;
    sd.samples_per_stream = 10;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.never_answer_start = TRUE;
    kd.stream_count = 1;
    dsource_create(&sd, &src);
    dsink_create(&kd, &sink);
    dtopology_build(src, sink, NULL, NULL, &topology);
    session = create_session();
    IMFMediaSession_SetTopology(session, 0, topology);
    PropVariantInit(&pos);
    IMFMediaSession_Start(session, &GUID_NULL, &pos);
    Sleep(50);
    IMFMediaSession_Close(session);
    Sleep(20);
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
    IMFTopology_Release(topology);
    ok(dsource_refcount(src) == 1 && dsink_refcount(sink) == 1, "[timer armed at Shutdown] doubles released: %ld %ld",
            dsource_refcount(src), dsink_refcount(sink));
    /* The client shuts its source down: the session's pending subscription on it goes too. */
    IMFMediaSource_Shutdown(dsource_iface(src));
    hr = poll_can_unload(3000);
    ok(hr == S_OK, "[timer armed at Shutdown] DllCanUnloadNow S_OK within 3 s (the 1.5 s grace included), got %#lx",
            (unsigned long)hr);
    dsource_release(src);
    dsink_release(sink);
}

/* The module lock while a subscription is still pending on a source the
 * client has not shut down yet (docs/DECISIONS.md "Weak links"). */
static void test_can_unload_with_pending_subscription(void)
{
    struct dsource_desc sd = {0};
    struct dsink_desc kd = {0};
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
    IMFMediaSession *session;
    struct event_waiter *w;
    PROPVARIANT pos;
    HRESULT hr;

    sd.stream_count = 1;
    sd.samples_per_stream = 5;
    sd.sample_duration = SAMPLE_DURATION;
    sd.sample_bytes = 4;
    sd.eager_end_of_stream = TRUE;
    kd.stream_count = 1;
    kd.rateless = TRUE;
    dsource_create(&sd, &src);
    dsink_create(&kd, &sink);
    dtopology_build(src, sink, NULL, NULL, &topology);
    session = create_session();
    ok_hr(S_FALSE, can_unload());
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    IMFMediaSession_SetTopology(session, 0, topology);
    PropVariantInit(&pos);
    IMFMediaSession_Start(session, &GUID_NULL, &pos);
    ok(event_waiter_wait_for(w, MESessionEnded, TEST_TIMEOUT, NULL, NULL), "[unload] played to the end");
    IMFMediaSession_Close(session);
    ok(event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, NULL, NULL), "[unload] closed");
    IMFMediaSession_Shutdown(session);
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
    IMFTopology_Release(topology);
    hr = poll_can_unload(500);
    diag("DllCanUnloadNow with the source not yet shut down: %#lx", (unsigned long)hr);
    IMFMediaSource_Shutdown(dsource_iface(src));
    hr = poll_can_unload(2000);
    ok(hr == S_OK, "[unload] DllCanUnloadNow S_OK within 2 s once every object is gone, got %#lx", (unsigned long)hr);
    dsource_release(src);
    dsink_release(sink);
}

/* Keeps Media Foundation busy with our own work items. */
static volatile LONG work_done;

static HRESULT WINAPI work_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI work_AddRef(IMFAsyncCallback *iface) { return 2; }
static ULONG WINAPI work_Release(IMFAsyncCallback *iface) { return 1; }
static HRESULT WINAPI work_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue) { return E_NOTIMPL; }
static HRESULT WINAPI work_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    InterlockedIncrement(&work_done);
    return S_OK;
}
static const IMFAsyncCallbackVtbl work_vtbl = {work_QueryInterface, work_AddRef, work_Release, work_GetParameters,
        work_Invoke};
static IMFAsyncCallback work_callback = {&work_vtbl};

static void test_free_library(unsigned threads_before)
{
    HMODULE module = load_mfsession();
    DWORD start;
    LONG queued = 0;
    BOOL freed;

    ok(can_unload() == S_OK, "[FreeLibrary] nothing alive before unloading");
    freed = FreeLibrary(module);
    ok(freed, "[FreeLibrary] returns TRUE");
    ok(GetModuleHandleW(L"mfsession.dll") == NULL, "[FreeLibrary] the DLL is really unloaded (not pinned)");
    can_unload = NULL;
    /* 500 ms of our own Media Foundation work: a late callback into the
     * unloaded DLL (a timer, a work item, an event subscription) would crash. */
    start = GetTickCount();
    while (GetTickCount() - start < 500)
    {
        IMFMediaEventQueue *queue;
        if (SUCCEEDED(MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &work_callback, NULL))) ++queued;
        if (SUCCEEDED(MFCreateEventQueue(&queue)))
        {
            IMFMediaEventQueue_QueueEventParamVar(queue, MEUnknown, &GUID_NULL, S_OK, NULL);
            IMFMediaEventQueue_Shutdown(queue);
            IMFMediaEventQueue_Release(queue);
        }
        Sleep(5);
    }
    while (work_done < queued && GetTickCount() - start < 2000) Sleep(5);
    ok(work_done == queued, "[FreeLibrary] the process lives on: %ld of %ld work items ran after the unload",
            work_done, queued);
    Sleep(100);
    diag("threads: %u before loading mfsession.dll, %u after FreeLibrary + settle (Media Foundation's work-queue "
            "threads belong to mfplat)", threads_before, thread_count());
}

START_TEST(leaks)
{
    char env[16];
    BOOL long_mode = GetEnvironmentVariableA("MFSESSION_LONG", env, sizeof(env)) && env[0] != '0';
    unsigned threads_before;
    DWORD start = GetTickCount();

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    dlog_enable(FALSE);
    threads_before = thread_count();
    memory_figures("before loading mfsession.dll");
    can_unload = (void *)GetProcAddress(load_mfsession(), "DllCanUnloadNow");
    if (!ok(can_unload != NULL, "DllCanUnloadNow is exported")) return;
    ok_hr(S_OK, can_unload());

    test_cycles(long_mode ? 2000 : 200);
    memory_growth(long_mode ? 2000 : 300);
    test_can_unload_with_pending_subscription();
    test_shutdown_with_timer_armed();
    test_free_library(threads_before);
    memory_figures("at the end");
    diag("test_leaks took %lu ms", (unsigned long)(GetTickCount() - start));
    MFShutdown();
    CoUninitialize();
}
