/*
 * bench: mfsession's session against the platform's (Wine's built-in) media
 * session, and against the direct-drive limit (no session), on the test
 * doubles.  Prints a table and writes a JSON file; see docs/PERFORMANCE.md
 * and tools/bench.sh.
 *
 *   bench.exe [--reps N] [--out FILE] [--samples N] [--only ID,ID...]
 *             [--quick] [--no-children] [--no-primitives] [--timeout MS]
 *             [--kind ours|platform|direct] [--direct ID]   (the last two: for profiling)
 *
 * Every figure is measured for both sessions in the same run, alternating
 * which goes first from one repetition to the next; the table shows the
 * median over the repetitions and [min-max].  A session that hangs (any wait
 * past its timeout) or fails a workload shows "hung" / "failed: hr" and is
 * not run again on that workload.
 *
 * Child processes (the same executable): the lifecycle working-set phases
 * (one fresh process per kind of session), the tracing cost
 * (MFSESSION_TRACE is read when the DLL loads, so each setting needs its own
 * process) and each repetition of the real-media workloads, per kind (an
 * abandoned hung play must not slow the others: plays_in_child).
 * --no-children runs the media plays in this process and skips the rest.
 *
 * This file: options, the workload table, the repetitions, the child
 * processes and main; the figures and targets are in bench_figures.c, the
 * table and the JSON in bench_report.c (bench_report.h).
 */
#include "bench_report.h"
#include "common.h"
#include <stdlib.h>
#include <string.h>

struct bench_options opt =
{
    .reps = 5,
    .samples = 20000,
    .close_iterations = 2000,
    .running_iterations = 100,
    .seek_iterations = 100,
    .lifecycle_cycles = 1000,
    .scale_sessions = 64,
    .scale_samples = 2000,
    .cpu_media_seconds = 600,
    .request_depth = 2,
    .timeout_ms = 5000,
    .play_timeout_ms = 30000,
    .end_grace_ms = 3000,
};

static const char *out_path = "bench-results.json";
static const char *only;
static BOOL no_children, no_primitives;
static int only_kind = -1;     /* --kind ours|platform|direct: run one kind only (profiling) */
static const char *only_direct; /* --direct ID: that direct drive only */
#define KIND_DIRECT 99
unsigned memory_first = 2000, memory_cycles = 20000;
BOOL trace_in_parent;

/* ---- workloads ---- */

struct figure_def
{
    const char *id, *label, *unit;
    BOOL higher;
};

struct workload
{
    const char *id;
    const char *title;
    void (*fn)(enum bench_kind, struct bench_run *);
    struct figure_def figs[3];
};

