/*
 * Differential: the same scripted scenarios against our session and the
 * platform's (MFCreateMediaSession), both playing a WAV file into a sample
 * grabber that follows the presentation clock.  Each scenario waits for every
 * command's completion event before the next step, so the event sequence is
 * deterministic.  The test prints both sequences and the contract's, fails
 * where ours differs from the contract, and only reports where the platform
 * does (docs/PLATFORM-DIFFERENCES.md records those).
 *
 * Every run (one scenario, one session) is a child process of this test, so
 * that a crash or a hang of the platform's session is reported, not fatal, and
 * a crash of ours is a failure that names its run.
 *
 * Compared: session events (type, status, and MF_EVENT_TOPOLOGY_STATUS).
 * Left out as noise, which the contract lets arrive at any point:
 * MEEndOfPresentation (a source event forwarded to the client, section 3),
 * MESessionCapabilitiesChanged and MESessionNotifyPresentationTime (section 4).
 */
#include "media.h"
#include <stdio.h>
#include <stdlib.h>

#define WAV_RATE        44100
#define WAV_CHANNELS    2
#define WAV_MS          500
#define STEP_TIMEOUT    3000                    /* a command to its completion event */
#define END_TIMEOUT     (WAV_MS + 3000)         /* Start to MESessionEnded */
#define SEEK_MS         (WAV_MS * 6 / 10)       /* where "seek while running" goes */
#define DRAIN_MS        200                     /* after MESessionClosed: nothing more may come */
#define MAX_EVENTS      64
#define CHILD_TIMEOUT   30000                   /* one run in a child process, start to exit */

/* A pseudo event in a recorded sequence: a transport call that failed, or a wait that timed out. */
#define CALL_FAILED     ((MediaEventType)0x7ffffff0)
#define WAIT_TIMED_OUT  ((MediaEventType)0x7ffffff1)

struct recorded
{
    MediaEventType type;
    HRESULT status;
    UINT32 topo_status;
};

struct sequence
{
    struct recorded events[MAX_EVENTS];
    unsigned int count;
    HRESULT setup;              /* S_OK, or why the run could not begin (opening the file, creating the session) */
    LONGLONG grabbed_bytes;
    LONGLONG bytes_after_mark;  /* reached the grabber after the script's mark (the seek) */
};


/* ---- recording and scripting ---- */

struct run
{
    IMFMediaSession *session;
    struct grabber *grabber;
    struct event_waiter *waiter;
    struct sequence *sequence;
    BOOL broken;        /* a wait timed out: the remaining steps are skipped, Close still runs */
    BOOL closed;
};

static void record(struct run *run, MediaEventType type, HRESULT status, UINT32 topo_status)
{
    struct sequence *s = run->sequence;
    if (s->count == MAX_EVENTS) return;
    s->events[s->count].type = type;
    s->events[s->count].status = status;
    s->events[s->count].topo_status = topo_status;
    s->count++;
}

/* Records events until one of the given type (and topology status, if not 0) arrives. */
static BOOL wait_for(struct run *run, MediaEventType type, UINT32 topo_status, DWORD timeout_ms)
{
    DWORD deadline = GetTickCount() + timeout_ms, now;
    IMFMediaEvent *event;
    MediaEventType t;
    HRESULT status;
    UINT32 topo;

    while (!run->broken)
    {
        now = GetTickCount();
        if ((LONG)(deadline - now) <= 0 || FAILED(event_waiter_next(run->waiter, deadline - now, &event)))
        {
            record(run, WAIT_TIMED_OUT, HRESULT_FROM_WIN32(WAIT_TIMEOUT), type);
            run->broken = TRUE;
            break;
        }
        t = MEUnknown;
        status = S_OK;
        topo = 0;
        IMFMediaEvent_GetType(event, &t);
        IMFMediaEvent_GetStatus(event, &status);
        IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &topo);
        IMFMediaEvent_Release(event);
        record(run, t, status, topo);
        if (t == MESessionClosed) run->closed = TRUE;
        if (t == type && (!topo_status || topo == topo_status)) return TRUE;
    }
    return FALSE;
}

/* One transport call and its completion event. */
static void step(struct run *run, HRESULT hr, MediaEventType completion)
{
    if (run->broken) return;
    if (FAILED(hr))
    {
        record(run, CALL_FAILED, hr, completion);
        return;
    }
    wait_for(run, completion, 0, STEP_TIMEOUT);
}

static void seek_to(struct run *run, LONGLONG position)
{
    step(run, start_at(run->session, position), MESessionStarted);
}

