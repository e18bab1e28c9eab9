/*
 * Tracing (docs/TRACING.md):
 *  - a traced playback writes a Chrome Trace Event file, valid JSON, with the
 *    command spans, API calls, event markers, state changes, component calls
 *    and per-stream sample markers on named tracks;
 *  - with tracing off nothing is written (a child process of this test, run
 *    without MFSESSION_TRACE, in an empty directory);
 *  - the writer itself, built into this test with small limits
 *    (test_trace_writer.c includes src/trace.c): escaping, args checking,
 *    sessions and tracks, the bounded buffer and its dropped count, the
 *    background flush, and an I/O error turning tracing off.
 *
 * The trace files are read and queried by test_trace_json.c.
 *
 * MFSESSION_TEST_KEEP_TRACE=1 keeps the trace files and prints their paths
 * (e.g. for tools/trace-summary.py).
 */
#include "test_trace.h"
#include "doubles.h"

#define SAMPLE_DURATION 100000
#define SAMPLES 10
#define CHILD_TIMEOUT 60000

/* ---- playing with the doubles -------------------------------------------- */

struct play
{
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
};

static BOOL play_to_end(struct play *p, unsigned streams, unsigned samples, const char *label)
{
    struct dsource_desc sdesc = {0};
    struct dsink_desc kdesc = {0};
    PROPVARIANT position;
    HRESULT status = E_FAIL;

    memset(p, 0, sizeof(*p));
    sdesc.stream_count = streams;
    sdesc.samples_per_stream = samples;
    sdesc.sample_duration = SAMPLE_DURATION;
    sdesc.sample_bytes = 4;
    sdesc.seekable = TRUE;
    sdesc.can_pause = TRUE;
    kdesc.stream_count = streams;
    kdesc.rateless = TRUE;
    kdesc.request_depth = 2;
    if (!(p->session = create_session())) return FALSE;
    p->w = event_waiter_create((IMFMediaEventGenerator *)p->session);
    if (!ok_hr(S_OK, dsource_create(&sdesc, &p->src)) || !ok_hr(S_OK, dsink_create(&kdesc, &p->sink))
            || !ok_hr(S_OK, dtopology_build(p->src, p->sink, NULL, NULL, &p->topology)))
        return FALSE;
    ok_hr(S_OK, IMFMediaSession_SetTopology(p->session, 0, p->topology));
    PropVariantInit(&position);
    ok_hr(S_OK, IMFMediaSession_Start(p->session, &GUID_NULL, &position));
    if (!event_waiter_wait_for(p->w, MESessionStarted, TEST_TIMEOUT, &status, NULL)) status = E_FAIL;
    ok(status == S_OK, "[%s] MESessionStarted, status %#lx", label, status);
    if (!event_waiter_wait_for(p->w, MESessionEnded, TEST_TIMEOUT, &status, NULL)) status = E_FAIL;
    ok(status == S_OK, "[%s] MESessionEnded, status %#lx", label, status);
    ok(dsink_received(p->sink, 0) == samples, "[%s] stream 0: %u samples played, got %u", label, samples,
            dsink_received(p->sink, 0));
    return TRUE;
}

static void play_close(struct play *p, const char *label)
{
    HRESULT status = E_FAIL;
    ok_hr(S_OK, IMFMediaSession_Close(p->session));
    if (!event_waiter_wait_for(p->w, MESessionClosed, TEST_TIMEOUT, &status, NULL)) status = E_FAIL;
    ok(status == S_OK, "[%s] MESessionClosed, status %#lx", label, status);
    ok_hr(S_OK, IMFMediaSession_Shutdown(p->session));
}

static void play_release(struct play *p)
{
    DWORD start = GetTickCount();

    if (p->w) event_waiter_destroy(p->w);
    if (p->session) IMFMediaSession_Release(p->session);
    if (p->topology) IMFTopology_Release(p->topology);
    while (p->src && p->sink && (dsource_refcount(p->src) != 1 || dsink_refcount(p->sink) != 1)
            && GetTickCount() - start < 2000)
        Sleep(10);
    if (p->src)
    {
        IMFMediaSource_Shutdown(dsource_iface(p->src));
        dsource_release(p->src);
    }
    if (p->sink) dsink_release(p->sink);
    memset(p, 0, sizeof(*p));
}

/* ---- the traced playback ---------------------------------------------------- */