static const struct workload workloads[] =
{
    {"close_empty", "Close latency, empty session", wl_close_empty,
        {{"close_empty_p50", "Close -> MESessionClosed, empty session, p50", "us", FALSE},
         {"close_empty_p99", "Close -> MESessionClosed, empty session, p99", "us", FALSE}}},
    {"close_running", "Close latency, playing session", wl_close_running,
        {{"close_running_p50", "Close -> MESessionClosed, playing, p50", "us", FALSE},
         {"close_running_p99", "Close -> MESessionClosed, playing, p99", "us", FALSE}}},
    {"lifecycle", "Lifecycle rate", wl_lifecycle,
        {{"lifecycle_rate", "create+Close+Closed+Shutdown+Release", "cycles/s", TRUE}}},
    {"start", "Start latency", wl_start,
        {{"start_p50", "Start -> MESessionStarted, p50 (lazy EOS)", "us", FALSE},
         {"start_p99", "Start -> MESessionStarted, p99 (lazy EOS)", "us", FALSE}}},
    {"seek", "Seek latency", wl_seek,
        {{"seek_p50", "Start(VT_I8) while playing -> MESessionStarted, p50", "us", FALSE},
         {"seek_p99", "Start(VT_I8) while playing -> MESessionStarted, p99", "us", FALSE}}},
    {"tp_1stream", "Throughput, one stream", wl_tp_plain,
        {{"tp_1stream", "throughput, 1 stream", "samples/s", TRUE},
         {"tp_1stream_us", "time per sample, 1 stream", "us", FALSE},
         {"tp_1stream_ws", "working-set growth per sample, 1 stream", "bytes", FALSE}}},
    {"tp_mft", "Throughput, pass-through transform", wl_tp_mft,
        {{"tp_mft", "throughput, 1 stream + pass-through MFT", "samples/s", TRUE}}},
    {"tp_8streams", "Throughput, 8 streams", wl_tp_8streams,
        {{"tp_8streams", "throughput, 8 streams (total)", "samples/s", TRUE}}},
    {"tp_tee", "Throughput, tee to 4 sinks", wl_tp_tee,
        {{"tp_tee", "throughput, tee to 4 sinks (at the source)", "samples/s", TRUE}}},
    /* The platform's session never ends a presentation whose streams end
     * eagerly: the same workloads with the end of stream on the next request. */
    {"tp_1stream_lazy", "Throughput, one stream, lazy EOS", wl_tp_plain_lazy,
        {{"tp_1stream_lazy", "throughput, 1 stream, lazy EOS", "samples/s", TRUE},
         {"tp_1stream_lazy_us", "time per sample, 1 stream, lazy EOS", "us", FALSE},
         {"tp_1stream_lazy_ws", "working-set growth per sample, 1 stream, lazy EOS", "bytes", FALSE}}},
    /* A source that answers from a work item (as one reading on its own thread). */
    {"tp_async_lazy", "Throughput, source answering later", wl_tp_async_lazy,
        {{"tp_async_lazy", "throughput, 1 stream, source answers later, lazy EOS", "samples/s", TRUE},
         {"tp_async_lazy_us", "time per sample, source answers later, lazy EOS", "us", FALSE},
         {"tp_async_lazy_ws", "working-set growth per sample, source answers later", "bytes", FALSE}}},
    {"tp_mft_lazy", "Throughput, transform, lazy EOS", wl_tp_mft_lazy,
        {{"tp_mft_lazy", "throughput, 1 stream + pass-through MFT, lazy EOS", "samples/s", TRUE}}},
    {"tp_8streams_lazy", "Throughput, 8 streams, lazy EOS", wl_tp_8streams_lazy,
        {{"tp_8streams_lazy", "throughput, 8 streams (total), lazy EOS", "samples/s", TRUE}}},
    {"tp_tee_lazy", "Throughput, tee to 4, lazy EOS", wl_tp_tee_lazy,
        {{"tp_tee_lazy", "throughput, tee to 4 sinks (at the source), lazy EOS", "samples/s", TRUE}}},
    {"scale", "Scale: sessions playing at once", wl_scale,
        {{"scale", "64 sessions at once (total), lazy EOS", "samples/s", TRUE}}},
    {"cpu", "CPU per second of media, clocked sink", wl_cpu,
        {{"cpu_per_media_s", "CPU (user+kernel) per s of media, clocked sink (unpaced)", "ms", FALSE},
         {"wall_per_media_s", "wall time per s of media, clocked sink (unpaced)", "ms", FALSE}}},
    /* Topology resolution (bench_loader.c): ours against the platform's loader. */
    {"loader_convert", "Load: converter branch", wl_loader_convert,
        {{"loader_convert_p50", "Load, PCM 44.1 -> 48 kHz (resampler), p50", "us", FALSE},
         {"loader_convert_p99", "Load, PCM 44.1 -> 48 kHz (resampler), p99", "us", FALSE}}},
    {"loader_decode", "Load: decoder branch", wl_loader_decode,
        {{"loader_decode_p50", "Load, H.264 -> NV12 (decoder), p50", "us", FALSE},
         {"loader_decode_p99", "Load, H.264 -> NV12 (decoder), p99", "us", FALSE}}},
    {"loader_decode_convert", "Load: decoder+converter branch", wl_loader_decode_convert,
        {{"loader_deconv_p50", "Load, decoder + resampler, p50", "us", FALSE},
         {"loader_deconv_p99", "Load, decoder + resampler, p99", "us", FALSE}}},
    {"loader_tee4", "Load: 4-way tee", wl_loader_tee4,
        {{"loader_tee4_p50", "Load, tee to 4 sinks, 2 converters, p50", "us", FALSE},
         {"loader_tee4_p99", "Load, tee to 4 sinks, 2 converters, p99", "us", FALSE}}},
    /* The same work in shapes Wine's loader resolves (bench_loader.c). */
    {"loader_branches4", "Load: the tee's 4 branches, no tee", wl_loader_branches4,
        {{"loader_branches4_p50", "Load, 4 sources to 4 sinks, 2 converters, p50", "us", FALSE},
         {"loader_branches4_p99", "Load, 4 sources to 4 sinks, 2 converters, p99", "us", FALSE}}},
    {"loader_decode_local", "Load: the local decoder alone", wl_loader_decode_local,
        {{"loader_declocal_p50", "Load, local decoder, p50", "us", FALSE},
         {"loader_declocal_p99", "Load, local decoder, p99", "us", FALSE}}},
    /* Real media (bench_media.c): the shared test files into rateless grabbers. */
    {"media_mp3", "Real media: tone.mp3", wl_media_mp3,
        {{"media_mp3_ms", "tone.mp3 -> PCM grabber, Start -> MESessionEnded", "ms", FALSE},
         {"media_mp3_callbacks", "tone.mp3 -> PCM grabber, OnProcessSample calls", "calls", FALSE},
         {"media_mp3_bytes", "tone.mp3 -> PCM grabber, bytes", "bytes", TRUE}}},
    {"media_aac", "Real media: tone.m4a", wl_media_aac,
        {{"media_aac_ms", "tone.m4a (AAC) -> PCM grabber, Start -> Ended", "ms", FALSE},
         {"media_aac_callbacks", "tone.m4a (AAC) -> PCM grabber, OnProcessSample calls", "calls", FALSE},
         {"media_aac_bytes", "tone.m4a (AAC) -> PCM grabber, bytes", "bytes", TRUE}}},
    {"media_h264", "Real media: bars.mp4 video", wl_media_h264,
        {{"media_h264_ms", "bars.mp4 video -> grabber, Start -> Ended", "ms", FALSE},
         {"media_h264_callbacks", "bars.mp4 video -> grabber, OnProcessSample calls", "calls", FALSE},
         {"media_h264_bytes", "bars.mp4 video -> grabber, bytes", "bytes", TRUE}}},
    {"media_rawvideo", "Real media: bars.avi via processor", wl_media_rawvideo,
        {{"media_rawvideo_ms", "bars.avi -> video processor -> RGB32, Start -> Ended", "ms", FALSE},
         {"media_rawvideo_callbacks", "bars.avi -> video processor -> RGB32, callbacks", "calls", FALSE},
         {"media_rawvideo_bytes", "bars.avi -> video processor -> RGB32, bytes", "bytes", TRUE}}},
};