static void start(struct run *run) { seek_to(run, -1); }
static void pause(struct run *run) { step(run, IMFMediaSession_Pause(run->session), MESessionPaused); }
static void stop(struct run *run) { step(run, IMFMediaSession_Stop(run->session), MESessionStopped); }
static void wait_end(struct run *run) { if (!run->broken) wait_for(run, MESessionEnded, 0, END_TIMEOUT); }

/* ---- the scenarios ---- */

#define E(type) { type, S_OK, 0 }
#define TS(status) { MESessionTopologyStatus, S_OK, MF_TOPOSTATUS_##status }

/* Every scenario begins SetTopology -> MESessionTopologySet, READY (run_scenario
 * does that) and ends with Close -> MESessionClosed, the last event. */
static void script_play_to_end(struct run *run) { start(run); wait_end(run); }
static const struct recorded expect_play_to_end[] =
{
    E(MESessionTopologySet), TS(READY), TS(STARTED_SOURCE), E(MESessionStarted),
    TS(ENDED), E(MESessionEnded), E(MESessionClosed),
};

static void script_pause_resume(struct run *run)
{
    start(run);
    Sleep(150);
    pause(run);
    Sleep(100);
    start(run);
    wait_end(run);
}
/* STARTED_SOURCE once per topology (docs/DECISIONS.md), statuses in numeric order. */
static const struct recorded expect_pause_resume[] =
{
    E(MESessionTopologySet), TS(READY), TS(STARTED_SOURCE), E(MESessionStarted),
    E(MESessionPaused), E(MESessionStarted), TS(ENDED), E(MESessionEnded), E(MESessionClosed),
};

static void script_seek(struct run *run)
{
    start(run);
    Sleep(100);
    InterlockedExchange(&run->grabber->marked, 1);
    seek_to(run, (LONGLONG)SEEK_MS * 10000);
    wait_end(run);
}
static const struct recorded expect_seek[] =
{
    E(MESessionTopologySet), TS(READY), TS(STARTED_SOURCE), E(MESessionStarted),
    E(MESessionStarted), TS(ENDED), E(MESessionEnded), E(MESessionClosed),
};

static void script_stop_start(struct run *run)
{
    start(run);
    Sleep(100);
    stop(run);
    start(run);
    wait_end(run);
}
static const struct recorded expect_stop_start[] =
{
    E(MESessionTopologySet), TS(READY), TS(STARTED_SOURCE), E(MESessionStarted),
    E(MESessionStopped), E(MESessionStarted), TS(ENDED), E(MESessionEnded), E(MESessionClosed),
};

static void script_close_stopped(struct run *run) { }
static const struct recorded expect_close_stopped[] =
{
    E(MESessionTopologySet), TS(READY), E(MESessionClosed),
};

static void script_close_started(struct run *run) { start(run); Sleep(100); }
static const struct recorded expect_close_started[] =
{
    E(MESessionTopologySet), TS(READY), TS(STARTED_SOURCE), E(MESessionStarted), E(MESessionClosed),
};

static void script_close_paused(struct run *run) { start(run); Sleep(100); pause(run); }
static const struct recorded expect_close_paused[] =
{
    E(MESessionTopologySet), TS(READY), TS(STARTED_SOURCE), E(MESessionStarted), E(MESessionPaused),
    E(MESessionClosed),
};

struct scenario
{
    const char *name;
    void (*script)(struct run *run);
    const struct recorded *expected;
    unsigned int expected_count;
    BOOL plays_everything;      /* every byte of the file must reach the grabber */
    BOOL seeks;                 /* everything from SEEK_MS to the end must reach the grabber after the seek */
};

#define SCENARIO(name, script, expected, all, seeks) { name, script, expected, ARRAYSIZE(expected), all, seeks }
static const struct scenario scenarios[] =
{
    SCENARIO("play to end, close after ended", script_play_to_end, expect_play_to_end, TRUE, FALSE),
    SCENARIO("pause and resume", script_pause_resume, expect_pause_resume, TRUE, FALSE),
    SCENARIO("seek while running", script_seek, expect_seek, FALSE, TRUE),
    SCENARIO("stop, then start again", script_stop_start, expect_stop_start, FALSE, FALSE),
    SCENARIO("close when stopped with a topology", script_close_stopped, expect_close_stopped, FALSE, FALSE),
    SCENARIO("close while started", script_close_started, expect_close_started, FALSE, FALSE),
    SCENARIO("close while paused", script_close_paused, expect_close_paused, FALSE, FALSE),
};