static void check_stream_samples(const struct trace *t, const char *track, const char *label)
{
    double tid = track_by_name(t, track);
    unsigned i, requested = 0, delivered = 0;
    BOOL in_order = TRUE, have_time = TRUE, on_track = TRUE;
    LONGLONG last = -1;

    ok(tid >= 0, "[%s] a track named \"%s\" (thread_name metadata)", label, track);
    for (i = 0; i < t->count; ++i)
    {
        const struct tev *e = &t->ev[i];
        const char *time;
        if (!is(e, "sample", "i", NULL) || !arg(e, "track") || strcmp(arg(e, "track"), track)) continue;
        if (e->tid != tid) on_track = FALSE;
        if (!strcmp(e->name, "requested")) ++requested;
        if (strcmp(e->name, "delivered")) continue;
        ++delivered;
        if (!(time = arg(e, "time"))) { have_time = FALSE; continue; }
        if (_atoi64(time) <= last) in_order = FALSE;
        last = _atoi64(time);
    }
    ok(delivered == SAMPLES, "[%s] %s: a \"delivered\" sample marker per sample: %u of %u", label, track,
            delivered, SAMPLES);
    ok(have_time && in_order, "[%s] %s: each \"delivered\" marker has the sample's time, in order", label, track);
    ok(last == (LONGLONG)(SAMPLES - 1) * SAMPLE_DURATION, "[%s] %s: the last delivered time is %d, got %lld",
            label, track, (SAMPLES - 1) * SAMPLE_DURATION, (long long)last);
    ok(requested >= delivered, "[%s] %s: \"requested\" markers (%u) for the samples delivered (%u)", label, track,
            requested, delivered);
    ok(on_track, "[%s] %s: the sample markers are on the stream's track", label, track);
}

static void check_playback_trace(const struct trace *t, const char *label)
{
    static const char *commands[] = {"SetTopology", "Start", "Close"};
    static const char *apis[] = {"SetTopology", "Start", "Close", "Shutdown"};
    static const char *calls[] = {"source.Start", "stream.RequestSample", "sink.ProcessSample", "clock.Start"};
    static const char *markers[] = {"MESessionTopologySet", "MESessionStarted", "MESessionEnded", "MESessionClosed"};
    const struct tev *e, *meta, *last_event = NULL;
    BOOL fields = TRUE, state_args = TRUE, started = FALSE;
    char why[160] = "";
    const char *value;
    unsigned i;

    for (i = 0; i < t->count; ++i)
    {
        e = &t->ev[i];
        if (!e->ph[0] || !e->has_pid || !e->has_tid || (e->ph[0] != 'M' && (!e->has_ts || e->ts < 0))
                || (e->ph[0] == 'X' && (!e->has_dur || e->dur < 0)))
        {
            if (fields) diag("event %u (%s) lacks ph, pid, tid, ts or dur", i, e->name);
            fields = FALSE;
        }
    }
    ok(fields, "[%s] every event has ph, pid, tid, and a ts (and 'X' a dur) >= 0", label);
    ok(find_metadata(t, "process_name", -1) != NULL, "[%s] process_name metadata", label);

    for (i = 0; i < ARRAYSIZE(commands); ++i)
    {
        ok(count(t, "command", "b", commands[i]) >= 1 && count(t, "command", "e", commands[i]) >= 1,
                "[%s] the %s command is a span ('b' and 'e', category \"command\")", label, commands[i]);
        e = find(t, "command", "e", commands[i]);
        value = e ? arg(e, "status") : NULL;
        ok(value && !strcmp(value, "0x00000000"), "[%s] the %s span ends with its status 0x00000000, got %s",
                label, commands[i], value ? value : "none");
    }
    ok(check_async_pairs(t, "command", why, sizeof(why)), "[%s] every command span that began ended: %s", label, why);
    ok(count(t, "command", "i", "queued") >= ARRAYSIZE(commands), "[%s] a \"queued\" marker per command, got %u",
            label, count(t, "command", "i", "queued"));

    for (i = 0; i < ARRAYSIZE(apis); ++i)
    {
        value = call_result(t, "api", apis[i], "hr");
        ok(value && !strcmp(value, "0x00000000"), "[%s] the public call %s is recorded with its result 0x00000000, got %s",
                label, apis[i], value ? value : "nothing");
    }
    for (i = 0; i < ARRAYSIZE(calls); ++i)
    {
        value = call_result(t, "call", calls[i], "hr");
        ok(value && !strcmp(value, "0x00000000"), "[%s] the call %s is recorded with its result 0x00000000, got %s",
                label, calls[i], value ? value : "nothing");
    }
    why[0] = 0;
    ok(check_nesting(t, why, sizeof(why)), "[%s] 'B'/'E' spans nest on every track: %s", label, why);

    for (i = 0; i < ARRAYSIZE(markers); ++i)
    {
        e = find(t, "event", "i", markers[i]);
        value = e ? arg(e, "status") : NULL;
        ok(value && !strcmp(value, "0x00000000"), "[%s] the event %s sent to the client is a marker with status 0x00000000, got %s",
                label, markers[i], value ? value : "nothing");
    }
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], "event", "i", NULL) && (!last_event || t->ev[i].ts >= last_event->ts)) last_event = &t->ev[i];
    ok(last_event && !strcmp(last_event->name, "MESessionClosed"), "[%s] MESessionClosed is the last event marker, got %s",
            label, last_event ? last_event->name : "none");

    for (i = 0; i < t->count; ++i)
    {
        if (!is(&t->ev[i], "state", "i", "state")) continue;
        if (!arg(&t->ev[i], "from") || !arg(&t->ev[i], "to") || !strcmp(arg(&t->ev[i], "from"), arg(&t->ev[i], "to")))
            state_args = FALSE;
        else if (!strcmp(arg(&t->ev[i], "to"), "started"))
            started = TRUE;
    }
    ok(count(t, "state", "i", "state") >= 2 && state_args, "[%s] state changes are markers with from and to, got %u",
            label, count(t, "state", "i", "state"));
    ok(started, "[%s] a state change to \"started\"", label);

    check_stream_samples(t, "stream 0", label);
    check_stream_samples(t, "stream 1", label);

    meta = find_metadata(t, "mfsession_trace", -1);
    ok(meta && arg(meta, "dropped_events") && !strcmp(arg(meta, "dropped_events"), "0"),
            "[%s] the final metadata event reports 0 dropped events, got %s", label,
            meta && arg(meta, "dropped_events") ? arg(meta, "dropped_events") : "none");
    ok(meta == &t->ev[t->count - 1], "[%s] the metadata event is the last event", label);
    ok(meta && arg(meta, "events") && (unsigned)atoi(arg(meta, "events")) == t->count - 2,
            "[%s] the metadata counts the events written: %s of %u", label,
            meta && arg(meta, "events") ? arg(meta, "events") : "none", t->count - 2);
}