struct direct_def
{
    const char *id, *label;
    void (*fn)(struct bench_run *);
    const char *ws_id, *ws_label;
    const char *along;      /* the workload whose repetitions it shares (NULL: tp_1stream) */
};

static const struct direct_def directs[] =
{
    {"direct_poll", "direct drive, 1 thread polling GetEvent(NO_WAIT)", wl_direct_poll,
        "direct_poll_ws", "working-set growth per sample, direct poll"},
    {"direct_poll_async", "direct drive, polling, source answers later, lazy EOS", wl_direct_poll_async,
        "direct_poll_async_ws", "working-set growth per sample, direct poll, source answers later", "tp_async_lazy"},
    {"direct_callbacks", "direct drive, BeginGetEvent callbacks", wl_direct_callbacks,
        "direct_callbacks_ws", "working-set growth per sample, direct callbacks"},
    {"direct_ddrive", "direct drive, the doubles' ddrive_play (reference)", wl_direct_ddrive},
};

static BOOL selected(const char *id)
{
    const char *p;
    size_t len = strlen(id);
    if (!only) return TRUE;
    for (p = only; (p = strstr(p, id)); p += len)
        if ((p == only || p[-1] == ',') && (p[len] == ',' || !p[len])) return TRUE;
    return FALSE;
}

static void run_child(const char *args, DWORD timeout_ms, struct bench_run *r);

/* The real-media plays run in a process per play (unless --no-children):
 * the platform's session hangs at the end of some of them and is abandoned
 * with its GStreamer pipelines, which then slowed every later play in the
 * process, of both kinds (Wine 10, media_h264: 41 -> 83 ms over one run;
 * docs/PERFORMANCE.md, "Session 8"). */