/* What each Wine version's own session does where it leaves the contract
 * (docs/PLATFORM-DIFFERENCES.md, by version): the same programs run under
 * Wine 8 and Wine 10 (tools/run-tests.sh --wine10), and the two sessions
 * depart differently.  Only printed: this test judges our session. */
static const struct platform_note
{
    const char *scenario;
    unsigned int wine_major;
    const char *what;
}
platform_notes[] =
{
    { "seek while running", 8, "no second MESessionStarted; playback goes on from where it was to the end" },
    { "seek while running", 10, "the seek completes (MESessionStarted) but no sample follows and "
            "MESessionEnded never comes" },
    { "stop, then start again", 8, "MESessionTopologyStatus(STARTED_SOURCE) again before the second MESessionStarted" },
    { "stop, then start again", 10, "MESessionTopologyStatus(STARTED_SOURCE) again before the second MESessionStarted" },
};

static const char *platform_note(const char *scenario)
{
    unsigned int i, major = wine_major_version();

    for (i = 0; i < ARRAYSIZE(platform_notes); ++i)
        if (!strcmp(platform_notes[i].scenario, scenario) && platform_notes[i].wine_major == major)
            return platform_notes[i].what;
    return NULL;
}

static void run_scenario(const WCHAR *path, const struct scenario *sc, BOOL platform, struct sequence *sequence)
{
    struct grabber g;
    IMFPresentationDescriptor *pd;
    IMFMediaSource *source;
    IMFActivate *activate;
    IMFTopology *topology;
    IMFMediaEvent *event;
    struct run run = {0};
    HRESULT hr;

    memset(sequence, 0, sizeof(*sequence));
    grabber_init(&g);
    if (FAILED(hr = open_source(path, &source)))
    {
        sequence->setup = hr;
        return;
    }
    IMFMediaSource_CreatePresentationDescriptor(source, &pd);
    grabber_activate(&g, TRUE, &activate);  /* following the clock */
    topology = one_stream_topology(source, pd, activate);
    if (platform)
    {
        if (FAILED(hr = MFCreateMediaSession(NULL, &run.session)))
            sequence->setup = hr;
    }
    else if (!(run.session = create_session()))
        sequence->setup = E_FAIL;

    if (run.session)
    {
        run.waiter = event_waiter_create((IMFMediaEventGenerator *)run.session);
        run.grabber = &g;
        run.sequence = sequence;

        step(&run, IMFMediaSession_SetTopology(run.session, 0, topology), MESessionTopologySet);
        if (!run.broken) wait_for(&run, MESessionTopologyStatus, MF_TOPOSTATUS_READY, STEP_TIMEOUT);
        sc->script(&run);
        /* Close always, even after a timeout. */
        run.broken = FALSE;
        if (!run.closed) step(&run, IMFMediaSession_Close(run.session), MESessionClosed);
        /* Nothing may follow MESessionClosed. */
        if (run.closed && SUCCEEDED(event_waiter_next(run.waiter, DRAIN_MS, &event)))
        {
            MediaEventType t = MEUnknown;
            IMFMediaEvent_GetType(event, &t);
            IMFMediaEvent_Release(event);
            record(&run, t, S_OK, 0);
        }
        IMFMediaSession_Shutdown(run.session);
        event_waiter_destroy(run.waiter);
        IMFMediaSession_Release(run.session);
    }
    sequence->grabbed_bytes = g.bytes;
    sequence->bytes_after_mark = g.bytes_after_mark;
    IMFMediaSource_Shutdown(source);
    IMFActivate_Release(activate);
    IMFTopology_Release(topology);
    IMFPresentationDescriptor_Release(pd);
    IMFMediaSource_Release(source);
}

static BOOL is_noise(MediaEventType type)
{
    return type == MEEndOfPresentation || type == MESessionCapabilitiesChanged
            || type == MESessionNotifyPresentationTime;
}

/* The sequence without noise. */
static void filter(const struct sequence *in, struct sequence *out)
{
    unsigned int i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < in->count; ++i)
        if (!is_noise(in->events[i].type)) out->events[out->count++] = in->events[i];
    out->grabbed_bytes = in->grabbed_bytes;
    out->bytes_after_mark = in->bytes_after_mark;
}

static BOOL same_event(const struct recorded *a, const struct recorded *b)
{
    return a->type == b->type && a->status == b->status
            && (a->type != MESessionTopologyStatus || a->topo_status == b->topo_status);
}