static void test_traced_playback(const WCHAR *path)
{
    struct play p, q;
    struct trace t;
    unsigned i;
    BOOL second = FALSE;

    if (!play_to_end(&p, 2, SAMPLES, "traced"))
    {
        play_release(&p);
        return;
    }
    play_close(&p, "traced");
    /* Close and Shutdown flush: everything is in the file now. */
    if (load_trace(path, &t, "traced"))
        check_playback_trace(&t, "traced");
    trace_free(&t);

    /* A second session (the first is still alive, so at another address):
     * the file grows, stays valid, and the new session has its own tracks. */
    if (play_to_end(&q, 1, SAMPLES, "traced, second session"))
    {
        play_close(&q, "traced, second session");
        if (load_trace(path, &t, "traced, second session"))
        {
            ok(count(&t, "event", "i", "MESessionClosed") == 2, "[second session] both sessions' MESessionClosed, got %u",
                    count(&t, "event", "i", "MESessionClosed"));
            for (i = 0; i < t.count && !second; ++i)
                second = is(&t.ev[i], "event", "i", "MESessionClosed") && arg(&t.ev[i], "session")
                        && !strcmp(arg(&t.ev[i], "session"), "2");
            ok(second, "[second session] its events carry \"session\":2");
            ok(track_by_name(&t, "stream 0 (session 2)") >= 0, "[second session] its stream track is \"stream 0 (session 2)\"");
        }
        trace_free(&t);
    }
    play_release(&q);
    play_release(&p);
}

/* ---- tracing off: a child process ------------------------------------------ */

static BOOL directory_empty(const WCHAR *dir)
{
    WIN32_FIND_DATAW data;
    WCHAR pattern[MAX_PATH];
    HANDLE find;
    BOOL empty = TRUE;

    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", dir);
    if ((find = FindFirstFileW(pattern, &data)) == INVALID_HANDLE_VALUE) return TRUE;
    do
        if (wcscmp(data.cFileName, L".") && wcscmp(data.cFileName, L".."))
        {
            diag("found %ls", data.cFileName);
            empty = FALSE;
        }
    while (FindNextFileW(find, &data));
    FindClose(find);
    return empty;
}

/* Child: plays with MFSESSION_TRACE unset, in the empty directory `dir`. */
static void child_off(const WCHAR *dir)
{
    static const WCHAR key[] = L"Software\\Classes\\CLSID\\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}";
    WCHAR value[MAX_PATH];
    DWORD size = sizeof(value);
    struct play p;

    SetLastError(0);
    ok(!GetEnvironmentVariableW(L"MFSESSION_TRACE", value, ARRAYSIZE(value))
            && GetLastError() == ERROR_ENVVAR_NOT_FOUND, "[off] MFSESSION_TRACE is not set");
    if (!RegGetValueW(HKEY_CURRENT_USER, key, L"Trace", RRF_RT_ANY, NULL, value, &size)
            || (size = sizeof(value), !RegGetValueW(HKEY_LOCAL_MACHINE, key, L"Trace", RRF_RT_ANY, NULL, value, &size)))
    {
        skip("[off] the registry value Trace is set in this prefix: tracing is on");
        return;
    }
    if (play_to_end(&p, 2, SAMPLES, "off")) play_close(&p, "off");
    play_release(&p);
    ok(directory_empty(dir), "[off] nothing written in the current directory");
}