static BOOL plays_in_child(const struct workload *w)
{
    return !no_children && !strncmp(w->id, "media_", 6);
}

static void run_workload_child(const struct workload *w, enum bench_kind kind, struct bench_run *r)
{
    char args[160];
    snprintf(args, sizeof(args), "--child-workload %s %s --timeout %lu%s", w->id, kind_name(kind),
            (unsigned long)opt.timeout_ms, opt.quick ? " --quick" : "");
    run_child(args, 300000, r);
}

static void run_workload(const struct workload *w)
{
    unsigned rep, k, f, nfigs = w->figs[2].id ? 3 : w->figs[1].id ? 2 : 1;
    struct figure *figs[3];
    char buf[64];

    for (f = 0; f < nfigs; ++f)
        figs[f] = figure_get(w->figs[f].id, w->figs[f].label, w->figs[f].unit, w->figs[f].higher);
    fprintf(stderr, "%-36s", w->title);
    for (rep = 0; rep < opt.reps; ++rep)
    {
        for (k = 0; k < KIND_COUNT; ++k)
        {
            /* Alternate who goes first. */
            enum bench_kind kind = rep % 2 ? KIND_COUNT - 1 - k : k;
            struct bench_run r = {0};

            if (figs[0]->s[kind].status != BENCH_OK) continue;
            if (only_kind >= 0 && (int)kind != only_kind) continue;
            if (plays_in_child(w)) run_workload_child(w, kind, &r);
            else w->fn(kind, &r);
            for (f = 0; f < nfigs; ++f) series_add(&figs[f]->s[kind], &r, f);
            if (r.status != BENCH_OK)
                fprintf(stderr, "\n  %s: %s: %s ", kind_name(kind), status_text(&figs[0]->s[kind], buf, sizeof(buf)),
                        r.what);
        }
        fputc('.', stderr);
        /* The one-stream throughputs also run their direct drives, in the same repetitions. */
        if (!strcmp(w->id, "tp_1stream") || !strcmp(w->id, "tp_async_lazy"))
        {
            for (k = 0; k < ARRAY_SIZE(directs); ++k)
            {
                struct figure *d;
                struct bench_run r = {0};
                if (strcmp(w->id, directs[k].along ? directs[k].along : "tp_1stream")) continue;
                if (only_kind >= 0 && only_kind != KIND_DIRECT) continue;
                if (only_direct && strcmp(only_direct, directs[k].id)) continue;
                d = figure_get(directs[k].id, directs[k].label, "samples/s", TRUE);
                d->columns[COL_OURS] = "no session";
                d->columns[COL_PLATFORM] = "-";
                if (d->s[COL_OURS].status != BENCH_OK) continue;
                directs[k].fn(&r);
                series_add(&d->s[COL_OURS], &r, 0);
                if (strcmp(directs[k].id, "direct_ddrive"))
                {
                    struct figure *m = figure_get(directs[k].ws_id, directs[k].ws_label, "bytes", FALSE);
                    m->columns[COL_OURS] = "no session";
                    m->columns[COL_PLATFORM] = "-";
                    series_add(&m->s[COL_OURS], &r, 2);
                }
                if (r.status != BENCH_OK)
                    fprintf(stderr, "\n  %s: %s: %s ", directs[k].id, status_text(&d->s[COL_OURS], buf, sizeof(buf)),
                            r.what);
            }
        }
    }
    fputc('\n', stderr);
}

/* ---- child processes ---- */