/* Index of the first difference from the expected sequence; -1 if none. */
static int first_difference(const struct sequence *s, const struct recorded *expected, unsigned int count)
{
    unsigned int i;

    for (i = 0; i < s->count && i < count; ++i)
        if (!same_event(&s->events[i], &expected[i])) return i;
    return s->count == count ? -1 : (int)(s->count < count ? s->count : count);
}

static const char *topology_status_name(UINT32 status)
{
    switch (status)
    {
    case MF_TOPOSTATUS_READY: return "READY";
    case MF_TOPOSTATUS_STARTED_SOURCE: return "STARTED_SOURCE";
    case MF_TOPOSTATUS_DYNAMIC_CHANGED: return "DYNAMIC_CHANGED";
    case MF_TOPOSTATUS_SINK_SWITCHED: return "SINK_SWITCHED";
    case MF_TOPOSTATUS_ENDED: return "ENDED";
    default: return "?";
    }
}

static int format_event(char *out, size_t size, const struct recorded *e)
{
    const char *name = e->type == CALL_FAILED ? "(call failed)" : e->type == WAIT_TIMED_OUT ? "(timeout)"
            : event_name(e->type);
    char status[16] = "";

    if (e->status != S_OK) snprintf(status, sizeof(status), "/%#lx", e->status);
    if (e->type == MESessionTopologyStatus)
        return snprintf(out, size, "%s(%s)%s", name, topology_status_name(e->topo_status), status);
    if (e->type == CALL_FAILED || e->type == WAIT_TIMED_OUT)
        return snprintf(out, size, "%s[%s]%s", name, event_name(e->topo_status), status);
    return snprintf(out, size, "%s%s", name, status);
}

static void print_sequence(const char *scenario, const char *who, const struct recorded *events, unsigned int count)
{
    char line[1500];
    int len = 0;
    unsigned int i;

    for (i = 0; i < count && len < (int)sizeof(line) - 100; ++i)
    {
        if (i) line[len++] = ' ';
        len += format_event(line + len, sizeof(line) - len, &events[i]);
    }
    line[len] = 0;
    diag("[%s] %-8s %s", scenario, who, line);
}

/* ---- one run per child process ---- */

/* The child: one scenario on one session; the recorded sequence is written to
 * out_path.  Exit status 0 when the run went through to Shutdown. */
