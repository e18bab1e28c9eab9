/*
 * bench_report.c: what the benchmark writes: the machine it ran on, the
 * table (figures, lifecycle memory, tracing cost, targets, notes) and the
 * JSON file.  See bench_report.h and docs/PERFORMANCE.md.
 */
#include "bench_report.h"
#include <stdarg.h>
#include <string.h>

char machine_cpu[128] = "?", machine_wine[64] = "not Wine";
static char machine_date[32], machine_load[64] = "?";
unsigned machine_cores;

void machine_info(void)
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
    char text[sizeof(notes[0])];
    unsigned i;
    va_list va;

    if (note_count == ARRAY_SIZE(notes)) return;
    va_start(va, fmt);
    vsnprintf(text, sizeof(text), fmt, va);
    va_end(va);
    /* Child processes (one per play of a media workload) say the same again. */
    for (i = 0; i < note_count; ++i)
        if (!strcmp(notes[i], text)) return;
    strcpy(notes[note_count++], text);
}

void bench_notes_print(void)
{
    unsigned i;
    for (i = 0; i < note_count; ++i) printf("NOTE %s\n", notes[i]);
    fflush(stdout);
}

void print_table(void)
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

void write_json(const char *out_path, const struct primitive *prims, unsigned nprims)
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