/* Runs this executable with `args`; its stdout's last "RESULT" line into r. */
static void run_child(const char *args, DWORD timeout_ms, struct bench_run *r)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    PROCESS_INFORMATION pi;
    STARTUPINFOA si;
    HANDLE read_end, write_end;
    char exe[MAX_PATH], cmdline[MAX_PATH + 256], output[16384], *line;
    DWORD got, total = 0, start;
    int status;

    memset(r, 0, sizeof(*r));
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmdline, sizeof(cmdline), "\"%s\" %s", exe, args);
    if (!CreatePipe(&read_end, &write_end, &sa, 0))
    {
        run_fail(r, HRESULT_FROM_WIN32(GetLastError()), "CreatePipe");
        return;
    }
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = write_end;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    if (!CreateProcessA(exe, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        run_fail(r, HRESULT_FROM_WIN32(GetLastError()), "CreateProcess");
        CloseHandle(read_end);
        CloseHandle(write_end);
        return;
    }
    CloseHandle(write_end);
    start = GetTickCount();
    /* The child writes one short line at its end: read until the pipe closes. */
    while (total < sizeof(output) - 1 && ReadFile(read_end, output + total, sizeof(output) - 1 - total, &got, NULL) && got)
        total += got;
    output[total] = 0;
    if (WaitForSingleObject(pi.hProcess, timeout_ms > GetTickCount() - start ? timeout_ms - (GetTickCount() - start) : 0)
            != WAIT_OBJECT_0)
    {
        TerminateProcess(pi.hProcess, 1);
        run_fail(r, HRESULT_FROM_WIN32(WAIT_TIMEOUT), "child process timed out");
    }
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(read_end);
    if (r->status != BENCH_OK) return;
    /* The child's notes (bench_notes_print), before its result. */
    for (line = output; (line = strstr(line, "NOTE ")); line += 5)
        if (line == output || line[-1] == '\n')
            bench_note("%.*s", (int)strcspn(line + 5, "\r\n"), line + 5);
    if (!(line = strstr(output, "RESULT ")))
    {
        run_fail(r, E_FAIL, "child printed no result");
        return;
    }
    if (sscanf(line, "RESULT %d %lx %lf %lf %lf %lf %lf %lf", &status, (unsigned long *)&r->hr, &r->values[0],
            &r->values[1], &r->values[2], &r->values[3], &r->values[4], &r->values[5]) < 2)
    {
        run_fail(r, E_FAIL, "child printed no result");
        return;
    }
    r->status = status;
    if (status != BENCH_OK && (line = strstr(line, " | "))) snprintf(r->what, sizeof(r->what), "%.*s",
            (int)strcspn(line + 3, "\r\n"), line + 3);
}

static void print_result(const struct bench_run *r)
{
    printf("RESULT %d %lx %.17g %.17g %.17g %.17g %.17g %.17g | %s\n", (int)r->status, (unsigned long)r->hr,
            r->values[0], r->values[1], r->values[2], r->values[3], r->values[4], r->values[5], r->what);
    fflush(stdout);
}

/* Lifecycle memory: results per kind (values as lifecycle_memory's). */
/* + the baselines: an event queue with one subscription, and one work item */
struct bench_run memory_results[MEMORY_ROWS];

const char *memory_row_name(unsigned k)
{
    return k == KIND_COUNT ? "baseline" : k == KIND_COUNT + 1 ? "workitem" : kind_name(k);
}
BOOL memory_done;

static void run_memory(void)
{
    char args[128];
    unsigned k;

    fprintf(stderr, "%-36s", "Lifecycle working set (children)");
    for (k = 0; k < MEMORY_ROWS; ++k)
    {
        snprintf(args, sizeof(args), "--child-memory %s %u %u --timeout %lu", memory_row_name(k), memory_first,
                memory_cycles, (unsigned long)opt.timeout_ms);
        run_child(args, 300000, &memory_results[k]);
        fputc('.', stderr);
    }
    fputc('\n', stderr);
    memory_done = TRUE;
}

/* Tracing cost: one-stream throughput of ours in children with MFSESSION_TRACE unset / set. */
struct series trace_series[2];  /* [0] off, [1] on */
double trace_file_bytes;
BOOL trace_done;