static WCHAR *environment_without(const WCHAR *name)
{
    WCHAR *all = GetEnvironmentStringsW(), *p, *out, *q;
    size_t total = 2, n = wcslen(name);

    for (p = all; *p; p += wcslen(p) + 1) total += wcslen(p) + 1;
    if ((q = out = malloc(total * sizeof(WCHAR))))
    {
        for (p = all; *p; p += wcslen(p) + 1)
            if (_wcsnicmp(p, name, n) || p[n] != '=')
            {
                wcscpy(q, p);
                q += wcslen(p) + 1;
            }
        q[0] = q[1] = 0;
    }
    FreeEnvironmentStringsW(all);
    return out;
}

static void test_off(const WCHAR *temp)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    WCHAR exe[MAX_PATH], dir[MAX_PATH], log[MAX_PATH], cmd[3 * MAX_PATH], *env;
    PROCESS_INFORMATION pi;
    STARTUPINFOW si = {0};
    DWORD code = 1;
    HANDLE out;
    char *text, *line, *next;
    BOOL ran = FALSE;

    GetModuleFileNameW(NULL, exe, ARRAYSIZE(exe));
    swprintf(dir, ARRAYSIZE(dir), L"%lsmfsession-trace-off-%lu", temp, GetCurrentProcessId());
    swprintf(log, ARRAYSIZE(log), L"%lsmfsession-trace-off-%lu.log", temp, GetCurrentProcessId());
    swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" off \"%ls\"", exe, dir);
    CreateDirectoryW(dir, NULL);
    out = CreateFileW(log, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    env = environment_without(L"MFSESSION_TRACE");
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = out;
    if (!ok(out != INVALID_HANDLE_VALUE && env && CreateProcessW(exe, cmd, NULL, NULL, TRUE,
            CREATE_UNICODE_ENVIRONMENT, env, dir, &si, &pi), "[off] the child starts, error %lu", GetLastError()))
        goto done;
    CloseHandle(out);
    out = INVALID_HANDLE_VALUE;
    if (!wait_handle(pi.hProcess, CHILD_TIMEOUT, "the child"))
        TerminateProcess(pi.hProcess, 1);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);

    if ((text = read_file_text(log)))
    {
        for (line = text; *line; line = next)
        {
            if ((next = strchr(line, '\n'))) *next++ = 0;
            else next = line + strlen(line);
            if (!strncmp(line, "1..", 3) && atoi(line + 3) > 0) ran = TRUE;
            if (strncmp(line, "ok ", 3)) diag("child: %s", line);
        }
        free(text);
    }
    ok(code == 0 && ran, "[off] the child played a session without tracing and passed its checks, exit code %lu", code);
    ok(directory_empty(dir), "[off] a session with tracing off writes nothing");
done:
    if (out != INVALID_HANDLE_VALUE) CloseHandle(out);
    free(env);
    DeleteFileW(log);
    RemoveDirectoryW(dir);
}
/* ---- main ----------------------------------------------------------------------- */

START_TEST(trace)
{
    WCHAR temp[MAX_PATH], dll_path[MAX_PATH], unit_path[MAX_PATH], arg[MAX_PATH];
    BOOL keep = GetEnvironmentVariableA("MFSESSION_TEST_KEEP_TRACE", NULL, 0) > 0;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    if (__argc >= 3 && !strcmp(__argv[1], "off"))
    {
        MultiByteToWideChar(CP_ACP, 0, __argv[2], -1, arg, ARRAYSIZE(arg));
        child_off(arg);
        MFShutdown();
        return;
    }

    GetTempPathW(ARRAYSIZE(temp), temp);
    swprintf(dll_path, ARRAYSIZE(dll_path), L"%lsmfsession-trace-%lu.json", temp, GetCurrentProcessId());
    swprintf(unit_path, ARRAYSIZE(unit_path), L"%lsmfsession-trace-unit-%lu.json", temp, GetCurrentProcessId());

    /* Tracing is process-wide and read once, when the first session is created. */
    SetEnvironmentVariableW(L"MFSESSION_TRACE", unit_path);
    test_writer(unit_path);
    SetEnvironmentVariableW(L"MFSESSION_TRACE", dll_path);
    test_traced_playback(dll_path);
    test_off(temp);

    if (keep)
        diag("trace files kept: %ls %ls", dll_path, unit_path);
    else
    {
        DeleteFileW(unit_path);
        DeleteFileW(dll_path);
    }
    MFShutdown();
}