static int child_main(unsigned int index, BOOL platform, const char *wav_path, const char *out_path)
{
    WCHAR wav[MAX_PATH];
    struct sequence sequence;
    DWORD written = 0;
    HANDLE file;

    if (index >= ARRAYSIZE(scenarios)) return 2;
    MultiByteToWideChar(CP_ACP, 0, wav_path, -1, wav, MAX_PATH);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    run_scenario(wav, &scenarios[index], platform, &sequence);
    file = CreateFileA(out_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return 3;
    WriteFile(file, &sequence, sizeof(sequence), &written, NULL);
    CloseHandle(file);
    MFShutdown();
    CoUninitialize();
    return written == sizeof(sequence) ? 0 : 4;
}

struct child_run
{
    struct sequence sequence;
    char failure[512];          /* why the run did not end normally */
    char report[4096];          /* the child's output when it did not (a crash report says where) */
    BOOL crashed;               /* ended by an unhandled exception */
};

/* Runs scenario `index` on one session in a child process; FALSE (and
 * run->failure, run->report) when the child crashed, hung, failed or wrote no
 * sequence. */
static BOOL run_scenario_child(const WCHAR *wav_path, unsigned int index, BOOL platform, struct child_run *run)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    char exe[MAX_PATH], wav[MAX_PATH], temp[MAX_PATH], out_path[MAX_PATH], log_path[MAX_PATH];
    char cmd[4 * MAX_PATH + 64];
    STARTUPINFOA si = {0};
    PROCESS_INFORMATION pi;
    DWORD code = 1, got = 0, wait;
    HANDLE log, file;
    BOOL done = FALSE;

    memset(run, 0, sizeof(*run));
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    WideCharToMultiByte(CP_ACP, 0, wav_path, -1, wav, sizeof(wav), NULL, NULL);
    GetTempPathA(sizeof(temp), temp);
    snprintf(out_path, sizeof(out_path), "%smfsession-differential-%lu-%u-%d.seq", temp, GetCurrentProcessId(),
            index, platform);
    snprintf(log_path, sizeof(log_path), "%smfsession-differential-%lu-%u-%d.log", temp, GetCurrentProcessId(),
            index, platform);
    snprintf(cmd, sizeof(cmd), "\"%s\" child %u %s \"%s\" \"%s\"", exe, index, platform ? "platform" : "ours",
            wav, out_path);
    DeleteFileA(out_path);
    log = CreateFileA(log_path, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = log;
    if (log == INVALID_HANDLE_VALUE || !CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        snprintf(run->failure, sizeof(run->failure), "the child process did not start, error %lu", GetLastError());
        if (log != INVALID_HANDLE_VALUE) CloseHandle(log);
        return FALSE;
    }
    CloseHandle(log);
    if ((wait = WaitForSingleObject(pi.hProcess, CHILD_TIMEOUT)) != WAIT_OBJECT_0)
    {
        TerminateProcess(pi.hProcess, 0xdead);
        WaitForSingleObject(pi.hProcess, 5000);
    }
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);

    file = CreateFileA(out_path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (file != INVALID_HANDLE_VALUE)
    {
        ReadFile(file, &run->sequence, sizeof(run->sequence), &got, NULL);
        CloseHandle(file);
    }
    if (wait != WAIT_OBJECT_0)
        snprintf(run->failure, sizeof(run->failure), "the child did not exit within %u ms", CHILD_TIMEOUT);
    else if (code)
        snprintf(run->failure, sizeof(run->failure), "the child exited with status %#lx%s", code,
                code >= 0xc0000000 ? " (an unhandled exception)" : "");
    else if (got != sizeof(run->sequence))
        snprintf(run->failure, sizeof(run->failure), "the child wrote %lu of %u bytes of its sequence", got,
                (unsigned int)sizeof(run->sequence));
    else
        done = TRUE;

    run->crashed = wait == WAIT_OBJECT_0 && code >= 0xc0000000;
    if (!done)
    {
        file = CreateFileA(log_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (file != INVALID_HANDLE_VALUE)
        {
            got = 0;
            ReadFile(file, run->report, sizeof(run->report) - 1, &got, NULL);
            CloseHandle(file);
            run->report[got] = 0;
        }
    }
    DeleteFileA(out_path);
    DeleteFileA(log_path);
    return done;
}

static void print_report(const struct child_run *run, const char *who)
{
    char text[sizeof(run->report)], *line, *next;

    strcpy(text, run->report);
    for (line = text; *line; line = next)
    {
        if ((next = strchr(line, '\n'))) *next++ = 0;
        else next = line + strlen(line);
        if (*line) diag("  %s: %s", who, line);
    }
}

/* A crash in platform code only: the report names return addresses and none
 * is in mfsession.dll or in this test.  Wine 8's rtworkq can free a scheduled
 * work item that MFCancelWorkItem cancels while its timer callback runs (the
 * presentation clock cancels the sample grabber's timers when it pauses or
 * stops, whichever session drives it); such a crash is not held against
 * either session. */
static BOOL crashed_outside_us(const struct child_run *run)
{
    static const char marker[] = "# CRASH: return addresses on the stack: ";
    const char *stack = strstr(run->report, marker);
    char lower[sizeof(run->report)];

    /* At least one return address named; neither it nor the faulting address in our code. */
    if (!run->crashed || !stack || stack[sizeof(marker) - 1] == '\n' || !stack[sizeof(marker) - 1]) return FALSE;
    strcpy(lower, run->report);
    _strlwr(lower);
    return !strstr(lower, "mfsession.dll+") && !strstr(lower, "test_differential.exe+");
}

#define ATTEMPTS 3

/* One session's run of a scenario, again (up to ATTEMPTS) when a crash was
 * in platform code only. */
static BOOL run_session(const WCHAR *wav_path, const struct scenario *sc, unsigned int index, BOOL platform,
        struct child_run *run)
{
    const char *who = platform ? "platform" : "ours";
    unsigned int attempt;

    for (attempt = 1; attempt <= ATTEMPTS; ++attempt)
    {
        if (run_scenario_child(wav_path, index, platform, run)) return TRUE;
        diag("[%s] %s, attempt %u: %s", sc->name, who, attempt, run->failure);
        print_report(run, who);
        if (!crashed_outside_us(run)) return FALSE;
        diag("[%s] the crash is in platform code only (no address of mfsession.dll or of the test on the stack): "
                "run again", sc->name);
    }
    return FALSE;
}

START_TEST(differential)
{
    struct child_run ours, platform;
    struct sequence ours_filtered, platform_filtered;
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    const struct scenario *sc;
    char where[128];
    const char *note;
    LONGLONG remaining;
    DWORD bytes;
    unsigned int i;
    int diff;

    if (__argc == 6 && !strcmp(__argv[1], "child"))
        ExitProcess(child_main(atoi(__argv[2]), !strcmp(__argv[3], "platform"), __argv[4], __argv[5]));

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    GetTempPathW(MAX_PATH, dir);
    swprintf(path, MAX_PATH, L"%smfsession-differential-%lu.wav", dir, GetCurrentProcessId());
    if (!(bytes = write_wav(path, WAV_RATE, WAV_CHANNELS, WAV_MS))) goto done;

    for (i = 0; i < ARRAYSIZE(scenarios); ++i)
    {
        sc = &scenarios[i];
        if (!run_session(path, sc, i, FALSE, &ours))
        {
            ok(0, "[%s] our session's run ended normally: %s", sc->name, ours.failure);
            continue;
        }
        ok(ours.sequence.setup == S_OK, "[%s] our session's run began (source opened, session created), hr %#lx",
                sc->name, ours.sequence.setup);
        if (!run_session(path, sc, i, TRUE, &platform))
        {
            diag("[%s] the platform's session did not end normally: %s", sc->name, platform.failure);
            platform.sequence.count = 0;
        }
        filter(&ours.sequence, &ours_filtered);
        filter(&platform.sequence, &platform_filtered);

        print_sequence(sc->name, "contract", sc->expected, sc->expected_count);
        print_sequence(sc->name, "ours", ours_filtered.events, ours_filtered.count);
        print_sequence(sc->name, "platform", platform_filtered.events, platform_filtered.count);

        diff = first_difference(&ours_filtered, sc->expected, sc->expected_count);
        if (diff >= 0)
        {
            if ((unsigned int)diff < ours_filtered.count)
                format_event(where, sizeof(where), &ours_filtered.events[diff]);
            else
                snprintf(where, sizeof(where), "(end of sequence)");
            ok(0, "[%s] our session's events follow the contract: they differ at event %d, %s", sc->name,
                    diff + 1, where);
            print_sequence(sc->name, "ours+all", ours.sequence.events, ours.sequence.count);
        }
        else
            ok(1, "[%s] our session's events follow the contract", sc->name);

        if (sc->plays_everything)
            ok(ours.sequence.grabbed_bytes == bytes, "[%s] every byte reached our session's grabber: %lld of %lu",
                    sc->name, ours.sequence.grabbed_bytes, bytes);
        /* From the seek position to the end (samples queued before the seek may add to it). */
        remaining = bytes - (LONGLONG)WAV_RATE * SEEK_MS / 1000 * WAV_CHANNELS * 2;
        if (sc->seeks)
            ok(ours.sequence.bytes_after_mark >= remaining, "[%s] after the seek our session's grabber got %lld bytes, "
                    "at least the %lld from %u ms to the end", sc->name, ours.sequence.bytes_after_mark, remaining, SEEK_MS);
        if (sc->seeks && platform.sequence.bytes_after_mark < remaining)
            diag("[%s] after the seek the platform's grabber got %lld bytes", sc->name, platform.sequence.bytes_after_mark);
        diff = first_difference(&platform_filtered, sc->expected, sc->expected_count);
        note = platform_note(sc->name);
        if (diff >= 0 && note)
            diag("[%s] the platform's session (Wine %s) deviates from the contract at event %d, as recorded for "
                    "Wine %u in docs/PLATFORM-DIFFERENCES.md: %s", sc->name, wine_version(), diff + 1,
                    wine_major_version(), note);
        else if (diff >= 0)
            diag("[%s] the platform's session (%s%s) deviates from the contract at event %d: not recorded for this "
                    "version in docs/PLATFORM-DIFFERENCES.md", sc->name, wine_version() ? "Wine " : "Windows",
                    wine_version() ? wine_version() : "", diff + 1);
        else if (note)
            diag("[%s] the platform's session (Wine %s) follows the contract here, though docs/PLATFORM-DIFFERENCES.md "
                    "records for Wine %u: %s", sc->name, wine_version(), wine_major_version(), note);
        if (sc->plays_everything && platform.sequence.grabbed_bytes != bytes)
            diag("[%s] the platform's grabber got %lld of %lu bytes", sc->name, platform.sequence.grabbed_bytes, bytes);
    }
    DeleteFileW(path);

done:
    MFShutdown();
    CoUninitialize();
}