static void run_trace(void)
{
    WCHAR temp[MAX_PATH], path[MAX_PATH];
    WIN32_FILE_ATTRIBUTE_DATA data;
    char args[128];
    unsigned rep, k;

    GetTempPathW(MAX_PATH, temp);
    _snwprintf(path, MAX_PATH, L"%lsmfsession-bench-trace-%lu.json", temp, (unsigned long)GetCurrentProcessId());
    snprintf(args, sizeof(args), "--child-trace %u --timeout %lu", opt.samples, (unsigned long)opt.timeout_ms);
    fprintf(stderr, "%-36s", "Tracing cost (children)");
    for (rep = 0; rep < opt.reps; ++rep)
    {
        for (k = 0; k < 2; ++k)
        {
            unsigned on = rep % 2 ? 1 - k : k;
            struct bench_run r;
            SetEnvironmentVariableW(L"MFSESSION_TRACE", on ? path : NULL);
            run_child(args, 120000, &r);
            SetEnvironmentVariableW(L"MFSESSION_TRACE", NULL);
            series_add(&trace_series[on], &r, 0);
            if (on && GetFileAttributesExW(path, GetFileExInfoStandard, &data))
                trace_file_bytes = (double)data.nFileSizeLow + (double)data.nFileSizeHigh * 4294967296.0;
            DeleteFileW(path);
        }
        fputc('.', stderr);
    }
    fputc('\n', stderr);
    trace_done = TRUE;
}


/* ---- main ---- */

static enum bench_kind parse_kind(const char *s)
{
    if (!strcmp(s, "direct")) return KIND_DIRECT;
    if (!strcmp(s, "baseline")) return KIND_COUNT;
    if (!strcmp(s, "workitem")) return KIND_COUNT + 1;
    return !strcmp(s, "platform") ? KIND_PLATFORM : KIND_OURS;
}

static void usage(void)
{
    unsigned i;
    fprintf(stderr, "usage: bench.exe [--reps N] [--out FILE] [--samples N] [--only ID,...] [--quick]\n"
            "                 [--no-children] [--no-primitives] [--timeout MS] [--kind ours|platform|direct] [--direct ID]\nworkload ids:");
    for (i = 0; i < ARRAY_SIZE(workloads); ++i) fprintf(stderr, " %s", workloads[i].id);
    fprintf(stderr, " memory trace primitives\n");
}

LONG bench_abandoned;

