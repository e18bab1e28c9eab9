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
 * (one fresh process per kind of session) and the tracing cost
 * (MFSESSION_TRACE is read when the DLL loads, so each setting needs its own
 * process).
 */
#include "bench.h"
#include "common.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

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
static unsigned memory_first = 2000, memory_cycles = 20000;
static BOOL trace_in_parent;

#define MAX_REPS 64

/* ---- figures ---- */

enum column { COL_OURS, COL_PLATFORM, COL_COUNT };

struct series
{
    double values[MAX_REPS];
    unsigned count;
    enum bench_status status;
    HRESULT hr;
    char what[128];
};

struct figure
{
    const char *id;
    const char *label;
    const char *unit;
    BOOL higher_is_better;
    const char *columns[COL_COUNT];     /* what each column holds, NULL: ours / platform */
    struct series s[COL_COUNT];
    BOOL used;
};

#define MAX_FIGURES 64
static struct figure figures[MAX_FIGURES];
static unsigned figure_count;

static struct figure *figure_get(const char *id, const char *label, const char *unit, BOOL higher)
{
    unsigned i;
    for (i = 0; i < figure_count; ++i)
        if (!strcmp(figures[i].id, id)) return &figures[i];
    if (figure_count == MAX_FIGURES) abort();
    figures[figure_count].id = id;
    figures[figure_count].label = label;
    figures[figure_count].unit = unit;
    figures[figure_count].higher_is_better = higher;
    figures[figure_count].used = TRUE;
    return &figures[figure_count++];
}

static struct figure *figure_find(const char *id)
{
    unsigned i;
    for (i = 0; i < figure_count; ++i)
        if (!strcmp(figures[i].id, id)) return &figures[i];
    return NULL;
}

static void series_add(struct series *s, const struct bench_run *r, unsigned index)
{
    if (s->status != BENCH_OK) return;
    if (r->status != BENCH_OK)
    {
        s->status = r->status;
        s->hr = r->hr;
        snprintf(s->what, sizeof(s->what), "%s", r->what);
        return;
    }
    if (s->count < MAX_REPS) s->values[s->count++] = r->values[index];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct summary
{
    BOOL valid;
    double median, min, max;
};

static struct summary summarize(const struct series *s)
{
    struct summary sum = {0};
    double v[MAX_REPS];
    unsigned n = s->count;

    if (s->status != BENCH_OK || !n) return sum;
    memcpy(v, s->values, n * sizeof(*v));
    qsort(v, n, sizeof(*v), cmp_double);
    sum.valid = TRUE;
    sum.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    sum.min = v[0];
    sum.max = v[n - 1];
    return sum;
}

static double median_of(const char *id, enum column col)
{
    struct figure *f = figure_find(id);
    struct summary s;
    if (!f) return -1;
    s = summarize(&f->s[col]);
    return s.valid ? s.median : -1;
}

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

static const char *status_text(const struct series *s, char *buf, size_t size)
{
    if (s->status == BENCH_HUNG) snprintf(buf, size, "hung");
    else snprintf(buf, size, "failed: %#lx", (unsigned long)s->hr);
    return buf;
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
            w->fn(kind, &r);
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
    char exe[MAX_PATH], cmdline[MAX_PATH + 256], output[4096], *line;
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
#define MEMORY_ROWS (KIND_COUNT + 2)
static struct bench_run memory_results[MEMORY_ROWS];

static const char *memory_row_name(unsigned k)
{
    return k == KIND_COUNT ? "baseline" : k == KIND_COUNT + 1 ? "workitem" : kind_name(k);
}
static BOOL memory_done;

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
static struct series trace_series[2];  /* [0] off, [1] on */
static double trace_file_bytes;
static BOOL trace_done;

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

/* ---- machine ---- */

static char machine_cpu[128] = "?", machine_wine[64] = "not Wine", machine_date[32], machine_load[64] = "?";
static unsigned machine_cores;

static void machine_info(void)
{
    const char *(CDECL *wine_get_version)(void);
    DWORD size = sizeof(machine_cpu);
    SYSTEM_INFO si;
    SYSTEMTIME t;

    /* bench.sh passes the host's /proc/cpuinfo model and load average. */
    if (!GetEnvironmentVariableA("BENCH_CPU_MODEL", machine_cpu, sizeof(machine_cpu))
            && RegGetValueA(HKEY_LOCAL_MACHINE, "HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0",
            "ProcessorNameString", RRF_RT_REG_SZ, NULL, machine_cpu, &size))
        strcpy(machine_cpu, "?");
    if (!GetEnvironmentVariableA("BENCH_LOADAVG", machine_load, sizeof(machine_load))) strcpy(machine_load, "?");
    GetSystemInfo(&si);
    machine_cores = si.dwNumberOfProcessors;
    if ((wine_get_version = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version")))
        snprintf(machine_wine, sizeof(machine_wine), "%s", wine_get_version());
    GetLocalTime(&t);
    snprintf(machine_date, sizeof(machine_date), "%04u-%02u-%02u %02u:%02u", t.wYear, t.wMonth, t.wDay, t.wHour,
            t.wMinute);
}

/* ---- output ---- */

static void format_value(char *buf, size_t size, double v)
{
    if (v >= 10000) snprintf(buf, size, "%.0f", v);
    else if (v >= 100) snprintf(buf, size, "%.1f", v);
    else snprintf(buf, size, "%.2f", v);
}

static void format_cell(char *buf, size_t size, const struct series *s)
{
    char med[32], lo[32], hi[32], st[64];
    struct summary sum;

    if (s->status != BENCH_OK)
    {
        snprintf(buf, size, "%s", status_text(s, st, sizeof(st)));
        return;
    }
    sum = summarize(s);
    if (!sum.valid)
    {
        snprintf(buf, size, "-");
        return;
    }
    format_value(med, sizeof(med), sum.median);
    format_value(lo, sizeof(lo), sum.min);
    format_value(hi, sizeof(hi), sum.max);
    snprintf(buf, size, "%s [%s-%s]", med, lo, hi);
}

static double ratio_of(const struct figure *f)
{
    struct summary a = summarize(&f->s[COL_OURS]), b = summarize(&f->s[COL_PLATFORM]);
    if (!a.valid || !b.valid || b.median == 0) return -1;
    return a.median / b.median;
}

/* ---- notes ---- */

static char notes[64][200];
static unsigned note_count;

void bench_note(const char *fmt, ...)
{
    va_list va;

    if (note_count == ARRAY_SIZE(notes)) return;
    va_start(va, fmt);
    vsnprintf(notes[note_count++], sizeof(notes[0]), fmt, va);
    va_end(va);
}

/* ---- targets ---- */

struct target
{
    const char *text;
    int pass;           /* 1 pass, 0 miss, -1 not measured */
    char detail[160];
};

static struct target targets[40];
static unsigned target_count;
static void media_targets(void);

static void target_add(const char *text, int pass, const char *fmt, ...)
{
    struct target *t = &targets[target_count++];
    va_list va;
    t->text = text;
    t->pass = pass;
    va_start(va, fmt);
    vsnprintf(t->detail, sizeof(t->detail), fmt, va);
    va_end(va);
}

static void target_ratio(const char *text, const char *id, double bound, BOOL at_least, BOOL strict)
{
    struct figure *f = figure_find(id);
    double ours = median_of(id, COL_OURS), plat = median_of(id, COL_PLATFORM), ratio;
    char st[64];

    if (!f || ours < 0)
    {
        target_add(text, -1, "not measured");
        return;
    }
    if (plat < 0)
    {
        /* The platform hung or failed: ours finishing is enough. */
        target_add(text, 1, "platform %s, ours %.4g %s", status_text(&f->s[COL_PLATFORM], st, sizeof(st)), ours, f->unit);
        return;
    }
    ratio = ours / plat;
    if (at_least) target_add(text, strict ? ratio > bound : ratio >= bound, "ours/platform = %.2f (ours %.4g, platform %.4g %s)",
            ratio, ours, plat, f->unit);
    else target_add(text, strict ? ratio < bound : ratio <= bound, "ours/platform = %.2f (ours %.4g, platform %.4g %s)",
            ratio, ours, plat, f->unit);
}

/* ours (workload `id`) against a direct drive (`limit_id`), at least `bound` times it. */
static void target_limit(const char *text, const char *id, const char *limit_id, double bound)
{
    double ours = median_of(id, COL_OURS), limit = median_of(limit_id, COL_OURS);

    if (ours < 0 || limit < 0) target_add(text, -1, "not measured");
    else target_add(text, ours >= bound * limit, "ours/limit = %.2f (ours %.4g, limit %.4g samples/s = %s)",
            ours / limit, ours, limit, limit_id);
}

/* Issue 14's targets, on each Wine version. */
static void evaluate_targets(void)
{
    static const char *others[] = {"tp_tee", "tp_tee_lazy"};
    static const char *faster[] = {"tp_mft", "tp_mft_lazy", "tp_8streams", "tp_8streams_lazy", "scale"};
    double ours, v;
    unsigned i;

    target_count = 0;
    target_ratio("throughput, 1 stream >= 1.5x the platform", "tp_1stream", 1.5, TRUE, FALSE);
    target_ratio("throughput, 1 stream, lazy EOS >= 1.5x the platform", "tp_1stream_lazy", 1.5, TRUE, FALSE);
    target_ratio("throughput, source answering later >= 1.5x the platform", "tp_async_lazy", 1.5, TRUE, FALSE);
    target_limit("throughput, 1 stream >= 0.9x the polling direct drive", "tp_1stream", "direct_poll", 0.9);
    target_limit("source answering later >= 0.9x its polling direct drive", "tp_async_lazy", "direct_poll_async", 0.9);
    ours = median_of("tp_1stream", COL_OURS);
    if ((v = median_of("direct_callbacks", COL_OURS)) > 0 && ours > 0)
        target_add("(for reference) throughput, 1 stream vs the callback direct drive", -1,
                "ours/direct_callbacks = %.2f", ours / v);
    for (i = 0; i < ARRAY_SIZE(faster); ++i)
    {
        static char text[ARRAY_SIZE(faster)][64];
        snprintf(text[i], sizeof(text[i]), "%s >= 1.5x the platform", faster[i]);
        target_ratio(text[i], faster[i], 1.5, TRUE, FALSE);
    }
    for (i = 0; i < ARRAY_SIZE(others); ++i)
    {
        static char text[ARRAY_SIZE(others)][64];
        snprintf(text[i], sizeof(text[i]), "%s ahead of the platform", others[i]);
        target_ratio(text[i], others[i], 1.0, TRUE, TRUE);
    }
    target_ratio("start latency p50 <= 0.7x the platform", "start_p50", 0.7, FALSE, FALSE);
    target_ratio("close latency p50, empty, no worse than the platform", "close_empty_p50", 1.0, FALSE, FALSE);
    target_ratio("close latency p50, playing, no worse than the platform", "close_running_p50", 1.0, FALSE, FALSE);
    target_ratio("CPU per second of media <= 0.6x the platform", "cpu_per_media_s", 0.6, FALSE, FALSE);
    if ((v = median_of("close_empty_p99", COL_OURS)) < 0) target_add("close latency p99, empty < 100 us", -1, "not measured");
    else target_add("close latency p99, empty < 100 us", v < 100, "ours p99 = %.1f us (median over repetitions)", v);
    if (!memory_done || memory_results[KIND_OURS].status != BENCH_OK)
        target_add("working-set growth over 18,000 lifecycle cycles <= 64 KiB", -1, "not measured");
    else
    {
        double growth = (memory_results[KIND_OURS].values[1] - memory_results[KIND_OURS].values[0]) / 1024;
        const struct bench_run *w = &memory_results[KIND_COUNT + 1];
        char base[160] = "";
        if (w->status == BENCH_OK)
        {
            /* A cycle runs two work items (the Close command, the MESessionClosed delivery). */
            double item = (w->values[1] - w->values[0]) / 1024;
            snprintf(base, sizeof(base), "; the platform's work queue alone: %+.0f KiB per %u work items, "
                    "so ours net of 2 work items/cycle: %+.0f KiB", item, memory_cycles - memory_first, growth - 2 * item);
        }
        target_add("working-set growth over 18,000 lifecycle cycles <= 64 KiB", growth <= 64,
                "ours: %+.0f KiB working set%s", growth, base);
    }
    media_targets();
}

/* Issue 12's real-media targets: no slower than the platform, at most 1.5x
 * its grabber callbacks.  Ours failing is a miss, not "not measured". */
static void media_targets(void)
{
    static const char *ids[] = {"media_mp3", "media_aac", "media_h264", "media_rawvideo"};
    static const struct { const char *suffix, *what; double bound; } rows[] =
    {
        {"_ms", "time no slower than the platform", 1.0},
        {"_callbacks", "callbacks <= 1.5x the platform's", 1.5},
    };
    static char text[ARRAY_SIZE(ids)][ARRAY_SIZE(rows)][64];
    char id[64], st[64];
    struct figure *f;
    unsigned i, k;

    for (i = 0; i < ARRAY_SIZE(ids); ++i)
        for (k = 0; k < ARRAY_SIZE(rows); ++k)
        {
            snprintf(text[i][k], sizeof(text[i][k]), "%s: %s", ids[i], rows[k].what);
            snprintf(id, sizeof(id), "%s%s", ids[i], rows[k].suffix);
            if ((f = figure_find(id)) && f->s[COL_OURS].status != BENCH_OK)
                target_add(text[i][k], 0, "ours %s: %s", status_text(&f->s[COL_OURS], st, sizeof(st)),
                        f->s[COL_OURS].what);
            else
                target_ratio(text[i][k], id, rows[k].bound, FALSE, FALSE);
        }
}

static void print_table(void)
{
    char a[64], b[64], ratio[32];
    unsigned i, k;

    printf("\nmfsession bench: %u repetition(s); median [min-max]\n", opt.reps);
    printf("machine: %s, %u cores, Wine %s, %s, load average at start %s\n\n", machine_cpu, machine_cores, machine_wine,
            machine_date, machine_load);
    printf("%-58s %-9s %-28s %-28s %s\n", "figure", "unit", "ours", "platform", "ours/platform");
    for (i = 0; i < figure_count; ++i)
    {
        struct figure *f = &figures[i];
        double rt = ratio_of(f);
        format_cell(a, sizeof(a), &f->s[COL_OURS]);
        if (f->columns[COL_PLATFORM]) snprintf(b, sizeof(b), "%s", f->columns[COL_PLATFORM]);
        else format_cell(b, sizeof(b), &f->s[COL_PLATFORM]);
        if (rt >= 0) snprintf(ratio, sizeof(ratio), "%.2f", rt);
        else snprintf(ratio, sizeof(ratio), "-");
        if (f->columns[COL_OURS] && !strcmp(f->unit, "samples/s"))
        {
            /* A direct drive: its own column, compared with our throughput on its workload. */
            BOOL async = !strcmp(f->id, "direct_poll_async");
            double ours = median_of(async ? "tp_async_lazy" : "tp_1stream", COL_OURS), me = median_of(f->id, COL_OURS);
            if (ours > 0 && me > 0)
                snprintf(ratio, sizeof(ratio), "ours %s = %.2fx this", async ? "tp_async_lazy" : "1-stream", ours / me);
        }
        printf("%-58s %-9s %-28s %-28s %s\n", f->label, f->unit, a, b, ratio);
    }
    if (memory_done)
    {
        printf("\nlifecycle memory (fresh child process per kind; %u cycles, then up to %u)\n", memory_first, memory_cycles);
        printf("%-10s %16s %16s %14s %16s %16s %14s %12s %14s\n", "session", "WS@first KiB", "WS@end KiB", "WS growth",
                "Priv@first KiB", "Priv@end KiB", "Priv growth", "cycles/s", "KiB/live sess");
        for (k = 0; k < MEMORY_ROWS; ++k)
        {
            struct bench_run *r = &memory_results[k];
            if (r->status != BENCH_OK)
            {
                printf("%-10s %s: %s\n", memory_row_name(k), r->status == BENCH_HUNG ? "hung" : "failed", r->what);
                continue;
            }
            printf("%-10s %16.0f %16.0f %+14.0f %16.0f %16.0f %+14.0f %12.0f", memory_row_name(k), r->values[0] / 1024,
                    r->values[1] / 1024, (r->values[1] - r->values[0]) / 1024, r->values[2] / 1024, r->values[3] / 1024,
                    (r->values[3] - r->values[2]) / 1024, r->values[4]);
            if (r->values[5] >= 0) printf(" %14.1f\n", r->values[5] / 1024);
            else printf(" %14s\n", "-");
        }
        printf("(baseline: an event queue + one subscription per cycle, no session; workitem: one MFPutWorkItem per cycle;\n"
                " KiB/live sess: working-set growth while 500 sessions are alive at once, per session;\n"
                " the platform session's growth may include its own leaks; PrivateUsage is 0 where Wine does not report it)\n");
    }
    if (trace_done)
    {
        format_cell(a, sizeof(a), &trace_series[0]);
        format_cell(b, sizeof(b), &trace_series[1]);
        printf("\ntracing cost, ours, 1-stream throughput (samples/s, child processes)\n");
        printf("  MFSESSION_TRACE unset: %s\n  MFSESSION_TRACE set:   %s (trace file %.1f MiB)\n", a, b,
                trace_file_bytes / 1048576);
    }
    evaluate_targets();
    printf("\ntargets\n");
    for (i = 0; i < target_count; ++i)
        printf("  %-5s %-62s %s\n", targets[i].pass > 0 ? "PASS" : targets[i].pass == 0 ? "MISS" : "-",
                targets[i].text, targets[i].detail);
    if (note_count) printf("\nnotes\n");
    for (i = 0; i < note_count; ++i) printf("  %s\n", notes[i]);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; ++s)
    {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

static void json_series(FILE *f, const struct series *s)
{
    struct summary sum = summarize(s);
    char st[64];
    unsigned i;

    fprintf(f, "{\"status\": ");
    if (s->status == BENCH_OK) json_string(f, "ok");
    else json_string(f, status_text(s, st, sizeof(st)));
    if (s->status != BENCH_OK)
    {
        fprintf(f, ", \"what\": ");
        json_string(f, s->what);
    }
    if (sum.valid) fprintf(f, ", \"median\": %.6g, \"min\": %.6g, \"max\": %.6g", sum.median, sum.min, sum.max);
    fprintf(f, ", \"values\": [");
    for (i = 0; i < s->count; ++i) fprintf(f, "%s%.6g", i ? ", " : "", s->values[i]);
    fprintf(f, "]}");
}

static void write_json(const struct primitive *prims, unsigned nprims)
{
    FILE *f = fopen(out_path, "w");
    unsigned i, k;

    if (!f)
    {
        fprintf(stderr, "cannot write %s\n", out_path);
        return;
    }
    fprintf(f, "{\n  \"tool\": \"mfsession bench\",\n  \"machine\": {\"cpu\": ");
    json_string(f, machine_cpu);
    fprintf(f, ", \"cores\": %u, \"wine\": ", machine_cores);
    json_string(f, machine_wine);
    fprintf(f, ", \"date\": ");
    json_string(f, machine_date);
    fprintf(f, ", \"loadavg_at_start\": ");
    json_string(f, machine_load);
    fprintf(f, "},\n  \"options\": {\"reps\": %u, \"samples\": %u, \"close_iterations\": %u, \"running_iterations\": %u, "
            "\"seek_iterations\": %u, \"lifecycle_cycles\": %u, \"scale_sessions\": %u, \"scale_samples\": %u, "
            "\"cpu_media_seconds\": %u, \"request_depth\": %u, \"timeout_ms\": %lu, \"play_timeout_ms\": %lu, "
            "\"trace_in_parent\": %s},\n",
            opt.reps, opt.samples, opt.close_iterations, opt.running_iterations, opt.seek_iterations,
            opt.lifecycle_cycles, opt.scale_sessions, opt.scale_samples, opt.cpu_media_seconds, opt.request_depth,
            (unsigned long)opt.timeout_ms, (unsigned long)opt.play_timeout_ms, trace_in_parent ? "true" : "false");
    fprintf(f, "  \"figures\": [\n");
    for (i = 0; i < figure_count; ++i)
    {
        struct figure *fig = &figures[i];
        double rt = ratio_of(fig);
        fprintf(f, "    {\"id\": ");
        json_string(f, fig->id);
        fprintf(f, ", \"label\": ");
        json_string(f, fig->label);
        fprintf(f, ", \"unit\": ");
        json_string(f, fig->unit);
        fprintf(f, ", \"higher_is_better\": %s,\n     ", fig->higher_is_better ? "true" : "false");
        if (fig->columns[COL_OURS])
        {
            fprintf(f, "\"direct\": ");
            json_series(f, &fig->s[COL_OURS]);
        }
        else
        {
            fprintf(f, "\"ours\": ");
            json_series(f, &fig->s[COL_OURS]);
            fprintf(f, ",\n     \"platform\": ");
            json_series(f, &fig->s[COL_PLATFORM]);
            if (rt >= 0) fprintf(f, ",\n     \"ratio_ours_platform\": %.4g", rt);
        }
        fprintf(f, "}%s\n", i + 1 < figure_count ? "," : "");
    }
    fprintf(f, "  ]");
    if (memory_done)
    {
        fprintf(f, ",\n  \"lifecycle_memory\": {\"first\": %u, \"cycles\": %u", memory_first, memory_cycles);
        for (k = 0; k < MEMORY_ROWS; ++k)
        {
            struct bench_run *r = &memory_results[k];
            fprintf(f, ",\n    \"%s\": {\"status\": ", memory_row_name(k));
            if (r->status == BENCH_OK)
                fprintf(f, "\"ok\", \"working_set_first\": %.0f, \"working_set_end\": %.0f, \"working_set_growth_kib\": %.1f, "
                        "\"private_first\": %.0f, \"private_end\": %.0f, \"private_growth_kib\": %.1f, \"cycles_per_s\": %.0f, "
                        "\"live_session_bytes\": %.0f}",
                        r->values[0], r->values[1], (r->values[1] - r->values[0]) / 1024, r->values[2], r->values[3],
                        (r->values[3] - r->values[2]) / 1024, r->values[4], r->values[5]);
            else
            {
                fprintf(f, "\"%s\", \"hr\": \"%#lx\", \"what\": ", r->status == BENCH_HUNG ? "hung" : "failed",
                        (unsigned long)r->hr);
                json_string(f, r->what);
                fprintf(f, "}");
            }
        }
        fprintf(f, "}");
    }
    if (trace_done)
    {
        fprintf(f, ",\n  \"trace_cost\": {\"unit\": \"samples/s\", \"trace_off\": ");
        json_series(f, &trace_series[0]);
        fprintf(f, ", \"trace_on\": ");
        json_series(f, &trace_series[1]);
        fprintf(f, ", \"trace_file_bytes\": %.0f}", trace_file_bytes);
    }
    if (nprims)
    {
        fprintf(f, ",\n  \"primitives_us\": [\n");
        for (i = 0; i < nprims; ++i)
        {
            fprintf(f, "    {\"id\": ");
            json_string(f, prims[i].id);
            fprintf(f, ", \"label\": ");
            json_string(f, prims[i].label);
            fprintf(f, ", \"us\": %.4g}%s\n", prims[i].us, i + 1 < nprims ? "," : "");
        }
        fprintf(f, "  ]");
    }
    fprintf(f, ",\n  \"targets\": [\n");
    for (i = 0; i < target_count; ++i)
    {
        fprintf(f, "    {\"target\": ");
        json_string(f, targets[i].text);
        fprintf(f, ", \"result\": \"%s\", \"detail\": ", targets[i].pass > 0 ? "pass" : targets[i].pass == 0 ? "miss" : "n/a");
        json_string(f, targets[i].detail);
        fprintf(f, "}%s\n", i + 1 < target_count ? "," : "");
    }
    fprintf(f, "  ],\n  \"notes\": [");
    for (i = 0; i < note_count; ++i)
    {
        fprintf(f, "%s\n    ", i ? "," : "");
        json_string(f, notes[i]);
    }
    fprintf(f, "]\n}\n");
    fclose(f);
    fprintf(stderr, "wrote %s\n", out_path);
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

int main(int argc, char **argv)
{
    struct primitive prims[16];
    unsigned nprims = 0, i;
    int child = 0;          /* 1 memory, 2 trace */
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
        if (selected(workloads[i].id)) run_workload(&workloads[i]);
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
    write_json(prims, nprims);
    MFShutdown();
    return 0;
}