int main(int argc, char **argv)
{
    struct primitive prims[16];
    unsigned nprims = 0, i;
    int child = 0;          /* 1 memory, 2 trace, 3 one workload (plays_in_child) */
    const char *child_workload = NULL;
    enum bench_kind child_kind = KIND_OURS;
    char env[8];

    for (i = 1; i < (unsigned)argc; ++i)
    {
        const char *a = argv[i];
        if (!strcmp(a, "--reps") && i + 1 < (unsigned)argc) opt.reps = atoi(argv[++i]);
        else if (!strcmp(a, "--out") && i + 1 < (unsigned)argc) out_path = argv[++i];
        else if (!strcmp(a, "--samples") && i + 1 < (unsigned)argc) opt.samples = atoi(argv[++i]);
        else if (!strcmp(a, "--only") && i + 1 < (unsigned)argc) only = argv[++i];
        else if (!strcmp(a, "--timeout") && i + 1 < (unsigned)argc) opt.timeout_ms = atoi(argv[++i]);
        else if (!strcmp(a, "--no-children")) no_children = TRUE;
        else if (!strcmp(a, "--kind") && i + 1 < (unsigned)argc) only_kind = parse_kind(argv[++i]);
        else if (!strcmp(a, "--direct") && i + 1 < (unsigned)argc) only_direct = argv[++i];
        else if (!strcmp(a, "--no-primitives")) no_primitives = TRUE;
        else if (!strcmp(a, "--quick"))
        {
            opt.quick = TRUE;
            opt.reps = 2;
            opt.samples = 4000;
            opt.close_iterations = 200;
            opt.running_iterations = 20;
            opt.seek_iterations = 20;
            opt.lifecycle_cycles = 200;
            opt.scale_sessions = 16;
            opt.scale_samples = 500;
            opt.end_grace_ms = 1000;
            opt.cpu_media_seconds = 100;
            memory_first = 200;
            memory_cycles = 2000;
        }
        else if (!strcmp(a, "--child-memory") && i + 3 < (unsigned)argc)
        {
            child = 1;
            child_kind = parse_kind(argv[++i]);
            memory_first = atoi(argv[++i]);
            memory_cycles = atoi(argv[++i]);
        }
        else if (!strcmp(a, "--child-workload") && i + 2 < (unsigned)argc)
        {
            child = 3;
            child_workload = argv[++i];
            child_kind = parse_kind(argv[++i]);
        }
        else if (!strcmp(a, "--child-trace") && i + 1 < (unsigned)argc)
        {
            child = 2;
            opt.samples = atoi(argv[++i]);
        }
        else
        {
            usage();
            return !strcmp(a, "-h") || !strcmp(a, "--help") ? 0 : 2;
        }
    }
    if (opt.reps < 1) opt.reps = 1;
    if (opt.reps > MAX_REPS) opt.reps = MAX_REPS;
    if (opt.samples < 8) opt.samples = 8;

    QueryPerformanceFrequency(&qpc_freq);
    trace_in_parent = GetEnvironmentVariableA("MFSESSION_TRACE", env, sizeof(env)) > 0;
    if (FAILED(MFStartup(MF_VERSION, MFSTARTUP_FULL)))
    {
        fprintf(stderr, "MFStartup failed\n");
        return 1;
    }
    dlog_enable(FALSE);
    if (!bench_load_ours())
    {
        fprintf(stderr, "cannot load mfsession.dll (set MFSESSION_DLL)\n");
        return 1;
    }

    if (child)
    {
        struct bench_run r = {0}, warm = {0};
        if (child == 1) lifecycle_memory(child_kind, memory_first, memory_cycles, &r);
        else if (child == 3)
        {
            for (i = 0; i < ARRAY_SIZE(workloads) && strcmp(workloads[i].id, child_workload); ++i) {}
            if (i == ARRAY_SIZE(workloads)) run_fail(&r, E_INVALIDARG, "no workload %s", child_workload);
            else workloads[i].fn(child_kind, &r);
            bench_notes_print();
            print_result(&r);
            /* As at the parent's end: an abandoned session's threads crash Wine 8's exit. */
            if (bench_abandoned) TerminateProcess(GetCurrentProcess(), 0);
            MFShutdown();
            return 0;
        }
        else
        {
            throughput_once(KIND_OURS, opt.samples / 10 + 1, &warm);
            throughput_once(KIND_OURS, opt.samples, &r);
        }
        print_result(&r);
        MFShutdown();
        return 0;
    }

    if (trace_in_parent)
        fprintf(stderr, "warning: MFSESSION_TRACE is set: our session traces in this process\n");
    machine_info();
    fprintf(stderr, "mfsession bench: %u repetition(s), %u samples; %s, %u cores, Wine %s\n", opt.reps, opt.samples,
            machine_cpu, machine_cores, machine_wine);

    /* Warm up both sessions, the work queues and the doubles. */
    {
        unsigned saved = opt.samples;
        struct bench_run r = {0};
        opt.samples = 1000;
        wl_tp_plain(KIND_OURS, &r);
        memset(&r, 0, sizeof(r));
        wl_tp_plain(KIND_PLATFORM, &r);
        memset(&r, 0, sizeof(r));
        wl_direct_callbacks(&r);
        opt.samples = saved;
    }

    for (i = 0; i < ARRAY_SIZE(workloads); ++i)
        if (selected(workloads[i].id))
        {
            run_workload(&workloads[i]);
            /* What is measured so far is kept if a later workload crashes
             * the process (Wine 8's GStreamer side has, in media_h264). */
            write_json(out_path, prims, 0);
        }
    if (!no_children && selected("memory")) run_memory();
    if (!no_children && selected("trace")) run_trace();
    if (!no_primitives && selected("primitives"))
    {
        fprintf(stderr, "%-36s", "Primitive costs");
        nprims = measure_primitives(prims, ARRAY_SIZE(prims));
        fputc('\n', stderr);
    }

    print_table();
    if (nprims)
    {
        printf("\nprimitive costs (us per operation, this machine, under Wine)\n");
        for (i = 0; i < nprims; ++i) printf("  %8.3f  %s\n", prims[i].us, prims[i].label);
    }
    fflush(stdout);
    write_json(out_path, prims, nprims);
    if (bench_abandoned)
    {
        /* An abandoned session (the platform's, hung) still has work items
         * and threads: MFShutdown and the DLLs' detach then crash Wine 8's
         * process (SIGSEGV after the results were written).  The results
         * are out; end here. */
        fflush(stdout);
        fflush(stderr);
        TerminateProcess(GetCurrentProcess(), 0);
    }
    MFShutdown();
    return 0;
}
